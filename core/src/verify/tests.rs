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

#[test]
fn date_checks_give_specific_reasons() {
    let setup = setup();
    let verifier = setup.with_list(|list| list.expires_at = datetime!(2031-01-01 00:00 UTC));
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
