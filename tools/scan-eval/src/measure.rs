//! Timing a decoder on grey pixels, and summarising many photos.

use std::time::Instant;

use certqr_scan::{self as scan, ScanOptions};
use image::GrayImage;

/// What a decoder made of one picture.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    /// The texts of every code it found (from the first run).
    pub texts: Vec<String>,
    /// Milliseconds of each run.
    pub millis: Vec<f64>,
    /// The decoder's error, if it gave one instead of a list.
    pub error: Option<String>,
}

impl Outcome {
    /// Whether `expected` is exactly one of the texts found.
    pub fn reads(&self, expected: &str) -> bool {
        self.texts.iter().any(|text| text == expected)
    }

    /// The median of the runs' times, in milliseconds.
    pub fn median_ms(&self) -> f64 {
        median(&self.millis)
    }
}

/// Run certqr's scanner with its default options (the effort for a photo, rxing) on
/// `image` `repeats` times (at least once); the texts are the first run's.
pub fn certqr(image: &GrayImage, repeats: usize) -> Outcome {
    certqr_with(image, repeats, &ScanOptions::photo())
}

/// [`certqr`] with the given scan options.
pub fn certqr_with(image: &GrayImage, repeats: usize, options: &ScanOptions) -> Outcome {
    let mut outcome = Outcome::default();
    for run in 0..repeats.max(1) {
        let started = Instant::now();
        let result =
            scan::LumaFrame::new(image.as_raw(), image.width(), image.height(), image.width())
                .and_then(|frame| scan::scan_frame(&frame, options));
        outcome
            .millis
            .push(started.elapsed().as_secs_f64() * 1000.0);
        if run == 0 {
            match result {
                Ok(codes) => outcome.texts = codes.into_iter().map(|code| code.text).collect(),
                Err(error) => outcome.error = Some(error.to_string()),
            }
        }
    }
    outcome
}

/// The median of `values` (the mean of the middle two for an even count); 0 for none.
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let middle = sorted.len() / 2;
    match (sorted.get(middle.wrapping_sub(1)), sorted.get(middle)) {
        (Some(low), Some(high)) if sorted.len().is_multiple_of(2) => (low + high) / 2.0,
        (_, Some(value)) => *value,
        _ => 0.0,
    }
}

/// One decoder over a set of pictures with expected texts.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Summary {
    /// Pictures read exactly.
    pub correct: usize,
    /// Pictures.
    pub total: usize,
    /// Sum of the pictures' (median) times, in milliseconds.
    pub total_ms: f64,
    /// Median of the pictures' (median) times, in milliseconds.
    pub median_ms: f64,
}

impl Summary {
    /// Summarise `outcomes` against the `expected` texts, pairwise.
    pub fn of<'a>(
        outcomes: impl IntoIterator<Item = &'a Outcome>,
        expected: impl IntoIterator<Item = &'a str>,
    ) -> Summary {
        let mut times = Vec::new();
        let mut correct = 0;
        for (outcome, expected) in outcomes.into_iter().zip(expected) {
            times.push(outcome.median_ms());
            if outcome.reads(expected) {
                correct += 1;
            }
        }
        Summary {
            correct,
            total: times.len(),
            total_ms: times.iter().sum(),
            median_ms: median(&times),
        }
    }

    /// Share of the pictures read, in percent.
    pub fn percent(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            100.0 * self.correct as f64 / self.total as f64
        }
    }
}

#[cfg(test)]
// Tests may panic: a failed unwrap is a failed test.
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_even_and_empty() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(median(&[7.0]), 7.0);
        assert_eq!(median(&[]), 0.0);
    }

    #[test]
    fn summary_counts_exact_reads_only() {
        let outcome = |texts: &[&str], ms: f64| Outcome {
            texts: texts.iter().map(|text| (*text).to_owned()).collect(),
            millis: vec![ms, ms + 10.0, ms - 0.5],
            error: None,
        };
        let outcomes = [
            outcome(&["A"], 1.0),
            outcome(&["B", "A "], 2.0),
            outcome(&["X", "C"], 4.0),
        ];
        let summary = Summary::of(&outcomes, ["A", "A", "C"]);
        assert_eq!(summary.correct, 2);
        assert_eq!(summary.total, 3);
        assert_eq!(summary.total_ms, 7.0);
        assert_eq!(summary.median_ms, 2.0);
        assert!((summary.percent() - 66.666).abs() < 0.01);
    }

    #[test]
    fn certqr_reads_a_rendered_code() {
        let symbol = certqr_render::encode("CQ1:MEASURE", certqr_render::EcLevel::Q).unwrap();
        let png = symbol.to_png(3).unwrap();
        let image = image::load_from_memory(&png).unwrap().into_luma8();
        let outcome = certqr(&image, 2);
        assert_eq!(outcome.texts, ["CQ1:MEASURE"]);
        assert_eq!(outcome.millis.len(), 2);
        assert!(outcome.reads("CQ1:MEASURE"));
        assert!(!outcome.reads("CQ1:MEASUR"));
        assert_eq!(
            certqr_with(&image, 1, &ScanOptions::frame()).texts,
            ["CQ1:MEASURE"]
        );
    }
}
