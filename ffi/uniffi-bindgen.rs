//! The uniffi bindings generator, built from this crate so that its version always
//! matches the library's: `cargo run -p certqr-ffi --features cli --bin uniffi-bindgen --
//! generate --library target/debug/libcertqr_ffi.so --language python --out-dir DIR`.

fn main() {
    uniffi::uniffi_bindgen_main()
}
