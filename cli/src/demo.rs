//! `certqr demo`: the whole flow with fresh keys, end to end, as a self-check.
//!
//! A root, three issuing authorities and a forger get new random keys; the root signs
//! a trust list of the three authorities, with their official web domains and the
//! national query platforms'; they issue one genuine certificate of every family and
//! some that must fail (expired, review overdue, outside the issuer's scope, tampered,
//! signed by the forger) and a link to a fake "verification website" whose address
//! imitates the national platform's (a look-alike). Each is
//! drawn as a PNG, scanned back from the file, and verified against the root's public
//! key and the trust list read from disk. The command fails unless every verdict is
//! the expected one.

use std::path::{Path, PathBuf};

use certqr_core::catalog::Family;
use certqr_core::certificate::{china_date, Certificate};
use certqr_core::issue::Issuer;
use certqr_core::keys::{Algorithm, SigningKey};
use certqr_core::samples;
use certqr_core::text;
use certqr_core::verify::{Status, Verdict, VerifierOptions};
use certqr_render::{self as render, EcLevel};
use time::format_description::well_known::Rfc3339;
use time::{Date, Duration, OffsetDateTime};
use unicode_width::UnicodeWidthStr;

use crate::display;
use crate::error::{say, CliError, InFile, Outcome, Report};
use crate::files::{self, Access, Existing};
use crate::{keygen, scan, trust_list, verify};

/// The sample descriptions the demo leaves for trying the other commands by hand, as
/// README.md and docs/cli.md show them (a test checks that they are the same): a trust
/// list naming `issuer-a.pub`, a certificate and a roster for `issue --batch`, with
/// dates relative to the day they are used.
const SAMPLES: [(&str, &str); 3] = [
    ("list.toml", include_str!("../samples/list.toml")),
    ("cert.toml", include_str!("../samples/cert.toml")),
    ("people.csv", include_str!("../samples/people.csv")),
];

/// Pixels per module of the demo pictures.
const MODULE_PX: u32 = 6;

/// Arguments of `certqr demo`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder for the keys, trust list and pictures; created if needed. The demo
    /// replaces its own files there.
    #[arg(long, value_name = "DIR", default_value = "demo-out")]
    pub out: PathBuf,
}

/// The verdict a demo code must get.
#[derive(Debug, Clone)]
struct Expected {
    status: Status,
    codes: &'static [&'static str],
}

const GENUINE: Expected = Expected {
    status: Status::Valid,
    codes: &[],
};

/// One demo QR code.
struct Case {
    /// File name without extension.
    name: String,
    text: String,
    expected: Expected,
}

/// The demo's keys.
struct Keys {
    root: SigningKey,
    emergency_management: SigningKey,
    market_regulation: SigningKey,
    housing_construction: SigningKey,
    forger: SigningKey,
}

/// Runs `certqr demo`.
pub fn run(args: &Args) -> Result<Report, CliError> {
    // The clock is read once.
    let now = OffsetDateTime::now_utc();
    let today = china_date(now);
    let folder = args.out.as_path();
    if folder.exists() && !folder.is_dir() {
        return Err(CliError::in_file(
            folder,
            "已存在，但不是文件夹",
            "exists and is not a folder",
        ));
    }
    std::fs::create_dir_all(folder).map_err(|error| CliError::io(folder, &error))?;

    let mut out = String::new();
    say!(
        out,
        "certqr demo: fresh keys, a trust list and sample QR codes in {}",
        folder.display()
    );
    say!(out);

    let keys = Keys {
        root: keygen::generate(Algorithm::Ed25519)?,
        emergency_management: keygen::generate(Algorithm::Ed25519)?,
        market_regulation: keygen::generate(Algorithm::Ed25519)?,
        housing_construction: keygen::generate(Algorithm::Ed25519)?,
        forger: keygen::generate(Algorithm::Ed25519)?,
    };
    for (name, key, role) in [
        ("root", &keys.root, "root authority: signs the trust list"),
        (
            "issuer-emergency-management",
            &keys.emergency_management,
            "江苏省应急管理厅",
        ),
        (
            "issuer-market-regulation",
            &keys.market_regulation,
            "江苏省市场监督管理局",
        ),
        (
            "issuer-housing-construction",
            &keys.housing_construction,
            "江苏省住房和城乡建设厅",
        ),
        ("forger", &keys.forger, "a forger: not in the trust list"),
    ] {
        let prefix = folder.join(name);
        keygen::write_pair(key, &prefix, Existing::Replace)?;
        let files = format!("{}.key, {name}.pub", prefix.display());
        say!(out, "key {}  {files:<72} {role}", key.public_key().key_id());
    }

    let list_path = write_trust_list(folder, &keys.root, now, today)?;
    say!(
        out,
        "trust list: {} (description {})",
        list_path.display(),
        folder.join("trust-list.toml").display()
    );
    for (name, text) in SAMPLES {
        files::write(
            &folder.join(name),
            text.as_bytes(),
            Existing::Replace,
            Access::Public,
        )?;
    }
    say!(
        out,
        "samples: {} (to try by hand: see README.md)",
        SAMPLES
            .map(|(name, _)| folder.join(name).display().to_string())
            .join(", ")
    );
    say!(out);

    let cases = cases(&keys, today)?;
    let verifier = verify::verifier(
        verify::read_roots(&[folder.join("root.pub")])?,
        &list_path,
        VerifierOptions::default(),
    )?;
    let mut rows = Vec::new();
    for case in &cases {
        let png_path = folder.join(format!("{}.png", case.name));
        files::write(
            &folder.join(format!("{}.txt", case.name)),
            format!("{}\n", case.text).as_bytes(),
            Existing::Replace,
            Access::Public,
        )?;
        let symbol = render::encode(&case.text, EcLevel::Q)
            .map_err(|error| CliError::new("无法生成二维码", error))?;
        let png = symbol
            .to_png(MODULE_PX)
            .in_file(&png_path, "无法生成 PNG 图片")?;
        files::write(&png_path, &png, Existing::Replace, Access::Public)?;
        // Read back from the file, as an inspector's app would see it.
        let scanned = scan::codes_in_image(&png_path)?;
        let verdict = match scanned.as_slice() {
            [code] => Ok(verifier.verify(&code.text, now)),
            other => Err(format!("scan found {} codes, expected 1", other.len())),
        };
        rows.push(Row::of(&png_path, case, verdict));
    }
    let matching = rows.iter().filter(|row| row.as_expected).count();
    table(&mut out, &rows);
    say!(out);
    say!(out, "{matching}/{} verdicts as expected", rows.len());
    say!(out);
    say!(out, "Try:");
    let root = folder.join("root.pub");
    say!(
        out,
        "  certqr trust-list inspect --root {} {}",
        root.display(),
        list_path.display()
    );
    for name in ["01-special-operations", "09-tampered"] {
        say!(
            out,
            "  certqr verify --root {} --trust {} --image {}",
            root.display(),
            list_path.display(),
            folder.join(format!("{name}.png")).display()
        );
    }
    say!(
        out,
        "  certqr inspect --root {} --trust {} --image {}",
        root.display(),
        list_path.display(),
        folder.join("11-fake-website.png").display()
    );
    Ok(Report::new(out, Outcome::from_ok(matching == rows.len())))
}

/// The system clock is out of the range dates are computed in.
fn clock_error() -> CliError {
    CliError::new("系统时钟超出范围", "the system clock is out of range")
}

/// The date `days` days before `date`.
fn days_before(date: Date, days: i64) -> Result<Date, CliError> {
    date.checked_sub(Duration::days(days))
        .ok_or_else(clock_error)
}

/// Writes trust-list.toml (the description, as `trust-list create --in` reads it) and
/// trust-list.cose (the list signed by the root), reading the former to make the latter.
fn write_trust_list(
    folder: &Path,
    root: &SigningKey,
    now: OffsetDateTime,
    today: Date,
) -> Result<PathBuf, CliError> {
    let issued_at = now.replace_nanosecond(0).map_err(|_| clock_error())?;
    let expires_at = issued_at
        .checked_add(Duration::days(90))
        .ok_or_else(clock_error)?;
    let format = |time: OffsetDateTime| time.format(&Rfc3339).map_err(|_| clock_error());
    // Every demo certificate starts within the last five years.
    let key_valid_from = days_before(today, 5 * 366)?;
    let key_valid_until = certqr_core::certificate::add_years(key_valid_from, 10);
    let mut description = format!(
        "# Trust list of the certqr demo: `certqr trust-list create --root root.key --in trust-list.toml --out trust-list.cose`\n\
         sequence = 1\n\
         issued_at = \"{}\"\n\
         expires_at = \"{}\"\n",
        format(issued_at)?,
        format(expires_at)?,
    );
    // (key file, names, official web domain, families)
    let issuers: [(&str, &str, &str, &str, &[&str]); 3] = [
        (
            "issuer-emergency-management.pub",
            "江苏省应急管理厅",
            "Jiangsu Provincial Department of Emergency Management",
            "ajj.jiangsu.gov.cn",
            &["special-operations", "safety-management"],
        ),
        (
            "issuer-market-regulation.pub",
            "江苏省市场监督管理局",
            "Jiangsu Administration for Market Regulation",
            "scjgj.jiangsu.gov.cn",
            &["special-equipment"],
        ),
        (
            "issuer-housing-construction.pub",
            "江苏省住房和城乡建设厅",
            "Jiangsu Provincial Department of Housing and Urban-Rural Development",
            "jsszfhcxjst.jiangsu.gov.cn",
            &[
                "construction-safety-management",
                "construction-special-operations",
            ],
        ),
    ];
    for (public_key, name_zh, name_en, domain, families) in issuers {
        description.push_str(&format!(
            "\n[[issuer]]\n\
             public_key = \"{public_key}\"\n\
             name_zh = \"{name_zh}\"\n\
             name_en = \"{name_en}\"\n\
             region_code = 320000\n\
             key_valid_from = \"{key_valid_from}\"\n\
             key_valid_until = \"{key_valid_until}\"\n\
             status = \"active\"\n\
             domains = [\"{domain}\"]\n"
        ));
        for family in families {
            description.push_str(&format!("[[issuer.scope]]\nfamily = \"{family}\"\n"));
        }
    }
    // The national query platforms, which web links are compared with as well.
    for (domain, name_zh, name_en) in [
        (
            "cx.mem.gov.cn",
            "应急管理部",
            "Ministry of Emergency Management",
        ),
        (
            "samr.gov.cn",
            "国家市场监督管理总局",
            "State Administration for Market Regulation",
        ),
        (
            "mohurd.gov.cn",
            "住房和城乡建设部",
            "Ministry of Housing and Urban-Rural Development",
        ),
    ] {
        description.push_str(&format!(
            "\n[[official_domain]]\n\
             domain = \"{domain}\"\n\
             name_zh = \"{name_zh}\"\n\
             name_en = \"{name_en}\"\n"
        ));
    }
    let description_path = folder.join("trust-list.toml");
    files::write(
        &description_path,
        description.as_bytes(),
        Existing::Replace,
        Access::Public,
    )?;
    let list = trust_list::read_description(&description_path)?;
    let signed = list
        .sign(root)
        .in_file(&description_path, "无法签署演示信任列表")?;
    let list_path = folder.join("trust-list.cose");
    files::write(&list_path, &signed, Existing::Replace, Access::Public)?;
    Ok(list_path)
}

/// A sample certificate of `family` starting `valid_from`, of a holder the issuing
/// Jiangsu authority would certify: core's sample construction special operations
/// certificate is a Guangdong one (number 粤A…, an ID number of Shenzhen), so it gets a
/// Jiangsu number and a fictional Suzhou ID number (sex and check digit right) here.
fn sample(family: Family, valid_from: Date) -> Result<Certificate, CliError> {
    let certificate = samples::certificate(family, valid_from).and_then(|mut certificate| {
        if family == Family::ConstructionSpecialOperations {
            certificate.id_number = samples::id_number("32050219921108282")?;
            certificate.number = "苏A042024000123".to_owned();
        }
        Some(certificate)
    });
    certificate.ok_or_else(|| {
        CliError::new(
            format!("没有 {valid_from} 起的 {} 示例证书", family.slug()),
            format!(
                "no sample certificate of {} for {valid_from}",
                family.slug()
            ),
        )
    })
}

fn issue(key: &SigningKey, certificate: &Certificate) -> Result<String, CliError> {
    Issuer::new(key.clone())
        .issue(certificate)
        .map_err(|error| {
            CliError::new(
                "演示证书被拒绝",
                format!("demo certificate refused: {error}"),
            )
        })
}

/// The demo's codes, in table order.
fn cases(keys: &Keys, today: Date) -> Result<Vec<Case>, CliError> {
    let a_year_ago = days_before(today, 365)?;
    let mut cases = Vec::new();
    // One genuine certificate of every family, from the authority that issues it.
    for (number, family) in Family::ALL.into_iter().enumerate() {
        let issuer = match family {
            Family::SpecialOperations | Family::SafetyManagement => &keys.emergency_management,
            Family::SpecialEquipment => &keys.market_regulation,
            _ => &keys.housing_construction,
        };
        cases.push(Case {
            name: format!("{:02}-{}", number + 1, family.slug()),
            text: issue(issuer, &sample(family, a_year_ago)?)?,
            expected: GENUINE,
        });
    }
    let mut add = |name: &str, text: String, status: Status, codes: &'static [&'static str]| {
        cases.push(Case {
            name: format!("{:02}-{name}", cases.len() + 1),
            text,
            expected: Expected { status, codes },
        });
    };
    // Valid for two years from three years ago.
    let expired = sample(
        Family::ConstructionSpecialOperations,
        days_before(today, 3 * 365)?,
    )?;
    add(
        "expired",
        issue(&keys.housing_construction, &expired)?,
        Status::Invalid,
        &["expired"],
    );
    // Reviews every three years: the first was due a year ago.
    let overdue = sample(Family::SpecialOperations, days_before(today, 4 * 365)?)?;
    add(
        "review-overdue",
        issue(&keys.emergency_management, &overdue)?,
        Status::Invalid,
        &["review-overdue"],
    );
    // A market regulation administration may not issue special operations certificates.
    let special_operations = sample(Family::SpecialOperations, a_year_ago)?;
    add(
        "out-of-scope",
        issue(&keys.market_regulation, &special_operations)?,
        Status::Invalid,
        &["out-of-scope"],
    );
    add(
        "tampered",
        tampered(&keys.emergency_management, &special_operations)?,
        Status::Invalid,
        &["bad-signature"],
    );
    let safety_management = sample(Family::SafetyManagement, a_year_ago)?;
    add(
        "unknown-issuer",
        issue(&keys.forger, &safety_management)?,
        Status::Invalid,
        &["unknown-issuer"],
    );
    add(
        "fake-website",
        "https://cx-mem-gov.cn.verify-cert.com/check?id=3201-2024-000731".to_owned(),
        Status::NotACertificate,
        &["look-alike-website"],
    );
    Ok(cases)
}

/// A genuine certificate whose signed bytes are then changed: the holder's name loses
/// its last character to another of the same UTF-8 length.
fn tampered(key: &SigningKey, certificate: &Certificate) -> Result<String, CliError> {
    let mut document = Issuer::new(key.clone())
        .sign(certificate)
        .map_err(|error| {
            CliError::new(
                "演示证书被拒绝",
                format!("demo certificate refused: {error}"),
            )
        })?;
    let name = certificate.holder_name.as_bytes();
    let mut changed: String = certificate.holder_name.clone();
    let last = changed.pop().unwrap_or('国');
    changed.push(if last == '军' { '国' } else { '军' });
    let position = document
        .windows(name.len())
        .position(|window| window == name);
    match (position, changed.len() == name.len()) {
        (Some(start), true) => {
            for (byte, new) in document.iter_mut().skip(start).zip(changed.as_bytes()) {
                *byte = *new;
            }
            Ok(text::encode(&document))
        }
        _ => Err(CliError::new(
            "无法篡改演示证书：找不到持证人姓名",
            "cannot tamper with the demo certificate: holder name not found",
        )),
    }
}

/// A line of the demo table.
struct Row {
    file: String,
    holder: String,
    family: String,
    expected: &'static str,
    actual: String,
    reasons: String,
    expected_reasons: String,
    as_expected: bool,
}

impl Row {
    fn of(path: &Path, case: &Case, verdict: Result<Verdict, String>) -> Row {
        let file = path.file_name().map_or_else(
            || path.display().to_string(),
            |name| name.to_string_lossy().into_owned(),
        );
        let expected_reasons = case.expected.codes.join(", ");
        let expected = display::status_label(&case.expected.status);
        match verdict {
            Ok(verdict) => {
                let codes: Vec<&str> = verdict.reasons.iter().map(|reason| reason.code()).collect();
                Row {
                    file,
                    holder: verdict
                        .certificate
                        .as_ref()
                        .map_or_else(|| "-".to_owned(), |view| view.holder_name.clone()),
                    family: verdict
                        .certificate
                        .as_ref()
                        .map_or("-", |view| view.family_name_zh)
                        .to_owned(),
                    expected,
                    actual: display::status_label(&verdict.status).to_owned(),
                    reasons: display::reason_codes(&verdict),
                    as_expected: verdict.status == case.expected.status
                        && codes == case.expected.codes,
                    expected_reasons,
                }
            }
            Err(problem) => Row {
                file,
                holder: "-".to_owned(),
                family: "-".to_owned(),
                expected,
                actual: "SCAN FAILED".to_owned(),
                reasons: problem,
                expected_reasons,
                as_expected: false,
            },
        }
    }
}

/// Prints the rows as a table aligned for a terminal (Chinese characters are two
/// columns wide).
fn table(out: &mut String, rows: &[Row]) {
    let header = [
        "file", "holder", "family", "expected", "actual", "reasons", "",
    ];
    let cells: Vec<[&str; 7]> = rows
        .iter()
        .map(|row| {
            [
                row.file.as_str(),
                row.holder.as_str(),
                row.family.as_str(),
                row.expected,
                row.actual.as_str(),
                row.reasons.as_str(),
                if row.as_expected { "ok" } else { "MISMATCH" },
            ]
        })
        .collect();
    let mut widths = header.map(UnicodeWidthStr::width);
    for line in &cells {
        for (width, cell) in widths.iter_mut().zip(line) {
            *width = (*width).max(cell.width());
        }
    }
    for line in std::iter::once(&header).chain(&cells) {
        let mut text = String::new();
        for (cell, width) in line.iter().zip(widths) {
            text.push_str(cell);
            text.push_str(&" ".repeat(width.saturating_sub(cell.width()) + 2));
        }
        say!(out, "{}", text.trim_end());
    }
    for row in rows.iter().filter(|row| !row.as_expected) {
        say!(
            out,
            "MISMATCH {}: expected {} ({}), got {} ({})",
            row.file,
            row.expected,
            if row.expected_reasons.is_empty() {
                "-"
            } else {
                &row.expected_reasons
            },
            row.actual,
            row.reasons
        );
    }
}
