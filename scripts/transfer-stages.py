#!/usr/bin/env python3
"""Time per stage of a finished modelbench bundle, for the transfer-learning figures (docs/keras.md).

Usage: scripts/transfer-stages.py BUNDLE
One line per trial: test accuracy and log loss, training seconds (for onnx-transfer models split into
the frozen-base features -- `featureSeconds`, and how many rows the base computed rather than read
from the run's cache -- and the rest: head training and fine-tuning), and the evaluation seconds
(test rows / inferenceSamplesPerSecond). Then per model: accuracy mean ± sample std over the seeds and
the summed stage times. Reads metrics.json and provenance.json only.
"""
import glob
import json
import os
import statistics
import sys


def main(bundle):
    rows = []
    for path in sorted(glob.glob(os.path.join(bundle, 'trials', '*', 'seed-*', 'metrics.json'))):
        with open(path) as f:
            m = json.load(f)
        with open(os.path.join(os.path.dirname(path), 'provenance.json')) as f:
            details = json.load(f).get('details', {})
        features = float(details['featureSeconds']) if 'featureSeconds' in details else 0.0
        rows.append({
            'model': m['model'], 'seed': m['seed'], 'accuracy': m['accuracy'], 'logLoss': m['logLoss'],
            'training': m['trainingSeconds'], 'features': features,
            'computed': details.get('featureRowsComputed', '-'),
            'evaluation': m['testSamples'] / m['inferenceSamplesPerSecond'],
        })
    print('%-14s %4s %8s %9s %9s %10s %9s %9s %9s' % ('model', 'seed', 'accuracy', 'logLoss', 'training',
                                                     'features', 'computed', 'rest', 'eval'))
    for r in rows:
        print('%-14s %4d %8.4f %9.6f %8.1fs %9.1fs %9s %8.1fs %8.1fs' % (
            r['model'], r['seed'], r['accuracy'], r['logLoss'], r['training'], r['features'], r['computed'],
            r['training'] - r['features'], r['evaluation']))
    print()
    for model in sorted({r['model'] for r in rows}):
        mine = [r for r in rows if r['model'] == model]
        acc = [r['accuracy'] for r in mine]
        std = statistics.stdev(acc) if len(acc) > 1 else 0.0
        print('%-14s accuracy %.4f ± %.4f over %d seeds; training %.1f s (features %.1f s), evaluation %.1f s' % (
            model, statistics.mean(acc), std, len(acc), sum(r['training'] for r in mine),
            sum(r['features'] for r in mine), sum(r['evaluation'] for r in mine)))
    total = sum(r['training'] + r['evaluation'] for r in rows)
    print('all trials: training + evaluation %.1f s (%d:%02d)' % (total, total // 60, total % 60))


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
