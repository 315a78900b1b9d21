#!/usr/bin/env bash
# Measures the Kotlin binding on the JVM (docs/benchmarks.md, "Bindings"): verifying the
# sample QR text and scanning the 1280x720 fixture frame, from Rust
# (ffi/examples/bench.rs) and through Kotlin (Bench.kt) in one run, with the ratio.
# Both call certqr_ffi::Verifier on the same inputs, the library built in the release
# profile. Rust prints the mean per call; Kotlin the mean and the median (after
# warm-up calls for the JIT); the ratio is of the means.
#
#   bash ffi/tests/kotlin/bench.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --quiet --locked --release -p certqr-ffi --lib --example bench --example fixtures
cargo build --quiet --locked -p certqr-ffi --features cli --bin uniffi-bindgen
library_dir=target/release
target/debug/uniffi-bindgen generate --library "$library_dir/libcertqr_ffi.so" --language kotlin --no-format \
    --out-dir "$work/bindings" >/dev/null
target/release/examples/fixtures "$work/fixtures" >/dev/null
export CERTQR_FIXTURES=$work/fixtures

# shellcheck source=ffi/tests/kotlin/tools.sh
source ffi/tests/kotlin/tools.sh
jar=$(compile_kotlin_tests "$work/bindings/org/certqr/certqr.kt")

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
target/release/examples/bench >"$work/rust.txt"
java -Djna.library.path="$PWD/$library_dir" -cp "$(kotlin_test_classpath "$jar")" certqr.tests.BenchKt \
    >"$work/kotlin.txt"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "call        Rust µs  Kotlin µs  Kotlin/Rust  Kotlin median µs"
join "$work/rust.txt" "$work/kotlin.txt" \
    | awk '{ printf "%-10s %9.1f  %9.1f  %11.2f  %16.1f\n", $1, $2, $4, $4 / $2, $6 }'
