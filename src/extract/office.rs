//! DOCX and ODT: a zip package with an XML body whose text runs are read in document order.
//!
//! The body is streamed from the package (decompressed, cut by `xml::capped::CappedXml`, parsed) and never
//! held whole, so a zip bomb costs time, not memory; reading stops once the text limit is
//! passed, at the deadline, or when the body turns out larger than the byte limit.

use std::io::{self, BufReader, Cursor, Read};

use quick_xml::events::Event;

use super::{Deadline, ExtractStatus, FileFormat, Limits};
use crate::xml::CappedXml;

/// The most bytes of one text run, tag or comment of the body passed to the parser.
const MAX_RUN: usize = 1024 * 1024;
/// The most bytes of the manifest read for its encryption marker.
const MAX_MANIFEST: u64 = 4 * 1024 * 1024;
/// Parser events between two looks at the clock.
const EVENTS_PER_CHECK: u32 = 1024;

/// Why an office document could not be read.
#[derive(Debug, thiserror::Error)]
pub enum OfficeError {
    /// The zip container is damaged.
    #[error("damaged office document: {0}")]
    Zip(String),
    /// The body XML is missing or malformed.
    #[error("damaged office document body: {0}")]
    Xml(String),
    /// The package is encrypted (an encrypted OOXML file is an OLE container, not a zip, but an
    /// ODF package marks encryption in its manifest).
    #[error("the document is encrypted")]
    Encrypted,
    /// The body decompresses to more than the byte limit (a zip bomb or a giant document).
    #[error("the document body is larger than {0} bytes")]
    TooLarge(u64),
    /// The deadline passed while the body was read.
    #[error("reading the document took longer than the time limit")]
    Timeout,
}

impl OfficeError {
    /// The extraction status this error gives the row.
    pub fn status(&self) -> ExtractStatus {
        match self {
            OfficeError::Zip(_) | OfficeError::Xml(_) => ExtractStatus::Corrupt,
            OfficeError::Encrypted => ExtractStatus::Encrypted,
            OfficeError::TooLarge(_) => ExtractStatus::TooLarge,
            OfficeError::Timeout => ExtractStatus::Timeout,
        }
    }
}

/// Extracts the body text of a DOCX or ODT document, one paragraph a line. The text may run
/// past `limits.max_text_chars` by one run (the caller cuts it and records the cut).
pub fn extract(
    format: FileFormat,
    bytes: &[u8],
    limits: &Limits,
    deadline: Deadline,
) -> Result<String, OfficeError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| OfficeError::Zip(e.to_string()))?;
    let (body, dialect) = match format {
        FileFormat::Docx => ("word/document.xml", &DOCX),
        _ => ("content.xml", &ODF),
    };
    if format == FileFormat::Odt && odf_is_encrypted(&mut archive) {
        return Err(OfficeError::Encrypted);
    }
    let entry = archive
        .by_name(body)
        .map_err(|e| OfficeError::Zip(format!("{body}: {e}")))?;
    let limited = AtMost {
        inner: entry,
        left: limits.max_bytes,
    };
    let xml = CappedXml::new(BufReader::with_capacity(64 * 1024, limited), MAX_RUN);
    body_text(xml, dialect, limits.max_text_chars, deadline).map_err(|e| match e {
        quick_xml::Error::Io(io) if io.kind() == io::ErrorKind::FileTooLarge => {
            OfficeError::TooLarge(limits.max_bytes)
        }
        quick_xml::Error::Io(io) if io.kind() == io::ErrorKind::TimedOut => OfficeError::Timeout,
        quick_xml::Error::Io(io) => OfficeError::Zip(format!("{body}: {io}")),
        e => OfficeError::Xml(e.to_string()),
    })
}

/// A reader that fails with [`io::ErrorKind::FileTooLarge`] past `left` bytes: the body's byte
/// limit, checked while it streams.
struct AtMost<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for AtMost<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // Ask for one byte past the limit to tell "exactly at the limit" from "over it".
        let want = buf
            .len()
            .min(usize::try_from(self.left.saturating_add(1)).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        if n as u64 > self.left {
            return Err(io::Error::from(io::ErrorKind::FileTooLarge));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

fn odf_is_encrypted(archive: &mut zip::ZipArchive<Cursor<&[u8]>>) -> bool {
    let Ok(entry) = archive.by_name("META-INF/manifest.xml") else {
        return false;
    };
    let mut manifest = Vec::new();
    entry.take(MAX_MANIFEST).read_to_end(&mut manifest).is_ok()
        && manifest.windows(15).any(|w| w == b"encryption-data")
}

/// Which elements mean what in one office dialect (matched by local name).
struct Dialect {
    /// Elements whose text content is document text.
    text: &'static [&'static str],
    /// Elements that end a paragraph.
    paragraph: &'static [&'static str],
    /// Empty elements that stand for a tab.
    tab: &'static [&'static str],
    /// Empty elements that stand for a line break.
    line_break: &'static [&'static str],
    /// Empty elements that stand for a space (ODF's `text:s`).
    space: &'static [&'static str],
}

const DOCX: Dialect = Dialect {
    text: &["t"],
    paragraph: &["p"],
    tab: &["tab"],
    line_break: &["br", "cr"],
    space: &[],
};

const ODF: Dialect = Dialect {
    text: &["p", "h", "span", "a"],
    paragraph: &["p", "h"],
    tab: &["tab"],
    line_break: &["line-break"],
    space: &["s"],
};

/// The text of a streamed body, until its end or past `max_chars` characters (by at most one
/// event's text). A passed
/// `deadline` is an [`io::ErrorKind::TimedOut`] error.
fn body_text(
    xml: impl io::BufRead,
    dialect: &Dialect,
    max_chars: usize,
    deadline: Deadline,
) -> Result<String, quick_xml::Error> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut out = String::new();
    let mut buf = Vec::new();
    // DOCX keeps text only inside <w:t>; ODF keeps it anywhere inside a paragraph.
    let mut in_text = 0usize;
    let mut events = 0u32;
    loop {
        events = events.wrapping_add(1);
        if events.is_multiple_of(EVENTS_PER_CHECK) && deadline.passed() {
            return Err(quick_xml::Error::Io(
                io::Error::from(io::ErrorKind::TimedOut).into(),
            ));
        }
        // A character is at most four bytes: past this, there is more text than is kept.
        if out.len() > max_chars.saturating_mul(4) {
            break;
        }
        match reader.read_event_into(&mut buf)? {
            Event::Start(e) if dialect.text.contains(&local(e.local_name().as_ref())) => {
                in_text += 1;
            }
            Event::Empty(e) => {
                let local_name = e.local_name();
                let name = local(local_name.as_ref());
                if dialect.tab.contains(&name) {
                    out.push('\t');
                } else if dialect.line_break.contains(&name) || dialect.paragraph.contains(&name) {
                    out.push('\n');
                } else if dialect.space.contains(&name) {
                    let count = e
                        .attributes()
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == b"c")
                        .and_then(|a| String::from_utf8_lossy(&a.value).parse::<usize>().ok())
                        .unwrap_or(1);
                    out.extend(std::iter::repeat_n(' ', count.min(1000)));
                }
            }
            Event::Text(t) if in_text > 0 => out.push_str(&t.decode()?),
            Event::GeneralRef(r) if in_text > 0 => crate::xml::push_entity(&mut out, &r),
            Event::End(e) => {
                let local_name = e.local_name();
                let name = local(local_name.as_ref());
                if dialect.text.contains(&name) {
                    in_text = in_text.saturating_sub(1);
                }
                if dialect.paragraph.contains(&name) {
                    out.push('\n');
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out.trim_end().to_string())
}

fn local(name: &[u8]) -> &str {
    std::str::from_utf8(name).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// Builds a real zip package with the given entries.
    pub(crate) fn package(entries: &[(&str, &str)]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, body) in entries {
            zip.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(body.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn docx_paragraphs_tabs_and_split_runs() {
        let doc = r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Vedtak om tillatelse</w:t></w:r><w:r><w:t xml:space="preserve"> – </w:t></w:r><w:r><w:t>gnr</w:t></w:r><w:r><w:tab/><w:t>12 &amp; 13</w:t></w:r></w:p>
<w:p><w:r><w:t>Blåbær</w:t></w:r><w:r><w:br/><w:t>ærlig</w:t></w:r></w:p></w:body></w:document>"#;
        let bytes = package(&[
            ("[Content_Types].xml", "<Types/>"),
            ("word/document.xml", doc),
        ]);
        assert_eq!(FileFormat::detect(&bytes, None), FileFormat::Docx);
        let text = extract(
            FileFormat::Docx,
            &bytes,
            &Limits::default(),
            Deadline::NEVER,
        )
        .unwrap();
        assert_eq!(text, "Vedtak om tillatelse – gnr\t12 & 13\nBlåbær\nærlig");
    }

    #[test]
    fn odt_spaces_and_headings() {
        let content = r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>
<text:h>Møtereferat</text:h><text:p>Sak<text:s text:c="2"/>12/<text:span>24</text:span></text:p></office:text></office:body></office:document-content>"#;
        let bytes = package(&[
            ("mimetype", "application/vnd.oasis.opendocument.text"),
            ("content.xml", content),
        ]);
        assert_eq!(FileFormat::detect(&bytes, None), FileFormat::Odt);
        let text = extract(FileFormat::Odt, &bytes, &Limits::default(), Deadline::NEVER).unwrap();
        assert_eq!(text.trim(), "Møtereferat\nSak  12/24");
    }

    #[test]
    fn zip_bomb_is_too_large_and_garbage_is_corrupt() {
        let big = "<w:document><w:body><w:p><w:t>".to_string()
            + &"a".repeat(10_000)
            + "</w:t></w:p></w:body></w:document>";
        let bytes = package(&[("word/document.xml", &big)]);
        let limits = Limits {
            max_bytes: 1000,
            ..Limits::default()
        };
        assert_eq!(
            extract(FileFormat::Docx, &bytes, &limits, Deadline::NEVER)
                .unwrap_err()
                .status(),
            ExtractStatus::TooLarge
        );
        let cut = &bytes[..bytes.len() / 2];
        assert_eq!(
            extract(FileFormat::Docx, cut, &Limits::default(), Deadline::NEVER)
                .unwrap_err()
                .status(),
            ExtractStatus::Corrupt
        );
    }

    #[test]
    fn a_bomb_streams_in_bounded_memory_and_stops_at_the_text_limit_or_the_deadline() {
        // 64 MiB of text in one run: cut to one run's worth by the filter, then to the limit.
        let body = format!(
            "<w:document><w:body><w:p><w:t>{}</w:t></w:p><w:p><w:t>slutt</w:t></w:p></w:body></w:document>",
            "a".repeat(64 << 20)
        );
        let bytes = package(&[("word/document.xml", &body)]);
        drop(body);
        assert!(bytes.len() < 1 << 20, "{} bytes compressed", bytes.len());
        let limits = Limits {
            max_text_chars: 1000,
            ..Limits::default()
        };
        let text = extract(FileFormat::Docx, &bytes, &limits, Deadline::NEVER).unwrap();
        assert!(text.len() > 1000 && text.len() < MAX_RUN, "{}", text.len());
        let past = Deadline::after(std::time::Duration::ZERO);
        let many_paragraphs = format!(
            "<w:document><w:body>{}</w:body></w:document>",
            "<w:p/>".repeat(100_000)
        );
        let bytes = package(&[("word/document.xml", &many_paragraphs)]);
        assert_eq!(
            extract(FileFormat::Docx, &bytes, &Limits::default(), past)
                .unwrap_err()
                .status(),
            ExtractStatus::Timeout
        );
    }
}
