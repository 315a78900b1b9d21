use ::sm2::pkcs8::der::pem::{self, LineEnding};
use sha2::{Digest as _, Sha256};

use super::super::{Algorithm, KeyError, KeyId, PublicKey, SignatureError, SigningKey};
use super::{COSE_ALGORITHM, SM2_DISTINGUISHING_IDENTIFIER};

fn hex(text: &str) -> Vec<u8> {
    let digits: Vec<u8> = text
        .bytes()
        .filter(|byte| !byte.is_ascii_whitespace())
        .collect();
    digits
        .chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).unwrap(), 16).unwrap())
        .collect()
}

fn seed(text: &str) -> [u8; 32] {
    hex(text).try_into().unwrap()
}

fn sm2_key(byte: u8) -> SigningKey {
    SigningKey::from_seed(Algorithm::Sm2, &[byte; 32])
}

/// Curve parameters of GB/T 32918.5-2017 (the recommended curve).
const ORDER: &str = "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123";
const PRIME: &str = "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF";
const GENERATOR: &str = "04
    32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7
    BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0";

/// The signature example of GB/T 32918.5-2017 Annex A (identical to GM/T 0003.5-2012
/// Annex A, and reproduced in OpenSSL's test/sm2_internal_test.c and in gmssl): the
/// recommended curve, `ID_A` = "1234567812345678", message "message digest",
/// `d_A` = 3945208F...C5B8, `k` = 59276E27...BC21 (so `e` = F0B43E94...8640). certqr
/// cannot reproduce `k` (its nonces are deterministic), so the test checks the public key
/// the derivation gives and that the published `(r, s)` verifies.
mod published {
    /// `d_A − 1`: from_seed adds 1 to the seed (it is below n − 2).
    pub const SEED: &str = "3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B7";
    pub const PUBLIC_KEY: &str = "04
        09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020
        CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13";
    pub const MESSAGE: &[u8] = b"message digest";
    pub const SIGNATURE: &str = "
        F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3
        B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA";
}

/// Made with OpenSSL 3.0.19 (test key, published here):
///
/// ```sh
/// openssl genpkey -algorithm SM2 -out key.pem
/// openssl pkey -in key.pem -pubout -out pub.pem
/// printf 'certqr SM2 interoperability with OpenSSL' > msg.txt
/// openssl pkeyutl -sign -rawin -digest sm3 -inkey key.pem -in msg.txt -out sig.der \
///     -pkeyopt distid:1234567812345678
/// ```
///
/// and `sig.der` (DER) rewritten as `r ‖ s`. Without the `distid` option OpenSSL 3.0
/// computes `Z_A` with an empty identifier: certqr, which always uses the GB/T 35276
/// default, refuses that signature (`SIGNATURE_EMPTY_ID`, same key and message).
mod openssl {
    pub const PRIVATE_KEY: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqBHM9VAYItBG0wawIBAQQgkypd05p1gBwrFNoO
oOHvZqSp8RWBt0rNp0P/ZRYJJYuhRANCAARfeAIHnnUdISsFQQZE3yySm5qc3Okj
rL4AqZlFFzz3AdirnYrOw9VluuJnX5sULeZqyChq596tQ6mvQL3UG1ec
-----END PRIVATE KEY-----
";
    pub const PUBLIC_KEY: &str = "-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoEcz1UBgi0DQgAEX3gCB551HSErBUEGRN8skpuanNzp
I6y+AKmZRRc89wHYq52KzsPVZbriZ1+bFC3masgoauferUOpr0C91BtXnA==
-----END PUBLIC KEY-----
";
    pub const PUBLIC_KEY_BYTES: &str = "04
        5f7802079e751d212b05410644df2c929b9a9cdce923acbe00a99945173cf701
        d8ab9d8acec3d565bae2675f9b142de66ac8286ae7dead43a9af40bdd41b579c";
    pub const MESSAGE: &[u8] = b"certqr SM2 interoperability with OpenSSL";
    pub const SIGNATURE: &str = "
        F5313A129C6341837FCABB1A0CD6193CC62D65C33B3863B4E9B38132FDDEDFDD
        10DA81D84D053B06C1659122408B2FF7065397593DA2D779823FE3C225E52101";
    pub const SIGNATURE_EMPTY_ID: &str = "
        39AD65DB4F4F572DC285DBE3099D07176F58D3897B8F72E18EB77A377DACB631
        87E0FAF3B9CA06ADD645BEED359456090DB649DE8606FB54BF8674F4D43D219E";
}

#[test]
fn algorithm_identifiers() {
    assert_eq!(Algorithm::Sm2.cose_id(), -65_537);
    assert_eq!(COSE_ALGORITHM, -65_537);
    assert_eq!(Algorithm::from_cose_id(-65_537), Some(Algorithm::Sm2));
    assert_eq!(Algorithm::from_cose_id(-65_536), None);
    assert_eq!(Algorithm::Sm2.public_key_length(), 65);
    assert_eq!(Algorithm::Sm2.to_string(), "SM2");
    assert_eq!(
        serde_json::to_value(Algorithm::Sm2).unwrap(),
        serde_json::json!("sm2")
    );
    assert_eq!(SM2_DISTINGUISHING_IDENTIFIER.len(), 16);
}

#[test]
fn published_example_of_gbt_32918_5_verifies() {
    let key = SigningKey::from_seed(Algorithm::Sm2, &seed(published::SEED));
    let public = key.public_key();
    assert_eq!(public.algorithm(), Algorithm::Sm2);
    assert_eq!(public.to_bytes(), hex(published::PUBLIC_KEY));
    let signature = hex(published::SIGNATURE);
    assert_eq!(public.verify(published::MESSAGE, &signature), Ok(()));
    assert_eq!(
        public.verify(b"message digesT", &signature),
        Err(SignatureError::Mismatch)
    );
    // The same key read from its bytes verifies it too.
    let read = PublicKey::from_bytes(Algorithm::Sm2, &hex(published::PUBLIC_KEY)).unwrap();
    assert_eq!(read, public);
    assert_eq!(read.verify(published::MESSAGE, &signature), Ok(()));
    // certqr's own signature over the message differs (another k) and verifies.
    let own = key.sign(published::MESSAGE);
    assert_ne!(own, signature);
    assert_eq!(public.verify(published::MESSAGE, &own), Ok(()));
}

#[test]
fn openssl_key_and_signature_are_accepted() {
    let key = SigningKey::from_pkcs8_pem(openssl::PRIVATE_KEY).unwrap();
    assert_eq!(key.algorithm(), Algorithm::Sm2);
    let public = PublicKey::from_pem(openssl::PUBLIC_KEY).unwrap();
    assert_eq!(public.algorithm(), Algorithm::Sm2);
    assert_eq!(key.public_key(), public);
    assert_eq!(public.to_bytes(), hex(openssl::PUBLIC_KEY_BYTES));
    assert_eq!(
        public.verify(openssl::MESSAGE, &hex(openssl::SIGNATURE)),
        Ok(())
    );
    assert_eq!(
        public.verify(openssl::MESSAGE, &hex(openssl::SIGNATURE_EMPTY_ID)),
        Err(SignatureError::Mismatch)
    );
    // certqr writes the same SubjectPublicKeyInfo as OpenSSL.
    assert_eq!(public.to_pem(), openssl::PUBLIC_KEY);
    let signature = key.sign(openssl::MESSAGE);
    assert_eq!(public.verify(openssl::MESSAGE, &signature), Ok(()));
}

#[test]
fn sign_verify_and_tamper() {
    let key = sm2_key(1);
    let public = key.public_key();
    let signature = key.sign(b"message");
    assert_eq!(signature.len(), 64);
    assert_eq!(public.verify(b"message", &signature), Ok(()));
    // Deterministic nonces: the same signature every time, another for another message.
    assert_eq!(key.sign(b"message"), signature);
    assert_ne!(key.sign(b"massage"), signature);
    assert_eq!(
        public.verify(b"massage", &signature),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(
        public.verify(b"", &signature),
        Err(SignatureError::Mismatch)
    );
    for position in [0, 31, 32, 63] {
        let mut flipped = signature.clone();
        flipped[position] ^= 0x01;
        assert_eq!(
            public.verify(b"message", &flipped),
            Err(SignatureError::Mismatch),
            "byte {position}"
        );
    }
    assert_eq!(
        sm2_key(2).public_key().verify(b"message", &signature),
        Err(SignatureError::Mismatch)
    );
}

/// DER `SEQUENCE { INTEGER r, INTEGER s }`, as OpenSSL and gmssl's `asn1=True` write it.
fn der(signature: &[u8]) -> Vec<u8> {
    let integer = |bytes: &[u8]| {
        let mut bytes = bytes.to_vec();
        while bytes.len() > 1 && bytes[0] == 0 && bytes[1] < 0x80 {
            bytes.remove(0);
        }
        if bytes[0] >= 0x80 {
            bytes.insert(0, 0);
        }
        let mut encoded = vec![0x02, u8::try_from(bytes.len()).unwrap()];
        encoded.extend(bytes);
        encoded
    };
    let mut body = integer(&signature[..32]);
    body.extend(integer(&signature[32..]));
    let mut encoded = vec![0x30, u8::try_from(body.len()).unwrap()];
    encoded.extend(body);
    encoded
}

#[test]
fn only_64_byte_r_s_signatures_in_range_are_accepted() {
    let key = sm2_key(3);
    let public = key.public_key();
    let good = key.sign(b"message");
    let (r, s) = good.split_at(32);
    let order = hex(ORDER);
    let zero = [0u8; 32];
    let join = |first: &[u8], second: &[u8]| [first, second].concat();
    let der_encoded = der(&good);
    let mismatch = Err(SignatureError::Mismatch);
    let wrong_length = |found| {
        Err(SignatureError::WrongLength {
            expected: 64,
            found,
        })
    };
    let cases: Vec<(&str, Vec<u8>, Result<(), SignatureError>)> = vec![
        ("r ‖ s", good.clone(), Ok(())),
        ("empty", Vec::new(), wrong_length(0)),
        ("63 bytes", good[..63].to_vec(), wrong_length(63)),
        ("65 bytes", join(&good, &[0]), wrong_length(65)),
        ("DER", der_encoded.clone(), wrong_length(der_encoded.len())),
        ("s ‖ r", join(s, r), mismatch.clone()),
        ("r = 0", join(&zero, s), mismatch.clone()),
        ("s = 0", join(r, &zero), mismatch.clone()),
        ("r = n", join(&order, s), mismatch.clone()),
        ("s = n", join(r, &order), mismatch.clone()),
        ("all ones", vec![0xff; 64], mismatch.clone()),
    ];
    for (name, signature, expected) in cases {
        assert_eq!(public.verify(b"message", &signature), expected, "{name}");
    }
}

#[test]
fn bad_public_keys_are_refused() {
    let algorithm = Algorithm::Sm2;
    let good = sm2_key(4).public_key().to_bytes();
    assert_eq!(good.len(), 65);
    assert_eq!(good[0], 0x04);
    let with_tag = |tag: u8| {
        let mut bytes = good.clone();
        bytes[0] = tag;
        bytes
    };
    let mut off_curve = good.clone();
    off_curve[64] ^= 0x01;
    // x = p is not a field element (coordinates must be below the prime).
    let mut x_is_prime = good.clone();
    x_is_prime[1..33].copy_from_slice(&hex(PRIME));
    let compressed = {
        let mut bytes = vec![0x02 | (good[64] & 1)];
        bytes.extend_from_slice(&good[1..33]);
        bytes
    };
    let wrong_length = |found| {
        Err(KeyError::WrongLength {
            algorithm,
            expected: 65,
            found,
        })
    };
    let invalid = Err(KeyError::InvalidPoint { algorithm });
    let cases: Vec<(&str, Vec<u8>, Result<(), KeyError>)> = vec![
        ("uncompressed", good.clone(), Ok(())),
        ("generator", hex(GENERATOR), Ok(())),
        ("empty", Vec::new(), wrong_length(0)),
        ("identity (SEC1 0x00)", vec![0x00], wrong_length(1)),
        ("compressed", compressed, wrong_length(33)),
        ("x ‖ y without tag", good[1..].to_vec(), wrong_length(64)),
        ("Ed25519 length", vec![0x04; 32], wrong_length(32)),
        ("tag 0x02", with_tag(0x02), invalid.clone()),
        ("tag 0x03", with_tag(0x03), invalid.clone()),
        ("hybrid tag 0x06", with_tag(0x06), invalid.clone()),
        ("hybrid tag 0x07", with_tag(0x07), invalid.clone()),
        ("tag 0x00", with_tag(0x00), invalid.clone()),
        ("all zero", vec![0x00; 65], invalid.clone()),
        (
            "0x04 then zeros",
            with_tag(0x04)
                .iter()
                .enumerate()
                .map(|(i, b)| if i == 0 { *b } else { 0 })
                .collect(),
            invalid.clone(),
        ),
        ("off the curve", off_curve, invalid.clone()),
        ("x = p", x_is_prime, invalid.clone()),
    ];
    for (name, bytes, expected) in cases {
        assert_eq!(
            PublicKey::from_bytes(algorithm, &bytes).map(|_| ()),
            expected,
            "{name}"
        );
    }
    // The same 32 bytes an Ed25519 key takes are refused for SM2, and the reverse.
    assert_eq!(
        PublicKey::from_bytes(Algorithm::Ed25519, &good),
        Err(KeyError::WrongLength {
            algorithm: Algorithm::Ed25519,
            expected: 32,
            found: 65
        })
    );
}

#[test]
fn key_id_is_sha256_prefix_of_the_uncompressed_point() {
    let public = sm2_key(5).public_key();
    let digest = Sha256::digest(public.to_bytes());
    assert_eq!(public.key_id(), KeyId(digest[..8].try_into().unwrap()));
}

#[test]
fn seeds_map_into_one_to_n_minus_two() {
    let public = |seed: &[u8; 32]| SigningKey::from_seed(Algorithm::Sm2, seed).public_key();
    let generator = hex(GENERATOR);
    // d = 1 + (seed mod (n − 2)): seed 0 and seed n − 2 both give d = 1, the generator.
    assert_eq!(public(&[0; 32]).to_bytes(), generator);
    let mut n_minus_2 = hex(ORDER);
    n_minus_2[31] -= 2;
    assert_eq!(
        public(&n_minus_2.clone().try_into().unwrap()).to_bytes(),
        generator
    );
    // Seed n − 3 gives d = n − 2, the largest key, and it signs.
    let mut n_minus_3 = hex(ORDER);
    n_minus_3[31] -= 3;
    let largest = SigningKey::from_seed(Algorithm::Sm2, &n_minus_3.try_into().unwrap());
    let signature = largest.sign(b"edge");
    assert_eq!(largest.public_key().verify(b"edge", &signature), Ok(()));
    // 2^256 − 1 ≡ 2^256 − 1 − (n − 2) (mod n − 2).
    let all_ones = [0xff; 32];
    let reduced = seed("000000010000000000000000000000008DFC2094DE39FAD4AC440BF6C62ABEDE");
    assert_eq!(public(&all_ones), public(&reduced));
    assert_ne!(public(&[1; 32]), public(&[2; 32]));
    // d = n − 2 ≡ −2, so its public point is −2·G: the x of 2·G, the other y.
    let two_g = public(&seed(
        "0000000000000000000000000000000000000000000000000000000000000001",
    ))
    .to_bytes();
    assert_eq!(largest.public_key().to_bytes()[1..33], two_g[1..33]);
    assert_ne!(largest.public_key().to_bytes()[33..], two_g[33..]);
}

#[test]
fn pem_round_trip_and_algorithm_detection() {
    let key = sm2_key(6);
    let private_pem = key.to_pkcs8_pem().unwrap();
    let public_pem = key.public_key().to_pem();
    assert!(private_pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
    assert!(public_pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
    let again = SigningKey::from_pkcs8_pem(&private_pem).unwrap();
    assert_eq!(again.algorithm(), Algorithm::Sm2);
    assert_eq!(again.public_key(), key.public_key());
    assert_eq!(again.sign(b"m"), key.sign(b"m"));
    let public = PublicKey::from_pem(&public_pem).unwrap();
    assert_eq!(public, key.public_key());
    assert_eq!(public.algorithm(), Algorithm::Sm2);

    // Ed25519 PEM files are still read as Ed25519.
    let ed25519 = SigningKey::from_seed(Algorithm::Ed25519, &[6; 32]);
    let ed25519_private = ed25519.to_pkcs8_pem().unwrap();
    assert_eq!(
        SigningKey::from_pkcs8_pem(&ed25519_private)
            .unwrap()
            .algorithm(),
        Algorithm::Ed25519
    );
    assert_eq!(
        PublicKey::from_pem(&ed25519.public_key().to_pem())
            .unwrap()
            .algorithm(),
        Algorithm::Ed25519
    );

    // A private key is not a public key, and the reverse.
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

    // The same documents on the NIST P-256 curve (its OID has the same length as SM2's,
    // so only the curve differs) are refused: the curve is checked, not assumed.
    let sm2_curve = hex("06082A811CCF5501822D"); // 1.2.156.10197.1.301
    let p256_curve = hex("06082A8648CE3D030107"); // 1.2.840.10045.3.1.7
    let on_p256 = |document: &str| {
        let (label, der) = pem::decode_vec(document.as_bytes()).unwrap();
        let position = der
            .windows(sm2_curve.len())
            .position(|window| window == sm2_curve)
            .unwrap();
        let mut der = der;
        der[position..position + sm2_curve.len()].copy_from_slice(&p256_curve);
        pem::encode_string(label, LineEnding::LF, &der).unwrap()
    };
    assert_eq!(
        PublicKey::from_pem(&on_p256(&public_pem)),
        Err(KeyError::Pem {
            expected: "public key"
        })
    );
    assert!(matches!(
        SigningKey::from_pkcs8_pem(&on_p256(&private_pem)),
        Err(KeyError::Pem {
            expected: "private key"
        })
    ));
    assert!(!format!("{key:?}").contains(&format!("{:?}", [6u8; 32])));
}

#[test]
fn private_key_n_minus_one_is_refused() {
    // d = n − 1 is a valid PKCS#8 scalar, but 1 + d has no inverse: nothing can be signed.
    let mut n_minus_1 = hex(ORDER);
    n_minus_1[31] -= 1;
    let secret = ::sm2::SecretKey::from_slice(&n_minus_1).unwrap();
    let pem = ::sm2::pkcs8::EncodePrivateKey::to_pkcs8_pem(&secret, LineEnding::LF).unwrap();
    assert!(matches!(
        SigningKey::from_pkcs8_pem(&pem),
        Err(KeyError::PrivateKeyOutOfRange {
            algorithm: Algorithm::Sm2
        })
    ));
    // d = n − 2 is the largest key accepted.
    n_minus_1[31] -= 1;
    let secret = ::sm2::SecretKey::from_slice(&n_minus_1).unwrap();
    let pem = ::sm2::pkcs8::EncodePrivateKey::to_pkcs8_pem(&secret, LineEnding::LF).unwrap();
    let key = SigningKey::from_pkcs8_pem(&pem).unwrap();
    assert_eq!(key.public_key().verify(b"x", &key.sign(b"x")), Ok(()));
}

/// format.md §4.5: an SM2 public key is a point on the curve, with both coordinates
/// below the field prime, and not the identity, whether read from raw bytes or from a
/// PEM `PUBLIC KEY`; the negation of a good point, also on the curve, is read.
#[test]
fn sm2_points_must_be_on_the_curve_and_not_the_identity() {
    let algorithm = Algorithm::Sm2;
    let invalid = Err(KeyError::InvalidPoint { algorithm });
    let good = sm2_key(7).public_key().to_bytes();
    let prime = hex(PRIME);
    // p - y: the same x with the other y, the point's negation.
    let negated = {
        let mut y = [0u8; 32];
        let mut borrow = 0i16;
        for index in (0..32).rev() {
            let difference = i16::from(prime[index]) - i16::from(good[33 + index]) - borrow;
            borrow = i16::from(difference < 0);
            y[index] = (difference + 256 * borrow) as u8;
        }
        [&good[..33], &y[..]].concat()
    };
    let mut y_is_prime = good.clone();
    y_is_prime[33..].copy_from_slice(&prime);
    let mut x_off = good.clone();
    x_off[32] ^= 0x01;
    let identity_like = [&[0x04][..], &[0u8; 64][..]].concat();
    let cases: Vec<(&str, Vec<u8>, Result<(), KeyError>)> = vec![
        ("good", good.clone(), Ok(())),
        ("negation (x, p - y)", negated, Ok(())),
        ("y = p", y_is_prime, invalid.clone()),
        ("x changed", x_off.clone(), invalid.clone()),
        (
            "(0, 0), where no identity can be written",
            identity_like,
            invalid.clone(),
        ),
    ];
    for (name, bytes, expected) in cases {
        assert_eq!(
            PublicKey::from_bytes(algorithm, &bytes).map(|_| ()),
            expected,
            "{name}"
        );
    }
    // The same point off the curve inside a PEM SubjectPublicKeyInfo is refused too.
    let public_pem = sm2_key(7).public_key().to_pem();
    let (label, mut der) = pem::decode_vec(public_pem.as_bytes()).unwrap();
    let length = der.len();
    der[length - 32] ^= 0x01;
    let off_curve_pem = pem::encode_string(label, LineEnding::LF, &der).unwrap();
    assert_eq!(
        PublicKey::from_pem(&off_curve_pem),
        Err(KeyError::Pem {
            expected: "public key"
        })
    );
    assert!(PublicKey::from_pem(&public_pem).is_ok());
}
