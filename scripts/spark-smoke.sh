#!/usr/bin/env bash
# The launcher end to end on the loopback Spark cluster (CI runs it after mvn verify): ./modelbench
# runs a small manifest (real MNIST, four families, 8 trials) with --executor spark on the class path,
# the platform's jars shipped to the executors, then reproduce on the module path must say IDENTICAL.
# The cluster is stopped whatever happens.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
export SPARK_STANDALONE_DIR="$work/cluster" SPARK_WORKER_CORES=1 SPARK_WORKER_MEMORY=1g
cleanup() { "$root/scripts/spark-standalone.sh" stop || true; rm -rf "$work"; }
trap cleanup EXIT
url="$("$root/scripts/spark-standalone.sh" start | tail -1)"
"$root/modelbench" run "$root/executor-spark/src/test/resources/spark-small.yaml" --executor spark \
  --spark-master "$url" --project-dir "$work" > "$work/run.log"
grep -q "8/8 trials done" "$work/run.log" || { cat "$work/run.log"; echo "spark-smoke: the run did not finish 8 trials" >&2; exit 1; }
bundle="$(ls -d "$work"/runs/spark-small/2*)"
"$root/modelbench" reproduce "$bundle" > "$work/reproduce.log" || { cat "$work/reproduce.log"; exit 1; }
grep "verdict:" "$work/reproduce.log"
grep -q "verdict: IDENTICAL: 8 trials" "$work/reproduce.log"
echo "spark-smoke: 1 passed, 0 failed"
