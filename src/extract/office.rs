//! DOCX and ODT: a zip package with an XML body whose text runs are read in document order.

use std::io::{Cursor, Read};

use quick_xml::events::Event;

use super::{ExtractStatus, FileFormat, Limits};

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
}

impl OfficeError {
    /// The extraction status this error gives the row.
    pub fn status(&self) -> ExtractStatus {
        match self {
            OfficeError::Zip(_) | OfficeError::Xml(_) => ExtractStatus::Corrupt,
            OfficeError::Encrypted => ExtractStatus::Encrypted,
            OfficeError::TooLarge(_) => ExtractStatus::TooLarge,
        }
    }
}

/// Extracts the body text of a DOCX or ODT document, one paragraph a line.
pub fn extract(format: FileFormat, bytes: &[u8], limits: &Limits) -> Result<String, OfficeError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| OfficeError::Zip(e.to_string()))?;
    let body = match format {
        FileFormat::Docx => "word/document.xml",
        _ => "content.xml",
    };
    if format == FileFormat::Odt && odf_is_encrypted(&mut archive, limits) {
        return Err(OfficeError::Encrypted);
    }
    let xml = read_entry(&mut archive, body, limits)?;
    let text = match format {
        FileFormat::Docx => body_text(&xml, &DOCX),
        _ => body_text(&xml, &ODF),
    };
    text.map_err(OfficeError::Xml)
}

fn read_entry(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    limits: &Limits,
) -> Result<Vec<u8>, OfficeError> {
    let entry = archive
        .by_name(name)
        .map_err(|e| OfficeError::Zip(format!("{name}: {e}")))?;
    let mut out = Vec::new();
    // Read one byte past the limit to tell "exactly at the limit" from "over it".
    entry
        .take(limits.max_bytes + 1)
        .read_to_end(&mut out)
        .map_err(|e| OfficeError::Zip(format!("{name}: {e}")))?;
    if out.len() as u64 > limits.max_bytes {
        return Err(OfficeError::TooLarge(limits.max_bytes));
    }
    Ok(out)
}

fn odf_is_encrypted(archive: &mut zip::ZipArchive<Cursor<&[u8]>>, limits: &Limits) -> bool {
    read_entry(archive, "META-INF/manifest.xml", limits)
        .map(|m| m.windows(15).any(|w| w == b"encryption-data"))
        .unwrap_or(false)
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

fn body_text(xml: &[u8], dialect: &Dialect) -> Result<String, String> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut out = String::new();
    let mut buf = Vec::new();
    // DOCX keeps text only inside <w:t>; ODF keeps it anywhere inside a paragraph.
    let mut in_text = 0usize;
    loop {
        match reader
            .read_event_into(&mut buf)
            .map_err(|e| e.to_string())?
        {
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
            Event::Text(t) if in_text > 0 => out.push_str(&t.decode().map_err(|e| e.to_string())?),
            Event::GeneralRef(r) if in_text > 0 => crate::xml_text::push_entity(&mut out, &r),
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
        let text = extract(FileFormat::Docx, &bytes, &Limits::default()).unwrap();
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
        let text = extract(FileFormat::Odt, &bytes, &Limits::default()).unwrap();
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
            extract(FileFormat::Docx, &bytes, &limits)
                .unwrap_err()
                .status(),
            ExtractStatus::TooLarge
        );
        let cut = &bytes[..bytes.len() / 2];
        assert_eq!(
            extract(FileFormat::Docx, cut, &Limits::default())
                .unwrap_err()
                .status(),
            ExtractStatus::Corrupt
        );
    }
}
