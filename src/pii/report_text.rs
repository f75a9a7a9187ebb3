//! What `arkivar pii` prints about one document: its findings, the kinds found and the
//! screening the catalogue suggests.

use std::fmt;

use super::screening::PiiReport;
use super::Finding;

/// A document's [`PiiReport`] as `arkivar pii` prints it; its [`Display`](fmt::Display) writes a
/// line per finding (kind, character span, score, the value), then the kinds found and the
/// screening suggested, each line indented by two spaces and ending in a newline.
///
/// Values are shown masked unless `unmasked` is set: then they are shown in clear text, as
/// `text` has them.
#[derive(Debug, Clone, Copy)]
pub struct ReportText<'a> {
    /// The review of `text`.
    pub report: &'a PiiReport,
    /// The text reviewed (where unmasked values are read from).
    pub text: &'a str,
    /// Show personal data in clear text instead of masked.
    pub unmasked: bool,
}

impl ReportText<'_> {
    /// The value of `finding` as shown: masked, or the span of the text in clear.
    fn shown(&self, finding: &Finding) -> String {
        if self.unmasked {
            self.text
                .chars()
                .skip(finding.start)
                .take(finding.end.saturating_sub(finding.start))
                .collect()
        } else {
            finding.masked.clone()
        }
    }
}

impl fmt::Display for ReportText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for finding in &self.report.findings {
            writeln!(
                f,
                "  {:<20} {:>7}..{:<7} {:.2}  {}",
                finding.kind.as_str(),
                finding.start,
                finding.end,
                finding.score,
                self.shown(finding)
            )?;
        }
        let kinds: Vec<&str> = self.report.kinds.iter().map(|k| k.as_str()).collect();
        let kinds = kinds.join(", ");
        match &self.report.rule {
            Some((rule, score)) => writeln!(
                f,
                "  kinds: {kinds}; suggested screening: {} ({}), score {score:.2}",
                rule.screening.hjemmel, rule.id
            ),
            None => writeln!(f, "  kinds: {kinds}; no screening suggested"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::pii::screening::review;

    const TEXT: &str = "Søker: fnr. 01019012138.";

    fn lines(unmasked: bool) -> Vec<String> {
        let report = review(TEXT, &Catalog::default_catalog());
        let text = ReportText {
            report: &report,
            text: TEXT,
            unmasked,
        }
        .to_string();
        text.lines().map(str::to_string).collect()
    }

    #[test]
    fn findings_are_masked_unless_asked() {
        let masked = lines(false);
        assert_eq!(
            masked[0],
            "  fodselsnummer             12..23      0.99  010190*****"
        );
        assert!(masked.iter().all(|l| !l.contains("01019012138")));
        let clear = lines(true);
        assert!(clear[0].ends_with("  01019012138"), "{clear:?}");
        assert_eq!(masked[1..], clear[1..]);
    }

    #[test]
    fn nothing_found_says_so() {
        let report = review("Ingen personopplysninger her.", &Catalog::default_catalog());
        let text = ReportText {
            report: &report,
            text: "",
            unmasked: false,
        };
        assert_eq!(text.to_string(), "  kinds: ; no screening suggested\n");
    }
}
