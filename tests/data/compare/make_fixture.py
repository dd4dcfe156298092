"""Writes ties.json: SciPy's Spearman rho (scipy.stats.spearmanr) and Kendall tau-b
(scipy.stats.kendalltau, its default variant) of pairs of score vectors with ties, for
AgreementScipyTest and OriginalRankingCompareTest:

    python3 tests/data/compare/make_fixture.py > tests/data/compare/ties.json

Each vector has 24 scores: 3 candidate layers of 8 neurons, layer-major, as a score dict or
scores.npy holds them. "other" is float32 (as tn detect's scores.npy), "reference" float64 (as
the original implementation's score dict); both from fixed random seeds.
"""
import json

import numpy as np
import scipy
from scipy.stats import kendalltau, spearmanr


def cases():
    rng = np.random.default_rng(7)
    # coarse scores: many ties on both sides, some pairs tied on both; np.round leaves -0.0 beside 0.0 in
    # "other", which SciPy ties (as IEEE comparison does) and Java's Double.compare would not
    ref = np.round(rng.standard_normal(24), 1)
    yield "ties_both", ref, np.round(ref + rng.standard_normal(24) * 0.3, 0) / 2
    # ties in the reference only
    yield "ties_reference_only", np.round(rng.standard_normal(24) * 2) / 4, rng.standard_normal(24)
    # distinct float64 scores 1e-9 apart in pairs, which float32 rounds onto each other: ties in the run only
    # (a reading of the reference as float32 would tie them there too, and change both figures)
    base = rng.standard_normal(12)
    close = np.concatenate([base, base + 1e-9])
    yield "float32_ties", close, close
    # no ties at all
    yield "distinct", rng.standard_normal(24), rng.standard_normal(24)


def main():
    out = {"scipy": scipy.__version__, "cases": {}}
    for name, reference, other in cases():
        reference = np.asarray(reference, dtype=np.float64)
        other = np.asarray(other, dtype=np.float32).astype(np.float64)
        out["cases"][name] = {
            "reference": [float(v) for v in reference],
            "other": [float(v) for v in other],
            "spearman": float(spearmanr(reference, other).statistic),
            "kendall": float(kendalltau(reference, other).statistic),
        }
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
