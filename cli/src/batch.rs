//! `certqr issue --batch FILE --out DIR`: sign every row of a CSV (UTF-8 or GB18030),
//! Excel `.xlsx` or JSON Lines file.
//!
//! Rows are read one at a time and handed through a bounded queue to worker threads
//! that check, sign, encode and draw them, so memory stays flat however long the file.
//! Each row has its own files, so the order rows finish in does not matter.
//!
//! - **Row numbers** are what an editor or spreadsheet shows: in a CSV file the header
//!   is row 1 and the first certificate row 2 (a quoted field that spans lines still
//!   counts as one row); in a JSON Lines file, the line number (blank lines are
//!   skipped but counted).
//! - **Names**: row `N` becomes `DIR/NNNNNNNN.txt` (and `.svg`, `.png`): the row
//!   number zero-padded to eight digits, and nothing else. A certificate number may be
//!   the holder's identity card number (`T` + the number, special operations), and file
//!   names are copied, listed and mailed everywhere, so no name holds anything from the
//!   row. A holder's code is found through their row in the batch file.
//! - **All or nothing**: a row's files are written under temporary names
//!   (`NAME.txt.tmp`) and renamed once all are written, pictures first and the text
//!   last. A crash or kill mid-row leaves no half-written file under a final name. The
//!   files are not flushed to disk one by one (that would cost far more than signing),
//!   so after a power failure the last rows may exist but be empty.
//! - **Resuming**: a row whose files (all asked for) exist and are not empty is
//!   skipped and counted; run the same command again after a crash.
//! - **Refused rows** (malformed, or refused by the family's rules) write nothing and
//!   go into `DIR/refused.csv` with their row number and one reason naming the column
//!   and what it expects (`column valid_from: expected a date YYYY-MM-DD`), which never
//!   holds the row's values. The file is rewritten by every run, in the order rows finished.

use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde::Deserialize as _;

use certqr_core::catalog::Family;
use certqr_core::certificate::{Certificate, CertificateError};
use certqr_core::issue::Issuer;
use certqr_render::{self as render, EcLevel};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::description::{self, DateField};
use crate::error::{say, CliError, Outcome, Report};
use crate::files;
use crate::issue::{
    Args, Description, DEFAULT_MODULE_PX, DESCRIPTION_FIELDS, OPTIONAL_DESCRIPTION_FIELDS,
};

/// Longest row read, in bytes; a longer one stops the batch (a wrong file, not a row).
pub const MAX_ROW_BYTES: u64 = 64 * 1024;
/// Largest `.xlsx` file read: a workbook is read whole (unlike a CSV file, streamed).
pub const MAX_WORKBOOK_BYTES: u64 = 64 * 1024 * 1024;
/// The report of refused rows in the output folder.
pub const REFUSED_FILE: &str = "refused.csv";
/// Digits of the zero-padded row number in output names.
const ROW_DIGITS: usize = 8;
/// Rows queued per worker: enough to keep workers busy, few enough to keep memory flat.
const QUEUE_PER_WORKER: usize = 64;
/// Rows between updates of the progress bar.
const PROGRESS_EVERY: u64 = 256;
/// Read-ahead of the buffered readers, allowed on top of [`MAX_ROW_BYTES`].
const READ_AHEAD: u64 = 64 * 1024;

/// The format of a batch file, chosen by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    /// `.csv`: a header row of field names, then one certificate per row.
    Csv,
    /// `.jsonl`: one description object per line.
    JsonLines,
    /// `.xlsx`: an Excel workbook, read like a CSV file from its first sheet.
    Xlsx,
}

impl Format {
    fn of(path: &Path) -> Result<Format, CliError> {
        let extension = path
            .extension()
            .and_then(|extension| extension.to_str())
            .map(str::to_ascii_lowercase);
        match extension.as_deref() {
            Some("csv") => Ok(Format::Csv),
            Some("jsonl") => Ok(Format::JsonLines),
            Some("xlsx") => Ok(Format::Xlsx),
            _ => Err(CliError::in_file(
                path,
                "未知的批量文件格式：文件名须以 .csv、.xlsx 或 .jsonl 结尾",
                "unknown batch format: the file name must end in .csv, .xlsx or .jsonl",
            )),
        }
    }
}

/// Runs `certqr issue --batch FILE --out DIR`: the summary on standard output, exit
/// status 1 when a row was refused, 2 when the batch could not go on.
pub fn run(args: &Args, batch: &Path) -> Result<Report, CliError> {
    let out = args
        .out
        .as_deref()
        .ok_or_else(|| CliError::new("--batch 需要 --out DIR", "--batch needs --out DIR"))?;
    for (flag, option) in [("--png", &args.png), ("--svg", &args.svg)] {
        if matches!(option, Some(Some(_))) {
            return Err(CliError::new(
                format!("与 --batch 同用时 {flag} 不带文件名：每行在 --out DIR 中各得一个文件"),
                format!(
                    "{flag} takes no FILE with --batch: each row gets its own file in --out DIR"
                ),
            ));
        }
    }
    let format = Format::of(batch)?;
    let issuer = Issuer::new(files::signing_key(&args.key)?);
    let file = File::open(batch).map_err(|error| CliError::io(batch, &error))?;
    let total_bytes = file
        .metadata()
        .map_err(|error| CliError::io(batch, &error))?
        .len();
    let encoding = match format {
        Format::Csv => text_encoding(batch)?,
        Format::JsonLines | Format::Xlsx => encoding_rs::UTF_8,
    };
    let mut source = if format == Format::Xlsx {
        if total_bytes > MAX_WORKBOOK_BYTES {
            return Err(CliError::in_file(
                batch,
                format!("工作簿大于可读取的 {MAX_WORKBOOK_BYTES} 字节；请另存为 CSV"),
                format!("is larger than the {MAX_WORKBOOK_BYTES} bytes read from a workbook; save it as CSV"),
            ));
        }
        Source::sheet(batch)?
    } else {
        let input: Box<dyn Read> = if encoding == encoding_rs::UTF_8 {
            Box::new(file)
        } else {
            Box::new(Decoded::new(file, encoding))
        };
        Source::open(input, format, batch)?
    };
    fs::create_dir_all(out).map_err(|error| CliError::io(out, &error))?;
    let refused_path = out.join(REFUSED_FILE);
    let mut refusals = csv::Writer::from_path(&refused_path)
        .map_err(|error| CliError::in_file(&refused_path, "无法写入", error))?;
    refusals
        .write_record(["row", "reason"])
        .map_err(|error| CliError::in_file(&refused_path, "无法写入", error))?;
    let jobs = match args.jobs {
        Some(jobs) => jobs as usize,
        None => std::thread::available_parallelism().map_or(1, usize::from),
    };
    let work = Work {
        issuer,
        out,
        headers: source.headers(),
        png: args.png.is_some(),
        svg: args.svg.is_some(),
        module_px: args.module_px.unwrap_or(DEFAULT_MODULE_PX),
        ec: args.ec.level(),
        issued: AtomicU64::new(0),
        skipped: AtomicU64::new(0),
        refused: AtomicU64::new(0),
        refusals: Mutex::new(refusals),
        refused_path: refused_path.clone(),
        stop: AtomicBool::new(false),
        fatal: Mutex::new(None),
    };
    let progress = progress_bar(total_bytes);
    let started = Instant::now();
    let (sender, receiver) = mpsc::sync_channel::<Row>(jobs * QUEUE_PER_WORKER);
    let receiver = Mutex::new(receiver);
    let read = std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| work.run(&receiver));
        }
        let mut rows = 0u64;
        let result = loop {
            if work.stop.load(Ordering::Relaxed) {
                break Ok(());
            }
            let row = match source.next_row() {
                None => break Ok(()),
                Some(Err(error)) => break Err(error),
                Some(Ok(row)) => row,
            };
            if sender.send(row).is_err() {
                break Ok(());
            }
            rows += 1;
            if rows.is_multiple_of(PROGRESS_EVERY) {
                progress.set_position(source.bytes_read());
                progress.set_message(work.counts());
            }
        };
        drop(sender);
        result
    });
    let elapsed = started.elapsed();
    progress.finish_and_clear();
    let mut refusals = work
        .refusals
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    refusals
        .flush()
        .map_err(|error| CliError::io(&refused_path, &error))?;
    read?;
    if let Some(error) = work
        .fatal
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
    {
        return Err(error);
    }
    let issued = work.issued.into_inner();
    let skipped = work.skipped.into_inner();
    let refused = work.refused.into_inner();
    let mut stdout = String::new();
    say!(stdout, "issued   {issued}");
    say!(stdout, "skipped  {skipped} (already done)");
    if refused > 0 {
        say!(
            stdout,
            "refused  {refused} (rows and reasons in {})",
            refused_path.display()
        );
    } else {
        say!(stdout, "refused  0");
    }
    say!(stdout, "elapsed  {:.1} s", elapsed.as_secs_f64());
    say!(
        stdout,
        "rate     {:.0} certificates/s",
        rate(issued, elapsed)
    );
    let report = Report::new(stdout, Outcome::from_ok(refused == 0));
    Ok(if encoding == encoding_rs::UTF_8 {
        report
    } else {
        report
            .with_note(format!(
                "{}: 已按 GB18030（GBK）编码读取，这是中文版 Excel 保存 CSV 文件所用的编码",
                batch.display()
            ))
            .with_note(format!(
                "{}: read as GB18030 (GBK) text, the encoding Chinese Excel saves CSV files in",
                batch.display()
            ))
    })
}

/// The encoding of a CSV batch file: UTF-8, or else GB18030 (of which GBK is a part),
/// the encoding Excel on Chinese Windows saves "CSV (comma delimited)" in. The whole
/// file is checked before any row is read, so a file in another encoding is refused
/// once, not row by row.
fn text_encoding(path: &Path) -> Result<&'static encoding_rs::Encoding, CliError> {
    for encoding in [encoding_rs::UTF_8, encoding_rs::GB18030] {
        let file = File::open(path).map_err(|error| CliError::io(path, &error))?;
        let mut decoded = Decoded::new(file, encoding);
        match io::copy(&mut decoded, &mut io::sink()) {
            Ok(_) => return Ok(encoding),
            Err(error) if error.kind() == io::ErrorKind::InvalidData => {}
            Err(error) => return Err(CliError::io(path, &error)),
        }
    }
    Err(CliError::in_file(
        path,
        "既不是 UTF-8 也不是 GB18030（GBK）编码的文本；请在 Excel 中另存为“CSV UTF-8”",
        "is neither UTF-8 nor GB18030 (GBK) text; save it from Excel as \"CSV UTF-8\"",
    ))
}

/// A reader of UTF-8 decoded from `encoding` as it is read; malformed input is an
/// `InvalidData` error, never replaced.
struct Decoded<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    input_range: (usize, usize),
    output: Vec<u8>,
    output_range: (usize, usize),
    end_of_input: bool,
    done: bool,
}

impl<R: Read> Decoded<R> {
    fn new(inner: R, encoding: &'static encoding_rs::Encoding) -> Decoded<R> {
        Decoded {
            inner,
            decoder: encoding.new_decoder_without_bom_handling(),
            input: vec![0; 64 * 1024],
            input_range: (0, 0),
            output: vec![0; 256 * 1024],
            output_range: (0, 0),
            end_of_input: false,
            done: false,
        }
    }
}

impl<R: Read> Read for Decoded<R> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        loop {
            let (start, end) = self.output_range;
            if start < end {
                let pending = self.output.get(start..end).unwrap_or_default();
                let count = pending.len().min(buffer.len());
                for (to, from) in buffer.iter_mut().zip(pending) {
                    *to = *from;
                }
                self.output_range.0 += count;
                return Ok(count);
            }
            if self.done {
                return Ok(0);
            }
            if self.input_range.0 == self.input_range.1 && !self.end_of_input {
                let count = self.inner.read(&mut self.input)?;
                self.input_range = (0, count);
                self.end_of_input = count == 0;
            }
            let (start, end) = self.input_range;
            let (result, read, written) = self.decoder.decode_to_utf8_without_replacement(
                self.input.get(start..end).unwrap_or_default(),
                &mut self.output,
                self.end_of_input,
            );
            self.input_range.0 += read;
            self.output_range = (0, written);
            match result {
                encoding_rs::DecoderResult::Malformed(..) => {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("is not {} text", self.decoder.encoding().name()),
                    ))
                }
                encoding_rs::DecoderResult::InputEmpty => self.done = self.end_of_input,
                encoding_rs::DecoderResult::OutputFull => {}
            }
        }
    }
}

fn rate(count: u64, elapsed: Duration) -> f64 {
    let seconds = elapsed.as_secs_f64();
    if seconds > 0.0 {
        count as f64 / seconds
    } else {
        0.0
    }
}

/// A progress bar over the bytes of the batch file, on standard error; hidden when
/// standard error is not a terminal.
fn progress_bar(total_bytes: u64) -> ProgressBar {
    let progress = ProgressBar::with_draw_target(Some(total_bytes), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{elapsed_precise} [{wide_bar}] {percent:>3}% ETA {eta} {msg}")
    {
        progress.set_style(style.progress_chars("=> "));
    }
    progress
}

/// One row as read, with its row number; `raw` is the reason when the row could not
/// even be read (wrong field count, not UTF-8).
struct Row {
    number: u64,
    raw: Result<Raw, String>,
}

enum Raw {
    Csv(csv::StringRecord),
    Json(String),
}

/// A reader that refuses to read further than `limit` bytes from the start: the rows
/// ahead of the row being read are bounded, so a file without line breaks cannot
/// fill memory.
struct Bounded<R> {
    inner: R,
    read: u64,
    limit: u64,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        if self.read >= self.limit {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("a row is longer than {MAX_ROW_BYTES} bytes"),
            ));
        }
        let room = usize::try_from(self.limit - self.read).unwrap_or(usize::MAX);
        let end = buffer.len().min(room);
        let count = self.inner.read(buffer.get_mut(..end).unwrap_or_default())?;
        self.read += count as u64;
        Ok(count)
    }
}

/// The rows of a batch file, one at a time.
enum Source<'a> {
    Csv {
        reader: csv::Reader<Bounded<Box<dyn Read>>>,
        headers: csv::StringRecord,
        rows: u64,
        path: &'a Path,
    },
    JsonLines {
        reader: BufReader<Bounded<Box<dyn Read>>>,
        lines: u64,
        bytes: u64,
        path: &'a Path,
    },
    /// The rows of a workbook's first sheet, read whole.
    Sheet {
        headers: csv::StringRecord,
        rows: std::vec::IntoIter<Row>,
    },
}

impl<'a> Source<'a> {
    fn open(file: Box<dyn Read>, format: Format, path: &'a Path) -> Result<Source<'a>, CliError> {
        let bounded = Bounded {
            inner: file,
            read: 0,
            limit: MAX_ROW_BYTES + READ_AHEAD,
        };
        match format {
            Format::Csv => {
                let mut reader = csv::ReaderBuilder::new()
                    .has_headers(true)
                    .from_reader(bounded);
                let headers = reader
                    .headers()
                    .map_err(|error| {
                        CliError::in_file(path, "表头行有误", format!("header row: {error}"))
                    })?
                    .clone();
                check_headers(&headers)
                    .map_err(|problem| CliError::in_file(path, "表头行有误", problem))?;
                Ok(Source::Csv {
                    reader,
                    headers,
                    rows: 1,
                    path,
                })
            }
            Format::Xlsx => Source::sheet(path),
            Format::JsonLines => Ok(Source::JsonLines {
                reader: BufReader::new(bounded),
                lines: 0,
                bytes: 0,
                path,
            }),
        }
    }

    fn headers(&self) -> Option<csv::StringRecord> {
        match self {
            Source::Csv { headers, .. } | Source::Sheet { headers, .. } => Some(headers.clone()),
            Source::JsonLines { .. } => None,
        }
    }

    /// Bytes of the file consumed so far.
    fn bytes_read(&self) -> u64 {
        match self {
            Source::Csv { reader, .. } => reader.position().byte(),
            Source::JsonLines { bytes, .. } => *bytes,
            Source::Sheet { .. } => 0,
        }
    }

    /// The first sheet of the `.xlsx` workbook at `path`: its first row the header, as
    /// in a CSV file; row numbers are the sheet's. Dates formatted as dates in Excel
    /// become `YYYY-MM-DD`, whole numbers lose Excel's `.0`.
    fn sheet(path: &'a Path) -> Result<Source<'a>, CliError> {
        use calamine::Reader as _;
        // A zip of XML parsed by third-party code: a panic on a malformed file is a
        // refusal of the file, not a crash.
        let range = std::panic::catch_unwind(|| {
            let mut workbook: calamine::Xlsx<_> =
                calamine::open_workbook(path).map_err(|error| {
                    CliError::in_file(
                        path,
                        "不是可读取的 .xlsx 工作簿",
                        format!("is not a readable .xlsx workbook: {error}"),
                    )
                })?;
            workbook
                .worksheet_range_at(0)
                .ok_or_else(|| {
                    CliError::in_file(path, "工作簿中没有工作表", "the workbook has no sheet")
                })?
                .map_err(|error| {
                    CliError::in_file(
                        path,
                        "无法读取第一个工作表",
                        format!("first sheet: {error}"),
                    )
                })
        })
        .unwrap_or_else(|_| {
            Err(CliError::in_file(
                path,
                "不是可读取的 .xlsx 工作簿（读取程序出错）",
                "is not a readable .xlsx workbook (the reader failed)",
            ))
        })?;
        let first_row = range.start().map_or(0, |(row, _)| u64::from(row));
        let mut records = range.rows().zip(first_row + 1..).map(|(cells, number)| {
            let record: csv::StringRecord = cells.iter().map(cell_text).collect();
            (number, record)
        });
        let headers = match records.next() {
            Some((_, headers)) => headers,
            None => {
                return Err(CliError::in_file(
                    path,
                    "表头行有误：第一个工作表是空的",
                    "header row: the first sheet is empty",
                ))
            }
        };
        check_headers(&headers)
            .map_err(|problem| CliError::in_file(path, "表头行有误", problem))?;
        let rows: Vec<Row> = records
            .filter(|(_, record)| record.iter().any(|cell| !cell.is_empty()))
            .map(|(number, record)| Row {
                number,
                raw: Ok(Raw::Csv(record)),
            })
            .collect();
        Ok(Source::Sheet {
            headers,
            rows: rows.into_iter(),
        })
    }

    /// The next row; `None` at the end; an error stops the batch.
    fn next_row(&mut self) -> Option<Result<Row, CliError>> {
        let start = self.bytes_read();
        match self {
            Source::Sheet { rows, .. } => rows.next().map(Ok),
            Source::Csv {
                reader,
                rows,
                path,
                headers,
            } => {
                reader.get_mut().limit = start + MAX_ROW_BYTES + READ_AHEAD;
                let mut record = csv::StringRecord::new();
                let result = reader.read_record(&mut record);
                *rows += 1;
                let number = *rows;
                let raw = match result {
                    Ok(false) => return None,
                    Ok(true) => Ok(Raw::Csv(record)),
                    Err(error) => match error.kind() {
                        csv::ErrorKind::UnequalLengths { len, .. } => Err(format!(
                            "has {len} fields where the header row has {}",
                            headers.len()
                        )),
                        csv::ErrorKind::Utf8 { .. } => Err("is not UTF-8 text".to_owned()),
                        csv::ErrorKind::Io(io_error) => {
                            return Some(Err(CliError::in_file(
                                path,
                                format!("第 {number} 行无法读取"),
                                format!("row {number}: {io_error}"),
                            )))
                        }
                        _ => {
                            return Some(Err(CliError::in_file(
                                path,
                                format!("第 {number} 行无法读取"),
                                format!("row {number}: {error}"),
                            )))
                        }
                    },
                };
                Some(Ok(Row { number, raw }))
            }
            Source::JsonLines {
                reader,
                lines,
                bytes,
                path,
            } => loop {
                reader.get_mut().limit = *bytes + MAX_ROW_BYTES + READ_AHEAD;
                let mut line = Vec::new();
                let count = match reader.read_until(b'\n', &mut line) {
                    Ok(0) => return None,
                    Ok(count) => count,
                    Err(error) => {
                        return Some(Err(CliError::in_file(
                            path,
                            format!("第 {} 行无法读取", *lines + 1),
                            format!("line {}: {error}", *lines + 1),
                        )))
                    }
                };
                *bytes += count as u64;
                *lines += 1;
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                let raw = String::from_utf8(line)
                    .map(Raw::Json)
                    .map_err(|_| "is not UTF-8 text".to_owned());
                return Some(Ok(Row {
                    number: *lines,
                    raw,
                }));
            },
        }
    }
}

/// A workbook cell as the text a CSV file would hold.
fn cell_text(cell: &calamine::Data) -> String {
    match cell {
        calamine::Data::Empty => String::new(),
        calamine::Data::String(text)
        | calamine::Data::DateTimeIso(text)
        | calamine::Data::DurationIso(text) => text.clone(),
        calamine::Data::Int(value) => value.to_string(),
        calamine::Data::Float(value) => value.to_string(),
        calamine::Data::Bool(value) => value.to_string(),
        calamine::Data::DateTime(value) if value.is_datetime() => {
            let (year, month, day, ..) = value.to_ymd_hms_milli();
            format!("{year:04}-{month:02}-{day:02}")
        }
        calamine::Data::DateTime(value) => value.as_f64().to_string(),
        // Not a value the description holds: refused as the column's wrong value.
        calamine::Data::Error(_) => "#error".to_owned(),
    }
}

/// The header row must name every required field, each field at most once, and no
/// other: a wrong header would otherwise refuse every row.
fn check_headers(headers: &csv::StringRecord) -> Result<(), String> {
    for (index, name) in headers.iter().enumerate() {
        if !DESCRIPTION_FIELDS.contains(&name) {
            return Err(format!(
                "header row: unknown column {:?} (the columns are {})",
                shown(name),
                DESCRIPTION_FIELDS.join(",")
            ));
        }
        if headers.iter().take(index).any(|other| other == name) {
            return Err(format!("header row: column {name:?} appears twice"));
        }
    }
    let missing: Vec<&str> = DESCRIPTION_FIELDS
        .iter()
        .filter(|field| !OPTIONAL_DESCRIPTION_FIELDS.contains(field))
        .filter(|field| !headers.iter().any(|name| name == **field))
        .copied()
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "header row: missing column(s) {}",
            missing.join(",")
        ));
    }
    Ok(())
}

/// A header cell as shown in a message: at most 40 characters.
fn shown(name: &str) -> String {
    name.chars().take(40).collect()
}

/// What the workers share.
struct Work<'a> {
    issuer: Issuer,
    out: &'a Path,
    headers: Option<csv::StringRecord>,
    png: bool,
    svg: bool,
    module_px: u32,
    ec: EcLevel,
    issued: AtomicU64,
    skipped: AtomicU64,
    refused: AtomicU64,
    refusals: Mutex<csv::Writer<File>>,
    refused_path: PathBuf,
    /// Set after a problem that stops the batch (a file that cannot be written).
    stop: AtomicBool,
    fatal: Mutex<Option<CliError>>,
}

impl Work<'_> {
    /// A worker: takes rows from the queue until it is closed and empty.
    fn run(&self, receiver: &Mutex<mpsc::Receiver<Row>>) {
        loop {
            let row = {
                let receiver = receiver.lock().unwrap_or_else(PoisonError::into_inner);
                match receiver.recv() {
                    Ok(row) => row,
                    Err(_) => return,
                }
            };
            if self.stop.load(Ordering::Relaxed) {
                continue;
            }
            if let Err(error) = self.row(row) {
                self.stop.store(true, Ordering::Relaxed);
                let mut fatal = self.fatal.lock().unwrap_or_else(PoisonError::into_inner);
                fatal.get_or_insert(error);
            }
        }
    }

    fn counts(&self) -> String {
        format!(
            "issued {} skipped {} refused {}",
            self.issued.load(Ordering::Relaxed),
            self.skipped.load(Ordering::Relaxed),
            self.refused.load(Ordering::Relaxed)
        )
    }

    /// Issues one row, skips it, or refuses it; an error stops the batch.
    fn row(&self, row: Row) -> Result<(), CliError> {
        let certificate = match row.raw.and_then(|raw| self.certificate(raw)) {
            Ok(certificate) => certificate,
            Err(reason) => return self.refuse(row.number, &reason),
        };
        let name = output_name(row.number);
        let mut outputs = Vec::with_capacity(3);
        if self.svg {
            outputs.push(self.out.join(format!("{name}.svg")));
        }
        if self.png {
            outputs.push(self.out.join(format!("{name}.png")));
        }
        // The text last: renamed last, it marks the row done.
        outputs.push(self.out.join(format!("{name}.txt")));
        if outputs.iter().all(|path| is_done(path)) {
            self.skipped.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        let text = match self.issuer.issue(&certificate) {
            Ok(text) => text,
            Err(error) => return self.refuse(row.number, &certificate_refusal(&error)),
        };
        let mut contents: Vec<Vec<u8>> = Vec::with_capacity(3);
        if self.svg || self.png {
            let symbol = match render::encode(&text, self.ec) {
                Ok(symbol) => symbol,
                Err(error) => return self.refuse(row.number, &error.to_string()),
            };
            if self.svg {
                let svg = symbol
                    .to_svg(self.module_px)
                    .map_err(|error| CliError::new("无法生成 SVG 图片", error))?;
                contents.push(svg.into_bytes());
            }
            if self.png {
                contents.push(
                    symbol
                        .to_png(self.module_px)
                        .map_err(|error| CliError::new("无法生成 PNG 图片", error))?,
                );
            }
        }
        contents.push(format!("{text}\n").into_bytes());
        let temporaries: Vec<PathBuf> = outputs
            .iter()
            .map(|path| files::with_suffix(path, ".tmp"))
            .collect();
        for (temporary, bytes) in temporaries.iter().zip(&contents) {
            fs::write(temporary, bytes).map_err(|error| CliError::io(temporary, &error))?;
        }
        for (temporary, path) in temporaries.iter().zip(&outputs) {
            fs::rename(temporary, path).map_err(|error| CliError::io(path, &error))?;
        }
        self.issued.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// The certificate a row describes (not yet checked), or why it cannot be read.
    fn certificate(&self, raw: Raw) -> Result<Certificate, String> {
        let description: Description = match raw {
            Raw::Csv(record) => {
                // An empty cell is a field left out; every value is text, as in JSON.
                let object = self
                    .headers
                    .iter()
                    .flatten()
                    .zip(&record)
                    .filter(|(_, value)| !value.is_empty())
                    .map(|(column, value)| (column.to_owned(), value.into()))
                    .collect();
                description_of(object)?
            }
            Raw::Json(line) => json_description(&line)?,
        };
        description.into_certificate().map_err(|problem| {
            // into_certificate says "FIELD: problem", without the value.
            match problem.split_once(": ") {
                Some((field, rest)) if DESCRIPTION_FIELDS.contains(&field) => {
                    column_refusal(field, rest)
                }
                _ => problem,
            }
        })
    }

    fn refuse(&self, row: u64, reason: &str) -> Result<(), CliError> {
        self.refused.fetch_add(1, Ordering::Relaxed);
        let mut refusals = self.refusals.lock().unwrap_or_else(PoisonError::into_inner);
        refusals
            .write_record([row.to_string().as_str(), reason])
            .map_err(|error| CliError::in_file(&self.refused_path, "无法写入", error))
    }
}

/// A refusal of one column: `column NAME: PROBLEM`, where the problem says what is
/// expected and never holds the value (which may be personal data).
fn column_refusal(column: &str, problem: &str) -> String {
    format!("column {column}: {problem}")
}

/// What a column must hold, as a refusal says it.
fn expected(column: &str) -> String {
    match column {
        "family" => format!(
            "expected one of {}",
            Family::ALL.map(Family::slug).join(", ")
        ),
        "item" => "expected an item code of the family's catalog".to_owned(),
        "holder_name" => "expected the holder's name".to_owned(),
        "sex" => "expected male or female".to_owned(),
        "id_number" => "expected an 18-character identity card number".to_owned(),
        "number" => "expected the certificate number".to_owned(),
        "first_issued" | "valid_from" | "valid_until" | "review_due" => {
            "expected a date YYYY-MM-DD".to_owned()
        }
        _ => "unknown field".to_owned(),
    }
}

/// The refusal of a column whose value could not be read: empty, or not what it holds.
fn unreadable(column: &str, empty: bool) -> String {
    if empty {
        column_refusal(column, &format!("is empty; {}", expected(column)))
    } else {
        column_refusal(column, &expected(column))
    }
}

/// A JSON Lines row as a description; the refusal names the field and what it expects.
fn json_description(line: &str) -> Result<Description, String> {
    let object: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(line).map_err(|error| {
            format!(
                "invalid JSON: {}",
                description::without_values(&error.to_string())
            )
        })?;
    description_of(object)
}

/// A description from its fields (a JSON object, or a CSV row by its header); the
/// refusal names the field and what it expects.
fn description_of(
    object: serde_json::Map<String, serde_json::Value>,
) -> Result<Description, String> {
    for (key, value) in &object {
        let Some(column) = DESCRIPTION_FIELDS.iter().find(|field| *field == key) else {
            return Err(format!(
                "unknown field {:?} (the fields are {})",
                shown(key),
                DESCRIPTION_FIELDS.join(",")
            ));
        };
        let optional = OPTIONAL_DESCRIPTION_FIELDS.contains(column);
        let readable = match *column {
            _ if optional && value.is_null() => true,
            "family" => Family::deserialize(value).is_ok(),
            "first_issued" | "valid_from" | "valid_until" | "review_due" => {
                DateField::deserialize(value).is_ok()
            }
            _ => value.is_string(),
        };
        if !readable {
            return Err(unreadable(column, value.as_str() == Some("")));
        }
    }
    for column in DESCRIPTION_FIELDS {
        if !OPTIONAL_DESCRIPTION_FIELDS.contains(&column) && !object.contains_key(column) {
            return Err(column_refusal(
                column,
                &format!("missing; {}", expected(column)),
            ));
        }
    }
    serde_json::from_value(serde_json::Value::Object(object)).map_err(|error| {
        format!(
            "invalid JSON: {}",
            description::without_values(&error.to_string())
        )
    })
}

/// The refusal of a certificate its family's rules do not allow, naming the column(s).
fn certificate_refusal(error: &CertificateError) -> String {
    let problem = error.to_string();
    match error {
        CertificateError::HolderName(_) => column_refusal("holder_name", &problem),
        CertificateError::ItemNotInFamily { family, .. } => column_refusal(
            "item",
            &format!("expected an item code of the {} catalog", family.slug()),
        ),
        CertificateError::Number(_) => column_refusal("number", &problem),
        CertificateError::SexMismatch => column_refusal("sex", &problem),
        CertificateError::IssuedBeforeBirth => column_refusal("first_issued", &problem),
        CertificateError::DatesOutOfOrder => {
            format!("columns first_issued, valid_from, valid_until: {problem}")
        }
        CertificateError::ValidityTooLong { .. } => column_refusal("valid_until", &problem),
        CertificateError::ReviewDateMissing
        | CertificateError::ReviewNotApplicable
        | CertificateError::ReviewDateOutOfRange { .. } => column_refusal("review_due", &problem),
        _ => problem,
    }
}

/// `NNNNNNNN`: the zero-padded row number, and nothing from the row itself (personal
/// data never goes into a file name).
fn output_name(row: u64) -> String {
    format!("{row:0ROW_DIGITS$}")
}

/// Whether a row's output file is in place: present and not empty.
fn is_done(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|metadata| metadata.is_file() && metadata.len() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_names_are_the_row_number_only() {
        assert_eq!(output_name(7), "00000007");
        assert_eq!(output_name(123_456_789), "123456789");
    }

    #[test]
    fn headers_must_be_description_fields_each_once() {
        let record = |names: &[&str]| csv::StringRecord::from(names.to_vec());
        assert_eq!(check_headers(&record(&DESCRIPTION_FIELDS)), Ok(()));
        let required: Vec<&str> = DESCRIPTION_FIELDS
            .iter()
            .filter(|field| !OPTIONAL_DESCRIPTION_FIELDS.contains(field))
            .copied()
            .collect();
        assert_eq!(check_headers(&record(&required)), Ok(()));
        let mut unknown = required.clone();
        unknown.push("name");
        assert!(check_headers(&record(&unknown))
            .unwrap_err()
            .starts_with("header row: unknown column \"name\""));
        let mut twice = required.clone();
        twice.push("item");
        assert_eq!(
            check_headers(&record(&twice)),
            Err("header row: column \"item\" appears twice".to_owned())
        );
        assert_eq!(
            check_headers(&record(&required[1..])),
            Err("header row: missing column(s) family".to_owned())
        );
    }

    /// A reader handing out one byte per read: every multi-byte sequence is split.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
            match (self.0.split_first(), buffer.first_mut()) {
                (Some((byte, rest)), Some(slot)) => {
                    *slot = *byte;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    #[test]
    fn gb18030_is_decoded_across_any_read_boundary() {
        let text = "family,holder_name\nspecial-operations,张建国\n,陈静 \u{20000}\n";
        let (gb18030, _, unmappable) = encoding_rs::GB18030.encode(text);
        assert!(!unmappable);
        let mut decoded = Decoded::new(Trickle(&gb18030), encoding_rs::GB18030);
        let mut out = Vec::new();
        let mut byte = [0u8; 1];
        while decoded.read(&mut byte).unwrap() == 1 {
            out.push(byte[0]);
        }
        assert_eq!(String::from_utf8(out).unwrap(), text);
        // A truncated character at the end is malformed, never replaced.
        let mut truncated = Decoded::new(&gb18030[..gb18030.len() - 2], encoding_rs::GB18030);
        let error = io::copy(&mut truncated, &mut io::sink()).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
    }

    #[test]
    fn a_reader_without_line_breaks_stops_at_the_bound() {
        let long = vec![b'a'; 3 * MAX_ROW_BYTES as usize];
        let mut bounded = Bounded {
            inner: long.as_slice(),
            read: 0,
            limit: MAX_ROW_BYTES,
        };
        let mut sink = Vec::new();
        let error = bounded.read_to_end(&mut sink).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
        assert_eq!(sink.len() as u64, MAX_ROW_BYTES);
    }
}
