//! The command's one error type, and what a command that ran to the end reports.
//!
//! Every problem becomes one line on standard error, `certqr: FILE: problem` or
//! `certqr: problem`, and exit status 2. A certificate that fails verification is not
//! an error: it is a verdict, reported on standard output with exit status 1.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// Exit status of a command whose verdicts were all positive.
pub const EXIT_SUCCESS: u8 = 0;
/// Exit status of a command that ran but found a certificate not valid, or no code.
pub const EXIT_NOT_VALID: u8 = 1;
/// Exit status of a usage, input or I/O problem.
pub const EXIT_ERROR: u8 = 2;

/// What a command concluded, when it ran to the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Done; every verdict (if there were any) positive. Exit status 0.
    Success,
    /// Done, but something is not valid or not found. Exit status 1.
    NotValid,
}

impl Outcome {
    /// The exit status.
    pub fn exit_status(self) -> u8 {
        match self {
            Outcome::Success => EXIT_SUCCESS,
            Outcome::NotValid => EXIT_NOT_VALID,
        }
    }

    /// `Success` when `ok`, else `NotValid`.
    pub fn from_ok(ok: bool) -> Outcome {
        if ok {
            Outcome::Success
        } else {
            Outcome::NotValid
        }
    }
}

/// What a command prints and concludes: standard output, notes for standard error,
/// problems met along the way (each makes the exit status 2), and the outcome.
#[derive(Debug)]
pub struct Report {
    /// Everything for standard output.
    pub stdout: String,
    /// Informational lines for standard error (files written, hints).
    pub notes: Vec<String>,
    /// Problems that did not stop the command (a command working through several
    /// files goes on after an unreadable one). Any makes the exit status 2.
    pub problems: Vec<CliError>,
    /// The outcome when there are no problems.
    pub outcome: Outcome,
}

impl Report {
    /// A successful report with this standard output.
    pub fn success(stdout: String) -> Report {
        Report::new(stdout, Outcome::Success)
    }

    /// A report with this standard output and outcome.
    pub fn new(stdout: String, outcome: Outcome) -> Report {
        Report {
            stdout,
            notes: Vec::new(),
            problems: Vec::new(),
            outcome,
        }
    }

    /// Adds a note for standard error.
    pub fn with_note(mut self, note: impl Into<String>) -> Report {
        self.notes.push(note.into());
        self
    }

    /// The exit status: 2 if there was any problem, else the outcome's.
    pub fn exit_status(&self) -> u8 {
        if self.problems.is_empty() {
            self.outcome.exit_status()
        } else {
            EXIT_ERROR
        }
    }
}

/// A problem that stops a command: bad input, a missing file, an I/O failure.
///
/// The message never holds personal data (names, identity card numbers): those come
/// only from certificate data, and core's errors about it never repeat it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    path: Option<PathBuf>,
    message: String,
}

impl CliError {
    /// A problem not tied to a file.
    pub fn new(message: impl fmt::Display) -> CliError {
        CliError {
            path: None,
            message: one_line(&message.to_string()),
        }
    }

    /// A problem with the file at `path`.
    pub fn in_file(path: &Path, message: impl fmt::Display) -> CliError {
        CliError {
            path: Some(path.to_owned()),
            message: one_line(&message.to_string()),
        }
    }

    /// An I/O failure on the file at `path`, described in plain words.
    pub fn io(path: &Path, error: &io::Error) -> CliError {
        CliError::in_file(path, describe_io(error))
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(path) => write!(f, "{}: {}", path.display(), self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for CliError {}

/// The I/O error in plain words, without the "(os error N)" suffix.
pub fn describe_io(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        io::ErrorKind::AlreadyExists => "already exists; refusing to overwrite it".to_owned(),
        io::ErrorKind::IsADirectory => "is a directory, not a file".to_owned(),
        io::ErrorKind::NotADirectory => "a part of the path is not a directory".to_owned(),
        io::ErrorKind::InvalidData => "is not valid UTF-8 text".to_owned(),
        _ => error.to_string(),
    }
}

/// Collapses a message onto one line: line breaks and runs of spaces become one space.
fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Attaches a file to the errors of a result.
pub trait InFile<T> {
    /// The error as a [`CliError`] about the file at `path`.
    fn in_file(self, path: &Path) -> Result<T, CliError>;
}

impl<T, E: fmt::Display> InFile<T> for Result<T, E> {
    fn in_file(self, path: &Path) -> Result<T, CliError> {
        self.map_err(|error| CliError::in_file(path, error))
    }
}

/// Appends one line to a `String` of output. Writing to a `String` cannot fail, so the
/// `fmt::Result` is dropped.
macro_rules! say {
    ($out:expr) => {{
        $out.push('\n');
    }};
    ($out:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = writeln!($out, $($arg)*);
    }};
}
pub(crate) use say;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_one_line_with_the_file_first() {
        let error = CliError::in_file(Path::new("a.toml"), "line 3:\n  missing   field");
        assert_eq!(error.to_string(), "a.toml: line 3: missing field");
        assert_eq!(CliError::new("plain").to_string(), "plain");
    }

    #[test]
    fn io_errors_are_described_without_os_codes() {
        let error = io::Error::from(io::ErrorKind::NotFound);
        assert_eq!(
            CliError::io(Path::new("x"), &error).to_string(),
            "x: no such file or directory"
        );
    }

    #[test]
    fn problems_make_the_exit_status_2() {
        let mut report = Report::new(String::new(), Outcome::NotValid);
        assert_eq!(report.exit_status(), EXIT_NOT_VALID);
        report.problems.push(CliError::new("bad"));
        assert_eq!(report.exit_status(), EXIT_ERROR);
        assert_eq!(Report::success(String::new()).exit_status(), EXIT_SUCCESS);
    }
}
