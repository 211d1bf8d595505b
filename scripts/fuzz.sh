#!/usr/bin/env bash
# Fuzzes every reader of untrusted files with Jazzer, one target at a time (the machine may be shared),
# each for at least 10^5 inputs (the maxExecutions of its @FuzzTest), and prints per target the inputs
# run and the findings. A finding is saved by Jazzer into the target's corpus folder
# (fuzz/src/test/resources/<package>/<Class>Inputs/<method>/crash-*), so that the normal build replays
# it in regression mode; fix the reader, then commit the input.
#
# Usage: scripts/fuzz.sh [Class#method ...]   (default: every target)
# Builds the reactor offline with -am (nothing is installed into ~/.m2).
set -uo pipefail
cd "$(dirname "$0")/.."
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(
    IdxReaderFuzzTest#idxFiles
    NpyReaderFuzzTest#npyFiles
    CsvReaderFuzzTest#csvFiles
    ManifestLoaderFuzzTest#manifests
    EngineModelFuzzTest#savedModels
    EngineModelFuzzTest#safetensors
    OnnxImporterFuzzTest#onnxModels
    SavedTribuoModelFuzzTest#savedModels
    InputImagesFuzzTest#pngInputs
  )
fi
logs=$(mktemp -d)
status=0
printf '%-40s %12s %10s %s\n' TARGET INPUTS FINDINGS LOG
for t in "${targets[@]}"; do
  log="$logs/${t//#/-}.log"
  JAZZER_FUZZ=1 MAVEN_OPTS="${MAVEN_OPTS:--Xmx1g}" mvn -o -B -pl fuzz -am test -Dtest="$t" \
      -Dsurefire.failIfNoSpecifiedTests=false -DtrimStackTrace=false >"$log" 2>&1
  rc=$?
  # libFuzzer's summary: "Done 100000 runs in 42 second(s)"; a finding stops the run early
  runs=$(grep -Eo 'Done [0-9]+ runs' "$log" | tail -1 | grep -Eo '[0-9]+')
  [ -n "$runs" ] || runs=$(grep -Eo '^#[0-9]+' "$log" | tail -1 | tr -d '#')
  findings=$(grep -c 'Test unit written to' "$log")
  printf '%-40s %12s %10s %s\n' "$t" "${runs:-?}" "$findings" "$log"
  if [ "$rc" -ne 0 ] || [ "$findings" -ne 0 ]; then
    status=1
    grep -E 'Test unit written to|FuzzTestFindingException' "$log" | head -4
  fi
done
exit $status
