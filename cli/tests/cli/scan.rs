//! `certqr scan`: every code of every picture, JSON with corners, and what happens with
//! unreadable files and pictures without a code.

use crate::support::assert_refused;

certqr_test!(scan_prints_every_code_and_json_with_corners, |fixture| {
    let run = fixture.run(&[
        "issue",
        "--key",
        "keys/issuer.key",
        "--in",
        "special-operations.toml",
        "--png",
        "code.png",
    ]);
    let text = run.stdout.trim_end();
    let plain = fixture.run(&["scan", "code.png"]);
    assert_eq!(
        (plain.code, plain.stdout.as_str()),
        (0, format!("{text}\n").as_str()),
        "{plain:?}"
    );

    let json = fixture.run(&["scan", "--json", "code.png"]);
    assert_eq!(json.code, 0, "{json:?}");
    let files = json.json();
    assert_eq!(files.as_array().unwrap().len(), 1);
    assert_eq!(files[0]["path"], "code.png");
    assert_eq!(files[0]["codes"].as_array().unwrap().len(), 1);
    assert_eq!(files[0]["codes"][0]["text"], text);
    for corner in files[0]["codes"][0]["corners"].as_array().unwrap() {
        assert_eq!(corner.as_array().unwrap().len(), 2, "{corner}");
    }
});

certqr_test!(
    scan_goes_on_after_an_unreadable_file_and_exits_2,
    |fixture| {
        let run = fixture.run(&[
            "issue",
            "--key",
            "keys/issuer.key",
            "--in",
            "special-operations.toml",
            "--png",
            "code.png",
        ]);
        let text = run.stdout.trim_end().to_owned();
        fixture.write("broken.png", "not a picture");
        let run = fixture.run(&["scan", "--json", "broken.png", "code.png"]);
        run.assert_error(&["broken.png: not a PNG or JPEG image"]);
        let files = run.json();
        assert_eq!(files.as_array().unwrap().len(), 1);
        assert_eq!(files[0]["codes"][0]["text"], text);
        let plain = fixture.run(&["scan", "broken.png", "code.png"]);
        assert_eq!(plain.code, 2);
        assert_eq!(plain.stdout, format!("code.png: {text}\n"));
    }
);

certqr_test!(scan_of_a_picture_without_a_code_exits_1, |fixture| {
    fixture.write_blank_png();
    let scan = fixture.run(&["scan", "blank.png"]);
    assert_eq!((scan.code, scan.stdout.as_str()), (1, ""), "{scan:?}");
    assert_eq!(scan.stderr, "blank.png: 未找到二维码 / no QR code found\n");
});

certqr_test!(scan_refuses_a_directory_with_one_line, |fixture| {
    assert_refused(
        &fixture,
        vec![(
            "directory as image",
            vec!["scan", "keys"],
            vec!["keys: is a directory"],
        )],
    );
});
