//! Writes a batch file for `certqr issue --batch`: N invented certificates with valid
//! identity card numbers, cycling through the five families, for tests and benchmarks.
//!
//! ```sh
//! cargo run --release -p certqr --example batch_input -- 1000000 /tmp/batch.csv
//! cargo run --release -p certqr --example batch_input -- 1000 /tmp/batch.jsonl
//! ```
//!
//! The format follows the extension (`.csv` or `.jsonl`). Rows are written as they are
//! made, so memory stays flat for any N.

use std::error::Error;
use std::fs::File;
use std::io::{BufWriter, Write};

use certqr_core::catalog::Family;
use certqr_core::samples;
use serde::Serialize;
use time::{Date, Duration};

const SURNAMES: [&str; 8] = ["张", "王", "李", "赵", "陈", "刘", "杨", "黄"];
const GIVEN_NAMES: [&str; 8] = ["建国", "秀英", "志强", "静", "洋", "伟", "芳", "磊"];
/// Administrative division codes (GB/T 2260) of the holders' birthplaces.
const REGIONS: [u32; 6] = [320102, 320582, 370203, 110105, 440306, 510104];

/// One row: the fields of a certificate description.
#[derive(Serialize)]
struct Row {
    family: &'static str,
    item: String,
    holder_name: String,
    sex: &'static str,
    id_number: String,
    number: Option<String>,
    first_issued: String,
    valid_from: String,
    valid_until: String,
    review_due: Option<String>,
}

/// The item at `index` modulo the length.
fn pick<T: Copy>(items: &[T], index: u64) -> Result<T, Box<dyn Error>> {
    let position = usize::try_from(index % items.len().max(1) as u64)?;
    Ok(*items.get(position).ok_or("empty list")?)
}

fn row(index: u64) -> Result<Row, Box<dyn Error>> {
    let family = pick(&Family::ALL, index)?;
    let first_day = Date::from_calendar_date(2024, time::Month::January, 1)?;
    let valid_from = first_day + Duration::days((index % 365) as i64);
    let template =
        samples::certificate(family, valid_from).ok_or("no sample certificate for a family")?;
    let birth = Date::from_calendar_date(1960, time::Month::January, 1)?
        + Duration::days((index * 7919 % 14_600) as i64);
    let region = pick(&REGIONS, index)?;
    let first17 = format!(
        "{region}{:04}{:02}{:02}{:03}",
        birth.year(),
        birth.month() as u8,
        birth.day(),
        index % 1000
    );
    let id_number = samples::id_number(&first17).ok_or("invalid generated id number")?;
    let number = match family {
        Family::SpecialOperations => None,
        _ => Some(format!("{}{index:08}", template.number)),
    };
    let holder_name = format!(
        "{}{}",
        pick(&SURNAMES, index / 8)?,
        pick(&GIVEN_NAMES, index)?
    );
    Ok(Row {
        family: family.slug(),
        item: template.item,
        holder_name,
        sex: match id_number.sex() {
            certqr_core::id_number::Sex::Male => "male",
            certqr_core::id_number::Sex::Female => "female",
        },
        id_number: id_number.as_str().to_owned(),
        number,
        first_issued: template.first_issued.to_string(),
        valid_from: template.valid_from.to_string(),
        valid_until: template.valid_until.to_string(),
        review_due: template.review_due.map(|date| date.to_string()),
    })
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(count), Some(path)) = (args.next(), args.next()) else {
        return Err("usage: batch_input N FILE.csv|FILE.jsonl".into());
    };
    let count: u64 = count.parse()?;
    let out = BufWriter::new(File::create(&path)?);
    if path.ends_with(".csv") {
        let mut writer = csv::Writer::from_writer(out);
        for index in 0..count {
            writer.serialize(row(index)?)?;
        }
        writer.flush()?;
    } else if path.ends_with(".jsonl") {
        let mut out = out;
        for index in 0..count {
            serde_json::to_writer(&mut out, &row(index)?)?;
            out.write_all(b"\n")?;
        }
        out.flush()?;
    } else {
        return Err("the file name must end in .csv or .jsonl".into());
    }
    Ok(())
}
