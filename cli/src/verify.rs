//! `certqr verify`: verify certificate QR text, or every code in a picture, offline
//! against root keys and the trust list they sign.

use std::path::{Path, PathBuf};

use certqr_core::cose;
use certqr_core::keys::PublicKey;
use certqr_core::revocation::{RevocationError, MAX_SIGNED_LENGTH};
use certqr_core::trust::TrustListError;
use certqr_core::verify::{Verdict, Verifier, VerifierOptions};
use certqr_store::{Store, StoreError, REVOCATION_LIST_FILE, STATE_FILE, TRUST_LIST_FILE};
use serde::Serialize;
use time::OffsetDateTime;

use crate::description;
use crate::display;
use crate::error::{say, CliError, Outcome, Report};
use crate::files;
use crate::revocation;
use crate::scan;
use crate::trust_list;

/// Arguments of `certqr verify`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("input").required(true).args(["text", "image"])))]
pub struct Args {
    /// A root public key (PEM PUBLIC KEY) that signs trust lists; repeat for several.
    #[arg(long = "root", value_name = "ROOT.pub", required = true)]
    pub roots: Vec<PathBuf>,
    /// The signed trust list. A list no given root signed is refused (exit 2).
    /// Optional with a --state-dir that holds a copy from an earlier run.
    #[arg(long, value_name = "LIST", required_unless_present = "state_dir")]
    pub trust: Option<PathBuf>,
    /// Remember in DIR/state.cqs (created if needed) the sequence and digest of the
    /// last trust list and revocation list installed and the latest signed time: an
    /// older list, or another list under an installed sequence, is refused (exit 2),
    /// and a clock behind that time is reported. DIR also keeps copies of the lists
    /// (and revocation deltas), used when --trust or --revocation is left out.
    #[arg(long, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
    /// A signed revocation list: a listed certificate is invalid ("revoked"). Repeat to
    /// install several in order, as an app updates its copy: a list older than one
    /// before it is refused (exit 2). Without it, revocation is not checked.
    #[arg(long = "revocation", value_name = "LIST")]
    pub revocation_lists: Vec<PathBuf>,
    /// A signed revocation delta applied after the lists, in order; each must go from
    /// the installed sequence to the next.
    #[arg(long = "revocation-delta", value_name = "DELTA")]
    pub revocation_deltas: Vec<PathBuf>,
    /// Judge as of this time, for investigations: every date at exactly TIME (RFC 3339
    /// such as 2025-06-01T09:00:00+08:00, or relative: -30d), even before the trusted
    /// time. Nothing is saved in --state-dir.
    #[arg(long, value_name = "TIME", conflicts_with = "clock")]
    pub at: Option<String>,
    /// Take TIME as the device clock's reading instead of the system clock (drills and
    /// tests): as without it, a clock behind the trusted time is warned of and judged
    /// at the trusted time, and --state-dir is saved.
    #[arg(long, value_name = "TIME")]
    pub clock: Option<String>,
    /// Print JSON: the verdict object for TEXT; for --image one object
    /// {"image", "valid", "codes": [verdict + "corners", ...]}.
    #[arg(long)]
    pub json: bool,
    /// Show the full identity card number instead of the masked form.
    #[arg(long)]
    pub show_id_number: bool,
    /// The QR text (as a scanner app reads it).
    #[arg(value_name = "TEXT")]
    pub text: Option<String>,
    /// Scan this PNG or JPEG picture and verify every QR code in it.
    #[arg(long, value_name = "FILE")]
    pub image: Option<PathBuf>,
}

/// Runs `certqr verify`. Exit status 0 when every code is valid, 1 otherwise.
pub fn run(args: &Args) -> Result<Report, CliError> {
    // The clock is read once, here, and only when neither --at nor --clock is given.
    let time_argument = |name: &str, text: &str| {
        description::parse_time(text).map_err(|problem| {
            CliError::new(
                format!("--{name} 的时间无效：应为 RFC 3339 时间，如 2025-06-01T09:00:00+08:00"),
                format!("--{name}: {problem}"),
            )
        })
    };
    let when = match (&args.at, &args.clock) {
        (Some(at), _) => When::AsOf(time_argument("at", at)?),
        (None, Some(clock)) => When::Clock(time_argument("clock", clock)?),
        (None, None) => When::Clock(OffsetDateTime::now_utc()),
    };
    let roots = read_roots(&args.roots)?;
    let options = VerifierOptions {
        show_full_id_number: args.show_id_number,
        ..VerifierOptions::default()
    };
    let (verifier, notes) = match &args.state_dir {
        Some(dir) => stored_verifier(dir, args, &roots, options, when)?,
        None => {
            let trust = args.trust.as_deref().ok_or_else(|| {
                CliError::new(
                    "请用 --trust LIST 给出信任列表（或给出存有信任列表的 --state-dir）",
                    "give the trust list with --trust LIST (or a --state-dir that holds one)",
                )
            })?;
            let mut verifier = verifier(roots.clone(), trust, options)?;
            revocation::install(
                &mut verifier,
                &args.revocation_lists,
                &args.revocation_deltas,
                &roots,
            )?;
            (verifier, Vec::new())
        }
    };
    let mut report = verify_input(args, &verifier, when)?;
    if let When::AsOf(at) = when {
        let line = as_of_line(at);
        if args.json {
            report.notes.insert(0, line);
        } else {
            report.stdout.insert_str(0, &format!("{line}\n\n"));
        }
    }
    Ok(notes.into_iter().fold(report, Report::with_note))
}

/// The instant verdicts are judged at.
#[derive(Debug, Clone, Copy)]
enum When {
    /// The device clock's reading (or --clock): never judged earlier than the trusted
    /// time, and the state is saved.
    Clock(OffsetDateTime),
    /// --at: exactly this instant, for an investigation; nothing is saved.
    AsOf(OffsetDateTime),
}

impl When {
    fn verify(self, verifier: &Verifier, text: &str) -> Verdict {
        match self {
            When::Clock(now) => verifier.verify(text, now),
            When::AsOf(at) => verifier.verify_as_of(text, at),
        }
    }
}

/// The first line of an as-of run: `as of 2025-06-01 09:00 (UTC+8), by --at / 按指定时间核验`.
fn as_of_line(at: OffsetDateTime) -> String {
    let china = at.to_offset(time::macros::offset!(+8));
    format!(
        "as of {:04}-{:02}-{:02} {:02}:{:02} (UTC+8), by --at / 按指定时间核验",
        china.year(),
        u8::from(china.month()),
        china.day(),
        china.hour(),
        china.minute()
    )
}

/// The verifier of a run with `--state-dir dir`: the saved state and lists, then the
/// lists given on the command line installed and saved, in order. An as-of run (`--at`)
/// reads the directory and installs the lists given in memory only: it saves nothing
/// (and creates no directory).
fn stored_verifier(
    dir: &Path,
    args: &Args,
    roots: &[PublicKey],
    options: VerifierOptions,
    when: When,
) -> Result<(Verifier, Vec<String>), CliError> {
    let save = matches!(when, When::Clock(_));
    if !save && dir.symlink_metadata().is_err() {
        return Err(CliError::in_file(
            dir,
            "没有这个状态文件夹（使用 --at 时不创建、不写入任何状态）",
            "no such state directory (with --at nothing is created or saved)",
        ));
    }
    let store = Store::open(dir).map_err(|error| store_error(dir, error))?;
    let opened = store
        .open_verifier(roots.to_vec(), options)
        .map_err(|error| store_error(dir, error))?;
    let mut verifier = opened.verifier;
    let mut notes = Vec::new();
    let state_file = dir.join(STATE_FILE);
    match &args.trust {
        Some(path) => {
            let bytes = files::read_bounded(path, cose::MAX_DOCUMENT_LENGTH as u64)?;
            let installed = if save {
                store.install_trust_list(&mut verifier, &bytes)
            } else {
                verifier
                    .install_trust_list(&bytes)
                    .map(|_| ())
                    .map_err(StoreError::TrustListRefused)
            };
            installed.map_err(|error| match error {
                StoreError::TrustListRefused(refused) => {
                    trust_list::refused(path, trust_list_refusal(&refused, roots, &state_file))
                }
                other => store_error(dir, other),
            })?;
        }
        None => {
            if verifier.trust_list().is_none() {
                return Err(match &opened.trust_list_left_out {
                    Some(refused) => {
                        let (chinese, english) = trust_list_refusal(refused, roots, &state_file);
                        CliError::in_file(
                            &dir.join(TRUST_LIST_FILE),
                            format!(
                                "保存的信任列表未被使用：{chinese}；请用 --trust LIST 给出信任列表"
                            ),
                            format!(
                                "the saved trust list is not used: {english}; give the trust \
                                 list with --trust LIST"
                            ),
                        )
                    }
                    None => CliError::in_file(
                        dir,
                        format!("其中还没有 {TRUST_LIST_FILE}：请用 --trust LIST 给出信任列表"),
                        format!(
                            "holds no {TRUST_LIST_FILE} yet: give the trust list with --trust LIST"
                        ),
                    ),
                });
            }
        }
    }
    if let (Some(refused), true) = (
        &opened.revocation_list_left_out,
        args.revocation_lists.is_empty(),
    ) {
        let (chinese, english) = revocation_refusal(refused, roots, &state_file);
        let file = dir.join(REVOCATION_LIST_FILE);
        notes.push(format!(
            "{}: 保存的吊销名单未被使用：{chinese}",
            file.display()
        ));
        notes.push(format!(
            "{}: the saved revocation list is not used: {english}",
            file.display()
        ));
    }
    for path in &args.revocation_lists {
        let bytes = files::read_bounded(path, MAX_SIGNED_LENGTH as u64)?;
        let installed = if save {
            store.install_revocation_list(&mut verifier, &bytes)
        } else {
            verifier
                .install_revocation_list(&bytes)
                .map(|_| ())
                .map_err(StoreError::RevocationListRefused)
        };
        installed.map_err(|error| revocation_store_error(dir, path, error, roots))?;
    }
    for path in &args.revocation_deltas {
        let bytes = files::read_bounded(path, MAX_SIGNED_LENGTH as u64)?;
        let applied = if save {
            store.apply_revocation_delta(&mut verifier, &bytes)
        } else {
            verifier
                .apply_revocation_delta(&bytes)
                .map(|_| ())
                .map_err(StoreError::RevocationListRefused)
        };
        applied.map_err(|error| revocation_store_error(dir, path, error, roots))?;
    }
    Ok((verifier, notes))
}

/// A problem with the state directory `dir`: I/O on one of its files names that file.
fn store_error(dir: &Path, error: StoreError) -> CliError {
    if dir.is_file() {
        return CliError::in_file(
            dir,
            "--state-dir 是一个文件，不是文件夹",
            "--state-dir is a file, not a folder",
        )
        .with_hint(
            "--state-dir 应指定一个文件夹（不存在时自动创建），如 ~/.certqr",
            "give --state-dir a folder (created if needed), such as ~/.certqr",
        );
    }
    match &error {
        StoreError::Io { file, source, .. } if file != certqr_store::DIRECTORY => {
            CliError::io(&dir.join(file), source)
        }
        StoreError::Io { source, .. } => CliError::io(dir, source),
        _ => CliError::in_file(dir, "状态文件夹无法使用", error),
    }
}

fn revocation_store_error(
    dir: &Path,
    path: &Path,
    error: StoreError,
    roots: &[PublicKey],
) -> CliError {
    match error {
        StoreError::RevocationListRefused(refused) => {
            let (chinese, english) = revocation_refusal(&refused, roots, &dir.join(STATE_FILE));
            CliError::in_file(path, chinese, english)
        }
        other => store_error(dir, other),
    }
}

/// Why a trust list was refused; a rollback or a conflict names the state file.
fn trust_list_refusal(
    error: &TrustListError,
    roots: &[PublicKey],
    state_file: &Path,
) -> (String, String) {
    match error {
        TrustListError::Rollback { installed, offered } => (
            format!(
                "信任列表被拒绝：序号 {offered} 早于 {} 中记录的序号 {installed}（回滚）",
                state_file.display()
            ),
            format!(
                "trust list refused: its sequence {offered} is older than sequence {installed} \
                 recorded in {} (rollback)",
                state_file.display()
            ),
        ),
        TrustListError::ConflictingSequence { sequence } => (
            format!(
                "信任列表被拒绝：序号 {sequence} 下已安装过另一份信任列表（摘要记录在 {}）；\
                 同一序号下的不同列表被拒绝，已安装的列表保留",
                state_file.display()
            ),
            format!(
                "trust list refused: another trust list with sequence {sequence} was installed \
                 before (its digest is recorded in {}); a different list under the same sequence \
                 is refused (conflicting sequence), and the installed list stays",
                state_file.display()
            ),
        ),
        other => trust_list::refusal(other, roots),
    }
}

/// Why a revocation list or delta was refused; a rollback or a conflict names the state
/// file.
fn revocation_refusal(
    error: &RevocationError,
    roots: &[PublicKey],
    state_file: &Path,
) -> (String, String) {
    match error {
        RevocationError::Rollback { installed, offered } => (
            format!(
                "吊销名单被拒绝：序号 {offered} 早于 {} 中记录的序号 {installed}（回滚）",
                state_file.display()
            ),
            format!(
                "revocation list refused: its sequence {offered} is older than sequence \
                 {installed} recorded in {} (rollback)",
                state_file.display()
            ),
        ),
        RevocationError::ConflictingSequence { sequence } => (
            format!(
                "吊销名单被拒绝：序号 {sequence} 下已安装过另一份吊销名单（记录在 {}）；\
                 同一序号下的不同名单被拒绝，已安装的名单保留",
                state_file.display()
            ),
            format!(
                "revocation list refused: another revocation list with sequence {sequence} was \
                 installed before (recorded in {}); a different list under the same sequence is \
                 refused (conflicting sequence), and the installed list stays",
                state_file.display()
            ),
        ),
        other => revocation::refusal(other, roots),
    }
}

/// Verifies the QR text or the codes in the picture `args` names.
fn verify_input(args: &Args, verifier: &Verifier, when: When) -> Result<Report, CliError> {
    match (&args.text, &args.image) {
        (Some(text), _) => {
            let verdict = when.verify(verifier, text);
            let outcome = Outcome::from_ok(verdict.is_valid());
            let out = if args.json {
                display::json(&verdict)?
            } else {
                let mut out = String::new();
                display::verdict_block(&mut out, &verdict);
                out
            };
            Ok(Report::new(out, outcome))
        }
        (None, Some(image)) => verify_image(verifier, image, when, args.json),
        (None, None) => Err(CliError::no_code_given()),
    }
}

/// Reads root public keys.
pub fn read_roots(paths: &[PathBuf]) -> Result<Vec<PublicKey>, CliError> {
    paths.iter().map(|path| files::public_key(path)).collect()
}

/// A verifier with the signed trust list at `trust` installed.
pub fn verifier(
    roots: Vec<PublicKey>,
    trust: &Path,
    options: VerifierOptions,
) -> Result<Verifier, CliError> {
    let bytes = files::read_bounded(trust, cose::MAX_DOCUMENT_LENGTH as u64)?;
    let mut verifier = Verifier::with_options(roots.clone(), options);
    verifier
        .install_trust_list(&bytes)
        .map_err(|error| trust_list::refused(trust, trust_list::refusal(&error, &roots)))?;
    Ok(verifier)
}

#[derive(Debug, Serialize)]
struct ImageVerdicts<'a> {
    image: &'a Path,
    /// Whether at least one code was found and every code is valid.
    valid: bool,
    codes: Vec<CodeVerdict>,
}

#[derive(Debug, Serialize)]
struct CodeVerdict {
    corners: Vec<[f32; 2]>,
    #[serde(flatten)]
    verdict: Verdict,
}

fn verify_image(
    verifier: &Verifier,
    image: &Path,
    when: When,
    json: bool,
) -> Result<Report, CliError> {
    let codes = scan::codes_in_image(image)?;
    let verdicts: Vec<CodeVerdict> = codes
        .iter()
        .map(|code| CodeVerdict {
            corners: scan::corners(code),
            verdict: when.verify(verifier, &code.text),
        })
        .collect();
    let valid = !verdicts.is_empty() && verdicts.iter().all(|code| code.verdict.is_valid());
    let out = if json {
        display::json(&ImageVerdicts {
            image,
            valid,
            codes: verdicts,
        })?
    } else {
        let mut out = String::new();
        if verdicts.is_empty() {
            say!(out, "{}", display::no_code_line(image));
        }
        let count = verdicts.len();
        for (number, code) in verdicts.iter().enumerate() {
            if count > 1 {
                if number > 0 {
                    say!(out);
                }
                say!(out, "== code {} of {count} ==", number + 1);
            }
            display::verdict_block(&mut out, &code.verdict);
        }
        out
    };
    Ok(Report::new(out, Outcome::from_ok(valid)))
}
