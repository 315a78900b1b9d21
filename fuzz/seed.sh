#!/usr/bin/env bash
# Write the seed corpora: bash fuzz/seed.sh [TARGET...] (every target when none is named).
#
# The seeds (every text and signed document of tests/vectors/*.json, the fuzz world's own
# certificates and lists, QR codes drawn as PNG, JPEG and camera frames) are made by the
# target binaries themselves (certqr_fuzz::seeds, run with CERTQR_FUZZ_SEED_DIR set), so
# seeding needs no build beyond the fuzzing one. Files the fuzzer added to fuzz/corpus/
# are kept; the seeds are rewritten.
set -euo pipefail
cd "$(dirname "$0")"
# shellcheck source=fuzz/toolchain.sh
source ./toolchain.sh

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=("${CERTQR_FUZZ_TARGETS[@]}")
fi
mkdir -p logs
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target"
    log="logs/seed-$target.log"
    if ! CERTQR_FUZZ_SEED_DIR="$PWD/corpus/$target" \
        cargo "${fuzz_cargo[@]}" fuzz run "${fuzz_build_flags[@]}" "$target" -- -runs=0 >"$log" 2>&1; then
        echo "seed.sh: $target did not build or could not write its seeds; log: fuzz/$log" >&2
        grep -E -A 5 "^error|cannot write seeds" "$log" | head -n 40 >&2 || tail -n 20 "$log" >&2
        exit 1
    fi
    grep -E "wrote [0-9]+ seeds" "$log"
done
