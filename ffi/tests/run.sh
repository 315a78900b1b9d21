#!/usr/bin/env bash
# The bindings' tests, run by scripts/test.sh: builds certqr-ffi and its bindings
# generator (dev profile), generates the Kotlin, Swift and Python bindings into
# target/bindings/ (never committed), then
#   - Python: pytest against the generated module and the library copied to a temporary
#     directory, then against a wheel built by maturin and installed in a fresh venv;
#   - Swift (no compiler here): the generated C header compiles and every function it
#     declares is defined by the library.
#   - Kotlin: ffi/tests/kotlin/run.sh (the binding and android-demo/core-logic on the JVM).
# Installs what it needs (pinned, into .venv-bindings) and is quiet when it is there.
set -euo pipefail
cd "$(dirname "$0")/../.."

bindings=target/bindings
library=target/debug/libcertqr_ffi.so
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== Bindings: certqr-ffi, its bindings generator and the test fixtures (dev profile)"
# One build with the generator's feature, so the library the tests load is the one
# the bindings were generated from.
cargo build --quiet --locked -p certqr-ffi --features cli --lib --bin uniffi-bindgen --example fixtures
rm -rf "$bindings"
target/debug/uniffi-bindgen generate --library "$library" --no-format --out-dir "$bindings" \
    --language kotlin --language swift --language python >/dev/null
target/debug/examples/fixtures "$bindings/fixtures" >/dev/null
export CERTQR_FIXTURES="$PWD/$bindings/fixtures"

echo "== Bindings: Python packages (.venv-bindings)"
if [ ! -x .venv-bindings/bin/python ]; then
    python3 -m venv .venv-bindings
fi
.venv-bindings/bin/python -m pip install --quiet --disable-pip-version-check \
    -r ffi/tests/python/requirements.txt -r ffi/tests/python/requirements-build.txt

echo "== Bindings: Python, generated module"
mkdir "$work/module"
cp "$bindings/certqr.py" "$library" "$work/module/"
CERTQR_BINDINGS="$work/module" .venv-bindings/bin/python -m pytest -q -p no:cacheprovider ffi/tests/python

echo "== Bindings: Python, wheel built by maturin (dev profile) in a fresh venv"
if ! .venv-bindings/bin/maturin build --profile dev -m ffi/Cargo.toml --out "$work/wheels" \
    >"$work/maturin.log" 2>&1; then
    cat "$work/maturin.log"
    exit 1
fi
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    -r ffi/tests/python/requirements.txt "$work"/wheels/certqr-*.whl
# From the temporary directory, so that nothing in the checkout shadows the wheel.
tests=$PWD/ffi/tests/python
(cd "$work" && CERTQR_EXPECT_INSTALLED=1 "$work/venv/bin/python" -m pytest -q -p no:cacheprovider "$tests")

echo "== Bindings: Swift header and library symbols"
# Named by ffi/uniffi.toml: the Swift module Certqr, its C module CertqrFFI.
test -s "$bindings/Certqr.swift"
test -s "$bindings/CertqrFFI.modulemap"
python3 ffi/tests/check_swift_header.py "$bindings/CertqrFFI.h" "$library"

echo "== Bindings: Kotlin on the JVM, and the Android demo's plain-Kotlin logic"
bash ffi/tests/kotlin/run.sh
