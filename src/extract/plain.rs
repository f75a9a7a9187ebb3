//! Plain text and HTML: decoding bytes of unknown encoding, and HTML to text.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// Decodes text: a BOM (UTF-8, UTF-16LE/BE) decides when present; otherwise valid UTF-8 is
/// UTF-8, and anything else is read as Windows-1252 (a superset of ISO-8859-1's printable
/// range, which is what older Norwegian systems wrote).
///
/// ```
/// assert_eq!(arkivar::extract::plain::decode(b"bl\xe5b\xe6r"), "blåbær");
/// assert_eq!(arkivar::extract::plain::decode("blåbær".as_bytes()), "blåbær");
/// ```
pub fn decode(bytes: &[u8]) -> String {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return text.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        // A cut inside the last UTF-8 sequence (a prefix sample) is still UTF-8.
        Err(e) if e.error_len().is_none() => {
            UTF_8.decode_without_bom_handling(bytes).0.into_owned()
        }
        Err(_) => WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
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
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    let mut hidden_until: Option<String> = None;
    while let Some(lt) = rest.find('<') {
        if hidden_until.is_none() {
            out.push_str(&html_escape::decode_html_entities(&rest[..lt]));
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
            None if BLOCKS.contains(&name.as_str()) => out.push('\n'),
            None => {}
        }
    }
    if hidden_until.is_none() {
        out.push_str(&html_escape::decode_html_entities(rest));
    }
    tidy_lines(&out)
}

/// Collapses runs of spaces within lines and drops empty lines.
fn tidy_lines(text: &str) -> String {
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
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
