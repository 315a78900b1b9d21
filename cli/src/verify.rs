//! `certqr verify`: verify certificate QR text, or every code in a picture, offline
//! against root keys and the trust list they sign.

use std::path::{Path, PathBuf};

use certqr_core::cose;
use certqr_core::keys::PublicKey;
use certqr_core::verify::{Verdict, Verifier, VerifierOptions};
use serde::Serialize;
use time::OffsetDateTime;

use crate::description;
use crate::display;
use crate::error::{say, CliError, Outcome, Report};
use crate::files;
use crate::revocation;
use crate::scan;
use crate::state_dir;
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
    /// Remember the highest trust list sequence and the latest signed time in
    /// DIR/state.cqs (created if needed): an older list is refused, and a clock behind
    /// that time is reported. DIR also keeps a copy of the trust list.
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
    /// Verify as of this RFC 3339 time instead of now, e.g. 2025-06-01T09:00:00+08:00.
    #[arg(long, value_name = "RFC3339")]
    pub at: Option<String>,
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
    // The clock is read once, here, and only when --at is absent.
    let now = match &args.at {
        Some(at) => description::parse_time(at)
            .map_err(|problem| CliError::new(format!("--at: {problem}")))?,
        None => OffsetDateTime::now_utc(),
    };
    let roots = read_roots(&args.roots)?;
    let options = VerifierOptions {
        show_full_id_number: args.show_id_number,
        ..VerifierOptions::default()
    };
    let (mut verifier, state_update) = state_dir::verifier(
        roots.clone(),
        args.trust.as_deref(),
        args.state_dir.as_deref(),
        options,
    )?;
    revocation::install(
        &mut verifier,
        &args.revocation_lists,
        &args.revocation_deltas,
        &roots,
    )?;
    if let Some(update) = &state_update {
        update.save(&verifier)?;
    }
    match (&args.text, &args.image) {
        (Some(text), _) => {
            let verdict = verifier.verify(text, now);
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
        (None, Some(image)) => verify_image(&verifier, image, now, args.json),
        (None, None) => Err(CliError::new("give the QR TEXT or --image FILE")),
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
        .map_err(|error| CliError::in_file(trust, trust_list::refusal(&error, &roots)))?;
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
    now: OffsetDateTime,
    json: bool,
) -> Result<Report, CliError> {
    let codes = scan::codes_in_image(image)?;
    let verdicts: Vec<CodeVerdict> = codes
        .iter()
        .map(|code| CodeVerdict {
            corners: scan::corners(code),
            verdict: verifier.verify(&code.text, now),
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
            say!(out, "NO QR CODE FOUND  未找到二维码");
            say!(
                out,
                "{}: no QR code could be read in this picture, so nothing is verified.",
                image.display()
            );
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
