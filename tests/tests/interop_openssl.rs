//! Private keys shared with the rest of the world: the `openssl` command line (Debian's
//! OpenSSL 3.0) and Python's pyca/cryptography, both ways.
//!
//! - A key made by `openssl genpkey` (Ed25519 and SM2) is read by certqr, signs
//!   certificates, and they verify.
//! - A key as `certqr keygen` writes it (`SigningKey::to_pkcs8_pem`, which keygen writes
//!   unchanged) is read by `openssl pkey` and by `cryptography`, and signs with
//!   `openssl pkeyutl -sign -rawin` (and `cryptography`) the COSE `Sig_structure` of a
//!   certificate certqr issued; the signature swapped into the certificate verifies.
//!
//! What does not work, stated here so nobody looks for it:
//! - `cryptography` has no SM2 (its curves are NIST, SECG and Brainpool ones): it
//!   refuses certqr's SM2 keys and OpenSSL's alike, with `UnsupportedAlgorithm`.
//! - `openssl pkeyutl` signs SM2 with an empty distinguishing identifier unless given
//!   `-pkeyopt distid:1234567812345678`; certqr always uses that identifier, so a
//!   signature made without the option is refused (`bad-signature`).
//!
//! OpenSSL comes from `CERTQR_OPENSSL`, else `openssl` on the `PATH`; Python from
//! `CERTQR_PYTHON`. Without them the tests print a skip line, unless
//! `CERTQR_REQUIRE_INTEROP=1` (set by `scripts/test.sh`, which installs both), in which
//! case they fail.
// Test code: a failed unwrap or index is a failed test, reported with its location.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

use certqr_core::catalog::Family;
use certqr_core::cose;
use certqr_core::issue::Issuer;
use certqr_core::keys::{Algorithm, PublicKey, SigningKey, SM2_DISTINGUISHING_IDENTIFIER};
use certqr_core::samples;
use certqr_core::text;
use certqr_core::verify::{Status, Verdict, Verifier};
use certqr_tests::fixture;
use certqr_tests::forge::{self, from_hex, hex};
use certqr_tests::generator;
use certqr_tests::python;
use serde_json::json;
use sha2::{Digest, Sha256};
use time::macros::date;

/// The `openssl` command, or `None` (after a skip line) when it is missing and not
/// required.
fn openssl() -> Option<PathBuf> {
    let program = std::env::var_os("CERTQR_OPENSSL")
        .filter(|path| !path.is_empty())
        .map_or_else(|| PathBuf::from("openssl"), PathBuf::from);
    let found = Command::new(&program)
        .arg("version")
        .output()
        .is_ok_and(|output| output.status.success());
    if found {
        return Some(program);
    }
    let required = std::env::var("CERTQR_REQUIRE_INTEROP").is_ok_and(|value| value == "1");
    assert!(
        !required,
        "CERTQR_REQUIRE_INTEROP=1 but `{}` does not run: install Debian's openssl \
         (scripts/test.sh does) or point CERTQR_OPENSSL at it",
        program.display()
    );
    println!("skipping the OpenSSL interoperability test: no openssl command");
    None
}

/// Runs `openssl ARGS` in `dir`; its standard output, or a panic with its error output.
fn run(openssl: &Path, dir: &Path, args: &[&str]) -> Vec<u8> {
    let output = Command::new(openssl)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "openssl {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// A fresh scratch folder (removed when dropped).
fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn seed(label: &str) -> [u8; 32] {
    Sha256::digest(format!("{}{label}", fixture::SEED_LABEL_PREFIX).as_bytes()).into()
}

/// A certificate signed by `key`, as the COSE document.
fn certificate_document(key: &SigningKey) -> Vec<u8> {
    let certificate =
        generator::sample_certificate(Family::SpecialOperations, date!(2024 - 03 - 01)).unwrap();
    Issuer::new(key.clone()).sign(&certificate).unwrap()
}

/// The verdict on `document` by a verifier trusting `issuer` for the certificate's
/// family, through a trust list signed by a root of the same algorithm.
fn verdict(issuer: PublicKey, document: &[u8]) -> Verdict {
    let root = SigningKey::from_seed(issuer.algorithm(), &seed("openssl-interop-root"));
    let list = samples::trust_list(
        1,
        fixture::TRUST_LIST_ISSUED_AT,
        vec![samples::issuer(
            issuer,
            "上海市应急管理局",
            "Shanghai Emergency Management Bureau",
            310_000,
            &[Family::SpecialOperations],
            date!(2020 - 01 - 01),
        )],
    );
    let mut verifier = Verifier::new(vec![root.public_key()]);
    verifier
        .install_trust_list(&list.sign(&root).unwrap())
        .unwrap();
    verifier.verify(&text::encode(document), fixture::NOW)
}

fn reason_codes(verdict: &Verdict) -> Vec<&'static str> {
    verdict.reasons.iter().map(|reason| reason.code()).collect()
}

/// The COSE `Sig_structure` of a certqr document, built here from its parts (RFC 9052
/// §4.4), not by certqr; and the document with `signature` in place of its own.
struct Signed {
    protected: Vec<u8>,
    payload: Vec<u8>,
    sig_structure: Vec<u8>,
    signature: Vec<u8>,
}

impl Signed {
    fn of(document: &[u8]) -> Signed {
        let message = cose::parse(document).unwrap();
        let sig_structure = forge::sig_structure(message.protected_bytes(), &message.payload);
        // certqr signs exactly these bytes.
        assert_eq!(sig_structure, message.signed_data());
        Signed {
            protected: message.protected_bytes().to_vec(),
            payload: message.payload.clone(),
            sig_structure,
            signature: message.signature.clone(),
        }
    }

    fn with_signature(&self, signature: &[u8]) -> Vec<u8> {
        forge::sign1_raw(&self.protected, &forge::map(&[]), &self.payload, signature)
    }
}

/// `SEQUENCE { INTEGER r, INTEGER s }` (DER, as `openssl pkeyutl` writes SM2 and ECDSA
/// signatures) as 64 bytes `r ‖ s`.
fn raw_signature_from_der(der: &[u8]) -> Vec<u8> {
    assert_eq!(der[0], 0x30, "not a DER SEQUENCE");
    assert_eq!(usize::from(der[1]), der.len() - 2, "one-byte length");
    let mut rest = &der[2..];
    let mut out = Vec::with_capacity(64);
    for _ in 0..2 {
        assert_eq!(rest[0], 0x02, "not a DER INTEGER");
        let length = usize::from(rest[1]);
        let digits = &rest[2..2 + length];
        let digits = digits.strip_prefix(&[0]).unwrap_or(digits);
        assert!(digits.len() <= 32);
        out.extend(std::iter::repeat_n(0, 32 - digits.len()));
        out.extend_from_slice(digits);
        rest = &rest[2 + length..];
    }
    assert!(rest.is_empty());
    out
}

#[test]
fn an_ed25519_key_made_by_openssl_signs_certificates_with_certqr() {
    let Some(openssl) = openssl() else {
        return;
    };
    let dir = scratch();
    run(
        &openssl,
        dir.path(),
        &["genpkey", "-algorithm", "ed25519", "-out", "key.pem"],
    );
    let public_pem = run(&openssl, dir.path(), &["pkey", "-in", "key.pem", "-pubout"]);
    let private_pem = std::fs::read_to_string(dir.path().join("key.pem")).unwrap();
    // OpenSSL writes RFC 8410's v1 form, the form certqr now writes too.
    assert_eq!(private_pem.len(), 119, "{private_pem}");

    let key = SigningKey::from_pkcs8_pem(&private_pem).unwrap();
    assert_eq!(key.algorithm(), Algorithm::Ed25519);
    assert_eq!(key.public_key().to_pem().as_bytes(), public_pem);
    // And certqr writes it back byte for byte.
    assert_eq!(key.to_pkcs8_pem().unwrap().as_str(), private_pem);

    let document = certificate_document(&key);
    let verdict = verdict(key.public_key(), &document);
    assert_eq!(verdict.status, Status::Valid, "{:?}", verdict.reasons);
    assert_eq!(verdict.certificate.unwrap().holder_name, "张建国");
}

#[test]
fn an_sm2_key_made_by_openssl_signs_certificates_with_certqr() {
    let Some(openssl) = openssl() else {
        return;
    };
    let dir = scratch();
    run(
        &openssl,
        dir.path(),
        &["genpkey", "-algorithm", "SM2", "-out", "key.pem"],
    );
    let public_pem = run(&openssl, dir.path(), &["pkey", "-in", "key.pem", "-pubout"]);
    let private_pem = std::fs::read_to_string(dir.path().join("key.pem")).unwrap();

    let key = SigningKey::from_pkcs8_pem(&private_pem).unwrap();
    assert_eq!(key.algorithm(), Algorithm::Sm2);
    assert_eq!(key.public_key().to_pem().as_bytes(), public_pem);

    let document = certificate_document(&key);
    let verdict = verdict(key.public_key(), &document);
    assert_eq!(verdict.status, Status::Valid, "{:?}", verdict.reasons);

    // OpenSSL verifies certqr's SM2 signature too, given the same identifier.
    let signed = Signed::of(&document);
    std::fs::write(dir.path().join("public.pem"), &public_pem).unwrap();
    std::fs::write(dir.path().join("message"), &signed.sig_structure).unwrap();
    std::fs::write(
        dir.path().join("signature"),
        forge::der_signature(&signed.signature).unwrap(),
    )
    .unwrap();
    let distid = format!("distid:{SM2_DISTINGUISHING_IDENTIFIER}");
    let answer = run(
        &openssl,
        dir.path(),
        &[
            "pkeyutl",
            "-verify",
            "-rawin",
            "-digest",
            "sm3",
            "-pubin",
            "-inkey",
            "public.pem",
            "-in",
            "message",
            "-sigfile",
            "signature",
            "-pkeyopt",
            &distid,
        ],
    );
    assert!(
        String::from_utf8_lossy(&answer).contains("Signature Verified Successfully"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
}

#[test]
fn an_ed25519_key_made_by_certqr_is_read_and_used_by_openssl() {
    let Some(openssl) = openssl() else {
        return;
    };
    let dir = scratch();
    let key = SigningKey::from_seed(Algorithm::Ed25519, &seed("openssl-interop-ed25519"));
    std::fs::write(dir.path().join("key.pem"), key.to_pkcs8_pem().unwrap()).unwrap();

    let public_pem = run(&openssl, dir.path(), &["pkey", "-in", "key.pem", "-pubout"]);
    assert_eq!(public_pem, key.public_key().to_pem().as_bytes());

    // OpenSSL signs the Sig_structure of a certificate certqr issued; Ed25519 is
    // deterministic, so it is certqr's own signature, and it verifies in its place.
    let signed = Signed::of(&certificate_document(&key));
    std::fs::write(dir.path().join("message"), &signed.sig_structure).unwrap();
    let signature = run(
        &openssl,
        dir.path(),
        &[
            "pkeyutl", "-sign", "-rawin", "-inkey", "key.pem", "-in", "message",
        ],
    );
    assert_eq!(signature.len(), 64);
    assert_eq!(hex(&signature), hex(&signed.signature));
    let verdict = verdict(key.public_key(), &signed.with_signature(&signature));
    assert_eq!(verdict.status, Status::Valid, "{:?}", verdict.reasons);

    // One changed byte and certqr refuses it: the swap is what is being checked.
    let mut forged = signature.clone();
    forged[10] ^= 0x01;
    let verdict = self::verdict(key.public_key(), &signed.with_signature(&forged));
    assert_eq!(reason_codes(&verdict), ["bad-signature"]);
}

#[test]
fn an_sm2_key_made_by_certqr_is_read_and_used_by_openssl() {
    let Some(openssl) = openssl() else {
        return;
    };
    let dir = scratch();
    let key = SigningKey::from_seed(Algorithm::Sm2, &seed("openssl-interop-sm2"));
    std::fs::write(dir.path().join("key.pem"), key.to_pkcs8_pem().unwrap()).unwrap();

    let public_pem = run(&openssl, dir.path(), &["pkey", "-in", "key.pem", "-pubout"]);
    assert_eq!(public_pem, key.public_key().to_pem().as_bytes());

    let signed = Signed::of(&certificate_document(&key));
    std::fs::write(dir.path().join("message"), &signed.sig_structure).unwrap();
    let sign = |extra: &[&str]| {
        let mut args = vec![
            "pkeyutl", "-sign", "-rawin", "-digest", "sm3", "-inkey", "key.pem", "-in", "message",
        ];
        args.extend_from_slice(extra);
        raw_signature_from_der(&run(&openssl, dir.path(), &args))
    };
    let distid = format!("distid:{SM2_DISTINGUISHING_IDENTIFIER}");
    let signature = sign(&["-pkeyopt", &distid]);
    // A random nonce: not certqr's deterministic signature, but just as valid.
    assert_ne!(signature, signed.signature);
    let verdict = verdict(key.public_key(), &signed.with_signature(&signature));
    assert_eq!(verdict.status, Status::Valid, "{:?}", verdict.reasons);

    // Without the identifier OpenSSL 3.0 hashes an empty one into Z_A: refused.
    let without_distid = sign(&[]);
    let verdict = self::verdict(key.public_key(), &signed.with_signature(&without_distid));
    assert_eq!(reason_codes(&verdict), ["bad-signature"]);
}

#[test]
fn keys_made_by_certqr_are_read_by_python_cryptography() {
    let Some(python) = python::interpreter("cryptography key") else {
        return;
    };
    let key = SigningKey::from_seed(Algorithm::Ed25519, &seed("cryptography-interop-ed25519"));
    let signed = Signed::of(&certificate_document(&key));
    let answer = python::run_script(
        &python,
        "keys_cryptography.py",
        &json!({
            "private_key_pem": key.to_pkcs8_pem().unwrap().as_str(),
            "message_hex": hex(&signed.sig_structure),
        }),
    );
    assert_eq!(answer["loaded"], json!(true), "{answer}");
    assert_eq!(answer["algorithm"], json!("ed25519"));
    assert_eq!(
        answer["public_key_pem"].as_str().unwrap(),
        key.public_key().to_pem()
    );
    let signature = from_hex(answer["signature_hex"].as_str().unwrap()).unwrap();
    let verdict = verdict(key.public_key(), &signed.with_signature(&signature));
    assert_eq!(verdict.status, Status::Valid, "{:?}", verdict.reasons);

    // cryptography has no SM2 at all: it refuses certqr's SM2 key (as it refuses
    // OpenSSL's), which says nothing about the key's form.
    let sm2 = SigningKey::from_seed(Algorithm::Sm2, &seed("cryptography-interop-sm2"));
    let answer = python::run_script(
        &python,
        "keys_cryptography.py",
        &json!({
            "private_key_pem": sm2.to_pkcs8_pem().unwrap().as_str(),
            "message_hex": "",
        }),
    );
    assert_eq!(
        answer,
        json!({"loaded": false, "error": "UnsupportedAlgorithm"})
    );
}

/// The form certqr wrote before (RFC 5958 v2, public key inside, as ed25519-dalek
/// writes it) is what OpenSSL 3.0 refuses; this pins the reason for writing v1, and that
/// certqr still reads v2.
#[test]
fn openssl_refuses_the_v2_form_certqr_still_reads() {
    use ed25519_dalek::pkcs8::EncodePrivateKey as _;
    let Some(openssl) = openssl() else {
        return;
    };
    let dir = scratch();
    let seed = seed("openssl-interop-v2");
    let v2 = ed25519_dalek::SigningKey::from_bytes(&seed)
        .to_pkcs8_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)
        .unwrap();
    std::fs::write(dir.path().join("v2.pem"), v2.as_bytes()).unwrap();
    let output = Command::new(&openssl)
        .args(["pkey", "-in", "v2.pem", "-noout"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        !output.status.success(),
        "OpenSSL now reads v2 Ed25519 keys"
    );
    let read = SigningKey::from_pkcs8_pem(&v2).unwrap();
    let key = SigningKey::from_seed(Algorithm::Ed25519, &seed);
    assert_eq!(read.public_key(), key.public_key());
    assert_ne!(key.to_pkcs8_pem().unwrap().as_str(), v2.as_str());
}
