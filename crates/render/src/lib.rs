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
mod tests;
