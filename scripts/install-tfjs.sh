#!/usr/bin/env bash
# Installs TensorFlow.js (pure-JavaScript CPU backend, pinned) into the project-local folder
# tools/tfjs, for the Keras import's parity tests (scripts/tfjs-reference.js). No install scripts
# run. Needs node and npm; does nothing when the pinned version is already there.
set -euo pipefail
version=4.22.0
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/tools/tfjs"
if [ -f "$dest/node_modules/@tensorflow/tfjs-layers/package.json" ] \
   && grep -q "\"version\": \"$version\"" "$dest/node_modules/@tensorflow/tfjs-layers/package.json"; then
  echo "tfjs $version: present in $dest"
  exit 0
fi
command -v npm >/dev/null || { echo "install-tfjs: needs node and npm" >&2; exit 1; }
mkdir -p "$dest"
[ -f "$dest/package.json" ] || echo '{"name": "modelbench-tfjs-reference", "private": true}' > "$dest/package.json"
npm install --prefix "$dest" --ignore-scripts --no-audit --no-fund --silent \
  "@tensorflow/tfjs-core@$version" "@tensorflow/tfjs-backend-cpu@$version" "@tensorflow/tfjs-layers@$version"
echo "tfjs $version: installed in $dest"
