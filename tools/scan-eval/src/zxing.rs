//! zxing-cpp (PyPI `zxing-cpp`), the baseline, run on the same grey pixels as certqr.
//!
//! The pictures are written as binary PGM files into a temporary folder and
//! `tools/scan-eval/zxing_read.py` is run once over all of them with the given Python
//! (`$CERTQR_PYTHON` or `--python`). It loads each picture, then times only
//! `zxingcpp.read_barcodes(..., formats=QRCode, text_mode=TextMode.Plain)` with
//! `time.perf_counter`, so the figures are decode time alone, as for certqr. Python's
//! call overhead (a few microseconds) is inside zxing-cpp's figure.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use image::GrayImage;
use serde_json::{json, Value};

use crate::measure::Outcome;
use crate::BenchError;

/// The script, beside this crate's manifest.
pub fn script_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("zxing_read.py")
}

/// zxing-cpp behind a Python interpreter.
#[derive(Debug, Clone)]
pub struct ZxingCpp {
    python: PathBuf,
}

/// zxing-cpp's answers for a batch of pictures.
#[derive(Debug, Clone)]
pub struct Batch {
    /// One outcome per picture, in order.
    pub outcomes: Vec<Outcome>,
    /// zxing-cpp's version as installed.
    pub zxing_version: String,
    /// Python's version.
    pub python_version: String,
}

/// A folder under the system's temporary folder, removed when dropped.
#[derive(Debug)]
pub struct TempFolder {
    path: PathBuf,
}

impl TempFolder {
    /// A new empty folder named after `purpose`, this process and a counter.
    ///
    /// # Errors
    ///
    /// [`BenchError::Io`] if it cannot be made.
    pub fn new(purpose: &str) -> Result<TempFolder, BenchError> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "certqr-{purpose}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&path).map_err(|error| BenchError::io(&path, error))?;
        Ok(TempFolder { path })
    }

    /// Where it is.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempFolder {
    fn drop(&mut self) {
        // Best effort: a leftover temporary folder is harmless.
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// `image` as a binary PGM ("P5", 8-bit).
pub fn pgm(image: &GrayImage) -> Vec<u8> {
    let mut bytes = format!("P5\n{} {}\n255\n", image.width(), image.height()).into_bytes();
    bytes.extend_from_slice(image.as_raw());
    bytes
}

impl ZxingCpp {
    /// zxing-cpp through `python`, which must have `zxing-cpp` installed.
    pub fn new(python: PathBuf) -> ZxingCpp {
        ZxingCpp { python }
    }

    /// The interpreter.
    pub fn python(&self) -> &Path {
        &self.python
    }

    /// Decode each of `images` `repeats` times (at least once).
    ///
    /// # Errors
    ///
    /// [`BenchError::Io`] if the pictures cannot be written, [`BenchError::Python`] if
    /// the script cannot run, fails, or answers other than one result per picture.
    pub fn decode(&self, images: &[&GrayImage], repeats: usize) -> Result<Batch, BenchError> {
        let folder = TempFolder::new("zxing")?;
        let mut paths = Vec::with_capacity(images.len());
        for (number, image) in images.iter().enumerate() {
            let path = folder.path().join(format!("{number}.pgm"));
            std::fs::write(&path, pgm(image)).map_err(|error| BenchError::io(&path, error))?;
            paths.push(path.display().to_string());
        }
        let request = json!({"repeats": repeats.max(1), "images": paths});
        let answer = self.run(&request)?;
        let python_error = |what: &str| BenchError::Python(format!("{what} in {answer}"));
        let results = answer
            .get("results")
            .and_then(Value::as_array)
            .ok_or_else(|| python_error("no results"))?;
        if results.len() != images.len() {
            return Err(python_error("wrong number of results"));
        }
        let outcomes = results
            .iter()
            .map(|result| {
                let texts = result
                    .get("texts")
                    .and_then(Value::as_array)
                    .ok_or_else(|| python_error("no texts"))?;
                let millis = result
                    .get("ms")
                    .and_then(Value::as_array)
                    .ok_or_else(|| python_error("no times"))?;
                Ok(Outcome {
                    texts: texts
                        .iter()
                        .map(|text| text.as_str().unwrap_or_default().to_owned())
                        .collect(),
                    millis: millis.iter().filter_map(Value::as_f64).collect(),
                    error: None,
                })
            })
            .collect::<Result<Vec<_>, BenchError>>()?;
        let version = |key: &str| {
            answer
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or("?")
                .to_owned()
        };
        Ok(Batch {
            outcomes,
            zxing_version: version("zxing_cpp"),
            python_version: version("python"),
        })
    }

    fn run(&self, request: &Value) -> Result<Value, BenchError> {
        let script = script_path();
        let failed = |what: String| {
            BenchError::Python(format!(
                "{} {}: {what}",
                self.python.display(),
                script.display()
            ))
        };
        let mut child = Command::new(&self.python)
            .arg(&script)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|error| failed(error.to_string()))?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin
                .write_all(request.to_string().as_bytes())
                .map_err(|error| failed(error.to_string()))?;
        }
        let output = child
            .wait_with_output()
            .map_err(|error| failed(error.to_string()))?;
        if !output.status.success() {
            return Err(failed(format!(
                "{}: {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            )));
        }
        serde_json::from_slice(&output.stdout).map_err(|error| failed(error.to_string()))
    }
}

#[cfg(test)]
// Tests may panic: a failed unwrap is a failed test.
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn pgm_has_header_and_pixels() {
        let image = GrayImage::from_raw(3, 2, vec![1, 2, 3, 4, 5, 6]).unwrap();
        assert_eq!(pgm(&image), b"P5\n3 2\n255\n\x01\x02\x03\x04\x05\x06");
    }

    #[test]
    fn temp_folder_is_removed_when_dropped() {
        let folder = TempFolder::new("test").unwrap();
        let path = folder.path().to_owned();
        std::fs::write(path.join("x"), b"x").unwrap();
        drop(folder);
        assert!(!path.exists());
    }

    /// zxing-cpp reads a rendered code and reports a time for each run. Runs where
    /// `CERTQR_PYTHON` is set (scripts/test.sh sets it); prints a skip line elsewhere,
    /// unless `CERTQR_REQUIRE_INTEROP=1` makes that a failure.
    #[test]
    fn zxing_cpp_reads_a_rendered_code() {
        let Some(python) = std::env::var_os("CERTQR_PYTHON").filter(|path| !path.is_empty()) else {
            let required = std::env::var("CERTQR_REQUIRE_INTEROP").is_ok_and(|value| value == "1");
            assert!(
                !required,
                "CERTQR_REQUIRE_INTEROP=1 but CERTQR_PYTHON is not set"
            );
            println!("skipping zxing_cpp_reads_a_rendered_code: CERTQR_PYTHON is not set");
            return;
        };
        let symbol = certqr_render::encode("CQ1:ZXING", certqr_render::EcLevel::Q).unwrap();
        let image = image::load_from_memory(&symbol.to_png(3).unwrap())
            .unwrap()
            .into_luma8();
        let blank = GrayImage::from_pixel(64, 48, image::Luma([255]));
        let batch = ZxingCpp::new(PathBuf::from(python))
            .decode(&[&image, &blank], 2)
            .unwrap();
        assert_eq!(batch.outcomes.len(), 2);
        assert_eq!(batch.outcomes[0].texts, ["CQ1:ZXING"]);
        assert!(batch.outcomes[1].texts.is_empty());
        assert_eq!(batch.outcomes[0].millis.len(), 2);
        assert!(
            batch.zxing_version.starts_with('3'),
            "{}",
            batch.zxing_version
        );
    }
}
