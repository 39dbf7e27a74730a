"""The joint judge model: innovations' quality, judges' leniency and scale, fitted together.

Pure functions over arrays (numpy), deterministic, no database and no Flask.  The formulas
are in docs/plugins/voting.md ("The joint model").  For sheet ``s`` of judge ``j`` on
innovation ``i`` with score ``y`` (0-100)::

    y = m + l_j + c_j * t_i + e,      e ~ N(0, sigma_j^2)

``m`` is the pooled mean of all scores, ``t_i`` the innovation's quality as a typical judge
(``l = 0``, ``c = 1``) would score it above or below ``m``, ``l_j`` the judge's leniency in
points and ``c_j`` the judge's scale (1 = typical spread).  The fit minimises::

    sum_s w_j (y - m - l_j - c_j t_i)^2 + LAMBDA_L sum_j l_j^2 + LAMBDA_C V sum_j (c_j - 1)^2

by alternating least squares (every step is a closed form), where ``w_j = sigma^2 /
sigma_j^2`` (a judge whose scores wander far from the others counts less) and ``V`` is the
variance of the qualities.  The penalties act as ``LAMBDA_L`` and ``LAMBDA_C`` imaginary
sheets of a typical judge: a judge with few sheets is corrected less.  Leniencies are
centred within each connected group of judges, so groups that share no innovation are not
compared (their difference is not guessed, it stays in the scores).  A score at 0 or 100 is
censored (the judge may have meant more): after each round it is replaced by its expectation
beyond the end of the scale under the current fit (a Tobit EM step, :func:`_uncensor`).
Version ``joint-2`` (``joint-1`` took such scores at face value).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

MODEL_VERSION = "joint-2"
LAMBDA_L = 3.0
LAMBDA_C = 5.0
LAMBDA_SIGMA = 100.0
LAMBDA_MIN, LAMBDA_MAX = 0.5, 1000.0
ITEM_PRIOR = 3.0
ITERATIONS = 60
PENALTIES_FROM = 3
Z90 = 1.6448536269514722
SCALE_MIN, SCALE_MAX = 0.05, 5.0
TOP = 100.0


@dataclass
class Fit:
    """What :func:`fit` estimates; arrays are indexed like its ``n_items``/``n_judges``."""

    mean: float
    quality: np.ndarray
    score: np.ndarray
    se: np.ndarray
    low: np.ndarray
    high: np.ndarray
    leniency: np.ndarray
    scale: np.ndarray
    sigma: np.ndarray
    sheets: np.ndarray
    groups: list[list[int]]


def groups_of(judge: np.ndarray, item: np.ndarray, n_judges: int) -> list[list[int]]:
    """Connected groups of judges (linked by a shared innovation), largest first.

    Judges without a sheet are left out.
    """
    parent = list(range(n_judges))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first: dict[int, int] = {}
    for j, i in zip(judge.tolist(), item.tolist(), strict=True):
        if i in first:
            a, b = find(first[i]), find(j)
            if a != b:
                parent[max(a, b)] = min(a, b)
        else:
            first[i] = j
    members: dict[int, list[int]] = {}
    for j in sorted(set(judge.tolist())):
        members.setdefault(find(j), []).append(j)
    return sorted(members.values(), key=lambda g: (-len(g), g[0]))


def fit(judge: np.ndarray, item: np.ndarray, y: np.ndarray, n_judges: int, n_items: int) -> Fit:
    """Fit the joint model to sheets (``judge[s]``, ``item[s]``, ``y[s]``); see the module doc.

    Every innovation with at least one sheet gets ``score`` (0-100, what a typical judge
    would give), its standard error ``se`` and the 90 % interval ``[low, high]``;
    innovations without a sheet get NaN.
    """
    judge = np.asarray(judge, dtype=np.int64)
    item = np.asarray(item, dtype=np.int64)
    y = np.asarray(y, dtype=np.float64)
    observed = y
    at_top, at_bottom = y >= TOP - 1e-9, y <= 1e-9
    nan_items = np.full(n_items, np.nan)
    if y.size == 0:
        zeros = np.zeros(n_judges)
        return Fit(0.0, nan_items, nan_items, nan_items, nan_items, nan_items, zeros,
                   np.ones(n_judges), zeros, zeros, [])  # fmt: skip
    groups = groups_of(judge, item, n_judges)
    group_of = np.full(n_judges, -1, dtype=np.int64)
    for g, members in enumerate(groups):
        group_of[members] = g
    n_j = np.bincount(judge, minlength=n_judges).astype(np.float64)
    n_i = np.bincount(item, minlength=n_items).astype(np.float64)
    judged = n_i > 0
    m = float(y.mean())
    lenient = np.zeros(n_judges)
    scale = np.ones(n_judges)
    weight = np.ones(n_judges)
    pooled = float(y.var()) or 1.0
    sigma2 = np.full(n_judges, pooled)
    quality = np.zeros(n_items)
    lam_l, lam_c = LAMBDA_L, LAMBDA_C
    # residual inflation: an innovation's own quality absorbs 1/n_i of its residuals
    inflate = np.where(n_i[item] > 1, n_i[item] / np.maximum(n_i[item] - 1, 1), 0.0)
    sheet_group = group_of[judge]
    group_sheets = np.bincount(sheet_group, minlength=len(groups)).astype(np.float64)
    for step in range(ITERATIONS):
        w = weight[judge]
        c = scale[judge]
        num = np.bincount(item, weights=w * c * (y - m - lenient[judge]), minlength=n_items)
        den = np.bincount(item, weights=w * c * c, minlength=n_items)
        quality = np.where(judged, num / np.maximum(den, 1e-12), 0.0)
        resid = y - m - scale[judge] * quality[item]
        resid_sum = np.bincount(judge, weights=resid, minlength=n_judges)
        own_l = resid_sum / np.maximum(n_j, 1)  # unshrunk, for the penalties
        lenient = resid_sum / (n_j + lam_l)
        shift = np.bincount(sheet_group, weights=lenient[judge], minlength=len(groups))
        lenient = lenient - (shift / np.maximum(group_sheets, 1))[np.maximum(group_of, 0)]
        lenient[n_j == 0] = 0.0
        variance = float(np.mean(quality[judged] ** 2)) or 1.0
        t = quality[item]
        top = np.bincount(judge, weights=t * (y - m - lenient[judge]), minlength=n_judges)
        bottom = np.bincount(judge, weights=t * t, minlength=n_judges)
        prior_c = lam_c * variance
        own_c = top / np.maximum(bottom, 1e-9)  # unshrunk, for the penalties
        scale = (top + prior_c) / (bottom + prior_c)
        scale = np.clip(scale, SCALE_MIN, SCALE_MAX)
        # the typical judge has scale 1: normalise within each group (precision-weighted)
        norm_w = n_j * weight
        avg = np.bincount(group_of[n_j > 0], weights=(norm_w * scale)[n_j > 0],
                          minlength=len(groups))  # fmt: skip
        tot = np.bincount(group_of[n_j > 0], weights=norm_w[n_j > 0], minlength=len(groups))
        factor = np.where(tot > 0, avg / np.maximum(tot, 1e-12), 1.0)
        scale = np.where(n_j > 0, scale / factor[np.maximum(group_of, 0)], 1.0)
        resid = y - m - lenient[judge] - scale[judge] * quality[item]
        sq = np.bincount(judge, weights=resid**2 * inflate, minlength=n_judges)
        counted = np.bincount(judge, weights=(inflate > 0).astype(float), minlength=n_judges)
        own = counted > 0
        if own.any():  # the typical judge's noise: robust to one judge scoring at random
            pooled = max(float(np.median(sq[own] / counted[own])), 1e-6)
        sigma2 = (sq + LAMBDA_SIGMA * pooled) / (counted + LAMBDA_SIGMA)
        weight = pooled / sigma2
        if at_top.any() or at_bottom.any():  # scores at 0 or 100 are censored
            expected = m + lenient[judge] + scale[judge] * quality[item]
            y = _uncensor(observed, at_top, at_bottom, expected, np.sqrt(sigma2)[judge])
        if step + 1 >= PENALTIES_FROM:
            lam_l, lam_c = _penalties(own_l, own_c, sigma2, n_j, bottom, pooled, variance)
    # final qualities with the final parameters
    w = weight[judge]
    c = scale[judge]
    num = np.bincount(item, weights=w * c * (y - m - lenient[judge]), minlength=n_items)
    info = np.bincount(item, weights=w * c * c, minlength=n_items)
    quality = np.where(judged, num / np.maximum(info, 1e-12), np.nan)
    resid = y - m - lenient[judge] - scale[judge] * np.nan_to_num(quality)[item]
    # how far the innovation's judges disagree beyond what their noise explains
    ratio_num = np.bincount(item, weights=w * resid**2 * inflate / pooled, minlength=n_items)
    with_resid = np.bincount(item, weights=(inflate > 0).astype(float), minlength=n_items)
    ratio = (ITEM_PRIOR + ratio_num) / (ITEM_PRIOR + with_resid)
    var_l = sigma2 / (n_j + LAMBDA_L)
    lenient_part = np.bincount(item, weights=(w * c) ** 2 * var_l[judge], minlength=n_items)
    safe_info = np.maximum(info, 1e-12)
    var = ratio * pooled / safe_info + lenient_part / safe_info**2
    se = np.where(judged, np.sqrt(var), np.nan)
    score = np.clip(m + quality, 0.0, 100.0)
    low = np.clip(score - Z90 * se, 0.0, score)
    high = np.clip(score + Z90 * se, score, 100.0)
    return Fit(
        mean=m,
        quality=quality,
        score=np.where(judged, score, np.nan),
        se=se,
        low=np.where(judged, low, np.nan),
        high=np.where(judged, high, np.nan),
        leniency=lenient,
        scale=np.where(n_j > 0, scale, 1.0),
        sigma=np.sqrt(sigma2),
        sheets=n_j,
        groups=groups,
    )


def _uncensor(
    observed: np.ndarray,
    at_top: np.ndarray,
    at_bottom: np.ndarray,
    expected: np.ndarray,
    sigma: np.ndarray,
) -> np.ndarray:
    """Sheets at the end of the scale, replaced by what the judge meant (Tobit EM step).

    A sheet of 100 says the judge's score, had the scale gone further, is at least 100:
    its expectation given the current fit is ``mu + sigma phi(a) / (1 - Phi(a))`` with
    ``a = (100 - mu) / sigma``; likewise below 0.
    """
    y = observed.copy()
    for mask, sign in ((at_top, 1.0), (at_bottom, -1.0)):
        if not mask.any():
            continue
        mu, sd = expected[mask], np.maximum(sigma[mask], 1e-6)
        edge = TOP if sign > 0 else 0.0
        a = sign * (edge - mu) / sd
        tail = 0.5 * np.vectorize(math.erfc)(a / math.sqrt(2))
        density = np.exp(-0.5 * a * a) / math.sqrt(2 * math.pi)
        mills = np.where(tail > 1e-12, density / np.maximum(tail, 1e-12), np.maximum(a, 0.0))
        beyond = mu + sign * sd * mills
        y[mask] = np.maximum(beyond, edge) if sign > 0 else np.minimum(beyond, edge)
    return y


def _penalties(
    lenient: np.ndarray,
    scale: np.ndarray,
    sigma2: np.ndarray,
    n_j: np.ndarray,
    bottom: np.ndarray,
    pooled: float,
    variance: float,
) -> tuple[float, float]:
    """Empirical-Bayes penalties: how much the judges really differ, beyond their noise.

    ``tau_l^2 = mean(l_j^2) - mean(sigma_j^2 / n_j)`` (the spread of true leniencies) gives
    ``lambda_l = sigma^2 / tau_l^2``; likewise ``tau_c^2`` from the scales with the noise
    ``sigma_j^2 / sum t_i^2``, giving ``lambda_c = sigma^2 / (tau_c^2 V)``.  Judges who
    hardly differ are thus hardly corrected, so mild biases keep the raw mean's ranking.
    Both are kept within ``[LAMBDA_MIN, LAMBDA_MAX]`` sheets.
    """
    seen = n_j > 0
    if seen.sum() < 2:
        return LAMBDA_L, LAMBDA_C
    noise_l = sigma2[seen] / n_j[seen]
    tau_l = max(float(np.mean(lenient[seen] ** 2) - np.mean(noise_l)), 1e-9)
    noise_c = sigma2[seen] / np.maximum(bottom[seen], 1e-9)
    tau_c = max(float(np.mean((scale[seen] - 1) ** 2) - np.mean(noise_c)), 1e-9)
    lam_l = float(np.clip(pooled / tau_l, LAMBDA_MIN, LAMBDA_MAX))
    lam_c = float(np.clip(pooled / (tau_c * max(variance, 1e-9)), LAMBDA_MIN, LAMBDA_MAX))
    return lam_l, lam_c


def sheet_precision(model: Fit) -> np.ndarray:
    """Per judge: how much one more sheet tells about an innovation's quality.

    A sheet gives ``(y - m - l_j) / c_j`` with variance ``(sigma_j^2 + var l_j) / c_j^2``,
    so its precision is ``c_j^2 / (sigma_j^2 (1 + 1 / (n_j + LAMBDA_L)))``: a judge who spreads the
    scale widely, scores consistently and whose leniency is well known tells most.
    """
    sigma2 = model.sigma**2
    var_l = sigma2 / (model.sheets + LAMBDA_L)
    return model.scale**2 / np.maximum(sigma2 + var_l, 1e-12)


def rank_correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman's rank correlation (average ranks for ties); 0 when either is constant."""
    if a.size < 2:
        return 0.0
    ra, rb = _ranks(a), _ranks(b)
    ra, rb = ra - ra.mean(), rb - rb.mean()
    den = float(np.sqrt((ra**2).sum() * (rb**2).sum()))
    return float((ra * rb).sum() / den) if den > 0 else 0.0


def _ranks(values: np.ndarray) -> np.ndarray:
    order = np.argsort(values, kind="mergesort")
    ranks = np.empty(values.size)
    ranks[order] = np.arange(values.size, dtype=np.float64)
    sorted_values = values[order]
    start = 0
    for end in range(1, values.size + 1):
        if end == values.size or sorted_values[end] != sorted_values[start]:
            ranks[order[start:end]] = (start + end - 1) / 2
            start = end
    return ranks


def agreement(
    model: Fit, judge: np.ndarray, item: np.ndarray, y: np.ndarray, j: int
) -> tuple[float | None, int]:
    """(Spearman of judge ``j``'s scores with the others' corrected consensus, shared count).

    The consensus of an innovation is the precision-weighted mean of the other judges'
    corrected scores ``(y - m - l_k) / c_k``; ``None`` under three shared innovations.
    """
    mine = judge == j
    items = item[mine]
    others = ~mine & np.isin(item, items)
    if not others.any():
        return None, 0
    k = judge[others]
    corrected = (y[others] - model.mean - model.leniency[k]) / model.scale[k]
    wk = (model.scale[k] / model.sigma[k]) ** 2
    n = int(item.max()) + 1
    num = np.bincount(item[others], weights=wk * corrected, minlength=n)
    den = np.bincount(item[others], weights=wk, minlength=n)
    shared = den[items] > 0
    if int(shared.sum()) < 3:
        return None, int(shared.sum())
    consensus = num[items][shared] / den[items][shared]
    return rank_correlation(y[mine][shared], consensus), int(shared.sum())
