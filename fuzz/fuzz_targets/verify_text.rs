//! QR text to verdict, with a verifier holding the test vectors' trust list and revocation
//! list. Beyond not panicking: every verdict keeps `certqr_fuzz::check_verdict` (never
//! valid unless correctly signed by a trusted issuer within scope and dates, messages
//! render, the ID number stays masked), and a valid text re-encoded still verifies valid.
#![no_main]

use certqr_core::text;
use certqr_core::verify::Status;
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: certqr_fuzz::init("verify_text"), |data: &[u8]| {
    let world = certqr_fuzz::world();
    let text = String::from_utf8_lossy(data);
    let verdict = world.verifier.verify(&text, world.now);
    let document = text::decode(&text).ok();
    certqr_fuzz::check_verdict(&world.verifier, world.now, document.as_deref(), &verdict);
    if verdict.status == Status::Valid {
        let document = document.expect("a valid text decodes");
        let again = world.verifier.verify(&text::encode(&document), world.now);
        assert_eq!(again, verdict, "the same document in its canonical text");
    }
});
