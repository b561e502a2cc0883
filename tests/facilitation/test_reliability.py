"""The agreement statistics against their published worked examples (docs/research.md)."""

import pytest

from facilitation import reliability


def test_cohen_kappa_wikipedia_worked_example():
    # Wikipedia, "Cohen's kappa", simple example: 50 grant proposals read by A and B: both "yes" 20,
    # both "no" 15, A yes/B no 5, A no/B yes 10. pₒ = 0.7, pₑ = 0.5, κ = 0.4.
    pairs = [("yes", "yes")] * 20 + [("no", "no")] * 15 + [("yes", "no")] * 5 + [("no", "yes")] * 10
    assert reliability.cohen_kappa(pairs) == pytest.approx(0.4)


def test_cohen_kappa_edge_cases():
    assert reliability.cohen_kappa([]) is None
    assert reliability.cohen_kappa([("a", "a")] * 5) is None        # one category only: undefined
    assert reliability.cohen_kappa([("a", "a"), ("b", "b")]) == pytest.approx(1.0)
    assert reliability.cohen_kappa([("a", "b"), ("b", "a")]) == pytest.approx(-1.0)


# Wikipedia, "Fleiss' kappa", worked example: 14 raters put each of 10 subjects into one of 5
# categories. P̄ = 0.378, P̄ₑ = 0.213, κ = 0.210.
FLEISS_TABLE = [
    [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
]


def test_fleiss_kappa_wikipedia_worked_example():
    assert reliability.fleiss_kappa(FLEISS_TABLE) == pytest.approx(0.210, abs=5e-4)


def test_fleiss_kappa_needs_the_same_number_of_raters():
    with pytest.raises(ValueError):
        reliability.fleiss_kappa([[2, 0], [1, 2]])
    assert reliability.fleiss_kappa([]) is None


def test_fleiss_kappa_with_two_raters_and_no_chance_structure_matches_cohen_closely():
    # With two raters Fleiss' kappa is Scott's pi: equal to Cohen's kappa when the marginals match.
    pairs = [("a", "a")] * 10 + [("b", "b")] * 10 + [("a", "b")] * 3 + [("b", "a")] * 3
    table = [[2, 0]] * 10 + [[0, 2]] * 10 + [[1, 1]] * 6
    assert reliability.fleiss_kappa(table) == pytest.approx(reliability.cohen_kappa(pairs))


# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the nominal example with
# missing data (also on Wikipedia): 4 observers, 12 units, α = 0.743.
K = None
KRIPPENDORFF_BY_OBSERVER = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, K, K, K],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, K, 3],
    [K, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, K],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, K],
]


def test_krippendorff_alpha_published_nominal_example():
    units = [list(unit) for unit in zip(*KRIPPENDORFF_BY_OBSERVER)]
    assert reliability.krippendorff_alpha(units) == pytest.approx(0.743, abs=5e-4)


def test_krippendorff_alpha_two_coders_no_missing_is_close_to_scotts_pi():
    # Krippendorff's alpha for two coders, nominal, no missing data = Scott's pi × (1 − 1/2n) + 1/2n
    # (Krippendorff 2004): with n = 26 units and pi from the Fleiss (= Scott) kappa above.
    table = [[2, 0]] * 10 + [[0, 2]] * 10 + [[1, 1]] * 6
    units = [["a", "a"]] * 10 + [["b", "b"]] * 10 + [["a", "b"]] * 6
    pi, n = reliability.fleiss_kappa(table), len(units)
    assert reliability.krippendorff_alpha(units) == pytest.approx(1 - (1 - pi) * (2 * n - 1) / (2 * n))


def test_krippendorff_alpha_undefined_and_perfect():
    assert reliability.krippendorff_alpha([[1, K], [K, 2]]) is None    # nothing pairable
    assert reliability.krippendorff_alpha([[1, 1], [1, 1]]) is None    # one value only
    assert reliability.krippendorff_alpha([[1, 1], [2, 2], [3, 3, 3]]) == pytest.approx(1.0)


def test_pair_confusion_counts_each_pair_of_coders_once():
    units = [["a", "b"], ["b", "a"], ["a", "a", None], ["a", "b", "b"]]
    assert reliability.pair_confusion(units) == {("a", "b"): 4, ("a", "a"): 1, ("b", "b"): 1}
