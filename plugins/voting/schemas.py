"""Pydantic models of the voting API's bodies and answers (also its OpenAPI schemas)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from core.api.schemas import IsoDateTime

Id = Annotated[int, Field(ge=1, le=2**31 - 1)]


class Strict(BaseModel):
    """Request bodies reject unknown keys."""

    model_config = ConfigDict(extra="forbid")


class CriterionIn(BaseModel):
    """A rubric line as sent by the organizer (checked by the rubric service)."""

    model_config = ConfigDict(extra="forbid")

    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")
    label: str | None = Field(default=None, max_length=120)
    label_id: str | None = Field(default=None, max_length=120)
    label_en: str | None = Field(default=None, max_length=120)
    description: str | None = Field(default=None, max_length=2000)
    weight: float = Field(default=1.0, gt=0, le=1_000_000)
    min: float = Field(default=1.0, ge=-1_000_000, le=1_000_000)
    max: float = Field(default=10.0, ge=-1_000_000, le=1_000_000)


class CriteriaIn(Strict):
    """The whole rubric of the current stage."""

    items: list[CriterionIn] = Field(max_length=30)


class CriterionOut(BaseModel):
    """A rubric line: ``label`` in the caller's language, both labels, weight and scale."""

    key: str
    label: str
    label_id: str
    label_en: str
    description: str
    weight: float
    min: float
    max: float


class CriteriaOut(BaseModel):
    """The rubric of a stage."""

    stage: dict[str, Any] | None = None
    items: list[CriterionOut]
    total: int
    locked: bool = False


class AutoAssignIn(Strict):
    """How many judges every innovation gets; an optional seed for reproducibility."""

    judges_per_innovation: int = Field(ge=1, le=50)
    seed: int | None = Field(default=None, ge=0, le=2**31 - 1)


class AssignmentReportOut(BaseModel):
    """What the automatic assignment did."""

    created: int
    total: int
    loads: list[dict[str, int]]
    balanced: bool
    seed: int


class AssignmentIn(Strict):
    """A manual assignment."""

    judge: Id
    innovation: Id


class AssignmentOut(BaseModel):
    """An assignment with the innovation and its scoring status."""

    id: int
    judge: dict[str, Any]
    innovation: dict[str, Any]
    status: Literal["pending", "draft", "submitted"]
    stage: dict[str, Any]


class AssignmentList(BaseModel):
    """Assignments with a count of those submitted."""

    items: list[AssignmentOut]
    total: int
    submitted: int


class ScoresIn(Strict):
    """A judge's values by criterion key, a comment; ``draft`` keeps it unsubmitted."""

    scores: dict[str, Any] = Field(
        description="Criterion key → value (a number; null clears it in a draft)",
        json_schema_extra={"additionalProperties": {"type": ["number", "null"]}},
    )
    comment: str | None = Field(default=None, max_length=5000)
    draft: bool = False


class ScoresOut(BaseModel):
    """The judge's saved sheet."""

    innovation: dict[str, Any]
    scores: dict[str, float]
    comment: str
    status: Literal["pending", "draft", "submitted"]
    version: int


class SheetIn(Strict):
    """One of a judge's sheets in a bulk save."""

    innovation: Id
    scores: dict[str, Any] = Field(
        description="Criterion key → value (a number; null clears it in a draft)",
        json_schema_extra={"additionalProperties": {"type": ["number", "null"]}},
    )
    comment: str | None = Field(default=None, max_length=5000)
    submit: bool = False
    client_id: str | None = Field(default=None, min_length=1, max_length=80)
    based_on: int | None = Field(default=None, ge=0, le=2**31 - 1)
    edited_at: IsoDateTime | None = Field(
        default=None,
        description="When the sheet was last changed, by the device's clock (kept in the audit log "
        "next to the time the server received it)",
    )


class SheetsIn(Strict):
    """A judge's own sheets, at most 5,000."""

    items: list[SheetIn] = Field(max_length=5000)


class SheetOut(BaseModel):
    """What one row did."""

    innovation: int
    status: Literal["saved", "submitted", "conflict"]
    version: int


class SheetsOut(BaseModel):
    """One answer per row, in order."""

    items: list[SheetOut]


class ResultItem(BaseModel):
    """One innovation's result."""

    rank: int | None
    innovation: dict[str, Any]
    raw_score: float | None
    normalized_score: float | None
    final_score: float | None
    judges: int
    assigned_judges: int
    completeness: float
    spread: float | None
    votes: int
    criteria: dict[str, float | None]
    flags: list[str]
    interval: list[float] | None = None


class ResultsOut(BaseModel):
    """The ranking by the official method."""

    method: Literal["raw", "normalized"]
    public_weight: float
    stage: dict[str, Any] | None
    published: bool
    items: list[ResultItem]
    total: int
    outlier_judges: list[int] = []
    method_version: str | None = None
    boundary: float | None = None


class TopUpIn(Strict):
    """Extra judges for the close calls at place ``top``: at most ``extra`` assignments."""

    top: int = Field(ge=1, le=100_000)
    extra: int = Field(ge=1, le=10_000)


class TopUpOut(BaseModel):
    """The assignments a top-up added and the close calls it served (innovation ids)."""

    added: list[dict[str, Any]]
    close_calls: list[int]


class CalibrationItem(BaseModel):
    """How one judge scores compared with the others."""

    judge: dict[str, Any]
    sheets: int
    leniency: float
    scale: float
    agreement: float | None
    flagged: bool
    reasons: list[str]


class CalibrationOut(BaseModel):
    """Every judge's calibration; ``connected`` false lists the separate ``groups``."""

    items: list[CalibrationItem]
    connected: bool
    groups: list[list[int]]


class VoteIn(Strict):
    """A visitor's pass code (omit it when signed in with a pass)."""

    pass_: str | None = Field(default=None, alias="pass", max_length=64)


class VoteOut(BaseModel):
    """The counted vote."""

    innovation: dict[str, Any]
    category: str


class TallyItem(BaseModel):
    """Votes of one innovation."""

    innovation: dict[str, Any]
    votes: int


class TallyOut(BaseModel):
    """The people's-choice tally."""

    items: list[TallyItem]
    total: int
    votes: int


class StageOut(BaseModel):
    """A judging stage."""

    id: int
    name: str
    position: int
    status: Literal["open", "closed"]
    advance_rule: str
    advance_value: float | None
    tie_policy: str
    innovations: int
    opens_at: str | None = None
    closes_at: str | None = None
    window: Literal["not_yet", "open", "over"] = "open"
    all_judges: bool = True
    judges: list[int] | None = Field(
        default=None,
        description="The chosen panel (user ids; empty = every event judge); organizers only",
    )
    judge_count: int = 0
    on_panel: bool = False


class StageWindowIn(Strict):
    """A stage's judging window; omit or send null for no bound on that side."""

    opens_at: IsoDateTime | None = None
    closes_at: IsoDateTime | None = None


class StageList(BaseModel):
    """The event's stages in order."""

    items: list[StageOut]
    total: int


class AdvanceIn(Strict):
    """Advance the best of a closed stage: top N or a score cut-off, with a tie policy."""

    rule: Literal["top_n", "cutoff"]
    value: float = Field(ge=0, le=100000)
    tie_policy: Literal["all", "organizer"] = "all"
    include: list[Id] = Field(default_factory=list, max_length=10000)
    next_name: str | None = Field(default=None, min_length=1, max_length=120)
    copy_judges: bool = False


class AdvanceOut(BaseModel):
    """Who advanced into which stage."""

    stage: StageOut
    advanced: list[int]
    tied: list[int]


class StageJudgesIn(Strict):
    """The panel of a stage: judges' user ids; an empty list means every event judge."""

    judges: list[Id] = Field(max_length=1000)


class StageJudgeOut(BaseModel):
    """A judge of a stage: assignments there, how many submitted, how many hold scores."""

    id: int
    name: str
    email: str
    assignments: int
    submitted: int
    scored: int = Field(description="Assignments with saved scores (draft or submitted)")


class StageJudgesOut(BaseModel):
    """Who judges a stage: the chosen panel, or every event judge (``all_judges``)."""

    stage: dict[str, Any]
    all_judges: bool
    items: list[StageJudgeOut]
    total: int
