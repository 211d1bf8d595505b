#!/usr/bin/env bash
# Measures loading MNIST's 60,000 x 784 training images as CSV against the same data as IDX: the best
# of five load times of each (and their ratio), and the smallest heap (-Xmx, searched in 8 MB steps)
# each load succeeds in, reported as bytes of heap per CSV byte above the float tensor itself.
# Needs the MNIST cache (./modelbench data fetch mnist) and a build (mvn -DskipTests package).
# The machine's load is printed with the figures: timings on a shared machine vary.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$(mktemp -d)}"
cd "$root"
mvn -o -q -B -pl data -am test-compile -DskipTests >/dev/null
cp_file="$(mktemp)"
mvn -o -q -B -pl data dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
cp="data/target/test-classes:data/target/classes:api/target/classes:$(cat "$cp_file")"
main=org.modelbench.data.CsvLoadMeasurement
[ -f "$work/train.csv" ] || java -Xmx2g -cp "$cp" $main prepare "$work"
uptime
java -Xmx2g -cp "$cp" $main time "$work"
smallest() {   # the smallest -Xmx in MB (multiple of 8) that loads format $1
  local lo=64 hi=2048 mid
  while [ $((hi - lo)) -gt 8 ]; do
    mid=$(( (lo + hi) / 2 / 8 * 8 ))
    if java -Xmx${mid}m -XX:+UseSerialGC -cp "$cp" $main "$1" "$work" >/dev/null 2>&1; then hi=$mid; else lo=$mid; fi
  done
  echo $hi
}
idx_mb=$(smallest idx)
csv_mb=$(smallest csv)
csv_bytes=$(stat -c %s "$work/train.csv")
tensor=$((60000 * 784 * 4))
echo "smallest heap: idx ${idx_mb} MB, csv ${csv_mb} MB (serial GC); train.csv ${csv_bytes} bytes; tensor ${tensor} bytes"
awk -v c="$csv_mb" -v i="$idx_mb" -v b="$csv_bytes" -v t="$tensor" 'BEGIN {
  printf "csv heap above the tensor: %.2f bytes per CSV byte (idx, which also holds its 47 MB of bytes: %.2f)\n",
         (c * 1048576 - t) / b, (i * 1048576 - t) / b }'
uptime
