//! `certqr revocation`: the root authority's signed lists of revoked certificates, and
//! the deltas between them.
//!
//! `create` signs a new list, `add` makes the next list from the last one (revoking
//! more certificates, or taking wrongly revoked ones off) and the delta between them,
//! `delta` makes the delta between two signed lists, `inspect` shows a verified list
//! or delta, and `entry` prints the entry of a certificate QR code. `certqr verify
//! --revocation LIST [--revocation-delta DELTA ...]` checks certificates against them.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use certqr_core::certificate::Certificate;
use certqr_core::cose::{self, DocumentKind};
use certqr_core::keys::{PublicKey, SigningKey};
use certqr_core::revocation::{
    Entry, RevocationDelta, RevocationDocument, RevocationError, RevocationList, MAX_ENTRIES,
    MAX_SIGNED_LENGTH,
};
use certqr_core::text;
use certqr_core::verify::Verifier;
use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::description;
use crate::display;
use crate::error::{count, say, CliError, Report};
use crate::files::{self, Access, Existing};
use crate::scan;

/// Largest entries file read: 16 million lines of 16 digits, with room for comments.
const MAX_ENTRIES_FILE_BYTES: u64 = 24 * MAX_ENTRIES as u64;

/// `certqr revocation` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Sign a new revocation list with a root key.
    Create(CreateArgs),
    /// Make the next list from a signed one, with entries added or removed, and the
    /// delta between the two.
    Add(AddArgs),
    /// Make the signed delta between two signed lists of consecutive sequences.
    Delta(DeltaArgs),
    /// Show a signed revocation list or delta, verified against root public keys.
    Inspect(InspectArgs),
    /// Print the revocation entry of certificate QR codes (16 hexadecimal digits each).
    Entry(EntryArgs),
}

const ENTRIES_HELP: &str = "\
Entries come from certificate QR text (--certificate), from the QR codes in pictures
(--image), or from an entries file (--entries): one entry a line, 16 hexadecimal digits
as `certqr revocation entry` prints them; blank lines and lines starting with # are
skipped. An entry names one issued certificate: its issuer key id, its number and its
valid-from date. The signature of a certificate QR code is not checked here (check it
with `certqr verify` first): revoking it revokes the genuine certificate with that
issuer key, number and valid-from date.";

/// Where entries come from.
#[derive(Debug, clap::Args)]
pub struct EntrySources {
    /// Revoke the certificate in this QR text; repeat for several.
    #[arg(long = "certificate", value_name = "TEXT")]
    pub certificates: Vec<String>,
    /// Revoke the certificates of every QR code in this PNG or JPEG picture; repeat for several.
    #[arg(long = "image", value_name = "FILE")]
    pub images: Vec<PathBuf>,
    /// Revoke the entries listed in this file.
    #[arg(long, value_name = "ENTRIES")]
    pub entries: Option<PathBuf>,
}

/// Arguments of `certqr revocation create`.
#[derive(Debug, clap::Args)]
#[command(after_long_help = ENTRIES_HELP)]
pub struct CreateArgs {
    /// The root's private key (PEM PRIVATE KEY).
    #[arg(long, value_name = "ROOT.key")]
    pub root: PathBuf,
    /// The list's sequence: higher than any list or delta published before.
    #[arg(long, value_name = "N")]
    pub sequence: u64,
    /// When the list was made (RFC 3339, or relative to now: -1d, +12h); now if absent.
    #[arg(long, value_name = "TIME")]
    pub issued_at: Option<String>,
    /// When the list expires (RFC 3339, or relative to now: +30d); verifiers warn after it, then fail.
    #[arg(long, value_name = "TIME")]
    pub expires: String,
    /// Entries to revoke.
    #[command(flatten)]
    pub sources: EntrySources,
    /// Where to write the signed list (binary COSE_Sign1).
    #[arg(long, value_name = "LIST")]
    pub out: PathBuf,
    /// Replace LIST if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `certqr revocation add`.
#[derive(Debug, clap::Args)]
#[command(after_long_help = ENTRIES_HELP)]
pub struct AddArgs {
    /// The root's private key (PEM PRIVATE KEY); the current list must be signed by it.
    #[arg(long, value_name = "ROOT.key")]
    pub root: PathBuf,
    /// The current signed list.
    #[arg(long, value_name = "LIST")]
    pub list: PathBuf,
    /// Entries to revoke.
    #[command(flatten)]
    pub sources: EntrySources,
    /// Take the entries listed in this file off the list (wrongly revoked certificates).
    #[arg(long, value_name = "ENTRIES")]
    pub remove_entries: Option<PathBuf>,
    /// When the new list was made (RFC 3339, or relative to now: -1d, +12h); now if absent.
    #[arg(long, value_name = "TIME")]
    pub issued_at: Option<String>,
    /// When the new list expires (RFC 3339, or relative: +30d); by default as long after its issue time as
    /// the current list's expiry was after its own.
    #[arg(long, value_name = "TIME")]
    pub expires: Option<String>,
    /// Where to write the new signed list, whose sequence is the current one's plus one.
    #[arg(long, value_name = "NEW_LIST")]
    pub out: PathBuf,
    /// Where to write the signed delta from the current list to the new one.
    #[arg(long, value_name = "DELTA")]
    pub delta: Option<PathBuf>,
    /// Replace NEW_LIST and DELTA if they exist.
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `certqr revocation delta`.
#[derive(Debug, clap::Args)]
pub struct DeltaArgs {
    /// The root's private key (PEM PRIVATE KEY); both lists must be signed by it.
    #[arg(long, value_name = "ROOT.key")]
    pub root: PathBuf,
    /// The older signed list (sequence N).
    #[arg(long, value_name = "LIST")]
    pub from: PathBuf,
    /// The newer signed list (sequence N + 1).
    #[arg(long, value_name = "LIST")]
    pub to: PathBuf,
    /// Where to write the signed delta.
    #[arg(long, value_name = "DELTA")]
    pub out: PathBuf,
    /// Replace DELTA if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `certqr revocation inspect`.
#[derive(Debug, clap::Args)]
pub struct InspectArgs {
    /// The signed revocation list or delta.
    #[arg(value_name = "LIST")]
    pub list: PathBuf,
    /// A root public key (PEM PUBLIC KEY) it must be signed by; repeat for several.
    #[arg(long = "root", value_name = "ROOT.pub", required = true)]
    pub roots: Vec<PathBuf>,
    /// List every entry too (in hexadecimal, in increasing order).
    #[arg(long)]
    pub entries: bool,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `certqr revocation entry`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("input").required(true).args(["text", "image"])))]
pub struct EntryArgs {
    /// The certificate QR text.
    #[arg(value_name = "TEXT")]
    pub text: Option<String>,
    /// Every QR code in this PNG or JPEG picture.
    #[arg(long, value_name = "FILE")]
    pub image: Option<PathBuf>,
}

/// Runs a `certqr revocation` subcommand.
pub fn run(command: &Command) -> Result<Report, CliError> {
    match command {
        Command::Create(args) => create(args),
        Command::Add(args) => add(args),
        Command::Delta(args) => delta(args),
        Command::Inspect(args) => inspect(args),
        Command::Entry(args) => entry(args),
    }
}

/// Installs the signed revocation lists at `lists`, in order, then applies the signed
/// deltas at `deltas`, in order. Any refusal stops with one line naming the file.
pub fn install(
    verifier: &mut Verifier,
    lists: &[PathBuf],
    deltas: &[PathBuf],
    roots: &[PublicKey],
) -> Result<(), CliError> {
    if lists.is_empty() && !deltas.is_empty() {
        return Err(CliError::new(
            "--revocation-delta 需要它所依据的吊销名单：请用 --revocation LIST 给出",
            "--revocation-delta needs the list it applies to: give it with --revocation LIST",
        ));
    }
    for path in lists {
        let bytes = read_signed(path)?;
        verifier
            .install_revocation_list(&bytes)
            .map_err(|error| refused(path, &error, roots))?;
    }
    for path in deltas {
        let bytes = read_signed(path)?;
        verifier
            .apply_revocation_delta(&bytes)
            .map_err(|error| refused(path, &error, roots))?;
    }
    Ok(())
}

/// Why a signed revocation list or delta was refused, naming the keys when no root
/// signed it.
pub fn refusal(error: &RevocationError, roots: &[PublicKey]) -> (String, String) {
    match error {
        RevocationError::NotSignedByRoot { key_id } => {
            let roots = roots
                .iter()
                .map(|root| root.key_id().to_hex())
                .collect::<Vec<_>>()
                .join(", ");
            (
                format!("吊销名单被拒绝：签署密钥 {key_id} 不是给定的任何根密钥（{roots}）"),
                format!(
                    "revocation list refused: it is signed by key {key_id}, which is none of the given roots ({roots})"
                ),
            )
        }
        other => (
            "吊销名单被拒绝".to_owned(),
            format!("revocation list refused: {other}"),
        ),
    }
}

/// The refusal of the signed revocation list or delta at `path`.
pub fn refused(path: &Path, error: &RevocationError, roots: &[PublicKey]) -> CliError {
    let (chinese, english) = refusal(error, roots);
    CliError::in_file(path, chinese, english)
}

fn read_signed(path: &Path) -> Result<Vec<u8>, CliError> {
    files::read_bounded(path, MAX_SIGNED_LENGTH as u64)
}

fn read_list(path: &Path, roots: &[PublicKey]) -> Result<RevocationList, CliError> {
    RevocationList::from_signed(&read_signed(path)?, roots)
        .map_err(|error| refused(path, &error, roots))
}

fn time_argument(name: &str, value: Option<&str>) -> Result<OffsetDateTime, CliError> {
    match value {
        // The clock is read only when the time is not given.
        None => Ok(OffsetDateTime::now_utc()),
        Some(value) => description::parse_time(value).map_err(|problem| {
            CliError::new(
                format!("--{name} 的时间无效：应为 RFC 3339 时间或 +90d 这样的相对时间"),
                format!("--{name}: {problem}"),
            )
        }),
    }
}

fn existing(force: bool) -> Existing {
    if force {
        Existing::Replace
    } else {
        Existing::Refuse
    }
}

/// Refuses to go on when `path` exists and --force is absent, before anything is signed.
fn check_free(path: &Path, force: bool) -> Result<(), CliError> {
    if !force && path.symlink_metadata().is_ok() {
        return Err(CliError::in_file(
            path,
            "文件已存在；要替换它请加 --force",
            "already exists; use --force to replace it",
        ));
    }
    Ok(())
}

fn write(path: &Path, bytes: &[u8], force: bool) -> Result<(), CliError> {
    files::write(path, bytes, existing(force), Access::Public)
}

/// The entries the sources name, and how many came from certificate QR codes.
fn entries_of(sources: &EntrySources) -> Result<(Vec<Entry>, usize), CliError> {
    let mut entries = Vec::new();
    for (number, text) in sources.certificates.iter().enumerate() {
        let entry = entry_of_text(text).map_err(|problem| {
            let which = format!("--certificate {}", number + 1);
            problem.prefixed(&which, &which)
        })?;
        entries.push(entry);
    }
    for image in &sources.images {
        let codes = scan::codes_in_image(image)?;
        if codes.is_empty() {
            return Err(CliError::in_file(
                image,
                display::NO_CODE_ZH,
                display::NO_CODE_EN,
            ));
        }
        for (number, code) in codes.iter().enumerate() {
            let entry = entry_of_text(&code.text).map_err(|problem| {
                problem
                    .prefixed(
                        &format!("第 {} 个码", number + 1),
                        &format!("code {}", number + 1),
                    )
                    .at(image)
            })?;
            entries.push(entry);
        }
    }
    let from_codes = entries.len();
    if let Some(path) = &sources.entries {
        entries.extend(read_entries(path)?);
    }
    Ok((entries, from_codes))
}

/// The entry of the certificate in QR `text`, whose signature is not checked.
fn entry_of_text(text: &str) -> Result<Entry, CliError> {
    let bytes = text::decode(text).map_err(|error| {
        CliError::new(
            "不是证书 QR 文本",
            format!("not certificate QR text: {error}"),
        )
    })?;
    let message = cose::parse(&bytes).map_err(|error| {
        CliError::new("不是签名文档", format!("not a signed document: {error}"))
    })?;
    match message.kind() {
        Some(DocumentKind::Certificate) => {}
        Some(kind) => {
            return Err(CliError::new(
                "其中不是证书",
                format!("holds a {}, not a certificate", kind.name()),
            ))
        }
        None => {
            return Err(CliError::new(
                format!("其中文档的内容类型 {} 未知", message.content_type),
                format!(
                    "holds a document of unknown content type {}",
                    message.content_type
                ),
            ))
        }
    }
    let (certificate, _) = Certificate::from_claims(&message.payload).map_err(|error| {
        CliError::new(
            "证书数据无法读取",
            format!("certificate data cannot be read: {error}"),
        )
    })?;
    Ok(Entry::of_certificate(message.key_id, &certificate))
}

/// Reads an entries file: 16 hexadecimal digits a line; blank lines and `#` comments skipped.
fn read_entries(path: &Path) -> Result<Vec<Entry>, CliError> {
    let text = files::read_text(path, MAX_ENTRIES_FILE_BYTES)?;
    let mut entries = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let entry = line.parse::<Entry>().map_err(|error| {
            CliError::in_file(
                path,
                format!("第 {} 行：不是 16 位十六进制的吊销条目", number + 1),
                format!("line {}: {error}", number + 1),
            )
        })?;
        entries.push(entry);
    }
    Ok(entries)
}

fn create(args: &CreateArgs) -> Result<Report, CliError> {
    let root = files::signing_key(&args.root)?;
    let issued_at = time_argument("issued-at", args.issued_at.as_deref())?;
    let expires_at = time_argument("expires", Some(&args.expires))?;
    let (entries, from_codes) = entries_of(&args.sources)?;
    check_free(&args.out, args.force)?;
    let list = RevocationList::new(args.sequence, issued_at, expires_at, entries)
        .map_err(|error| CliError::new("吊销名单有误", format!("revocation list: {error}")))?;
    let signed = sign_list(&list, &root)?;
    write(&args.out, &signed, args.force)?;
    let mut report = Report::success(String::new()).with_note(format!(
        "wrote {}: revocation list sequence {} with {}, signed by root key {}",
        args.out.display(),
        list.sequence,
        count(list.len(), "entry", "entries"),
        root.public_key().key_id()
    ));
    if from_codes > 0 {
        report = report.with_note(unchecked_note(from_codes));
    }
    Ok(report)
}

fn unchecked_note(number: usize) -> String {
    format!(
        "note: {} from certificate QR codes, whose signatures were not checked",
        count(number, "entry came", "entries came")
    )
}

fn sign_list(list: &RevocationList, root: &SigningKey) -> Result<Vec<u8>, CliError> {
    list.sign(root)
        .map_err(|error| CliError::new("吊销名单有误", format!("revocation list: {error}")))
}

fn sign_delta(
    delta: &RevocationDelta,
    root: &SigningKey,
    path: &Path,
) -> Result<Vec<u8>, CliError> {
    delta.sign(root).map_err(|error| {
        CliError::in_file(path, "吊销增量有误", format!("revocation delta: {error}"))
    })
}

fn add(args: &AddArgs) -> Result<Report, CliError> {
    let root = files::signing_key(&args.root)?;
    let roots = [root.public_key()];
    let current = read_list(&args.list, &roots)?;
    let issued_at = time_argument("issued-at", args.issued_at.as_deref())?;
    let expires_at = match &args.expires {
        Some(expires) => time_argument("expires", Some(expires))?,
        None => issued_at
            .checked_add(current.expires_at - current.issued_at)
            .ok_or_else(|| {
                CliError::new(
                    "--expires：默认的到期时间超出了 9999 年",
                    "--expires: the default expiry is past the year 9999",
                )
            })?,
    };
    let (added, from_codes) = entries_of(&args.sources)?;
    let removed: HashSet<Entry> = match &args.remove_entries {
        Some(path) => read_entries(path)?.into_iter().collect(),
        None => HashSet::new(),
    };
    if let (Some(path), Some(absent)) = (
        &args.remove_entries,
        removed.iter().find(|entry| !current.contains(**entry)),
    ) {
        return Err(CliError::in_file(
            path,
            format!("条目 {absent} 不在名单上，无法移除"),
            format!("entry {absent} is not on the list, so it cannot be removed"),
        ));
    }
    let already = added
        .iter()
        .filter(|entry| current.contains(**entry))
        .count();
    let sequence = current.sequence.checked_add(1).ok_or_else(|| {
        CliError::in_file(
            &args.list,
            "序号已是最大值",
            "its sequence is the last there is",
        )
    })?;
    check_free(&args.out, args.force)?;
    if let Some(delta) = &args.delta {
        check_free(delta, args.force)?;
    }
    let entries = current
        .entries()
        .filter(|entry| !removed.contains(entry))
        .chain(added);
    let next = RevocationList::new(sequence, issued_at, expires_at, entries)
        .map_err(|error| CliError::new("吊销名单有误", format!("revocation list: {error}")))?;
    let signed = sign_list(&next, &root)?;
    let delta = match &args.delta {
        Some(path) => {
            let delta = RevocationDelta::between(&current, &next).map_err(|error| {
                CliError::in_file(path, "吊销增量有误", format!("revocation delta: {error}"))
            })?;
            Some((path, sign_delta(&delta, &root, path)?, delta))
        }
        None => None,
    };
    write(&args.out, &signed, args.force)?;
    let mut report = Report::success(String::new()).with_note(format!(
        "wrote {}: revocation list sequence {} with {}, signed by root key {}",
        args.out.display(),
        next.sequence,
        count(next.len(), "entry", "entries"),
        root.public_key().key_id()
    ));
    if let Some((path, signed_delta, delta)) = delta {
        write(path, &signed_delta, args.force)?;
        report = report.with_note(delta_note(path, &delta, signed_delta.len()));
    }
    if already > 0 {
        report = report.with_note(format!(
            "note: {already} entries given to add were already on the list"
        ));
    }
    if from_codes > 0 {
        report = report.with_note(unchecked_note(from_codes));
    }
    Ok(report)
}

fn delta_note(path: &Path, delta: &RevocationDelta, bytes: usize) -> String {
    format!(
        "wrote {}: revocation delta from sequence {} to {}, {} added, {} removed ({bytes} bytes)",
        path.display(),
        delta.base_sequence,
        delta.sequence,
        delta.added().len(),
        delta.removed().len()
    )
}

fn delta(args: &DeltaArgs) -> Result<Report, CliError> {
    let root = files::signing_key(&args.root)?;
    let roots = [root.public_key()];
    let from = read_list(&args.from, &roots)?;
    let to = read_list(&args.to, &roots)?;
    let delta = RevocationDelta::between(&from, &to).map_err(|error| {
        CliError::in_file(
            &args.to,
            "吊销增量有误",
            format!("revocation delta: {error}"),
        )
    })?;
    check_free(&args.out, args.force)?;
    let signed = sign_delta(&delta, &root, &args.out)?;
    write(&args.out, &signed, args.force)?;
    Ok(Report::success(String::new()).with_note(delta_note(&args.out, &delta, signed.len())))
}

fn entry(args: &EntryArgs) -> Result<Report, CliError> {
    let mut out = String::new();
    match (&args.text, &args.image) {
        (Some(text), _) => {
            let entry = entry_of_text(text)?;
            say!(out, "{entry}");
        }
        (None, Some(image)) => {
            let (entries, _) = entries_of(&EntrySources {
                certificates: Vec::new(),
                images: vec![image.clone()],
                entries: None,
            })?;
            for entry in entries {
                say!(out, "{entry}");
            }
        }
        (None, None) => return Err(CliError::no_code_given()),
    }
    Ok(Report::success(out))
}

fn inspect(args: &InspectArgs) -> Result<Report, CliError> {
    let roots = args
        .roots
        .iter()
        .map(|path| files::public_key(path))
        .collect::<Result<Vec<_>, _>>()?;
    let bytes = read_signed(&args.list)?;
    let document = RevocationDocument::from_signed(&bytes, &roots)
        .map_err(|error| refused(&args.list, &error, &roots))?;
    // The signature verified, so the header parses.
    let signer = cose::parse_with_limit(&bytes, MAX_SIGNED_LENGTH)
        .map(|message| message.key_id.to_hex())
        .unwrap_or_default();
    let view = DocumentView::of(&document, signer, args.entries);
    if args.json {
        return display::json(&view).map(Report::success);
    }
    Ok(Report::success(view.text()))
}

/// A verified list or delta for display and JSON.
#[derive(Debug, Serialize)]
struct DocumentView {
    verified: bool,
    root_key_id: String,
    /// "full" or "delta".
    kind: &'static str,
    sequence: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    base_sequence: Option<u64>,
    issued_at: String,
    expires_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    entry_count: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    added_count: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    removed_count: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    entries: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    added: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    removed: Option<Vec<String>>,
}

fn rfc3339(time: OffsetDateTime) -> String {
    time.format(&Rfc3339).unwrap_or_else(|_| time.to_string())
}

fn hex_all(entries: impl Iterator<Item = Entry>) -> Vec<String> {
    entries.map(|entry| entry.to_hex()).collect()
}

impl DocumentView {
    fn of(document: &RevocationDocument, root_key_id: String, with_entries: bool) -> DocumentView {
        match document {
            RevocationDocument::List(list) => DocumentView {
                verified: true,
                root_key_id,
                kind: "full",
                sequence: list.sequence,
                base_sequence: None,
                issued_at: rfc3339(list.issued_at),
                expires_at: rfc3339(list.expires_at),
                entry_count: Some(list.len()),
                added_count: None,
                removed_count: None,
                entries: with_entries.then(|| hex_all(list.entries())),
                added: None,
                removed: None,
            },
            RevocationDocument::Delta(delta) => DocumentView {
                verified: true,
                root_key_id,
                kind: "delta",
                sequence: delta.sequence,
                base_sequence: Some(delta.base_sequence),
                issued_at: rfc3339(delta.issued_at),
                expires_at: rfc3339(delta.expires_at),
                entry_count: None,
                added_count: Some(delta.added().len()),
                removed_count: Some(delta.removed().len()),
                entries: None,
                added: with_entries.then(|| hex_all(delta.added())),
                removed: with_entries.then(|| hex_all(delta.removed())),
            },
        }
    }

    fn text(&self) -> String {
        let mut out = String::new();
        match self.base_sequence {
            None => {
                say!(
                    out,
                    "revocation list: VERIFIED, signed by root key {}",
                    self.root_key_id
                );
                say!(out, "sequence    {}", self.sequence);
            }
            Some(base) => {
                say!(
                    out,
                    "revocation delta: VERIFIED, signed by root key {}",
                    self.root_key_id
                );
                say!(
                    out,
                    "sequence    {base} -> {} (applies to list {base} only)",
                    self.sequence
                );
            }
        }
        say!(out, "issued at   {}", self.issued_at);
        say!(out, "expires at  {}", self.expires_at);
        if let Some(count) = self.entry_count {
            say!(out, "entries     {count}");
        }
        if let (Some(added), Some(removed)) = (self.added_count, self.removed_count) {
            say!(out, "added       {added}");
            say!(out, "removed     {removed}");
        }
        for entry in self.entries.iter().flatten() {
            say!(out, "  {entry}");
        }
        for entry in self.added.iter().flatten() {
            say!(out, "+ {entry}");
        }
        for entry in self.removed.iter().flatten() {
            say!(out, "- {entry}");
        }
        out
    }
}
