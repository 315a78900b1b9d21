//! `certqr issue`: sign a certificate into QR text, and draw it as PNG or SVG, sized for
//! print, or on an ID-1 card.

use std::path::{Path, PathBuf};

use certqr_core::catalog::{Family, NumberRule};
use certqr_core::certificate::Certificate;
use certqr_core::id_number::{IdNumber, Sex};
use certqr_core::issue::Issuer;
use certqr_render::card::{self, Card};
use certqr_render::{self as render, EcLevel, PrintSize, QrSymbol};
use serde::Deserialize;

use crate::description::{self, DateField};
use crate::error::{CliError, InFile, Report};
use crate::files::{self, Access, Existing};

/// Module size of pictures when neither `--module-px` nor a print size is given.
pub const DEFAULT_MODULE_PX: u32 = 8;

/// QR error-correction levels, as the command line spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EcName {
    /// Low: about 7 % of the symbol may be damaged.
    #[value(name = "L")]
    L,
    /// Medium: about 15 %.
    #[value(name = "M")]
    M,
    /// Quartile: about 25 % (the default; cards get scratched).
    #[value(name = "Q")]
    Q,
    /// High: about 30 %.
    #[value(name = "H")]
    H,
}

impl EcName {
    /// The core library's level.
    pub fn level(self) -> EcLevel {
        match self {
            EcName::L => EcLevel::L,
            EcName::M => EcLevel::M,
            EcName::Q => EcLevel::Q,
            EcName::H => EcLevel::H,
        }
    }
}

/// The description format, shown by `certqr issue --help`.
const DESCRIPTION_HELP: &str = "\
Certificate description (TOML shown; JSON takes the same fields):
  family = \"special-operations\"   # or special-equipment, safety-management,
                                  # construction-safety-management,
                                  # construction-special-operations
  item = \"1.1\"                    # an item code of the family's catalog
  holder_name = \"张建国\"
  sex = \"male\"                    # or \"female\"; must agree with the id number
  id_number = \"...\"               # 18-character resident identity card number
  number = \"...\"                  # certificate number; optional for special
                                  # operations (then \"T\" + id number)
  first_issued = \"2024-01-01\"     # dates: \"YYYY-MM-DD\" (or TOML dates)
  valid_from = \"2024-01-01\"
  valid_until = \"2029-12-31\"
  review_due = \"2027-01-01\"       # special operations only

A certificate that breaks its family's rules is refused (exit status 2).";

/// Arguments of `certqr issue`.
#[derive(Debug, clap::Args)]
#[command(after_long_help = DESCRIPTION_HELP)]
pub struct Args {
    /// The issuer's private key (PEM PRIVATE KEY).
    #[arg(long, value_name = "ISSUER.key")]
    pub key: PathBuf,
    /// The certificate's description, .toml or .json.
    #[arg(long = "in", value_name = "CERT", required_unless_present = "batch")]
    pub input: Option<PathBuf>,
    /// Issue every row of a .csv (UTF-8 or GBK; header row of description field names),
    /// .xlsx (first sheet, likewise) or .jsonl (one description object per line) file
    /// into --out DIR.
    #[arg(long, value_name = "FILE", conflicts_with = "input", requires = "out")]
    pub batch: Option<PathBuf>,
    /// With --batch: the folder for each row's ROW-NUMBER.txt (the row number in eight
    /// digits and nothing else; with .png/.svg beside it) and refused.csv; created if
    /// needed. Rows whose files exist are skipped.
    #[arg(long, value_name = "DIR", requires = "batch")]
    pub out: Option<PathBuf>,
    /// With --batch: worker threads [default: the number of processor cores].
    #[arg(long, value_name = "N", requires = "batch",
          value_parser = clap::value_parser!(u32).range(1..=256))]
    pub jobs: Option<u32>,
    /// Also draw the QR code as a PNG file (replaced if it exists); with --batch,
    /// give no FILE: each row gets its own .png.
    #[arg(long, value_name = "FILE", num_args = 0..=1)]
    pub png: Option<Option<PathBuf>>,
    /// Also draw the QR code as an SVG file (replaced if it exists); with --batch,
    /// give no FILE: each row gets its own .svg.
    #[arg(long, value_name = "FILE", num_args = 0..=1)]
    pub svg: Option<Option<PathBuf>>,
    /// Pixels per QR module in the pictures, 1 to 64 [default: 8].
    #[arg(long, value_name = "N", conflicts_with = "print_width_mm",
          value_parser = clap::value_parser!(u32).range(1..=64))]
    pub module_px: Option<u32>,
    /// Size the pictures to print this wide (quiet zone included), with --dpi: the
    /// largest whole number of dots per module that fits; refused when a module would
    /// be under 2 dots or 0.25 mm.
    #[arg(long, value_name = "MM", requires = "dpi", conflicts_with = "batch")]
    pub print_width_mm: Option<f64>,
    /// Printer resolution, in dots per inch, for --print-width-mm and --card.
    #[arg(long, value_name = "DPI", conflicts_with = "module_px",
          value_parser = clap::value_parser!(u32).range(1..=i64::from(render::MAX_PRINT_DPI)))]
    pub dpi: Option<u32>,
    /// Also write an ID-1 card (85.60 x 53.98 mm) as SVG: the QR code beside the
    /// holder's name, certificate number, item, issuing authority and validity.
    #[arg(
        long,
        value_name = "FILE",
        requires = "authority",
        conflicts_with = "batch"
    )]
    pub card: Option<PathBuf>,
    /// The issuing authority's name printed on the --card, as on the trust list
    /// (for example 江苏省应急管理厅).
    #[arg(long, value_name = "NAME", requires = "card")]
    pub authority: Option<String>,
    /// Error-correction level of the QR code.
    #[arg(
        long,
        value_enum,
        value_name = "LEVEL",
        default_value = "Q",
        ignore_case = true
    )]
    pub ec: EcName,
}

/// A certificate description, as in the file given to `certqr issue --in` and in each
/// row of a `--batch` file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Description {
    family: Family,
    item: String,
    holder_name: String,
    /// Read as text and checked here, so that a wrong value is not echoed.
    sex: String,
    id_number: String,
    number: Option<String>,
    first_issued: DateField,
    valid_from: DateField,
    valid_until: DateField,
    review_due: Option<DateField>,
}

/// The field names of a description, in the order of the help text: the columns of a
/// `--batch` CSV file.
pub const DESCRIPTION_FIELDS: [&str; 10] = [
    "family",
    "item",
    "holder_name",
    "sex",
    "id_number",
    "number",
    "first_issued",
    "valid_from",
    "valid_until",
    "review_due",
];

/// The fields a description may leave out.
pub const OPTIONAL_DESCRIPTION_FIELDS: [&str; 2] = ["number", "review_due"];

/// Runs `certqr issue` of one certificate: the QR text on standard output, notes about
/// pictures on standard error. (`--batch` is the batch module's, which `main` calls.)
pub fn run(args: &Args) -> Result<Report, CliError> {
    let single_file = |option: &Option<Option<PathBuf>>, flag: &str| match option {
        Some(Some(path)) => Ok(Some(path.clone())),
        Some(None) => Err(CliError::new(
            format!("{flag} 需要给出文件名（只有用 --batch 时才可单独使用）"),
            format!("{flag} needs a FILE (only with --batch is it given alone)"),
        )),
        None => Ok(None),
    };
    let (png, svg) = (
        single_file(&args.png, "--png")?,
        single_file(&args.svg, "--svg")?,
    );
    if args.dpi.is_some() && args.print_width_mm.is_none() && args.card.is_none() {
        return Err(CliError::new(
            "--dpi 用于 --print-width-mm 或 --card：请给出其中之一",
            "--dpi sizes --print-width-mm or --card; give one of them",
        ));
    }
    let input = args.input.as_deref().ok_or_else(|| {
        CliError::new(
            "请用 --in CERT 给出证书描述文件，或用 --batch FILE 批量签发",
            "give the description with --in CERT, or --batch FILE",
        )
    })?;
    let issuer = Issuer::new(files::signing_key(&args.key)?);
    let certificate = read_description(input)?;
    let text = issuer
        .issue(&certificate)
        .in_file(input, "证书不符合其类别的规则，未签发")?;
    let mut report = Report::success(format!("{text}\n"));
    if png.is_none() && svg.is_none() && args.card.is_none() {
        return Ok(report);
    }
    let symbol = render::encode(&text, args.ec.level())
        .map_err(|error| CliError::new("无法生成二维码", error))?;
    if png.is_some() || svg.is_some() {
        let print = match (args.print_width_mm, args.dpi) {
            (Some(width_mm), Some(dpi)) => {
                let size = symbol.print_size(width_mm, dpi).map_err(|error| {
                    CliError::new(
                        format!("--print-width-mm {width_mm}（{dpi} dpi）：无法按此尺寸打印二维码"),
                        format!("--print-width-mm {width_mm} at {dpi} dpi: {error}"),
                    )
                })?;
                report.notes.push(print_note(&size, width_mm));
                Some(size)
            }
            _ => None,
        };
        let module_px = match (args.module_px, &print) {
            (Some(module_px), _) => module_px,
            (None, Some(size)) => size.module_px(),
            (None, None) => DEFAULT_MODULE_PX,
        };
        if let Some(path) = &png {
            let png = symbol
                .to_png(module_px)
                .map_err(|error| CliError::new("无法生成 PNG 图片", error))?;
            files::write(path, &png, Existing::Replace, Access::Public)?;
            report.notes.push(picture_note(path, &symbol, module_px));
        }
        if let Some(path) = &svg {
            let svg = match &print {
                Some(size) => symbol.to_svg_for_print(size),
                None => symbol
                    .to_svg(module_px)
                    .map_err(|error| CliError::new("无法生成 SVG 图片", error))?,
            };
            files::write(path, svg.as_bytes(), Existing::Replace, Access::Public)?;
            report.notes.push(picture_note(path, &symbol, module_px));
        }
    }
    if let (Some(path), Some(authority)) = (&args.card, &args.authority) {
        let card = card::card_svg(&certificate, authority, &symbol, args.dpi)
            .map_err(|error| CliError::new("--card：无法生成证卡", format!("--card: {error}")))?;
        files::write(path, card.svg.as_bytes(), Existing::Replace, Access::Public)?;
        report.notes.push(card_note(path, &symbol, &card));
    }
    Ok(report)
}

fn picture_note(path: &Path, symbol: &QrSymbol, module_px: u32) -> String {
    format!(
        "wrote {}: QR version {}, error correction {:?}, {} modules wide plus quiet zone, {module_px} px per module",
        path.display(),
        symbol.version(),
        symbol.ec_level(),
        symbol.width(),
    )
}

fn print_note(size: &PrintSize, width_mm: f64) -> String {
    let mut note = format!(
        "at {dpi} dpi the code prints {printed:.2} mm wide ({side} px, {module_px} px = {module_mm:.3} mm per module), within the {width_mm} mm asked",
        dpi = size.dpi(),
        printed = size.side_mm(),
        side = size.side_px(),
        module_px = size.module_px(),
        module_mm = size.module_mm(),
    );
    if size.below_recommended_dots() {
        note.push_str(&format!(
            "; fewer than the {} dots per module recommended for stable printing",
            render::RECOMMENDED_PRINT_MODULE_DOTS
        ));
    }
    note
}

fn card_note(path: &Path, symbol: &QrSymbol, card: &Card) -> String {
    let dots = card
        .module_dots
        .map(|dots| format!(" ({dots} dots)"))
        .unwrap_or_default();
    format!(
        "wrote {}: ID-1 card {:.2} x {:.2} mm; QR version {}, error correction {:?}, {:.3} mm per module{dots}, {:.1} mm wide with its quiet zone",
        path.display(),
        card::CARD_WIDTH_MM,
        card::CARD_HEIGHT_MM,
        symbol.version(),
        symbol.ec_level(),
        card.module_mm,
        card.qr_side_mm,
    )
}

/// Reads the description at `path` into a certificate (not yet checked).
fn read_description(path: &Path) -> Result<Certificate, CliError> {
    let description: Description = description::load(path)?;
    description
        .into_certificate()
        .map_err(|problem| CliError::in_file(path, "证书描述有误", problem))
}

impl Description {
    /// The certificate described (not yet checked against its family's rules); the
    /// problem, on one line and without personal data, when the description is
    /// incomplete or a value is malformed.
    pub fn into_certificate(self) -> Result<Certificate, String> {
        let sex = match self.sex.as_str() {
            "male" => Sex::Male,
            "female" => Sex::Female,
            _ => return Err("sex: must be \"male\" or \"female\"".to_owned()),
        };
        let id_number =
            IdNumber::parse(&self.id_number).map_err(|error| format!("id_number: {error}"))?;
        let number = match (self.number, self.family.number_rule()) {
            (Some(number), _) => number,
            (None, NumberRule::TPrefixedIdNumber) => format!("T{}", id_number.as_str()),
            (None, _) => {
                return Err(format!(
                    "number: missing; the issuer assigns {} numbers",
                    self.family.slug()
                ))
            }
        };
        Ok(Certificate {
            holder_name: self.holder_name,
            sex,
            id_number,
            number,
            family: self.family,
            item: self.item,
            first_issued: self.first_issued.0,
            valid_from: self.valid_from.0,
            valid_until: self.valid_until.0,
            review_due: self.review_due.map(|date| date.0),
        })
    }
}
