"""Vectorised parametric bootstrap behind WHO HEAT's simulation limits (used by ``inequality``).

HEAT (healthequal) calls ``set.seed(seed)`` at the start of every measure function, so every
group — every indicator, year and dimension — is simulated from the *same* seeded stream of
standard normals. We do the same, and that is what makes the bootstrap cheap at national scale:
one matrix ``Z`` of ``repetitions`` × (largest group) standard normals is drawn once per call, and
replicate r of subgroup j in every group is ``y_j + se_j · Z[r, j]``. ``Z`` is filled subgroup by
subgroup (``Z[r, j]`` is draw ``j · repetitions + r`` of the stream), so a group's limits depend
only on its own data, ``seed`` and ``repetitions`` — not on which other groups are in the call.

HEAT redraws a value outside the possible range (below 0; above 100 on a per-cent scale) until it
falls inside. A redraw of ``Z[r, j]`` takes ``Z_t[r, j]`` from the t-th extra matrix of the same
seeded sequence (t = 1, 2, …, at most 1000 redraws, as before), so redraws too are identical
for identical subgroups. Only subgroups whose extreme draws can leave the range are examined.

The replicates are built in blocks of groups of similar size, padded to the block's largest
group, in float32 *centred on the group's point mean* (so the rounding is relative to the spread
between subgroups, not to the level: about 1e-6 of the measure, far below the simulation noise).
Sums over subgroups are float32 matrix products; means, ratios and percentiles are float64. Every measure of a replicate comes from a handful
of array passes and batched matrix products; nothing loops over groups in Python except the
blocks (about 75 for 2 830 groups of 272 subgroups × 100 replicates), and the percentiles come
from one sort of the replicates (R's quantile type 7), which is faster than ``np.percentile``.
"""

from __future__ import annotations

import numpy as np

#: Bootstrap-limit measures, in output order.
MEASURES = ("bgsd", "cov", "idisu", "idisw", "mdbu", "mdbw", "mdmu", "mdmw", "mdru", "mdrw")
#: float32 elements per block (4 MiB): large enough to amortise NumPy's call overhead, small
#: enough to stay in cache (2^19–2^21 are equally fast here; 2^22 is 35 % slower).
BLOCK = 1 << 20
#: HEAT redraws an out-of-range value until it is in range; we stop after this many redraws.
MAX_REDRAWS = 1000


class _Stream:
    """The seeded standard normals: ``first`` is Z, ``next()`` gives Z_1, Z_2, … for redraws."""

    def __init__(self, seed: int | None, repetitions: int, width: int) -> None:
        self._root = np.random.SeedSequence(seed)
        self._shape = (width, repetitions)
        self.first = self.next()

    def next(self) -> np.ndarray:
        rng = np.random.default_rng(self._root.spawn(1)[0])
        return rng.standard_normal(self._shape).T


def percentiles(values: np.ndarray, percents: list[float]) -> np.ndarray:
    """R's quantile type 7 (NumPy's "linear") along the last axis, percents first.

    A sort of the short replicate rows is several times faster than ``np.percentile``'s
    selection; rows holding NaN give NaN, as ``np.percentile`` does.
    """
    ordered = np.sort(values, axis=-1)
    n = values.shape[-1]
    position = np.asarray(percents, dtype=float) / 100 * (n - 1)
    low = np.floor(position).astype(np.int64)
    high = np.minimum(low + 1, n - 1)
    fraction = position - low
    below, above = ordered[..., low], ordered[..., high]
    with np.errstate(invalid="ignore"):
        cut = below + (above - below) * fraction
    cut[np.isnan(ordered[..., -1])] = np.nan
    return np.moveaxis(cut, -1, 0)


def _out_of_range(y, se, column, z, upper):
    """(subgroup, replicate) pairs where ``y + se · z[replicate, column]`` leaves [0, upper].

    Each column of ``z`` is sorted once; a subgroup's out-of-range replicates are then the
    first (below 0) and last (above ``upper``) entries of its column's order, found with one
    search per subgroup instead of a comparison per replicate.
    """
    reps, width = z.shape
    rank = np.argsort(z, axis=0, kind="stable")
    ordered = np.take_along_axis(z, rank, axis=0)
    bound = float(np.abs(z).max()) + 1
    # One sorted array for all columns: column j is shifted by j · 4 · bound.
    offset = np.arange(width) * (4 * bound)
    keys = (ordered + offset).T.ravel()
    shift = offset[column]
    low = np.clip(-y / se, -2 * bound, 2 * bound)
    below = np.searchsorted(keys, low + shift, side="left") - column * reps
    above = np.zeros_like(below)
    if upper is not None:
        high = np.clip((upper - y) / se, -2 * bound, 2 * bound)
        above = column * reps + reps - np.searchsorted(keys, high + shift, side="right")
    counts = below + above
    sub = np.repeat(np.arange(len(y)), counts)
    within = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    # Positions 0 … below−1 of the sorted column are too low, reps−above … reps−1 too high.
    position = np.where(within < below[sub], within, reps - counts[sub] + within)
    return sub, rank[position, column[sub]]


def _redraw(y, se, column, stream, upper):
    """Out-of-range replicates of the risky subgroups, redrawn as HEAT does.

    ``y``/``se``/``column`` describe the subgroups that can leave [0, upper]. Returns the
    subgroup (index into those arrays, ascending), replicate and final value of every replicate
    that had to be redrawn; all others keep ``y + se · Z``.
    """
    i, r = _out_of_range(y, se, column, stream.first, upper)
    values = np.empty(len(i))
    pending = np.arange(len(i))
    for _ in range(MAX_REDRAWS):
        if not len(pending):
            break
        fresh = stream.next()
        at = i[pending]
        candidate = y[at] + se[at] * fresh[r[pending], column[at]]
        values[pending] = candidate
        bad = candidate < 0
        if upper is not None:
            bad |= candidate > upper
        pending = pending[bad]
    return i, r, values


def simulate(
    y: np.ndarray,
    se: np.ndarray,
    weight: np.ndarray,
    starts: np.ndarray,
    sizes: np.ndarray,
    centre: np.ndarray,
    pop_mean: np.ndarray,
    ref: np.ndarray,
    groups: np.ndarray,
    *,
    wanted: list[str],
    favourable: bool,
    scale: float,
    repetitions: int,
    seed: int | None,
    percents: list[float],
) -> dict[str, np.ndarray]:
    """Percentile limits of the ``wanted`` bootstrap measures for the ``groups`` listed.

    Flat inputs hold all groups' subgroups back to back (``starts``/``sizes`` per group);
    ``weight`` is the population share (or 1/k without populations), ``centre`` the group's point
    mean, ``pop_mean`` whether the mean is re-derived per replicate (True) or a fixed setting
    average, ``ref`` the flat position of the reference subgroup (−1 if none). Returns, per
    measure, an array (number of groups × len(percents)), NaN for groups not listed.
    """
    n_groups = len(starts)
    out = {m: np.full((n_groups, len(percents)), np.nan) for m in wanted}
    if len(groups) == 0 or not wanted:
        return out
    width = int(sizes[groups].max())
    stream = _Stream(seed, repetitions, width)
    z = stream.first
    z32 = z.astype(np.float32)
    upper = 100.0 if scale == 100 else None

    # Subgroups whose lowest or highest draw leaves the range get HEAT's redraws (float64).
    gid = np.repeat(np.arange(n_groups), sizes)
    member = np.zeros(n_groups, dtype=bool)
    member[groups] = True
    local = np.arange(len(y)) - starts[gid]
    in_use = member[gid] & (local < width)
    z_low, z_high = z.min(axis=0), z.max(axis=0)
    zl = z_low[np.minimum(local, width - 1)]
    zh = z_high[np.minimum(local, width - 1)]
    risky = in_use & (se > 0) & (y + se * zl < 0)
    if upper is not None:
        risky |= in_use & (se > 0) & (y + se * zh > upper)
    # Blocks of groups of similar size, largest first.
    order = groups[np.argsort(-sizes[groups], kind="stable")]
    blocks = []
    begin = 0
    while begin < len(order):
        count = max(1, BLOCK // (repetitions * int(sizes[order[begin]])))
        blocks.append(order[begin : begin + count])
        begin += count
    block_of = np.full(n_groups, -1)
    slot = np.zeros(n_groups, dtype=np.int64)
    for b, block in enumerate(blocks):
        block_of[block] = b
        slot[block] = np.arange(len(block))
    # Patches (block, slot, replicate, subgroup, value) for the redrawn replicates.
    patch_bounds = np.zeros(len(blocks) + 1, dtype=np.int64)
    patch = None
    if risky.any():
        flat = np.flatnonzero(risky)
        i, r, values = _redraw(y[flat], se[flat], local[flat], stream, upper)
        owner = gid[flat[i]]
        key = block_of[owner]
        # Radix sort (16-bit keys) when it can: patches are many, blocks few.
        sort = np.argsort(key.astype(np.uint16) if len(blocks) < 65536 else key, kind="stable")
        patch = (slot[owner][sort], r[sort], local[flat[i]][sort], values[sort], owner[sort])
        patch_bounds[1:] = np.cumsum(np.bincount(block_of[owner], minlength=len(blocks)))

    need_ref = bool({"mdru", "mdrw"} & set(wanted))
    for b, block in enumerate(blocks):
        k_max = int(sizes[block[0]])
        k = sizes[block]
        cols = np.arange(k_max)
        valid = cols[None, :] < k[:, None]
        index = starts[block][:, None] + np.where(valid, cols[None, :], 0)
        c = centre[block]
        yc = np.where(valid, y[index] - c[:, None], 0).astype(np.float32)
        s = np.where(valid, se[index], 0).astype(np.float32)
        w = np.where(valid, weight[index], 0)
        weights = np.stack([valid.astype(np.float32), w.astype(np.float32)], axis=-1)
        sims = s[:, None, :] * z32[None, :, :k_max]
        sims += yc[:, None, :]
        if patch is not None and patch_bounds[b + 1] > patch_bounds[b]:
            part = slice(patch_bounds[b], patch_bounds[b + 1])
            at, rep, sub, values, owner = (x[part] for x in patch)
            sims[at, rep, sub] = values - centre[owner]
        # Padding repeats the group's first subgroup (weight 0), so it cannot change a maximum.
        pad_b, pad_j = np.nonzero(~valid)
        if len(pad_b):
            sims[pad_b, :, pad_j] = sims[pad_b, :, 0]
        sums = np.matmul(sims, weights).astype(np.float64)  # (block, R, 2): Σy, Σw·y
        shift = np.where(pop_mean[block][:, None], sums[..., 1], 0.0)  # replicate mean − centre
        mean = c[:, None] + shift
        best = sims.max(axis=2) if favourable else sims.min(axis=2)
        found: dict[str, np.ndarray] = {}
        kk = k[:, None].astype(np.float64)
        rb = ref[block]
        has = rb >= 0
        if need_ref and has.any():
            at = np.where(has, rb - starts[block], 0)
            gap = sims - sims[np.arange(len(block)), :, at][:, :, None]
            np.abs(gap, out=gap)
            ref_sums = np.matmul(gap, weights).astype(np.float64)
            found["mdru"] = np.where(has[:, None], ref_sums[..., 0] / kk, np.nan)
            found["mdrw"] = np.where(has[:, None], ref_sums[..., 1], np.nan)
        sims -= shift.astype(np.float32)[:, :, None]
        np.abs(sims, out=sims)
        dev = np.matmul(sims, weights).astype(np.float64)  # Σ|y − μ|, Σw·|y − μ|
        np.square(sims, out=sims)
        bgv = np.matmul(sims, weights[..., 1:]).astype(np.float64)[..., 0]
        with np.errstate(divide="ignore", invalid="ignore"):
            found["bgsd"] = np.sqrt(bgv)
            found["cov"] = 100 * found["bgsd"] / mean
            found["idisu"] = 100 * dev[..., 0] / kk / mean
            found["idisw"] = 100 * dev[..., 1] / mean
            found["mdbu"] = np.abs(best - sums[..., 0] / kk)
            found["mdbw"] = np.abs(best - sums[..., 1])
            found["mdmu"] = dev[..., 0] / kk
            found["mdmw"] = dev[..., 1]
        # HEAT's percentile limits (R quantile type 7); measures not found stay NaN.
        done = [m for m in wanted if m in found]
        cuts = percentiles(np.stack([found[m] for m in done]), percents)
        for i, m in enumerate(done):
            out[m][block] = cuts[:, i, :].T
    return out
