#!/usr/bin/env bash
# Fetches nsfwjs@4.4.0 (npm pack: no install scripts run), checks its SHA-256, and writes its Keras
# MobileNetV2 (224x224) and InceptionV3 (299x299) as standard TensorFlow.js layers files
# (model.json + .bin shards) into the data cache, like MNIST:
#   ${MODELBENCH_DATA:-~/.modelbench/data}/nsfwjs-4.4.0/{mobilenet_v2,inception_v3}/model.json
# The package's .min.js bundles are evaluated once here, in an empty Node vm context
# (scripts/nsfwjs-to-tfjs.js); models are never code at load time. Needs node and npm.
set -euo pipefail
version=4.4.0
sha256=585cd178f3b994337c4d10a87b080d342fc52f8b9bf0085c4d1f345a3a1c5382
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${MODELBENCH_DATA:-$HOME/.modelbench/data}/nsfwjs-$version"
if [ -f "$cache/mobilenet_v2/model.json" ] && [ -f "$cache/inception_v3/model.json" ]; then
  echo "nsfwjs $version: cached in $cache"
  exit 0
fi
command -v node >/dev/null && command -v npm >/dev/null || { echo "fetch-nsfwjs: needs node and npm" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack "nsfwjs@$version" --pack-destination . --silent >/dev/null)
tarball="$work/nsfwjs-$version.tgz"
got="$(sha256sum "$tarball" | cut -d' ' -f1)"
if [ "$got" != "$sha256" ]; then
  echo "fetch-nsfwjs: nsfwjs-$version.tgz has SHA-256 $got, expected $sha256" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$work" package/dist/models
mkdir -p "$cache"
for m in mobilenet_v2 inception_v3; do
  node "$here/nsfwjs-to-tfjs.js" "$work/package/dist/models/$m" "$work/out/$m"
  rm -rf "$cache/$m"
  mv "$work/out/$m" "$cache/$m"
done
echo "nsfwjs $version: written to $cache"
