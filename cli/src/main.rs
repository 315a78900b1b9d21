//! The `certqr` command: make keys and trust lists, issue certificate QR codes, and
//! verify them offline. A thin layer over `certqr-core`: one module per subcommand.
//!
//! Exit status: 0 success (every verdict valid), 1 a certificate not valid (or no
//! code found), 2 a usage, input or I/O problem, reported as two lines on standard
//! error, Chinese then English: `certqr: FILE: problem`.

mod batch;
mod demo;
mod description;
mod display;
mod error;
mod files;
mod inspect;
mod issue;
mod keygen;
mod revocation;
mod scan;
mod trust_list;
mod verify;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::error::{CliError, Report, EXIT_ERROR};

/// Issue and verify signed safety-certificate QR codes, offline.
///
/// Exit status: 0 success (every verdict valid), 1 not valid (or no QR code found),
/// 2 usage, input or I/O problem (a Chinese and an English line on standard error).
#[derive(Debug, Parser)]
#[command(name = "certqr", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Make a new key pair: PREFIX.key (private) and PREFIX.pub (public).
    Keygen(keygen::Args),
    /// Create or inspect a root-signed trust list of issuing authorities.
    #[command(subcommand)]
    TrustList(trust_list::Command),
    /// Create, extend, make deltas of, or inspect a root-signed revocation list.
    #[command(subcommand)]
    Revocation(revocation::Command),
    /// Sign a certificate into QR text, optionally drawn as PNG or SVG.
    Issue(issue::Args),
    /// Verify certificate QR text, or every QR code in a picture.
    Verify(verify::Args),
    /// Print the text of every QR code in pictures.
    Scan(scan::Args),
    /// Decode QR text without verifying it (everything shown is UNVERIFIED).
    Inspect(inspect::Args),
    /// Run the whole flow with fresh keys and check every verdict.
    Demo(demo::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage_error(&error),
    };
    let result = match &cli.command {
        Command::Keygen(args) => keygen::run(args),
        Command::TrustList(command) => trust_list::run(command),
        Command::Revocation(command) => revocation::run(command),
        Command::Issue(args) => match &args.batch {
            Some(batch) => batch::run(args, batch),
            None => issue::run(args),
        },
        Command::Verify(args) => verify::run(args),
        Command::Scan(args) => scan::run(args),
        Command::Inspect(args) => inspect::run(args),
        Command::Demo(args) => demo::run(args),
    };
    match result {
        Ok(report) => finish(&report),
        Err(problem) => {
            complain(&problem);
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Prints a report: standard output first, then notes and problems on standard error.
fn finish(report: &Report) -> ExitCode {
    let mut stdout = io::stdout().lock();
    if let Err(error) = stdout
        .write_all(report.stdout.as_bytes())
        .and_then(|()| stdout.flush())
    {
        // A reader that stopped early (`| head`) is not a failure of the command.
        if error.kind() != io::ErrorKind::BrokenPipe {
            complain(&CliError::new(
                "无法写入标准输出",
                format!("cannot write to standard output: {error}"),
            ));
            return ExitCode::from(EXIT_ERROR);
        }
    }
    let mut stderr = io::stderr().lock();
    for note in &report.notes {
        // Nothing better can be done when standard error itself fails.
        let _ = writeln!(stderr, "{note}");
    }
    for problem in &report.problems {
        for line in problem.lines() {
            let _ = writeln!(stderr, "{line}");
        }
    }
    ExitCode::from(report.exit_status())
}

fn complain(problem: &CliError) {
    let mut stderr = io::stderr().lock();
    for line in problem.lines() {
        let _ = writeln!(stderr, "{line}");
    }
}

/// Help and version go to standard output with status 0; a usage error becomes one
/// line on standard error, status 2.
fn usage_error(error: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = error.print();
            return ExitCode::SUCCESS;
        }
        // `certqr` or `certqr trust-list` alone: the help is the most useful answer.
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = error.print();
            return ExitCode::from(EXIT_ERROR);
        }
        _ => {}
    }
    let rendered = error.to_string();
    let lines: Vec<&str> = rendered
        .lines()
        .take_while(|line| !line.starts_with("Usage:") && !line.starts_with("For more information"))
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    let message = lines.join(" ");
    let message = message.strip_prefix("error: ").unwrap_or(&message);
    let mut problem = CliError::new(
        "命令用法有误（见 certqr --help）",
        format!("{message} (see certqr --help)"),
    );
    if error.kind() == ErrorKind::UnknownArgument && split_qr_text() {
        problem = problem.with_hint(
            "QR 文本被 shell 拆开了：请把整段文本放在单引号里，如 'CQ1:…'（文本中可能有空格、$ 和 *）",
            "the shell split the QR text: put all of it in single quotes, as in 'CQ1:…' \
             (it may hold spaces, $ and *)",
        );
    }
    complain(&problem);
    ExitCode::from(EXIT_ERROR)
}

/// Whether an argument looks like the start of certqr QR text: with an argument too
/// many, the shell probably split unquoted text at a space (Base45 has spaces).
fn split_qr_text() -> bool {
    std::env::args_os()
        .skip(1)
        .any(|argument| argument.to_string_lossy().starts_with("CQ1:"))
}
