#!/usr/bin/env bash
# Installs the Debian packages that some tests use as reference material, when missing:
#   chromium          renders report.html headless (report screenshot check)
#   libonnx-testdata  ONNX's own operator conformance tests (import parity)
#   time              GNU time: BadInputTest reads each child JVM's peak resident memory from it
#   gcc, libopenblas-dev  the bench's OpenBLAS SGEMM reference (a C probe built at bench time)
# Tests that need them print a "skipped: ... not installed" line when they are absent.
# Needs root (or sudo); does nothing for packages already installed.
set -uo pipefail
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
