//! File format detection from the bytes, with the file name as a tie-breaker.

use std::io::Cursor;

/// A document format (`file_format` in the output).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum FileFormat {
    /// PDF (any version, PDF/A included).
    Pdf,
    /// Office Open XML word-processing document.
    Docx,
    /// OpenDocument (text, or any ODF package with a `content.xml`).
    Odt,
    /// HTML.
    Html,
    /// Plain text in any common encoding.
    Text,
    /// TIFF image (scans).
    Tiff,
    /// JPEG image.
    Jpeg,
    /// PNG image.
    Png,
    /// Legacy binary Word/Office (OLE compound file): not readable by arkivar.
    Doc,
    /// A zip archive that is not an office document.
    Zip,
    /// Anything else.
    Unknown,
}

impl FileFormat {
    /// The stable lower-case name written to the output.
    pub fn as_str(self) -> &'static str {
        match self {
            FileFormat::Pdf => "pdf",
            FileFormat::Docx => "docx",
            FileFormat::Odt => "odt",
            FileFormat::Html => "html",
            FileFormat::Text => "txt",
            FileFormat::Tiff => "tiff",
            FileFormat::Jpeg => "jpeg",
            FileFormat::Png => "png",
            FileFormat::Doc => "doc",
            FileFormat::Zip => "zip",
            FileFormat::Unknown => "unknown",
        }
    }

    /// Detects the format of `bytes`. Magic numbers decide; the name's extension is only used
    /// to tell HTML and plain text apart, and to name a zero-byte file.
    ///
    /// ```
    /// use arkivar::extract::FileFormat;
    /// assert_eq!(FileFormat::detect(b"%PDF-1.7\n...", Some("x.txt")), FileFormat::Pdf);
    /// assert_eq!(FileFormat::detect(b"<html><p>Hei</p>", None), FileFormat::Html);
    /// ```
    pub fn detect(bytes: &[u8], name: Option<&str>) -> FileFormat {
        let ext = name
            .and_then(|n| n.rsplit_once('.'))
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        if bytes.is_empty() {
            return FileFormat::from_extension(&ext);
        }
        let head = &bytes[..bytes.len().min(1024)];
        if find(head, b"%PDF-").is_some() {
            return FileFormat::Pdf;
        }
        if bytes.starts_with(b"PK\x03\x04") {
            return zip_kind(bytes);
        }
        if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
            return FileFormat::Tiff;
        }
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            return FileFormat::Jpeg;
        }
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            return FileFormat::Png;
        }
        if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            return FileFormat::Doc;
        }
        let has_bom = encoding_rs::Encoding::for_bom(bytes).is_some();
        if !has_bom && head.contains(&0) {
            return FileFormat::Unknown;
        }
        let text = super::plain::decode(&bytes[..bytes.len().min(4096)]);
        let lower = text.trim_start().to_ascii_lowercase();
        if matches!(ext.as_str(), "html" | "htm" | "xhtml")
            || lower.starts_with("<!doctype html")
            || lower.starts_with("<html")
        {
            return FileFormat::Html;
        }
        FileFormat::Text
    }

    fn from_extension(ext: &str) -> FileFormat {
        match ext {
            "pdf" => FileFormat::Pdf,
            "docx" => FileFormat::Docx,
            "odt" => FileFormat::Odt,
            "html" | "htm" => FileFormat::Html,
            "txt" | "csv" | "text" => FileFormat::Text,
            "tif" | "tiff" => FileFormat::Tiff,
            "jpg" | "jpeg" => FileFormat::Jpeg,
            "png" => FileFormat::Png,
            "doc" => FileFormat::Doc,
            _ => FileFormat::Unknown,
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn zip_kind(bytes: &[u8]) -> FileFormat {
    let Ok(archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        // No central directory: a damaged package, or only the start of one (`inspect` looks
        // at the first bytes of a large file). The local headers still name the entries.
        return if find(bytes, b"word/document.xml").is_some() {
            FileFormat::Docx
        } else if find(bytes, b"content.xml").is_some() && find(bytes, b"mimetype").is_some() {
            FileFormat::Odt
        } else {
            FileFormat::Zip
        };
    };
    let has = |name: &str| archive.index_for_name(name).is_some();
    if has("word/document.xml") {
        FileFormat::Docx
    } else if has("content.xml") {
        FileFormat::Odt
    } else {
        FileFormat::Zip
    }
}
