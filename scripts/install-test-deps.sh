#!/usr/bin/env bash
# Installs the Debian packages that some tests use as reference material, when missing:
#   chromium          renders report.html headless (report screenshot check)
#   libonnx-testdata  ONNX's own operator conformance tests (import parity)
#   gcc, libopenblas-dev  the bench's OpenBLAS SGEMM reference (a C probe built at bench time)
# Locally, tests that need them print a "skipped: ... not installed" line when they are absent;
# with CI=true those tests fail instead (OptionalMaterial in modelbench-testkit).
# Exits non-zero when a missing package cannot be installed, so CI stops here rather than
# passing without the material. Needs root (or sudo); does nothing for packages already installed.
set -uo pipefail
missing() {
  want=()
  [ -x /usr/bin/chromium ] || want+=(chromium)
  [ -d /usr/share/libonnx-testdata ] || want+=(libonnx-testdata)
  command -v gcc >/dev/null 2>&1 || want+=(gcc)
  ls /usr/lib/*/libopenblas.so >/dev/null 2>&1 || want+=(libopenblas-dev)
}
missing
[ ${#want[@]} -eq 0 ] && { echo "test dependencies present"; exit 0; }
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing test dependencies: ${want[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! $sudo apt-get update -qq >/dev/null 2>&1; then
  echo "warning: apt-get update failed; trying the install with the package lists present" >&2
fi
if ! $sudo apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null 2>&1; then
  echo "error: could not install ${want[*]}; the tests that need them cannot run" >&2
  exit 1
fi
missing
if [ ${#want[@]} -ne 0 ]; then
  echo "error: still missing after the install: ${want[*]}" >&2
  exit 1
fi
echo "test dependencies installed"
