"""Writes the effective-dimensionality fixtures: float32 hidden-state matrices (one .npy per case)
and expected.json, NumPy's figures for each, computed as the original implementation's
analysis/lang_latent_space/svd.py does (np.linalg.svd of the uncentred states, then
k = searchsorted(cumsum(s^2 / sum s^2), t) + 1), in float64 on the float32 values:

    python3 tests/data/svd/make_fixtures.py tests/data/svd

Every input comes from NumPy's default_rng with a fixed seed, so the files are reproducible.
"""
import json
import sys
import warnings
from pathlib import Path

import numpy as np

THRESHOLDS = [0.9, 0.95, 0.99]


def cases():
    rng = np.random.default_rng(2025)
    # Gaussian states with an offset (uncentred, as hidden states are), wide and tall
    yield "random_wide", rng.standard_normal((40, 60)) + 0.5
    yield "random_tall", rng.standard_normal((60, 20)) * np.linspace(3, 0.1, 20) + 0.2
    # rank 5 in exact arithmetic (float32 rounding leaves the other values near 1e-7 s_max)
    yield "rank_deficient", rng.standard_normal((30, 5)) @ rng.standard_normal((5, 48))
    # 44 copies of one state: EJML 0.44's symmetric QR eigensolver gives up on this Gram matrix
    # ("did not converge"), the failure tn latent met on sentences ending in the same token
    yield "repeated_row", np.tile(np.random.default_rng(3).standard_normal(88), (44, 1))
    # 36 rows, only 4 distinct, in an order that mixes them
    distinct = rng.standard_normal((4, 50))
    yield "duplicated_rows", distinct[rng.integers(0, 4, 36)]
    yield "zeros", np.zeros((5, 7))
    # entries of magnitude 1e-6 .. 1e6 with random signs
    yield "wide_range_entries", rng.choice([-1, 1], (24, 32)) * 10.0 ** rng.uniform(-6, 6, (24, 32))
    # rows scaled from 1e6 down to 1e-6: singular values spread over 12 decades
    yield "wide_range_rows", rng.standard_normal((16, 40)) * np.logspace(6, -6, 16)[:, None]


def figures(x):
    s = np.linalg.svd(x.astype(np.float64), compute_uv=False)
    with warnings.catch_warnings():  # the zeros: 0 / 0 shares, as svd.py would meet them
        warnings.simplefilter("ignore")
        cumulative = np.cumsum(s ** 2 / np.sum(s ** 2))
    return {
        "shape": list(x.shape),
        "s2": [float(v) for v in s ** 2],
        "components": [int(np.searchsorted(cumulative, t) + 1) for t in THRESHOLDS],
    }


def main(out):
    out = Path(out)
    expected = {"numpy": np.__version__, "thresholds": THRESHOLDS, "cases": {}}
    for name, x in cases():
        x = x.astype(np.float32)
        np.save(out / f"{name}.npy", x)
        expected["cases"][name] = figures(x)
    (out / "expected.json").write_text(json.dumps(expected, indent=1) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
