# Sourced by fuzz/run.sh, fuzz/run-all.sh and fuzz/seed.sh: the targets, and how to call cargo fuzz.
#
# cargo fuzz wants the nightly toolchain for AddressSanitizer; without one (a fresh
# machine whose only toolchain is stable) the targets are built with the default
# toolchain and no sanitizer (`-s none`): the coverage instrumentation needs no nightly.
# Safe Rust needs no sanitizer to turn a bug into a crash; ASan also watches the unsafe
# code of the dependencies. CERTQR_FUZZ_SANITIZER overrides the choice (address, none).

# Every fuzz target, in the order the test command runs them.
CERTQR_FUZZ_TARGETS=(text verify_text document trust_list revocation_list scan_frame scan_image)

if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    fuzz_cargo=(+nightly)
    fuzz_sanitizer=${CERTQR_FUZZ_SANITIZER:-address}
else
    fuzz_cargo=()
    fuzz_sanitizer=${CERTQR_FUZZ_SANITIZER:-none}
fi
fuzz_build_flags=(--sanitizer "$fuzz_sanitizer")

# Where the instrumented build goes: fuzz/target, unless CERTQR_FUZZ_TARGET_DIR names
# another directory (the test command does so on CI, so that a fresh clone rebuilds only
# certqr's own crates, not the two hundred dependencies).
if [ -n "${CERTQR_FUZZ_TARGET_DIR:-}" ]; then
    fuzz_build_flags+=(--target-dir "$CERTQR_FUZZ_TARGET_DIR")
fi
