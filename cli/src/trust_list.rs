//! `certqr trust-list create` and `certqr trust-list inspect`: the root authority's
//! signed list of issuers.

use std::path::{Path, PathBuf};

use certqr_core::catalog::Family;
use certqr_core::cose;
use certqr_core::keys::{Algorithm, PublicKey};
use certqr_core::trust::{
    IssuerError, KeyStatus, OfficialDomain, Scope, TrustList, TrustListError, TrustedIssuer,
};
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::description::{self, DateField, TimeField};
use crate::display;
use crate::error::{count, say, CliError, Report};
use crate::files::{self, Access, Existing};

/// `certqr trust-list` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Sign a trust list described in a TOML or JSON file with a root key.
    Create(CreateArgs),
    /// Show a signed trust list, verified against root public keys.
    Inspect(InspectArgs),
}

/// The description format, shown by `certqr trust-list create --help`.
const DESCRIPTION_HELP: &str = "\
Trust list description (TOML shown; JSON takes the same fields, \"issuer\" and
\"official_domain\" arrays):
  sequence = 1                           # higher than the last list published
  issued_at = \"now\"                      # RFC 3339, TOML date-times, \"now\"
  expires_at = \"+90d\"                    #   or relative: \"+90d\", \"-1d\", \"+12h\"
  [[issuer]]
  public_key = \"issuer-a.pub\"            # PEM file, relative to the description
  name_zh = \"江苏省应急管理厅\"
  name_en = \"Jiangsu Provincial Department of Emergency Management\"
  region_code = 320000                   # GB/T 2260, six digits
  key_valid_from = \"-365d\"               # the key signs certificates starting
  key_valid_until = \"2035-12-31\"         #   within this window (dates: YYYY-MM-DD,
                                         #   \"today\" or relative: \"+365d\")
  status = \"active\"                      # or \"retired\" with retired_since =
                                         # \"YYYY-MM-DD\", or \"compromised\"
  domains = [\"ajj.jiangsu.gov.cn\"]       # optional: the authority's official web
                                         #   domains (lowercase, IDNs in punycode)
  [[issuer.scope]]
  family = \"special-operations\"
  items = [\"1.1\", \"1.2\"]                 # optional: omitted = every item
  [[official_domain]]                    # optional: national query platforms
  domain = \"cx.mem.gov.cn\"
  name_zh = \"应急管理部\"                 # the authority that runs it
  name_en = \"Ministry of Emergency Management\"";

/// Arguments of `certqr trust-list create`.
#[derive(Debug, clap::Args)]
#[command(after_long_help = DESCRIPTION_HELP)]
pub struct CreateArgs {
    /// The root's private key (PEM PRIVATE KEY).
    #[arg(long, value_name = "ROOT.key")]
    pub root: PathBuf,
    /// The list's description, .toml or .json; paths in it are relative to it.
    #[arg(long = "in", value_name = "DESCRIPTION")]
    pub input: PathBuf,
    /// Where to write the signed list (binary COSE_Sign1).
    #[arg(long, value_name = "LIST")]
    pub out: PathBuf,
    /// Replace LIST if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `certqr trust-list inspect`.
#[derive(Debug, clap::Args)]
pub struct InspectArgs {
    /// The signed trust list.
    #[arg(value_name = "LIST")]
    pub list: PathBuf,
    /// A root public key (PEM PUBLIC KEY) the list must be signed by; repeat for several.
    /// Required: certqr-core has no reader for unverified trust-list content.
    #[arg(long = "root", value_name = "ROOT.pub", required = true)]
    pub roots: Vec<PathBuf>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Runs a `certqr trust-list` subcommand.
pub fn run(command: &Command) -> Result<Report, CliError> {
    match command {
        Command::Create(args) => create(args),
        Command::Inspect(args) => inspect(args),
    }
}

/// A trust list description, as in the file given to `trust-list create`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Description {
    sequence: u64,
    issued_at: TimeField,
    expires_at: TimeField,
    #[serde(rename = "issuer", alias = "issuers", default)]
    issuers: Vec<IssuerDescription>,
    #[serde(rename = "official_domain", alias = "official_domains", default)]
    official_domains: Vec<OfficialDomainDescription>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OfficialDomainDescription {
    domain: String,
    name_zh: String,
    name_en: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct IssuerDescription {
    public_key: PathBuf,
    name_zh: String,
    name_en: String,
    region_code: u32,
    key_valid_from: DateField,
    key_valid_until: DateField,
    status: StatusName,
    retired_since: Option<DateField>,
    #[serde(default)]
    scope: Vec<ScopeDescription>,
    #[serde(default)]
    domains: Vec<String>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum StatusName {
    Active,
    Retired,
    Compromised,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScopeDescription {
    family: Family,
    items: Option<Vec<String>>,
}

fn create(args: &CreateArgs) -> Result<Report, CliError> {
    let root = files::signing_key(&args.root)?;
    let list = read_description(&args.input)?;
    let signed = list.sign(&root).map_err(|error| {
        CliError::in_file(
            &args.input,
            "信任列表描述有误",
            describe_list_error(&error, &list.issuers),
        )
    })?;
    let existing = if args.force {
        Existing::Replace
    } else {
        Existing::Refuse
    };
    if existing == Existing::Refuse && args.out.symlink_metadata().is_ok() {
        return Err(CliError::in_file(
            &args.out,
            "文件已存在；要替换它请加 --force",
            "already exists; use --force to replace it",
        ));
    }
    files::write(&args.out, &signed, existing, Access::Public)?;
    let report = Report::success(String::new()).with_note(format!(
        "wrote {}: trust list sequence {} with {}, signed by root key {}",
        args.out.display(),
        list.sequence,
        count(list.issuers.len(), "issuer", "issuers"),
        root.public_key().key_id()
    ));
    // The clock is read only for this warning: the list's own times are what is signed.
    Ok(expiry_warning(list.expires_at, OffsetDateTime::now_utc())
        .into_iter()
        .flatten()
        .fold(report, Report::with_note))
}

/// How long before its expiry a newly signed list is worth a warning.
const EXPIRY_WARNING: time::Duration = time::Duration::weeks(1);

/// A warning, in Chinese and English, when a list expiring at `expires_at` is already
/// expired at `now` or expires within [`EXPIRY_WARNING`]: verifiers refuse it then.
fn expiry_warning(expires_at: OffsetDateTime, now: OffsetDateTime) -> Option<[String; 2]> {
    let when = expires_at
        .format(&Rfc3339)
        .unwrap_or_else(|_| expires_at.to_string());
    if expires_at <= now {
        Some([
            format!("警告：此信任列表已于 {when} 过期，核验方会拒绝使用它（expires_at 可写成 \"+90d\" 这样的相对时间）"),
            format!(
                "warning: this trust list expired at {when}, and verifiers will refuse it \
                 (expires_at may be relative, such as \"+90d\")"
            ),
        ])
    } else if expires_at - now < EXPIRY_WARNING {
        Some([
            format!("警告：此信任列表将于 {when} 过期，不到一周"),
            format!("warning: this trust list expires at {when}, in less than a week"),
        ])
    } else {
        None
    }
}

/// Reads the description at `path` into a trust list (not yet checked or signed).
pub fn read_description(path: &Path) -> Result<TrustList, CliError> {
    let description: Description = description::load(path)?;
    let folder = files::folder_of(path);
    let issuers = description
        .issuers
        .into_iter()
        .enumerate()
        .map(|(index, issuer)| {
            issuer_of(issuer, folder).map_err(|problem| {
                CliError::in_file(
                    path,
                    format!("第 {} 个签发机关有误", index + 1),
                    format!("issuer {}: {problem}", index + 1),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(TrustList {
        sequence: description.sequence,
        issued_at: description.issued_at.0,
        expires_at: description.expires_at.0,
        issuers,
        official_domains: description
            .official_domains
            .into_iter()
            .map(|official| OfficialDomain {
                domain: official.domain,
                name_zh: official.name_zh,
                name_en: official.name_en,
            })
            .collect(),
    })
}

fn issuer_of(issuer: IssuerDescription, folder: &Path) -> Result<TrustedIssuer, String> {
    let key_path = folder.join(&issuer.public_key);
    let public_key =
        files::public_key(&key_path).map_err(|error| format!("public_key: {error}"))?;
    let status = match (issuer.status, issuer.retired_since) {
        (StatusName::Active, None) => KeyStatus::Active,
        (StatusName::Compromised, None) => KeyStatus::Compromised,
        (StatusName::Retired, Some(since)) => KeyStatus::Retired { since: since.0 },
        (StatusName::Retired, None) => {
            return Err("status \"retired\" needs retired_since".to_owned())
        }
        (_, Some(_)) => {
            return Err("retired_since is only allowed with status \"retired\"".to_owned())
        }
    };
    if issuer.scope.is_empty() {
        return Err("needs at least one [[issuer.scope]]".to_owned());
    }
    let scope = issuer
        .scope
        .into_iter()
        .map(|scope| {
            for item in scope.items.iter().flatten() {
                if scope.family.item(item).is_none() {
                    return Err(format!(
                        "scope {}: item {item:?} is not in that family's catalog",
                        scope.family.slug()
                    ));
                }
            }
            Ok(Scope {
                family: scope.family,
                items: scope.items,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(TrustedIssuer {
        public_key,
        name_zh: issuer.name_zh,
        name_en: issuer.name_en,
        region_code: issuer.region_code,
        scope,
        key_valid_from: issuer.key_valid_from.0,
        key_valid_until: issuer.key_valid_until.0,
        status,
        domains: issuer.domains,
    })
}

/// A trust list refusal, with issuers counted from 1 as in the description.
fn describe_list_error(error: &TrustListError, issuers: &[TrustedIssuer]) -> String {
    match error {
        TrustListError::Issuer { index, error } => {
            let issuer = issuers.get(*index);
            let name = issuer.map_or("", |issuer| issuer.name_en.as_str());
            let problem = match error {
                IssuerError::Domain {
                    index: domain_index,
                    error,
                } => {
                    let domain = issuer
                        .and_then(|issuer| issuer.domains.get(*domain_index))
                        .map_or("", String::as_str);
                    format!("domains: {domain:?} {error}")
                }
                other => other.to_string(),
            };
            format!("issuer {} ({name}): {problem}", index + 1)
        }
        TrustListError::OfficialDomain { index, error } => {
            format!("official_domain {}: {error}", index + 1)
        }
        other => other.to_string(),
    }
}

fn inspect(args: &InspectArgs) -> Result<Report, CliError> {
    let roots = args
        .roots
        .iter()
        .map(|path| files::public_key(path))
        .collect::<Result<Vec<_>, _>>()?;
    let bytes = files::read_bounded(&args.list, cose::MAX_DOCUMENT_LENGTH as u64)?;
    let signer = cose::parse(&bytes)
        .map_err(|error| {
            refused(
                &args.list,
                (
                    "信任列表被拒绝：不是签名文档".to_owned(),
                    format!("trust list refused: {error}"),
                ),
            )
        })?
        .key_id;
    let list = TrustList::from_signed(&bytes, &roots)
        .map_err(|error| refused(&args.list, refusal(&error, &roots)))?;
    let view = ListView::of(&list, signer.to_hex());
    if args.json {
        return display::json(&view).map(Report::success);
    }
    Ok(Report::success(view.text()))
}

/// Why a signed trust list was refused, naming the keys when no root signed it.
pub fn refusal(error: &TrustListError, roots: &[PublicKey]) -> (String, String) {
    match error {
        TrustListError::NotSignedByRoot { key_id } => (
            format!(
                "信任列表被拒绝：签署密钥 {key_id} 不是给定的任何根密钥（{}）",
                key_ids(roots)
            ),
            format!(
                "trust list refused: it is signed by key {key_id}, which is none of the given roots ({})",
                key_ids(roots)
            ),
        ),
        other => (
            "信任列表被拒绝".to_owned(),
            format!("trust list refused: {other}"),
        ),
    }
}

/// The refusal of the signed trust list at `path`, with a hint when the file is a
/// description (`.toml`, `.json`) rather than a signed list.
pub fn refused(path: &Path, (chinese, english): (String, String)) -> CliError {
    let error = CliError::in_file(path, chinese, english);
    if description::Format::of(path).is_ok() {
        error.with_hint(
            "这是信任列表的描述文件，不是签名后的列表：请先用 `certqr trust-list create` 签署",
            "this is a trust list description, not a signed list: sign it first with \
             `certqr trust-list create`",
        )
    } else {
        error
    }
}

fn key_ids(keys: &[PublicKey]) -> String {
    keys.iter()
        .map(|key| key.key_id().to_hex())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A verified trust list for display and JSON.
#[derive(Debug, Serialize)]
struct ListView {
    verified: bool,
    root_key_id: String,
    sequence: u64,
    issued_at: String,
    expires_at: String,
    issuers: Vec<IssuerView>,
    /// National query platforms' domains.
    official_domains: Vec<OfficialDomainView>,
}

#[derive(Debug, Serialize)]
struct OfficialDomainView {
    domain: String,
    name_zh: String,
    name_en: String,
}

#[derive(Debug, Serialize)]
struct IssuerView {
    key_id: String,
    algorithm: Algorithm,
    name_zh: String,
    name_en: String,
    region_code: u32,
    scope: Vec<ScopeView>,
    key_valid_from: String,
    key_valid_until: String,
    status: KeyStatus,
    /// Official web domains.
    domains: Vec<String>,
}

#[derive(Debug, Serialize)]
struct ScopeView {
    family: Family,
    family_name_zh: &'static str,
    /// `None`: every item of the family.
    items: Option<Vec<ItemView>>,
}

#[derive(Debug, Serialize)]
struct ItemView {
    code: String,
    name_zh: Option<&'static str>,
    name_en: Option<&'static str>,
}

fn rfc3339(time: OffsetDateTime) -> String {
    time.format(&Rfc3339).unwrap_or_else(|_| time.to_string())
}

impl ListView {
    fn of(list: &TrustList, root_key_id: String) -> ListView {
        ListView {
            verified: true,
            root_key_id,
            sequence: list.sequence,
            issued_at: rfc3339(list.issued_at),
            expires_at: rfc3339(list.expires_at),
            issuers: list.issuers.iter().map(IssuerView::of).collect(),
            official_domains: list
                .official_domains
                .iter()
                .map(|official| OfficialDomainView {
                    domain: official.domain.clone(),
                    name_zh: official.name_zh.clone(),
                    name_en: official.name_en.clone(),
                })
                .collect(),
        }
    }

    fn text(&self) -> String {
        let mut out = String::new();
        say!(
            out,
            "trust list: VERIFIED, signed by root key {}",
            self.root_key_id
        );
        say!(out, "sequence    {}", self.sequence);
        say!(out, "issued at   {}", self.issued_at);
        say!(out, "expires at  {}", self.expires_at);
        say!(out, "issuers     {}", self.issuers.len());
        for (index, official) in self.official_domains.iter().enumerate() {
            let label = if index == 0 { "platforms" } else { "" };
            say!(
                out,
                "{label:<11} {} ({} / {})",
                official.domain,
                official.name_zh,
                official.name_en
            );
        }
        for (number, issuer) in self.issuers.iter().enumerate() {
            say!(out);
            say!(
                out,
                "[{}] {} / {}",
                number + 1,
                issuer.name_zh,
                issuer.name_en
            );
            say!(
                out,
                "    key id      {} ({})",
                issuer.key_id,
                issuer.algorithm
            );
            say!(out, "    region      {}", issuer.region_code);
            say!(
                out,
                "    key window  {} to {}",
                issuer.key_valid_from,
                issuer.key_valid_until
            );
            let status = match issuer.status {
                KeyStatus::Active => "active".to_owned(),
                KeyStatus::Retired { since } => format!("retired since {since}"),
                KeyStatus::Compromised => "COMPROMISED: nothing it signed is trusted".to_owned(),
            };
            say!(out, "    status      {status}");
            if !issuer.domains.is_empty() {
                say!(out, "    domains     {}", issuer.domains.join(", "));
            }
            for (index, scope) in issuer.scope.iter().enumerate() {
                let label = if index == 0 { "scope" } else { "" };
                let family = format!("{} ({})", scope.family_name_zh, scope.family.slug());
                match &scope.items {
                    None => say!(out, "    {label:<11} {family}: all items"),
                    Some(items) => {
                        say!(out, "    {label:<11} {family}:");
                        for item in items {
                            say!(
                                out,
                                "                  {} {}",
                                item.code,
                                item.name_zh.unwrap_or("(not in the catalog)")
                            );
                        }
                    }
                }
            }
        }
        out
    }
}

impl IssuerView {
    fn of(issuer: &TrustedIssuer) -> IssuerView {
        IssuerView {
            key_id: issuer.key_id().to_hex(),
            algorithm: issuer.public_key.algorithm(),
            name_zh: issuer.name_zh.clone(),
            name_en: issuer.name_en.clone(),
            region_code: issuer.region_code,
            scope: issuer
                .scope
                .iter()
                .map(|scope| ScopeView {
                    family: scope.family,
                    family_name_zh: scope.family.name_zh(),
                    items: scope.items.as_ref().map(|items| {
                        items
                            .iter()
                            .map(|code| {
                                let item = scope.family.item(code);
                                ItemView {
                                    code: code.clone(),
                                    name_zh: item.map(|item| item.name_zh),
                                    name_en: item.map(|item| item.name_en),
                                }
                            })
                            .collect()
                    }),
                })
                .collect(),
            key_valid_from: issuer.key_valid_from.to_string(),
            key_valid_until: issuer.key_valid_until.to_string(),
            status: issuer.status,
            domains: issuer.domains.clone(),
        }
    }
}
