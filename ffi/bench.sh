#!/usr/bin/env bash
# Measures the bindings (docs/benchmarks.md, "Bindings"): verifying the sample QR text
# and scanning the 1280x720 fixture frame, through Python and from Rust in one run, with
# the ratio; then the size of the stripped library in the release profile and in the
# size-optimised release-small profile (with the Rust timings there).
#
#   bash ffi/bench.sh
#
# Both sides call certqr_ffi::Verifier on the same inputs (examples/fixtures.rs), the
# library built in the release profile. Kotlin timings are added by the Kotlin tests.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --quiet --locked --release -p certqr-ffi --lib --example bench --example fixtures
cargo build --quiet --locked --profile release-small -p certqr-ffi --lib --example bench
cargo build --quiet --locked -p certqr-ffi --features cli --bin uniffi-bindgen
library=target/release/libcertqr_ffi.so
target/debug/uniffi-bindgen generate --library "$library" --language python --no-format \
    --out-dir "$work/module" >/dev/null
cp "$library" "$work/module/"
target/release/examples/fixtures "$work/fixtures" >/dev/null

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
target/release/examples/bench >"$work/rust.txt"
CERTQR_BINDINGS="$work/module" CERTQR_FIXTURES="$work/fixtures" \
    python3 ffi/tests/python/bench.py >"$work/python.txt"
target/release-small/examples/bench >"$work/small.txt"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "call        Rust µs    Python µs  Python/Rust  Rust release-small µs"
join "$work/rust.txt" "$work/python.txt" | join - "$work/small.txt" \
    | awk '{ printf "%-10s %9.1f  %11.1f  %10.2f  %20.1f\n", $1, $2, $4, $4 / $2, $6 }'

for profile in release release-small; do
    cp "target/$profile/libcertqr_ffi.so" "$work/stripped.so"
    strip "$work/stripped.so"
    size=$(stat -c %s "$work/stripped.so")
    awk -v profile="$profile" -v size="$size" -v unstripped="$(stat -c %s "target/$profile/libcertqr_ffi.so")" 'BEGIN {
        printf "libcertqr_ffi.so (x86_64, %s): %.2f MB stripped (%d bytes; %.1f MB before)\n",
            profile, size / 1e6, size, unstripped / 1e6 }'
done
