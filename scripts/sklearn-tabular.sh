#!/usr/bin/env bash
# scikit-learn's reference accuracies for experiments/tabular-classics-*.yaml (see sklearn-tabular.py).
# Arguments are passed on, e.g.  scripts/sklearn-tabular.sh --bundles runs/tabular-classics-iris/<ts> ...
set -euo pipefail
if [ ! -x /usr/bin/python3 ]; then
  echo "skipped: /usr/bin/python3 not found (install python3 and python3-sklearn for the reference)"
  exit 0
fi
exec /usr/bin/python3 "$(dirname "${BASH_SOURCE[0]}")/sklearn-tabular.py" "$@"
