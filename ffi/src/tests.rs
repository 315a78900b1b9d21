//! The bindings' API from Rust: what each call returns and how it fails. The same cases
//! run through Python in `tests/python/` and through Kotlin beside the Android demo.

// Tests may panic: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::fs;

use tempfile::TempDir;

use crate::*;

// Shared with the examples; each uses part of it.
#[allow(dead_code)]
#[path = "../examples/support/mod.rs"]
mod support;

fn now() -> i64 {
    support::NOW.unix_timestamp()
}

fn root_pem() -> Vec<String> {
    vec![support::root_key().public_key().to_pem()]
}

fn open(dir: &TempDir) -> Result<std::sync::Arc<Verifier>, CertqrError> {
    Verifier::new(root_pem(), dir.path().to_string_lossy().into_owned())
}

/// A verifier in a new state directory with trust list 1 installed.
fn verifier() -> (TempDir, std::sync::Arc<Verifier>) {
    let dir = TempDir::new().unwrap();
    let verifier = open(&dir).unwrap();
    verifier
        .install_trust_list(support::trust_list(1, &support::root_key()).unwrap())
        .unwrap();
    (dir, verifier)
}

fn codes(verdict: &Verdict) -> Vec<&str> {
    verdict
        .reasons
        .iter()
        .map(|reason| reason.code.as_str())
        .collect()
}

#[test]
fn a_valid_certificate_gives_every_display_field() {
    let (_dir, verifier) = verifier();
    let verdict = verifier
        .verify(support::certificate_text().unwrap(), now())
        .unwrap();
    assert_eq!(verdict.status, VerdictStatus::Valid);
    assert!(verdict.reasons.is_empty());
    assert!(verdict.warnings.is_empty());
    let fields = verdict.certificate.unwrap();
    assert_eq!(
        fields,
        CertificateFields {
            verified: true,
            authentic: true,
            holder_name: "张建国".into(),
            sex: Sex::Male,
            id_number: "3201**********123X".into(),
            number: "T3201**********123X".into(),
            family: "special-operations".into(),
            family_name_zh: "特种作业操作证".into(),
            family_name_en: "Special operations certificate".into(),
            item: "1.1".into(),
            item_name_zh: Some("高压电工作业".into()),
            item_name_en: Some("High-voltage electrical work".into()),
            first_issued: "2024-06-01".into(),
            valid_from: "2024-06-01".into(),
            valid_until: "2030-05-31".into(),
            review_due: Some("2027-06-01".into()),
        }
    );
    let issuer = verdict.issuer.unwrap();
    assert_eq!(issuer.name_zh, "江苏省应急管理厅");
    assert_eq!(issuer.region_code, 320000);
    assert_eq!(issuer.algorithm, "Ed25519");
    assert_eq!(
        issuer.key_id,
        support::issuer_key().public_key().key_id().to_hex()
    );
}

#[test]
fn a_tampered_certificate_is_invalid_and_its_fields_unverified() {
    let (_dir, verifier) = verifier();
    let text = support::certificate_text().unwrap();
    let mut document = certqr_core::text::decode(&text).unwrap();
    let middle = document.len() / 2;
    document[middle] ^= 1;
    let verdict = verifier
        .verify(certqr_core::text::encode(&document), now())
        .unwrap();
    assert_eq!(verdict.status, VerdictStatus::Invalid);
    assert_eq!(codes(&verdict), ["bad-signature"]);
    assert!(verdict.reasons[0].message_zh.contains("签名验证失败"));
    assert!(verdict.issuer.is_none());
    assert!(verdict
        .certificate
        .is_none_or(|fields| !fields.verified && !fields.authentic));
    assert!(verdict.summary_zh.starts_with("无效"));
}

#[test]
fn web_links_are_not_certificates_and_look_alikes_are_named() {
    let (_dir, verifier) = verifier();
    let verdict = verifier
        .verify(support::LOOK_ALIKE_LINK.into(), now())
        .unwrap();
    assert_eq!(verdict.status, VerdictStatus::NotACertificate);
    assert_eq!(codes(&verdict), ["look-alike-website"]);
    assert!(verdict.reasons[0]
        .message_en
        .contains(support::OFFICIAL_DOMAIN));
    let details = &verdict.reasons[0].details;
    assert_eq!(details.imitates.as_deref(), Some(support::OFFICIAL_DOMAIN));
    assert!(details.trick.is_some());
    assert_eq!(
        verdict.summary_en,
        "not a certificate: probably a fake verification website"
    );
    let official = format!("https://{}/cx", support::OFFICIAL_DOMAIN);
    let verdict = verifier.verify(official, now()).unwrap();
    assert_eq!(verdict.status, VerdictStatus::NotACertificate);
    assert_eq!(codes(&verdict), ["official-website"]);
    let verdict = verifier.verify("hello".into(), now()).unwrap();
    assert_eq!(codes(&verdict), ["not-certqr"]);
}

#[test]
fn a_frame_with_a_code_gives_its_corners_and_verdict() {
    let (_dir, verifier) = verifier();
    let text = support::certificate_text().unwrap();
    let frame = support::frame(&text).unwrap();
    let found = verifier
        .scan_frame(
            &frame,
            support::FRAME_WIDTH,
            support::FRAME_HEIGHT,
            support::FRAME_ROW_STRIDE,
            now(),
        )
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].text, text);
    assert_eq!(found[0].verdict.status, VerdictStatus::Valid);
    assert!(found[0].corners.len() >= 3);
    for corner in &found[0].corners {
        // The code is drawn around x = 768, y = 360, 260 px wide with its quiet zone.
        assert!((600.0..940.0).contains(&corner.x), "{corner:?}");
        assert!((190.0..530.0).contains(&corner.y), "{corner:?}");
    }
}

#[test]
fn a_frame_without_a_code_is_an_empty_list() {
    let (_dir, verifier) = verifier();
    let luma: Vec<u8> = (0..640u32 * 480).map(|i| (i % 251) as u8).collect();
    let found = verifier.scan_frame(&luma, 640, 480, 640, now()).unwrap();
    assert!(found.is_empty());
}

#[test]
fn a_frame_whose_stride_or_length_disagrees_is_bad_frame() {
    let (_dir, verifier) = verifier();
    // (buffer length, width, height, row stride): 100 rows of 100 pixels, stride 100
    // or 104, take 9,900 + 100 to 10,000 or 10,296 + 100 to 10,400 bytes.
    let cases = [
        (100 * 100, 100, 100, 99),
        (100 * 99, 100, 100, 100),
        (100 * 100 + 1, 100, 100, 100),
        (104 * 99 + 99, 100, 100, 104),
        (104 * 100 + 1, 100, 100, 104),
        (0, 0, 100, 100),
    ];
    for (length, width, height, stride) in cases {
        let result = verifier.scan_frame(&vec![0; length], width, height, stride, now());
        assert!(
            matches!(result, Err(CertqrError::BadFrame(_))),
            "{length} bytes, {width}x{height} stride {stride}: {result:?}"
        );
    }
    for (length, stride) in [(104 * 99 + 100, 104), (104 * 100, 104), (100 * 100, 100)] {
        let result = verifier.scan_frame(&vec![0; length], 100, 100, stride, now());
        assert!(
            result.is_ok(),
            "{length} bytes, stride {stride}: {result:?}"
        );
    }
}

#[test]
fn negative_sizes_are_named_errors() {
    // Sizes cross the boundary as i32 (Java has no unsigned types).
    let (_dir, verifier) = verifier();
    for (width, height, stride, name) in [
        (-1, 10, 10, "width -1"),
        (10, -10, 10, "height -10"),
        (10, 10, i32::MIN, "row stride -2147483648"),
    ] {
        let result = verifier.scan_frame(&[0; 100], width, height, stride, now());
        assert!(
            matches!(&result, Err(CertqrError::BadFrame(message))
                if message == &format!("the frame's {name} is negative")),
            "{result:?}"
        );
    }
    let issuer = Issuer::from_seed(Algorithm::Ed25519, vec![2; 32]).unwrap();
    let png = issuer.render_png("hello".into(), -4);
    assert!(
        matches!(&png, Err(CertqrError::InvalidArgument(message)) if message.contains("-4")),
        "{png:?}"
    );
    let svg = issuer.render_svg("hello".into(), 0);
    assert!(
        matches!(svg, Err(CertqrError::InvalidArgument(_))),
        "{svg:?}"
    );
}

#[test]
fn a_frame_plane_passed_from_the_wrong_start_is_refused_with_a_hint() {
    // What uniffi hands over for a Kotlin ByteBuffer at position 16 whose limit is the
    // end of a larger buffer: `remaining()` bytes from the buffer's start.
    let (_dir, verifier) = verifier();
    let frame = support::frame(&support::certificate_text().unwrap()).unwrap();
    let mut larger = vec![0; 4096];
    larger.extend_from_slice(&frame);
    let result = verifier.scan_frame(
        &larger,
        support::FRAME_WIDTH,
        support::FRAME_HEIGHT,
        support::FRAME_ROW_STRIDE,
        now(),
    );
    assert!(
        matches!(&result, Err(CertqrError::BadFrame(message)) if message.contains("position 0")),
        "{result:?}"
    );
}

#[test]
fn a_photo_of_a_rendered_code_is_read_and_verified() {
    let (_dir, verifier) = verifier();
    let issuer =
        Issuer::from_pkcs8_pem(support::issuer_key().to_pkcs8_pem().unwrap().to_string()).unwrap();
    let text = support::certificate_text().unwrap();
    let png = issuer.render_png(text.clone(), 4).unwrap();
    let found = verifier.scan_photo(png, now()).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].text, text);
    assert_eq!(found[0].verdict.status, VerdictStatus::Valid);
    let svg = issuer.render_svg(text, 4).unwrap();
    assert!(svg.starts_with("<svg"));
    let result = verifier.scan_photo(b"GIF89a".to_vec(), now());
    assert!(
        matches!(result, Err(CertqrError::BadImage(_))),
        "{result:?}"
    );
}

#[test]
fn bad_trust_lists_are_refused_and_the_installed_one_stays() {
    let (dir, verifier) = verifier();
    let saved = fs::read(dir.path().join(TRUST_LIST_FILE)).unwrap();
    let forged = support::trust_list(3, &support::forger_key()).unwrap();
    let result = verifier.install_trust_list(forged);
    assert!(
        matches!(&result, Err(CertqrError::InvalidTrustList(message))
            if message.contains("not signed by a pinned root key")),
        "{result:?}"
    );
    let result = verifier.install_trust_list(b"not a list".to_vec());
    assert!(
        matches!(result, Err(CertqrError::InvalidTrustList(_))),
        "{result:?}"
    );
    assert_eq!(verifier.trust_list().unwrap().sequence, 1);
    assert_eq!(fs::read(dir.path().join(TRUST_LIST_FILE)).unwrap(), saved);
}

#[test]
fn without_a_trust_list_nothing_verifies() {
    let dir = TempDir::new().unwrap();
    let verifier = open(&dir).unwrap();
    assert!(verifier.trust_list().is_none());
    let verdict = verifier
        .verify(support::certificate_text().unwrap(), now())
        .unwrap();
    assert_eq!(codes(&verdict), ["no-trust-list"]);
}

#[test]
fn state_survives_a_restart_and_refuses_rollback() {
    let dir = TempDir::new().unwrap();
    {
        let verifier = open(&dir).unwrap();
        let info = verifier
            .install_trust_list(support::trust_list(2, &support::root_key()).unwrap())
            .unwrap();
        assert_eq!(info.sequence, 2);
        assert_eq!(
            info.issued_at,
            time::macros::datetime!(2025-01-03 0:00 UTC).unix_timestamp()
        );
    }
    let reopened = open(&dir).unwrap();
    assert_eq!(reopened.trust_list().unwrap().sequence, 2);
    let verdict = reopened
        .verify(support::certificate_text().unwrap(), now())
        .unwrap();
    assert_eq!(verdict.status, VerdictStatus::Valid);
    let result = reopened.install_trust_list(support::trust_list(1, &support::root_key()).unwrap());
    assert!(
        matches!(&result, Err(CertqrError::TrustListRollback(message))
            if message == "trust list sequence 1 is older than the installed 2"),
        "{result:?}"
    );
    // Even with the saved copy gone, the state file alone refuses the older list.
    drop(reopened);
    fs::remove_file(dir.path().join(TRUST_LIST_FILE)).unwrap();
    let reopened = open(&dir).unwrap();
    assert!(reopened.trust_list().is_none());
    let result = reopened.install_trust_list(support::trust_list(1, &support::root_key()).unwrap());
    assert!(
        matches!(result, Err(CertqrError::TrustListRollback(_))),
        "{result:?}"
    );
}

#[test]
fn revocation_is_checked_saved_and_rollback_protected() {
    let (dir, verifier) = verifier();
    let info = verifier
        .install_revocation_list(support::revocation_list(2, true).unwrap())
        .unwrap();
    assert_eq!(info.sequence, 2);
    let text = support::certificate_text().unwrap();
    let verdict = verifier.verify(text.clone(), now()).unwrap();
    assert_eq!(verdict.status, VerdictStatus::Invalid);
    assert_eq!(codes(&verdict), ["revoked"]);
    // One verifier per directory: the first is closed before the next opens.
    drop(verifier);
    let reopened = open(&dir).unwrap();
    assert_eq!(reopened.revocation_list().unwrap().sequence, 2);
    assert_eq!(codes(&reopened.verify(text, now()).unwrap()), ["revoked"]);
    let result = reopened.install_revocation_list(support::revocation_list(1, false).unwrap());
    assert!(
        matches!(result, Err(CertqrError::RevocationListRollback(_))),
        "{result:?}"
    );
    let result =
        reopened.install_revocation_list(support::trust_list(5, &support::root_key()).unwrap());
    assert!(
        matches!(result, Err(CertqrError::InvalidRevocationList(_))),
        "{result:?}"
    );
}

#[test]
fn a_second_verifier_on_the_directory_is_refused_while_the_first_is_open() {
    let (dir, first) = verifier();
    let result = open(&dir);
    assert!(
        matches!(&result, Err(CertqrError::StateDirectory(message))
            if message.contains("in use by another verifier")
                && !message.contains(&*dir.path().to_string_lossy())),
        "{result:?}"
    );
    // The first still works, and once it is closed the directory opens again.
    assert_eq!(first.trust_list().unwrap().sequence, 1);
    drop(first);
    assert_eq!(open(&dir).unwrap().trust_list().unwrap().sequence, 1);
}

/// Trust list 1 as `support::trust_list` makes it, but naming its issuer otherwise.
fn other_trust_list_1() -> Vec<u8> {
    use certqr_core::catalog::Family;
    use certqr_core::samples;
    let issuer = samples::issuer(
        support::issuer_key().public_key(),
        "江苏省应急管理厅",
        "Another Department",
        320000,
        &[Family::SpecialOperations],
        time::macros::date!(2024 - 01 - 01),
    );
    samples::trust_list(
        1,
        time::macros::datetime!(2025-01-02 0:00 UTC),
        vec![issuer],
    )
    .sign(&support::root_key())
    .unwrap()
}

#[test]
fn another_list_under_an_installed_sequence_is_refused_after_a_restart() {
    let (dir, verifier) = verifier();
    verifier
        .install_revocation_list(support::revocation_list(2, true).unwrap())
        .unwrap();
    drop(verifier);
    // With the saved copies gone, only the digests in the state file can tell.
    fs::remove_file(dir.path().join(TRUST_LIST_FILE)).unwrap();
    fs::remove_file(dir.path().join(REVOCATION_LIST_FILE)).unwrap();
    let reopened = open(&dir).unwrap();
    let result = reopened.install_trust_list(other_trust_list_1());
    assert!(
        matches!(&result, Err(CertqrError::InvalidTrustList(message))
            if message.contains("sequence 1") && message.contains("different content")),
        "{result:?}"
    );
    let result = reopened.install_revocation_list(support::revocation_list(2, false).unwrap());
    assert!(
        matches!(&result, Err(CertqrError::InvalidRevocationList(message))
            if message.contains("sequence 2") && message.contains("different content")),
        "{result:?}"
    );
    assert!(!dir.path().join(TRUST_LIST_FILE).exists());
    // Without its revocation list the verdict says revocation was not checked.
    let verdict = reopened
        .verify(support::certificate_text().unwrap(), now())
        .unwrap();
    assert_eq!(codes(&verdict), ["no-trust-list"]);
    // The lists installed before are welcome again, and revoke again.
    reopened
        .install_trust_list(support::trust_list(1, &support::root_key()).unwrap())
        .unwrap();
    let verdict = reopened
        .verify(support::certificate_text().unwrap(), now())
        .unwrap();
    assert_eq!(verdict.status, VerdictStatus::Valid);
    assert_eq!(
        verdict
            .warnings
            .iter()
            .map(|warning| warning.code.as_str())
            .collect::<Vec<_>>(),
        ["revocation-not-checked"]
    );
    reopened
        .install_revocation_list(support::revocation_list(2, true).unwrap())
        .unwrap();
    let verdict = reopened
        .verify(support::certificate_text().unwrap(), now())
        .unwrap();
    assert_eq!(codes(&verdict), ["revoked"]);
}

#[test]
fn a_damaged_state_file_stops_the_verifier_and_is_left_alone() {
    let (dir, first) = verifier();
    drop(first);
    let path = dir.path().join(STATE_FILE);
    let mut bytes = fs::read(&path).unwrap();
    bytes.truncate(bytes.len() - 3);
    fs::write(&path, &bytes).unwrap();
    let result = open(&dir);
    assert!(
        matches!(&result, Err(CertqrError::StateDirectory(message))
            if message.starts_with("state.cqs: ") && message.contains("not reset")),
        "{result:?}"
    );
    assert_eq!(fs::read(&path).unwrap(), bytes);
}

#[test]
fn a_saved_list_the_roots_no_longer_accept_is_left_out() {
    let (dir, first) = verifier();
    drop(first);
    let other_root = vec![support::forger_key().public_key().to_pem()];
    let verifier = Verifier::new(other_root, dir.path().to_string_lossy().into_owned()).unwrap();
    assert!(verifier.trust_list().is_none());
    let verdict = verifier
        .verify(support::certificate_text().unwrap(), now())
        .unwrap();
    assert_eq!(codes(&verdict), ["no-trust-list"]);
}

#[test]
fn bad_root_keys_and_times_are_errors() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().to_string_lossy().into_owned();
    let result = Verifier::new(vec!["not a key".into()], path.clone());
    assert!(
        matches!(result, Err(CertqrError::InvalidKey(_))),
        "{result:?}"
    );
    let result = Verifier::new(Vec::new(), path);
    assert!(
        matches!(result, Err(CertqrError::InvalidKey(_))),
        "{result:?}"
    );
    let (_dir, verifier) = verifier();
    let result = verifier.verify("hello".into(), i64::MAX);
    assert!(
        matches!(result, Err(CertqrError::InvalidArgument(_))),
        "{result:?}"
    );
}

fn certificate_data() -> CertificateData {
    CertificateData {
        family: "special-operations".into(),
        item: "1.2".into(),
        holder_name: "张建国".into(),
        sex: Sex::Male,
        id_number: "32010219850612123X".into(),
        number: "T32010219850612123X".into(),
        first_issued: "2024-06-01".into(),
        valid_from: "2024-06-01".into(),
        valid_until: "2030-05-31".into(),
        review_due: Some("2027-06-01".into()),
    }
}

#[test]
fn an_issuer_signs_what_the_verifier_accepts() {
    let (_dir, verifier) = verifier();
    let issuer = Issuer::from_seed(Algorithm::Ed25519, vec![2; 32]).unwrap();
    assert_eq!(
        issuer.public_key_pem(),
        support::issuer_key().public_key().to_pem()
    );
    assert_eq!(issuer.key_id(), verifier_key_id());
    let text = issuer.issue(certificate_data()).unwrap();
    assert!(text.starts_with("CQ1:"));
    let verdict = verifier.verify(text, now()).unwrap();
    assert_eq!(verdict.status, VerdictStatus::Valid);
    assert_eq!(
        verdict.certificate.unwrap().item_name_zh.unwrap(),
        "低压电工作业"
    );
}

fn verifier_key_id() -> String {
    support::issuer_key().public_key().key_id().to_hex()
}

#[test]
fn bad_certificate_data_names_the_field_never_the_value() {
    let issuer = Issuer::from_seed(Algorithm::Sm2, vec![7; 32]).unwrap();
    type Change = fn(&mut CertificateData);
    let cases: [(Change, &str); 5] = [
        (
            |data| data.family = "welding".into(),
            "family: not a known family code",
        ),
        (
            |data| data.id_number = "32010219850612123Y".into(),
            "id_number: identity card number has an invalid character at position 18",
        ),
        (
            |data| data.valid_from = "2024-6-1".into(),
            "valid_from: not a date YYYY-MM-DD",
        ),
        (
            |data| data.number = "T110105198801173016".into(),
            "certificate number is not \"T\" followed by the holder's identity card number",
        ),
        (
            |data| data.sex = Sex::Female,
            "sex does not match the identity card number",
        ),
    ];
    for (change, expected) in cases {
        let mut data = certificate_data();
        change(&mut data);
        let result = issuer.issue(data);
        assert!(
            matches!(&result, Err(CertqrError::InvalidCertificateData(message)) if message == expected),
            "{result:?}"
        );
    }
}

#[test]
fn bad_signing_keys_and_render_sizes_are_errors() {
    let result = Issuer::from_seed(Algorithm::Ed25519, vec![1; 31]);
    assert!(
        matches!(&result, Err(CertqrError::InvalidKey(message)) if message == "a seed is 32 bytes, not 31"),
        "{result:?}"
    );
    let result = Issuer::from_pkcs8_pem(support::root_key().public_key().to_pem());
    assert!(
        matches!(result, Err(CertqrError::InvalidKey(_))),
        "{result:?}"
    );
    let issuer = Issuer::from_seed(Algorithm::Ed25519, vec![1; 32]).unwrap();
    let result = issuer.render_png("CQ1:X".into(), 0);
    assert!(
        matches!(result, Err(CertqrError::InvalidArgument(_))),
        "{result:?}"
    );
    let result = issuer.render_svg("A".repeat(5000), 4);
    assert!(
        matches!(result, Err(CertqrError::InvalidArgument(_))),
        "{result:?}"
    );
}

/// format.md §3.1: extension claim keys and algorithms are any CBOR integer, beyond what
/// uniffi's 64-bit integers hold, so the bindings carry them as exact decimal text.
#[test]
fn integers_beyond_64_bits_cross_as_exact_text() {
    let mut details = certqr_core::verify::Details::default();
    details.keys = Some(vec![100, u64::MAX.into(), -(1i128 << 64)]);
    details.algorithm = Some(-(1i128 << 64));
    let carried = crate::verdict::Details::from(&details);
    assert_eq!(
        carried.keys,
        Some(vec![
            "100".to_owned(),
            "18446744073709551615".to_owned(),
            "-18446744073709551616".to_owned()
        ])
    );
    assert_eq!(carried.algorithm.as_deref(), Some("-18446744073709551616"));
}
