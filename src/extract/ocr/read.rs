//! A document's scanned pages through Tesseract, in parallel, into one [`Extracted`].

use rayon::iter::{ParallelBridge, ParallelIterator};

use super::cache::cached;
use super::images::ImagePages;
use super::page::{PageError, PageImage};
use super::tesseract::{recognise, PageText};
use super::{OcrReport, OcrSettings};
use crate::extract::{ExtractStatus, Extracted, FileFormat, TextSource};

/// Page failures named in `extract_error` (the rest are counted).
const NAMED_FAILURES: usize = 3;

/// OCR of a TIFF, PNG or JPEG file: every page, up to [`OcrSettings::max_pages`].
pub fn ocr_image_file(format: FileFormat, bytes: &[u8], settings: &OcrSettings) -> Extracted {
    cached(bytes, settings, || read_image_file(format, bytes, settings))
}

fn read_image_file(format: FileFormat, bytes: &[u8], settings: &OcrSettings) -> (Extracted, bool) {
    let mut pages = ImagePages::new(format, bytes, settings.max_page_pixels);
    let taken = (&mut pages)
        .take(settings.max_pages)
        .enumerate()
        .map(|(i, page)| (i, move || page));
    let results = run(taken, settings);
    let left = pages.remaining();
    let total = results.len() + left;
    let mut texts = vec![None; results.len()];
    assemble(format, &mut texts, results, total, left, settings)
}

/// OCR of the pages of a PDF that have no text layer (`needs` holds their 0-based numbers;
/// `texts` the text layer of every page). The result has every page's text in order: a
/// mixed PDF keeps its text pages as they are.
pub fn ocr_pdf_pages(
    bytes: &[u8],
    texts: Vec<String>,
    needs: &[usize],
    settings: &OcrSettings,
) -> Extracted {
    cached(bytes, settings, || {
        read_pdf_pages(bytes, texts, needs, settings)
    })
}

fn read_pdf_pages(
    bytes: &[u8],
    texts: Vec<String>,
    needs: &[usize],
    settings: &OcrSettings,
) -> (Extracted, bool) {
    let format = FileFormat::Pdf;
    let doc = match crate::extract::pdf::load(bytes) {
        Ok(doc) => doc,
        Err(e) => {
            return (
                Extracted::failed(format, ExtractStatus::Corrupt, e.to_string()),
                true,
            )
        }
    };
    let ids: Vec<_> = doc.get_pages().into_values().collect();
    let max_pixels = settings.max_page_pixels;
    let doc = &doc;
    let jobs = needs
        .iter()
        .take(settings.max_pages)
        .filter_map(|&i| ids.get(i).map(|&id| (i, id)))
        .map(|(i, id)| {
            (i, move || {
                super::pdf_images::page_image(doc, id, max_pixels)
            })
        });
    let results = run(jobs, settings);
    let left = needs.len().saturating_sub(settings.max_pages);
    let total = texts.len();
    let mut texts: Vec<Option<String>> = texts.into_iter().map(Some).collect();
    assemble(format, &mut texts, results, total, left, settings)
}

/// Decodes and recognises pages side by side on the current rayon pool; results by page.
fn run<F>(
    jobs: impl Iterator<Item = (usize, F)> + Send,
    settings: &OcrSettings,
) -> Vec<(usize, Result<PageText, PageError>)>
where
    F: FnOnce() -> Result<PageImage, PageError> + Send,
{
    let mut results: Vec<_> = jobs
        .par_bridge()
        .map(|(i, decode)| {
            let page = decode().map(|p| p.prepared(settings.max_page_pixels));
            (
                i,
                page.and_then(|p| recognise(&p, &settings.lang, settings.page_timeout)),
            )
        })
        .collect();
    results.sort_by_key(|(i, _)| *i);
    results
}

/// Puts recognised pages into `texts` (one slot per page; a PDF's text layer already there,
/// kept where a page was not read) and makes the document's row: its text, where the text came from, how confident
/// the OCR was, and the pages that failed or were left. The flag says whether the reading may
/// be cached (no page timed out or met an engine error: those could go better next time).
fn assemble(
    format: FileFormat,
    texts: &mut [Option<String>],
    results: Vec<(usize, Result<PageText, PageError>)>,
    total_pages: usize,
    left: usize,
    settings: &OcrSettings,
) -> (Extracted, bool) {
    let keep = results
        .iter()
        .all(|(_, r)| !matches!(r, Err(PageError::Timeout(_) | PageError::Engine(_))));
    let mut confidences: Vec<f32> = Vec::new();
    let mut ocr_pages = 0u32;
    let mut no_scan = 0usize;
    let mut failures: Vec<(usize, PageError)> = Vec::new();
    let mut read = vec![false; texts.len()];
    for (i, result) in results {
        match result {
            Ok(page) => {
                ocr_pages += 1;
                confidences.extend(&page.word_confidences);
                if let (Some(slot), Some(r)) = (texts.get_mut(i), read.get_mut(i)) {
                    *slot = Some(page.text);
                    *r = true;
                }
            }
            // A short page with no scan on it (a cover, a blank page, a logo): nothing to read.
            Err(PageError::NoImage) => no_scan += 1,
            Err(e) => failures.push((i, e)),
        }
    }
    let had_layer = texts
        .iter()
        .zip(&read)
        .any(|(t, r)| !r && t.as_deref().is_some_and(|t| !t.trim().is_empty()));
    let pages = u32::try_from(total_pages).ok();
    let text = texts
        .iter()
        .map(|t| t.as_deref().unwrap_or("").trim_end())
        .collect::<Vec<_>>()
        .join("\n\x0c");
    let mut notes: Vec<String> = failures
        .iter()
        .take(NAMED_FAILURES)
        .map(|(i, e)| format!("page {}: {e}", i + 1))
        .collect();
    if failures.len() > NAMED_FAILURES {
        notes.push(format!(
            "{} more pages failed",
            failures.len() - NAMED_FAILURES
        ));
    }
    if left > 0 {
        notes.push(format!(
            "OCR stopped after {} pages ({left} more; --ocr-max-pages)",
            settings.max_pages
        ));
    }
    let ocr_text = ocr_pages > 0;
    if ocr_pages == 0 && !had_layer {
        if failures.is_empty() && no_scan > 0 {
            // No text layer and no scan either: drawn text (outlines), which needs a renderer.
            let mut e = Extracted::failed(
                format,
                ExtractStatus::NeedsOcr,
                "no text layer and no scanned image on its pages (drawings or text as outlines): not read",
            );
            e.pages = pages;
            return (e, keep);
        }
        // Nothing read: the document fails as its pages did.
        let status = failures
            .first()
            .map_or(ExtractStatus::Empty, |(_, e)| e.status());
        let mut e = Extracted::failed(
            format,
            status,
            if notes.is_empty() {
                "OCR found no text".to_string()
            } else {
                notes.join("; ")
            },
        );
        e.pages = pages;
        return (e, keep);
    }
    let mut e = Extracted::text(format, text, pages);
    if ocr_text {
        e.text_source = Some(if had_layer {
            TextSource::Mixed
        } else {
            TextSource::Ocr
        });
        e.ocr = Some(OcrReport {
            pages: ocr_pages,
            confidence: (!confidences.is_empty())
                .then(|| confidences.iter().sum::<f32>() / confidences.len() as f32),
        });
    }
    if !notes.is_empty() {
        e.error = Some(notes.join("; "));
    }
    (e, keep)
}
