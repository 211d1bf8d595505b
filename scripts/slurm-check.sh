#!/usr/bin/env bash
# The SLURM executor end to end on a one-node cluster (scripts/slurm-local.sh), with the packaged
# launcher (./modelbench; .ci/run calls this after `mvn -B verify`):
#   1. the quickstart (or $MODELBENCH_SLURM_CHECK_MANIFEST) as job arrays with --wait;
#   2. `reproduce --keep` of that bundle on this machine (--jobs 1): verdict IDENTICAL, and every
#      trial's metrics (timings aside), predictions and model files equal (scripts/compare-bundles.py);
#   3. the same manifest again, one array task cancelled mid-trial (suspended the moment its log
#      says it trains, then scancel JOBID_INDEX), then `run --resume --executor slurm --wait`: only
#      that index is resubmitted, and the final bundle equals the uninterrupted local run.
# Before them, a partition the cluster does not have is one line, exit 2, and leaves no bundle.
# Prints the wall times with the load average. Where the cluster cannot start (not root, no apt-get)
# it prints one "skipped: ..." line and exits 0; the SLURM daemons are stopped at the end.
# Exit codes: 0 ok or skipped, 1 a check failed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
manifest="$(realpath "${MODELBENCH_SLURM_CHECK_MANIFEST:-$root/experiments/mnist-quickstart.yaml}")"
mb="$root/modelbench"
poll="${MODELBENCH_SLURM_CHECK_POLL:-3}"

set +e
started="$("$root/scripts/slurm-local.sh" start 2>&1)"
rc=$?
set -e
if [ $rc -eq 3 ]; then
  echo "$started" | grep '^skipped:' | head -n 1
  exit 0
elif [ $rc -ne 0 ]; then
  echo "$started" >&2
  exit 1
fi
trap '"$root/scripts/slurm-local.sh" stop >/dev/null' EXIT
eval "$(echo "$started" | grep '^export SLURM_CONF=')"
echo "$started" | head -n 1
work="$(mktemp -d /tmp/modelbench-slurm-check.XXXXXX)"
trap '"$root/scripts/slurm-local.sh" stop >/dev/null; rm -rf "$work"' EXIT
fail() { echo "slurm check FAILED: $*" >&2; exit 1; }
bundle_of() { find "$1" -name plan.json -not -path '*/trials/*' -printf '%h\n' 2>/dev/null | head -n 1; }
seconds() { echo $(( $(date +%s) - $1 )); }

echo "0. a partition the cluster refuses"
set +e
"$mb" run "$manifest" --executor slurm --partition nosuch --project-dir "$work/refused" > "$work/refused.txt" 2> "$work/refused-stderr.txt"
rc=$?
set -e
grep -v '^WARNING: Using incubator' "$work/refused-stderr.txt" > "$work/refused-errors.txt" || true
[ $rc -eq 2 ] || { cat "$work/refused-stderr.txt"; fail "an unknown partition exited $rc, expected 2"; }
[ "$(grep -c . "$work/refused-errors.txt")" -eq 1 ] && grep -q '^modelbench: error: --executor slurm: sbatch refused .*invalid partition specified: nosuch$' "$work/refused-errors.txt" \
  || { cat "$work/refused-stderr.txt"; fail "an unknown partition did not give one error line"; }
[ -z "$(bundle_of "$work/refused")" ] || fail "the refused run left its bundle behind"
sed -n 's/^modelbench: error: /   /p' "$work/refused-errors.txt"

echo "1. $(basename "$manifest") as SLURM job arrays (--wait)   [load: $(cut -d' ' -f1-3 /proc/loadavg)]"
t0=$(date +%s)
"$mb" run "$manifest" --executor slurm --wait --poll-seconds "$poll" --project-dir "$work/slurm" \
  || fail "run --executor slurm --wait exited $?"
slurm_seconds=$(seconds "$t0")
slurm_bundle="$(bundle_of "$work/slurm")"
[ -f "$slurm_bundle/report.html" ] || fail "the report job wrote no report.html"
"$mb" status "$slurm_bundle" | tail -n 1

echo "2. reproduce on this machine (--jobs 1)   [load: $(cut -d' ' -f1-3 /proc/loadavg)]"
t0=$(date +%s)
"$mb" reproduce "$slurm_bundle" --keep "$work/local" > "$work/reproduce.txt" \
  || { cat "$work/reproduce.txt"; fail "reproduce of the SLURM bundle exited $?"; }
local_seconds=$(seconds "$t0")
grep '^verdict:' "$work/reproduce.txt"
local_bundle="$(bundle_of "$work/local")"
"$root/scripts/compare-bundles.py" "$slurm_bundle" "$local_bundle" | tail -n 1 \
  || fail "the SLURM and local bundles differ"
"$root/scripts/compare-bundles.py" "$slurm_bundle" "$local_bundle" >/dev/null || fail "the SLURM and local bundles differ"

echo "3. again, one array task cancelled mid-trial, then run --resume --executor slurm"
"$mb" run "$manifest" --executor slurm --project-dir "$work/cancel" > "$work/submit.txt" || fail "submission exited $?"
cancel_bundle="$(bundle_of "$work/cancel")"
# the seed CNN of seed 1 (several seconds of training on a quiet machine; the MLP took 3 s and could
# finish between two looks at its log)
index="${MODELBENCH_SLURM_CHECK_CANCEL:-6}"
job="$(python3 -c 'import json,sys; print(next(j["jobId"] for j in json.load(open(sys.argv[1]))["jobs"] if int(sys.argv[2]) in j["indices"]))' \
  "$cancel_bundle/slurm/jobs.json" "$index")"
log="$cancel_bundle/slurm/logs/trial-$index-job-$job.out"
for _ in $(seq 1 3000); do
  grep -q 'training on' "$log" 2>/dev/null && break
  sleep 0.2
done
grep -q 'training on' "$log" || fail "task ${job}_$index did not start training within 10 minutes"
# Suspended (SIGSTOP) the moment it trains, so it cannot finish before the cancel below.
scontrol suspend "${job}_$index" || fail "scontrol suspend ${job}_$index exited $?"
[ -f "$cancel_bundle/trials/$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["trials"][int(sys.argv[2])]["id"])' \
  "$cancel_bundle/plan.json" "$index")/metrics.json" ] && fail "trial $index finished before it could be cancelled"
scancel "${job}_$index"
echo "   suspended and cancelled ${job}_$index while it trained: $(grep 'epoch\|training on' "$log" | tail -n 1)"
for _ in $(seq 1 120); do
  "$mb" status "$cancel_bundle" | awk -v i="$index" '$1 == i {print $3}' | grep -q '^failed' && break
  sleep 1
done
"$mb" status "$cancel_bundle" | awk -v i="$index" '$1 == i' | grep -q failed || fail "trial $index is not 'failed' after scancel"
"$mb" run --resume "$cancel_bundle" --executor slurm --wait --poll-seconds "$poll" > "$work/resume.txt" \
  || { cat "$work/resume.txt"; fail "run --resume --executor slurm exited $?"; }
grep -q "^resubmitting trials \[$index\]$" "$work/resume.txt" \
  || { cat "$work/resume.txt"; fail "the resume did not resubmit exactly trial $index"; }
grep '^resuming\|^resubmitting' "$work/resume.txt" | sed 's/^/   /'
"$root/scripts/compare-bundles.py" "$cancel_bundle" "$local_bundle" | tail -n 1
"$root/scripts/compare-bundles.py" "$cancel_bundle" "$local_bundle" >/dev/null \
  || fail "the cancelled and resumed bundle differs from the uninterrupted run"

echo "slurm check OK: $(basename "$manifest") on the one-node cluster ${slurm_seconds} s, locally (reproduce, --jobs 1) ${local_seconds} s; load now $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
