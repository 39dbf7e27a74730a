"""Planning a top-up: which close calls get extra judges, and which judges.

Pure functions, no database.  A close call ``i`` sits at ``d_i`` points (final score minus
the boundary) with standard error ``s_i`` (both on the final-score scale).  The chance that
it is on the wrong side of the cut-off is ``p_i = Φ(-|d_i| / s_i)``.  One more sheet from
judge ``j`` (precision ``π_j``: information about the quality per sheet, see
:func:`plugins.voting.judge_model.sheet_precision`) shrinks the variance to
``s'² = 1 / (1/s² + π_j / w²)`` (``w`` = the judges' share of the final score), and the
new sheet moves ``d`` by a normal amount of variance ``s² - s'²``.  Its **value** is the
expected fall of the wrong-side chance (the value of information for the advance / not
advance decision)::

    gain = Φ(-|d| / s) - E[Φ(-|d'| / s')],    d' ~ N(d, s² - s'²)

After ``k`` sheets (variance ``s_k²``) the expected wrong-side chance is
``E[Φ(-|d_k| / s_k)]`` with ``d_k ~ N(d, s² - s_k²)``, so the gain of the next sheet is the
fall of that expectation: returns diminish, and a close call already given a judge is
rightly less urgent than its ``d`` alone suggests.  Greedily, sheet by sheet, the (judge,
close call) pair with the largest gain is chosen among the judges with the lowest load of
the panel (so loads within one stay within one); a very uncertain close call can thus get
a second judge before a nearly settled one gets its first.  The formulas
are in docs/plugins/voting.md ("Judging confidence").
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

_NODES, _WEIGHTS = np.polynomial.hermite_e.hermegauss(40)
_WEIGHTS = _WEIGHTS / _WEIGHTS.sum()
DEFAULT_PRECISION = 1.0


@dataclass
class Uncertainty:
    """Where a close call stands: ``distance`` to the boundary and standard error ``se``.

    ``se_after`` is the standard error once the sheets planned so far are in (``None``:
    none planned yet).
    """

    distance: float
    se: float
    se_after: float | None = None


def wrong_side(distance: float, se: float) -> float:
    """The chance ``Φ(-|d| / s)`` that an item ``distance`` from the boundary is misplaced."""
    if se <= 0:
        return 0.0
    return 0.5 * math.erfc(abs(distance) / se / math.sqrt(2))


def expected_wrong_side(distance: float, se: float, se_after: float) -> float:
    """``E[Φ(-|d'| / s')]`` with ``d' ~ N(d, s² - s'²)`` (Gauss-Hermite, 40 nodes)."""
    if se_after <= 0:
        return 0.0
    spread = math.sqrt(max(se * se - se_after * se_after, 0.0))
    moved = np.abs(distance + spread * _NODES) / se_after
    return float((_WEIGHTS * 0.5 * np.vectorize(math.erfc)(moved / math.sqrt(2))).sum())


def sheet_gain(state: Uncertainty, precision: float, share: float = 1.0) -> float:
    """The expected fall of the wrong-side chance from one more sheet of ``precision``.

    ``share`` is the judges' share of the final score (1 - public weight).
    """
    if state.se <= 0 or precision <= 0 or share <= 0:
        return 0.0
    now = state.se if state.se_after is None else state.se_after
    after = _se_after(now, precision, share)
    return expected_wrong_side(state.distance, state.se, now) - expected_wrong_side(
        state.distance, state.se, after
    )


def _se_after(se: float, precision: float, share: float) -> float:
    return 1.0 / math.sqrt(1.0 / (se * se) + precision / (share * share))


def plan_top_up(
    close: list[int],
    assigned: dict[int, set[int]],
    eligible: dict[int, set[int]],
    load: Counter[int],
    extra: int,
    *,
    uncertainty: dict[int, Uncertainty] | None = None,
    precision: dict[int, float] | None = None,
    share: float = 1.0,
    avoid: set[int] | None = None,
) -> list[tuple[int, int]]:
    """Up to ``extra`` new (judge, innovation) pairs for the close calls; see the module doc.

    Candidates are eligible (no conflict), not yet assigned to the close call, not in
    ``avoid`` (flagged judges) and at the lowest load of the whole panel.  The pair with
    the largest :func:`sheet_gain` wins; ties go to the judge sharing the fewest
    innovations with the close call's current judges (linking), then to the earlier close
    call and the lower judge id.  Without ``uncertainty`` every close call counts as a
    coin toss on the boundary; a judge missing from ``precision`` counts as the median.
    Pure: updates ``assigned`` and ``load``.
    """
    avoid = avoid or set()
    precision = precision or {}
    typical = float(np.median(list(precision.values()))) if precision else DEFAULT_PRECISION
    state = {
        i: Uncertainty(**vars((uncertainty or {}).get(i, Uncertainty(0.0, 1.0)))) for i in close
    }
    order = {i: n for n, i in enumerate(close)}
    added: list[tuple[int, int]] = []
    while len(added) < extra:
        lowest = min(load.values(), default=0)
        best: tuple[tuple[float, int, int, int], int, int] | None = None
        for innovation in close:
            panel = assigned[innovation]
            for judge in eligible.get(innovation, set()):
                if judge in panel or judge in avoid or load[judge] != lowest:
                    continue
                gain = sheet_gain(state[innovation], precision.get(judge, typical), share)
                shared = sum(
                    1 for judged in assigned.values() if judge in judged and judged & panel
                )
                key = (-round(gain, 12), shared, order[innovation], judge)
                if best is None or key < best[0]:
                    best = (key, judge, innovation)
        if best is None:
            break
        _key, judge, innovation = best
        here = state[innovation]
        now = here.se if here.se_after is None else here.se_after
        here.se_after = _se_after(now, precision.get(judge, typical), share)
        assigned[innovation].add(judge)
        load[judge] += 1
        added.append((judge, innovation))
    return added
