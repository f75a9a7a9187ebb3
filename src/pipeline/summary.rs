//! What a finished scan did: the figures `scan` prints and writes to `_summary.json`.

use std::collections::BTreeMap;

use crate::output::ReviewRow;

use super::shard::Shard;

/// What a finished scan did.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ScanSummary {
    /// The shard this run scanned; `None` for the whole export.
    pub shard: Option<Shard>,
    /// `noark5` or `folder`.
    pub export_kind: String,
    /// The Noark version the ADDML states, if any.
    pub noark_version: Option<String>,
    /// Rows written by this run.
    pub rows_written: u64,
    /// Documents skipped because an earlier run had written them (`--resume`).
    pub resumed_skipped: u64,
    /// Documents passed over because another shard owns them.
    pub other_shards: u64,
    /// Rows by `extract_status`.
    pub by_status: BTreeMap<String, u64>,
    /// Rows by `checksum_status`.
    pub by_checksum: BTreeMap<String, u64>,
    /// Export problems by kind (details in `_problems.jsonl`).
    pub problems: BTreeMap<String, u64>,
    /// The embedding model (`model_id`), when the scan embedded.
    pub model_id: Option<String>,
    /// How the embedding products ran (`f32`, `bf16 (AMX tiles)`, …), when the scan embedded.
    pub embed_precision: Option<String>,
    /// Documents embedded by this run.
    pub embedded: u64,
    /// Seconds the embedding stage took, on the writer's thread while the workers read and
    /// extract (`embedded / embed_seconds` is the embedding rate inside the scan).
    pub embed_seconds: f64,
    /// Embedded documents whose text was longer than the model saw (`text_truncated`).
    pub text_truncated: u64,
    /// Documents whose text (or part of it) was OCR'd.
    pub ocr_documents: u64,
    /// Pages OCR'd.
    pub ocr_pages: u64,
    /// Whether this scan OCR'd scanned pages (false without the `ocr` feature or with
    /// `--no-ocr`: its `needs_ocr` rows then say what was not read).
    pub ocr_on: bool,
    /// Rows that need review.
    pub needs_review: u64,
    /// Rows by review reason (a row can have several).
    pub review_reasons: BTreeMap<String, u64>,
    /// Wall time in seconds.
    pub seconds: f64,
    /// Documents per second.
    pub docs_per_second: f64,
    /// When the scan started (UTC).
    pub started: String,
    /// When it finished (UTC).
    pub finished: String,
}

impl std::fmt::Display for ScanSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(shard) = self.shard {
            writeln!(
                f,
                "shard {shard}: {} documents belong to other shards",
                self.other_shards
            )?;
        }
        writeln!(
            f,
            "scanned {} documents in {:.1} s ({:.1} docs/s){}",
            self.rows_written,
            self.seconds,
            self.docs_per_second,
            if self.resumed_skipped > 0 {
                format!(", {} already done by an earlier run", self.resumed_skipped)
            } else {
                String::new()
            }
        )?;
        if let Some(model) = &self.model_id {
            writeln!(
                f,
                "embedded {} documents with {model}{} ({} truncated) in {:.1} s",
                self.embedded,
                self.embed_precision
                    .as_ref()
                    .map_or(String::new(), |p| format!(" at {p}")),
                self.text_truncated,
                self.embed_seconds
            )?;
        }
        if self.ocr_documents > 0 {
            writeln!(
                f,
                "OCR read {} pages of {} documents",
                self.ocr_pages, self.ocr_documents
            )?;
        }
        writeln!(f, "extract_status:")?;
        for (k, v) in &self.by_status {
            writeln!(f, "  {k:<20} {v:>8}")?;
        }
        let unread = self.by_status.get("needs_ocr").copied().unwrap_or(0);
        if unread > 0 && !self.ocr_on {
            let how = if crate::extract::ocr::AVAILABLE {
                "run without --no-ocr to read them".to_string()
            } else {
                format!("to read them, {}", crate::extract::ocr::HOW_TO_GET)
            };
            writeln!(f, "{unread} scanned documents need OCR: {how}")?;
        }
        writeln!(f, "checksum_status:")?;
        for (k, v) in &self.by_checksum {
            writeln!(f, "  {k:<20} {v:>8}")?;
        }
        writeln!(f, "needs review: {} rows; reasons:", self.needs_review)?;
        for (k, v) in &self.review_reasons {
            writeln!(f, "  {k:<36} {v:>8}")?;
        }
        if !self.problems.is_empty() {
            writeln!(f, "export problems (see _problems.jsonl):")?;
            for (k, v) in &self.problems {
                writeln!(f, "  {k:<20} {v:>8}")?;
            }
        }
        Ok(())
    }
}

impl ScanSummary {
    /// Counts one written row.
    pub fn count_row(&mut self, row: &ReviewRow) {
        self.count(RowFigures {
            extract_status: row.extract_status.map(|s| s.as_str()),
            checksum_status: row.checksum_status.map(|c| c.as_str()),
            needs_review: row.needs_review,
            review_reasons: row.review_reasons.iter().map(|r| r.as_str()),
            text_truncated: row.text_truncated == Some(true),
            ocr_pages: row.ocr_pages,
        });
    }

    /// Counts one row by the figures a summary keeps of it (a row just written, or one read
    /// back from a part file).
    pub fn count<'a>(&mut self, row: RowFigures<'a, impl Iterator<Item = &'a str>>) {
        self.needs_review += u64::from(row.needs_review);
        for reason in row.review_reasons {
            *self.review_reasons.entry(reason.to_string()).or_default() += 1;
        }
        self.text_truncated += u64::from(row.text_truncated);
        if let Some(pages) = row.ocr_pages {
            self.ocr_documents += 1;
            self.ocr_pages += u64::from(pages);
        }
        if let Some(s) = row.extract_status {
            *self.by_status.entry(s.to_string()).or_default() += 1;
        }
        if let Some(c) = row.checksum_status {
            *self.by_checksum.entry(c.to_string()).or_default() += 1;
        }
    }
}

/// The figures of one review row a [`ScanSummary`] counts.
pub struct RowFigures<'a, R> {
    /// `extract_status`.
    pub extract_status: Option<&'a str>,
    /// `checksum_status`.
    pub checksum_status: Option<&'a str>,
    /// `needs_review`.
    pub needs_review: bool,
    /// `review_reasons`.
    pub review_reasons: R,
    /// `text_truncated` is true.
    pub text_truncated: bool,
    /// `ocr_pages`.
    pub ocr_pages: Option<u32>,
}
