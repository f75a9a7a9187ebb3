//! What a finished scan did: the figures `scan` prints and writes to `_summary.json`.

use std::collections::BTreeMap;

use crate::output::ReviewRow;

/// What a finished scan did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ScanSummary {
    /// `noark5` or `folder`.
    pub export_kind: String,
    /// The Noark version the ADDML states, if any.
    pub noark_version: Option<String>,
    /// Rows written by this run.
    pub rows_written: u64,
    /// Documents skipped because an earlier run had written them (`--resume`).
    pub resumed_skipped: u64,
    /// Rows by `extract_status`.
    pub by_status: BTreeMap<String, u64>,
    /// Rows by `checksum_status`.
    pub by_checksum: BTreeMap<String, u64>,
    /// Export problems by kind (details in `_problems.jsonl`).
    pub problems: BTreeMap<String, u64>,
    /// The embedding model (`model_id`), when the scan embedded.
    pub model_id: Option<String>,
    /// Documents embedded by this run.
    pub embedded: u64,
    /// Seconds the embedding stage took, on the writer's thread while the workers read and
    /// extract (`embedded / embed_seconds` is the embedding rate inside the scan).
    pub embed_seconds: f64,
    /// Embedded documents whose text was longer than the model saw (`text_truncated`).
    pub text_truncated: u64,
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
                "embedded {} documents with {model} ({} truncated) in {:.1} s",
                self.embedded, self.text_truncated, self.embed_seconds
            )?;
        }
        writeln!(f, "extract_status:")?;
        for (k, v) in &self.by_status {
            writeln!(f, "  {k:<20} {v:>8}")?;
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
        self.needs_review += u64::from(row.needs_review);
        for reason in &row.review_reasons {
            *self
                .review_reasons
                .entry(reason.as_str().to_string())
                .or_default() += 1;
        }
        if row.text_truncated == Some(true) {
            self.text_truncated += 1;
        }
        if let Some(s) = row.extract_status {
            *self.by_status.entry(s.as_str().to_string()).or_default() += 1;
        }
        if let Some(c) = row.checksum_status {
            *self.by_checksum.entry(c.as_str().to_string()).or_default() += 1;
        }
    }
}
