#!/usr/bin/env bash
# Fuzz one target for a bounded time: bash fuzz/run.sh TARGET SECONDS [libFuzzer flags...]
#
# Seeds fuzz/corpus/TARGET from the test vectors when it is empty (fuzz/seed.sh), builds
# the target, fuzzes it for SECONDS (build time not counted) with a 2 GB memory limit,
# and keeps the whole log in fuzz/logs/TARGET-<UTC time>.log. Exits non-zero when the
# target crashed, leaked, ran out of memory or time on one input, or did not build; the
# input that did it is in fuzz/artifacts/TARGET/. Prints one summary line.
# Extra arguments go to libFuzzer, e.g. `-jobs=2 -workers=2` or `-max_len=65536`.
set -euo pipefail
cd "$(dirname "$0")"
# shellcheck source=fuzz/toolchain.sh
source ./toolchain.sh

if [ $# -lt 2 ] || ! [[ $2 =~ ^[0-9]+$ ]]; then
    echo "usage: bash fuzz/run.sh TARGET SECONDS [libFuzzer flags...]" >&2
    echo "targets: ${CERTQR_FUZZ_TARGETS[*]}" >&2
    exit 2
fi
target=$1
seconds=$2
shift 2

mkdir -p logs "corpus/$target" "artifacts/$target"
if [ -z "$(ls -A "corpus/$target")" ]; then
    bash seed.sh "$target" >/dev/null
fi

flags=(-max_total_time="$seconds" -rss_limit_mb=2048 -timeout=20 -print_final_stats=1)
if [ -f "dicts/$target.dict" ]; then
    flags+=(-dict="dicts/$target.dict")
fi
log="logs/$target-$(date -u +%Y%m%dT%H%M%SZ).log"
status=0
cargo "${fuzz_cargo[@]}" fuzz run "${fuzz_build_flags[@]}" "$target" "corpus/$target" -- \
    "${flags[@]}" "$@" >"$log" 2>&1 || status=$?

executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
corpus=$(find "corpus/$target" -type f | wc -l)
# The scanning targets let third-party decoder panics unwind to certqr's catch_unwind,
# as in an app; the default panic hook still prints each one.
caught=$(grep -c "panicked at" "$log" || true)
if [ "$caught" = 0 ]; then
    caught=
fi
if [ "$status" -ne 0 ]; then
    echo "$target: FAILED (exit $status) after ${executions:-0} executions; log: fuzz/$log" >&2
    grep -E -m 8 "panicked at|^thread|ERROR: libFuzzer|SUMMARY|Test unit written|^error" "$log" >&2 || tail -n 20 "$log" >&2
    exit "$status"
fi
echo "$target: ${executions:-?} executions in ${seconds} s, corpus ${corpus} inputs, no crash" \
    "(sanitizer ${fuzz_sanitizer}${caught:+, caught decoder panics: $caught}; log: fuzz/$log)"
