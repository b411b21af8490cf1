"""Tension: a fast, decaying state raised by triggers and pulled toward one's contacts.

    tau' = clip( tau + a (m - tau) - d (tau - b) + I , 0, 1 ),   b = lambda * s * pi

b is the level the stakes hold a person at (lambda the stake level, s the stage's stakes, pi the
person's partisanship: a committed supporter stays more wound up while a lot is at stake); m is
the mean tension of one's contacts (DeGroot-style social influence over the row-normalised offline
adjacency, blended with the online group's mean); a the influence weight; d the daily decay; I the
day's inputs: believed hoaxes, provocations, rallies of the rival camp and money politics seen
(each x stakes), violence in the village or next door and crowd arousal (not scaled by stakes),
minus mediation relief (`village_inputs`, `hoax_input`). Parameters: docs/ODD.md §7.3.

The model evaluates the same equation through `Operator`: with m = (1 - w) A tau + w g (A the
row-normalised offline adjacency, w the online weight, g = q (S - tau) the mean of the other
members of one's online group, S the group's sum and q = 1 / (group size - 1)) it is affine in tau,

    tau' = clip( a(1-w) A tau  +  r tau  +  k S  +  (d lambda s) pi  +  I , 0, 1 ),
    r = 1 - a - d - a w q,   k = a w q,

so a day is one sparse product and a few passes instead of a dozen (docs/ODD.md §7.18a: the
float32 rounding differs from evaluating the first form step by step, as tests/test_kernels.py does
in float64 to check it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

try:  # the kernel behind `csr_matrix @ vector`; see _accumulate_product
    from scipy.sparse._sparsetools import csr_matvec as _csr_matvec
except ImportError:  # pragma: no cover
    _csr_matvec = None


@dataclass(frozen=True)
class Operator:
    """The day's tension update as an affine map (module docstring), built once per network and
    parameter set: `key` says for which (influence a, decay d) it was built. Partisanship is read
    each day (a user may set a Villager's), not kept here."""

    key: tuple[float, float]
    offline: sp.csr_matrix  # a (1 - w) A, float32
    own: np.ndarray  # r, float32
    group_weight: np.ndarray  # k, float32
    n_groups: int
    membership_t: sp.csr_matrix | None  # groups x people, to sum each group's tension
    # people x (groups + 1): row i holds k_i at person i's group, or at the last (padding) slot,
    # whose sum is 0, for the people outside any group
    group_read: sp.csr_matrix
    # a (1 - w) A_across: the share of contacts outside this model (a partitioned province's ties
    # across a kab/kota border), read against their tension (`apply`'s `outside`); None: no such ties
    across: sp.csr_matrix | None = None

    @classmethod
    def build(
        cls, influence: sp.csr_matrix, group: np.ndarray, membership_t: sp.csr_matrix | None,
        inv_others: np.ndarray, online_weight: np.ndarray, influence_weight: float, decay: float,
        influence_across: sp.csr_matrix | None = None,
    ) -> Operator:
        a, d = float(influence_weight), float(decay)
        w = np.asarray(online_weight, dtype=np.float64)
        q = np.asarray(inv_others, dtype=np.float64)
        n_groups = 0 if membership_t is None else membership_t.shape[0]
        offline = _weighted(influence, a * (1.0 - w))
        across = None if influence_across is None else _weighted(influence_across, a * (1.0 - w))
        group_weight = (a * w * q).astype(np.float32)
        group_index = np.where(group >= 0, group, n_groups)
        return cls(
            key=(a, d),
            offline=offline,
            own=(1.0 - a - d - a * w * q).astype(np.float32),
            group_weight=group_weight,
            n_groups=n_groups,
            membership_t=membership_t,
            group_read=_one_per_row(group_index, group_weight, n_groups + 1),
            across=across,
        )

    def apply(
        self, tension: np.ndarray, partisanship: np.ndarray, baseline_gain: float | np.ndarray, inputs: np.ndarray, out: np.ndarray,
        outside: np.ndarray | None = None,
    ) -> np.ndarray:
        """tau' into `out` (which may be `inputs`, not `tension`), with baseline_gain = d lambda s;
        `tension` is never modified. The terms are added to today's inputs in place and the sparse
        product last, accumulated straight into `out` (no day-sized temporaries), in float32.
        `outside`: this morning's tension of the contacts outside this model, one per slot of
        `across` (required when there are such ties: a missing one would read them as calm)."""
        if self.across is not None and outside is None:
            raise ValueError("this network has ties outside the model: pass their tension (`outside`)")
        if out is not inputs:
            np.copyto(out, inputs)
        if self.across is not None:
            _accumulate_product(self.across, np.asarray(outside, dtype=np.float32), out)
        scratch = np.multiply(self.own, tension)
        out += scratch
        if self.membership_t is not None and self.n_groups:
            sums = np.zeros(self.n_groups + 1, dtype=np.float32)
            sums[:-1] = self.membership_t @ tension
            # out_i += k_i * S_g(i): the CSR kernel on one entry per row does exactly this sum with
            # this product, in one pass instead of a gather, a product and a sum over a million
            _accumulate_product(self.group_read, sums, out)
        np.multiply(partisanship, np.float32(baseline_gain), out=scratch)
        out += scratch
        _accumulate_product(self.offline, tension, out)
        return np.clip(out, 0.0, 1.0, out=out)


def _weighted(influence: sp.csr_matrix, row_weight: np.ndarray) -> sp.csr_matrix:
    """diag(row_weight) @ A on A's own pattern, products in float64 then one rounding to float32."""
    scale = np.repeat(row_weight, np.diff(influence.indptr))
    out = sp.csr_matrix(
        ((influence.data.astype(np.float64) * scale).astype(np.float32), influence.indices.copy(), influence.indptr.copy()),
        shape=influence.shape,
    )
    out.sort_indices()
    return out


def _one_per_row(column: np.ndarray, value: np.ndarray, n_columns: int) -> sp.csr_matrix:
    """The CSR matrix with the single entry value[i] at (i, column[i]) in every row i, kept even
    where value[i] is 0: row i's product is then value[i] * x[column[i]], as a gather and a
    product give it, and adding it to out[i] is the same rounding as adding their result."""
    n = len(column)
    idx = np.int32 if max(n, n_columns) < 2**31 else np.int64
    indptr = np.arange(n + 1, dtype=idx)
    return sp.csr_matrix((value, column.astype(idx), indptr), shape=(n, n_columns), copy=False)


def _accumulate_product(matrix: sp.csr_matrix, x: np.ndarray, out: np.ndarray) -> None:
    """out += matrix @ x. scipy's CSR kernel adds each row's sum to what `out` holds, which
    spares the day's largest temporary (4 MB at a million people) and one pass over it; the
    public operator is the fallback should that kernel's signature ever change."""
    try:
        _csr_matvec(matrix.shape[0], matrix.shape[1], matrix.indptr, matrix.indices, matrix.data, x, out)
    except (TypeError, ValueError):  # pragma: no cover - only with an incompatible scipy
        out += matrix @ x


def village_inputs(
    money_today: np.ndarray,
    violence_exposure: np.ndarray,
    village_adjacency: sp.csr_matrix,
    rally_today: np.ndarray,
    relief: np.ndarray,
    stakes: float | np.ndarray,
    *,
    money_gain: float,
    violence_gain: float,
    violence_spillover: float,
    rally_rival_gain: float,
    outrage: np.ndarray | None = None,
    outrage_gain: float = 0.0,
    external_exposure: np.ndarray | None = None,
) -> np.ndarray:
    """I[v, c]: today's tension input for a person of village v leaning to camp c, from money
    politics handed out, violence in v or next door, mediation `relief`, rallies of rival camps and
    (campaign violence, §7.22) yesterday's attacks on camp c in v (`outrage`, 0..1 per cell).
    `stakes`: one number, or one per village where races stand at different stages (§7.1a).
    `external_exposure`: violence seen next door across a kab/kota border that is not part of this
    model (a partitioned province, §7.13e): the neighbours' exposure summed, spilling over alike."""
    exposure = violence_exposure + violence_spillover * (village_adjacency @ violence_exposure)
    if external_exposure is not None:
        exposure = exposure + violence_spillover * external_exposure
    village_in = money_gain * stakes * np.minimum(money_today.sum(axis=1), 1.0) + violence_gain * np.minimum(exposure, 1.0) - relief
    rallies = rally_today.astype(np.float64)
    rival = rallies.sum(axis=1, keepdims=True) - rallies
    per_cell = stakes if np.ndim(stakes) == 0 else np.asarray(stakes)[:, None]  # stakes per village: one per row
    table = village_in[:, None] + rally_rival_gain * per_cell * rival
    if outrage is not None and outrage_gain > 0:
        table += outrage_gain * per_cell * outrage
    return table


def hoax_input(partisanship: np.ndarray, gain: float, stakes: float | np.ndarray) -> np.ndarray:
    """A spreader believes the story: gain x stakes x (0.5 + partisanship)."""
    return gain * stakes * (0.5 + partisanship)


def provoked(reach: float, n_provocations: int, u: np.ndarray) -> np.ndarray:
    """Who of a village is reached by `n_provocations` provocations, each reaching a share `reach`."""
    return u < 1 - (1 - reach) ** n_provocations
