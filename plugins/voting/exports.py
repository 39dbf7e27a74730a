"""Results and full score sheets as tables, written as CSV or XLSX (openpyxl)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Event, Innovation, User
from plugins.voting.models import VotingAssignment, VotingScore, VotingStage
from plugins.voting.results import Results
from plugins.voting.rubric import CriterionSpec, criteria_of

Table = tuple[list[str], list[list[Any]]]
# Cells starting with these are formulas to spreadsheet programs: prefix them with a quote.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def results_table(results: Results, criteria: list[CriterionSpec]) -> Table:
    """One row per innovation: rank, scores and the official score's 90 % interval, judges,
    spread, flags, per-criterion means."""
    header = [
        "rank",
        "innovation_id",
        "title",
        "organization",
        "raw_score",
        "normalized_score",
        "final_score",
        "interval_low",
        "interval_high",
        "judges",
        "assigned_judges",
        "completeness",
        "spread",
        "votes",
        "flags",
        *[f"mean_{c.key}" for c in criteria],
    ]
    rows = []
    for item in results.items:
        data = item.as_dict(results.method)
        rows.append(
            [
                data["rank"],
                item.innovation_id,
                item.title,
                (item.organization or {}).get("name", ""),
                data["raw_score"],
                data["normalized_score"],
                data["final_score"],
                *(data["interval"] or [None, None]),
                data["judges"],
                data["assigned_judges"],
                data["completeness"],
                data["spread"],
                data["votes"],
                " ".join(data["flags"]),
                *[data["criteria"].get(c.key) for c in criteria],
            ]
        )
    return header, rows


def score_sheet_table(session: Session, event: Event, stage: VotingStage | None) -> Table:
    """Every judge's sheet: each criterion's value, the comment and whether submitted."""
    criteria = criteria_of(session, event, stage)
    header = [
        "innovation_id",
        "title",
        "judge",
        "judge_email",
        "submitted",
        *[c.key for c in criteria],
        "comment",
    ]
    if stage is None:
        return header, []
    values: dict[int, dict[str, float]] = defaultdict(dict)
    for assignment_id, key, value in session.execute(
        select(VotingScore.assignment_id, VotingScore.criterion_key, VotingScore.value)
        .join(VotingAssignment, VotingAssignment.id == VotingScore.assignment_id)
        .where(VotingAssignment.stage_id == stage.id)
    ):
        values[assignment_id][key] = value
    query = (
        select(
            VotingAssignment.id,
            VotingAssignment.submitted,
            VotingAssignment.comment,
            Innovation.id,
            Innovation.title,
            User.name,
            User.email,
        )
        .join(Innovation, Innovation.id == VotingAssignment.innovation_id)
        .join(User, User.id == VotingAssignment.judge_id)
        .where(VotingAssignment.stage_id == stage.id)
        .order_by(Innovation.title, Innovation.id, User.name)
    )
    rows = []
    for sheet_id, submitted, comment, innovation_id, title, name, email in session.execute(query):
        mine = values.get(sheet_id, {})
        rows.append(
            [
                innovation_id,
                title,
                name,
                email,
                submitted,
                *[mine.get(c.key) for c in criteria],
                comment,
            ]
        )
    return header, rows


def to_csv(header: list[str], rows: list[list[Any]]) -> str:
    """The table as CSV text (formula-looking cells neutralised)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([[_safe(v) for v in row] for row in rows])
    return buffer.getvalue()


def to_xlsx(header: list[str], rows: list[list[Any]], title: str) -> bytes:
    """The table as an XLSX workbook with one sheet (written streaming: write-only mode)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append([_safe(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
