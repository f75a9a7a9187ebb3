//! Finding the personal data in a letter's canonical text: the truth's character spans.

use super::document::{Pii, PiiKind};

/// Every occurrence of personal data in `text` (a letter's canonical text): the names in
/// `persons` (also in capitals, as a title may write them) and the `found` values, each
/// bounded by non-alphanumeric characters; an address followed by ", " or a new line and a
/// `poststed` includes it. Overlaps keep the earlier, then the longer match.
pub(super) fn locate(
    text: &str,
    persons: &[String],
    found: &[(PiiKind, String)],
    poststeder: &[String],
) -> Vec<Pii> {
    let alnum_before = |i: usize| {
        text[..i]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
    };
    let alnum_at = |j: usize| text[j..].chars().next().is_some_and(char::is_alphanumeric);
    let mut spans: Vec<(usize, usize, PiiKind)> = Vec::new();
    let mut search = |needle: &str, kind: PiiKind| {
        if needle.is_empty() {
            return;
        }
        for (i, _) in text.match_indices(needle) {
            let mut end = i + needle.len();
            if alnum_before(i) || alnum_at(end) {
                continue;
            }
            if kind == PiiKind::Epost && text[..i].ends_with(['.', '-', '_', '+']) {
                continue;
            }
            if kind == PiiKind::Adresse {
                for sep in [", ", "\n"] {
                    let rest = &text[end..];
                    if let Some(after) = rest.strip_prefix(sep) {
                        if let Some(p) = poststeder.iter().find(|p| {
                            after.starts_with(p.as_str()) && !alnum_at(end + sep.len() + p.len())
                        }) {
                            end += sep.len() + p.len();
                            break;
                        }
                    }
                }
            }
            spans.push((i, end, kind));
        }
    };
    for name in persons {
        search(name, PiiKind::Navn);
        let upper = name.to_uppercase();
        if upper != *name {
            search(&upper, PiiKind::Navn);
        }
    }
    for (kind, value) in found {
        search(value, *kind);
        if *kind == PiiKind::Adresse {
            let upper = value.to_uppercase();
            if upper != *value {
                search(&upper, *kind);
            }
        }
    }
    spans.sort_by_key(|&(start, end, kind)| (start, std::cmp::Reverse(end), kind));
    let mut kept: Vec<(usize, usize, PiiKind)> = Vec::with_capacity(spans.len());
    for s in spans {
        if kept.last().is_none_or(|last| s.0 >= last.1) {
            kept.push(s);
        }
    }
    // Byte offsets to character offsets in one pass (offsets ascend).
    let mut out = Vec::with_capacity(kept.len());
    let mut chars = 0usize;
    let mut byte = 0usize;
    let mut to_char = |b: usize| {
        chars += text[byte..b].chars().count();
        byte = b;
        chars
    };
    for (start, end, kind) in kept {
        let cs = to_char(start);
        let ce = to_char(end);
        out.push(Pii {
            kind,
            value: text[start..end].to_string(),
            start: cs,
            end: ce,
        });
    }
    out
}
