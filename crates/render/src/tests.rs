use super::*;

/// The Base45 alphabet (RFC 9285), all inside the QR alphanumeric set.
const BASE45: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

fn alphanumeric_text(length: usize) -> String {
    // Letters first so that no long digit run tempts the encoder into numeric mode.
    BASE45.chars().rev().cycle().take(length).collect()
}

/// Alphanumeric-mode capacities in characters, ISO/IEC 18004:2015 Table 7,
/// versions 1 to 8, columns L, M, Q, H.
const ALPHANUMERIC_CAPACITY: [[usize; 4]; 8] = [
    [25, 20, 16, 10],
    [47, 38, 29, 20],
    [77, 61, 47, 35],
    [114, 90, 67, 50],
    [154, 122, 87, 64],
    [195, 154, 108, 84],
    [224, 178, 125, 93],
    [279, 221, 157, 122],
];
/// Byte-mode capacities from the same table, to show the encoder did not use them.
const BYTE_CAPACITY: [[usize; 4]; 8] = [
    [17, 14, 11, 7],
    [32, 26, 20, 14],
    [53, 42, 32, 24],
    [78, 62, 46, 34],
    [106, 84, 60, 44],
    [134, 106, 74, 58],
    [154, 122, 86, 64],
    [192, 152, 108, 84],
];

/// The smallest version whose capacity holds `length`; 9 for "beyond this table".
fn predicted_version(table: &[[usize; 4]; 8], length: usize, ec: EcLevel) -> u8 {
    let column = ec as usize;
    table
        .iter()
        .position(|row| row[column] >= length)
        .map_or(9, |index| index as u8 + 1)
}

#[test]
fn certqr_text_is_packed_in_alphanumeric_mode() {
    for (length, ec) in [
        (100, EcLevel::Q),
        (100, EcLevel::M),
        (108, EcLevel::Q),
        (109, EcLevel::Q),
        (157, EcLevel::Q),
        (16, EcLevel::Q),
        (21, EcLevel::Q),
        (25, EcLevel::L),
        (50, EcLevel::H),
    ] {
        let text = alphanumeric_text(length);
        let symbol = encode(&text, ec).unwrap();
        let alphanumeric = predicted_version(&ALPHANUMERIC_CAPACITY, length, ec);
        assert_eq!(
            symbol.version(),
            alphanumeric,
            "{length} characters at {ec:?}"
        );
        assert!(
            alphanumeric < predicted_version(&BYTE_CAPACITY, length, ec),
            "test case {length} at {ec:?} does not tell the modes apart"
        );
        assert_eq!(symbol.ec_level(), ec);
        assert_eq!(symbol.width(), 17 + 4 * usize::from(symbol.version()));
    }
}

#[test]
fn digit_runs_do_not_cost_a_version() {
    // 108 characters fill version 6-Q in alphanumeric mode to the last bit but one.
    // This text has two runs of ten digits, which the encoder's optimiser moves to
    // numeric segments at a net cost of 6 bits each, needing version 7.
    let text = alphanumeric_text(108);
    assert!(text.contains("9876543210"));
    let optimised = qrcode::QrCode::with_error_correction_level(&text, qrcode::EcLevel::Q);
    assert_eq!(optimised.unwrap().version(), qrcode::Version::Normal(7));
    assert_eq!(encode(&text, EcLevel::Q).unwrap().version(), 6);
}

#[test]
fn long_digit_runs_still_use_numeric_mode() {
    // 200 digits: version 7-Q in numeric mode (207 digits), 10-Q in alphanumeric.
    let digits: String = "0123456789".repeat(20);
    assert_eq!(encode(&digits, EcLevel::Q).unwrap().version(), 7);
}

#[test]
fn other_text_uses_byte_mode() {
    // 33 bytes of lowercase URL: byte mode needs version 4 at Q (3-Q holds 32).
    let url = "https://example.com/v?id=abcdefg";
    assert_eq!(url.len(), 32);
    assert_eq!(encode(url, EcLevel::Q).unwrap().version(), 3);
    let url = "https://example.com/v?id=abcdefgh";
    assert_eq!(encode(url, EcLevel::Q).unwrap().version(), 4);
    // Non-ASCII text is UTF-8 bytes behind a 12-bit ECI header: 7 Chinese characters
    // are 21 bytes, 12 + 4 + 8 + 21 * 8 = 192 bits, just over 2-Q (176 bits).
    assert_eq!(encode("特种作业操作证", EcLevel::Q).unwrap().version(), 3);
    // 5 characters, 15 bytes: 12 + 4 + 8 + 120 = 144 bits fit 2-Q but not 1-Q (104).
    assert_eq!(encode("特种作业证", EcLevel::Q).unwrap().version(), 2);
}

#[test]
fn too_long_text_is_refused_with_its_length() {
    // Version 40 holds 4296 alphanumeric characters at L and 1852 at H.
    assert_eq!(
        encode(&alphanumeric_text(4296), EcLevel::L)
            .unwrap()
            .version(),
        40
    );
    assert!(matches!(
        encode(&alphanumeric_text(4297), EcLevel::L),
        Err(RenderError::TooLong {
            length: 4297,
            ec: EcLevel::L
        })
    ));
    assert_eq!(
        encode(&alphanumeric_text(1852), EcLevel::H)
            .unwrap()
            .version(),
        40
    );
    assert!(matches!(
        encode(&alphanumeric_text(1853), EcLevel::H),
        Err(RenderError::TooLong {
            length: 1853,
            ec: EcLevel::H
        })
    ));
    // Far beyond any capacity: refused without segmenting a megabyte.
    let huge = "A".repeat(1 << 20);
    assert!(matches!(
        encode(&huge, EcLevel::Q),
        Err(RenderError::TooLong {
            length: 1_048_576,
            ec: EcLevel::Q
        })
    ));
}

#[test]
fn is_dark_shows_the_finder_patterns_and_is_false_outside() {
    let symbol = encode("CQ1:TEST", EcLevel::Q).unwrap();
    let width = symbol.width();
    // Finder pattern corners: dark outer ring, light separator just outside.
    for (x, y) in [
        (0, 0),
        (6, 0),
        (0, 6),
        (6, 6),
        (width - 1, 0),
        (0, width - 1),
    ] {
        assert!(symbol.is_dark(x, y), "({x}, {y})");
    }
    assert!(!symbol.is_dark(7, 0));
    assert!(!symbol.is_dark(1, 1));
    assert!(symbol.is_dark(3, 3));
    // Outside the symbol, including coordinates that would wrap into the next row.
    assert!(!symbol.is_dark(width, 0));
    assert!(!symbol.is_dark(0, width));
    assert!(!symbol.is_dark(usize::MAX, usize::MAX));
    // The timing pattern alternates along row 6.
    for x in 8..width - 8 {
        assert_eq!(symbol.is_dark(x, 6), x % 2 == 0, "timing module {x}");
    }
}

#[test]
fn png_is_grayscale_with_quiet_zone_and_exact_modules() {
    let symbol = encode("CQ1:PNG TEST", EcLevel::Q).unwrap();
    for module_px in [1, 3, 8] {
        let png = symbol.to_png(module_px).unwrap();
        let decoded = image::load_from_memory_with_format(&png, image::ImageFormat::Png).unwrap();
        assert_eq!(decoded.color(), image::ColorType::L8);
        let decoded = decoded.into_luma8();
        let side = (symbol.width() as u32 + 8) * module_px;
        assert_eq!(decoded.dimensions(), (side, side));
        for py in 0..side {
            for px in 0..side {
                let module_x = (px / module_px) as usize;
                let module_y = (py / module_px) as usize;
                let in_symbol = (4..4 + symbol.width()).contains(&module_x)
                    && (4..4 + symbol.width()).contains(&module_y);
                let dark = in_symbol && symbol.is_dark(module_x - 4, module_y - 4);
                let expected = if dark { 0 } else { 255 };
                assert_eq!(
                    decoded.get_pixel(px, py).0[0],
                    expected,
                    "pixel ({px}, {py})"
                );
            }
        }
    }
}

#[test]
fn module_size_out_of_range_is_refused() {
    let symbol = encode("CQ1:X", EcLevel::Q).unwrap();
    for module_px in [0, 65, u32::MAX] {
        assert!(matches!(
            symbol.to_png(module_px),
            Err(RenderError::ModuleSize { module_px: m }) if m == module_px
        ));
        assert!(matches!(
            symbol.to_svg(module_px),
            Err(RenderError::ModuleSize { module_px: m }) if m == module_px
        ));
    }
    assert!(symbol.to_png(64).is_ok());
}

/// Read back the dark modules an SVG from `to_svg` paints, as symbol coordinates.
fn svg_dark_modules(svg: &str, width: usize) -> Vec<bool> {
    let path = svg
        .split(" d=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let mut dark = vec![false; width * width];
    for run in path.split('z').filter(|run| !run.is_empty()) {
        // "M{x} {y}h{n}v1h-{n}"
        let rest = run.strip_prefix('M').unwrap();
        let (x, rest) = rest.split_once(' ').unwrap();
        let (y, rest) = rest.split_once('h').unwrap();
        let (length, rest) = rest.split_once("v1h-").unwrap();
        assert_eq!(length, rest);
        let (x, y, length): (usize, usize, usize) = (
            x.parse().unwrap(),
            y.parse().unwrap(),
            length.parse().unwrap(),
        );
        for column in x..x + length {
            let index = (y - 4) * width + column - 4;
            assert!(!dark[index], "module painted twice");
            dark[index] = true;
        }
    }
    dark
}

#[test]
fn svg_has_the_png_geometry_and_every_dark_module() {
    let symbol = encode(&alphanumeric_text(120), EcLevel::Q).unwrap();
    let svg = symbol.to_svg(5).unwrap();
    let side_modules = symbol.width() + 8;
    let side_px = side_modules * 5;
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.contains(&format!(r#"width="{side_px}" height="{side_px}""#)));
    assert!(svg.contains(&format!(r#"viewBox="0 0 {side_modules} {side_modules}""#)));
    assert!(svg.contains(r#"shape-rendering="crispEdges""#));
    assert_eq!(svg.matches("<path").count(), 1);
    assert!(svg.ends_with("\"/></svg>"));
    let dark = svg_dark_modules(&svg, symbol.width());
    for y in 0..symbol.width() {
        for x in 0..symbol.width() {
            assert_eq!(
                dark[y * symbol.width() + x],
                symbol.is_dark(x, y),
                "({x}, {y})"
            );
        }
    }
}

/// A symbol of `version` at level Q, from alphanumeric text of the right length.
fn symbol_of_version(version: u8) -> QrSymbol {
    let length = match version {
        1 => 4,
        10 => 200,
        11 => 230,
        _ => unreachable!("no text length for version {version}"),
    };
    let symbol = encode(&alphanumeric_text(length), EcLevel::Q).unwrap();
    assert_eq!(symbol.version(), version);
    symbol
}

#[test]
fn print_size_is_the_largest_module_that_fits_and_reads() {
    // (version, width in mm, dpi, dots per module); modules with the quiet zone:
    // version 1 is 29, version 10 is 65, version 11 (certqr's usual) is 69.
    for (version, width_mm, dpi, module_px) in [
        // 25.4 mm at 300 DPI is 300 dots: 29 modules of 10 dots are 290.
        (1, 25.4, 300, 10),
        // 342.5 dots: 11 dots per module (319) fit, 12 (348) do not.
        (1, 29.0, 300, 11),
        // Exactly 29 * 12 = 348 dots at 600 DPI.
        (1, 348.0 * 25.4 / 600.0, 600, 12),
        // Huge: capped at the largest picture module, still 0.34 mm at 4800 DPI.
        (1, 1000.0, 2400, MAX_MODULE_PX),
        (1, 1000.0, 4800, MAX_MODULE_PX),
        // 708.66 dots: 10 dots (650).
        (10, 30.0, 600, 10),
        // A card printer: 20 mm at 300 DPI is 236.2 dots, 3 per module (0.254 mm).
        (11, 20.0, 300, 3),
        (11, 25.0, 300, 4),
        (11, 20.0, 600, 6),
        // 203 DPI label printers: 2 dots are exactly 0.25 mm.
        (11, 20.0, 203, 2),
    ] {
        let symbol = symbol_of_version(version);
        let size = symbol.print_size(width_mm, dpi).unwrap();
        assert_eq!(
            size.module_px(),
            module_px,
            "version {version}, {width_mm} mm at {dpi} dpi"
        );
        assert_eq!(size.dpi(), dpi);
        let side_modules = symbol.width() + 8;
        assert_eq!(size.side_px(), side_modules * module_px as usize);
        assert!(size.side_mm() <= width_mm + 1e-9);
        assert!(size.module_mm() >= MIN_PRINT_MODULE_MM);
        assert_eq!(size.below_recommended_dots(), module_px < 4);
        if module_px < MAX_MODULE_PX {
            // One more dot per module would not fit.
            let wider = side_modules as f64 * f64::from(module_px + 1) * 25.4 / f64::from(dpi);
            assert!(
                wider > width_mm,
                "version {version}, {width_mm} mm at {dpi} dpi"
            );
        }
    }
}

#[test]
fn print_size_refuses_modules_too_small_to_print_or_read() {
    // (version, width in mm, dpi, dots that would fit, the width that is needed)
    for (version, width_mm, dpi, module_dots, needed_mm) in [
        // 2 dots at 300 DPI are 0.169 mm: 3 dots (17.526 mm) are needed.
        (11, 15.0, 300, 2, 17.6),
        // 5 dots at 600 DPI are 0.212 mm: 6 dots.
        (11, 15.0, 600, 5, 17.6),
        // 100 DPI: a dot is 0.254 mm, but a module needs 2 dots (35.052 mm).
        (11, 30.0, 100, 1, 35.1),
        (11, 10.0, 100, 0, 35.1),
        (1, 1.0, 72, 0, 20.5),
    ] {
        let symbol = symbol_of_version(version);
        match symbol.print_size(width_mm, dpi) {
            Err(RenderError::ModuleTooSmall {
                module_dots: Some(dots),
                dpi: Some(error_dpi),
                side_modules,
                needed_mm: needed,
                ..
            }) => {
                assert_eq!(dots, module_dots, "{width_mm} mm at {dpi} dpi");
                assert_eq!(error_dpi, dpi);
                assert_eq!(side_modules, symbol.width() + 8);
                assert!(
                    (needed - needed_mm).abs() < 1e-9,
                    "{needed} for {width_mm} mm at {dpi} dpi"
                );
                // The width the error names is accepted.
                assert!(symbol.print_size(needed, dpi).is_ok());
            }
            other => panic!("{width_mm} mm at {dpi} dpi: {other:?}"),
        }
    }
    let error = symbol_of_version(11).print_size(15.0, 300).unwrap_err();
    assert_eq!(
        error.to_string(),
        "a module would be 0.169 mm (2 dots at 300 dpi), below the 0.25 mm and 3 dots a \
         printed module needs; this code (69 modules wide with its quiet zone) needs at \
         least 17.6 mm"
    );
    // Not a size at all.
    let symbol = symbol_of_version(1);
    for (width_mm, dpi) in [
        (0.0, 300),
        (-5.0, 300),
        (f64::NAN, 300),
        (f64::INFINITY, 300),
        (25.4, 0),
        (25.4, MAX_PRINT_DPI + 1),
    ] {
        assert!(
            matches!(symbol.print_size(width_mm, dpi), Err(RenderError::PrintSize { dpi: d, .. }) if d == dpi),
            "{width_mm} mm at {dpi} dpi"
        );
    }
}

#[test]
fn svg_for_print_has_the_printed_size_in_millimetres() {
    let symbol = symbol_of_version(10);
    let size = symbol.print_size(17.0, 300).unwrap();
    // 65 modules of 3 dots at 300 dpi: 195 dots, 16.51 mm.
    assert_eq!(size.module_px(), 3);
    assert!((size.side_mm() - 16.51).abs() < 1e-9);
    let svg = symbol.to_svg_for_print(&size);
    assert!(
        svg.contains(r#" width="16.51mm" height="16.51mm" viewBox="0 0 65 65""#),
        "{svg:.200}"
    );
    // The same drawing as the pixel-sized SVG: only the size differs.
    let pixels = symbol.to_svg(3).unwrap();
    assert_eq!(svg.replace("16.51mm", "195"), pixels);
}

#[test]
fn ec_level_serializes_as_its_letter_and_defaults_to_q() {
    assert_eq!(EcLevel::default(), EcLevel::Q);
    let json = serde_json::to_string(&EcLevel::H).unwrap();
    assert_eq!(json, "\"H\"");
    assert_eq!(
        serde_json::from_str::<EcLevel>("\"L\"").unwrap(),
        EcLevel::L
    );
}
