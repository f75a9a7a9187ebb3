//! Minimal but valid DOCX and ODT packages for synthetic exports: one paragraph per line.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// Escapes text for XML element content.
fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A fixed timestamp keeps the package bytes identical for the same content.
fn options() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
}

fn package(entries: &[(&str, String)]) -> std::io::Result<Vec<u8>> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, body) in entries {
        // ODF requires `mimetype` first and stored uncompressed.
        let opts = if *name == "mimetype" {
            options().compression_method(CompressionMethod::Stored)
        } else {
            options()
        };
        zip.start_file(*name, opts).map_err(std::io::Error::other)?;
        zip.write_all(body.as_bytes())?;
    }
    Ok(zip.finish().map_err(std::io::Error::other)?.into_inner())
}

/// A Word document (Office Open XML) with one paragraph per entry of `paragraphs`.
pub fn docx(title: &str, paragraphs: &[String]) -> std::io::Result<Vec<u8>> {
    let mut body = String::new();
    body.push_str(&format!(
        "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>{}</w:t></w:r></w:p>",
        esc(title)
    ));
    for p in paragraphs {
        body.push_str(&format!(
            "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
            esc(p)
        ));
    }
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    package(&[
        ("[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>".to_string()),
        ("_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>".to_string()),
        ("word/document.xml", document),
    ])
}

/// An OpenDocument text with a heading and one paragraph per entry of `paragraphs`.
pub fn odt(title: &str, paragraphs: &[String]) -> std::io::Result<Vec<u8>> {
    let mut body = format!("<text:h text:outline-level=\"1\">{}</text:h>", esc(title));
    for p in paragraphs {
        body.push_str(&format!("<text:p>{}</text:p>", esc(p)));
    }
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\"><office:body><office:text>{body}</office:text></office:body></office:document-content>"
    );
    package(&[
        ("mimetype", "application/vnd.oasis.opendocument.text".to_string()),
        ("META-INF/manifest.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\"><manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.text\"/><manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>".to_string()),
        ("content.xml", content),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{extract_bytes, FileFormat, Limits};

    #[test]
    fn written_packages_read_back_through_extraction() {
        let paras = vec![
            "Vi viser til søknad & vedlegg.".to_string(),
            "Med hilsen".to_string(),
        ];
        let d = docx("Vedtak", &paras).unwrap();
        let e = extract_bytes(&d, None, &Limits::default());
        assert_eq!(e.format, FileFormat::Docx);
        assert_eq!(e.text, "Vedtak\nVi viser til søknad & vedlegg.\nMed hilsen");
        let o = odt("Møtereferat", &paras).unwrap();
        let e = extract_bytes(&o, None, &Limits::default());
        assert_eq!(e.format, FileFormat::Odt);
        assert_eq!(
            e.text,
            "Møtereferat\nVi viser til søknad & vedlegg.\nMed hilsen"
        );
        assert_eq!(d, docx("Vedtak", &paras).unwrap(), "deterministic bytes");
    }
}
