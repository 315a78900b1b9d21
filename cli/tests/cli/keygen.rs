//! `certqr keygen`: key files, their permissions and the printed key id, for Ed25519 and
//! SM2.

use tempfile::TempDir;

use crate::support::{certqr, reason_codes, tampered, SPECIAL_OPERATIONS_TOML, TRUST_LIST_TOML};

#[test]
fn keygen_writes_owner_only_private_key_and_public_key_and_prints_key_id() {
    let dir = TempDir::new().unwrap();
    let run = certqr(dir.path(), &["keygen", "--out", "authority"]);
    assert_eq!(run.code, 0, "{run:?}");
    let key_id = run.stdout.trim_end();
    assert_eq!(key_id.len(), 16, "{run:?}");
    assert!(key_id.bytes().all(|byte| byte.is_ascii_hexdigit()));
    let private = std::fs::read_to_string(dir.path().join("authority.key")).unwrap();
    let public = std::fs::read_to_string(dir.path().join("authority.pub")).unwrap();
    assert!(
        private.starts_with("-----BEGIN PRIVATE KEY-----"),
        "{private}"
    );
    assert!(public.starts_with("-----BEGIN PUBLIC KEY-----"), "{public}");
    // The printed id is the public key's.
    let key = certqr_core::keys::PublicKey::from_pem(&public).unwrap();
    assert_eq!(key.key_id().to_hex(), key_id);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("authority.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn keygen_refuses_to_overwrite_either_file() {
    for existing in ["authority.key", "authority.pub"] {
        let dir = TempDir::new().unwrap();
        std::fs::write(dir.path().join(existing), "keep me").unwrap();
        let run = certqr(dir.path(), &["keygen", "--out", "authority"]);
        run.assert_error(&[existing, "already exists"]);
        assert_eq!(
            std::fs::read_to_string(dir.path().join(existing)).unwrap(),
            "keep me"
        );
        // Nothing else was written.
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "{existing}"
        );
    }
}

/// SM2 with SM3 (GB/T 32918) root and issuer keys end to end: `keygen --algorithm sm2`,
/// then the usual trust-list, issue and verify commands, which take the algorithm from
/// the PEM files.
#[test]
fn sm2_keys_work_end_to_end() {
    let dir = TempDir::new().unwrap();
    let run = |args: &[&str]| certqr(dir.path(), args);
    std::fs::create_dir(dir.path().join("keys")).unwrap();
    for prefix in ["keys/root", "keys/issuer"] {
        let keygen = run(&["keygen", "--algorithm", "sm2", "--out", prefix]);
        assert_eq!(keygen.code, 0, "{keygen:?}");
        let public = std::fs::read_to_string(dir.path().join(format!("{prefix}.pub"))).unwrap();
        let public = certqr_core::keys::PublicKey::from_pem(&public).unwrap();
        assert_eq!(public.algorithm(), certqr_core::keys::Algorithm::Sm2);
        assert_eq!(public.to_bytes().len(), 65);
        assert_eq!(public.key_id().to_hex(), keygen.stdout.trim_end());
        let private = std::fs::read_to_string(dir.path().join(format!("{prefix}.key"))).unwrap();
        let private = certqr_core::keys::SigningKey::from_pkcs8_pem(&private).unwrap();
        assert_eq!(private.public_key(), public);
    }
    std::fs::write(dir.path().join("list.toml"), TRUST_LIST_TOML).unwrap();
    std::fs::write(
        dir.path().join("special-operations.toml"),
        SPECIAL_OPERATIONS_TOML,
    )
    .unwrap();
    let create = run(&[
        "trust-list",
        "create",
        "--root",
        "keys/root.key",
        "--in",
        "list.toml",
        "--out",
        "list.cose",
    ]);
    assert_eq!(create.code, 0, "{create:?}");
    let list = run(&[
        "trust-list",
        "inspect",
        "--root",
        "keys/root.pub",
        "--json",
        "list.cose",
    ]);
    assert_eq!(list.code, 0, "{list:?}");
    assert_eq!(list.json()["issuers"][0]["algorithm"], "sm2");

    let issue = run(&[
        "issue",
        "--key",
        "keys/issuer.key",
        "--in",
        "special-operations.toml",
    ]);
    assert_eq!(issue.code, 0, "{issue:?}");
    let text = issue.stdout.trim_end().to_owned();
    assert!(text.starts_with("CQ1:"), "{text}");

    let inspect = run(&["inspect", "--json", &text]);
    assert_eq!(inspect.code, 0, "{inspect:?}");
    let header = &inspect.json()["header"];
    assert_eq!(header["algorithm"], -65_537);
    assert_eq!(header["algorithm_name"], "SM2");
    assert_eq!(header["signature_bytes"], 64);

    let verify = |text: &str| {
        run(&[
            "verify",
            "--root",
            "keys/root.pub",
            "--trust",
            "list.cose",
            "--at",
            "2025-02-01T00:00:00Z",
            "--json",
            text,
        ])
    };
    let valid = verify(&text);
    assert_eq!(valid.code, 0, "{valid:?}");
    let verdict = valid.json();
    assert_eq!(verdict["status"], "valid");
    assert_eq!(verdict["issuer"]["algorithm"], "sm2");
    assert_eq!(verdict["certificate"]["holder_name"], "张建国");

    let forged = verify(&tampered(&text));
    assert_eq!(forged.code, 1, "{forged:?}");
    assert_eq!(reason_codes(&forged.json()), ["bad-signature"]);

    // A well-formed PKCS#8 SM2 key with d = n − 1, which cannot sign (1 + d has no inverse).
    std::fs::write(
        dir.path().join("keys/n-minus-1.key"),
        "-----BEGIN PRIVATE KEY-----\n\
         MEECAQAwEwYHKoZIzj0CAQYIKoEcz1UBgi0EJzAlAgEBBCD////+////////////\n\
         ////cgPfayHGBStTu/QJOdVBIg==\n\
         -----END PRIVATE KEY-----\n",
    )
    .unwrap();
    run(&[
        "issue",
        "--key",
        "keys/n-minus-1.key",
        "--in",
        "special-operations.toml",
    ])
    .assert_error(&["n-minus-1.key", "SM2 private key is out of range"]);
}
