#!/usr/bin/env bash
# Builds the engine's native BLAS path (modelbench_openblas.c, a JNI shim to OpenBLAS's cblas_sgemm,
# which opens libopenblas.so.0 with dlopen when the engine first multiplies) into the engine's classes,
# so that it ships inside the engine jar:
#
#   build.sh JAVA_HOME OUTPUT_DIR      (run by the engine's Maven build, phase process-classes)
#
# OUTPUT_DIR/<os>-<arch>/libmodelbench_openblas.so, e.g. .../native/linux-x86_64/. When gcc (or cc),
# the JDK's jni.h or OpenBLAS's cblas.h are missing, it prints one line
# "native BLAS path not built: <why>" and exits 0: the build goes on and the engine runs its Java
# kernel. scripts/install-test-deps.sh installs gcc and libopenblas-dev.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
java_home="${1:?usage: build.sh JAVA_HOME OUTPUT_DIR}"
out_root="${2:?usage: build.sh JAVA_HOME OUTPUT_DIR}"
src="$here/modelbench_openblas.c"

skip() {
  echo "native BLAS path not built: $*"
  exit 0
}

[ "${MODELBENCH_NATIVE_BUILD:-}" = 0 ] && skip "MODELBENCH_NATIVE_BUILD=0"
case "$(uname -s)" in
  Linux) os=linux ;;
  *) skip "only Linux is supported, this is $(uname -s)" ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) arch=x86_64 ;;
  aarch64 | arm64) arch=aarch64 ;;
  *) skip "unsupported machine $(uname -m)" ;;
esac
cc=""
for name in gcc cc; do
  if command -v "$name" >/dev/null 2>&1; then cc="$(command -v "$name")"; break; fi
done
[ -n "$cc" ] || skip "no C compiler (gcc or cc) on PATH (scripts/install-test-deps.sh installs gcc)"
# java.home is the JDK itself (JDK 9+); a JRE inside a JDK 8 layout has it one level up
include=""
for dir in "$java_home/include" "$java_home/../include"; do
  if [ -f "$dir/jni.h" ]; then include="$dir"; break; fi
done
[ -n "$include" ] || skip "no jni.h under $java_home/include (a JDK, not a JRE, is needed)"

out_dir="$out_root/$os-$arch"
lib="$out_dir/libmodelbench_openblas.so"
# up to date: nothing to do (the script and the C source are the inputs)
if [ -f "$lib" ] && [ "$lib" -nt "$src" ] && [ "$lib" -nt "${BASH_SOURCE[0]}" ]; then
  exit 0
fi
mkdir -p "$out_dir" || skip "cannot create $out_dir"
tmp="$(mktemp "$out_dir/.libmodelbench_openblas.XXXXXX")" || skip "cannot write to $out_dir"
trap 'rm -f "$tmp"' EXIT
# cblas.h: Debian puts OpenBLAS's in the multiarch include folder, others in include/openblas
extra=()
for dir in /usr/include/openblas /usr/local/include/openblas /opt/OpenBLAS/include; do
  [ -f "$dir/cblas.h" ] && extra+=("-I$dir")
done
if ! log="$("$cc" -O2 -std=c99 -Wall -Werror -fPIC -shared -I"$include" -I"$include/$os" "${extra[@]}" \
      -o "$tmp" "$src" -ldl 2>&1)"; then
  why="$(printf '%s\n' "$log" | grep -m1 -E 'error|cannot find|No such file' || printf '%s\n' "$log" | head -n1)"
  case "$log" in
    *cblas.h*) skip "no cblas.h (is libopenblas-dev installed?): $why" ;;
    *) skip "$cc failed: $why" ;;
  esac
fi
chmod 644 "$tmp" && mv -f "$tmp" "$lib" || skip "cannot move the library to $lib"
trap - EXIT
echo "native BLAS path built: $lib"
