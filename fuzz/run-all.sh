#!/usr/bin/env bash
# Fuzz every target in turn: bash fuzz/run-all.sh SECONDS [libFuzzer flags...]
#
# Builds all targets once, then runs fuzz/run.sh for each (SECONDS of fuzzing each, build
# not counted). Runs every target even when one fails; exits non-zero when any did.
# The test command (scripts/test.sh) runs it with a short time; docs/security.md says how
# to run it long.
set -euo pipefail
cd "$(dirname "$0")"
# shellcheck source=fuzz/toolchain.sh
source ./toolchain.sh

if [ $# -lt 1 ] || ! [[ $1 =~ ^[0-9]+$ ]]; then
    echo "usage: bash fuzz/run-all.sh SECONDS [libFuzzer flags...]" >&2
    exit 2
fi
seconds=$1
shift

mkdir -p logs
build_log="logs/build-$(date -u +%Y%m%dT%H%M%SZ).log"
started=$SECONDS
if ! cargo "${fuzz_cargo[@]}" fuzz build "${fuzz_build_flags[@]}" >"$build_log" 2>&1; then
    echo "fuzz targets did not build; log: fuzz/$build_log" >&2
    grep -E -A 5 "^error" "$build_log" | head -n 40 >&2 || tail -n 40 "$build_log" >&2
    exit 1
fi
echo "built the fuzz targets in $((SECONDS - started)) s (cargo ${fuzz_cargo[*]} fuzz, sanitizer $fuzz_sanitizer)"

failed=()
for target in "${CERTQR_FUZZ_TARGETS[@]}"; do
    bash run.sh "$target" "$seconds" "$@" || failed+=("$target")
done
echo "fuzz: $((${#CERTQR_FUZZ_TARGETS[@]} - ${#failed[@]})) passed, ${#failed[@]} failed"
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz targets that failed: ${failed[*]}" >&2
    exit 1
fi
