use super::*;

#[test]
fn key_id_is_sha256_prefix_of_raw_key() {
    let key = SigningKey::from_seed(Algorithm::Ed25519, &[7u8; 32]).public_key();
    let digest = Sha256::digest(key.to_bytes());
    assert_eq!(key.key_id().0, digest[..8]);
    assert_eq!(key.key_id().to_hex().len(), 16);
}

#[test]
fn pem_round_trips_and_types_are_checked() {
    let key = SigningKey::from_seed(Algorithm::Ed25519, &[9u8; 32]);
    let private_pem = key.to_pkcs8_pem().unwrap();
    let public_pem = key.public_key().to_pem();
    assert!(private_pem.starts_with("-----BEGIN PRIVATE KEY-----"));
    assert!(public_pem.starts_with("-----BEGIN PUBLIC KEY-----"));
    let again = SigningKey::from_pkcs8_pem(&private_pem).unwrap();
    assert_eq!(again.public_key(), key.public_key());
    assert_eq!(PublicKey::from_pem(&public_pem).unwrap(), key.public_key());
    assert_eq!(
        PublicKey::from_pem(&private_pem),
        Err(KeyError::Pem {
            expected: "public key"
        })
    );
    assert!(matches!(
        SigningKey::from_pkcs8_pem(&public_pem),
        Err(KeyError::Pem {
            expected: "private key"
        })
    ));
    assert!(!format!("{key:?}").contains(&format!("{:?}", [9u8; 32])));
}

#[test]
fn sign_and_verify_strictly() {
    let key = SigningKey::from_seed(Algorithm::Ed25519, &[1u8; 32]);
    let public = key.public_key();
    let signature = key.sign(b"message");
    assert_eq!(public.verify(b"message", &signature), Ok(()));
    assert_eq!(
        public.verify(b"massage", &signature),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(
        public.verify(b"message", &signature[..63]),
        Err(SignatureError::WrongLength {
            expected: 64,
            found: 63
        })
    );
}

#[test]
fn bad_public_keys_are_refused() {
    let algorithm = Algorithm::Ed25519;
    assert_eq!(
        PublicKey::from_bytes(algorithm, &[0u8; 31]),
        Err(KeyError::WrongLength {
            algorithm,
            expected: 32,
            found: 31
        })
    );
    // The identity point (y = 1) has order 1.
    let mut identity = [0u8; 32];
    identity[0] = 1;
    assert_eq!(
        PublicKey::from_bytes(algorithm, &identity),
        Err(KeyError::WeakKey { algorithm })
    );
    // y = 2 is not on the curve.
    let mut off_curve = [0u8; 32];
    off_curve[0] = 2;
    assert_eq!(
        PublicKey::from_bytes(algorithm, &off_curve),
        Err(KeyError::InvalidPoint { algorithm })
    );
}

/// RFC 8410 §7's private-key example: written as version 0 (v1) without the public key,
/// the form OpenSSL writes and reads, byte for byte.
#[test]
fn ed25519_private_keys_are_written_in_rfc_8410_v1_form() {
    let pem = "-----BEGIN PRIVATE KEY-----\n\
               MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n\
               -----END PRIVATE KEY-----\n";
    let key = SigningKey::from_pkcs8_pem(pem).unwrap();
    assert_eq!(key.to_pkcs8_pem().unwrap().as_str(), pem);
}

/// The version 1 form (RFC 5958, public key inside) that certqr wrote before is still
/// read; a public key that is not the private key's is refused.
#[test]
fn ed25519_private_keys_with_the_public_key_inside_are_read() {
    let key = SigningKey::from_seed(Algorithm::Ed25519, &[5u8; 32]);
    let dalek = ed25519_dalek::SigningKey::from_bytes(&[5u8; 32]);
    let v2 = dalek
        .to_pkcs8_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)
        .unwrap();
    assert_ne!(v2.as_str(), key.to_pkcs8_pem().unwrap().as_str());
    let read = SigningKey::from_pkcs8_pem(&v2).unwrap();
    assert_eq!(read.public_key(), key.public_key());

    let other = ed25519_dalek::SigningKey::from_bytes(&[6u8; 32]).verifying_key();
    let mismatched = ed25519_dalek::pkcs8::KeypairBytes {
        secret_key: [5u8; 32],
        public_key: Some(ed25519_dalek::pkcs8::PublicKeyBytes(other.to_bytes())),
    }
    .to_pkcs8_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)
    .unwrap();
    assert!(SigningKey::from_pkcs8_pem(&mismatched).is_err());
}
