//! `certqr issue` of one certificate: QR text, PNG and SVG pictures, print sizing, the
//! ID-1 card, and refused descriptions and arguments. Batches are in `batch.rs`.

use crate::support::{assert_refused, SPECIAL_OPERATIONS_TOML};

certqr_test!(issue_prints_qr_text_and_draws_png_and_svg, |fixture| {
    let run = fixture.run(&[
        "issue",
        "--key",
        "keys/issuer.key",
        "--in",
        "special-operations.toml",
        "--png",
        "code.png",
        "--svg",
        "code.svg",
        "--module-px",
        "5",
        "--ec",
        "h",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.starts_with("CQ1:"), "{run:?}");
    assert_eq!(run.stdout.lines().count(), 1);
    let png = std::fs::read(fixture.path("code.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    let svg = std::fs::read_to_string(fixture.path("code.svg")).unwrap();
    assert!(svg.starts_with("<svg"), "{svg:.60}");
    assert!(
        run.stderr.contains("error correction H") && run.stderr.contains("5 px per module"),
        "{run:?}"
    );
    // The picture holds exactly the printed text.
    let codes = certqr_scan::scan_image(&png, &certqr_scan::ScanOptions::photo()).unwrap();
    assert_eq!(codes.len(), 1);
    assert_eq!(codes[0].text, run.stdout.trim_end());
});

certqr_test!(issue_sizes_pictures_for_print, |fixture| {
    let run = fixture.run(&[
        "issue",
        "--key",
        "keys/issuer.key",
        "--in",
        "special-operations.toml",
        "--png",
        "code.png",
        "--print-width-mm",
        "25.4",
        "--dpi",
        "300",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stderr.contains("within the 25.4 mm asked"), "{run:?}");
    let png = std::fs::read(fixture.path("code.png")).unwrap();
    // PNG width: bytes 16..20 of the IHDR chunk; at most 300 px for one inch at 300 dpi.
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    assert!((200..=300).contains(&width), "{width}");
});

/// Modules per side, quiet zone included, of the code for `text` at level Q.
fn side_modules(text: &str) -> usize {
    certqr_render::encode(text, certqr_render::EcLevel::Q)
        .unwrap()
        .width()
        + 8
}

certqr_test!(
    issue_for_print_picks_whole_dots_per_module_and_refuses_too_small,
    |fixture| {
        let issue = |width_mm: &str, dpi: &str| {
            fixture.run(&[
                "issue",
                "--key",
                "keys/issuer.key",
                "--in",
                "special-operations.toml",
                "--png",
                "print.png",
                "--svg",
                "print.svg",
                "--print-width-mm",
                width_mm,
                "--dpi",
                dpi,
            ])
        };
        // 20 mm at 300 dpi: 236 dots, 3 per module for a code of about 65 modules.
        let run = issue("20", "300");
        assert_eq!(run.code, 0, "{run:?}");
        let side = side_modules(run.stdout.trim_end());
        let module_px = (20.0 * 300.0 / 25.4 / side as f64).floor() as usize;
        assert_eq!(
            module_px, 3,
            "test expects a code of 59 to 78 modules, not {side}"
        );
        assert!(run.stderr.contains("3 px = 0.254 mm per module"), "{run:?}");
        assert!(
            run.stderr
                .contains("fewer than the 4 dots per module recommended"),
            "{run:?}"
        );
        let png = std::fs::read(fixture.path("print.png")).unwrap();
        let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
        assert_eq!(width as usize, side * module_px);
        // The SVG has the printed size in millimetres and its viewBox in modules.
        let svg = std::fs::read_to_string(fixture.path("print.svg")).unwrap();
        let printed_mm = (side * module_px) as f64 * 25.4 / 300.0;
        let width_attribute = svg
            .split(" width=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let width_mm: f64 = width_attribute.strip_suffix("mm").unwrap().parse().unwrap();
        assert!((width_mm - printed_mm).abs() < 1e-3, "{width_attribute}");
        assert!(svg.contains(&format!(r#"viewBox="0 0 {side} {side}""#)));
        // 15 mm at 300 dpi: 2 dots (0.17 mm) per module, below what a card printer and a
        // scanner resolve. Nothing is written.
        std::fs::remove_file(fixture.path("print.png")).unwrap();
        let run = issue("15", "300");
        run.assert_error(&[
            "--print-width-mm 15 at 300 dpi: a module would be 0.169 mm (2 dots at 300 dpi)",
            "below the 0.25 mm and 3 dots a printed module needs",
            &format!("this code ({side} modules wide with its quiet zone) needs at least"),
        ]);
        assert!(run.stdout.is_empty(), "{run:?}");
        assert!(!fixture.path("print.png").exists());
    }
);

/// The dark modules of the card's QR code drawn back into a PNG (4 px per module,
/// quiet zone included), for the scanner.
fn card_qr_as_png(svg: &str) -> Vec<u8> {
    let group = svg.split("<g class=\"qr\"").nth(1).unwrap();
    let group = group.split("</g>").next().unwrap();
    let mut runs = Vec::new();
    for rect in group.split("<rect ").skip(1) {
        let number = |name: &str| -> u32 {
            let value = rect.split(&format!("{name}=\"")).nth(1).unwrap();
            value.split('"').next().unwrap().parse().unwrap()
        };
        assert_eq!(number("height"), 1);
        runs.push((number("x"), number("y"), number("width")));
    }
    let width = runs.iter().map(|&(_, y, _)| y + 1).max().unwrap();
    let side = (width + 8) * 4;
    let mut picture = image::GrayImage::from_pixel(side, side, image::Luma([255]));
    for (x, y, length) in runs {
        for column in x..x + length {
            for dy in 0..4 {
                for dx in 0..4 {
                    picture.put_pixel((column + 4) * 4 + dx, (y + 4) * 4 + dy, image::Luma([0]));
                }
            }
        }
    }
    let mut png = Vec::new();
    picture
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    png
}

certqr_test!(
    issue_writes_an_id1_card_whose_code_is_the_issued_text,
    |fixture| {
        let run = fixture.run(&[
            "issue",
            "--key",
            "keys/issuer.key",
            "--in",
            "special-operations.toml",
            "--card",
            "card.svg",
            "--authority",
            "江苏省应急管理厅",
            "--dpi",
            "300",
        ]);
        assert_eq!(run.code, 0, "{run:?}");
        let text = run.stdout.trim_end();
        assert!(
            run.stderr
                .contains("wrote card.svg: ID-1 card 85.60 x 53.98 mm; QR version")
                && run.stderr.contains("0.508 mm per module (6 dots)"),
            "{run:?}"
        );
        let svg = std::fs::read_to_string(fixture.path("card.svg")).unwrap();
        assert!(svg.contains(r#"width="85.6mm" height="53.98mm" viewBox="0 0 85.6 53.98""#));
        for shown in [
            "张建国",
            "T3201**********123X",
            "电工作业",
            "高压电工作业",
            "江苏省应急管理厅",
            "2024-01-01 至 2029-12-31",
            "2027-01-01",
        ] {
            assert!(svg.contains(shown), "{shown} missing");
        }
        // The identity card number is in the code, never in the card's text.
        assert!(!svg.contains("32010219850612123X"));
        let codes =
            certqr_scan::scan_image(&card_qr_as_png(&svg), &certqr_scan::ScanOptions::photo())
                .unwrap();
        assert_eq!(codes.len(), 1);
        assert_eq!(codes[0].text, text);
    }
);

certqr_test!(
    issue_card_without_resolution_fills_its_box_and_escapes_the_authority,
    |fixture| {
        // Without a resolution the code fills its 38 mm box; a name for the authority that
        // is data, not markup, is escaped.
        let run = fixture.run(&[
            "issue",
            "--key",
            "keys/issuer.key",
            "--in",
            "construction.json",
            "--card",
            "card.svg",
            "--authority",
            "<住建厅> & \"总站\"",
        ]);
        assert_eq!(run.code, 0, "{run:?}");
        let svg = std::fs::read_to_string(fixture.path("card.svg")).unwrap();
        assert!(
            svg.contains("&lt;住建厅&gt; &amp; &quot;总站&quot;"),
            "{svg}"
        );
        assert!(svg.contains("操作类别") && svg.contains("建筑起重信号司索工"));
    }
);

certqr_test!(issue_refuses_bad_descriptions_with_one_line, |fixture| {
    let with = |from: &str, to: &str| SPECIAL_OPERATIONS_TOML.replace(from, to);
    let table: Vec<(&str, String, Vec<&str>)> = vec![
        // (file name, content, parts of the error message)
        (
            "item-outside-family.toml",
            with("item = \"1.1\"", "item = \"Q2\""),
            vec!["item-outside-family.toml: item \"Q2\" is not an item of"],
        ),
        (
            "missing-field.toml",
            with("holder_name = \"张建国\"\n", ""),
            vec!["missing-field.toml", "missing field `holder_name`"],
        ),
        (
            "syntax.toml",
            with("item = \"1.1\"", "item = 1.1.1"),
            vec!["syntax.toml: invalid TOML at line 3"],
        ),
        (
            "bad-date.toml",
            with("\"2027-01-01\"", "\"2027-13-01\""),
            vec!["bad-date.toml", "line 10", "invalid date \"2027-13-01\""],
        ),
        (
            "unknown-field.toml",
            format!("{SPECIAL_OPERATIONS_TOML}colour = \"red\"\n"),
            vec!["unknown-field.toml", "unknown field `colour`"],
        ),
        (
            "bad-id.toml",
            with("123X", "1234"),
            vec!["bad-id.toml: id_number: identity card number"],
        ),
        (
            "sex-mismatch.toml",
            with("\"male\"", "\"female\""),
            vec!["sex-mismatch.toml: sex does not match"],
        ),
        (
            "too-long.toml",
            with("2029-12-31", "2031-12-31"),
            vec!["too-long.toml: validity runs past"],
        ),
        (
            "bad.json",
            "{\"family\": \"special-operations\"}".to_owned(),
            vec!["bad.json: invalid JSON: missing field `item`"],
        ),
        (
            "description.yaml",
            SPECIAL_OPERATIONS_TOML.to_owned(),
            vec!["description.yaml: unknown description format"],
        ),
    ];
    for (name, content, expected) in table {
        fixture.write(name, &content);
        let run = fixture.run(&["issue", "--key", "keys/issuer.key", "--in", name]);
        run.assert_error(&expected);
        assert!(run.stdout.is_empty(), "{name}: {run:?}");
        // No personal data in the message.
        assert!(
            !run.stderr.contains("张建国") && !run.stderr.contains("32010219850612"),
            "{name}: {run:?}"
        );
    }
});

certqr_test!(issue_refuses_bad_arguments_with_one_line, |fixture| {
    let long_authority = "江苏省应急管理厅".repeat(12);
    fn issue<'a>(extra: &[&'a str]) -> Vec<&'a str> {
        [
            &[
                "issue",
                "--key",
                "keys/issuer.key",
                "--in",
                "special-operations.toml",
            ][..],
            extra,
        ]
        .concat()
    }
    assert_refused(
        &fixture,
        vec![
            // (case, arguments, parts of the message)
            (
                "missing key file",
                vec![
                    "issue",
                    "--key",
                    "nope.key",
                    "--in",
                    "special-operations.toml",
                ],
                vec!["nope.key: no such file"],
            ),
            (
                "public key where a private key is needed",
                vec![
                    "issue",
                    "--key",
                    "keys/issuer.pub",
                    "--in",
                    "special-operations.toml",
                ],
                vec!["keys/issuer.pub: is a public key"],
            ),
            (
                "module size out of range",
                issue(&["--module-px", "0"]),
                vec!["--module-px"],
            ),
            (
                "card without the issuing authority",
                issue(&["--card", "card.svg"]),
                vec!["--authority"],
            ),
            (
                "issuing authority too long for the card",
                issue(&["--card", "card.svg", "--authority", &long_authority]),
                vec!["--card: the issuing authority is empty or too long to fit on the card"],
            ),
            (
                "resolution for nothing",
                issue(&["--png", "code.png", "--dpi", "300"]),
                vec!["--dpi sizes --print-width-mm or --card"],
            ),
            (
                "resolution out of range",
                issue(&[
                    "--card",
                    "card.svg",
                    "--authority",
                    "江苏省应急管理厅",
                    "--dpi",
                    "9600",
                ]),
                vec!["--dpi", "9600"],
            ),
        ],
    );
});

certqr_test!(issue_refuses_names_with_invisible_characters, |fixture| {
    // (file, holder name as TOML writes it, parts of the message)
    let cases = [
        ("rlo.toml", "张\\u202E建国", "U+202E"),
        ("zwsp.toml", "张建国\\u200B", "U+200B"),
        ("bom.toml", "\\uFEFF张建国", "U+FEFF"),
        ("ideographic-space.toml", "张\\u3000建国", "U+3000"),
        ("doubled.toml", "Li  Na", "two spaces"),
    ];
    let mut table = Vec::new();
    for (file, name, part) in cases {
        fixture.write(file, &SPECIAL_OPERATIONS_TOML.replace("张建国", name));
        table.push((
            file,
            vec!["issue", "--key", "keys/issuer.key", "--in", file],
            vec!["holder name", part],
        ));
    }
    assert_refused(&fixture, table);
});
