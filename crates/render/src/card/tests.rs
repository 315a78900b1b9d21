//! The card is read back with an XML parser: well-formed, every text inside its place,
//! and the QR rectangles exactly the symbol's dark modules.

use time::macros::date;

use super::*;
use crate::{encode, EcLevel};
use certqr_core::samples;

/// Descent of a CJK font, in em: a line's em box runs from `ascent` above the baseline
/// to this below it.
const DESCENT_EM: f64 = 0.12;

const AUTHORITY: &str = "江苏省应急管理厅";

/// The estimated width of `text`, in em, as the layout estimates it.
fn text_width_em(text: &str) -> f64 {
    text.chars().map(char_width_em).sum()
}

fn sample(family: Family) -> Certificate {
    samples::certificate(family, date!(2024 - 06 - 01)).unwrap()
}

/// A certqr-sized symbol: 230 characters, version 11 at Q like real certificates.
fn certificate_symbol() -> QrSymbol {
    let text: String = "CQ1:"
        .chars()
        .chain("6BFOXN*TS0BI$ZD4N9".chars().cycle())
        .take(230)
        .collect();
    let symbol = encode(&text, EcLevel::Q).unwrap();
    assert_eq!(symbol.version(), 11);
    symbol
}

fn attribute(node: roxmltree::Node<'_, '_>, name: &str) -> f64 {
    node.attribute(name)
        .unwrap_or_else(|| panic!("{name} missing on {node:?}"))
        .parse()
        .unwrap()
}

/// A text element as drawn: its class, text and the box its glyphs can cover.
#[derive(Debug)]
struct TextLine {
    class: String,
    text: String,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
}

fn text_lines(document: &roxmltree::Document<'_>) -> Vec<TextLine> {
    document
        .descendants()
        .filter(|node| node.has_tag_name("text"))
        .map(|node| {
            let text = node.text().unwrap_or_default().to_owned();
            let (x, y, size) = (
                attribute(node, "x"),
                attribute(node, "y"),
                attribute(node, "font-size"),
            );
            TextLine {
                class: node.attribute("class").unwrap().to_owned(),
                left: x,
                right: x + text_width_em(&text) * size,
                top: y - ASCENT_EM * size,
                bottom: y + DESCENT_EM * size,
                text,
            }
        })
        .collect()
}

/// The QR quiet-zone square: x, y and side, in millimetres.
fn quiet_zone(document: &roxmltree::Document<'_>) -> (f64, f64, f64) {
    let rect = document
        .descendants()
        .find(|node| node.attribute("class") == Some("qr-quiet-zone"))
        .unwrap();
    assert_eq!(rect.attribute("fill"), Some("#fff"));
    let side = attribute(rect, "width");
    assert_eq!(attribute(rect, "height"), side);
    (attribute(rect, "x"), attribute(rect, "y"), side)
}

/// Every text line lies inside the card's margins, outside the QR code's square, and
/// clear of every other line and of the rule under the title.
fn assert_text_in_place(svg: &str) -> Vec<TextLine> {
    let document = roxmltree::Document::parse(svg).unwrap();
    let lines = text_lines(&document);
    let (qr_x, qr_y, qr_side) = quiet_zone(&document);
    for line in &lines {
        assert!(
            line.left >= MARGIN - 1e-6
                && line.right <= CARD_WIDTH_MM - MARGIN + 1e-6
                && line.top >= MARGIN - 1e-6
                && line.bottom <= CARD_HEIGHT_MM - MARGIN + 1e-6,
            "outside the card's margins: {line:?}"
        );
        let clear_of_qr = line.left >= qr_x + qr_side
            || line.bottom <= qr_y
            || line.right <= qr_x
            || line.top >= qr_y + qr_side;
        assert!(clear_of_qr, "over the QR code: {line:?}");
        assert!(
            line.bottom <= RULE_Y - 0.1 || line.top >= RULE_Y + 0.1,
            "over the rule: {line:?}"
        );
        assert!(line.right - line.left > 0.0, "empty line: {line:?}");
    }
    for (index, first) in lines.iter().enumerate() {
        for second in &lines[index + 1..] {
            let apart = first.right <= second.left
                || second.right <= first.left
                || first.bottom <= second.top
                || second.bottom <= first.top;
            assert!(apart, "overlapping lines: {first:?} and {second:?}");
        }
    }
    lines
}

fn texts_of<'a>(lines: &'a [TextLine], class: &str) -> Vec<&'a str> {
    lines
        .iter()
        .filter(|line| line.class == class)
        .map(|line| line.text.as_str())
        .collect()
}

#[test]
fn card_is_well_formed_id1_svg_with_every_field() {
    let symbol = certificate_symbol();
    let certificate = sample(Family::SpecialOperations);
    let card = card_svg(&certificate, AUTHORITY, &symbol, None).unwrap();
    let document = roxmltree::Document::parse(&card.svg).unwrap();
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    assert_eq!(root.attribute("width"), Some("85.6mm"));
    assert_eq!(root.attribute("height"), Some("53.98mm"));
    assert_eq!(root.attribute("viewBox"), Some("0 0 85.6 53.98"));
    let group = document
        .descendants()
        .find(|node| node.attribute("font-family").is_some())
        .unwrap();
    assert_eq!(
        group.attribute("font-family"),
        Some("'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', SimHei, sans-serif")
    );
    let lines = assert_text_in_place(&card.svg);
    assert_eq!(texts_of(&lines, "title"), ["特种作业操作证"]);
    assert_eq!(
        texts_of(&lines, "subtitle"),
        ["Special operations certificate"]
    );
    assert_eq!(texts_of(&lines, "holder-name"), ["张建国"]);
    assert_eq!(texts_of(&lines, "category"), ["电工作业"]);
    assert_eq!(texts_of(&lines, "item"), ["高压电工作业"]);
    assert_eq!(texts_of(&lines, "authority"), [AUTHORITY]);
    assert_eq!(texts_of(&lines, "validity"), ["2024-06-01 至 2030-05-31"]);
    assert_eq!(texts_of(&lines, "review"), ["2027-06-01"]);
    assert_eq!(
        texts_of(&lines, "label"),
        [
            "姓名",
            "证书编号",
            "作业类别",
            "操作项目",
            "发证机关",
            "有效期",
            "下次复审"
        ]
    );
    // The number is "T" + the identity card number: printed masked, and the full
    // identity card number appears nowhere in the file.
    assert_eq!(texts_of(&lines, "number"), ["T3201**********123X"]);
    assert!(!card.svg.contains(certificate.id_number.as_str()));
    assert!(!card.svg.contains(&certificate.id_number.as_str()[4..14]));
    // Short texts are set at their preferred sizes, on one line each.
    let size_of = |class: &str| {
        let node = document
            .descendants()
            .find(|node| node.attribute("class") == Some(class))
            .unwrap();
        attribute(node, "font-size")
    };
    assert_eq!(size_of("holder-name"), 4.4);
    assert_eq!(size_of("item"), 2.8);
    assert_eq!(size_of("title"), 3.6);
}

#[test]
fn each_family_has_its_own_item_labels() {
    let symbol = certificate_symbol();
    for (family, rows) in [
        (
            Family::SpecialEquipment,
            vec![("作业种类", "起重机作业"), ("作业项目", "起重机司机")],
        ),
        (
            Family::SafetyManagement,
            vec![("考核类别", "危险化学品生产单位安全生产管理人员")],
        ),
        (
            Family::ConstructionSafetyManagement,
            vec![("人员类别", "C2 土建类专职安全生产管理人员")],
        ),
        (
            Family::ConstructionSpecialOperations,
            vec![("操作类别", "建筑起重信号司索工")],
        ),
    ] {
        let certificate = sample(family);
        let card = card_svg(&certificate, AUTHORITY, &symbol, Some(300)).unwrap();
        let lines = assert_text_in_place(&card.svg);
        let labels = texts_of(&lines, "label");
        let mut expected_labels = vec!["姓名", "证书编号"];
        expected_labels.extend(rows.iter().map(|(label, _)| *label));
        expected_labels.extend(["发证机关", "有效期"]);
        assert_eq!(labels, expected_labels, "{family:?}");
        // Values may wrap; in reading order, category before item.
        let values = [
            texts_of(&lines, "category").concat(),
            texts_of(&lines, "item").concat(),
        ]
        .concat()
        .replace(' ', "");
        let expected = rows
            .iter()
            .map(|(_, value)| *value)
            .collect::<String>()
            .replace(' ', "");
        assert_eq!(values, expected, "{family:?}");
        // No review in these families; the number is issuer-assigned and unmasked.
        assert!(texts_of(&lines, "review").is_empty());
        assert_eq!(texts_of(&lines, "number"), [certificate.number.as_str()]);
        assert_eq!(texts_of(&lines, "title"), [family.name_zh()]);
    }
}

/// The dark modules the card's QR rectangles cover, checking every rectangle is one
/// module high, inside the symbol and painted once.
fn card_dark_modules(svg: &str, width: usize) -> Vec<bool> {
    let document = roxmltree::Document::parse(svg).unwrap();
    let group = document
        .descendants()
        .find(|node| node.attribute("class") == Some("qr"))
        .unwrap();
    assert_eq!(group.attribute("fill"), Some("#000"));
    let mut dark = vec![false; width * width];
    for rect in group.children().filter(roxmltree::Node::is_element) {
        assert!(rect.has_tag_name("rect"));
        let (x, y, length) = (
            attribute(rect, "x") as usize,
            attribute(rect, "y") as usize,
            attribute(rect, "width") as usize,
        );
        assert_eq!(attribute(rect, "height"), 1.0);
        assert!(length > 0 && x + length <= width && y < width, "{rect:?}");
        for column in x..x + length {
            assert!(!dark[y * width + column], "module painted twice");
            dark[y * width + column] = true;
        }
    }
    dark
}

#[test]
fn qr_rectangles_are_exactly_the_dark_modules_with_a_white_quiet_zone() {
    let certificate = sample(Family::ConstructionSafetyManagement);
    for (symbol, dpi) in [
        (certificate_symbol(), None),
        (certificate_symbol(), Some(300)),
        (certificate_symbol(), Some(600)),
        (encode("CQ1:SHORT", EcLevel::H).unwrap(), None),
    ] {
        let card = card_svg(&certificate, AUTHORITY, &symbol, dpi).unwrap();
        let dark = card_dark_modules(&card.svg, symbol.width());
        for y in 0..symbol.width() {
            for x in 0..symbol.width() {
                assert_eq!(
                    dark[y * symbol.width() + x],
                    symbol.is_dark(x, y),
                    "({x}, {y})"
                );
            }
        }
        let runs = symbol.dark_runs().count();
        let document = roxmltree::Document::parse(&card.svg).unwrap();
        let group = document
            .descendants()
            .find(|node| node.attribute("class") == Some("qr"))
            .unwrap();
        assert_eq!(
            group.children().filter(roxmltree::Node::is_element).count(),
            runs
        );
        // The symbol starts 4 modules inside the white square, which holds it exactly.
        let (x, y, side) = quiet_zone(&document);
        let m = card.module_mm;
        let transform: Vec<f64> = group
            .attribute("transform")
            .unwrap()
            .strip_prefix("translate(")
            .unwrap()
            .replace(") scale(", " ")
            .trim_end_matches(')')
            .split(' ')
            .map(|number| number.parse().unwrap())
            .collect();
        assert_eq!(transform.len(), 3);
        assert!((transform[0] - (x + 4.0 * m)).abs() < 1e-3, "{transform:?}");
        assert!((transform[1] - (y + 4.0 * m)).abs() < 1e-3, "{transform:?}");
        assert!((transform[2] - m).abs() < 1e-6, "{transform:?}");
        assert!((side - (symbol.width() + 8) as f64 * m).abs() < 1e-3);
        assert!((card.qr_side_mm - side).abs() < 1e-3);
        // Inside the card and the QR box, and nothing else drawn over the square:
        // the only elements after it are the QR group's.
        assert!(x >= QR_BOX_X - 1e-9 && x + side <= QR_BOX_X + QR_BOX_MM + 1e-3);
        assert!(y >= QR_BOX_Y - 1e-9 && y + side <= QR_BOX_Y + QR_BOX_MM + 1e-3);
        let later: Vec<_> = document
            .descendants()
            .skip_while(|node| node.attribute("class") != Some("qr-quiet-zone"))
            .filter(|node| node.is_element())
            .filter(|node| {
                node.attribute("class") != Some("qr") && node.parent_element() != Some(group)
            })
            .collect();
        assert_eq!(later.len(), 1, "{later:?}"); // the square itself
        match dpi {
            Some(dpi) => {
                let dots = card.module_dots.unwrap();
                assert!((m - f64::from(dots) * 25.4 / f64::from(dpi)).abs() < 1e-12);
                // The largest whole number of dots that fits the box.
                assert!(
                    f64::from(dots + 1) * 25.4 / f64::from(dpi) * (symbol.width() + 8) as f64
                        > QR_BOX_MM
                );
            }
            None => assert_eq!(card.module_dots, None),
        }
    }
}

#[test]
fn module_sizes_on_the_card() {
    let symbol = certificate_symbol(); // 69 modules with the quiet zone
    let certificate = sample(Family::SpecialOperations);
    // 38 mm at 300 dpi is 448.8 dots: 6 dots (0.508 mm) per module; at 600 dpi, 13.
    let card = card_svg(&certificate, AUTHORITY, &symbol, Some(300)).unwrap();
    assert_eq!(card.module_dots, Some(6));
    assert!((card.module_mm - 0.508).abs() < 1e-12);
    let card = card_svg(&certificate, AUTHORITY, &symbol, Some(600)).unwrap();
    assert_eq!(card.module_dots, Some(13));
    let card = card_svg(&certificate, AUTHORITY, &symbol, None).unwrap();
    assert_eq!(card.module_mm, 0.5507);
    // Version 25 (117 + 8 modules) still fits at 0.304 mm; version 35 (157 + 8) would
    // need 0.23 mm modules and is refused, as is a resolution out of range.
    let big = encode(&"A".repeat(1000), EcLevel::Q).unwrap();
    assert_eq!(big.version(), 25);
    assert!(card_svg(&certificate, AUTHORITY, &big, Some(300)).is_ok());
    let huge = encode(&"A".repeat(1800), EcLevel::Q).unwrap();
    assert_eq!(huge.version(), 35);
    for dpi in [None, Some(300)] {
        assert!(matches!(
            card_svg(&certificate, AUTHORITY, &huge, dpi),
            Err(RenderError::ModuleTooSmall {
                side_modules: 165,
                ..
            })
        ));
    }
    for dpi in [0, MAX_PRINT_DPI + 1] {
        assert!(matches!(
            card_svg(&certificate, AUTHORITY, &symbol, Some(dpi)),
            Err(RenderError::PrintSize { .. })
        ));
    }
}

#[test]
fn markup_in_text_is_escaped() {
    let symbol = certificate_symbol();
    let mut certificate = sample(Family::SpecialEquipment);
    certificate.holder_name = r#"<b>&"'</b>"#.to_owned();
    let authority = r#"A&B <script>alert("x")</script> 'Q'"#;
    let card = card_svg(&certificate, authority, &symbol, None).unwrap();
    assert!(!card.svg.contains("<b>") && !card.svg.contains("<script>"));
    assert!(card.svg.contains("&lt;b&gt;&amp;&quot;&apos;&lt;/b&gt;"));
    let lines = assert_text_in_place(&card.svg);
    assert_eq!(
        texts_of(&lines, "holder-name"),
        [certificate.holder_name.as_str()]
    );
    assert_eq!(
        texts_of(&lines, "authority").concat().replace(' ', ""),
        authority.replace(' ', "")
    );
}

#[test]
fn characters_xml_cannot_hold_are_replaced() {
    let symbol = certificate_symbol();
    let mut certificate = sample(Family::SpecialEquipment);
    // A control character, a tab, a noncharacter and a right-to-left override: an
    // unchecked certificate can hold any of them.
    certificate.holder_name = "李\u{1}秀\t英\u{FFFF}\u{202E}X".to_owned();
    let card = card_svg(&certificate, "  市场\n监督管理局 ", &symbol, None).unwrap();
    let lines = assert_text_in_place(&card.svg);
    assert_eq!(
        texts_of(&lines, "holder-name"),
        ["李 秀 英\u{FFFD}\u{FFFD}X"]
    );
    assert_eq!(texts_of(&lines, "authority"), ["市场 监督管理局"]);
}

#[test]
fn long_texts_shrink_then_wrap_and_stay_inside_the_card() {
    let symbol = certificate_symbol();
    // The longest of everything, in every family: a 32-character name, a 32-character
    // number of the widest letter (where the issuer assigns it), the family's longest
    // catalog item and a 60-character authority.
    let name: String = "阿卜杜热合曼·买买提艾力"
        .repeat(3)
        .chars()
        .take(32)
        .collect();
    let authority: String = "江苏省住房和城乡建设厅建筑施工安全监督管理总站"
        .repeat(3)
        .chars()
        .take(60)
        .collect();
    for family in Family::ALL {
        let mut certificate = sample(family);
        certificate.holder_name = name.clone();
        if family != Family::SpecialOperations {
            certificate.number = "W".repeat(32);
        }
        let item = family
            .items()
            .max_by_key(|item| item.name_zh.chars().count())
            .unwrap();
        certificate.item = item.code.to_owned();
        let card = card_svg(&certificate, &authority, &symbol, Some(300)).unwrap();
        let lines = assert_text_in_place(&card.svg);
        let mut wrapped = vec![
            ("holder-name", name.as_str()),
            ("authority", authority.as_str()),
        ];
        if family != Family::SpecialOperations {
            wrapped.push(("number", certificate.number.as_str()));
        }
        for (class, expected) in wrapped {
            let parts = texts_of(&lines, class);
            assert!(
                parts.len() >= 2,
                "{family:?}: {class} not wrapped: {parts:?}"
            );
            assert_eq!(
                parts.concat(),
                expected,
                "{family:?}: {class}: nothing lost or added"
            );
        }
        let item_text = texts_of(&lines, "item").concat().replace(' ', "");
        assert!(item_text.ends_with(item.name_zh), "{family:?}: {item_text}");
        // Closing punctuation never starts a line.
        for line in &lines {
            assert!(!line.text.starts_with(is_closing), "{line:?}");
        }
    }
    let mut certificate = sample(Family::ConstructionSpecialOperations);
    // A name slightly too long for the preferred size shrinks, staying on one line.
    certificate.holder_name = "欧阳娜娜·阿不都热依木".to_owned();
    let card = card_svg(&certificate, AUTHORITY, &symbol, None).unwrap();
    let document = roxmltree::Document::parse(&card.svg).unwrap();
    let names: Vec<_> = document
        .descendants()
        .filter(|node| node.attribute("class") == Some("holder-name"))
        .collect();
    assert_eq!(names.len(), 1);
    let size = attribute(names[0], "font-size");
    assert!(size < 4.4 && size > 2.8, "{size}");
    assert_text_in_place(&card.svg);
}

#[test]
fn a_text_that_cannot_fit_is_refused_without_repeating_it() {
    let symbol = certificate_symbol();
    let certificate = sample(Family::SpecialOperations);
    let authority = "江苏省应急管理厅".repeat(12);
    let error = card_svg(&certificate, &authority, &symbol, None).unwrap_err();
    assert!(matches!(
        error,
        RenderError::CardTextDoesNotFit {
            field: "issuing authority"
        }
    ));
    assert!(!error.to_string().contains("江苏"), "{error}");
    for empty in ["", " \t\n"] {
        assert!(matches!(
            card_svg(&certificate, empty, &symbol, None),
            Err(RenderError::CardTextDoesNotFit {
                field: "issuing authority"
            })
        ));
    }
    let mut nameless = certificate.clone();
    nameless.holder_name = String::new();
    assert!(matches!(
        card_svg(&nameless, AUTHORITY, &symbol, None),
        Err(RenderError::CardTextDoesNotFit {
            field: "holder's name"
        })
    ));
}

#[test]
fn an_item_outside_the_catalog_shows_its_code() {
    let mut certificate = sample(Family::SpecialOperations);
    certificate.item = "99.9".to_owned();
    let card = card_svg(&certificate, AUTHORITY, &certificate_symbol(), None).unwrap();
    let lines = assert_text_in_place(&card.svg);
    assert_eq!(texts_of(&lines, "item"), ["99.9"]);
    assert!(texts_of(&lines, "category").is_empty());
    assert!(texts_of(&lines, "label").contains(&"项目"));
}

#[test]
fn wrapping_breaks_at_cjk_characters_and_spaces_but_not_inside_words() {
    // Widths in em: CJK 1, "ABC" 2.25, space 0.33.
    assert_eq!(wrap("甲乙丙丁", 2.0, 4).unwrap(), ["甲乙", "丙丁"]);
    assert_eq!(wrap("甲乙丙丁", 2.0, 1), None);
    assert_eq!(wrap("ABC DEF", 3.0, 2).unwrap(), ["ABC", "DEF"]);
    // A word longer than the line is cut where it must be.
    assert_eq!(wrap("ABCDEF", 3.0, 3).unwrap(), ["ABCD", "EF"]);
    // "（" stays with what follows, "）" with what precedes.
    assert_eq!(wrap("甲乙（丙）", 3.0, 3).unwrap(), ["甲乙", "（丙）"]);
    assert_eq!(wrap("甲乙丙）", 3.0, 2).unwrap(), ["甲乙", "丙）"]);
    // A character wider than the line never fits.
    assert_eq!(wrap("甲", 0.5, 3), None);
    assert_eq!(fit("", 10.0, 10.0, 3.0), None);
}

#[test]
fn size_is_the_largest_that_fits() {
    // 10 CJK characters in 20 mm: 2.0 mm on one line; in a box too low for two lines
    // of 1.6 mm and too narrow for one, nothing fits.
    let fitted = fit("一二三四五六七八九十", 20.0, 5.0, 3.0).unwrap();
    assert_eq!(
        fitted,
        Fitted {
            lines: vec!["一二三四五六七八九十".into()],
            size: 2.0
        }
    );
    // Two lines at 2.65 mm fit a 6 mm box (2.65 + 1.25 * 2.65 = 5.96); one line would
    // need 1.4 mm type, below the smallest.
    let fitted = fit("一二三四五六七八九十", 14.0, 6.0, 2.8).unwrap();
    assert_eq!(fitted.size, 2.65);
    assert_eq!(fitted.lines, ["一二三四五", "六七八九十"]);
    assert_eq!(fit("一二三四五六七八九十", 10.0, 3.0, 2.8), None);
    assert_eq!(lines_that_fit(1.5, 1.6), 0);
    assert_eq!(lines_that_fit(1.6, 1.6), 1);
    assert_eq!(lines_that_fit(5.6, 1.6), 3);
}
