"""scikit-learn's RandomForestClassifier on MNIST, the reference of `modelbench bench forest`.

Fits the same forest as the plugin (trees, max_features as a fraction, unlimited or fixed depth,
min_samples_split from minChildWeight) on the first --train-rows rows of the IDX training files and
scores the whole test split. Prints one JSON line: fit seconds, test accuracy, peak RSS (KiB) and
versions. Pixels are read as 0..255 floats, as the plugin sees them.
"""
import argparse
import json
import resource
import struct
import sys
import time

import numpy as np


def idx(path):
    with open(path, "rb") as f:
        data = f.read()
    zero, kind, dims = struct.unpack(">HBB", data[:4])
    if zero != 0 or kind != 0x08:
        raise SystemExit(f"{path}: not an unsigned-byte IDX file")
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mnist", required=True)
    p.add_argument("--train-rows", type=int, default=60000)
    p.add_argument("--trees", type=int, default=100)
    p.add_argument("--feature-fraction", type=float, default=0.1)
    p.add_argument("--max-depth", type=int, default=0)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    from sklearn import __version__ as sklearn_version
    from sklearn.ensemble import RandomForestClassifier

    x = idx(f"{a.mnist}/train-images-idx3-ubyte")[: a.train_rows].reshape(a.train_rows, -1).astype(np.float32)
    y = idx(f"{a.mnist}/train-labels-idx1-ubyte")[: a.train_rows]
    xt = idx(f"{a.mnist}/t10k-images-idx3-ubyte").reshape(10000, -1).astype(np.float32)
    yt = idx(f"{a.mnist}/t10k-labels-idx1-ubyte")
    forest = RandomForestClassifier(n_estimators=a.trees, max_features=a.feature_fraction,
                                    max_depth=None if a.max_depth == 0 else a.max_depth,
                                    n_jobs=a.threads, random_state=a.seed)
    t0 = time.perf_counter()
    forest.fit(x, y)
    fit = time.perf_counter() - t0
    t1 = time.perf_counter()
    accuracy = float((forest.predict(xt) == yt).mean())
    predict = time.perf_counter() - t1
    nodes = int(sum(e.tree_.node_count for e in forest.estimators_))
    # ru_maxrss is in KiB on Linux; children (joblib workers, if any) are added.
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"fit_seconds": fit, "predict_seconds": predict, "accuracy": accuracy, "nodes": nodes,
                      "peak_rss_kib": rss, "sklearn_version": sklearn_version,
                      "python_version": sys.version.split()[0]}))


if __name__ == "__main__":
    main()
