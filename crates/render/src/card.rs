//! A certificate card: the ID-1 card of ISO/IEC 7810 (85.60 × 53.98 mm, the size of a
//! bank card or a resident identity card) with the QR code beside the holder's name,
//! certificate number, item, issuing authority and validity, as SVG for a card printer.
//!
//! ```text
//! ┌────────────────────────────────────────────────────────┐
//! │ 特种作业操作证                                          │
//! │ Special operations certificate                         │
//! │ ────────────────────────────────────────────────────── │
//! │ ┌──────────────┐  姓名      张建国                      │
//! │ │              │  证书编号  T3201**********123X         │
//! │ │   QR code    │  作业类别  电工作业                    │
//! │ │ (quiet zone  │  操作项目  高压电工作业                │
//! │ │  included)   │  发证机关  江苏省应急管理厅            │
//! │ │              │  有效期    2024-01-01 至 2029-12-31    │
//! │ └──────────────┘  下次复审  2027-01-01                  │
//! └────────────────────────────────────────────────────────┘
//! ```
//!
//! [`card_svg`] is a pure function: the same certificate, authority and symbol give the
//! same bytes. Text is SVG `<text>` in millimetres with a list of CJK fonts to fall back
//! on ([`FONT_FAMILY`]), so the printer's fonts draw it and it stays sharp.
//!
//! **The identity card number is not printed.** A card is shown around and
//! photographed; the number is in the QR code already, signed, and a verifier shows it
//! masked. A special operations certificate number is `T` followed by the identity card
//! number, so it is printed masked (`T3201**********123X`), as a
//! verifier masks it ([`Certificate::masked_number`]).
//!
//! **Long text never leaves its place.** No font is at hand to measure glyphs, so widths
//! are estimated from above: a CJK character is one em in every CJK font, and each ASCII
//! character is given at least the width of its widest common sans-serif glyph. Each
//! text is set in the largest size, from its preferred size down to
//! [`MIN_TEXT_SIZE_MM`], at which it fits its box, wrapping onto more lines where the
//! box is tall enough; a text that does not fit even then is refused
//! ([`RenderError::CardTextDoesNotFit`]) rather than cut short on an official card. A
//! checked certificate always fits: 32-character names, 32-character numbers and every
//! catalog item; an issuing authority's name fits up to about 60 characters.

use std::fmt::Write as _;

use certqr_core::catalog::Family;
use certqr_core::certificate::Certificate;

use super::{decimal, minimum_dots, QrSymbol, RenderError, MAX_PRINT_DPI, MILLIMETRES_PER_INCH};
use super::{MIN_PRINT_MODULE_MM, QUIET_ZONE_MODULES};

/// Width of an ID-1 card (ISO/IEC 7810), in millimetres.
pub const CARD_WIDTH_MM: f64 = 85.60;
/// Height of an ID-1 card (ISO/IEC 7810), in millimetres.
pub const CARD_HEIGHT_MM: f64 = 53.98;
/// Corner radius of an ID-1 card (ISO/IEC 7810), in millimetres.
pub const CARD_CORNER_RADIUS_MM: f64 = 3.18;

/// Fonts for the card's text, first found wins: the open Noto/Source Han CJK fonts
/// (Linux, most card printer drivers), then those of macOS and Windows, then any sans
/// serif.
pub const FONT_FAMILY: &str = "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', \
                               'Microsoft YaHei', SimHei, sans-serif";

/// The smallest type on the card, in millimetres of em size (about 4.5 pt): still
/// legible on a card held in the hand.
pub const MIN_TEXT_SIZE_MM: f64 = 1.6;

/// Side of the square the QR code (quiet zone included) is fitted into, in
/// millimetres: a version 11 code (61 modules, 69 with the quiet zone) gets modules of
/// 0.55 mm, twice the printable minimum.
pub const QR_BOX_MM: f64 = 38.0;

/// Top-left corner of the QR box.
const QR_BOX_X: f64 = 2.0;
const QR_BOX_Y: f64 = 12.0;

/// Margin around the text, in millimetres.
const MARGIN: f64 = 3.0;
/// Left edge of the labels, and of their values.
const LABEL_X: f64 = QR_BOX_X + QR_BOX_MM + 1.5;
const VALUE_X: f64 = LABEL_X + 9.0;
/// Top of the first row of fields.
const ROWS_TOP: f64 = 12.4;
/// The size of the labels (`姓名`, `证书编号`, ...): four characters fit the 9 mm
/// between [`LABEL_X`] and [`VALUE_X`] with a gap.
const LABEL_SIZE: f64 = 2.0;
/// The baseline of the header rule under the title.
const RULE_Y: f64 = 10.6;

/// Font metrics common to CJK fonts (Noto Sans CJK and Source Han Sans: ascent 0.88 em,
/// descent 0.12 em, so a line of text fills its em box), and the distance between lines.
const ASCENT_EM: f64 = 0.88;
const LINE_ADVANCE_EM: f64 = 1.25;

/// Grey of the labels and the English subtitle.
const LABEL_FILL: &str = "#444";

/// A card drawn by [`card_svg`], with the size its QR code got.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    /// The SVG document (UTF-8), 85.6 × 53.98 mm, user units in millimetres.
    pub svg: String,
    /// The printed size of one QR module, in millimetres.
    pub module_mm: f64,
    /// Printer dots per module, when a printer resolution was given.
    pub module_dots: Option<u32>,
    /// The printed side of the QR code, quiet zone included, in millimetres.
    pub qr_side_mm: f64,
}

/// Draw an ID-1 card of `certificate`, issued by `authority` (the issuing authority's
/// Chinese name, as on the trust list), with the QR code `symbol` (the certificate's
/// signed QR text, from [`super::encode`]).
///
/// With `printer_dpi`, each QR module is a whole number of printer dots, so that all
/// modules print the same size; without it, the module fills [`QR_BOX_MM`].
///
/// # Errors
///
/// [`RenderError::PrintSize`] when `printer_dpi` is outside `1..=MAX_PRINT_DPI`;
/// [`RenderError::ModuleTooSmall`] when the symbol is too large for the card's QR box
/// (beyond about version 25); [`RenderError::CardTextDoesNotFit`] when a text is empty
/// or too long for its place.
pub fn card_svg(
    certificate: &Certificate,
    authority: &str,
    symbol: &QrSymbol,
    printer_dpi: Option<u32>,
) -> Result<Card, RenderError> {
    let qr = QrPlacement::new(symbol, printer_dpi)?;
    // Never the full identity card number, also where the certificate number holds it.
    let masked_number = certificate.masked_number();
    let mut svg = String::with_capacity(8192 + symbol.dark.len() * 12);
    // Writing to a String cannot fail; the results are ignored for that reason.
    let _ = write!(
        svg,
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
            r#"<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{w}mm" height="{h}mm" viewBox="0 0 {w} {h}">"#,
            "\n",
            r##"<rect class="card" width="{w}" height="{h}" rx="{r}" fill="#fff"/>"##,
            "\n",
            r##"<g font-family="{font}" fill="#000">"##,
            "\n",
        ),
        w = decimal(CARD_WIDTH_MM, 2),
        h = decimal(CARD_HEIGHT_MM, 2),
        r = decimal(CARD_CORNER_RADIUS_MM, 2),
        font = FONT_FAMILY,
    );
    let text_width = CARD_WIDTH_MM - 2.0 * MARGIN;
    let title = TextBox {
        class: "title",
        x: MARGIN,
        top: MARGIN,
        width: text_width,
        height: 4.2,
        preferred: 3.6,
        bold: true,
        fill: None,
    };
    title.draw(&mut svg, certificate.family.name_zh(), "certificate name")?;
    let subtitle = TextBox {
        class: "subtitle",
        top: 7.4,
        height: 2.4,
        preferred: 2.0,
        bold: false,
        fill: Some(LABEL_FILL),
        ..title
    };
    subtitle.draw(&mut svg, certificate.family.name_en(), "certificate name")?;
    let mut rows = vec![
        Row::new(
            "姓名",
            &certificate.holder_name,
            "holder-name",
            "holder's name",
            7.4,
            4.4,
        ),
        Row::new(
            "证书编号",
            &masked_number,
            "number",
            "certificate number",
            4.4,
            2.8,
        ),
    ];
    rows.extend(item_rows(certificate));
    rows.push(Row::new(
        "发证机关",
        authority,
        "authority",
        "issuing authority",
        6.4,
        2.6,
    ));
    let validity = format!("{} 至 {}", certificate.valid_from, certificate.valid_until);
    rows.push(Row::new(
        "有效期",
        &validity,
        "validity",
        "validity",
        4.2,
        2.6,
    ));
    let review;
    if let Some(review_due) = certificate.review_due {
        review = review_due.to_string();
        rows.push(Row::new(
            "下次复审",
            &review,
            "review",
            "review date",
            4.2,
            2.6,
        ));
    }
    // Each row takes the room its text needs, at least a single line's; the largest
    // rows all together fit the column, so the last row always ends inside the card.
    let mut top = ROWS_TOP;
    for row in &rows {
        top += row.draw(&mut svg, top)?;
    }
    let _ = write!(
        svg,
        concat!(
            "</g>\n",
            r##"<line class="rule" x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="#888" stroke-width="0.2"/>"##,
            "\n",
        ),
        x1 = decimal(MARGIN, 3),
        x2 = decimal(CARD_WIDTH_MM - MARGIN, 3),
        y = decimal(RULE_Y, 3),
    );
    qr.draw(&mut svg, symbol);
    svg.push_str("</svg>\n");
    Ok(Card {
        svg,
        module_mm: qr.module_mm,
        module_dots: qr.module_dots,
        qr_side_mm: qr.side_mm(),
    })
}

/// The rows naming what the certificate licenses, with the labels each family's
/// certificates use: the category (作业类别, 作业种类) where the family's cards show it,
/// and the item.
fn item_rows(certificate: &Certificate) -> Vec<Row<'static>> {
    let family = certificate.family;
    let (Some(category), Some(item)) = (
        family.category_of(&certificate.item),
        certificate.catalog_item(),
    ) else {
        // Not in the catalog (a checked certificate always is): the code as signed.
        return vec![Row::owned("项目", certificate.item.clone())];
    };
    let item_row = |label: &'static str| Row::new(label, item.name_zh, "item", "item", 6.4, 2.8);
    let category_row =
        |label: &'static str| Row::new(label, category.name_zh, "category", "category", 4.4, 2.8);
    match family {
        Family::SpecialOperations => vec![category_row("作业类别"), item_row("操作项目")],
        Family::SpecialEquipment => vec![category_row("作业种类"), item_row("作业项目")],
        // The item names the role and the industry (煤矿主要负责人); the category, the
        // role alone, would repeat it.
        Family::SafetyManagement => vec![item_row("考核类别")],
        // Known by their class letters (A, B, C1-C3): the code goes first.
        Family::ConstructionSafetyManagement => vec![Row::owned_with(
            "人员类别",
            format!("{} {}", item.code, item.name_zh),
            "item",
            "item",
        )],
        // The item names its category (建筑起重机械司机（塔式起重机）).
        Family::ConstructionSpecialOperations => vec![item_row("操作类别")],
        // A family added to the catalog after this layout: its item, plainly.
        _ => vec![item_row("项目")],
    }
}

/// Space between one row's text and the next row, in millimetres.
const ROW_GAP: f64 = 0.8;
/// The least a row advances: the rows of one-line values are evenly spaced.
const ROW_MIN_ADVANCE: f64 = 4.4;
/// The same for the holder's name, set larger.
const NAME_ROW_MIN_ADVANCE: f64 = 6.4;

/// One labelled field: the label at [`LABEL_X`], the value at [`VALUE_X`] in a box
/// `height` high at most, gap to the next row included.
struct Row<'a> {
    label: &'static str,
    value: std::borrow::Cow<'a, str>,
    class: &'static str,
    field: &'static str,
    height: f64,
    preferred: f64,
}

impl<'a> Row<'a> {
    fn new(
        label: &'static str,
        value: &'a str,
        class: &'static str,
        field: &'static str,
        height: f64,
        preferred: f64,
    ) -> Row<'a> {
        Row {
            label,
            value: value.into(),
            class,
            field,
            height,
            preferred,
        }
    }

    fn owned(label: &'static str, value: String) -> Row<'static> {
        Row::owned_with(label, value, "item", "item")
    }

    fn owned_with(
        label: &'static str,
        value: String,
        class: &'static str,
        field: &'static str,
    ) -> Row<'static> {
        Row {
            label,
            value: value.into(),
            class,
            field,
            height: 6.4,
            preferred: 2.8,
        }
    }

    /// Draw the row at `top`; how far the next row starts below it.
    fn draw(&self, svg: &mut String, top: f64) -> Result<f64, RenderError> {
        let value = TextBox {
            class: self.class,
            x: VALUE_X,
            top,
            width: CARD_WIDTH_MM - MARGIN - VALUE_X,
            height: self.height - ROW_GAP,
            preferred: self.preferred,
            bold: self.class == "holder-name",
            fill: None,
        };
        let fitted = value.draw(svg, &self.value, self.field)?;
        // Label and value share a baseline; the label is never larger than the value,
        // so it stays inside the row.
        let size = LABEL_SIZE.min(fitted.size);
        write_text(
            svg,
            "label",
            LABEL_X,
            top + ASCENT_EM * fitted.size,
            size,
            false,
            Some(LABEL_FILL),
            self.label,
        );
        let min_advance = if self.class == "holder-name" {
            NAME_ROW_MIN_ADVANCE
        } else {
            ROW_MIN_ADVANCE
        };
        Ok((fitted.height() + ROW_GAP)
            .max(min_advance)
            .min(self.height))
    }
}

/// A box that text is fitted into, in millimetres.
#[derive(Clone, Copy)]
struct TextBox {
    class: &'static str,
    x: f64,
    top: f64,
    width: f64,
    height: f64,
    /// Em size to use when the text fits at it.
    preferred: f64,
    bold: bool,
    fill: Option<&'static str>,
}

/// Text set in a box: its lines and their size.
#[derive(Debug, PartialEq)]
struct Fitted {
    lines: Vec<String>,
    size: f64,
}

impl Fitted {
    /// From the top of the first line to the bottom of the last.
    fn height(&self) -> f64 {
        let further_lines = self.lines.len().saturating_sub(1) as f64;
        (1.0 + further_lines * LINE_ADVANCE_EM) * self.size
    }
}

impl TextBox {
    /// Fit `text` and write one `<text>` per line; `field` names it in the error.
    fn draw(
        &self,
        svg: &mut String,
        text: &str,
        field: &'static str,
    ) -> Result<Fitted, RenderError> {
        let fitted = fit(&clean(text), self.width, self.height, self.preferred)
            .ok_or(RenderError::CardTextDoesNotFit { field })?;
        for (index, line) in fitted.lines.iter().enumerate() {
            let baseline = self.top + (index as f64 * LINE_ADVANCE_EM + ASCENT_EM) * fitted.size;
            write_text(
                svg,
                self.class,
                self.x,
                baseline,
                fitted.size,
                self.bold,
                self.fill,
                line,
            );
        }
        Ok(fitted)
    }
}

#[allow(clippy::too_many_arguments)] // One element's attributes, each named at the call.
fn write_text(
    svg: &mut String,
    class: &str,
    x: f64,
    baseline: f64,
    size: f64,
    bold: bool,
    fill: Option<&str>,
    text: &str,
) {
    let _ = write!(
        svg,
        r#"<text class="{class}" x="{x}" y="{y}" font-size="{size}""#,
        x = decimal(x, 3),
        y = decimal(baseline, 3),
        size = decimal(size, 2),
    );
    if bold {
        svg.push_str(r#" font-weight="bold""#);
    }
    if let Some(fill) = fill {
        let _ = write!(svg, r#" fill="{fill}""#);
    }
    svg.push('>');
    escape_into(svg, text);
    svg.push_str("</text>\n");
}

/// Sizes are tried from the preferred one down in steps of this many millimetres.
const SIZE_STEP_HUNDREDTHS: u32 = 5;

/// A single line is preferred to several lines of type larger by less than this
/// factor: a name on one line at 2.9 mm reads better than on two at 3.25 mm.
const ONE_LINE_RATIO: f64 = 0.85;

/// The largest size, from `preferred` down to [`MIN_TEXT_SIZE_MM`], at which `text`
/// fits `width` on as many lines as `height` holds, unless one line at nearly that size
/// fits too ([`ONE_LINE_RATIO`]); `None` when it fits at no size, or is empty.
fn fit(text: &str, width: f64, height: f64, preferred: f64) -> Option<Fitted> {
    let best = largest_fit(text, width, height, preferred, usize::MAX)?;
    if best.lines.len() > 1 {
        if let Some(one_line) = largest_fit(text, width, height, preferred, 1) {
            if one_line.size >= ONE_LINE_RATIO * best.size {
                return Some(one_line);
            }
        }
    }
    Some(best)
}

/// The largest size, from `preferred` down to [`MIN_TEXT_SIZE_MM`], at which `text`
/// fits the box on at most `line_limit` lines.
fn largest_fit(
    text: &str,
    width: f64,
    height: f64,
    preferred: f64,
    line_limit: usize,
) -> Option<Fitted> {
    if text.is_empty() {
        return None;
    }
    // Whole hundredths of a millimetre, so that the sizes tried are exact.
    let preferred = (preferred * 100.0).round() as u32;
    let min = (MIN_TEXT_SIZE_MM * 100.0).round() as u32;
    let mut hundredths = preferred.max(min);
    loop {
        let size = f64::from(hundredths) / 100.0;
        let max_lines = lines_that_fit(height, size).min(line_limit);
        if max_lines > 0 {
            if let Some(lines) = wrap(text, width / size, max_lines) {
                return Some(Fitted { lines, size });
            }
        }
        if hundredths <= min {
            return None;
        }
        hundredths = hundredths.saturating_sub(SIZE_STEP_HUNDREDTHS).max(min);
    }
}

/// How many lines of `size` fit `height`: the first takes one em, each further one
/// [`LINE_ADVANCE_EM`].
fn lines_that_fit(height: f64, size: f64) -> usize {
    if size > height + 1e-9 {
        0
    } else {
        // Non-negative and small: the cast is exact.
        1 + ((height - size) / (LINE_ADVANCE_EM * size) + 1e-9).floor() as usize
    }
}

/// An upper bound of the width of `character`, in em.
///
/// CJK ideographs, kana and full-width forms are one em in every CJK font; so is every
/// other non-ASCII character here (an over-estimate for accented Latin letters, which
/// costs nothing). ASCII widths are at least those of the widest common sans-serif
/// glyphs (Noto Sans, Segoe UI, Helvetica, Source Sans): `M` and `W` 0.95, other
/// capitals 0.75, `m` and `w` 0.9, everything else 0.62, the space 0.33.
fn char_width_em(character: char) -> f64 {
    match character {
        ' ' => 0.33,
        'M' | 'W' | '@' | '%' => 0.95,
        'm' | 'w' => 0.9,
        'A'..='Z' => 0.75,
        _ if character.is_ascii() => 0.62,
        _ => 1.0,
    }
}

/// Punctuation that may not start a line (Chinese line-breaking rules, 避头点).
fn is_closing(character: char) -> bool {
    matches!(
        character,
        '）' | ')'
            | '，'
            | '。'
            | '、'
            | '；'
            | '：'
            | '」'
            | '』'
            | '》'
            | '】'
            | '·'
            | '…'
            | ','
            | '.'
            | ';'
            | ':'
            | ']'
            | '!'
            | '?'
            | '！'
            | '？'
    )
}

/// Punctuation that may not end a line (避尾点).
fn is_opening(character: char) -> bool {
    matches!(character, '（' | '(' | '「' | '『' | '《' | '【' | '[')
}

/// Whether a line may break between `before` and `after`: at spaces, and next to a
/// wide (CJK) character, never inside a run of ASCII letters and digits, never before
/// closing or after opening punctuation.
fn may_break(before: char, after: char) -> bool {
    if is_closing(after) || is_opening(before) {
        return false;
    }
    before == ' ' || after == ' ' || !before.is_ascii() || !after.is_ascii()
}

/// Greedy line breaking of `text` into lines at most `width_em` wide; `None` when it
/// needs more than `max_lines` lines, or one character is wider than a line.
fn wrap(text: &str, width_em: f64, max_lines: usize) -> Option<Vec<String>> {
    let chars: Vec<char> = text.chars().collect();
    let mut lines = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        while chars.get(start) == Some(&' ') {
            start += 1;
        }
        if start >= chars.len() {
            break;
        }
        let mut width = 0.0;
        let mut end = start;
        let mut last_break = None;
        while let Some(&character) = chars.get(end) {
            let character_width = char_width_em(character);
            if width + character_width > width_em + 1e-9 {
                if end == start {
                    return None;
                }
                break;
            }
            width += character_width;
            end += 1;
            if let (Some(&before), Some(&after)) = (chars.get(end - 1), chars.get(end)) {
                if may_break(before, after) {
                    last_break = Some(end);
                }
            }
        }
        let cut = if end >= chars.len() {
            chars.len()
        } else {
            // Where no break is allowed (a number longer than the line), cut anyway.
            last_break.unwrap_or(end)
        };
        let line: String = chars.get(start..cut)?.iter().collect();
        lines.push(line.trim_end().to_owned());
        if lines.len() > max_lines {
            return None;
        }
        start = cut;
    }
    Some(lines)
}

/// The text as it is set: whitespace and control characters become single spaces,
/// characters XML 1.0 cannot hold and bidirectional controls (which could reorder
/// what the card shows) become U+FFFD, and the ends are trimmed.
fn clean(text: &str) -> String {
    let mut cleaned = String::with_capacity(text.len());
    for character in text.chars() {
        let character = match character {
            character if character.is_whitespace() || character.is_control() => ' ',
            '\u{FFFE}' | '\u{FFFF}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
                '\u{FFFD}'
            }
            character => character,
        };
        if character == ' ' && (cleaned.is_empty() || cleaned.ends_with(' ')) {
            continue;
        }
        cleaned.push(character);
    }
    cleaned.trim_end().to_owned()
}

/// Append `text` with the five XML special characters escaped.
fn escape_into(svg: &mut String, text: &str) {
    for character in text.chars() {
        match character {
            '&' => svg.push_str("&amp;"),
            '<' => svg.push_str("&lt;"),
            '>' => svg.push_str("&gt;"),
            '"' => svg.push_str("&quot;"),
            '\'' => svg.push_str("&apos;"),
            character => svg.push(character),
        }
    }
}

/// Where the QR code goes on the card, and its module size.
#[derive(Debug, Clone, Copy)]
struct QrPlacement {
    /// Top-left corner of the quiet zone.
    x: f64,
    y: f64,
    module_mm: f64,
    module_dots: Option<u32>,
    side_modules: usize,
}

impl QrPlacement {
    fn new(symbol: &QrSymbol, printer_dpi: Option<u32>) -> Result<QrPlacement, RenderError> {
        let side_modules = symbol.side_modules();
        let side = side_modules as f64;
        let too_small = |module_mm: f64, module_dots: Option<u32>| RenderError::ModuleTooSmall {
            module_mm,
            module_dots,
            dpi: printer_dpi,
            side_modules,
            needed_mm: super::up_to_tenth(
                side * printer_dpi.map_or(MIN_PRINT_MODULE_MM, |dpi| {
                    f64::from(minimum_dots(Some(dpi))) * MILLIMETRES_PER_INCH / f64::from(dpi)
                }),
            ),
        };
        let (module_mm, module_dots) = match printer_dpi {
            Some(dpi) => {
                if !(1..=MAX_PRINT_DPI).contains(&dpi) {
                    return Err(RenderError::PrintSize {
                        width_mm: QR_BOX_MM,
                        dpi,
                    });
                }
                let dots_per_mm = f64::from(dpi) / MILLIMETRES_PER_INCH;
                // At most a few thousand: the cast is exact.
                let dots = (QR_BOX_MM * dots_per_mm / side + 1e-9).floor() as u32;
                let module_mm = f64::from(dots) / dots_per_mm;
                if dots < minimum_dots(Some(dpi)) {
                    return Err(too_small(module_mm, Some(dots)));
                }
                (module_mm, Some(dots))
            }
            None => {
                // Four decimals, rounded down, so that the code never exceeds its box.
                let module_mm = (QR_BOX_MM / side * 10_000.0).floor() / 10_000.0;
                if module_mm < MIN_PRINT_MODULE_MM {
                    return Err(too_small(module_mm, None));
                }
                (module_mm, None)
            }
        };
        let margin = (QR_BOX_MM - side * module_mm) / 2.0;
        Ok(QrPlacement {
            x: QR_BOX_X + margin,
            y: QR_BOX_Y + margin,
            module_mm,
            module_dots,
            side_modules,
        })
    }

    fn side_mm(&self) -> f64 {
        self.side_modules as f64 * self.module_mm
    }

    /// A white square for the symbol and its quiet zone, then one rectangle per
    /// horizontal run of dark modules, in module units scaled to millimetres.
    fn draw(&self, svg: &mut String, symbol: &QrSymbol) {
        let quiet = QUIET_ZONE_MODULES as f64 * self.module_mm;
        let _ = write!(
            svg,
            concat!(
                r##"<rect class="qr-quiet-zone" x="{x}" y="{y}" width="{side}" height="{side}" fill="#fff"/>"##,
                "\n",
                r##"<g class="qr" transform="translate({sx} {sy}) scale({m})" fill="#000" shape-rendering="crispEdges">"##,
                "\n",
            ),
            x = decimal(self.x, 4),
            y = decimal(self.y, 4),
            side = decimal(self.side_mm(), 4),
            sx = decimal(self.x + quiet, 4),
            sy = decimal(self.y + quiet, 4),
            m = decimal(self.module_mm, 6),
        );
        for (row, column, length) in symbol.dark_runs() {
            let _ = writeln!(
                svg,
                r#"<rect x="{column}" y="{row}" width="{length}" height="1"/>"#
            );
        }
        svg.push_str("</g>\n");
    }
}

#[cfg(test)]
// Tests may panic: a failed unwrap is a failed test.
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests;
