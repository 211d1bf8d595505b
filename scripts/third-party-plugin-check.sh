#!/usr/bin/env bash
# A plugin built the way a third party builds one: modelbench-api and modelbench-testkit are
# installed on their own (each `mvn install` in its folder, no reactor) into a private Maven
# repository; a copy of examples/hello-plugin is built against them alone, its tests being the
# testkit's contracts; its jar goes into a plugins/ folder and a manifest using its family runs.
#
# Usage: scripts/third-party-plugin-check.sh   (offline: the private repository starts as links to
# the artifacts of ~/.m2/repository, without any org/modelbench artifact)
# Exit codes: 0 ok, 1 a step failed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
local_repo="${MAVEN_LOCAL_REPOSITORY:-$HOME/.m2/repository}"
repo="$work/m2"
mkdir -p "$repo/org"
for entry in "$local_repo"/*; do
  [ "$(basename "$entry")" = org ] || cp -rs "$entry" "$repo/"
done
for entry in "$local_repo"/org/*; do
  [ "$(basename "$entry")" = modelbench ] || cp -rs "$entry" "$repo/org/"
done
mvn_private() { mvn -o -q -B -Dstyle.color=never -Dmaven.repo.local="$repo" "$@"; }
# a copy of a folder of the repository without its build output, as a download would have it
copy() { mkdir -p "$2" && (cd "$root/$1" && tar --exclude=target -cf - .) | (cd "$2" && tar -xf -); }

echo "1. installing modelbench-api alone (its folder only, no reactor)"
copy api "$work/api"
mvn_private -f "$work/api/pom.xml" install
echo "2. installing modelbench-testkit alone"
copy testkit "$work/testkit"
mvn_private -f "$work/testkit/pom.xml" install
[ -f "$repo/org/modelbench/modelbench-api/0.1.0-SNAPSHOT/modelbench-api-0.1.0-SNAPSHOT.jar" ] || {
  echo "third-party-plugin-check: the api jar is not in the private repository" >&2; exit 1; }

echo "3. building a copy of examples/hello-plugin against them (its tests: the testkit contracts)"
copy examples/hello-plugin "$work/hello"
mvn_private -f "$work/hello/pom.xml" package
for contract in NearestCentroidContractTest SwishContractTest; do
  report="$work/hello/target/surefire-reports/org.modelbench.examples.hello.$contract.txt"
  grep -q "Failures: 0, Errors: 0, Skipped: 0" "$report" || {
    echo "third-party-plugin-check: $contract did not pass:" >&2; cat "$report" >&2; exit 1; }
  echo "   $(grep 'Tests run' "$report")"
done
deps=$(sed -n '/<dependencies>/,/<\/dependencies>/p' "$work/hello/pom.xml" | grep -o '<artifactId>[^<]*' | sed 's/<artifactId>//' | sort | tr '\n' ' ')
[ "$deps" = "modelbench-api modelbench-testkit " ] || {
  echo "third-party-plugin-check: expected the api and the testkit as the only dependencies, got: $deps" >&2; exit 1; }

echo "4. running a manifest with the plugin in plugins/"
mkdir -p "$work/project/plugins"
cp "$work/hello/target/hello-plugin-0.1.0.jar" "$work/project/plugins/"
cat > "$work/project/hello.yaml" <<'YAML'
name: third-party
description: The example plugin, built against the installed api alone, beside the engine's logreg.
dataset: {id: mnist, trainSize: 1000, testSize: 500, preprocessing: {rescale: 255}}
models:
  - {id: centroid, family: hello-nearest-centroid}
  - {id: logreg, family: logreg, params: {epochs: 1}}
seeds: [1]
outputs: {directory: runs}
YAML
(cd "$work/project" && "$root/modelbench" run hello.yaml) > "$work/run.log" 2>&1 || {
  echo "third-party-plugin-check: the manifest run failed:" >&2; tail -20 "$work/run.log" >&2; exit 1; }
metrics=$(ls "$work"/project/runs/third-party/*/trials/centroid/seed-1/metrics.json 2>/dev/null | head -1)
[ -n "$metrics" ] || { echo "third-party-plugin-check: no metrics for the plugin's model" >&2; exit 1; }
accuracy=$(grep -o '"accuracy" *: *[0-9.]*' "$metrics" | head -1 | grep -o '[0-9.]*$')
echo "third-party plugin ok: built against the installed api and testkit alone, contracts passed," \
     "trained in a manifest (nearest-centroid test accuracy $accuracy)"
