//! A small PDF writer for realistic test and sample documents.
//!
//! Municipal archives hold PDFs from many producers, and each encodes text
//! differently. This writer reproduces the common cases on purpose — the
//! standard fonts with WinAnsi, MacRoman and StandardEncoding-plus-Differences
//! encodings, Type0 fonts with two-byte codes, bold switches inside a word,
//! words placed by positioning instead of space characters, text inside form
//! XObjects, scans without a text layer and encrypted files — so that text
//! extraction can be tested against each one and against `pdftotext`.
//!
//! Output is deterministic: the same spec always gives the same bytes (no
//! dates, no random IDs), which keeps fixtures and checksums stable.
//!
//! ```
//! use arkivar::synth::pdf::{write_pdf, FontFlavor, Line, PdfSpec, Run};
//!
//! let spec = PdfSpec {
//!     title: "Vedtak i byggesak".into(),
//!     pages: vec![vec![
//!         Line { runs: vec![Run::bold("uttalelse"), Run::regular("r fra nabo på Årnes")] },
//!         Line::plain("Søknaden er godkjent."),
//!     ]],
//!     flavor: FontFlavor::WinAnsiHelvetica,
//!     word_gaps_by_positioning: true,
//!     use_form_xobject: false,
//! };
//! let bytes = write_pdf(&spec);
//! assert!(bytes.starts_with(b"%PDF-"));
//! ```

use std::collections::BTreeSet;

use lopdf::content::{Content, Operation};
use lopdf::{
    dictionary, Dictionary, Document, EncryptionState, EncryptionVersion, Object, ObjectId,
    Permissions,
};
use lopdf::{Stream, StringFormat};

use crate::extract::pdf::encoding::{glyph_name_for, BaseEncoding};
use crate::extract::pdf::metrics::StandardFont;

/// How the text of a generated PDF is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FontFlavor {
    /// Standard-14 Helvetica (and Helvetica-Bold) with WinAnsiEncoding and
    /// `/Widths` from the Adobe metrics — what most office software writes.
    WinAnsiHelvetica,
    /// Standard-14 Times-Roman (and Times-Bold) with MacRomanEncoding.
    MacRomanTimes,
    /// Helvetica with its built-in StandardEncoding, which lacks æ, ø, å and
    /// the other Latin-1 letters, plus a `/Differences` array that places
    /// them (`/aring`, `/oslash`, `/ae`, …) in free code slots.
    StandardWithDifferences,
    /// A Type0 font with Identity-H two-byte codes over a non-embedded
    /// CIDFontType2, a `/ToUnicode` CMap and `/W` widths.
    Type0IdentityH,
}

/// A stretch of text in one weight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// The text; whitespace separates words, and runs join without a space.
    pub text: String,
    /// Whether the run is set in the bold face.
    pub bold: bool,
}

impl Run {
    /// A regular-weight run.
    pub fn regular(text: &str) -> Run {
        Run {
            text: text.to_string(),
            bold: false,
        }
    }

    /// A bold run.
    pub fn bold(text: &str) -> Run {
        Run {
            text: text.to_string(),
            bold: true,
        }
    }
}

/// One paragraph line of input; it is wrapped to the page width, so it may
/// take several lines on the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The runs of the line, in reading order.
    pub runs: Vec<Run>,
}

impl Line {
    /// A line of regular-weight text.
    pub fn plain(text: &str) -> Line {
        Line {
            runs: vec![Run::regular(text)],
        }
    }
}

/// What [`write_pdf`] should produce.
#[derive(Debug, Clone, PartialEq)]
pub struct PdfSpec {
    /// The document title, stored in the `/Info` dictionary (not drawn).
    pub title: String,
    /// The lines of each page. A page whose lines do not fit continues on an
    /// extra page.
    pub pages: Vec<Vec<Line>>,
    /// The font and encoding used for all text.
    pub flavor: FontFlavor,
    /// Place the words of a line with `Td` moves and `TJ` offsets and write
    /// no space characters at all, so a reader must infer the spaces.
    pub word_gaps_by_positioning: bool,
    /// Draw each page's text inside a form XObject (with its own `/Matrix`
    /// and `/Resources`) instead of directly in the page content.
    pub use_form_xobject: bool,
}

/// A4 in points.
const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
/// Two centimetres.
const MARGIN: f32 = 56.7;
const FONT_SIZE: f32 = 11.0;
const LEADING: f32 = 14.0;
/// Characters an encoding cannot hold are written as this instead.
const REPLACEMENT: char = '?';

/// Writes a text PDF as `spec` describes. The same spec gives the same bytes.
pub fn write_pdf(spec: &PdfSpec) -> Vec<u8> {
    let mut doc = build_text_document(spec);
    save(&mut doc)
}

/// Writes a "scan": `pages` pages, each one full-page greyscale image
/// XObject that looks like lines of print, and no text layer at all.
pub fn write_image_only_pdf(pages: usize) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let mut kids = Vec::new();
    for page in 0..pages {
        let image = doc.add_object(scanned_page_image(page));
        let content = Content {
            operations: vec![
                Operation::new("q", vec![]),
                Operation::new(
                    "cm",
                    vec![
                        PAGE_WIDTH.into(),
                        0.into(),
                        0.into(),
                        PAGE_HEIGHT.into(),
                        0.into(),
                        0.into(),
                    ],
                ),
                Operation::new("Do", vec![Object::Name(b"Im0".to_vec())]),
                Operation::new("Q", vec![]),
            ],
        };
        let content = doc.add_object(Stream::new(dictionary! {}, encode(&content)));
        let resources = dictionary! { "XObject" => dictionary! { "Im0" => image } };
        kids.push(add_page(&mut doc, pages_id, content, resources));
    }
    finish_document(&mut doc, pages_id, kids, "Skannet dokument");
    save(&mut doc)
}

/// Writes a one-page WinAnsi Helvetica PDF with `text` (lines split at
/// `\n`) and encrypts it with the standard security handler: RC4 with a
/// 128-bit key, an empty user password (so `pdftotext` and viewers open it
/// without asking) and a fixed owner password.
pub fn write_encrypted_pdf(text: &str) -> Vec<u8> {
    let spec = PdfSpec {
        title: "Kryptert dokument".into(),
        pages: vec![text.lines().map(Line::plain).collect()],
        flavor: FontFlavor::WinAnsiHelvetica,
        word_gaps_by_positioning: false,
        use_form_xobject: false,
    };
    let mut doc = build_text_document(&spec);
    let version = EncryptionVersion::V2 {
        document: &doc,
        owner_password: "arkivar-eier",
        user_password: "",
        key_length: 128,
        permissions: Permissions::PRINTABLE | Permissions::COPYABLE,
    };
    // Both steps only fail for inputs this function never builds (a missing
    // /ID, an already encrypted document).
    let state =
        EncryptionState::try_from(version).expect("the document has an /ID and supported settings");
    doc.encrypt(&state)
        .expect("a freshly built document is not encrypted yet");
    // Only the first 16 bytes of a revision 3 /U entry are checked; the rest
    // is arbitrary padding that lopdf fills at random. Zeroing it keeps the
    // output deterministic.
    let encrypt_id = doc.trailer.get(b"Encrypt").and_then(Object::as_reference);
    if let Ok(Object::Dictionary(encrypt)) = encrypt_id.and_then(|id| doc.get_object_mut(id)) {
        if let Ok(Object::String(user, _)) = encrypt.get_mut(b"U") {
            user.iter_mut().skip(16).for_each(|byte| *byte = 0);
        }
    }
    save(&mut doc)
}

fn save(doc: &mut Document) -> Vec<u8> {
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes)
        .expect("writing a PDF into memory cannot fail");
    bytes
}

fn encode(content: &Content) -> Vec<u8> {
    content
        .encode()
        .expect("content of numbers, names and strings always encodes")
}

fn build_text_document(spec: &PdfSpec) -> Document {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let fonts = FontSet::new(spec);
    let (regular, bold) = fonts.add_to(&mut doc);
    let font_resources = dictionary! { "F1" => regular, "F2" => bold };

    let mut kids = Vec::new();
    for page_lines in spec.pages.iter().flat_map(|lines| paginate(&fonts, lines)) {
        let text = page_operations(
            &fonts,
            &page_lines,
            spec.word_gaps_by_positioning,
            spec.use_form_xobject,
        );
        let (content, resources) = if spec.use_form_xobject {
            // The form is drawn at the left margin through its /Matrix, so
            // its own coordinates start at x = 0.
            let form = Stream::new(
                dictionary! {
                    "Type" => "XObject",
                    "Subtype" => "Form",
                    "BBox" => vec![(-MARGIN).into(), 0.into(), PAGE_WIDTH.into(), PAGE_HEIGHT.into()],
                    "Matrix" => vec![1.into(), 0.into(), 0.into(), 1.into(), MARGIN.into(), 0.into()],
                    "Resources" => dictionary! { "Font" => font_resources.clone() },
                },
                encode(&Content { operations: text }),
            );
            let form_id = doc.add_object(form);
            let page_content = Content {
                operations: vec![
                    Operation::new("q", vec![]),
                    Operation::new("Do", vec![Object::Name(b"Fm0".to_vec())]),
                    Operation::new("Q", vec![]),
                ],
            };
            let resources = dictionary! { "XObject" => dictionary! { "Fm0" => form_id } };
            (encode(&page_content), resources)
        } else {
            (
                encode(&Content { operations: text }),
                dictionary! { "Font" => font_resources.clone() },
            )
        };
        let content_id = doc.add_object(Stream::new(dictionary! {}, content));
        kids.push(add_page(&mut doc, pages_id, content_id, resources));
    }
    finish_document(&mut doc, pages_id, kids, &spec.title);
    doc
}

fn add_page(
    doc: &mut Document,
    pages_id: ObjectId,
    content: ObjectId,
    resources: Dictionary,
) -> Object {
    let page = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "Contents" => content,
        "Resources" => resources,
    });
    page.into()
}

/// Adds the page tree root, catalog, `/Info` and a content-derived `/ID`,
/// then compresses the streams.
fn finish_document(doc: &mut Document, pages_id: ObjectId, kids: Vec<Object>, title: &str) {
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => count,
            "MediaBox" => vec![0.into(), 0.into(), PAGE_WIDTH.into(), PAGE_HEIGHT.into()],
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    let info = doc.add_object(dictionary! {
        "Title" => text_string(title),
        "Producer" => Object::string_literal("arkivar synth"),
    });
    doc.trailer.set("Root", catalog);
    doc.trailer.set("Info", info);
    doc.compress();
    // A file identifier is required for encryption and expected by
    // archival validators; deriving it from the content keeps the output
    // deterministic.
    let id = fingerprint(doc);
    let id = Object::String(id.to_vec(), StringFormat::Hexadecimal);
    doc.trailer.set("ID", vec![id.clone(), id]);
}

/// A PDF text string: plain ASCII as is, anything else as UTF-16BE with a BOM.
fn text_string(text: &str) -> Object {
    if text.is_ascii() {
        return Object::string_literal(text);
    }
    let mut bytes = vec![0xfe, 0xff];
    bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// Sixteen bytes of FNV-1a over the objects, as a stable file identifier.
fn fingerprint(doc: &Document) -> [u8; 16] {
    let mut hashes = [0xcbf2_9ce4_8422_2325u64, 0x8422_2325_cbf2_9ce4u64];
    let mut feed = |bytes: &[u8]| {
        for (index, hash) in hashes.iter_mut().enumerate() {
            for &byte in bytes {
                *hash ^= u64::from(byte) ^ index as u64;
                *hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        }
    };
    for (id, object) in &doc.objects {
        feed(&id.0.to_be_bytes());
        match object {
            Object::Stream(stream) => feed(&stream.content),
            other => feed(format!("{other:?}").as_bytes()),
        }
    }
    let mut id = [0u8; 16];
    for (chunk, hash) in id.chunks_mut(8).zip(hashes) {
        chunk.copy_from_slice(&hash.to_be_bytes());
    }
    id
}

/// A grey page with dark bars where lines of text would be, 1/4.8 of 72 dpi.
fn scanned_page_image(page: usize) -> Stream {
    const WIDTH: usize = 124;
    const HEIGHT: usize = 175;
    let mut pixels = vec![235u8; WIDTH * HEIGHT];
    for (row, line) in pixels.chunks_mut(WIDTH).enumerate() {
        let in_text_line = row > 12 && row < HEIGHT - 12 && row % 4 == 0;
        // Ragged right edges, different on every page.
        let line_end = WIDTH - 12 - (row * 7 + page * 13) % 30;
        for (column, pixel) in line.iter_mut().enumerate() {
            if in_text_line && column > 12 && column < line_end {
                *pixel = 40;
            }
        }
    }
    let mut stream = Stream::new(
        dictionary! {
            "Type" => "XObject",
            "Subtype" => "Image",
            "Width" => WIDTH as i64,
            "Height" => HEIGHT as i64,
            "ColorSpace" => "DeviceGray",
            "BitsPerComponent" => 8,
        },
        pixels,
    );
    // Compression failure would only leave the image uncompressed.
    let _ = stream.compress();
    stream
}

/// A word: segments of text that follow each other without a gap, each in
/// one weight ("uttalelse" bold then "r" regular is one word).
type Word = Vec<(String, bool)>;

/// Splits a line into words, keeping weight changes inside words.
fn words_of(line: &Line) -> Vec<Word> {
    let mut words = Vec::new();
    let mut current: Word = Vec::new();
    for run in &line.runs {
        for ch in run.text.chars() {
            if ch.is_whitespace() {
                if !current.is_empty() {
                    words.push(std::mem::take(&mut current));
                }
                continue;
            }
            match current.last_mut() {
                Some((text, bold)) if *bold == run.bold => text.push(ch),
                _ => current.push((ch.to_string(), run.bold)),
            }
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Wraps lines to the text width and splits them into pages.
fn paginate(fonts: &FontSet, lines: &[Line]) -> Vec<Vec<Vec<Word>>> {
    let max_width = PAGE_WIDTH - 2.0 * MARGIN;
    let lines_per_page = ((PAGE_HEIGHT - 2.0 * MARGIN) / LEADING) as usize;
    let mut visual: Vec<Vec<Word>> = Vec::new();
    for line in lines {
        let mut current: Vec<Word> = Vec::new();
        let mut width = 0.0;
        for word in words_of(line) {
            let word_width = fonts.word_width(&word);
            let needed = if current.is_empty() {
                word_width
            } else {
                width + fonts.space_width() + word_width
            };
            if needed > max_width && !current.is_empty() {
                visual.push(std::mem::take(&mut current));
                width = word_width;
            } else {
                width = needed;
            }
            current.push(word);
        }
        // An empty input line stays an empty line on the page.
        visual.push(current);
    }
    let mut pages: Vec<Vec<Vec<Word>>> = visual
        .chunks(lines_per_page.max(1))
        .map(<[_]>::to_vec)
        .collect();
    if pages.is_empty() {
        pages.push(Vec::new());
    }
    pages
}

/// The text operators for one page.
fn page_operations(
    fonts: &FontSet,
    lines: &[Vec<Word>],
    by_positioning: bool,
    in_form: bool,
) -> Vec<Operation> {
    let left = if in_form { 0.0 } else { MARGIN };
    let mut ops = vec![
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec![Object::Name(b"F1".to_vec()), FONT_SIZE.into()]),
        Operation::new("TL", vec![LEADING.into()]),
        Operation::new("Td", vec![left.into(), (PAGE_HEIGHT - MARGIN).into()]),
    ];
    let mut bold = false;
    let space = fonts.space_width();
    // Word gap in TJ units: thousandths of the font size.
    let space_thousandths = space / FONT_SIZE * 1000.0;
    for (index, line) in lines.iter().enumerate() {
        if index > 0 {
            ops.push(Operation::new("T*", vec![]));
        }
        // With positioning, `line_x` is where the last Td put the line
        // matrix and `pen_x` where the next glyph goes, both from the left
        // edge of the text line.
        let mut line_x = 0.0f32;
        let mut pen_x = 0.0f32;
        for (word_index, word) in line.iter().enumerate() {
            let gap_by_td = word_index % 2 == 0;
            if word_index > 0 && by_positioning && gap_by_td {
                pen_x += space;
                ops.push(Operation::new(
                    "Td",
                    vec![(pen_x - line_x).into(), 0.into()],
                ));
                line_x = pen_x;
            }
            let next_gap_by_tj =
                by_positioning && word_index + 1 < line.len() && (word_index + 1) % 2 == 1;
            for (segment_index, (text, segment_bold)) in word.iter().enumerate() {
                if *segment_bold != bold {
                    bold = *segment_bold;
                    let name = if bold { "F2" } else { "F1" };
                    ops.push(Operation::new(
                        "Tf",
                        vec![Object::Name(name.as_bytes().to_vec()), FONT_SIZE.into()],
                    ));
                }
                let mut shown = String::new();
                if word_index > 0 && segment_index == 0 && !by_positioning {
                    shown.push(' ');
                }
                shown.push_str(text);
                let string = fonts.encode(&shown);
                pen_x += fonts.text_width(text, bold);
                let last_segment = segment_index + 1 == word.len();
                if last_segment && next_gap_by_tj {
                    ops.push(Operation::new(
                        "TJ",
                        vec![vec![string, (-space_thousandths).into()].into()],
                    ));
                    pen_x += space;
                } else {
                    ops.push(Operation::new("Tj", vec![string]));
                }
            }
        }
        if line_x != 0.0 {
            // Back to the line start, so T* moves straight down.
            ops.push(Operation::new("Td", vec![(-line_x).into(), 0.into()]));
        }
    }
    ops.push(Operation::new("ET", vec![]));
    ops
}

/// The fonts of one document and how to encode text for them.
struct FontSet {
    flavor: FontFlavor,
    regular: StandardFont,
    bold: StandardFont,
    encoding: TextEncoding,
}

enum TextEncoding {
    /// One byte per character: a base encoding plus extra code slots that a
    /// `/Differences` array assigns.
    Simple {
        base: BaseEncoding,
        extra: Vec<(u8, char)>,
    },
    /// Two-byte CIDs: CID n + 1 is the n-th character of the list.
    Cid { chars: Vec<char> },
}

impl FontSet {
    fn new(spec: &PdfSpec) -> FontSet {
        let used: BTreeSet<char> = spec
            .pages
            .iter()
            .flatten()
            .flat_map(|line| &line.runs)
            .flat_map(|run| run.text.chars())
            .filter(|ch| !ch.is_whitespace())
            .chain([' ', REPLACEMENT])
            .collect();
        let (regular, bold, encoding) = match spec.flavor {
            FontFlavor::WinAnsiHelvetica => (
                StandardFont::Helvetica,
                StandardFont::HelveticaBold,
                TextEncoding::Simple {
                    base: BaseEncoding::WinAnsi,
                    extra: Vec::new(),
                },
            ),
            FontFlavor::MacRomanTimes => (
                StandardFont::TimesRoman,
                StandardFont::TimesBold,
                TextEncoding::Simple {
                    base: BaseEncoding::MacRoman,
                    extra: Vec::new(),
                },
            ),
            FontFlavor::StandardWithDifferences => {
                // Slots StandardEncoding leaves empty, lowest first.
                let free =
                    (0x80..=0xffu8).filter(|&code| BaseEncoding::Standard.decode(code).is_none());
                // Every character outside ASCII goes through /Differences,
                // even æ and ø that StandardEncoding has, as many producers
                // do; so do the two ASCII quotes it replaces with curly ones.
                let missing = used.iter().copied().filter(|&ch| {
                    !(ch.is_ascii() && BaseEncoding::Standard.encode(ch) == u8::try_from(ch).ok())
                });
                let extra = free.zip(missing).collect();
                (
                    StandardFont::Helvetica,
                    StandardFont::HelveticaBold,
                    TextEncoding::Simple {
                        base: BaseEncoding::Standard,
                        extra,
                    },
                )
            }
            FontFlavor::Type0IdentityH => (
                StandardFont::Helvetica,
                StandardFont::HelveticaBold,
                TextEncoding::Cid {
                    chars: used.into_iter().collect(),
                },
            ),
        };
        FontSet {
            flavor: spec.flavor,
            regular,
            bold,
            encoding,
        }
    }

    /// The code of `ch`, or of the replacement character when the encoding
    /// has no room for it.
    fn code(&self, ch: char) -> u32 {
        let lookup = |ch: char| match &self.encoding {
            TextEncoding::Simple { base, extra } => extra
                .iter()
                .find(|(_, extra_ch)| *extra_ch == ch)
                .map(|(code, _)| *code)
                .or_else(|| base.encode(ch))
                .map(u32::from),
            TextEncoding::Cid { chars } => {
                chars.binary_search(&ch).ok().map(|index| index as u32 + 1)
            }
        };
        lookup(ch).or_else(|| lookup(REPLACEMENT)).unwrap_or(32)
    }

    fn encode(&self, text: &str) -> Object {
        match self.encoding {
            TextEncoding::Simple { .. } => {
                let bytes = text.chars().map(|ch| self.code(ch) as u8).collect();
                Object::String(bytes, StringFormat::Literal)
            }
            TextEncoding::Cid { .. } => {
                let bytes = text
                    .chars()
                    .flat_map(|ch| (self.code(ch) as u16).to_be_bytes())
                    .collect();
                Object::String(bytes, StringFormat::Hexadecimal)
            }
        }
    }

    /// The character a code stands for (the inverse of [`FontSet::code`]).
    fn char_of(&self, code: u32) -> Option<char> {
        match &self.encoding {
            TextEncoding::Simple { base, extra } => {
                let code = u8::try_from(code).ok()?;
                base.decode(code).or_else(|| {
                    extra
                        .iter()
                        .find(|(slot, _)| *slot == code)
                        .map(|(_, ch)| *ch)
                })
            }
            TextEncoding::Cid { chars } => chars
                .get(usize::try_from(code).ok()?.checked_sub(1)?)
                .copied(),
        }
    }

    /// Advance of one character in thousandths of an em, as written into
    /// `/Widths` or `/W`.
    fn glyph_width(&self, ch: char, bold: bool) -> f32 {
        let font = if bold { self.bold } else { self.regular };
        let ch = if self.code(ch) == self.code(REPLACEMENT) {
            REPLACEMENT
        } else {
            ch
        };
        font.width(&glyph_name_for(ch)).map_or(500.0, f32::from)
    }

    fn text_width(&self, text: &str, bold: bool) -> f32 {
        text.chars()
            .map(|ch| self.glyph_width(ch, bold))
            .sum::<f32>()
            * FONT_SIZE
            / 1000.0
    }

    fn word_width(&self, word: &Word) -> f32 {
        word.iter()
            .map(|(text, bold)| self.text_width(text, *bold))
            .sum()
    }

    fn space_width(&self) -> f32 {
        self.text_width(" ", false)
    }

    /// Adds the regular and bold font objects; returns their ids.
    fn add_to(&self, doc: &mut Document) -> (ObjectId, ObjectId) {
        let regular = self.font_dictionary(doc, false);
        let bold = self.font_dictionary(doc, true);
        (doc.add_object(regular), doc.add_object(bold))
    }

    fn base_font_name(&self, bold: bool) -> &'static str {
        match (self.flavor, bold) {
            (FontFlavor::MacRomanTimes, false) => "Times-Roman",
            (FontFlavor::MacRomanTimes, true) => "Times-Bold",
            (FontFlavor::Type0IdentityH, false) => "Arial",
            (FontFlavor::Type0IdentityH, true) => "Arial,Bold",
            (_, false) => "Helvetica",
            (_, true) => "Helvetica-Bold",
        }
    }

    fn font_dictionary(&self, doc: &mut Document, bold: bool) -> Dictionary {
        let base_font = self.base_font_name(bold);
        match &self.encoding {
            TextEncoding::Simple { base, extra } => {
                let widths: Vec<Object> = (32..=255u32)
                    .map(|code| {
                        self.char_of(code)
                            .map_or(0.0, |ch| self.glyph_width(ch, bold))
                    })
                    .map(|width| Object::Integer(width.round() as i64))
                    .collect();
                let encoding: Object = match base {
                    BaseEncoding::WinAnsi => "WinAnsiEncoding".into(),
                    BaseEncoding::MacRoman => "MacRomanEncoding".into(),
                    // No /BaseEncoding: the font's built-in StandardEncoding.
                    BaseEncoding::Standard => {
                        let mut differences = Vec::new();
                        for &(code, ch) in extra {
                            differences.push(Object::Integer(i64::from(code)));
                            differences.push(Object::Name(glyph_name_for(ch).into_bytes()));
                        }
                        Object::Dictionary(
                            dictionary! { "Type" => "Encoding", "Differences" => differences },
                        )
                    }
                };
                dictionary! {
                    "Type" => "Font",
                    "Subtype" => "Type1",
                    "BaseFont" => base_font,
                    "FirstChar" => 32,
                    "LastChar" => 255,
                    "Widths" => widths,
                    "Encoding" => encoding,
                }
            }
            TextEncoding::Cid { chars } => {
                let widths: Vec<Object> = chars
                    .iter()
                    .map(|&ch| Object::Integer(self.glyph_width(ch, bold).round() as i64))
                    .collect();
                let descriptor = doc.add_object(dictionary! {
                    "Type" => "FontDescriptor",
                    "FontName" => base_font,
                    "Flags" => 32,
                    "FontBBox" => vec![(-665).into(), (-325).into(), 2000.into(), 1006.into()],
                    "ItalicAngle" => 0,
                    "Ascent" => 905,
                    "Descent" => -212,
                    "CapHeight" => 716,
                    "StemV" => if bold { 140 } else { 80 },
                });
                let descendant = doc.add_object(dictionary! {
                    "Type" => "Font",
                    "Subtype" => "CIDFontType2",
                    "BaseFont" => base_font,
                    "CIDSystemInfo" => dictionary! {
                        "Registry" => Object::string_literal("Adobe"),
                        "Ordering" => Object::string_literal("Identity"),
                        "Supplement" => 0,
                    },
                    "FontDescriptor" => descriptor,
                    "DW" => 1000,
                    "W" => vec![1.into(), widths.into()],
                    "CIDToGIDMap" => "Identity",
                });
                let to_unicode =
                    doc.add_object(Stream::new(dictionary! {}, to_unicode_cmap(chars)));
                dictionary! {
                    "Type" => "Font",
                    "Subtype" => "Type0",
                    "BaseFont" => base_font,
                    "Encoding" => "Identity-H",
                    "DescendantFonts" => vec![descendant.into()],
                    "ToUnicode" => to_unicode,
                }
            }
        }
    }
}

/// A ToUnicode CMap mapping CID n + 1 to the n-th character (UTF-16BE,
/// surrogate pairs for characters outside the BMP).
fn to_unicode_cmap(chars: &[char]) -> Vec<u8> {
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    // CMaps allow at most 100 entries per section.
    for (chunk_index, chunk) in chars.chunks(100).enumerate() {
        cmap.push_str(&format!("{} beginbfchar\n", chunk.len()));
        for (offset, ch) in chunk.iter().enumerate() {
            let cid = chunk_index * 100 + offset + 1;
            let mut units = [0u16; 2];
            let hex: String = ch
                .encode_utf16(&mut units)
                .iter()
                .map(|unit| format!("{unit:04X}"))
                .collect();
            cmap.push_str(&format!("<{cid:04X}> <{hex}>\n"));
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    cmap.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(flavor: FontFlavor) -> PdfSpec {
        PdfSpec {
            title: "Høringsuttalelse".into(),
            pages: vec![vec![
                Line {
                    runs: vec![Run::bold("uttalelse"), Run::regular("r fra Åse")],
                },
                Line::plain("Blåbærsyltetøy og rødgrøt"),
            ]],
            flavor,
            word_gaps_by_positioning: true,
            use_form_xobject: false,
        }
    }

    #[test]
    fn the_same_spec_gives_the_same_bytes() {
        for flavor in [
            FontFlavor::WinAnsiHelvetica,
            FontFlavor::MacRomanTimes,
            FontFlavor::StandardWithDifferences,
            FontFlavor::Type0IdentityH,
        ] {
            assert_eq!(
                write_pdf(&spec(flavor)),
                write_pdf(&spec(flavor)),
                "{flavor:?}"
            );
        }
        assert_eq!(
            write_encrypted_pdf("Hei på deg"),
            write_encrypted_pdf("Hei på deg")
        );
        assert_eq!(write_image_only_pdf(2), write_image_only_pdf(2));
    }

    #[test]
    fn bold_switches_inside_a_word_and_words_carry_no_spaces_when_positioned() {
        let words = words_of(&Line {
            runs: vec![Run::bold("uttalelse"), Run::regular("r fra")],
        });
        assert_eq!(
            words,
            vec![
                vec![("uttalelse".into(), true), ("r".into(), false)],
                vec![("fra".into(), false)]
            ]
        );
        let fonts = FontSet::new(&spec(FontFlavor::WinAnsiHelvetica));
        let pages = paginate(&fonts, &spec(FontFlavor::WinAnsiHelvetica).pages[0]);
        let ops = page_operations(&fonts, &pages[0], true, false);
        let space_code = Object::String(vec![b' '], StringFormat::Literal);
        for op in &ops {
            for operand in &op.operands {
                if let Object::String(bytes, _) = operand {
                    assert!(!bytes.contains(&b' '), "{op:?} {space_code:?}");
                }
            }
        }
    }

    #[test]
    fn long_lines_wrap_inside_the_margins() {
        let long =
            "Kommunestyret behandlet søknaden om dispensasjon fra reguleringsplanen ".repeat(8);
        let spec = PdfSpec {
            pages: vec![vec![Line::plain(&long)]],
            ..spec(FontFlavor::WinAnsiHelvetica)
        };
        let fonts = FontSet::new(&spec);
        let pages = paginate(&fonts, &spec.pages[0]);
        assert!(pages[0].len() > 4);
        for line in &pages[0] {
            let width: f32 = line.iter().map(|word| fonts.word_width(word)).sum::<f32>()
                + fonts.space_width() * (line.len().saturating_sub(1)) as f32;
            assert!(width <= PAGE_WIDTH - 2.0 * MARGIN, "{width}");
        }
    }

    #[test]
    fn differences_flavor_places_norwegian_letters_in_free_slots() {
        let fonts = FontSet::new(&spec(FontFlavor::StandardWithDifferences));
        let TextEncoding::Simple { extra, .. } = &fonts.encoding else {
            panic!("simple encoding expected")
        };
        let placed: Vec<char> = extra.iter().map(|(_, ch)| *ch).collect();
        for ch in ['å', 'æ', 'ø', 'Å'] {
            assert!(placed.contains(&ch), "{ch} in {placed:?}");
        }
        assert!(extra
            .iter()
            .all(|(code, _)| BaseEncoding::Standard.decode(*code).is_none()));
    }
}
