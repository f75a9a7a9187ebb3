//! Text extraction: file bytes → [`Extracted`] text with a status.
//!
//! Every outcome is a value, never a panic or an early return that loses the document: a
//! corrupt, encrypted, image-only, oversized or slow file becomes a row with the matching
//! [`ExtractStatus`], so one bad file never stops a scan.

pub mod format;
pub mod ocr;
pub mod office;
pub mod pdf;
pub mod plain;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

pub use format::FileFormat;
pub use ocr::{OcrReport, OcrSettings};

/// What became of one document's extraction (`extract_status` in the output).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum ExtractStatus {
    /// Text was extracted.
    Ok,
    /// The file is readable but holds no text (a zero-byte file, an empty document).
    Empty,
    /// The file has pages but no text layer: a scan that needs OCR.
    NeedsOcr,
    /// The file is encrypted.
    Encrypted,
    /// The file is damaged, or its parser failed (a panic inside a parser lands here too).
    Corrupt,
    /// Over the byte or page limit.
    TooLarge,
    /// Over the time limit.
    Timeout,
    /// A format arkivar cannot read.
    UnsupportedFormat,
    /// The export refers to a file that is not there.
    MissingFile,
    /// The reference is absolute, climbs out with `..`, or leads out through a symlink: never
    /// opened.
    UnsafePath,
}

impl ExtractStatus {
    /// Every status, in a stable order (for summaries and reports).
    pub const ALL: [ExtractStatus; 10] = [
        ExtractStatus::Ok,
        ExtractStatus::Empty,
        ExtractStatus::NeedsOcr,
        ExtractStatus::Encrypted,
        ExtractStatus::Corrupt,
        ExtractStatus::TooLarge,
        ExtractStatus::Timeout,
        ExtractStatus::UnsupportedFormat,
        ExtractStatus::MissingFile,
        ExtractStatus::UnsafePath,
    ];

    /// The stable snake_case name written to the output.
    pub fn as_str(self) -> &'static str {
        match self {
            ExtractStatus::Ok => "ok",
            ExtractStatus::Empty => "empty",
            ExtractStatus::NeedsOcr => "needs_ocr",
            ExtractStatus::Encrypted => "encrypted",
            ExtractStatus::Corrupt => "corrupt",
            ExtractStatus::TooLarge => "too_large",
            ExtractStatus::Timeout => "timeout",
            ExtractStatus::UnsupportedFormat => "unsupported_format",
            ExtractStatus::MissingFile => "missing_file",
            ExtractStatus::UnsafePath => "unsafe_path",
        }
    }

    /// Whether the document's text is usable downstream.
    pub fn has_text(self) -> bool {
        self == ExtractStatus::Ok
    }
}

/// Where a document's text came from (`text_source`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum TextSource {
    /// The file's own text (a PDF text layer, an office or text file).
    TextLayer,
    /// OCR of every page that has text.
    Ocr,
    /// A PDF with a text layer on some pages and OCR'd scans on others.
    Mixed,
}

impl TextSource {
    /// The stable snake_case name written to the output.
    pub fn as_str(self) -> &'static str {
        match self {
            TextSource::TextLayer => "text_layer",
            TextSource::Ocr => "ocr",
            TextSource::Mixed => "mixed",
        }
    }
}

/// The result of extracting one document.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Extracted {
    /// The format found from the bytes (not from the file name alone).
    pub format: FileFormat,
    /// The text; empty unless `status` is [`ExtractStatus::Ok`].
    pub text: String,
    /// Number of pages, for paged formats.
    pub pages: Option<u32>,
    /// What happened.
    pub status: ExtractStatus,
    /// Why it failed, for a reviewer; never contains document text.
    pub error: Option<String>,
    /// Where the text came from; `None` when there is none.
    pub text_source: Option<TextSource>,
    /// What OCR did, for a document whose text (or part of it) was OCR'd.
    pub ocr: Option<OcrReport>,
}

impl Extracted {
    /// A failed extraction with a reason.
    pub fn failed(format: FileFormat, status: ExtractStatus, error: impl Into<String>) -> Self {
        Extracted {
            format,
            text: String::new(),
            pages: None,
            status,
            error: Some(error.into()),
            text_source: None,
            ocr: None,
        }
    }

    /// A successful extraction; text that is only white space makes it [`ExtractStatus::Empty`].
    pub fn text(format: FileFormat, text: String, pages: Option<u32>) -> Self {
        let status = if text.trim().is_empty() {
            ExtractStatus::Empty
        } else {
            ExtractStatus::Ok
        };
        Extracted {
            format,
            text: if status == ExtractStatus::Ok {
                text
            } else {
                String::new()
            },
            pages,
            status,
            error: None,
            text_source: (status == ExtractStatus::Ok).then_some(TextSource::TextLayer),
            ocr: None,
        }
    }
}

/// Per-document limits, so one pathological file cannot stall or exhaust a scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Files larger than this are not read (`too_large`).
    pub max_bytes: u64,
    /// PDFs with more pages are not read (`too_large`).
    pub max_pages: usize,
    /// Extraction taking longer is abandoned (`timeout`).
    pub timeout: Duration,
    /// Text beyond this many characters is cut (the cut is recorded in `extract_error`).
    pub max_text_chars: usize,
    /// How scanned pages are OCR'd; `None` leaves them `needs_ocr` (always `None` in a build
    /// without the `ocr` feature). The time limit for OCR is per page
    /// ([`OcrSettings::page_timeout`]), not [`Limits::timeout`].
    pub ocr: Option<OcrSettings>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 256 * 1024 * 1024,
            max_pages: 5_000,
            timeout: Duration::from_secs(120),
            max_text_chars: 2_000_000,
            ocr: ocr::AVAILABLE.then(OcrSettings::default),
        }
    }
}

/// When an extraction gives up (status `timeout`). Every format's reader looks at it while it
/// works, so [`Limits::timeout`] holds for HTML, text and office files as for PDFs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline(Option<Instant>);

impl Deadline {
    /// No deadline.
    pub const NEVER: Deadline = Deadline(None);

    /// `limit` from now.
    pub fn after(limit: Duration) -> Deadline {
        Deadline(Instant::now().checked_add(limit))
    }

    /// Whether the deadline has passed.
    pub fn passed(self) -> bool {
        self.0.is_some_and(|t| Instant::now() >= t)
    }

    /// The instant, if any.
    pub fn instant(self) -> Option<Instant> {
        self.0
    }
}

/// A PDF page whose text has fewer visible characters than this on average is taken as a scan.
const MIN_CHARS_PER_PAGE: usize = 20;

/// Extracts text from a document's bytes. `name` (the file name, if known) only breaks ties
/// the bytes leave open, such as plain text versus HTML.
///
/// ```
/// use arkivar::extract::{extract_bytes, ExtractStatus, Limits};
/// let e = extract_bytes("Vedtak om tilskudd til søker".as_bytes(), Some("a.txt"), &Limits::default());
/// assert_eq!(e.status, ExtractStatus::Ok);
/// assert!(e.text.contains("søker"));
/// ```
pub fn extract_bytes(bytes: &[u8], name: Option<&str>, limits: &Limits) -> Extracted {
    let format = FileFormat::detect(bytes, name);
    if bytes.is_empty() {
        return Extracted::failed(format, ExtractStatus::Empty, "the file is empty (0 bytes)");
    }
    if bytes.len() as u64 > limits.max_bytes {
        return Extracted::failed(
            format,
            ExtractStatus::TooLarge,
            format!(
                "{} bytes, over the limit of {}",
                bytes.len(),
                limits.max_bytes
            ),
        );
    }
    let deadline = Deadline::after(limits.timeout);
    let mut extracted = guarded(format, || extract_format(format, bytes, limits, deadline));
    cap_text(&mut extracted, limits.max_text_chars);
    extracted
}

/// Runs a parser so that a bug on one hostile file costs that file only: a panic becomes a
/// `corrupt` row instead of ending the scan.
fn guarded(format: FileFormat, parse: impl FnOnce() -> Extracted) -> Extracted {
    catch_unwind(AssertUnwindSafe(parse)).unwrap_or_else(|_| {
        Extracted::failed(
            format,
            ExtractStatus::Corrupt,
            "the parser crashed on this file",
        )
    })
}

fn extract_format(
    format: FileFormat,
    bytes: &[u8],
    limits: &Limits,
    deadline: Deadline,
) -> Extracted {
    let timed_out = |_: plain::TimedOut| {
        Extracted::failed(
            format,
            ExtractStatus::Timeout,
            format!(
                "extraction took longer than {} s",
                limits.timeout.as_secs_f32()
            ),
        )
    };
    match format {
        FileFormat::Pdf => extract_pdf(bytes, limits, deadline),
        FileFormat::Docx | FileFormat::Odt => {
            match office::extract(format, bytes, limits, deadline) {
                Ok(text) => Extracted::text(format, text, None),
                Err(e) => Extracted::failed(format, e.status(), e.to_string()),
            }
        }
        FileFormat::Html => plain::decode_until(bytes, deadline)
            .and_then(|html| plain::html_to_text_until(&html, limits.max_text_chars, deadline))
            .map_or_else(timed_out, |text| Extracted::text(format, text, None)),
        FileFormat::Text => plain::decode_until(bytes, deadline)
            .map_or_else(timed_out, |text| Extracted::text(format, text, None)),
        FileFormat::Tiff | FileFormat::Jpeg | FileFormat::Png => match &limits.ocr {
            #[cfg(feature = "ocr")]
            Some(settings) => ocr::ocr_image_file(format, bytes, settings),
            _ => Extracted::failed(
                format,
                ExtractStatus::NeedsOcr,
                needs_ocr_reason("an image"),
            ),
        },
        FileFormat::Doc | FileFormat::Zip | FileFormat::Unknown => Extracted::failed(
            format,
            ExtractStatus::UnsupportedFormat,
            format!("arkivar cannot read {} files", format.as_str()),
        ),
    }
}

fn extract_pdf(bytes: &[u8], limits: &Limits, deadline: Deadline) -> Extracted {
    let pdf_limits = pdf::PdfLimits {
        max_pages: limits.max_pages,
        deadline: deadline.instant(),
    };
    let format = FileFormat::Pdf;
    match pdf::extract_pdf(bytes, &pdf_limits) {
        Ok(doc) => {
            let pages = u32::try_from(doc.pages.len()).ok();
            let visible: Vec<usize> = doc.pages.iter().map(|p| visible_chars(p)).collect();
            if doc.pages.is_empty() {
                return Extracted::failed(format, ExtractStatus::Corrupt, "the PDF has no pages");
            }
            #[cfg(feature = "ocr")]
            if let Some(settings) = &limits.ocr {
                let needs: Vec<usize> = (0..visible.len())
                    .filter(|&i| visible[i] < MIN_CHARS_PER_PAGE)
                    .collect();
                if !needs.is_empty() {
                    return ocr::ocr_pdf_pages(bytes, doc.pages, &needs, settings);
                }
            }
            if visible.iter().sum::<usize>() < MIN_CHARS_PER_PAGE * doc.pages.len() {
                let mut e = Extracted::failed(
                    format,
                    ExtractStatus::NeedsOcr,
                    needs_ocr_reason("no text layer"),
                );
                e.pages = pages;
                return e;
            }
            Extracted::text(format, doc.pages.join("\n\x0c"), pages)
        }
        Err(e) => {
            let status = match e {
                pdf::PdfError::Encrypted => ExtractStatus::Encrypted,
                pdf::PdfError::Corrupt(_) => ExtractStatus::Corrupt,
                pdf::PdfError::TooManyPages { .. } => ExtractStatus::TooLarge,
                pdf::PdfError::Timeout => ExtractStatus::Timeout,
            };
            Extracted::failed(format, status, e.to_string())
        }
    }
}

fn visible_chars(page: &str) -> usize {
    page.chars().filter(|c| !c.is_whitespace()).count()
}

/// Why a scan has no text: OCR is off (`--no-ocr`) or not in this build.
fn needs_ocr_reason(what: &str) -> String {
    if ocr::AVAILABLE {
        format!("{what}: the text needs OCR (turned off with --no-ocr)")
    } else {
        format!(
            "{what}: the text needs OCR, which this build lacks: {}",
            ocr::HOW_TO_GET
        )
    }
}

fn cap_text(e: &mut Extracted, max_chars: usize) {
    if let Some((cut, _)) = e.text.char_indices().nth(max_chars) {
        e.text.truncate(cut);
        e.error = Some(format!("text cut at {max_chars} characters"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_oversized_files_get_their_status() {
        let limits = Limits {
            max_bytes: 4,
            ..Limits::default()
        };
        assert_eq!(
            extract_bytes(b"", None, &limits).status,
            ExtractStatus::Empty
        );
        assert_eq!(
            extract_bytes(b"12345", None, &limits).status,
            ExtractStatus::TooLarge
        );
        assert_eq!(
            extract_bytes(b" \n\t ", Some("a.txt"), &Limits::default()).status,
            ExtractStatus::Empty
        );
    }

    #[test]
    fn a_panicking_parser_marks_the_row_corrupt() {
        let e = guarded(FileFormat::Pdf, || panic!("parser bug"));
        assert_eq!(e.status, ExtractStatus::Corrupt);
        assert_eq!(e.format, FileFormat::Pdf);
    }

    #[test]
    fn long_text_is_cut_and_says_so() {
        let limits = Limits {
            max_text_chars: 5,
            ..Limits::default()
        };
        let e = extract_bytes("æøåæøåæøå".as_bytes(), Some("a.txt"), &limits);
        assert_eq!(e.text, "æøåæø");
        assert!(e.error.unwrap().contains("cut"));
    }
}
