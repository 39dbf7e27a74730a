"""Planning judges' booth visits: a backtracking search with forward checking (pure, no database).

The rules live in :mod:`plugins.voting.visit_model`; this module searches a plan that keeps
them all, to the same standard as the symposium's scheduler
(:mod:`plugins.symposium.scheduler`):

* Every visit to place is a variable; its values are the frame's starts (on the grid,
  inside an open interval: the window, or each day's exhibition hours).  A domain is a bit
  mask over those starts, so pruning is a few integer operations.
* The initial domain leaves out starts while the judge is busy (speaking or moderating in
  a symposium session) and while the innovation's agency presents in one, each with the
  ``changeover`` as a margin, and starts that clash with visits that are kept (a re-plan
  keeps every visit that still holds; a visit moved by hand).
* Variable order: fewest starts left first (weighted by how often its domain emptied,
  dom/wdeg), ties by the judge's and the booth's number of visits, then by key.  Value
  order: the edges of the free runs first (a visit right after the previous one, a session
  or the day's opening, or right before the next: no hole too short for another visit),
  earliest first, so each judge's route is compact.
* Forward checking: a placement prunes the other visits of the same judge and of the same
  booth; a domain that empties undoes it at once.  The search restarts with shuffled
  tie-breaking (a seeded generator: the same input gives the same plan) when a node budget
  runs out.  It is exhaustive within its budget, so whenever a complete plan exists for
  instances of the size an exhibition has it finds one; otherwise a greedy pass places what
  it can and every visit left out comes with its reasons.
"""

from __future__ import annotations

import random
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from plugins.voting.visit_model import (
    AGENCY_PRESENTING,
    BLOCKED_BY_KEPT,
    JUDGE_BUSY,
    NO_FREE_SLOT,
    WINDOW_TOO_SHORT,
    Frame,
    Request,
    Unplaced,
    minutes_of,
    moment_of,
    travel,
)

ATTEMPTS = 8
COARSE = 12  # starts: an hour on the 5-minute grid


@dataclass
class Result:
    """New placements (key → aware UTC start) and the visits left out."""

    placements: dict[int, datetime] = field(default_factory=dict)
    unplaced: list[Unplaced] = field(default_factory=list)
    complete: bool = True
    nodes: int = 0


def _range_mask(low: int, high: int) -> int:
    """Bits ``low`` … ``high - 1`` set."""
    if high <= low:
        return 0
    return ((1 << high) - 1) ^ ((1 << low) - 1)


class _Search:
    """State of one planning run (see the module docstring)."""

    def __init__(
        self, requests: Sequence[Request], frame: Frame, fixed: Sequence[tuple[Request, int]]
    ) -> None:
        self.frame = frame
        self.d = frame.minutes
        self.starts = frame.starts()
        # starts whose grid neighbour before or after lies in another open interval (a day's
        # opening or closing): edges of every free run, like a busy time's
        self.breaks = 0
        for j, start in enumerate(self.starts):
            before = j == 0 or self.starts[j - 1] != start - frame.grid
            after = j == len(self.starts) - 1 or self.starts[j + 1] != start + frame.grid
            if before or after:
                self.breaks |= 1 << j
        self.fixed = list(fixed)
        self.todo = sorted(requests, key=lambda r: (r.judge, r.booth, r.key))
        per_judge: dict[int, list[int]] = {}
        per_booth: dict[int, list[int]] = {}
        for i, request in enumerate(self.todo):
            per_judge.setdefault(request.judge, []).append(i)
            per_booth.setdefault(request.booth, []).append(i)
        # neighbours[i]: (j, gap) — j may not start within gap minutes of i's visit
        self.neighbours: list[list[tuple[int, int]]] = [[] for _ in self.todo]
        for i, request in enumerate(self.todo):
            gaps: dict[int, int] = {}
            for j in per_booth[request.booth]:
                if j != i:
                    gaps[j] = 0
            for j in per_judge[request.judge]:
                if j != i:
                    gaps[j] = travel(request, self.todo[j], frame.changeover)
            self.neighbours[i] = sorted(gaps.items())
        self.load = [len(per_judge[r.judge]) + len(per_booth[r.booth]) for r in self.todo]
        zones = sorted({r.zone or "" for r in self.todo})
        self.zone_rank = [zones.index(r.zone or "") for r in self.todo]
        self.weights = [1] * len(self.todo)
        self.nodes = 0

    def forbidden(self, low: int, high: int, gap: int) -> int:
        """Starts of a visit closer than ``gap`` minutes to the interval [low, high)."""
        first = bisect_right(self.starts, low - self.d - gap)
        last = bisect_left(self.starts, high + gap)
        return _range_mask(first, last)

    def initial_domains(self) -> tuple[list[int], list[Unplaced | None]]:
        """Each visit's mask of starts, and why it is empty (``None`` when it is not)."""
        every = _range_mask(0, len(self.starts))
        gap = self.frame.changeover
        domains: list[int] = []
        reasons: list[Unplaced | None] = []
        for request in self.todo:
            if not every:
                domains.append(0)
                reasons.append(Unplaced(request.key, (WINDOW_TOO_SHORT,)))
                continue
            judge_mask, booth_mask = every, every
            judge_labels: list[str] = []
            booth_labels: list[str] = []
            for item in self.frame.judge_busy.get(request.judge, []):
                block = self.forbidden(item.low, item.high, gap)
                if judge_mask & block:
                    judge_labels.append(item.label)
                judge_mask &= ~block
            for item in self.frame.booth_busy.get(request.booth, []):
                block = self.forbidden(item.low, item.high, gap)
                if booth_mask & block:
                    booth_labels.append(item.label)
                booth_mask &= ~block
            mask = judge_mask & booth_mask
            kept = mask
            for other, start in self.fixed:
                if other.judge == request.judge:
                    kept &= ~self.forbidden(
                        start, start + self.d, travel(request, other, self.frame.changeover)
                    )
                elif other.booth == request.booth:
                    kept &= ~self.forbidden(start, start + self.d, 0)
            domains.append(kept)
            if kept:
                reasons.append(None)
            elif mask:
                reasons.append(Unplaced(request.key, (BLOCKED_BY_KEPT,)))
            else:
                codes: list[str] = []
                if not judge_mask or judge_labels:
                    codes.append(JUDGE_BUSY)
                if not booth_mask or booth_labels:
                    codes.append(AGENCY_PRESENTING)
                blockers = tuple(dict.fromkeys(judge_labels + booth_labels))
                reasons.append(Unplaced(request.key, tuple(codes) or (NO_FREE_SLOT,), blockers))
        return domains, reasons

    def overloaded(self, domains: list[int]) -> bool:
        """Whether some judge or booth has more visits than its free starts could ever hold.

        A judge's visits need ``minutes + changeover`` each on the grid (the last one no
        changeover), a booth's ``minutes`` each; when the starts left to a group cannot hold
        that many pairwise-apart visits, no complete plan exists and the search is skipped.
        """
        groups: dict[tuple[str, int], list[int]] = {}
        for i, request in enumerate(self.todo):
            groups.setdefault(("judge", request.judge), []).append(i)
            groups.setdefault(("booth", request.booth), []).append(i)
        for (kind, _key), members in groups.items():
            if len(members) < 2:
                continue
            spacing = self.d + (self.frame.changeover if kind == "judge" else 0)
            union = 0
            for i in members:
                union |= domains[i]
            # greedy: the most starts spaced ``spacing`` apart within the union
            fits, last = 0, None
            for j in self._values(union):
                if last is None or self.starts[j] - last >= spacing:
                    fits, last = fits + 1, self.starts[j]
            if fits < len(members):
                return True
        return False

    def _ordered(self, mask: int) -> list[int]:
        """Starts in preference order: the edges of free runs first (no hole left beside
        the visit), earliest first; then the other starts, earliest first."""
        edges = (mask & ~(mask << 1)) | (mask & ~(mask >> 1)) | (mask & self.breaks)
        return self._values(edges) + self._values(mask & ~edges)

    def _values(self, mask: int) -> list[int]:
        """The starts left in ``mask``, earliest first."""
        values = []
        while mask:
            low = mask & -mask
            values.append(low.bit_length() - 1)
            mask ^= low
        return values

    def run(self, budget: int, rng: random.Random | None) -> dict[int, int] | None:
        """A complete assignment {variable: start index}, or ``None`` (budget or infeasible)."""
        domains, reasons = self.initial_domains()
        if any(reasons):
            return None
        sizes = [m.bit_count() for m in domains]
        noise = [rng.random() if rng else 0.0 for _ in self.todo]
        unassigned = set(range(len(self.todo)))
        assignment: dict[int, int] = {}
        trail: list[tuple[int, int]] = []

        def bucket(size: int) -> int:
            # exact for small domains; coarser for large ones, so a walk's few extra starts
            # pruned do not pull a judge to the other zone next (zones stay grouped)
            return size if size <= COARSE else COARSE + size // COARSE

        def choose() -> int:
            return min(
                unassigned,
                key=lambda i: (
                    bucket(sizes[i]) / self.weights[i],
                    self.zone_rank[i],
                    -self.load[i],
                    noise[i],
                    i,
                ),
            )

        def place(v: int, j: int) -> bool:
            low = self.starts[j]
            for u, gap in self.neighbours[v]:
                if u not in unassigned:
                    continue
                old = domains[u]
                removed = old & self.forbidden(low, low + self.d, gap)
                if removed:
                    trail.append((u, old))
                    domains[u] = old & ~removed
                    sizes[u] -= removed.bit_count()
                    if not sizes[u]:
                        self.weights[u] += 1
                        return False
            return True

        def undo(mark: int) -> None:
            while len(trail) > mark:
                u, old = trail.pop()
                sizes[u] = old.bit_count()
                domains[u] = old

        def solve() -> bool:
            if not unassigned:
                return True
            if self.nodes >= budget:
                return False
            v = choose()
            unassigned.discard(v)
            for j in self._ordered(domains[v]):
                self.nodes += 1
                if self.nodes >= budget:
                    break
                mark = len(trail)
                if place(v, j):
                    assignment[v] = j
                    if solve():
                        return True
                    del assignment[v]
                undo(mark)
            unassigned.add(v)
            return False

        return dict(assignment) if solve() else None

    def greedy(self) -> tuple[dict[int, int], dict[int, Unplaced]]:
        """Place what fits, most constrained first (fallback when no complete plan is found)."""
        domains, reasons = self.initial_domains()
        left = {i: reason for i, reason in enumerate(reasons) if reason is not None}
        placed: dict[int, int] = {}
        order = sorted(
            (i for i in range(len(self.todo)) if i not in left),
            key=lambda i: (domains[i].bit_count(), -self.load[i], i),
        )
        for v in order:
            if not domains[v]:
                left[v] = Unplaced(self.todo[v].key, (NO_FREE_SLOT,))
                continue
            j = (domains[v] & -domains[v]).bit_length() - 1
            placed[v] = j
            low = self.starts[j]
            for u, gap in self.neighbours[v]:
                domains[u] &= ~self.forbidden(low, low + self.d, gap)
        return placed, left


def plan(
    requests: Sequence[Request],
    frame: Frame,
    fixed: Sequence[tuple[Request, datetime]] = (),
    *,
    budget: int | None = None,
    seed: int = 0,
) -> Result:
    """Give every request a visit slot in ``frame`` without breaking a rule, if at all possible.

    ``fixed`` visits (kept from an earlier plan, moved by hand) stay where they are and only
    narrow the others.  Returns the new placements and the requests left out with reasons:
    ``window_too_short``, ``judge_busy``, ``agency_presenting`` (with the sessions that
    block), ``blocked_by_kept_visits`` or ``no_free_slot``.
    """
    search = _Search(requests, frame, [(r, minutes_of(at)) for r, at in fixed])
    result = Result()
    if not search.todo:
        return result
    per_attempt = budget or max(20_000, 60 * len(search.todo))
    rng = random.Random(seed)
    found: dict[int, int] | None = None
    domains, reasons = search.initial_domains()
    if not any(reasons) and not search.overloaded(domains):
        for attempt in range(ATTEMPTS):
            search.nodes = 0
            found = search.run(per_attempt * (attempt + 1), rng if attempt else None)
            result.nodes += search.nodes
            if found is not None:
                break
    if found is None:
        found, left = search.greedy()
        result.complete = False
        result.unplaced = [left[i] for i in sorted(left)]
    for v, j in found.items():
        result.placements[search.todo[v].key] = moment_of(search.starts[j])
    return result
