"""The scikit-learn side of bench/trends.sh, and its data.

    python bench/trends.py data DIR           write random_4000, blobs_4000, blobs_44000 (x512, .f32)
    python bench/trends.py run FILE ROWS RUNS the seed's pick_k_auto on FILE; one JSON line

The data: unit vectors, either random or around 9 centres, from a seeded generator. .f32 is row-major little-endian float32, read by
examples/bench_trends.rs.
"""

import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score


# The seed's Step 2.4, verbatim.
def pick_k_auto(X, k_min=6, k_max=10, min_cluster_size=40, sample=4000):
    idx = np.random.choice(len(X), min(sample, len(X)), replace=False)
    Xs = X[idx]
    best_k, best_sc = None, -1
    for k in range(k_min, k_max+1):
        km = KMeans(n_clusters=k, n_init="auto", random_state=42)
        labels = km.fit_predict(Xs)
        if len(set(labels)) < 2:
            continue
        sc = silhouette_score(Xs, labels)
        if sc > best_sc:
            best_k, best_sc = k, sc
    km_full = KMeans(n_clusters=best_k, n_init="auto", random_state=42).fit(X)
    labels = km_full.labels_
    while True:
        sizes = pd.Series(labels).value_counts()
        if (sizes < min_cluster_size).any() and best_k > max(k_min,2):
            best_k -= 1
            km_full = KMeans(n_clusters=best_k, n_init="auto", random_state=42).fit(X)
            labels = km_full.labels_
        else:
            break
    return km_full, labels, best_k


def data(out):
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(7)

    def unit(x):
        return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)

    def blobs(n):
        centres = rng.normal(size=(9, 512))
        labels = rng.integers(0, 9, size=n)
        return unit(centres[labels] + 1.5 * rng.normal(size=(n, 512)))

    unit(rng.normal(size=(4000, 512))).tofile(out / "random_4000.f32")
    blobs(4000).tofile(out / "blobs_4000.f32")
    blobs(44000).tofile(out / "blobs_44000.f32")


def run(path, rows, runs):
    x = np.fromfile(path, dtype="<f4").reshape(rows, 512)
    best = None
    for _ in range(runs):
        np.random.seed(0)
        start = time.perf_counter()
        _, labels, k = pick_k_auto(x, min_cluster_size=50)
        wall = time.perf_counter() - start
        best = wall if best is None else min(best, wall)
    print(json.dumps({"rows": rows, "seconds": round(best, 4), "k": int(k),
                      "sizes": sorted(np.bincount(labels).tolist())}))


if __name__ == "__main__":
    if sys.argv[1] == "data":
        data(Path(sys.argv[2]))
    else:
        run(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
