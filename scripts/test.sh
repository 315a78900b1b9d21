#!/usr/bin/env bash
# Install what the tests need, then run every test: the README's test command, and CI's.
#
# Needs only what a fresh machine has (Rust toolchain, Python 3 with venv and pip, and
# apt-get as root for the system packages: ZBar, and openssl where it is missing).
# Python packages for the interoperability tests go into .venv-test in the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== Rust version: the declared rust-version is the rustc that runs these tests"
# Cargo.toml's rust-version is what CI tests, not a floor it never builds with: fail when
# the installed rustc is older or newer, or when a package (fuzz/ included) says otherwise.
rust_installed=$(rustc --version | sed -n 's/^rustc \([0-9]*\.[0-9]*\).*/\1/p')
rust_declared=$(cargo metadata --no-deps --format-version 1 --locked --manifest-path Cargo.toml |
    python3 -c 'import json, sys; print(*sorted({p["rust_version"] or "none" for p in json.load(sys.stdin)["packages"]}))')
rust_fuzz=$(sed -n 's/^rust-version = "\(.*\)"$/\1/p' fuzz/Cargo.toml)
if [ "$rust_declared" != "$rust_installed" ] || [ "$rust_fuzz" != "$rust_installed" ]; then
    echo "rust-version declared: $rust_declared (fuzz/: ${rust_fuzz:-none}); rustc installed: $rust_installed." >&2
    echo "Declare the version CI tests in Cargo.toml and fuzz/Cargo.toml, or install it." >&2
    exit 1
fi

echo "== System libraries: ZBar for the decoder test (tests/tests/decoders.rs)"
if ! ldconfig -p | grep 'libzbar\.so\.0' >/dev/null; then
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libzbar0 >/dev/null
fi

echo "== System tools: OpenSSL for the key interoperability test (tests/tests/interop_openssl.rs)"
if ! command -v openssl >/dev/null; then
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssl >/dev/null
fi

echo "== Python packages for the interoperability tests (.venv-test)"
if [ ! -x .venv-test/bin/python ]; then
    python3 -m venv .venv-test
fi
.venv-test/bin/python -m pip install --quiet --disable-pip-version-check -r tests/interop/requirements.txt
export CERTQR_PYTHON="$PWD/.venv-test/bin/python"
# The interoperability tests fail, rather than skip, when Python or openssl is missing here.
export CERTQR_REQUIRE_INTEROP=1
# The real-photo scanning test (crates/scan) fails, rather than skips, when
# ../shared/qr-photos is missing here.
export CERTQR_REQUIRE_PHOTOS=1

echo "== Formatting"
cargo fmt --all -- --check

echo "== Lints (all targets: the benchmarks are type-checked here too)"
cargo clippy --workspace --all-targets --locked -- -D warnings
# The second scanning backend, behind certqr-scan's `rqrr` feature.
cargo clippy -p certqr-scan --all-targets --features rqrr --locked -- -D warnings

echo "== certqr-core alone: no features, no image, QR-rendering or scanning dependency"
cargo build -p certqr-core --locked
core_forbidden=$(cargo tree -p certqr-core -e normal --prefix none --locked |
    cut -d' ' -f1 | grep -x -E 'image|qrcode|rxing|rqrr' | sort -u | tr '\n' ' ' || true)
if [ -n "$core_forbidden" ]; then
    echo "certqr-core depends on $core_forbidden(cargo tree -p certqr-core -e normal);" >&2
    echo "images, QR rendering and scanning belong in crates/render and crates/scan." >&2
    exit 1
fi

echo "== Dependencies: licenses, one version of each crate, crates.io only (deny.toml)"
if ! cargo deny --version >/dev/null 2>&1; then
    cargo install cargo-deny --locked --version 0.20.2 --quiet
fi
# No `advisories`: the RustSec database is fetched from GitHub, which CI cannot reach.
cargo deny --locked check licenses bans sources

echo "== Tests"
cargo test --workspace --locked
cargo test -p certqr-scan --features rqrr --locked

echo "== Documentation"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked --quiet

# Kotlin, Swift and Python bindings of certqr-ffi: generated, then tested (see the script).
bash ffi/tests/run.sh

echo "== Fuzzing: every target for ${CERTQR_FUZZ_SECONDS:-15} s (long runs: docs/security.md)"
if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked --version 0.13.2 --quiet
fi
if [ "${CI:-}" = true ]; then
    # Keep the instrumented build between CI's fresh clones (see fuzz/toolchain.sh).
    export CERTQR_FUZZ_TARGET_DIR="${CERTQR_FUZZ_TARGET_DIR:-$HOME/.cache/certqr/fuzz-target}"
fi
bash fuzz/run-all.sh "${CERTQR_FUZZ_SECONDS:-15}"
