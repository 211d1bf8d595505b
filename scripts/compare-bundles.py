#!/usr/bin/env python3
"""Compares the trial results of two modelbench bundles, for the executor checks.

Usage: scripts/compare-bundles.py BUNDLE_A BUNDLE_B
Every trial of A's plan.json must be in B with: the same metrics.json apart from the timings
(trainingSeconds, inferenceSamplesPerSecond) and the per-file hashes (curve.json records seconds per
epoch), the same predictions.json, and byte-identical saved model files (SHA-256 of every file of
model/), which metrics.json's modelSha256 also covers. A search candidate's folder has no predictions
and no model (its metrics.json holds validation figures only); a selecting trial's selection.json must
be equal too. Prints one line per trial and exits 1 on any difference.
"""
import hashlib
import json
import os
import sys

TIMINGS = {"trainingSeconds", "inferenceSamplesPerSecond", "files"}


def model_hashes(folder):
    out = {}
    for base, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(base, name)
            with open(path, "rb") as f:
                out[os.path.relpath(path, folder)] = hashlib.sha256(f.read()).hexdigest()
    return out


def load(path):
    with open(path) as f:
        return json.load(f)


def load_if_present(path):
    return load(path) if os.path.exists(path) else None


def main(a, b):
    plan = load(os.path.join(a, "plan.json"))
    if load(os.path.join(b, "plan.json")) != plan:
        print(f"DIFFERENT: the plans of {a} and {b} differ")
        return 1
    differing = 0
    for trial in plan["trials"]:
        ta, tb = (os.path.join(x, "trials", trial["id"]) for x in (a, b))
        problems = []
        ma, mb = load(os.path.join(ta, "metrics.json")), load(os.path.join(tb, "metrics.json"))
        keys = [k for k in sorted(set(ma) | set(mb)) if k not in TIMINGS and ma.get(k) != mb.get(k)]
        if keys:
            problems.append("metrics.json " + ", ".join(keys))
        for name in ("predictions.json", "selection.json"):
            if load_if_present(os.path.join(ta, name)) != load_if_present(os.path.join(tb, name)):
                problems.append(name)
        if "candidate" not in ma and not os.path.exists(os.path.join(ta, "predictions.json")):
            problems.append("no predictions.json")
        if model_hashes(os.path.join(ta, "model")) != model_hashes(os.path.join(tb, "model")):
            problems.append("model files")
        if problems:
            differing += 1
            print(f"{trial['id']}: DIFFERENT: {'; '.join(problems)}")
        elif "candidate" in ma:
            print(f"{trial['id']}: identical (validation accuracy {ma['validationAccuracy']:.4f})")
        else:
            print(f"{trial['id']}: identical (accuracy {ma['accuracy']:.4f}, model {ma['modelSha256'][:12]})")
    print(f"{len(plan['trials']) - differing} of {len(plan['trials'])} trials identical")
    return 1 if differing else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
