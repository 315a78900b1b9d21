#!/usr/bin/env bash
# Install what the tests need, then run every test: the README's test command, and CI's.
#
# Needs only what a fresh machine has (Rust toolchain, Python 3 with venv and pip).
# Python packages for the interoperability tests go into .venv-test in the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== Python packages for the interoperability tests (.venv-test)"
if [ ! -x .venv-test/bin/python ]; then
    python3 -m venv .venv-test
fi
.venv-test/bin/python -m pip install --quiet --disable-pip-version-check -r tests/interop/requirements.txt
export CERTQR_PYTHON="$PWD/.venv-test/bin/python"
# The interoperability tests fail, rather than skip, when Python is missing here.
export CERTQR_REQUIRE_INTEROP=1

echo "== Formatting"
cargo fmt --all -- --check

echo "== Lints (all targets: the benchmarks are type-checked here too)"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== Tests"
cargo test --workspace --locked

echo "== Documentation"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked --quiet
