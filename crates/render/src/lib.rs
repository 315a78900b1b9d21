//! Drawing certqr text as a QR code (二维码): the module matrix, a PNG and an SVG.
//!
//! [`encode`] picks the smallest QR version that holds the text at the requested
//! error-correction level. certqr text is made only of the QR alphanumeric set
//! (`0-9 A-Z space $%*+-./:`), which the encoder packs at 5.5 bits per character;
//! any other text (a URL, say) falls back to byte mode and still works.
//!
//! Both pictures carry the 4-module quiet zone ISO/IEC 18004 asks for on each side,
//! so a symbol `width` modules wide is drawn `(width + 8) * module_px` pixels wide.
//!
//! For print, [`QrSymbol::print_size`] gives each module the most whole printer dots
//! that fit a width, and refuses modules too small to print or to read
//! ([`MIN_PRINT_MODULE_DOTS`], [`MIN_PRINT_MODULE_MM`]); [`card`] lays the code out on
//! an ID-1 card beside the certificate's fields.
//!
//! ```
//! use certqr_render::{encode, EcLevel};
//!
//! let symbol = encode("CQ1:6BFOXN*TS0BI$ZD4N9", EcLevel::Q).unwrap();
//! assert_eq!(symbol.version(), 2); // 22 alphanumeric characters: 1-Q holds 16
//! assert_eq!(symbol.width(), 25);
//! let png = symbol.to_png(4).unwrap();
//! assert!(png.starts_with(b"\x89PNG"));
//! ```

use std::fmt::Write as _;

use image::{ExtendedColorType, GrayImage, ImageEncoder};

pub mod card;
mod mask;

/// Width of the light border drawn around the symbol, in modules (ISO/IEC 18004 §6.3.8).
pub const QUIET_ZONE_MODULES: usize = 4;
/// The smallest module size, in pixels, that [`QrSymbol::to_png`] and [`QrSymbol::to_svg`] accept.
pub const MIN_MODULE_PX: u32 = 1;
/// The largest module size, in pixels: a version 40 symbol is then
/// `(177 + 8) * 64 = 11 840` pixels wide, a 140 MB grayscale picture.
pub const MAX_MODULE_PX: u32 = 64;

/// The longest text, in bytes, that any QR code can hold (version 40-L, numeric mode).
/// Longer text is refused before it reaches the encoder.
const MAX_ENCODABLE_BYTES: usize = 7089;

/// Millimetres per inch, to turn a print width and a DPI into pixels.
const MILLIMETRES_PER_INCH: f64 = 25.4;

/// The fewest printer dots a printed module may have.
///
/// With one dot per module, dot gain (toner and thermal spread, dye bleed on card
/// printers) fills a light module between two dark ones and the head's own position
/// error is a whole module; two dots is the least that keeps a module edge. DENSO WAVE,
/// which created the QR code, recommends 4 or more for stable printing
/// ([`RECOMMENDED_PRINT_MODULE_DOTS`]); between 2 and 3 certqr prints but says so.
pub const MIN_PRINT_MODULE_DOTS: u32 = 2;

/// The dots per module recommended for stable printing (DENSO WAVE, "QR Code
/// Introduction: Module Size", printer head density and module size).
pub const RECOMMENDED_PRINT_MODULE_DOTS: u32 = 4;

/// The smallest printed module, in millimetres.
///
/// DENSO WAVE gives 0.25 mm as the smallest module a standard handheld QR scanner
/// resolves (high-resolution models reach 0.1-0.2 mm). Inspectors read cards with
/// phone cameras, at arm's length, through scratched laminate: they need at least what
/// a standard scanner needs. At 300 dpi, the usual card printer resolution, this is 3
/// dots (0.254 mm); at 600 dpi, 6 dots.
pub const MIN_PRINT_MODULE_MM: f64 = 0.25;

/// The highest printer resolution a print size is worked out for. At 4800 dpi the
/// largest picture module ([`MAX_MODULE_PX`], 64 dots) is still 0.34 mm, above
/// [`MIN_PRINT_MODULE_MM`]; beyond it no module size both fits a picture and reads.
pub const MAX_PRINT_DPI: u32 = 4800;

/// Error-correction level (纠错等级) of a QR code: how much of the symbol can be
/// damaged and still read. Cards get scratched, so [`EcLevel::Q`] is the default.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub enum EcLevel {
    /// Low: recovers about 7 % of the codewords.
    L,
    /// Medium: recovers about 15 % of the codewords.
    M,
    /// Quartile: recovers about 25 % of the codewords.
    #[default]
    Q,
    /// High: recovers about 30 % of the codewords.
    H,
}

impl EcLevel {
    fn to_qrcode(self) -> qrcode::EcLevel {
        match self {
            EcLevel::L => qrcode::EcLevel::L,
            EcLevel::M => qrcode::EcLevel::M,
            EcLevel::Q => qrcode::EcLevel::Q,
            EcLevel::H => qrcode::EcLevel::H,
        }
    }
}

/// Why a QR code could not be drawn.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// The text does not fit even a version 40 QR code at this error-correction level.
    #[error("text of {length} bytes does not fit a QR code at error-correction level {ec:?}")]
    TooLong {
        /// Length of the text in bytes (UTF-8).
        length: usize,
        /// The error-correction level asked for.
        ec: EcLevel,
    },
    /// The module size is outside `MIN_MODULE_PX..=MAX_MODULE_PX`.
    #[error("module size of {module_px} px is outside {MIN_MODULE_PX}..={MAX_MODULE_PX}")]
    ModuleSize {
        /// The module size asked for, in pixels.
        module_px: u32,
    },
    /// The PNG encoder failed.
    #[error("PNG encoding failed: {0}")]
    Png(String),
    /// A print width that is not a positive number of millimetres, or a resolution
    /// outside `1..=MAX_PRINT_DPI`.
    #[error("cannot print {width_mm} mm wide at {dpi} dpi: the width must be a positive number of millimetres and the resolution 1 to {MAX_PRINT_DPI} dpi")]
    PrintSize {
        /// The width asked for, in millimetres.
        width_mm: f64,
        /// The printer resolution, in dots per inch.
        dpi: u32,
    },
    /// A printed module would be smaller than a printer can draw or a scanner read
    /// ([`MIN_PRINT_MODULE_DOTS`], [`MIN_PRINT_MODULE_MM`]).
    #[error(
        "a module would be {module_mm:.3} mm{}, below the {MIN_PRINT_MODULE_MM:.2} mm{} a printed \
         module needs; this code ({side_modules} modules wide with its quiet zone) needs at \
         least {needed_mm:.1} mm",
        dots_text(.module_dots, .dpi),
        needed_dots_text(.dpi),
    )]
    ModuleTooSmall {
        /// The module size that would fit, in millimetres.
        module_mm: f64,
        /// The module size that would fit, in printer dots, when the resolution is known.
        module_dots: Option<u32>,
        /// The printer resolution, when known.
        dpi: Option<u32>,
        /// Modules per side, quiet zone included.
        side_modules: usize,
        /// The smallest width, in millimetres, at which this code prints readably
        /// (rounded up to a tenth).
        needed_mm: f64,
    },
    /// A text of a card is empty, or too long to fit its place even in the smallest
    /// type; the value is not repeated (it may be personal data).
    #[error("the {field} is empty or too long to fit on the card, even in the smallest type")]
    CardTextDoesNotFit {
        /// Which text, in words: `holder's name`, `issuing authority`, ...
        field: &'static str,
    },
}

/// `millimetres` rounded up to a tenth, so that a width shown with one decimal is
/// never below the true minimum.
fn up_to_tenth(millimetres: f64) -> f64 {
    ((millimetres * 10.0) - 1e-9).ceil() / 10.0
}

/// `" (N dots at D dpi)"`, or nothing when the resolution is not known.
fn dots_text(dots: &Option<u32>, dpi: &Option<u32>) -> String {
    match (dots, dpi) {
        (Some(1), Some(dpi)) => format!(" (1 dot at {dpi} dpi)"),
        (Some(dots), Some(dpi)) => format!(" ({dots} dots at {dpi} dpi)"),
        _ => String::new(),
    }
}

/// `" and N dots"`: the dots per module the resolution needs, when it is known.
fn needed_dots_text(dpi: &Option<u32>) -> String {
    match dpi {
        Some(_) => format!(" and {} dots", minimum_dots(*dpi)),
        None => String::new(),
    }
}

/// The fewest whole dots per module at `dpi` (none: no dots to count) that are at least
/// [`MIN_PRINT_MODULE_DOTS`] and [`MIN_PRINT_MODULE_MM`].
fn minimum_dots(dpi: Option<u32>) -> u32 {
    let Some(dpi) = dpi else {
        return MIN_PRINT_MODULE_DOTS;
    };
    let dots_for_mm = MIN_PRINT_MODULE_MM * f64::from(dpi) / MILLIMETRES_PER_INCH;
    // A millionth of slack so that exactly 0.25 mm is not rounded up a dot; `dpi` is
    // at most a few thousand, so the cast cannot overflow.
    let dots_for_mm = (dots_for_mm - 1e-6).ceil().max(0.0) as u32;
    dots_for_mm.max(MIN_PRINT_MODULE_DOTS)
}

/// How a QR symbol prints at a printer resolution: whole dots per module, so that
/// every module has the same size on paper. Made by [`QrSymbol::print_size`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrintSize {
    module_px: u32,
    dpi: u32,
    side_modules: usize,
}

impl PrintSize {
    /// Printer dots (picture pixels) per module.
    pub fn module_px(&self) -> u32 {
        self.module_px
    }

    /// The printer resolution, in dots per inch.
    pub fn dpi(&self) -> u32 {
        self.dpi
    }

    /// The printed size of one module, in millimetres.
    pub fn module_mm(&self) -> f64 {
        f64::from(self.module_px) * MILLIMETRES_PER_INCH / f64::from(self.dpi)
    }

    /// Pixels per side of the picture, quiet zone included.
    pub fn side_px(&self) -> usize {
        self.side_modules.saturating_mul(self.module_px as usize)
    }

    /// The printed width (and height) of the code, quiet zone included, in millimetres.
    pub fn side_mm(&self) -> f64 {
        self.side_modules as f64 * self.module_mm()
    }

    /// Whether each module has fewer dots than [`RECOMMENDED_PRINT_MODULE_DOTS`]: it
    /// prints, but a worn or misaligned head will show.
    pub fn below_recommended_dots(&self) -> bool {
        self.module_px < RECOMMENDED_PRINT_MODULE_DOTS
    }
}

/// An encoded QR symbol: its version, error-correction level and module matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrSymbol {
    version: u8,
    ec_level: EcLevel,
    width: usize,
    /// Row-major, `width * width` entries, `true` for a dark module.
    dark: Vec<bool>,
}

/// Encode `text` as the smallest QR symbol that holds it at error-correction level `ec`.
///
/// The encoder splits the text into the most compact mix of numeric, alphanumeric and
/// byte segments, so certqr text (all alphanumeric) costs 5.5 bits a character and
/// other text 8 bits a byte.
///
/// # Errors
///
/// [`RenderError::TooLong`] when the text does not fit a version 40 symbol.
pub fn encode(text: &str, ec: EcLevel) -> Result<QrSymbol, RenderError> {
    let too_long = || RenderError::TooLong {
        length: text.len(),
        ec,
    };
    // No QR code holds more than 7089 bytes of anything; refuse longer text before
    // the encoder spends time segmenting it.
    if text.len() > MAX_ENCODABLE_BYTES {
        return Err(too_long());
    }
    let bits = if text.is_ascii() {
        // The encoder's segment optimiser, and for QR alphanumeric text also one plain
        // alphanumeric segment: the optimiser splits runs of about ten digits into
        // numeric segments even when the extra segment headers cost more than they
        // save, which can push certqr text (Base45, so digit runs are common) one
        // version up. The smaller symbol wins; on a tie the single segment, which
        // matches the capacity tables of ISO/IEC 18004 exactly. Only the bits are
        // compared: drawing the symbol (choosing its mask) costs far more, so it is done
        // once, for the winner.
        let optimised = qrcode::bits::encode_auto(text.as_bytes(), ec.to_qrcode()).ok();
        let alphanumeric = if text.bytes().all(is_qr_alphanumeric) {
            smallest_bits(ec, |bits| bits.push_alphanumeric_data(text.as_bytes()))
        } else {
            None
        };
        match (optimised, alphanumeric) {
            (Some(optimised), Some(alphanumeric))
                if optimised.version().width() < alphanumeric.version().width() =>
            {
                optimised
            }
            (_, Some(alphanumeric)) => alphanumeric,
            (Some(optimised), None) => optimised,
            (None, None) => return Err(too_long()),
        }
    } else {
        // One byte-mode segment behind a UTF-8 ECI. The optimiser is not used: it takes
        // any byte pair that looks like Shift_JIS for a Kanji character (many UTF-8
        // Chinese characters do), and a reader would then show Japanese Kanji instead
        // of the original text.
        smallest_bits(ec, |bits| {
            bits.push_eci_designator(ECI_UTF8)?;
            bits.push_byte_data(text.as_bytes())
        })
        .ok_or_else(too_long)?
    };
    // The same symbol `qrcode::QrCode::with_bits` draws, with a faster mask choice.
    let (version, width, dark) = mask::draw(bits, ec.to_qrcode()).ok_or_else(too_long)?;
    let version = match version {
        qrcode::Version::Normal(version) => u8::try_from(version).map_err(|_| too_long())?,
        // Only normal (not Micro) versions are encoded here.
        qrcode::Version::Micro(_) => return Err(too_long()),
    };
    Ok(QrSymbol {
        version,
        ec_level: ec,
        width,
        dark,
    })
}

/// ECI designator for UTF-8 (ISO/IEC 18004 §7.4.2, AIM ECI 000026).
const ECI_UTF8: u32 = 26;

/// The segments `push` writes, terminated, in the smallest QR version (at level `ec`)
/// that holds them; `None` if even version 40 is too small.
fn smallest_bits(
    ec: EcLevel,
    push: impl Fn(&mut qrcode::bits::Bits) -> qrcode::types::QrResult<()>,
) -> Option<qrcode::bits::Bits> {
    (1..=40).find_map(|version| {
        let mut bits = qrcode::bits::Bits::new(qrcode::Version::Normal(version));
        push(&mut bits).ok()?;
        bits.push_terminator(ec.to_qrcode()).ok()?;
        Some(bits)
    })
}

/// Whether `byte` is in the QR alphanumeric set: `0-9 A-Z space $ % * + - . / :`.
fn is_qr_alphanumeric(byte: u8) -> bool {
    byte.is_ascii_digit() || byte.is_ascii_uppercase() || b" $%*+-./:".contains(&byte)
}

impl QrSymbol {
    /// The QR version, 1 to 40.
    pub fn version(&self) -> u8 {
        self.version
    }

    /// The error-correction level the symbol was encoded at.
    pub fn ec_level(&self) -> EcLevel {
        self.ec_level
    }

    /// Modules per side, without the quiet zone: `17 + 4 * version`.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Whether the module at column `x`, row `y` is dark. `false` outside the symbol.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        if x >= self.width {
            return false;
        }
        y.checked_mul(self.width)
            .and_then(|row| row.checked_add(x))
            .and_then(|index| self.dark.get(index))
            .copied()
            .unwrap_or(false)
    }

    /// The print size that makes the code as large as possible while the symbol and
    /// its quiet zone, `(width + 8) * module_px` dots, fit `print_width_mm` at `dpi`:
    /// the largest whole number of dots per module, at most [`MAX_MODULE_PX`].
    ///
    /// # Errors
    ///
    /// [`RenderError::PrintSize`] unless the width is a positive finite number and
    /// `dpi` is in `1..=MAX_PRINT_DPI`; [`RenderError::ModuleTooSmall`] when a module
    /// would be below [`MIN_PRINT_MODULE_DOTS`] dots or [`MIN_PRINT_MODULE_MM`]: the
    /// error says how wide this code must at least be printed.
    pub fn print_size(&self, print_width_mm: f64, dpi: u32) -> Result<PrintSize, RenderError> {
        if !(print_width_mm.is_finite()
            && print_width_mm > 0.0
            && (1..=MAX_PRINT_DPI).contains(&dpi))
        {
            return Err(RenderError::PrintSize {
                width_mm: print_width_mm,
                dpi,
            });
        }
        let dots = print_width_mm * f64::from(dpi) / MILLIMETRES_PER_INCH;
        // A millionth of a dot of slack so that 25.4 mm at 300 DPI is 300 dots, not
        // 299.99999 after rounding.
        let dots = (dots + dots * 1e-6).floor();
        let side_modules = self.side_modules();
        // Finite and non-negative; the cast saturates at u32::MAX and the minimum caps it.
        let module_px = ((dots / side_modules as f64).floor() as u32).min(MAX_MODULE_PX);
        let size = PrintSize {
            module_px,
            dpi,
            side_modules,
        };
        let needed_dots = minimum_dots(Some(dpi));
        if module_px < needed_dots {
            return Err(RenderError::ModuleTooSmall {
                module_mm: size.module_mm(),
                module_dots: Some(module_px),
                dpi: Some(dpi),
                side_modules,
                needed_mm: up_to_tenth(
                    PrintSize {
                        module_px: needed_dots,
                        ..size
                    }
                    .side_mm(),
                ),
            });
        }
        Ok(size)
    }

    /// An 8-bit grayscale PNG, black modules on white, with a 4-module quiet zone on
    /// each side: `(width + 8) * module_px` pixels square.
    ///
    /// # Errors
    ///
    /// [`RenderError::ModuleSize`] unless `module_px` is in `1..=64`;
    /// [`RenderError::Png`] if the PNG encoder fails.
    pub fn to_png(&self, module_px: u32) -> Result<Vec<u8>, RenderError> {
        let picture = self.to_luma_image(module_px)?;
        let mut png = Vec::new();
        image::codecs::png::PngEncoder::new(&mut png)
            .write_image(
                picture.as_raw(),
                picture.width(),
                picture.height(),
                ExtendedColorType::L8,
            )
            .map_err(|error| RenderError::Png(error.to_string()))?;
        Ok(png)
    }

    /// An SVG of the same geometry as [`QrSymbol::to_png`]: `width` and `height` in
    /// pixels, a `viewBox` in modules (quiet zone included), a white background and
    /// one `<path>` tracing each horizontal run of dark modules, drawn with
    /// `shape-rendering="crispEdges"`.
    ///
    /// # Errors
    ///
    /// [`RenderError::ModuleSize`] unless `module_px` is in `1..=64`.
    pub fn to_svg(&self, module_px: u32) -> Result<String, RenderError> {
        check_module_px(module_px)?;
        let side_px = self.side_modules().saturating_mul(module_px as usize);
        Ok(self.svg_of_size(&side_px.to_string()))
    }

    /// An SVG of the size `size` prints at: the same drawing as [`QrSymbol::to_svg`],
    /// with `width` and `height` in millimetres (`side_mm`), so that the printer lays
    /// each module on whole dots.
    pub fn to_svg_for_print(&self, size: &PrintSize) -> String {
        self.svg_of_size(&format!("{}mm", decimal(size.side_mm(), 4)))
    }

    /// The SVG of [`QrSymbol::to_svg`] with `width` and `height` set to `side`.
    fn svg_of_size(&self, side: &str) -> String {
        let side_modules = self.side_modules();
        let mut svg = String::with_capacity(256 + self.dark.len() * 4);
        // Writing to a String cannot fail; the results are ignored for that reason.
        let _ = write!(
            svg,
            concat!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" version="1.1""#,
                r#" width="{side}" height="{side}" viewBox="0 0 {n} {n}" shape-rendering="crispEdges">"#,
                r##"<rect width="{n}" height="{n}" fill="#fff"/><path fill="#000" d=""##,
            ),
            side = side,
            n = side_modules,
        );
        for (y, start, length) in self.dark_runs() {
            let _ = write!(
                svg,
                "M{x} {y}h{length}v1h-{length}z",
                x = start + QUIET_ZONE_MODULES,
                y = y + QUIET_ZONE_MODULES,
            );
        }
        svg.push_str(r#""/></svg>"#);
        svg
    }

    /// Modules per side including the quiet zone on both sides.
    fn side_modules(&self) -> usize {
        self.width + 2 * QUIET_ZONE_MODULES
    }

    /// Each horizontal run of dark modules as `(row, first column, length)`.
    fn dark_runs(&self) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
        self.dark
            .chunks_exact(self.width.max(1))
            .enumerate()
            .flat_map(|(y, row)| {
                let mut runs = Vec::new();
                let mut start = None;
                for (x, &dark) in row.iter().chain(std::iter::once(&false)).enumerate() {
                    match (dark, start) {
                        (true, None) => start = Some(x),
                        (false, Some(first)) => {
                            runs.push((y, first, x - first));
                            start = None;
                        }
                        _ => {}
                    }
                }
                runs
            })
    }

    /// The picture [`QrSymbol::to_png`] encodes, as grey pixels: 0 for dark, 255 for light.
    pub fn to_luma_image(&self, module_px: u32) -> Result<GrayImage, RenderError> {
        check_module_px(module_px)?;
        let module_px_usize = module_px as usize;
        let side_px = self.side_modules() * module_px_usize;
        let side_px_u32 =
            u32::try_from(side_px).map_err(|_| RenderError::ModuleSize { module_px })?;
        let mut pixels = vec![u8::MAX; side_px * side_px];
        let quiet_px = QUIET_ZONE_MODULES * module_px_usize;
        // Each band is the `module_px` pixel rows of one row of modules. Quiet-zone
        // bands stay white.
        let bands = pixels
            .chunks_exact_mut(side_px * module_px_usize)
            .skip(QUIET_ZONE_MODULES)
            .take(self.width);
        for (y, band) in bands.enumerate() {
            let (first_row, other_rows) = band.split_at_mut(side_px);
            for x in (0..self.width).filter(|&x| self.is_dark(x, y)) {
                let left = quiet_px + x * module_px_usize;
                if let Some(module) = first_row.get_mut(left..left + module_px_usize) {
                    module.fill(0);
                }
            }
            for row in other_rows.chunks_exact_mut(side_px) {
                row.copy_from_slice(first_row);
            }
        }
        GrayImage::from_raw(side_px_u32, side_px_u32, pixels)
            .ok_or_else(|| RenderError::Png("pixel buffer does not match the picture size".into()))
    }
}

/// `value` with at most `places` decimals and no trailing zeros: `16.51`, `85.6`, `3`.
pub(crate) fn decimal(value: f64, places: usize) -> String {
    let text = format!("{value:.places$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

fn check_module_px(module_px: u32) -> Result<(), RenderError> {
    if (MIN_MODULE_PX..=MAX_MODULE_PX).contains(&module_px) {
        Ok(())
    } else {
        Err(RenderError::ModuleSize { module_px })
    }
}

#[cfg(test)]
// Tests may panic: a failed unwrap is a failed test.
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
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
            let decoded =
                image::load_from_memory_with_format(&png, image::ImageFormat::Png).unwrap();
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
}
