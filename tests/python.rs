//! Running the Python side of the interoperability tests (`tests/interop/*.py`).
//!
//! Python comes from `CERTQR_PYTHON` (`scripts/test.sh` sets it to a venv with
//! `tests/interop/requirements.txt`). Without it a test prints a skip line, unless
//! `CERTQR_REQUIRE_INTEROP=1`, in which case it fails.
// Test support: a failed unwrap is a failed test, reported with its location.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

/// The Python interpreter to use, or `None` (after printing a skip line naming `what`).
pub fn interpreter(what: &str) -> Option<PathBuf> {
    match std::env::var_os("CERTQR_PYTHON") {
        Some(path) if !path.is_empty() => Some(PathBuf::from(path)),
        _ => {
            let required = std::env::var("CERTQR_REQUIRE_INTEROP").is_ok_and(|value| value == "1");
            assert!(
                !required,
                "CERTQR_REQUIRE_INTEROP=1 but CERTQR_PYTHON is not set: point it at a Python with \
                 tests/interop/requirements.txt installed (scripts/test.sh does this in .venv-test)"
            );
            println!("skipping the {what} interoperability test: CERTQR_PYTHON is not set");
            None
        }
    }
}

/// Run `tests/interop/<script>` with `input` as JSON on stdin; return its JSON output.
pub fn run_script(python: &Path, script: &str, input: &Value) -> Value {
    let path = crate::crate_dir().join("interop").join(script);
    let mut child = Command::new(python)
        .arg(&path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| {
            panic!(
                "cannot run {} {}: {error}",
                python.display(),
                path.display()
            )
        });
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.to_string().as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{script} failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "{script} printed no JSON ({error}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}
