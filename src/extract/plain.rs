//! Plain text and HTML: decoding bytes of unknown encoding, and HTML to text.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

use super::Deadline;

/// The deadline passed before the text was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimedOut;

/// Bytes decoded between two looks at the clock.
const DECODE_CHUNK: usize = 1 << 20;
/// Tags read between two looks at the clock.
const TAGS_PER_CHECK: usize = 1024;

/// Decodes text: a BOM (UTF-8, UTF-16LE/BE) decides when present; otherwise valid UTF-8 is
/// UTF-8, and anything else is read as Windows-1252 (a superset of ISO-8859-1's printable
/// range, which is what older Norwegian systems wrote).
///
/// ```
/// assert_eq!(arkivar::extract::plain::decode(b"bl\xe5b\xe6r"), "blåbær");
/// assert_eq!(arkivar::extract::plain::decode("blåbær".as_bytes()), "blåbær");
/// ```
pub fn decode(bytes: &[u8]) -> String {
    decode_until(bytes, Deadline::NEVER).unwrap_or_default()
}

/// [`decode`], giving up when `deadline` passes.
pub fn decode_until(bytes: &[u8], deadline: Deadline) -> Result<String, TimedOut> {
    let (encoding, bom_len) = match Encoding::for_bom(bytes) {
        Some(found) => found,
        None => match std::str::from_utf8(bytes) {
            Ok(s) => return Ok(s.to_string()),
            // A cut inside the last UTF-8 sequence (a prefix sample) is still UTF-8.
            Err(e) if e.error_len().is_none() => (UTF_8, 0),
            Err(_) => (WINDOWS_1252, 0),
        },
    };
    let body = &bytes[bom_len..];
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut out = String::new();
    let chunks = body.len().div_ceil(DECODE_CHUNK);
    for (i, chunk) in body.chunks(DECODE_CHUNK).enumerate() {
        if deadline.passed() {
            return Err(TimedOut);
        }
        let room = decoder
            .max_utf8_buffer_length(chunk.len())
            .unwrap_or(chunk.len().saturating_mul(3));
        out.reserve(room);
        let _ = decoder.decode_to_string(chunk, &mut out, i + 1 == chunks);
    }
    Ok(out)
}

/// Elements whose content is not text a reader sees.
const HIDDEN: [&str; 4] = ["script", "style", "head", "template"];
/// Elements that end a line of text.
const BLOCKS: [&str; 18] = [
    "p",
    "div",
    "br",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "ul",
    "ol",
    "section",
    "article",
    "blockquote",
    "pre",
];

/// The visible text of an HTML document: tags dropped, `script`/`style`/`head` content
/// dropped, entities decoded, block elements on their own lines.
///
/// ```
/// let t = arkivar::extract::plain::html_to_text("<p>Vedtak &amp; klage</p><script>x()</script><p>Bl&aring;</p>");
/// assert_eq!(t, "Vedtak & klage\nBlå");
/// ```
pub fn html_to_text(html: &str) -> String {
    html_to_text_until(html, usize::MAX, Deadline::NEVER).unwrap_or_default()
}

/// [`html_to_text`], stopping once more than `max_chars` characters are out (the caller cuts
/// the excess), and giving up when `deadline` passes.
pub fn html_to_text_until(
    html: &str,
    max_chars: usize,
    deadline: Deadline,
) -> Result<String, TimedOut> {
    let mut out = Tidy::default();
    let mut rest = html;
    let mut hidden_until: Option<String> = None;
    let mut tags = 0usize;
    while let Some(lt) = rest.find('<') {
        tags += 1;
        if tags.is_multiple_of(TAGS_PER_CHECK) && deadline.passed() {
            return Err(TimedOut);
        }
        if out.chars > max_chars {
            return Ok(out.text);
        }
        if hidden_until.is_none() {
            push_text(&mut out, &rest[..lt], max_chars, deadline)?;
        }
        rest = &rest[lt..];
        if rest.starts_with("<!--") {
            rest = rest.find("-->").map_or("", |end| &rest[end + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match &hidden_until {
            Some(h) if closing && *h == name => hidden_until = None,
            Some(_) => {}
            None if !closing && !tag.ends_with('/') && HIDDEN.contains(&name.as_str()) => {
                hidden_until = Some(name)
            }
            None if BLOCKS.contains(&name.as_str()) => out.push_str("\n"),
            None => {}
        }
    }
    if hidden_until.is_none() {
        push_text(&mut out, rest, max_chars, deadline)?;
    }
    Ok(out.text)
}

/// Adds the character data between two tags, entities decoded, a piece at a time: a page that
/// is one enormous text still stops at the deadline and the character limit.
fn push_text(
    out: &mut Tidy,
    mut text: &str,
    max_chars: usize,
    deadline: Deadline,
) -> Result<(), TimedOut> {
    while !text.is_empty() && out.chars <= max_chars {
        if deadline.passed() {
            return Err(TimedOut);
        }
        // Cut after white space (never inside an entity reference) when there is any.
        let mut end = text.len().min(DECODE_CHUNK);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        if end < text.len() {
            if let Some(space) = text[..end].rfind(char::is_whitespace) {
                end = space + 1;
            }
        }
        out.push_str(&html_escape::decode_html_entities(&text[..end]));
        text = &text[end..];
    }
    Ok(())
}

/// Text built tidy as it comes: runs of white space within a line become one space, lines are
/// trimmed, and empty lines are dropped.
#[derive(Default)]
struct Tidy {
    text: String,
    /// Characters in `text`.
    chars: usize,
    /// Whether the current line has text yet.
    in_line: bool,
    /// White space seen after the line's last text.
    space: bool,
    /// A line ended after text: a line break goes before the next text.
    line_break: bool,
}

impl Tidy {
    fn push_str(&mut self, s: &str) {
        for c in s.chars() {
            if c == '\n' {
                self.line_break |= self.in_line;
                self.in_line = false;
                self.space = false;
            } else if c.is_whitespace() {
                self.space |= self.in_line;
            } else {
                if self.line_break {
                    self.text.push('\n');
                    self.chars += 1;
                } else if self.space {
                    self.text.push(' ');
                    self.chars += 1;
                }
                self.line_break = false;
                self.space = false;
                self.in_line = true;
                self.text.push(c);
                self.chars += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_with_bom_and_latin1_fallback() {
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "Søknad".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&utf16), "Søknad");
        let mut be = vec![0xFE, 0xFF];
        for u in "Ærend".encode_utf16() {
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode(&be), "Ærend");
        assert_eq!(decode(b"\xef\xbb\xbfH\xc3\xa5p"), "Håp");
        assert_eq!(decode(b"\xc6RE \x80"), "ÆRE €");
    }

    #[test]
    fn html_hides_head_and_keeps_blocks() {
        let t = html_to_text(
            "<html><head><title>T</title><style>p{}</style></head><body><h1>Møte</h1>\
             <!-- x --><p>Sak&nbsp;1/20 <b>vedtatt</b></p><br/>Slutt</body></html>",
        );
        assert_eq!(t, "Møte\nSak 1/20 vedtatt\nSlutt");
    }
}
