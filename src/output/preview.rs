//! The `text_preview` column: the start of a document's text, safe to show a reviewer.
//!
//! The personal-data stage masks its findings before the preview is cut; as a second line of
//! defence the preview also masks every number-like run that could identify a person or an
//! account (five or more digits, counting digits joined by spaces, dots or dashes), so a number
//! the detectors did not recognise still does not reach the table.

/// Characters of text kept in a preview.
pub const PREVIEW_CHARS: usize = 280;

/// The first [`PREVIEW_CHARS`] characters of `text`, white space collapsed, with identifying
/// numbers masked.
///
/// ```
/// use arkivar::output::preview::preview;
/// assert_eq!(preview("Fnr.  01019012345,\n tlf 22 33 44 55. Sak 2020/12"),
///            "Fnr. ***********, tlf ***********. Sak 2020/12");
/// ```
pub fn preview(text: &str) -> String {
    let collapsed: String = text
        .split_whitespace()
        .flat_map(|w| [" ", w])
        .skip(1)
        .collect();
    let masked = mask_numbers(&collapsed);
    masked.chars().take(PREVIEW_CHARS).collect()
}

/// Whether `c` is a digit in any script (ASCII, fullwidth `０`–`９`, Arabic-Indic `٠`–`٩`, …):
/// a number written in other digits identifies a person just as well.
fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric())
}

/// Masks runs of five or more digits (of any script), where a run may continue over one
/// space, dot or dash: the preview's second line of defence. (Messages are masked by
/// `pii::mask_identifiers`, which keeps counts and sizes readable.)
fn mask_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !is_digit(chars[i]) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // Find the extent of the run: digits, with single separators between digits.
        let start = i;
        let mut end = i;
        let mut digits = 0;
        let mut j = i;
        while j < chars.len() {
            if is_digit(chars[j]) {
                digits += 1;
                j += 1;
                end = j;
            } else if matches!(chars[j], ' ' | '.' | '-')
                && chars.get(j + 1).is_some_and(|&c| is_digit(c))
            {
                j += 1;
            } else {
                break;
            }
        }
        if digits >= 5 {
            out.extend(std::iter::repeat_n('*', end - start));
        } else {
            out.extend(&chars[start..end]);
        }
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_numbers_and_case_numbers_stay() {
        assert_eq!(
            preview("Sak 21/1234 gnr 12 bnr 3"),
            "Sak 21/1234 gnr 12 bnr 3"
        );
        assert_eq!(preview("konto 1234.56.78903"), "konto *************");
        assert_eq!(preview(&"æ".repeat(500)).chars().count(), PREVIEW_CHARS);
    }

    #[test]
    fn numbers_in_other_digits_are_masked_too() {
        // A fødselsnummer in fullwidth and in Arabic-Indic digits.
        assert_eq!(
            mask_numbers("fnr ０１０１９０１２３４５."),
            "fnr ***********."
        );
        assert_eq!(mask_numbers("fnr ٠١٠١٩٠١٢٣٤٥"), "fnr ***********");
        assert_eq!(mask_numbers("</29104143669>"), "</***********>");
        assert_eq!(mask_numbers("side ２ av ３"), "side ２ av ３");
    }
}
