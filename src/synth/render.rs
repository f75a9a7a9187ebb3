//! The file of one letter in each format an export has (PDF with a text layer, scanned PDF,
//! cut-off PDF, DOCX, ODT, TXT), and how often each occurs.

use super::letters::Letter;
use super::noark5_xml::FORMAT_PDFA_1B;
use super::office;
use super::pdf::{self, FontFlavor, Line, PdfSpec, Run};
use super::rng::Rng;

/// The file kinds of a synthetic export, in the proportions a kommune has them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FileKind {
    /// PDF with a text layer.
    Pdf,
    /// Word document.
    Docx,
    /// OpenDocument text.
    Odt,
    /// Plain text.
    Txt,
    /// A scan: image-only pages, no text layer.
    ScannedPdf,
    /// A transfer cut short: the first half of a PDF.
    BrokenPdf,
}

impl FileKind {
    /// Every kind.
    pub const ALL: [FileKind; 6] = [
        FileKind::Pdf,
        FileKind::Docx,
        FileKind::Odt,
        FileKind::Txt,
        FileKind::ScannedPdf,
        FileKind::BrokenPdf,
    ];

    /// A kind drawn in the proportions a kommune has them.
    pub fn pick(rng: &mut Rng) -> FileKind {
        match rng.below(100) {
            0..78 => FileKind::Pdf,
            78..86 => FileKind::Docx,
            86..91 => FileKind::Odt,
            91..95 => FileKind::Txt,
            95..98 => FileKind::ScannedPdf,
            _ => FileKind::BrokenPdf,
        }
    }

    /// The name in the summary and the truth (`pdf`, `pdf-scan`, …).
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Docx => "docx",
            FileKind::Odt => "odt",
            FileKind::Txt => "txt",
            FileKind::ScannedPdf => "pdf-scan",
            FileKind::BrokenPdf => "pdf-broken",
        }
    }

    /// Whether the file has a text layer to extract (scans and cut-off files have none).
    pub fn has_text_layer(self) -> bool {
        !matches!(self, FileKind::ScannedPdf | FileKind::BrokenPdf)
    }

    /// The file name extension.
    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Docx => "docx",
            FileKind::Odt => "odt",
            FileKind::Txt => "txt",
            _ => "pdf",
        }
    }

    /// PRONOM ids, as real exports state `format`.
    pub fn pronom(self) -> &'static str {
        match self {
            FileKind::Pdf | FileKind::ScannedPdf => FORMAT_PDFA_1B,
            FileKind::BrokenPdf => "fmt/276",
            FileKind::Docx => "fmt/412",
            FileKind::Odt => "fmt/291",
            FileKind::Txt => "x-fmt/111",
        }
    }
}

/// The file bytes of one letter in one format.
pub(super) fn render(letter: &Letter, kind: FileKind, rng: &mut Rng) -> std::io::Result<Vec<u8>> {
    let io = std::io::Error::other;
    Ok(match kind {
        FileKind::Pdf | FileKind::BrokenPdf => {
            let bytes = pdf::write_pdf(&pdf_spec(letter, rng));
            if kind == FileKind::BrokenPdf {
                // A transfer cut short: the first part of a real file.
                let cut = bytes.len() / 2;
                bytes[..cut].to_vec()
            } else {
                bytes
            }
        }
        FileKind::ScannedPdf => pdf::write_image_only_pdf(1 + rng.below(3) as usize),
        FileKind::Docx => office::docx(&letter.title, &letter.paragraphs).map_err(io)?,
        FileKind::Odt => office::odt(&letter.title, &letter.paragraphs).map_err(io)?,
        FileKind::Txt => {
            let mut text = letter.title.clone();
            for p in &letter.paragraphs {
                text.push_str("\n\n");
                text.push_str(p);
            }
            text.push('\n');
            text.into_bytes()
        }
    })
}

fn pdf_spec(letter: &Letter, rng: &mut Rng) -> PdfSpec {
    let flavor = *rng.choose(&[
        FontFlavor::WinAnsiHelvetica,
        FontFlavor::MacRomanTimes,
        FontFlavor::StandardWithDifferences,
        FontFlavor::Type0IdentityH,
    ]);
    let mut lines = vec![Line {
        runs: vec![Run {
            text: letter.title.clone(),
            bold: true,
        }],
    }];
    for p in &letter.paragraphs {
        lines.push(Line {
            runs: split_bold_inside_a_word(p, rng),
        });
    }
    // About a page's worth of paragraphs per page.
    let pages = lines.chunks(14).map(<[Line]>::to_vec).collect();
    PdfSpec {
        title: letter.title.clone(),
        pages,
        flavor,
        word_gaps_by_positioning: rng.chance(0.5),
        use_form_xobject: rng.chance(0.1),
    }
}

/// Sometimes switches font in the middle of a word ("uttalelse" bold, "r" regular), as word
/// processors do around tracked changes and styles; extraction must not split the word.
fn split_bold_inside_a_word(paragraph: &str, rng: &mut Rng) -> Vec<Run> {
    let plain = || {
        vec![Run {
            text: paragraph.to_string(),
            bold: false,
        }]
    };
    if !rng.chance(0.2) {
        return plain();
    }
    let words: Vec<(usize, &str)> = paragraph
        .split(' ')
        .scan(0usize, |pos, w| {
            let start = *pos;
            *pos += w.len() + 1;
            Some((start, w))
        })
        .filter(|(_, w)| w.chars().count() >= 6 && w.chars().all(char::is_alphabetic))
        .collect();
    if words.is_empty() {
        return plain();
    }
    let (start, word) = *rng.choose(&words);
    let cut = start
        + word
            .char_indices()
            .nth(word.chars().count() - 1)
            .map_or(0, |(i, _)| i);
    vec![
        Run {
            text: paragraph[..start].to_string(),
            bold: false,
        },
        Run {
            text: paragraph[start..cut].to_string(),
            bold: true,
        },
        Run {
            text: paragraph[cut..].to_string(),
            bold: false,
        },
    ]
}
