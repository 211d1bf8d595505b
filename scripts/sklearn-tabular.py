#!/usr/bin/env python3
"""scikit-learn's accuracies on the four classic tables, with the protocol of
experiments/tabular-classics-*.yaml: stratified 10-fold cross-validation (shuffled) for seeds 1, 2, 3,
features standardised with the training folds' statistics, five model kinds. Prints mean and std of
the test accuracy over the 30 (seed, fold) trials of each model.

With --bundles DIR..., also reads modelbench bundles of those manifests (runs/tabular-classics-*/...)
and prints both side by side with the difference in points.

Usage: scripts/sklearn-tabular.py [--bundles runs/tabular-classics-iris/<ts> ...]
"""
import argparse
import glob
import json
import math
import os
import sys

try:
    import numpy as np
    import sklearn
    from sklearn.datasets import load_breast_cancer, load_digits, load_iris, load_wine
    from sklearn.ensemble import ExtraTreesClassifier, RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.tree import DecisionTreeClassifier
except ImportError as e:
    print(f"skipped: scikit-learn is not importable ({e}); install python3-sklearn")
    sys.exit(0)

import warnings
warnings.filterwarnings("ignore")

DATASETS = {"iris": load_iris, "wine": load_wine, "breast-cancer": load_breast_cancer, "digits": load_digits}
SEEDS = [1, 2, 3]
FOLDS = 10


def models(seed):
    return {
        "logreg": LogisticRegression(max_iter=5000),
        "mlp": MLPClassifier(hidden_layer_sizes=(100,), max_iter=500, random_state=seed),
        "random-forest": RandomForestClassifier(n_estimators=100, random_state=seed),
        "extra-trees": ExtraTreesClassifier(n_estimators=100, random_state=seed),
        "cart": DecisionTreeClassifier(random_state=seed),
    }


def sklearn_accuracies(name):
    data = DATASETS[name]()
    x, y = data.data, data.target
    scores = {}
    for seed in SEEDS:
        for train, test in StratifiedKFold(FOLDS, shuffle=True, random_state=seed).split(x, y):
            for model, estimator in models(seed).items():
                pipe = make_pipeline(StandardScaler(), estimator)
                pipe.fit(x[train], y[train])
                scores.setdefault(model, []).append(float((pipe.predict(x[test]) == y[test]).mean()))
    return scores


def modelbench_accuracies(bundle):
    scores = {}
    # trials/<model>/seed-S/fold-F/metrics.json with folds (trials/<model>/seed-S/metrics.json without)
    for metrics in sorted(glob.glob(os.path.join(bundle, "trials", "**", "metrics.json"), recursive=True)):
        with open(metrics) as f:
            m = json.load(f)
        scores.setdefault(m["model"], []).append(m["accuracy"])
    return scores


def dataset_of(bundle):
    with open(os.path.join(bundle, "resolved.json")) as f:
        return json.load(f)["experiment"]["dataset"]["id"]


def mean_std(values):
    mean = sum(values) / len(values)
    std = math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1)) if len(values) > 1 else 0.0
    return mean, std


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bundles", nargs="*", default=[], help="modelbench bundles of tabular-classics-*.yaml")
    args = parser.parse_args()
    ours = {dataset_of(b): modelbench_accuracies(b) for b in args.bundles}
    print(f"scikit-learn {sklearn.__version__}, numpy {np.__version__}; stratified {FOLDS}-fold CV x seeds {SEEDS}")
    header = f"{'dataset':<14} {'model':<14} {'sklearn mean ± std':>20}"
    if ours:
        header += f" {'modelbench mean ± std':>22} {'diff (points)':>14}"
    print(header)
    for name in DATASETS:
        reference = sklearn_accuracies(name)
        for model, values in reference.items():
            mean, std = mean_std(values)
            line = f"{name:<14} {model:<14} {mean * 100:>12.2f} ± {std * 100:5.2f}"
            if name in ours and model in ours[name]:
                m, s = mean_std(ours[name][model])
                line += f" {m * 100:>14.2f} ± {s * 100:5.2f} {(m - mean) * 100:>+14.2f}"
                line += f"   (n={len(ours[name][model])})"
            print(line)


if __name__ == "__main__":
    main()
