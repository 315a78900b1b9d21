use time::macros::{date, datetime};

use super::*;
use crate::catalog::Family;
use crate::cose;
use crate::issue::Issuer;
use crate::keys::SigningKey;
use crate::samples;
use crate::trust::Scope;

/// Keys and a trust list: issuer A (emergency management) signs special operations and
/// safety management, issuer B (market regulation) signs special equipment.
struct Setup {
    root: SigningKey,
    issuer_a: SigningKey,
    issuer_b: SigningKey,
    list: TrustList,
}

const NOW: OffsetDateTime = datetime!(2025-06-01 02:00 UTC);

fn key(seed: u8) -> SigningKey {
    SigningKey::from_seed(Algorithm::Ed25519, &[seed; 32])
}

fn setup() -> Setup {
    let (root, issuer_a, issuer_b) = (key(1), key(2), key(3));
    let list = samples::trust_list(
        7,
        datetime!(2025-05-01 00:00 UTC),
        vec![
            samples::issuer(
                issuer_a.public_key(),
                "江苏省应急管理厅",
                "Jiangsu Emergency Management Department",
                320_000,
                &[Family::SpecialOperations, Family::SafetyManagement],
                date!(2020 - 01 - 01),
            ),
            samples::issuer(
                issuer_b.public_key(),
                "江苏省市场监督管理局",
                "Jiangsu Administration for Market Regulation",
                320_000,
                &[Family::SpecialEquipment],
                date!(2020 - 01 - 01),
            ),
        ],
    );
    Setup {
        root,
        issuer_a,
        issuer_b,
        list,
    }
}

impl Setup {
    fn verifier(&self) -> Verifier {
        let mut verifier = Verifier::new(vec![self.root.public_key()]);
        verifier
            .install_trust_list(&self.list.sign(&self.root).unwrap())
            .unwrap();
        verifier
    }

    fn with_list(&self, change: impl FnOnce(&mut TrustList)) -> Verifier {
        let mut list = self.list.clone();
        change(&mut list);
        let mut verifier = Verifier::new(vec![self.root.public_key()]);
        verifier
            .install_trust_list(&list.sign(&self.root).unwrap())
            .unwrap();
        verifier
    }
}

fn certificate(family: Family) -> Certificate {
    samples::certificate(family, date!(2024 - 03 - 01)).unwrap()
}

fn codes(verdict: &Verdict) -> Vec<&'static str> {
    verdict.reasons.iter().map(Reason::code).collect()
}

/// Sign claims without the issuing checks, as a careless or hostile issuer could.
fn sign_unchecked(key: &SigningKey, certificate: &Certificate) -> String {
    text::encode(&cose::sign(
        DocumentKind::Certificate,
        key,
        certificate.to_claims(),
    ))
}

#[test]
fn genuine_certificates_of_every_family_are_valid() {
    let setup = setup();
    let verifier = setup.verifier();
    for family in Family::ALL {
        let issuer = if family == Family::SpecialEquipment {
            &setup.issuer_b
        } else {
            &setup.issuer_a
        };
        let mut list_scope = setup.list.clone();
        for entry in &mut list_scope.issuers {
            entry.scope = Family::ALL
                .iter()
                .map(|&family| Scope {
                    family,
                    items: None,
                })
                .collect();
        }
        let verifier_all = setup.with_list(|list| *list = list_scope.clone());
        let text = Issuer::new(issuer.clone())
            .issue(&certificate(family))
            .unwrap();
        let verdict = verifier_all.verify(&text, NOW);
        assert_eq!(
            verdict.status,
            Status::Valid,
            "{family:?}: {:?}",
            verdict.reasons
        );
        let view = verdict.certificate.unwrap();
        assert!(view.verified);
        assert_eq!(view.family, family);
        assert!(view.id_number.contains("**********"));
        assert!(!view.number.contains(certificate(family).id_number.as_str()));
        assert!(verdict.issuer.is_some());
        if family == Family::SpecialOperations {
            assert_eq!(verifier.verify(&text, NOW).status, Status::Valid);
        }
    }
}

#[test]
fn verdict_names_the_issuer_and_shows_masked_fields() {
    let setup = setup();
    let text = Issuer::new(setup.issuer_a.clone())
        .issue(&certificate(Family::SpecialOperations))
        .unwrap();
    let verdict = setup.verifier().verify(&text, NOW);
    let issuer = verdict.issuer.unwrap();
    assert_eq!(issuer.name_zh, "江苏省应急管理厅");
    assert_eq!(issuer.key_id, setup.issuer_a.public_key().key_id().to_hex());
    let view = verdict.certificate.unwrap();
    assert_eq!(view.holder_name, "张建国");
    assert_eq!(view.id_number, "3201**********123X");
    assert_eq!(view.number, "T3201**********123X");
    assert_eq!(view.item_name_zh, Some("高压电工作业"));
    let full = Verifier::with_options(
        vec![setup.root.public_key()],
        VerifierOptions {
            show_full_id_number: true,
            ..VerifierOptions::default()
        },
    );
    let mut full = full;
    full.install_trust_list(&setup.list.sign(&setup.root).unwrap())
        .unwrap();
    assert_eq!(
        full.verify(&text, NOW).certificate.unwrap().id_number,
        "32010219850612123X"
    );
}

#[test]
fn tampered_claims_fail_the_signature_and_are_marked_unverified() {
    let setup = setup();
    let document = Issuer::new(setup.issuer_a.clone())
        .sign(&certificate(Family::SpecialOperations))
        .unwrap();
    // Replace the holder's name in the signed payload, keeping its length.
    let name = "张建国".as_bytes();
    let position = document
        .windows(name.len())
        .position(|window| window == name)
        .unwrap();
    let mut forged = document.clone();
    forged[position..position + name.len()].copy_from_slice("李建国".as_bytes());
    let verdict = setup.verifier().verify(&text::encode(&forged), NOW);
    assert_eq!(verdict.status, Status::Invalid);
    assert_eq!(codes(&verdict), ["bad-signature"]);
    let view = verdict.certificate.unwrap();
    assert!(!view.verified);
    assert_eq!(view.holder_name, "李建国");
    assert!(verdict.issuer.is_none());
}

/// format.md §5.3: certificate dates are days in China Standard Time, compared with the
/// date in UTC+8 at the verification instant.
#[test]
fn date_checks_give_specific_reasons() {
    let setup = setup();
    // Issued before the earliest time judged here, so no time is behind trusted data.
    let verifier = setup.with_list(|list| {
        list.issued_at = datetime!(2024-01-01 00:00 UTC);
        list.expires_at = datetime!(2031-01-01 00:00 UTC);
    });
    let issuer = Issuer::new(setup.issuer_a.clone());
    let text = issuer
        .issue(&certificate(Family::SpecialOperations))
        .unwrap();
    // Valid 2024-03-01 to 2030-02-28, review due 2027-03-01; dates are in China's zone.
    let cases = [
        (datetime!(2024-02-29 15:59 UTC), vec!["not-yet-valid"]),
        (datetime!(2024-02-29 16:00 UTC), vec![]),
        (datetime!(2027-03-01 15:59 UTC), vec![]),
        (datetime!(2027-03-01 16:00 UTC), vec!["review-overdue"]),
        (
            datetime!(2030-03-01 00:00 UTC),
            vec!["expired", "review-overdue"],
        ),
    ];
    for (now, expected) in cases {
        let verdict = verifier.verify(&text, now);
        assert_eq!(codes(&verdict), expected, "{now}");
    }
    let soon = verifier.verify(&text, datetime!(2027-02-20 00:00 UTC));
    assert_eq!(soon.status, Status::Valid);
    assert_eq!(
        soon.warnings.iter().map(Warning::code).collect::<Vec<_>>(),
        ["review-due-soon"]
    );
}

#[test]
fn scope_and_key_status_give_specific_reasons() {
    let setup = setup();
    let equipment_by_a = Issuer::new(setup.issuer_a.clone())
        .issue(&certificate(Family::SpecialEquipment))
        .unwrap();
    assert_eq!(
        codes(&setup.verifier().verify(&equipment_by_a, NOW)),
        ["out-of-scope"]
    );

    let text = Issuer::new(setup.issuer_a.clone())
        .issue(&certificate(Family::SpecialOperations))
        .unwrap();
    let narrowed = setup.with_list(|list| {
        list.issuers[0].scope = vec![Scope {
            family: Family::SpecialOperations,
            items: Some(vec!["1.2".into()]),
        }];
    });
    assert_eq!(codes(&narrowed.verify(&text, NOW)), ["out-of-scope"]);

    let compromised = setup.with_list(|list| list.issuers[0].status = KeyStatus::Compromised);
    let verdict = compromised.verify(&text, NOW);
    assert_eq!(codes(&verdict), ["issuer-key-compromised"]);
    assert!(!verdict.certificate.unwrap().verified);

    let retired_later = setup.with_list(|list| {
        list.issuers[0].status = KeyStatus::Retired {
            since: date!(2024 - 03 - 02),
        }
    });
    assert_eq!(retired_later.verify(&text, NOW).status, Status::Valid);
    let retired_before = setup.with_list(|list| {
        list.issuers[0].status = KeyStatus::Retired {
            since: date!(2024 - 03 - 01),
        }
    });
    assert_eq!(
        codes(&retired_before.verify(&text, NOW)),
        ["issuer-key-retired"]
    );

    let window = setup.with_list(|list| list.issuers[0].key_valid_from = date!(2024 - 03 - 02));
    assert_eq!(codes(&window.verify(&text, NOW)), ["outside-key-validity"]);
}

#[test]
fn signed_claims_that_break_family_rules_are_invalid() {
    let setup = setup();
    let too_long = Certificate {
        valid_until: date!(2034 - 03 - 01),
        ..certificate(Family::SpecialOperations)
    };
    let verdict = setup
        .verifier()
        .verify(&sign_unchecked(&setup.issuer_a, &too_long), NOW);
    assert_eq!(codes(&verdict), ["invalid-claims"]);
    assert!(!verdict.certificate.unwrap().verified);
}

#[test]
fn keys_and_documents_that_are_not_trusted_issuers() {
    let setup = setup();
    let verifier = setup.verifier();
    let cert = certificate(Family::SpecialOperations);
    let stranger = Issuer::new(key(9)).issue(&cert).unwrap();
    assert_eq!(codes(&verifier.verify(&stranger, NOW)), ["unknown-issuer"]);
    let by_root = Issuer::new(setup.root.clone()).issue(&cert).unwrap();
    assert_eq!(codes(&verifier.verify(&by_root, NOW)), ["unknown-issuer"]);
    let trust_list_as_certificate = text::encode(&setup.list.sign(&setup.root).unwrap());
    assert_eq!(
        codes(&verifier.verify(&trust_list_as_certificate, NOW)),
        ["wrong-document-kind"]
    );

    let no_list = Verifier::new(vec![setup.root.public_key()]);
    let genuine = Issuer::new(setup.issuer_a.clone()).issue(&cert).unwrap();
    let verdict = no_list.verify(&genuine, NOW);
    assert_eq!(codes(&verdict), ["no-trust-list"]);
    assert!(!verdict.certificate.unwrap().verified);
}

#[test]
fn algorithm_substitution_is_refused() {
    let setup = setup();
    let document = Issuer::new(setup.issuer_a.clone())
        .sign(&certificate(Family::SpecialOperations))
        .unwrap();
    // Protected header {1: -8, ...} starts 0xa3 0x01 0x27; 0x26 is -7 (ES256).
    let position = document
        .windows(3)
        .position(|window| window == [0xa3, 0x01, 0x27])
        .unwrap();
    let mut es256 = document.clone();
    es256[position + 2] = 0x26;
    let verdict = setup.verifier().verify(&text::encode(&es256), NOW);
    assert_eq!(codes(&verdict), ["unsupported-algorithm"]);
}

#[test]
fn stale_and_expired_trust_lists() {
    let setup = setup();
    let verifier = setup.verifier();
    let text = Issuer::new(setup.issuer_a.clone())
        .issue(&certificate(Family::SpecialOperations))
        .unwrap();
    let expiry = setup.list.expires_at;
    let stale = verifier.verify(&text, expiry + Duration::days(1));
    assert_eq!(stale.status, Status::Valid);
    assert_eq!(
        stale.warnings.iter().map(Warning::code).collect::<Vec<_>>(),
        ["trust-list-stale"]
    );
    let expired = verifier.verify(&text, expiry + Duration::days(31));
    assert_eq!(codes(&expired), ["trust-list-expired"]);
}

#[test]
fn trust_list_installation_refuses_rollback_conflicts_and_strangers() {
    let setup = setup();
    let mut verifier = setup.verifier();
    let older = TrustList {
        sequence: 6,
        ..setup.list.clone()
    };
    assert_eq!(
        verifier
            .install_trust_list(&older.sign(&setup.root).unwrap())
            .err(),
        Some(TrustListError::Rollback {
            installed: 7,
            offered: 6
        })
    );
    let conflicting = TrustList {
        issuers: setup.list.issuers[..1].to_vec(),
        ..setup.list.clone()
    };
    assert_eq!(
        verifier
            .install_trust_list(&conflicting.sign(&setup.root).unwrap())
            .err(),
        Some(TrustListError::ConflictingSequence { sequence: 7 })
    );
    assert!(verifier
        .install_trust_list(&setup.list.sign(&setup.root).unwrap())
        .is_ok());
    let newer = TrustList {
        sequence: 8,
        ..setup.list.clone()
    };
    assert_eq!(
        verifier
            .install_trust_list(&newer.sign(&setup.root).unwrap())
            .unwrap()
            .sequence,
        8
    );

    let by_issuer = setup.list.sign(&setup.issuer_a).unwrap();
    assert_eq!(
        verifier.install_trust_list(&by_issuer).err(),
        Some(TrustListError::NotSignedByRoot {
            key_id: setup.issuer_a.public_key().key_id()
        })
    );
    let certificate = Issuer::new(setup.root.clone())
        .sign(&certificate(Family::SpecialOperations))
        .unwrap();
    assert_eq!(
        verifier.install_trust_list(&certificate).err(),
        Some(TrustListError::WrongDocumentKind {
            content_type: 65001
        })
    );
    assert_eq!(verifier.trust_list().unwrap().sequence, 8);
}

#[test]
fn web_links_and_other_text_are_not_certificates() {
    let verifier = setup().verifier();
    let cases = [
        ("https://cx.mem.gov.cn/query?id=1", Some("cx.mem.gov.cn")),
        (
            "HTTP://CX.MEM.GOV.CN.example.com/",
            Some("cx.mem.gov.cn.example.com"),
        ),
        ("https://cx.mem.gov.cn@evil.example/", Some("evil.example")),
        ("https://证书查询.com/", Some("xn--1jq843d2lz3da.com")),
        ("www.tzzy-query.cn/check", Some("www.tzzy-query.cn")),
        ("hello world", None),
        ("", None),
        ("CQ1", None),
    ];
    for (text, domain) in cases {
        let verdict = verifier.verify(text, NOW);
        assert_eq!(verdict.status, Status::NotACertificate, "{text}");
        match domain {
            Some(domain) => assert_eq!(
                verdict.reasons,
                [Reason::WebsiteLink {
                    domain: domain.into()
                }],
                "{text}"
            ),
            None => assert_eq!(verdict.reasons, [Reason::NotCertqr], "{text}"),
        }
        assert!(verdict.certificate.is_none());
    }
}

#[test]
fn every_reason_has_a_code_and_both_messages() {
    let reasons = [
        Reason::NotCertqr,
        Reason::WebsiteLink {
            domain: "example.com".into(),
        },
        Reason::BadSignature,
        Reason::Expired {
            valid_until: date!(2024 - 01 - 01),
        },
    ];
    for reason in reasons {
        assert!(!reason.code().is_empty());
        assert!(!reason.message_en().is_empty());
        assert!(reason
            .message_zh()
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));
        let json = serde_json::to_value(&reason).unwrap();
        assert_eq!(json["code"], reason.code());
    }
}

#[test]
fn saved_state_refuses_rollback_across_restarts() {
    let setup = setup();
    // First run: install list 7 and save the state.
    let saved = setup.verifier().state().to_bytes();
    // Next run: nothing installed in memory yet, but the state remembers 7.
    let state = VerifierState::from_bytes(&saved).unwrap();
    assert_eq!(state.trust_list_sequence(), Some(7));
    let mut verifier = Verifier::with_state(
        vec![setup.root.public_key()],
        VerifierOptions::default(),
        state,
    );
    assert!(verifier.trust_list().is_none());
    let older = TrustList {
        sequence: 6,
        ..setup.list.clone()
    };
    assert_eq!(
        verifier
            .install_trust_list(&older.sign(&setup.root).unwrap())
            .err(),
        Some(TrustListError::Rollback {
            installed: 7,
            offered: 6
        })
    );
    assert!(verifier.trust_list().is_none());
    // The same list again is the normal case of a restart.
    verifier
        .install_trust_list(&setup.list.sign(&setup.root).unwrap())
        .unwrap();
    let newer = TrustList {
        sequence: 9,
        issued_at: datetime!(2025-05-20 00:00 UTC),
        ..setup.list.clone()
    };
    verifier
        .install_trust_list(&newer.sign(&setup.root).unwrap())
        .unwrap();
    assert_eq!(verifier.state().trust_list_sequence(), Some(9));
    assert_eq!(
        verifier.state().trusted_time(),
        Some(datetime!(2025-05-20 00:00 UTC))
    );
}

#[test]
fn state_carries_what_the_verifier_did_not_install_itself() {
    let setup = setup();
    let mut state = VerifierState::new();
    state.record_revocation_list(3, datetime!(2025-05-10 00:00 UTC), None);
    let mut verifier = Verifier::with_state(
        vec![setup.root.public_key()],
        VerifierOptions::default(),
        state,
    );
    verifier
        .install_trust_list(&setup.list.sign(&setup.root).unwrap())
        .unwrap();
    assert_eq!(verifier.state().revocation_list_sequence(), Some(3));
    assert_eq!(verifier.state().trust_list_sequence(), Some(7));
    // The revocation list was signed after the trust list (2025-05-01): its time wins.
    assert_eq!(
        verifier.state().trusted_time(),
        Some(datetime!(2025-05-10 00:00 UTC))
    );
}

#[test]
fn a_clock_behind_trusted_data_is_warned_and_cannot_revive_an_expired_certificate() {
    let setup = setup();
    let verifier = setup.verifier();
    // Safety management: valid 2022-03-01 to 2025-02-28, before the list's issue time.
    let expired = Issuer::new(setup.issuer_a.clone())
        .issue(&samples::certificate(Family::SafetyManagement, date!(2022 - 03 - 01)).unwrap())
        .unwrap();
    let trusted_time = setup.list.issued_at;
    let clock_set_back = datetime!(2024-06-01 02:00 UTC);
    let verdict = verifier.verify(&expired, clock_set_back);
    assert_eq!(codes(&verdict), ["expired"]);
    assert_eq!(
        verdict.warnings,
        [Warning::ClockBehindTrustedData { trusted_time }]
    );
    let warning = &verdict.warnings[0];
    assert_eq!(warning.code(), "clock-behind-trusted-data");
    assert!(warning.message_zh().contains("设备时钟早于可信数据时间"));
    assert!(warning.message_zh().contains("2025-05-01 08:00"));
    assert!(warning
        .message_en()
        .contains("device clock is behind trusted data"));
    let json = serde_json::to_value(warning).unwrap();
    assert_eq!(json["code"], "clock-behind-trusted-data");

    // A valid certificate stays valid, with the warning.
    let genuine = Issuer::new(setup.issuer_a.clone())
        .issue(&certificate(Family::SpecialOperations))
        .unwrap();
    let verdict = verifier.verify(&genuine, clock_set_back);
    assert_eq!(verdict.status, Status::Valid);
    assert_eq!(
        verdict
            .warnings
            .iter()
            .map(Warning::code)
            .collect::<Vec<_>>(),
        ["clock-behind-trusted-data"]
    );

    // At or after the trusted time there is nothing to report.
    for now in [trusted_time, NOW] {
        let verdict = verifier.verify(&genuine, now);
        assert!(verdict.warnings.is_empty(), "{now}: {:?}", verdict.warnings);
    }

    // Without the trusted time (no state, no list), the set-back clock is all there is.
    let no_list = Verifier::new(vec![setup.root.public_key()]);
    assert!(no_list.verify(&genuine, clock_set_back).warnings.is_empty());
}

#[test]
fn trusted_time_from_a_saved_state_alone_is_enough() {
    let setup = setup();
    let mut state = VerifierState::new();
    state.record_revocation_list(1, datetime!(2025-08-15 00:00 UTC), None);
    let verifier = Verifier::with_state(
        vec![setup.root.public_key()],
        VerifierOptions::default(),
        state,
    );
    let genuine = Issuer::new(setup.issuer_a.clone())
        .issue(&certificate(Family::SpecialOperations))
        .unwrap();
    let verdict = verifier.verify(&genuine, NOW);
    assert_eq!(codes(&verdict), ["no-trust-list"]);
    assert_eq!(
        verdict.warnings,
        [Warning::ClockBehindTrustedData {
            trusted_time: datetime!(2025-08-15 00:00 UTC)
        }]
    );
    // With the list installed, its expiry (2025-07-30) is judged at the trusted time:
    // stale, not fresh as the device clock (2025-06-01) would have it.
    let mut verifier = verifier;
    verifier
        .install_trust_list(&setup.list.sign(&setup.root).unwrap())
        .unwrap();
    let verdict = verifier.verify(&genuine, NOW);
    assert_eq!(verdict.status, Status::Valid);
    // The state records revocation list 1, which is not installed here.
    assert_eq!(
        verdict
            .warnings
            .iter()
            .map(Warning::code)
            .collect::<Vec<_>>(),
        [
            "clock-behind-trusted-data",
            "trust-list-stale",
            "revocation-not-checked"
        ]
    );
}

/// A signed revocation list of `sequence`, issued 2025-05-31, expiring a week later.
fn signed_revocation_list(
    setup: &Setup,
    sequence: u64,
    entries: &[crate::revocation::Entry],
) -> Vec<u8> {
    let issued_at = datetime!(2025-05-31 00:00 UTC);
    RevocationList::new(
        sequence,
        issued_at,
        issued_at + Duration::days(7),
        entries.iter().copied(),
    )
    .unwrap()
    .sign(&setup.root)
    .unwrap()
}

fn revocation_entry(issuer: &SigningKey, certificate: &Certificate) -> crate::revocation::Entry {
    crate::revocation::Entry::of_certificate(issuer.public_key().key_id(), certificate)
}

#[test]
fn revoked_certificates_are_invalid_and_others_unaffected() {
    let setup = setup();
    let revoked = certificate(Family::SpecialOperations);
    let other = certificate(Family::SafetyManagement);
    let issuer = Issuer::new(setup.issuer_a.clone());
    let (revoked_text, other_text) = (
        issuer.issue(&revoked).unwrap(),
        issuer.issue(&other).unwrap(),
    );
    let mut verifier = setup.verifier();
    // Without a revocation list nothing is checked: the caller decides whether to require one.
    assert_eq!(verifier.verify(&revoked_text, NOW).status, Status::Valid);
    let entry = revocation_entry(&setup.issuer_a, &revoked);
    verifier
        .install_revocation_list(&signed_revocation_list(&setup, 1, &[entry]))
        .unwrap();
    let verdict = verifier.verify(&revoked_text, NOW);
    assert_eq!(verdict.status, Status::Invalid);
    assert_eq!(codes(&verdict), ["revoked"]);
    // The issuer is named and the fields shown, but not as verified.
    assert!(verdict.issuer.is_some());
    assert!(!verdict.certificate.unwrap().verified);
    assert_eq!(verifier.verify(&other_text, NOW).status, Status::Valid);
    // The same certificate signed by another key is another issuance.
    let by_b = sign_unchecked(&setup.issuer_b, &revoked);
    assert!(!codes(&verifier.verify(&by_b, NOW)).contains(&"revoked"));
    // A forgery of a revoked certificate still fails on its signature first.
    let mut forged = text::decode(&revoked_text).unwrap();
    let last = forged.len() - 1;
    forged[last] ^= 1;
    assert_eq!(
        codes(&verifier.verify(&text::encode(&forged), NOW)),
        ["bad-signature"]
    );
    for reason in [
        Reason::Revoked,
        Reason::RevocationListExpired {
            expired_at: datetime!(2025-06-07 00:00 UTC),
        },
    ] {
        assert!(reason
            .message_zh()
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));
        assert!(!reason.message_en().is_empty());
    }
}

#[test]
fn revocation_deltas_apply_in_order_and_old_lists_are_refused() {
    let setup = setup();
    let first = certificate(Family::SpecialOperations);
    let second = certificate(Family::SafetyManagement);
    let issuer = Issuer::new(setup.issuer_a.clone());
    let (first_text, second_text) = (
        issuer.issue(&first).unwrap(),
        issuer.issue(&second).unwrap(),
    );
    let (first_entry, second_entry) = (
        revocation_entry(&setup.issuer_a, &first),
        revocation_entry(&setup.issuer_a, &second),
    );
    let mut verifier = setup.verifier();
    let delta = crate::revocation::RevocationDelta::new(
        2,
        datetime!(2025-05-31 12:00 UTC),
        datetime!(2025-06-07 12:00 UTC),
        [second_entry],
        [first_entry],
    )
    .unwrap()
    .sign(&setup.root)
    .unwrap();
    assert_eq!(
        verifier.apply_revocation_delta(&delta).err(),
        Some(RevocationError::NoListInstalled)
    );
    let list_2 = signed_revocation_list(&setup, 2, &[first_entry]);
    verifier.install_revocation_list(&list_2).unwrap();
    assert_eq!(codes(&verifier.verify(&first_text, NOW)), ["revoked"]);

    // The delta un-revokes the first (wrongly revoked) and revokes the second.
    assert_eq!(verifier.apply_revocation_delta(&delta).unwrap().sequence, 3);
    assert_eq!(verifier.verify(&first_text, NOW).status, Status::Valid);
    assert_eq!(codes(&verifier.verify(&second_text, NOW)), ["revoked"]);
    let installed = verifier.revocation_list().unwrap();
    assert_eq!(
        (installed.sequence, installed.issued_at),
        (3, datetime!(2025-05-31 12:00 UTC))
    );
    assert_eq!(verifier.state().revocation_list_sequence(), Some(3));

    // Every refusal leaves sequence 3 installed.
    let refusals = [
        (
            verifier.apply_revocation_delta(&delta).err(),
            RevocationError::DeltaBaseMismatch {
                installed: 3,
                base_sequence: 2,
            },
        ),
        (
            verifier.install_revocation_list(&list_2).err(),
            RevocationError::Rollback {
                installed: 3,
                offered: 2,
            },
        ),
        (
            verifier
                .install_revocation_list(&signed_revocation_list(&setup, 3, &[]))
                .err(),
            RevocationError::ConflictingSequence { sequence: 3 },
        ),
        (
            verifier.apply_revocation_delta(&list_2).err(),
            RevocationError::WrongListKind {
                expected: crate::revocation::ListKind::Delta,
                found: crate::revocation::ListKind::Full,
            },
        ),
        (
            verifier
                .install_revocation_list(&setup.list.sign(&setup.root).unwrap())
                .err(),
            RevocationError::WrongDocumentKind {
                content_type: 65002,
            },
        ),
        (
            verifier
                .install_revocation_list(&cose::sign(
                    DocumentKind::RevocationList,
                    &setup.issuer_a,
                    RevocationList::new(9, NOW, NOW + Duration::days(1), [])
                        .unwrap()
                        .to_payload(),
                ))
                .err(),
            RevocationError::NotSignedByRoot {
                key_id: setup.issuer_a.public_key().key_id(),
            },
        ),
    ];
    for (refusal, expected) in refusals {
        assert_eq!(refusal, Some(expected));
    }
    assert_eq!(verifier.revocation_list().unwrap().sequence, 3);
    assert_eq!(
        verifier.install_trust_list(&list_2).err(),
        Some(TrustListError::WrongDocumentKind {
            content_type: 65003
        })
    );
    // A newer full list replaces the installed one.
    verifier
        .install_revocation_list(&signed_revocation_list(&setup, 4, &[]))
        .unwrap();
    assert_eq!(verifier.verify(&second_text, NOW).status, Status::Valid);
}

#[test]
fn stale_and_expired_revocation_lists() {
    let setup = setup();
    let revoked = certificate(Family::SpecialOperations);
    let issuer = Issuer::new(setup.issuer_a.clone());
    let (revoked_text, other_text) = (
        issuer.issue(&revoked).unwrap(),
        issuer
            .issue(&certificate(Family::SafetyManagement))
            .unwrap(),
    );
    let mut verifier = setup.verifier();
    verifier
        .install_revocation_list(&signed_revocation_list(
            &setup,
            1,
            &[revocation_entry(&setup.issuer_a, &revoked)],
        ))
        .unwrap();
    let expiry = verifier.revocation_list().unwrap().expires_at;
    let stale = verifier.verify(&other_text, expiry + Duration::days(1));
    assert_eq!(stale.status, Status::Valid);
    assert_eq!(
        stale.warnings.iter().map(Warning::code).collect::<Vec<_>>(),
        ["revocation-list-stale"]
    );
    let expired_at = expiry + Duration::days(7) + Duration::seconds(1);
    assert_eq!(
        codes(&verifier.verify(&other_text, expired_at)),
        ["revocation-list-expired"]
    );
    // What an expired list holds stays revoked.
    assert_eq!(
        codes(&verifier.verify(&revoked_text, expired_at)),
        ["revoked", "revocation-list-expired"]
    );
    // The grace period is the verifier's choice.
    let mut strict = Verifier::with_options(
        vec![setup.root.public_key()],
        VerifierOptions {
            revocation_list_grace: Duration::ZERO,
            ..VerifierOptions::default()
        },
    );
    strict
        .install_trust_list(&setup.list.sign(&setup.root).unwrap())
        .unwrap();
    strict
        .install_revocation_list(&signed_revocation_list(&setup, 1, &[]))
        .unwrap();
    assert_eq!(
        codes(&strict.verify(&other_text, expiry + Duration::seconds(1))),
        ["revocation-list-expired"]
    );
}

/// SM2 issuers (GB/T 32918) beside Ed25519 ones, and signatures moved between algorithms.
mod sm2 {
    use super::*;
    use crate::cbor::{self, Value};

    /// The setup's list with an SM2 issuer added (Shanghai, special operations).
    fn with_sm2_issuer(setup: &Setup) -> (SigningKey, Verifier) {
        let sm2_issuer = SigningKey::from_seed(Algorithm::Sm2, &[4; 32]);
        let verifier = setup.with_list(|list| {
            list.issuers.push(samples::issuer(
                sm2_issuer.public_key(),
                "上海市应急管理局",
                "Shanghai Emergency Management Bureau",
                310_000,
                &[Family::SpecialOperations],
                date!(2020 - 01 - 01),
            ));
        });
        (sm2_issuer, verifier)
    }

    /// `document` with the protected header `{1: algorithm, 3: 65001, 4: key_id}` and the
    /// original payload and signature: what a forger who relabels a signature sends.
    fn relabel(document: &[u8], algorithm: i64, key_id: KeyId) -> String {
        let message = cose::parse(document).unwrap();
        let protected = cbor::encode(&Value::Map(vec![
            (Value::Integer(1.into()), Value::Integer(algorithm.into())),
            (Value::Integer(3.into()), Value::Integer(65_001.into())),
            (Value::Integer(4.into()), Value::Bytes(key_id.0.to_vec())),
        ]));
        text::encode(&cbor::encode(&Value::Tag(
            cose::COSE_SIGN1_TAG,
            Box::new(Value::Array(vec![
                Value::Bytes(protected),
                Value::Map(Vec::new()),
                Value::Bytes(message.payload),
                Value::Bytes(message.signature),
            ])),
        )))
    }

    #[test]
    fn certificate_from_an_sm2_issuer_is_valid() {
        let setup = setup();
        let (sm2_issuer, verifier) = with_sm2_issuer(&setup);
        let document = Issuer::new(sm2_issuer.clone())
            .sign(&certificate(Family::SpecialOperations))
            .unwrap();
        let message = cose::parse(&document).unwrap();
        assert_eq!(message.algorithm, -65_537);
        assert_eq!(message.signature.len(), 64);
        let verdict = verifier.verify(&text::encode(&document), NOW);
        assert_eq!(verdict.status, Status::Valid, "{:?}", verdict.reasons);
        let issuer = verdict.issuer.unwrap();
        assert_eq!(issuer.algorithm, Algorithm::Sm2);
        assert_eq!(issuer.name_zh, "上海市应急管理局");
        assert_eq!(issuer.key_id, sm2_issuer.public_key().key_id().to_hex());
        assert!(verdict.certificate.unwrap().verified);
        // The Ed25519 issuers of the same list still verify.
        let ed25519 = Issuer::new(setup.issuer_a.clone())
            .issue(&certificate(Family::SpecialOperations))
            .unwrap();
        assert_eq!(verifier.verify(&ed25519, NOW).status, Status::Valid);
        // Tampering is caught as with Ed25519.
        let mut forged = document.clone();
        let name = "张建国".as_bytes();
        let position = forged
            .windows(name.len())
            .position(|window| window == name)
            .unwrap();
        forged[position..position + name.len()].copy_from_slice("李建国".as_bytes());
        assert_eq!(
            codes(&verifier.verify(&text::encode(&forged), NOW)),
            ["bad-signature"]
        );
    }

    #[test]
    fn trust_list_signed_by_an_sm2_root() {
        let setup = setup();
        let root = SigningKey::from_seed(Algorithm::Sm2, &[5; 32]);
        let mut verifier = Verifier::new(vec![root.public_key()]);
        verifier
            .install_trust_list(&setup.list.sign(&root).unwrap())
            .unwrap();
        let text = Issuer::new(setup.issuer_a.clone())
            .issue(&certificate(Family::SpecialOperations))
            .unwrap();
        assert_eq!(verifier.verify(&text, NOW).status, Status::Valid);
        // The Ed25519 root's list is not accepted by a verifier pinning the SM2 root.
        assert!(matches!(
            verifier.install_trust_list(&setup.list.sign(&setup.root).unwrap()),
            Err(TrustListError::NotSignedByRoot { .. })
        ));
    }

    #[test]
    fn sm2_signature_relabelled_as_ed25519_is_refused() {
        let setup = setup();
        let (sm2_issuer, verifier) = with_sm2_issuer(&setup);
        let document = Issuer::new(sm2_issuer.clone())
            .sign(&certificate(Family::SpecialOperations))
            .unwrap();
        let sm2_id = sm2_issuer.public_key().key_id();
        // Header says Ed25519, key id still the SM2 issuer's: no Ed25519 key has that id.
        assert_eq!(
            codes(&verifier.verify(&relabel(&document, -8, sm2_id), NOW)),
            ["algorithm-mismatch"]
        );
        // Header says Ed25519 with an Ed25519 issuer's key id: the 64 bytes do not verify.
        let ed25519_id = setup.issuer_a.public_key().key_id();
        assert_eq!(
            codes(&verifier.verify(&relabel(&document, -8, ed25519_id), NOW)),
            ["bad-signature"]
        );
        // Unchanged, the same header bytes verify (the relabelling itself is exact).
        assert_eq!(
            verifier
                .verify(&relabel(&document, -65_537, sm2_id), NOW)
                .status,
            Status::Valid
        );
    }

    #[test]
    fn ed25519_signature_relabelled_as_sm2_is_refused() {
        let setup = setup();
        let (sm2_issuer, verifier) = with_sm2_issuer(&setup);
        let document = Issuer::new(setup.issuer_a.clone())
            .sign(&certificate(Family::SpecialOperations))
            .unwrap();
        let ed25519_id = setup.issuer_a.public_key().key_id();
        assert_eq!(
            codes(&verifier.verify(&relabel(&document, -65_537, ed25519_id), NOW)),
            ["algorithm-mismatch"]
        );
        let sm2_id = sm2_issuer.public_key().key_id();
        assert_eq!(
            codes(&verifier.verify(&relabel(&document, -65_537, sm2_id), NOW)),
            ["bad-signature"]
        );
        assert_eq!(
            verifier
                .verify(&relabel(&document, -8, ed25519_id), NOW)
                .status,
            Status::Valid
        );
    }
}

/// Web links against a trust list that names official domains (see `crate::website`).
mod websites {
    use super::*;
    use crate::trust::OfficialDomain;
    use crate::website::Trick;

    fn verifier_with_domains(setup: &Setup) -> Verifier {
        setup.with_list(|list| {
            list.issuers[0].domains = vec!["ajj.jiangsu.gov.cn".into()];
            list.official_domains = vec![OfficialDomain {
                domain: "cx.mem.gov.cn".into(),
                name_zh: "应急管理部".into(),
                name_en: "Ministry of Emergency Management".into(),
            }];
        })
    }

    #[test]
    fn links_are_official_look_alike_or_other_and_never_certificates() {
        let setup = setup();
        let verifier = verifier_with_domains(&setup);
        let cases = [
            (
                "https://www.cx.mem.gov.cn/query?id=T32010219850612123X",
                Reason::OfficialWebsite {
                    domain: "www.cx.mem.gov.cn".into(),
                    authority_zh: "应急管理部".into(),
                    authority_en: "Ministry of Emergency Management".into(),
                },
            ),
            (
                "HTTP://AJJ.JIANGSU.GOV.CN/",
                Reason::OfficialWebsite {
                    domain: "ajj.jiangsu.gov.cn".into(),
                    authority_zh: "江苏省应急管理厅".into(),
                    authority_en: "Jiangsu Emergency Management Department".into(),
                },
            ),
            (
                "https://cx-mem-gov.cn.verify-cert.com/check?id=1",
                Reason::LookAlikeWebsite {
                    domain: "cx-mem-gov.cn.verify-cert.com".into(),
                    imitates: "cx.mem.gov.cn".into(),
                    how: Trick::HyphensOrDigits,
                },
            ),
            (
                "https://cx.mem.gov.cn.example.com/",
                Reason::LookAlikeWebsite {
                    domain: "cx.mem.gov.cn.example.com".into(),
                    imitates: "cx.mem.gov.cn".into(),
                    how: Trick::NameInOtherDomain,
                },
            ),
            // User info is not the host: the link opens evil.example.
            (
                "https://cx.mem.gov.cn@evil.example/",
                Reason::WebsiteLink {
                    domain: "evil.example".into(),
                },
            ),
            (
                "https://cx.m\u{435}m.gov.cn/",
                Reason::LookAlikeWebsite {
                    domain: "cx.xn--mm-nlc.gov.cn".into(),
                    imitates: "cx.mem.gov.cn".into(),
                    how: Trick::Homoglyphs,
                },
            ),
            (
                "www.baidu.com",
                Reason::WebsiteLink {
                    domain: "www.baidu.com".into(),
                },
            ),
        ];
        for (text, expected) in cases {
            let verdict = verifier.verify(text, NOW);
            assert_eq!(verdict.status, Status::NotACertificate, "{text}");
            assert_eq!(verdict.reasons, [expected], "{text}");
            assert!(verdict.certificate.is_none() && verdict.issuer.is_none());
        }
    }

    #[test]
    fn without_a_trust_list_every_link_is_a_plain_website_link() {
        let verifier = Verifier::new(vec![setup().root.public_key()]);
        let verdict = verifier.verify("https://cx-mem-gov.cn.verify-cert.com/", NOW);
        assert_eq!(verdict.status, Status::NotACertificate);
        assert_eq!(codes(&verdict), ["website-link"]);
    }

    #[test]
    fn messages_name_the_official_address_and_nothing_the_site_says() {
        let setup = setup();
        let verifier = verifier_with_domains(&setup);
        let fake = "https://cx-mem-gov.cn.verify-cert.com/证书真实有效?holder=张建国";
        let verdict = verifier.verify(fake, NOW);
        assert_eq!(codes(&verdict), ["look-alike-website"]);
        let reason = &verdict.reasons[0];
        assert_eq!(
            reason.message_en(),
            "WARNING: probably a FAKE verification site. Not a certificate: \
             cx-mem-gov.cn.verify-cert.com imitates the official cx.mem.gov.cn (the official \
             name with its dots or hyphens changed, or 0 for o and 1 for l). Trust nothing the \
             site shows and enter no personal data; to look a certificate up, type the official \
             address cx.mem.gov.cn yourself."
        );
        assert_eq!(
            reason.message_zh(),
            "警告：疑似仿冒的查询网站！不是证书：cx-mem-gov.cn.verify-cert.com 冒充官方网址 \
             cx.mem.gov.cn（改动官方域名中的点或连字符，或用 0 冒充 o、1 冒充 l）。\
             不要相信该网站显示的任何内容，也不要输入个人信息；如需查询，请自行输入官方网址 cx.mem.gov.cn。"
        );
        let official = verifier.verify("https://cx.mem.gov.cn/证书真实有效", NOW);
        assert_eq!(codes(&official), ["official-website"]);
        let official = &official.reasons[0];
        assert!(official
            .message_zh()
            .starts_with("不是证书：应急管理部官方网站链接（cx.mem.gov.cn）"));
        assert!(official
            .message_en()
            .contains("type the official platform's address yourself"));
        for message in [
            reason.message_en(),
            reason.message_zh(),
            official.message_en(),
            official.message_zh(),
        ] {
            assert!(!message.contains("证书真实有效") && !message.contains("张建国"));
        }
        let json = serde_json::to_value(&verdict).unwrap();
        assert_eq!(json["status"], "not-a-certificate");
        assert_eq!(json["reasons"][0]["code"], "look-alike-website");
    }
}

/// format.md §7.1: a certificate is shown as verified only when the verdict is valid.
/// `authentic` tells a genuine certificate that lapsed (renewal) from one no trusted
/// issuer vouches for (police), for every reason a verdict can have.
#[test]
fn authentic_and_verified_for_every_kind_of_invalid_certificate() {
    let setup = setup();
    let issuer = Issuer::new(setup.issuer_a.clone());
    let genuine = certificate(Family::SpecialOperations);
    let text = issuer.issue(&genuine).unwrap();
    // A list issued before every time judged here, so no clock is behind it.
    let long_list = setup.with_list(|list| {
        list.issued_at = datetime!(2024-01-01 00:00 UTC);
        list.expires_at = datetime!(2031-01-01 00:00 UTC);
    });
    let mut revoking = setup.verifier();
    revoking
        .install_revocation_list(&signed_revocation_list(
            &setup,
            1,
            &[revocation_entry(&setup.issuer_a, &genuine)],
        ))
        .unwrap();
    let mut forged = text::decode(&text).unwrap();
    let last = forged.len() - 1;
    forged[last] ^= 1;
    let too_long = Certificate {
        valid_until: date!(2034 - 03 - 01),
        ..genuine.clone()
    };
    let compromised = setup.with_list(|list| list.issuers[0].status = KeyStatus::Compromised);
    let retired = setup.with_list(|list| {
        list.issuers[0].status = KeyStatus::Retired {
            since: date!(2024 - 03 - 01),
        }
    });
    let window = setup.with_list(|list| list.issuers[0].key_valid_from = date!(2024 - 03 - 02));
    let equipment_by_a = issuer
        .issue(&certificate(Family::SpecialEquipment))
        .unwrap();
    let cases: Vec<(Verdict, &[&str], bool)> = vec![
        (
            long_list.verify(&text, datetime!(2024-02-20 00:00 UTC)),
            &["not-yet-valid"],
            true,
        ),
        (
            long_list.verify(&text, datetime!(2027-06-01 00:00 UTC)),
            &["review-overdue"],
            true,
        ),
        (
            long_list.verify(&text, datetime!(2030-06-01 00:00 UTC)),
            &["expired", "review-overdue"],
            true,
        ),
        (revoking.verify(&text, NOW), &["revoked"], true),
        (
            revoking.verify(&text, datetime!(2025-06-30 00:00 UTC)),
            &["revoked", "revocation-list-expired"],
            true,
        ),
        (
            setup.verifier().verify(&text::encode(&forged), NOW),
            &["bad-signature"],
            false,
        ),
        (
            setup
                .verifier()
                .verify(&Issuer::new(key(9)).issue(&genuine).unwrap(), NOW),
            &["unknown-issuer"],
            false,
        ),
        (
            compromised.verify(&text, NOW),
            &["issuer-key-compromised"],
            false,
        ),
        (retired.verify(&text, NOW), &["issuer-key-retired"], false),
        (window.verify(&text, NOW), &["outside-key-validity"], false),
        (
            setup.verifier().verify(&equipment_by_a, NOW),
            &["out-of-scope"],
            false,
        ),
        (
            setup
                .verifier()
                .verify(&sign_unchecked(&setup.issuer_a, &too_long), NOW),
            &["invalid-claims"],
            false,
        ),
    ];
    for (verdict, expected, authentic) in cases {
        assert_eq!(codes(&verdict), expected);
        assert_eq!(verdict.status, Status::Invalid, "{expected:?}");
        assert_eq!(verdict.is_authentic(), authentic, "{expected:?}");
        let view = verdict.certificate.as_ref().unwrap();
        assert!(!view.verified, "{expected:?}");
        assert_eq!(view.authentic, authentic, "{expected:?}");
        let json = serde_json::to_value(&verdict).unwrap();
        assert_eq!(json["certificate"]["verified"], false);
        assert_eq!(json["certificate"]["authentic"], authentic);
        if authentic {
            assert!(
                verdict.summary_zh().starts_with("真实证书，但"),
                "{expected:?}"
            );
            assert!(verdict.summary_en().starts_with("genuine certificate, but"));
        } else {
            assert!(verdict.summary_zh().starts_with("无效："), "{expected:?}");
            assert!(verdict
                .summary_en()
                .starts_with("invalid: not shown to be genuine"));
        }
    }
    let valid = setup.verifier().verify(&text, NOW);
    assert!(valid.is_valid() && valid.is_authentic());
    let view = valid.certificate.as_ref().unwrap();
    assert!(view.verified && view.authentic);
    assert_eq!(valid.summary_zh(), "有效证书，已核验");
}

#[test]
fn reasons_carry_their_facts_as_typed_fields_in_json() {
    let setup = setup();
    let verifier = setup.with_list(|list| {
        list.official_domains = vec![crate::trust::OfficialDomain {
            domain: "cx.mem.gov.cn".into(),
            name_zh: "应急管理部".into(),
            name_en: "Ministry of Emergency Management".into(),
        }];
    });
    let verdict = verifier.verify("https://cx-mem-gov.cn.example.com/check", NOW);
    let json = serde_json::to_value(&verdict).unwrap();
    let reason = &json["reasons"][0];
    assert_eq!(reason["code"], "look-alike-website");
    assert_eq!(reason["domain"], "cx-mem-gov.cn.example.com");
    assert_eq!(reason["imitates"], "cx.mem.gov.cn");
    assert_eq!(reason["trick"], "hyphens-or-digits");
    assert_eq!(json["summary_zh"], "不是证书：疑似仿冒的查询网站");

    let expired = Reason::Expired {
        valid_until: date!(2024 - 01 - 01),
    };
    let json = serde_json::to_value(&expired).unwrap();
    assert_eq!(json["expired_on"], "2024-01-01");
    let stranger = Issuer::new(key(9))
        .issue(&certificate(Family::SpecialOperations))
        .unwrap();
    let json = serde_json::to_value(setup.verifier().verify(&stranger, NOW)).unwrap();
    assert_eq!(
        json["reasons"][0]["key_id"],
        key(9).public_key().key_id().to_hex()
    );
    let stale = Warning::TrustListStale {
        expired_at: datetime!(2025-04-01 08:00 +8),
    };
    assert_eq!(
        serde_json::to_value(&stale).unwrap()["expired_at"],
        "2025-04-01T00:00:00Z"
    );
}

/// The Chinese messages are Chinese: the English text of an inner error goes into the
/// `detail` field, never into the message.
#[test]
fn chinese_messages_hold_no_english_error_text() {
    let setup = setup();
    let verifier = setup.verifier();
    let verdicts = [
        verifier.verify("CQ1:%%%%", NOW),
        verifier.verify(&text::encode(&[0xa0]), NOW),
        verifier.verify(
            &sign_unchecked(
                &setup.issuer_a,
                &Certificate {
                    valid_until: date!(2034 - 03 - 01),
                    ..certificate(Family::SpecialOperations)
                },
            ),
            NOW,
        ),
    ];
    for verdict in verdicts {
        let reason = &verdict.reasons[0];
        let zh = reason.message_zh();
        assert!(!zh.chars().any(|c| c.is_ascii_alphabetic()), "{zh}");
        let detail = reason.details().detail.unwrap();
        assert!(!detail.is_empty());
        assert!(reason.message_en().contains(&detail));
    }
}

/// format.md §3.1 and §5.5: an extension claim key may be any CBOR integer. At each edge
/// of the 64-bit types the certificate is valid, the key is reported exactly, and the
/// JSON writes it as an exact number.
#[test]
fn extension_claim_keys_at_the_integer_boundaries_are_ignored_with_a_warning() {
    use crate::cbor::{self, Value};
    use crate::fields::{big_int, INTEGER_BOUNDARIES};
    let setup = setup();
    let verifier = setup.verifier();
    let claims = certificate(Family::SpecialOperations).to_claims();
    for key in INTEGER_BOUNDARIES {
        let Value::Map(mut map) = cbor::decode(&claims).unwrap() else {
            unreachable!()
        };
        map.push((big_int(key), Value::Text("extension".into())));
        let document = cose::sign(
            DocumentKind::Certificate,
            &setup.issuer_a,
            cbor::encode(&Value::Map(map)),
        );
        let verdict = verifier.verify(&text::encode(&document), NOW);
        assert_eq!(
            verdict.status,
            Status::Valid,
            "{key}: {:?}",
            verdict.reasons
        );
        assert_eq!(
            verdict.warnings,
            vec![Warning::ExtensionClaimsIgnored { keys: vec![key] }],
            "{key}"
        );
        let json = serde_json::to_string(&verdict.warnings).unwrap();
        assert!(json.contains(&format!("\"keys\":[{key}]")), "{json}");
    }
}

/// format.md §3.1 and §4.5: `alg` may be any CBOR integer; one beyond 64 bits is an
/// unsupported algorithm (step 4), not a malformed document.
#[test]
fn algorithms_at_the_integer_boundaries_are_unsupported_not_malformed() {
    use crate::cbor::{self, Value};
    use crate::fields::{big_int, INTEGER_BOUNDARIES};
    let setup = setup();
    let verifier = setup.verifier();
    let genuine = cose::sign(
        DocumentKind::Certificate,
        &setup.issuer_a,
        certificate(Family::SpecialOperations).to_claims(),
    );
    let message = cose::parse(&genuine).unwrap();
    for algorithm in INTEGER_BOUNDARIES {
        let protected = cbor::encode(&Value::Map(vec![
            (big_int(1), big_int(algorithm)),
            (big_int(3), big_int(65_001)),
            (big_int(4), Value::Bytes(message.key_id.0.to_vec())),
        ]));
        let document = cbor::encode(&Value::Tag(
            cose::COSE_SIGN1_TAG,
            Box::new(Value::Array(vec![
                Value::Bytes(protected),
                Value::Map(Vec::new()),
                Value::Bytes(message.payload.clone()),
                Value::Bytes(message.signature.clone()),
            ])),
        ));
        assert_eq!(cose::parse(&document).unwrap().algorithm, algorithm);
        let verdict = verifier.verify(&text::encode(&document), NOW);
        assert_eq!(
            verdict.reasons,
            vec![Reason::UnsupportedAlgorithm { algorithm }],
            "{algorithm}"
        );
        let json = serde_json::to_string(&verdict.reasons).unwrap();
        assert!(
            json.contains(&format!("\"algorithm\":{algorithm}")),
            "{json}"
        );
    }
}

/// format.md §5.1 and §5.4 rule 8: a review date missing where the family has reviews,
/// or present where it has none, is readable and breaks a family rule: `invalid-claims`,
/// never `malformed-claims`.
#[test]
fn a_missing_or_extra_review_date_is_invalid_claims_not_malformed() {
    let setup = setup();
    let verifier = setup.verifier();
    let mut without_review = certificate(Family::SpecialOperations);
    without_review.review_due = None;
    let mut with_review = certificate(Family::SpecialEquipment);
    with_review.review_due = Some(date!(2026 - 03 - 01));
    for (signer, certificate) in [
        (&setup.issuer_a, without_review),
        (&setup.issuer_b, with_review),
    ] {
        let verdict = verifier.verify(&sign_unchecked(signer, &certificate), NOW);
        assert_eq!(
            codes(&verdict),
            ["invalid-claims"],
            "{:?}",
            certificate.family
        );
    }
}

/// format.md §5.3: the number of a special operations certificate is derived, so a
/// writer leaves key 6 out, and claims that write it out (even as the derived number)
/// are `malformed-claims`.
#[test]
fn a_derived_certificate_number_is_never_written() {
    use crate::cbor::{self, Value};
    use crate::fields::int;
    const NUMBER: i64 = 6;
    let setup = setup();
    let genuine = certificate(Family::SpecialOperations);
    let claims = genuine.to_claims();
    let Value::Map(mut map) = cbor::decode(&claims).unwrap() else {
        unreachable!()
    };
    assert!(!map.iter().any(|(key, _)| *key == int(NUMBER)));
    map.push((int(NUMBER), Value::Text(genuine.number.clone())));
    let document = cose::sign(
        DocumentKind::Certificate,
        &setup.issuer_a,
        cbor::encode(&Value::Map(map)),
    );
    let verdict = setup.verifier().verify(&text::encode(&document), NOW);
    assert_eq!(codes(&verdict), ["malformed-claims"]);
}

#[test]
fn verify_as_of_judges_at_exactly_that_instant() {
    let setup = setup();
    let verifier = setup.verifier();
    // Safety management: valid 2022-03-01 to 2025-02-28, before the list's issue time
    // (the trusted time, 2025-05-01).
    let lapsed = Issuer::new(setup.issuer_a.clone())
        .issue(&samples::certificate(Family::SafetyManagement, date!(2022 - 03 - 01)).unwrap())
        .unwrap();
    let within_validity = datetime!(2024-06-01 02:00 UTC);
    // As of a day within its validity it was valid, with no clock warning: the instant
    // was chosen, not read from a clock.
    let verdict = verifier.verify_as_of(&lapsed, within_validity);
    assert_eq!(verdict.status, Status::Valid, "{:?}", verdict.reasons);
    assert!(verdict.warnings.is_empty(), "{:?}", verdict.warnings);
    // The device clock at the same reading is judged at the trusted time instead.
    let verdict = verifier.verify(&lapsed, within_validity);
    assert_eq!(codes(&verdict), ["expired"]);
    // After the trusted time both agree.
    assert_eq!(
        verifier.verify_as_of(&lapsed, NOW),
        verifier.verify(&lapsed, NOW)
    );
    // The document form too.
    let bytes = crate::text::decode(&lapsed).unwrap();
    assert_eq!(
        verifier
            .verify_document_as_of(&bytes, within_validity)
            .status,
        Status::Valid
    );
}
