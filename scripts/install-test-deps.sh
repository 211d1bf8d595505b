#!/usr/bin/env bash
# Installs the Debian packages that some tests use as reference material, when missing:
#   chromium          renders report.html headless (report screenshot check)
#   libonnx-testdata  ONNX's own operator conformance tests (import parity)
#   time              GNU time: BadInputTest reads each child JVM's peak resident memory from it
#   gcc, libopenblas-dev  the bench's OpenBLAS SGEMM reference (a C probe built at bench time)
# Tests that need them print a "skipped: ... not installed" line when they are absent.
# With node and npm present it also installs the Keras import's parity material (npm registry):
#   TensorFlow.js 4.22.0 into tools/tfjs (scripts/install-tfjs.sh) and nsfwjs 4.4.0's Keras
#   MobileNetV2 and InceptionV3 into the data cache (scripts/fetch-nsfwjs.sh).
# Needs root (or sudo); does nothing for packages already installed.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if command -v node >/dev/null && command -v npm >/dev/null; then
  "$here/install-tfjs.sh" || echo "warning: TensorFlow.js not installed; the TF.js parity tests will be skipped"
  "$here/fetch-nsfwjs.sh" || echo "warning: nsfwjs models not fetched; the TF.js parity tests will be skipped"
else
  echo "warning: node/npm missing; the TF.js parity tests will be skipped"
fi
want=()
[ -x /usr/bin/chromium ] || want+=(chromium)
[ -d /usr/share/libonnx-testdata ] || want+=(libonnx-testdata)
[ -x /usr/bin/time ] || want+=(time)
command -v gcc >/dev/null 2>&1 || want+=(gcc)
ls /usr/lib/*/libopenblas.so >/dev/null 2>&1 || want+=(libopenblas-dev)
[ ${#want[@]} -eq 0 ] && { echo "test dependencies present"; exit 0; }
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing test dependencies: ${want[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null 2>&1 || echo "warning: apt-get update failed"
if ! $sudo apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null 2>&1; then
  echo "warning: could not install ${want[*]}; the tests that need them will be skipped"
fi
exit 0
