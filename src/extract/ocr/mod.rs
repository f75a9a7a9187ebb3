//! OCR of scanned pages: PDF pages without a text layer, TIFF (multi-page), PNG and JPEG,
//! read by Tesseract 5 in process (`nor+eng` by default).
//!
//! Behind the cargo feature `ocr` (it links Debian's libtesseract and libleptonica); a build
//! without it keeps [`OcrSettings`] so options parse, and leaves scans `needs_ocr`.
//!
//! Pages of one document run side by side on the current rayon pool (the scan's workers), one
//! Tesseract engine per worker thread ([`tesseract`]), each page decoded one at a time and
//! checked against [`OcrSettings::max_page_pixels`] from its header before its pixels are
//! decoded. A page that cannot be decoded, is too large or runs past
//! [`OcrSettings::page_timeout`] gives no text and a reason; the document's other pages go on.

#[cfg(feature = "ocr")]
pub mod cache;
#[cfg(feature = "ocr")]
pub mod deskew;
#[cfg(feature = "ocr")]
pub mod images;
#[cfg(feature = "ocr")]
pub mod page;
#[cfg(feature = "ocr")]
pub mod pdf_images;
#[cfg(feature = "ocr")]
mod read;
#[cfg(feature = "ocr")]
pub mod tesseract;

#[cfg(feature = "ocr")]
pub use read::{ocr_image_file, ocr_pdf_pages};

use std::path::PathBuf;
use std::time::Duration;

/// Whether this build can OCR (the `ocr` feature).
pub const AVAILABLE: bool = cfg!(feature = "ocr");

/// How to get OCR into a build that lacks it (for the summary and `needs_ocr` rows).
pub const HOW_TO_GET: &str = "build arkivar with `--features ocr` (needs Debian's tesseract-ocr-nor, libtesseract-dev, libleptonica-dev, libclang-dev)";

/// How scanned pages are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OcrSettings {
    /// Tesseract language models, `+`-joined (`nor+eng`).
    pub lang: String,
    /// A page taking longer is given up (its text left out, the reason recorded).
    pub page_timeout: Duration,
    /// At most this many pages of one document are OCR'd (the first ones); the row says how
    /// many were left.
    pub max_pages: usize,
    /// Pages with more pixels are refused from their header, before decoding: this bounds
    /// the memory one page costs (about 10 bytes per pixel while Tesseract works on it).
    pub max_page_pixels: u64,
    /// Where readings are kept by file checksum, so a re-scan reads no page twice (`scan`:
    /// `OUT/_ocr_cache` unless told otherwise); `None`: no cache.
    pub cache: Option<PathBuf>,
}

impl Default for OcrSettings {
    fn default() -> Self {
        OcrSettings {
            lang: "nor+eng".into(),
            page_timeout: Duration::from_secs(60),
            max_pages: 100,
            // An A4 page at 600 dpi is 35 Mpx, A3 at 400 dpi 31 Mpx.
            max_page_pixels: 40_000_000,
            cache: None,
        }
    }
}

/// What OCR did for one document (`ocr_pages`, `ocr_confidence`).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct OcrReport {
    /// Pages whose text came from OCR.
    pub pages: u32,
    /// Mean word confidence over those pages, 0–1 (`None` when no word was recognised).
    pub confidence: Option<f32>,
}

/// Below this mean word confidence an OCR'd text is a review reason (`ocr_low_confidence`).
/// Measured (`cargo bench --features ocr --bench ocr`): the synthetic clean, degraded and fax
/// scans read at 0.06–0.3% character errors average 0.95, none under 0.75; pages whose specks
/// Tesseract read as letters (13–50% character errors, before its page segmentation was set
/// as the `tesseract` program sets it) scored 0.50–0.78.
pub const LOW_CONFIDENCE: f32 = 0.75;
