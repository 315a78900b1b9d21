//! The command's one error type, and what a command that ran to the end reports.
//!
//! Every problem becomes two lines on standard error, Chinese then English, each
//! `certqr: FILE: problem` or `certqr: problem`, and exit status 2. A certificate that fails verification is not
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
/// Every problem is said twice, as verdicts are: a Chinese line, then an English line,
/// each `certqr: FILE: problem` (see [`CliError::lines`]). The Chinese line says what
/// went wrong (and, where a mistake is likely, what to do); the English line says the
/// same, with the exact detail from the library where there is one.
///
/// The message never holds personal data (names, identity card numbers): those come
/// only from certificate data, and core's errors about it never repeat it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    path: Option<PathBuf>,
    chinese: String,
    english: String,
}

impl CliError {
    /// A problem not tied to a file, in Chinese and in English.
    pub fn new(chinese: impl fmt::Display, english: impl fmt::Display) -> CliError {
        CliError {
            path: None,
            chinese: one_line(&chinese.to_string()),
            english: one_line(&english.to_string()),
        }
    }

    /// A problem with the file at `path`, in Chinese and in English.
    pub fn in_file(
        path: &Path,
        chinese: impl fmt::Display,
        english: impl fmt::Display,
    ) -> CliError {
        CliError {
            path: Some(path.to_owned()),
            ..CliError::new(chinese, english)
        }
    }

    /// An I/O failure on the file at `path`, described in plain words.
    pub fn io(path: &Path, error: &io::Error) -> CliError {
        let (chinese, english) = describe_io(error);
        CliError::in_file(path, chinese, english)
    }

    /// Neither QR text nor `--image` was given.
    pub fn no_code_given() -> CliError {
        CliError::new(
            "请给出 QR 文本或 --image 图片文件",
            "give the QR TEXT or --image FILE",
        )
    }

    /// The same problem, said of the file at `path`.
    pub fn at(mut self, path: &Path) -> CliError {
        self.path = Some(path.to_owned());
        self
    }

    /// The same problem with what it concerns put in front of each line
    /// (`--certificate 2: …`).
    pub fn prefixed(mut self, chinese: &str, english: &str) -> CliError {
        self.chinese = format!("{chinese}：{}", self.chinese);
        self.english = format!("{english}: {}", self.english);
        self
    }

    /// The same problem with a hint appended to each line (what the user probably
    /// meant, and what to do).
    pub fn with_hint(mut self, chinese: &str, english: &str) -> CliError {
        self.chinese = format!("{}；提示：{}", self.chinese, one_line(chinese));
        self.english = format!("{}; hint: {}", self.english, one_line(english));
        self
    }

    /// The two lines for standard error, Chinese first: `certqr: FILE: problem`.
    pub fn lines(&self) -> [String; 2] {
        let line = |message: &str| match &self.path {
            Some(path) => format!("certqr: {}: {message}", path.display()),
            None => format!("certqr: {message}"),
        };
        [line(&self.chinese), line(&self.english)]
    }
}

/// The English line without the `certqr: ` prefix (for tables and `refused.csv`).
impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(path) => write!(f, "{}: {}", path.display(), self.english),
            None => f.write_str(&self.english),
        }
    }
}

impl std::error::Error for CliError {}

/// The I/O error in plain words, Chinese and English, without the "(os error N)" suffix.
pub fn describe_io(error: &io::Error) -> (String, String) {
    let (chinese, english) = match error.kind() {
        io::ErrorKind::NotFound => ("文件或文件夹不存在", "no such file or directory"),
        io::ErrorKind::PermissionDenied => ("没有权限", "permission denied"),
        io::ErrorKind::AlreadyExists => (
            "文件已存在，不会覆盖",
            "already exists; refusing to overwrite it",
        ),
        io::ErrorKind::IsADirectory => ("是文件夹，不是文件", "is a directory, not a file"),
        io::ErrorKind::NotADirectory => (
            "路径中有一部分不是文件夹",
            "a part of the path is not a directory",
        ),
        io::ErrorKind::InvalidData => ("不是有效的 UTF-8 文本", "is not valid UTF-8 text"),
        _ => return ("读写失败".to_owned(), error.to_string()),
    };
    (chinese.to_owned(), english.to_owned())
}

/// `count` and the noun, singular or plural: `1 entry`, `2 entries`.
pub fn count(count: usize, singular: &str, plural: &str) -> String {
    format!("{count} {}", if count == 1 { singular } else { plural })
}

/// Collapses a message onto one line: line breaks and runs of spaces become one space.
fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Attaches a file, and a Chinese summary, to the errors of a result.
pub trait InFile<T> {
    /// The error as a [`CliError`] about the file at `path`: `chinese` says what went
    /// wrong, the English line is the error's own message.
    fn in_file(self, path: &Path, chinese: &str) -> Result<T, CliError>;
}

impl<T, E: fmt::Display> InFile<T> for Result<T, E> {
    fn in_file(self, path: &Path, chinese: &str) -> Result<T, CliError> {
        self.map_err(|error| CliError::in_file(path, chinese, error))
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
    fn messages_are_two_lines_chinese_first_with_the_file() {
        let error = CliError::in_file(
            Path::new("a.toml"),
            "第 3 行：\n 缺少字段",
            "line 3:\n  missing   field",
        );
        assert_eq!(
            error.lines(),
            [
                "certqr: a.toml: 第 3 行： 缺少字段".to_owned(),
                "certqr: a.toml: line 3: missing field".to_owned()
            ]
        );
        assert_eq!(error.to_string(), "a.toml: line 3: missing field");
        assert_eq!(
            CliError::new("简单", "plain").lines(),
            ["certqr: 简单".to_owned(), "certqr: plain".to_owned()]
        );
        let hinted = CliError::new("出错", "wrong").with_hint("加引号", "quote it");
        assert_eq!(
            hinted.lines(),
            [
                "certqr: 出错；提示：加引号".to_owned(),
                "certqr: wrong; hint: quote it".to_owned()
            ]
        );
    }

    #[test]
    fn io_errors_are_described_without_os_codes() {
        let error = io::Error::from(io::ErrorKind::NotFound);
        assert_eq!(
            CliError::io(Path::new("x"), &error).lines(),
            [
                "certqr: x: 文件或文件夹不存在".to_owned(),
                "certqr: x: no such file or directory".to_owned()
            ]
        );
    }

    #[test]
    fn problems_make_the_exit_status_2() {
        let mut report = Report::new(String::new(), Outcome::NotValid);
        assert_eq!(report.exit_status(), EXIT_NOT_VALID);
        report.problems.push(CliError::new("坏", "bad"));
        assert_eq!(report.exit_status(), EXIT_ERROR);
        assert_eq!(Report::success(String::new()).exit_status(), EXIT_SUCCESS);
    }
}
