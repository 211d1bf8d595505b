#!/usr/bin/env bash
# Installs the Debian packages that some tests use as reference material, when missing:
#   chromium          renders report.html headless (report screenshot check)
#   libonnx-testdata  ONNX's own operator conformance tests (import parity)
#   gcc, libopenblas-dev  the engine's native BLAS path (a JNI shim built by engine-java's Maven build)
#                         and the bench's OpenBLAS SGEMM reference (a C probe built at bench time)
#   time              GNU time: BadInputTest reads each child JVM's peak resident memory from it
#   python3-h5py      h5py (+ numpy) for scripts/write-keras-files.py, which writes the Keras 3 .keras
#                     and legacy .h5 files that KerasFilesTest reads (the Debian /usr/bin/python3)
# With node and npm present it also installs the Keras import's parity material (npm registry):
#   TensorFlow.js 4.22.0 into tools/tfjs (scripts/install-tfjs.sh) and nsfwjs 4.4.0's Keras
#   MobileNetV2 and InceptionV3 into the data cache (scripts/fetch-nsfwjs.sh).
# Locally, tests that need the material print a "skipped: ..." line when it is absent; with
# CI=true those tests fail instead (OptionalMaterial in modelbench-testkit), and this script exits
# non-zero when it cannot install something, so CI stops here rather than passing without it.
# Needs root (or sudo); does nothing for what is already installed.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
failed=()
problem() {
  if [ "${CI:-}" = true ]; then echo "error: $*" >&2; else echo "warning: $*; the tests that need it will be skipped"; fi
  failed+=("$1")
}
if command -v node >/dev/null && command -v npm >/dev/null; then
  "$here/install-tfjs.sh" || problem "TensorFlow.js not installed (scripts/install-tfjs.sh)"
  "$here/fetch-nsfwjs.sh" || problem "nsfwjs models not fetched (scripts/fetch-nsfwjs.sh)"
else
  problem "node/npm missing, needed for the TF.js parity material"
fi
missing() {
  want=()
  [ -x /usr/bin/chromium ] || want+=(chromium)
  [ -d /usr/share/libonnx-testdata ] || want+=(libonnx-testdata)
  command -v gcc >/dev/null 2>&1 || want+=(gcc)
  ls /usr/lib/*/libopenblas.so >/dev/null 2>&1 || want+=(libopenblas-dev)
  [ -x /usr/bin/time ] || want+=(time)
  /usr/bin/python3 -c 'import h5py, numpy' >/dev/null 2>&1 || want+=(python3-h5py python3-numpy)
}
missing
if [ ${#want[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing test dependencies: ${want[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >/dev/null 2>&1 || echo "warning: apt-get update failed; trying the package lists present" >&2
  $sudo apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null 2>&1
  missing
  [ ${#want[@]} -eq 0 ] || problem "could not install ${want[*]}"
fi
if [ ${#failed[@]} -gt 0 ]; then
  [ "${CI:-}" = true ] && exit 1
  exit 0
fi
echo "test dependencies present"
