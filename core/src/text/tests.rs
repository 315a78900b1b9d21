use super::*;

/// format.md §2.1: a writer uses `CQ1Z:` only when the text is then strictly shorter,
/// and a reader accepts either prefix whatever the lengths.
#[test]
fn round_trips_plain_and_compressed() {
    let random_like: Vec<u8> = (0u32..200)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let text = encode(&random_like);
    assert!(text.starts_with(PREFIX), "{text}");
    assert_eq!(decode(&text).unwrap(), random_like);

    let repetitive = vec![0x41u8; 300];
    let text = encode(&repetitive);
    assert!(text.starts_with(PREFIX_DEFLATE), "{text}");
    assert!(text.len() < 100);
    assert_eq!(decode(&text).unwrap(), repetitive);

    // Compressed although longer: not what a writer makes, still read.
    let deflated = miniz_oxide::deflate::compress_to_vec(&random_like, 10);
    let longer = format!("{PREFIX_DEFLATE}{}", base45::encode(&deflated));
    assert!(longer.len() > encode(&random_like).len());
    assert_eq!(decode(&longer).unwrap(), random_like);
}

#[test]
fn every_character_is_qr_alphanumeric() {
    let text = encode(&(0u8..=255).collect::<Vec<_>>());
    assert!(text
        .chars()
        .all(|c| "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:".contains(c)));
}

/// format.md §2.2: every refusal a reader makes, each with its exact error.
#[test]
fn rejects_bad_text() {
    let bomb = miniz_oxide::deflate::compress_to_vec(&vec![0u8; MAX_DOCUMENT_LENGTH + 1], 10);
    let bomb = format!("{PREFIX_DEFLATE}{}", base45::encode(&bomb));
    let mut stream = miniz_oxide::deflate::compress_to_vec(&[0x41; 300], 10);
    stream.push(0);
    let trailing_deflate = format!("{PREFIX_DEFLATE}{}", base45::encode(&stream));
    let garbage_deflate = format!("{PREFIX_DEFLATE}{}", base45::encode([0xff, 0xff, 0xff]));
    let table: Vec<(String, TextError)> = vec![
        ("https://example.com".into(), TextError::NotCertqr),
        ("\u{feff}CQ1:AB".into(), TextError::NotCertqr),
        ("cq1:AB".into(), TextError::NotCertqr),
        (
            "CQ2:AB".into(),
            TextError::UnsupportedVersion {
                version: "CQ2:".into(),
            },
        ),
        (
            "CQ12Z:AB".into(),
            TextError::UnsupportedVersion {
                version: "CQ12Z:".into(),
            },
        ),
        ("CQ1:".into(), TextError::Empty),
        ("CQ1:ab".into(), TextError::Base45),
        ("CQ1:AB ".into(), TextError::Base45),
        ("CQ1:A\tB".into(), TextError::Base45),
        ("CQ1:A".into(), TextError::Base45),
        ("CQ1:GGW".into(), TextError::Base45),
        ("CQ1:AB\n".into(), TextError::Base45),
        (
            format!("CQ1:{}", "0".repeat(MAX_TEXT_LENGTH)),
            TextError::TooLong {
                length: MAX_TEXT_LENGTH + 4,
            },
        ),
        (garbage_deflate, TextError::Inflate),
        (trailing_deflate, TextError::Inflate),
        ("CQ1:ABCGB".into(), TextError::Base45),
        (bomb, TextError::InflatedTooLarge),
    ];
    for (text, expected) in table {
        assert_eq!(decode(&text), Err(expected), "{text:.40}");
    }
}
