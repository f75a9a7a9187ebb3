//! Text extraction from PDF files, built on lopdf's object model.
//!
//! lopdf's own `extract_text` decodes strings one show operator at a time and
//! knows nothing about where the text lands on the page, so it splits words
//! whenever the font changes (a bold "uttalelse" followed by a regular "r")
//! and runs words together when a writer places them with `Td` or `TJ`
//! offsets instead of space characters. This module interprets the content
//! streams instead: it tracks the text and graphics state, decodes every
//! glyph with its font's encoding and `/ToUnicode` map, works out where each
//! glyph starts and ends, and inserts spaces and line breaks from the gaps.
//!
//! ```no_run
//! use arkivar::extract::pdf::{extract_pdf, PdfLimits};
//!
//! let bytes = std::fs::read("dokument.pdf").unwrap();
//! let limits = PdfLimits { max_pages: 500, deadline: None };
//! let text = extract_pdf(&bytes, &limits).unwrap();
//! println!("{} pages, first: {}", text.pages.len(), text.pages[0]);
//! ```

mod cmap;
pub(crate) mod encoding;
mod fonts;
pub(crate) mod metrics;

use std::collections::HashMap;
use std::rc::Rc;
use std::time::Instant;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};

use fonts::{number, Font};

/// Limits for one PDF.
#[derive(Debug, Clone)]
pub struct PdfLimits {
    /// Documents with more pages than this are refused before any text is
    /// extracted ([`PdfError::TooManyPages`]).
    pub max_pages: usize,
    /// When set, extraction stops with [`PdfError::Timeout`] once this
    /// instant has passed (checked between pages and every few thousand
    /// content operators).
    pub deadline: Option<Instant>,
}

/// Text of a PDF, one String per page, pages in document order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PdfText {
    /// The text of each page; an empty string for a page without a text
    /// layer (a scanned image, say).
    pub pages: Vec<String>,
}

/// Why a PDF yielded no text.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The document has an `/Encrypt` dictionary. Encrypted archive documents
    /// are flagged rather than read, even when the user password is empty.
    #[error("the PDF is encrypted")]
    Encrypted,
    /// The bytes are not a readable PDF; the string says briefly why.
    #[error("corrupt PDF: {0}")]
    Corrupt(String),
    /// The document has more pages than [`PdfLimits::max_pages`].
    #[error("the PDF has {pages} pages, more than the limit of {limit}")]
    TooManyPages {
        /// Pages in the document.
        pages: usize,
        /// The limit it exceeded.
        limit: usize,
    },
    /// [`PdfLimits::deadline`] passed before extraction finished.
    #[error("text extraction took longer than the time limit")]
    Timeout,
}

/// Largest decoded content stream read, so a small compressed stream cannot
/// inflate to gigabytes.
const MAX_CONTENT_BYTES: usize = 64 << 20;
/// Nesting limit for form XObjects inside form XObjects.
const MAX_FORM_DEPTH: usize = 12;
/// Nesting limit for `q` without `Q`.
const MAX_STATE_DEPTH: usize = 256;
/// Operators between deadline checks.
const DEADLINE_INTERVAL: usize = 4096;
/// A page that needs more operators than this is cut short; it guards
/// against forms that reuse each other exponentially when no deadline is set.
const MAX_OPERATIONS_PER_PAGE: usize = 20_000_000;
/// Parent links followed when looking for inherited page resources.
const MAX_PAGE_TREE_DEPTH: usize = 64;

/// A gap wider than this fraction of the font size between two glyphs on one
/// line is a word break. Word spaces are about a quarter em in text fonts;
/// kerning and tight justification stay well below 0.15 em.
const SPACE_FRACTION: f32 = 0.15;
/// A baseline shift larger than this fraction of the font size starts a new
/// line; sub- and superscripts move less.
const LINE_FRACTION: f32 = 0.5;
/// Jumping back on the same baseline by more than this many ems separates
/// words too (table cells written out of order, for example).
const BACKWARD_FRACTION: f32 = 1.0;

/// Extracts the text of every page of a PDF held in memory.
///
/// Pages come back in document order. Encrypted documents, unreadable bytes,
/// documents over the page limit and documents that overrun the deadline are
/// errors; a page without text is an empty string.
pub fn extract_pdf(bytes: &[u8], limits: &PdfLimits) -> Result<PdfText, PdfError> {
    let doc = load(bytes)?;
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(PdfError::Corrupt("no pages found".into()));
    }
    if pages.len() > limits.max_pages {
        return Err(PdfError::TooManyPages {
            pages: pages.len(),
            limit: limits.max_pages,
        });
    }
    let mut fonts = FontCache::default();
    let mut texts = Vec::with_capacity(pages.len());
    for page_id in pages.into_values() {
        check_deadline(limits)?;
        texts.push(page_text(&doc, page_id, limits, &mut fonts)?);
    }
    Ok(PdfText { pages: texts })
}

/// Parses a PDF (never panics: a parser crash is [`PdfError::Corrupt`]); encrypted files are
/// [`PdfError::Encrypted`].
pub(crate) fn load(bytes: &[u8]) -> Result<Document, PdfError> {
    if bytes.is_empty() {
        return Err(PdfError::Corrupt("the file is empty".into()));
    }
    // Readers accept the header anywhere in the first kilobyte.
    let head = bytes.get(..bytes.len().min(1024)).unwrap_or(bytes);
    if !contains(head, b"%PDF-") {
        return Err(PdfError::Corrupt("no %PDF- header".into()));
    }
    // lopdf is a large parser fed untrusted bytes; one file that trips a bug
    // in it must not take down a batch of thousands.
    let loaded = std::panic::catch_unwind(|| Document::load_mem(bytes))
        .map_err(|_| PdfError::Corrupt("the PDF parser failed on this file".into()))?;
    match loaded {
        Ok(doc) if doc.trailer.has(b"Encrypt") || doc.was_encrypted() => Err(PdfError::Encrypted),
        Ok(doc) => Ok(doc),
        // A password lopdf cannot supply makes loading fail; say so rather
        // than calling the file corrupt.
        Err(_) if contains(bytes, b"/Encrypt") => Err(PdfError::Encrypted),
        Err(error) => Err(PdfError::Corrupt(short_reason(&error.to_string()))),
    }
}

fn short_reason(message: &str) -> String {
    const MAX: usize = 120;
    match message.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", message.get(..cut).unwrap_or(message)),
        None => message.to_string(),
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

fn check_deadline(limits: &PdfLimits) -> Result<(), PdfError> {
    match limits.deadline {
        Some(deadline) if Instant::now() >= deadline => Err(PdfError::Timeout),
        _ => Ok(()),
    }
}

/// Follows references; a dangling one comes back unchanged, which every
/// caller then treats as "not the kind of object I wanted".
pub(crate) fn deref<'a>(doc: &'a Document, object: &'a Object) -> &'a Object {
    doc.dereference(object).map_or(object, |(_, target)| target)
}

/// The decoded bytes of a stream object, bounded by [`MAX_CONTENT_BYTES`].
pub(crate) fn stream_bytes(doc: &Document, object: &Object) -> Option<Vec<u8>> {
    let stream = deref(doc, object).as_stream().ok()?;
    stream.get_plain_content_with_limit(MAX_CONTENT_BYTES).ok()
}

fn page_text(
    doc: &Document,
    page_id: ObjectId,
    limits: &PdfLimits,
    fonts: &mut FontCache,
) -> Result<String, PdfError> {
    let Ok(page) = doc.get_dictionary(page_id) else {
        return Ok(String::new());
    };
    let resources = inherited_resources(doc, page);
    // A stream that will not decode still leaves the others readable; a
    // page over the size limit is treated as having no text.
    let content = doc
        .get_page_content_with_limit(page_id, MAX_CONTENT_BYTES)
        .unwrap_or_default();
    let mut interpreter = Interpreter {
        doc,
        fonts,
        limits,
        sink: TextSink::default(),
        operations: 0,
        active_forms: Vec::new(),
    };
    interpreter.run(&content, resources, GraphicsState::default())?;
    Ok(interpreter.sink.finish())
}

/// The page's `/Resources`, or the nearest ancestor's: page tree nodes pass
/// resources down to pages that do not have their own.
fn inherited_resources<'a>(doc: &'a Document, page: &'a Dictionary) -> Option<&'a Dictionary> {
    inherited(doc, page, b"Resources")?.as_dict().ok()
}

/// A page attribute the page has or inherits from its page-tree parents (`Resources`,
/// `MediaBox`, `Rotate`), references followed.
pub(crate) fn inherited<'a>(
    doc: &'a Document,
    page: &'a Dictionary,
    key: &[u8],
) -> Option<&'a Object> {
    let mut node = page;
    for _ in 0..MAX_PAGE_TREE_DEPTH {
        if let Ok(value) = node.get(key) {
            return Some(deref(doc, value));
        }
        node = deref(doc, node.get(b"Parent").ok()?).as_dict().ok()?;
    }
    None
}

/// Parsed fonts, shared across pages because documents reuse one font
/// object on every page.
#[derive(Default)]
struct FontCache {
    by_id: HashMap<ObjectId, Rc<Font>>,
}

/// A 2×3 affine matrix `[a b c d e f]` as PDF writes it.
type Matrix = [f32; 6];

const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `first` then `second`: the product `first × second` in PDF's row-vector
/// convention.
fn multiply(first: &Matrix, second: &Matrix) -> Matrix {
    let [a, b, c, d, e, f] = *first;
    let [a2, b2, c2, d2, e2, f2] = *second;
    [
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    ]
}

fn apply(matrix: &Matrix, x: f32, y: f32) -> (f32, f32) {
    let [a, b, c, d, e, f] = *matrix;
    (x * a + y * c + e, x * b + y * d + f)
}

fn translation(x: f32, y: f32) -> Matrix {
    [1.0, 0.0, 0.0, 1.0, x, y]
}

/// The parts of the graphics state that affect where text lands (`q`/`Q`
/// save and restore all of them).
#[derive(Clone)]
struct GraphicsState {
    ctm: Matrix,
    font: Option<Rc<Font>>,
    font_size: f32,
    char_spacing: f32,
    word_spacing: f32,
    /// `Tz` as a factor (100 % = 1.0).
    horizontal_scaling: f32,
    leading: f32,
    rise: f32,
}

impl Default for GraphicsState {
    fn default() -> Self {
        GraphicsState {
            ctm: IDENTITY,
            font: None,
            font_size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            horizontal_scaling: 1.0,
            leading: 0.0,
            rise: 0.0,
        }
    }
}

/// The text matrix and text line matrix, reset by `BT`.
struct TextPosition {
    matrix: Matrix,
    line: Matrix,
}

impl TextPosition {
    fn new() -> Self {
        TextPosition {
            matrix: IDENTITY,
            line: IDENTITY,
        }
    }

    /// `Td`: a new line, offset from the start of the current one.
    fn next_line(&mut self, x: f32, y: f32) {
        self.line = multiply(&translation(x, y), &self.line);
        self.matrix = self.line;
    }
}

struct Interpreter<'a, 'c> {
    doc: &'a Document,
    fonts: &'c mut FontCache,
    limits: &'c PdfLimits,
    sink: TextSink,
    operations: usize,
    /// Form XObjects being drawn, innermost last, so that a form that draws
    /// itself is noticed.
    active_forms: Vec<ObjectId>,
}

impl<'a> Interpreter<'a, '_> {
    /// Runs one content stream (a page's or a form's).
    fn run(
        &mut self,
        content: &[u8],
        resources: Option<&'a Dictionary>,
        initial: GraphicsState,
    ) -> Result<(), PdfError> {
        let mut state = initial;
        let mut saved: Vec<GraphicsState> = Vec::new();
        let mut text = TextPosition::new();
        for operation in Content::decode_iter(content) {
            // Keep what was read before a syntax error, as viewers do.
            let Ok(operation) = operation else { break };
            self.operations += 1;
            if self.operations.is_multiple_of(DEADLINE_INTERVAL) {
                check_deadline(self.limits)?;
            }
            if self.operations > MAX_OPERATIONS_PER_PAGE {
                break;
            }
            let operands = operation.operands.as_slice();
            let num = |index: usize| {
                operands
                    .get(index)
                    .and_then(|value| number(self.doc, value))
            };
            match operation.operator.as_str() {
                "q" if saved.len() < MAX_STATE_DEPTH => saved.push(state.clone()),
                "Q" => {
                    if let Some(previous) = saved.pop() {
                        state = previous;
                    }
                }
                "cm" => {
                    if let Some(matrix) = matrix_operands(self.doc, operands) {
                        state.ctm = multiply(&matrix, &state.ctm);
                    }
                }
                "BT" => text = TextPosition::new(),
                "Tm" => {
                    if let Some(matrix) = matrix_operands(self.doc, operands) {
                        text.matrix = matrix;
                        text.line = matrix;
                    }
                }
                "Td" => {
                    if let (Some(x), Some(y)) = (num(0), num(1)) {
                        text.next_line(x, y);
                    }
                }
                "TD" => {
                    if let (Some(x), Some(y)) = (num(0), num(1)) {
                        state.leading = -y;
                        text.next_line(x, y);
                    }
                }
                "T*" => text.next_line(0.0, -state.leading),
                "Tc" => state.char_spacing = num(0).unwrap_or(state.char_spacing),
                "Tw" => state.word_spacing = num(0).unwrap_or(state.word_spacing),
                "Tz" => {
                    state.horizontal_scaling =
                        num(0).map_or(state.horizontal_scaling, |scale| scale / 100.0)
                }
                "TL" => state.leading = num(0).unwrap_or(state.leading),
                "Ts" => state.rise = num(0).unwrap_or(state.rise),
                "Tf" => {
                    if let Some(Object::Name(name)) = operands.first() {
                        state.font = self.font(resources, name);
                    }
                    state.font_size = num(1).unwrap_or(state.font_size);
                }
                "Tj" => {
                    if let Some(Object::String(bytes, _)) = operands.first() {
                        self.show(&state, &mut text, bytes);
                    }
                }
                "'" => {
                    text.next_line(0.0, -state.leading);
                    if let Some(Object::String(bytes, _)) = operands.first() {
                        self.show(&state, &mut text, bytes);
                    }
                }
                "\"" => {
                    state.word_spacing = num(0).unwrap_or(state.word_spacing);
                    state.char_spacing = num(1).unwrap_or(state.char_spacing);
                    text.next_line(0.0, -state.leading);
                    if let Some(Object::String(bytes, _)) = operands.get(2) {
                        self.show(&state, &mut text, bytes);
                    }
                }
                "TJ" => {
                    let Some(Object::Array(items)) = operands.first() else {
                        continue;
                    };
                    for item in items {
                        match item {
                            Object::String(bytes, _) => self.show(&state, &mut text, bytes),
                            // Thousandths of an em, moving left when positive.
                            Object::Integer(_) | Object::Real(_) => {
                                let amount = number(self.doc, item).unwrap_or(0.0);
                                let shift =
                                    -amount / 1000.0 * state.font_size * state.horizontal_scaling;
                                text.matrix = multiply(&translation(shift, 0.0), &text.matrix);
                            }
                            _ => {}
                        }
                    }
                }
                "Do" => {
                    if let Some(Object::Name(name)) = operands.first() {
                        self.draw_xobject(resources, name, &state)?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Decodes a shown string glyph by glyph, hands each glyph to the sink
    /// with its position, and advances the text matrix.
    fn show(&mut self, state: &GraphicsState, text: &mut TextPosition, bytes: &[u8]) {
        // Text shown without a font is an error in the file; nothing sensible
        // can be decoded from it.
        let Some(font) = state.font.as_ref() else {
            return;
        };
        let size = state.font_size;
        let scaling = state.horizontal_scaling;
        let glyph_space = [size * scaling, 0.0, 0.0, size, 0.0, state.rise];
        for glyph in font.decode(bytes) {
            let render = multiply(&multiply(&glyph_space, &text.matrix), &state.ctm);
            let start = apply(&render, 0.0, 0.0);
            let end = apply(&render, glyph.width, 0.0);
            let direction = unit(render[0], render[1]);
            let em = render[2].hypot(render[3]);
            self.sink.glyph(&glyph.text, start, end, direction, em);
            let word_spacing = if glyph.is_word_space {
                state.word_spacing
            } else {
                0.0
            };
            let advance = (glyph.width * size + state.char_spacing + word_spacing) * scaling;
            text.matrix = multiply(&translation(advance, 0.0), &text.matrix);
        }
    }

    /// The font a `Tf` names, parsed once per font object.
    fn font(&mut self, resources: Option<&'a Dictionary>, name: &[u8]) -> Option<Rc<Font>> {
        let fonts = deref(self.doc, resources?.get(b"Font").ok()?)
            .as_dict()
            .ok()?;
        let entry = fonts.get(name).ok()?;
        if let Object::Reference(id) = entry {
            if let Some(font) = self.fonts.by_id.get(id) {
                return Some(Rc::clone(font));
            }
            let font = Rc::new(Font::from_dict(
                self.doc,
                deref(self.doc, entry).as_dict().ok()?,
            ));
            self.fonts.by_id.insert(*id, Rc::clone(&font));
            return Some(font);
        }
        Some(Rc::new(Font::from_dict(self.doc, entry.as_dict().ok()?)))
    }

    /// `Do`: runs a form XObject's content with its matrix and resources;
    /// images and anything else are skipped.
    fn draw_xobject(
        &mut self,
        resources: Option<&'a Dictionary>,
        name: &[u8],
        state: &GraphicsState,
    ) -> Result<(), PdfError> {
        let Some(xobjects) = resources
            .and_then(|resources| resources.get(b"XObject").ok())
            .and_then(|object| deref(self.doc, object).as_dict().ok())
        else {
            return Ok(());
        };
        let Ok(entry) = xobjects.get(name) else {
            return Ok(());
        };
        let Ok((id, object)) = self.doc.dereference(entry) else {
            return Ok(());
        };
        let Ok(form) = object.as_stream() else {
            return Ok(());
        };
        if form.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Form".as_slice()) {
            return Ok(());
        }
        // Forms are shared objects: a form that (indirectly) draws itself
        // would never finish.
        let id = id.unwrap_or((0, 0));
        if self.active_forms.len() >= MAX_FORM_DEPTH || self.active_forms.contains(&id) {
            return Ok(());
        }
        let Ok(content) = form.get_plain_content_with_limit(MAX_CONTENT_BYTES) else {
            return Ok(());
        };
        let matrix = form
            .dict
            .get(b"Matrix")
            .ok()
            .and_then(|object| deref(self.doc, object).as_array().ok())
            .and_then(|values| matrix_operands(self.doc, values))
            .unwrap_or(IDENTITY);
        // Old files leave out a form's resources and expect the page's.
        let form_resources = form
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|object| deref(self.doc, object).as_dict().ok())
            .or(resources);
        let mut inner = state.clone();
        inner.ctm = multiply(&matrix, &state.ctm);
        self.active_forms.push(id);
        let result = self.run(&content, form_resources, inner);
        self.active_forms.pop();
        result
    }
}

fn matrix_operands(doc: &Document, values: &[Object]) -> Option<Matrix> {
    let mut matrix = [0.0; 6];
    for (slot, value) in matrix.iter_mut().zip(values) {
        *slot = number(doc, value)?;
    }
    (values.len() >= 6).then_some(matrix)
}

fn unit(x: f32, y: f32) -> (f32, f32) {
    let length = x.hypot(y);
    if length > f32::EPSILON && length.is_finite() {
        (x / length, y / length)
    } else {
        (1.0, 0.0)
    }
}

/// Where the previous glyph ended, in device space.
#[derive(Clone, Copy)]
struct Pen {
    end: (f32, f32),
    direction: (f32, f32),
    em: f32,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Break {
    Space,
    Line,
}

/// Collects glyphs into text, turning gaps into spaces and baseline moves
/// into line breaks.
#[derive(Default)]
struct TextSink {
    text: String,
    pen: Option<Pen>,
    pending: Option<Break>,
}

impl TextSink {
    fn glyph(
        &mut self,
        text: &str,
        start: (f32, f32),
        end: (f32, f32),
        direction: (f32, f32),
        em: f32,
    ) {
        if ![start.0, start.1, end.0, end.1, em]
            .iter()
            .all(|value| value.is_finite())
        {
            return;
        }
        if let Some(pen) = self.pen {
            let dx = start.0 - pen.end.0;
            let dy = start.1 - pen.end.1;
            // Measured along and across the previous glyph's baseline, so
            // rotated pages and rotated text behave like upright ones.
            let along = dx * pen.direction.0 + dy * pen.direction.1;
            let across = dy * pen.direction.0 - dx * pen.direction.1;
            if across.abs() > LINE_FRACTION * pen.em.max(em) {
                self.request(Break::Line);
            } else if along > SPACE_FRACTION * em || along < -BACKWARD_FRACTION * em {
                self.request(Break::Space);
            }
        }
        self.pen = Some(Pen { end, direction, em });
        if !text.is_empty() {
            self.write(text);
        }
    }

    fn request(&mut self, wanted: Break) {
        self.pending = self.pending.max(Some(wanted));
    }

    fn write(&mut self, text: &str) {
        match self.pending.take() {
            Some(Break::Line) => {
                self.trim_trailing_spaces();
                if !self.text.is_empty() && !self.text.ends_with('\n') {
                    self.text.push('\n');
                }
            }
            Some(Break::Space) => {
                let starts_blank = text.starts_with(char::is_whitespace);
                if !starts_blank
                    && !self.text.is_empty()
                    && !self.text.ends_with(char::is_whitespace)
                {
                    self.text.push(' ');
                }
            }
            None => {}
        }
        for ch in text.chars() {
            match ch {
                // A space glyph next to an inferred or real space adds nothing.
                ' ' | '\t' | '\r' | '\n' => {
                    if !self.text.is_empty() && !self.text.ends_with(char::is_whitespace) {
                        self.text.push(' ');
                    }
                }
                ch if ch.is_control() => {}
                ch => self.text.push(ch),
            }
        }
    }

    fn trim_trailing_spaces(&mut self) {
        let kept = self.text.trim_end_matches(' ').len();
        self.text.truncate(kept);
    }

    fn finish(mut self) -> String {
        let kept = self.text.trim_end().len();
        self.text.truncate(kept);
        self.text
    }
}

#[cfg(test)]
mod tests;
