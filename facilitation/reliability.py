"""Inter-coder agreement for nominal codes: Cohen's kappa (two coders), Fleiss' kappa and
Krippendorff's alpha (any number of coders; alpha also allows missing codes). Pure Python over a
sample's few hundred codes at most; each formula is tested against its published worked example
(tests/facilitation/test_reliability.py) and documented in docs/research.md.

Every function returns None where the figure is undefined (nothing to compare, or every code the
same so chance agreement is already 1) instead of a misleading number.
"""

from collections import Counter
from itertools import combinations, permutations


def cohen_kappa(pairs: list[tuple]) -> float | None:
    """Cohen (1960): κ = (pₒ − pₑ) ÷ (1 − pₑ) over units both coders coded, `pairs` = [(a, b)]:
    pₒ the share of units where a == b, pₑ = Σ_c p_A(c)·p_B(c) from each coder's own marginals."""
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(1 for a, b in pairs if a == b) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[c] * second[c] for c in first) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def fleiss_kappa(table: list[list[int]]) -> float | None:
    """Fleiss (1971): `table[i][j]` = how many of the n raters put unit i in category j (every row
    sums to the same n ≥ 2). κ = (P̄ − P̄ₑ) ÷ (1 − P̄ₑ)."""
    rows = [row for row in table if sum(row)]
    if not rows:
        return None
    n = sum(rows[0])
    if n < 2 or any(sum(row) != n for row in rows):
        raise ValueError("Fleiss' kappa needs the same number (≥ 2) of ratings for every unit.")
    units = len(rows)
    p_bar = sum((sum(x * x for x in row) - n) / (n * (n - 1)) for row in rows) / units
    totals = [sum(col) for col in zip(*rows)]
    p_e = sum((t / (units * n)) ** 2 for t in totals)
    if p_e == 1:
        return None
    return (p_bar - p_e) / (1 - p_e)


def coincidences(units: list[list]) -> Counter:
    """Krippendorff's coincidence matrix o_ck for nominal values: each unit with m ≥ 2 values adds
    1/(m − 1) for every ordered pair of its values from different coders. None = not coded."""
    matrix: Counter = Counter()
    for values in units:
        present = [v for v in values if v is not None]
        m = len(present)
        if m < 2:
            continue
        for a, b in permutations(present, 2):
            matrix[(a, b)] += 1 / (m - 1)
    return matrix


def krippendorff_alpha(units: list[list]) -> float | None:
    """Krippendorff's alpha, nominal metric: α = 1 − Dₒ/Dₑ = 1 − (n − 1)·Σ_{c≠k} o_ck ÷ Σ_{c≠k} n_c·n_k,
    over pairable values only (units coded by at least two coders); missing codes are None."""
    o = coincidences(units)
    totals: Counter = Counter()
    for (c, _k), value in o.items():
        totals[c] += value
    n = sum(totals.values())
    if n <= 1:
        return None
    disagree = sum(value for (c, k), value in o.items() if c != k)
    expected = sum(totals[c] * totals[k] for c in totals for k in totals if c != k)
    if expected == 0:
        return None
    return 1 - (n - 1) * disagree / expected


def pair_confusion(units: list[list]) -> Counter:
    """(code, code) → how often two coders gave those two codes to the same unit, over every pair
    of coders; a pair is counted once with its codes in sorted order (the table is symmetric)."""
    counts: Counter = Counter()
    for values in units:
        for a, b in combinations([v for v in values if v is not None], 2):
            counts[tuple(sorted((a, b), key=str))] += 1
    return counts
