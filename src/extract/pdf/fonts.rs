//! Fonts as text extraction needs them: how to cut a string into codes, what
//! text each code stands for, and how far each glyph advances.

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Object};

use super::cmap::{CMap, Code, CodespaceRange};
use super::encoding::{glyph_name_to_text, BaseEncoding};
use super::metrics::StandardFont;
use super::{deref, stream_bytes};

/// Advance used when a font gives no width at all, in text space units per
/// unit of font size. Half an em is a typical Latin average.
const FALLBACK_WIDTH: f32 = 0.5;

/// Caps on the arrays a font may declare, so that a crafted `/W` cannot
/// allocate without bound.
const MAX_WIDTH_ENTRIES: usize = 1 << 16;

/// One decoded glyph of a shown string.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Glyph {
    /// The text it stands for; empty when the font does not say.
    pub(crate) text: String,
    /// Horizontal advance in text space per unit of font size (the PDF
    /// glyph width divided by 1000 for ordinary fonts).
    pub(crate) width: f32,
    /// Whether word spacing (`Tw`) applies: only to the single-byte code 32.
    pub(crate) is_word_space: bool,
}

/// A font ready to decode strings.
#[derive(Debug)]
pub(crate) struct Font {
    kind: FontKind,
    to_unicode: Option<CMap>,
}

#[derive(Debug)]
enum FontKind {
    /// Type1, TrueType, Type3 and friends: one byte per code.
    Simple {
        /// The text of each code from the encoding, before `/ToUnicode`.
        text: Box<[Option<String>; 256]>,
        /// Advance of each code in text space per unit of font size.
        widths: Box<[f32; 256]>,
    },
    /// Type0: codes of one to four bytes mapped to CIDs.
    Composite {
        /// How codes are cut; empty means fixed two-byte codes (Identity-H).
        codespace: Vec<CodespaceRange>,
        /// Code → CID for embedded encoding CMaps; `None` is identity.
        cids: Option<HashMap<Code, u32>>,
        widths: CidWidths,
    },
}

#[derive(Debug)]
struct CidWidths {
    default: f32,
    single: HashMap<u32, f32>,
    ranges: Vec<(u32, u32, f32)>,
}

impl CidWidths {
    fn get(&self, cid: u32) -> f32 {
        if let Some(&width) = self.single.get(&cid) {
            return width;
        }
        self.ranges
            .iter()
            .find(|(first, last, _)| (*first..=*last).contains(&cid))
            .map_or(self.default, |&(_, _, width)| width)
    }
}

impl Font {
    /// Reads a font dictionary. Never fails: missing pieces fall back to
    /// defaults, because partial text beats none.
    pub(crate) fn from_dict(doc: &Document, dict: &Dictionary) -> Font {
        let to_unicode = dict
            .get(b"ToUnicode")
            .ok()
            .and_then(|object| stream_bytes(doc, object))
            .map(|bytes| CMap::parse(&bytes));
        let kind = if name_of(doc, dict, b"Subtype") == Some(b"Type0".as_slice()) {
            composite_kind(doc, dict)
        } else {
            simple_kind(doc, dict)
        };
        Font { kind, to_unicode }
    }

    /// Cuts a shown string into glyphs.
    pub(crate) fn decode(&self, bytes: &[u8]) -> Vec<Glyph> {
        match &self.kind {
            FontKind::Simple { text, widths } => bytes
                .iter()
                .map(|&byte| {
                    let index = usize::from(byte);
                    // Some writers give simple fonts two-byte ToUnicode
                    // source codes; accept those as well.
                    let text = self
                        .unicode_of((1, u32::from(byte)))
                        .or_else(|| self.unicode_of((2, u32::from(byte))))
                        .or_else(|| text.get(index).cloned().flatten())
                        .unwrap_or_default();
                    Glyph {
                        text,
                        width: widths.get(index).copied().unwrap_or(FALLBACK_WIDTH),
                        is_word_space: byte == 32,
                    }
                })
                .collect(),
            FontKind::Composite {
                codespace,
                cids,
                widths,
            } => {
                let mut glyphs = Vec::with_capacity(bytes.len() / 2);
                let mut rest = bytes;
                while !rest.is_empty() {
                    let len = code_length(codespace, rest).min(rest.len());
                    let (code_bytes, tail) = rest.split_at(len);
                    rest = tail;
                    let value = code_bytes
                        .iter()
                        .fold(0u32, |acc, &b| (acc << 8) | u32::from(b));
                    let code = (len as u8, value);
                    let cid = cids
                        .as_ref()
                        .map_or(Some(value), |map| map.get(&code).copied());
                    glyphs.push(Glyph {
                        text: self.unicode_of(code).unwrap_or_default(),
                        width: cid.map_or(widths.default, |cid| widths.get(cid)),
                        is_word_space: len == 1 && value == 32,
                    });
                }
                glyphs
            }
        }
    }

    fn unicode_of(&self, code: Code) -> Option<String> {
        self.to_unicode.as_ref()?.unicode.get(&code).cloned()
    }
}

/// How many bytes the code at the start of `bytes` has: the shortest
/// codespace range that contains it, else two (the Identity-H default).
fn code_length(codespace: &[CodespaceRange], bytes: &[u8]) -> usize {
    if codespace.is_empty() {
        return 2;
    }
    for len in 1..=4usize {
        let Some(prefix) = bytes.get(..len) else {
            break;
        };
        let value = prefix
            .iter()
            .fold(0u32, |acc, &b| (acc << 8) | u32::from(b));
        if codespace
            .iter()
            .any(|range| usize::from(range.len) == len && (range.low..=range.high).contains(&value))
        {
            return len;
        }
    }
    // Not in any range: skip the length of the shortest range, as readers do.
    codespace
        .iter()
        .map(|range| usize::from(range.len))
        .min()
        .unwrap_or(1)
        .max(1)
}

fn simple_kind(doc: &Document, dict: &Dictionary) -> FontKind {
    let base_font =
        name_of(doc, dict, b"BaseFont").map(|name| String::from_utf8_lossy(name).into_owned());
    let standard = base_font.as_deref().and_then(StandardFont::from_base_font);
    let is_truetype = name_of(doc, dict, b"Subtype") == Some(b"TrueType".as_slice());

    // The base encoding: named, or the font's own. Type 1 fonts default to
    // StandardEncoding; TrueType fonts in practice behave like WinAnsi.
    let encoding_object = dict.get(b"Encoding").ok().map(|object| deref(doc, object));
    let mut base = if is_truetype {
        BaseEncoding::WinAnsi
    } else {
        BaseEncoding::Standard
    };
    let mut differences: Option<&Vec<Object>> = None;
    match encoding_object {
        Some(Object::Name(name)) => base = BaseEncoding::from_name(name).unwrap_or(base),
        Some(Object::Dictionary(encoding)) => {
            if let Some(named) =
                name_of(doc, encoding, b"BaseEncoding").and_then(BaseEncoding::from_name)
            {
                base = named;
            }
            differences = encoding
                .get(b"Differences")
                .ok()
                .and_then(|object| deref(doc, object).as_array().ok());
        }
        _ => {}
    }

    let mut names: Vec<Option<String>> = vec![None; 256];
    let mut text: Box<[Option<String>; 256]> = Box::new(std::array::from_fn(|code| {
        u8::try_from(code)
            .ok()
            .and_then(|code| base.decode(code))
            .map(String::from)
    }));
    // Without a named base encoding an embedded Type 1 font's own encoding
    // applies (TeX fonts rely on it), with /Differences on top.
    let named_base = match encoding_object {
        Some(Object::Name(_)) => true,
        Some(Object::Dictionary(encoding)) => encoding.has(b"BaseEncoding"),
        _ => false,
    };
    if !named_base {
        for (code, name) in embedded_type1_encoding(doc, dict).unwrap_or_default() {
            let slot = usize::from(code);
            if let Some(entry) = text.get_mut(slot) {
                *entry = glyph_name_to_text(&name);
            }
            if let Some(entry) = names.get_mut(slot) {
                *entry = Some(name);
            }
        }
    }
    if let Some(differences) = differences {
        let mut code: Option<usize> = None;
        for item in differences {
            match deref(doc, item) {
                Object::Integer(value) => code = usize::try_from(*value).ok(),
                Object::Name(name) => {
                    if let Some(slot) = code.filter(|&c| c < 256) {
                        let name = String::from_utf8_lossy(name).into_owned();
                        if let Some(entry) = text.get_mut(slot) {
                            *entry = glyph_name_to_text(&name);
                        }
                        if let Some(entry) = names.get_mut(slot) {
                            *entry = Some(name);
                        }
                    }
                    code = code.map(|c| c.saturating_add(1));
                }
                _ => {}
            }
        }
    }

    // Type 3 glyphs live in their own coordinate system; its matrix scales
    // the widths into text space. Everything else is in thousandths.
    let scale = match dict
        .get(b"FontMatrix")
        .ok()
        .map(|object| deref(doc, object))
    {
        Some(Object::Array(matrix)) => matrix
            .first()
            .and_then(|value| number(doc, value))
            .unwrap_or(0.001),
        _ => 0.001,
    };
    let missing = dict
        .get(b"FontDescriptor")
        .ok()
        .and_then(|object| deref(doc, object).as_dict().ok())
        .and_then(|descriptor| descriptor.get(b"MissingWidth").ok())
        .and_then(|value| number(doc, value));
    let first_char = dict
        .get(b"FirstChar")
        .ok()
        .and_then(|value| number(doc, value))
        .unwrap_or(0.0);
    let declared = dict
        .get(b"Widths")
        .ok()
        .and_then(|object| deref(doc, object).as_array().ok());

    let mut widths = Box::new([f32::NAN; 256]);
    if let Some(declared) = declared {
        for (offset, value) in declared.iter().enumerate().take(256) {
            let code = first_char + offset as f32;
            if (0.0..256.0).contains(&code) {
                if let (Some(slot), Some(width)) =
                    (widths.get_mut(code as usize), number(doc, value))
                {
                    *slot = width * scale;
                }
            }
        }
    }
    for (code, slot) in widths.iter_mut().enumerate() {
        if !slot.is_nan() {
            continue;
        }
        // Without /Widths (allowed for the standard 14 fonts before PDF 1.5)
        // the built-in metrics keep the position arithmetic honest.
        let builtin = standard.and_then(|font| {
            let name = names.get(code).cloned().flatten().or_else(|| {
                let ch = text.get(code)?.as_deref()?.chars().next()?;
                Some(super::encoding::glyph_name_for(ch))
            })?;
            font.width(&name)
        });
        *slot = match (builtin, missing, declared.is_some()) {
            (Some(width), _, false) => f32::from(width) / 1000.0,
            (_, Some(missing), _) => missing * scale,
            (Some(width), None, true) => f32::from(width) / 1000.0,
            (None, None, _) => FALLBACK_WIDTH,
        };
    }
    // Controls decoded from odd encodings would only corrupt the output.
    for entry in text.iter_mut() {
        if entry
            .as_deref()
            .is_some_and(|t| t.chars().all(char::is_control))
        {
            *entry = None;
        }
    }
    FontKind::Simple { text, widths }
}

/// The `dup <code> /<name> put` entries of an embedded Type 1 font's
/// `/Encoding` array, read from the font program's cleartext part. `None`
/// when the font is not embedded or uses StandardEncoding.
fn embedded_type1_encoding(doc: &Document, dict: &Dictionary) -> Option<Vec<(u8, String)>> {
    let descriptor = deref(doc, dict.get(b"FontDescriptor").ok()?)
        .as_dict()
        .ok()?;
    let program = stream_bytes(doc, descriptor.get(b"FontFile").ok()?)?;
    // Everything after `eexec` is encrypted and holds no encoding.
    let cleartext_end = find(&program, b"eexec").unwrap_or(program.len());
    let cleartext = program.get(..cleartext_end)?;
    let encoding = cleartext.get(find(cleartext, b"/Encoding")?..)?;
    let tokens: Vec<&[u8]> = encoding
        .split(|b| b.is_ascii_whitespace())
        .filter(|t| !t.is_empty())
        .collect();
    if tokens.get(1) == Some(&b"StandardEncoding".as_slice()) {
        return None;
    }
    let mut entries = Vec::new();
    for (index, token) in tokens.iter().enumerate() {
        if *token == b"def" {
            break;
        }
        let (Some(code), Some(name), Some(put)) = (
            tokens.get(index + 1),
            tokens.get(index + 2),
            tokens.get(index + 3),
        ) else {
            break;
        };
        if *token != b"dup" || *put != b"put" {
            continue;
        }
        let code = std::str::from_utf8(code)
            .ok()
            .and_then(|code| code.parse::<u8>().ok());
        if let (Some(code), Some(name)) = (code, name.strip_prefix(b"/")) {
            entries.push((code, String::from_utf8_lossy(name).into_owned()));
        }
    }
    Some(entries)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

fn composite_kind(doc: &Document, dict: &Dictionary) -> FontKind {
    let (codespace, cids) = match dict.get(b"Encoding").ok().map(|object| deref(doc, object)) {
        // Predefined CMaps (Identity-H/V, and the CJK ones we do not ship)
        // are read as two-byte identity codes.
        Some(Object::Name(_)) | None => (Vec::new(), None),
        Some(object) => match stream_bytes(doc, object) {
            Some(bytes) => {
                let cmap = CMap::parse(&bytes);
                let cids = if cmap.cids.is_empty() {
                    None
                } else {
                    Some(cmap.cids)
                };
                (cmap.codespace, cids)
            }
            None => (Vec::new(), None),
        },
    };
    let descendant = dict
        .get(b"DescendantFonts")
        .ok()
        .and_then(|object| deref(doc, object).as_array().ok())
        .and_then(|fonts| fonts.first())
        .and_then(|font| deref(doc, font).as_dict().ok());
    let mut widths = CidWidths {
        default: 1.0,
        single: HashMap::new(),
        ranges: Vec::new(),
    };
    if let Some(descendant) = descendant {
        if let Some(default) = descendant
            .get(b"DW")
            .ok()
            .and_then(|value| number(doc, value))
        {
            widths.default = default / 1000.0;
        }
        if let Some(w) = descendant
            .get(b"W")
            .ok()
            .and_then(|object| deref(doc, object).as_array().ok())
        {
            read_cid_widths(doc, w, &mut widths);
        }
    }
    FontKind::Composite {
        codespace,
        cids,
        widths,
    }
}

/// Reads a `/W` array: `c [w1 w2 …]` gives consecutive CIDs from `c` their
/// own widths, `first last w` gives a whole range one width.
fn read_cid_widths(doc: &Document, w: &[Object], widths: &mut CidWidths) {
    let mut index = 0;
    while let Some(first) = w.get(index).and_then(|value| number(doc, value)) {
        let first = first.max(0.0) as u32;
        match w.get(index + 1).map(|object| deref(doc, object)) {
            Some(Object::Array(list)) => {
                for (offset, value) in list.iter().enumerate() {
                    if widths.single.len() >= MAX_WIDTH_ENTRIES {
                        break;
                    }
                    if let Some(width) = number(doc, value) {
                        widths
                            .single
                            .insert(first.saturating_add(offset as u32), width / 1000.0);
                    }
                }
                index += 2;
            }
            Some(last) => {
                let (Some(last), Some(width)) = (
                    number(doc, last),
                    w.get(index + 2).and_then(|value| number(doc, value)),
                ) else {
                    return;
                };
                if widths.ranges.len() < MAX_WIDTH_ENTRIES {
                    widths
                        .ranges
                        .push((first, last.max(0.0) as u32, width / 1000.0));
                }
                index += 3;
            }
            None => return,
        }
    }
}

/// The name stored under `key`, following a reference if needed.
fn name_of<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a [u8]> {
    dict.get(key)
        .ok()
        .and_then(|object| deref(doc, object).as_name().ok())
}

/// A number (integer or real), following a reference if needed.
pub(crate) fn number(doc: &Document, object: &Object) -> Option<f32> {
    match deref(doc, object) {
        Object::Integer(value) => Some(*value as f32),
        Object::Real(value) => Some(*value),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    fn decode_text(font: &Font, bytes: &[u8]) -> String {
        font.decode(bytes)
            .into_iter()
            .map(|glyph| glyph.text)
            .collect()
    }

    #[test]
    fn differences_override_the_base_encoding() {
        let doc = Document::with_version("1.5");
        let font = dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "BaseFont" => "Helvetica",
            "Encoding" => dictionary! {
                "Type" => "Encoding",
                "BaseEncoding" => "StandardEncoding",
                "Differences" => vec![
                    128.into(), "aring".into(), "oslash".into(), "ae".into(),
                    200.into(), "Aring".into(), "uni00D8".into(), "AE".into(),
                ],
            },
        };
        let font = Font::from_dict(&doc, &font);
        assert_eq!(
            decode_text(&font, b"bl\x80b\x81r sm\x82r \xc8\xc9\xca"),
            "blåbør smær ÅØÆ"
        );
        assert_eq!(
            decode_text(&font, b"it's"),
            "it’s",
            "StandardEncoding has a curly quote at 0x27"
        );
    }

    #[test]
    fn standard_fonts_without_widths_use_the_afm_metrics() {
        let doc = Document::with_version("1.5");
        let font = dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
        };
        let glyphs = Font::from_dict(&doc, &font).decode(b"A \xe5");
        let widths: Vec<f32> = glyphs.iter().map(|glyph| glyph.width).collect();
        assert_eq!(widths, vec![0.667, 0.278, 0.556]);
        assert!(glyphs[1].is_word_space);
    }

    #[test]
    fn identity_h_fonts_read_two_byte_codes_and_cid_widths() {
        let mut doc = Document::with_version("1.5");
        let to_unicode = doc.add_object(lopdf::Stream::new(
            dictionary! {},
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange
              2 beginbfchar <0001> <00E5> <0002> <0020> endbfchar"
                .to_vec(),
        ));
        let font = dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "Arial", "Encoding" => "Identity-H",
            "ToUnicode" => to_unicode,
            "DescendantFonts" => vec![Object::Dictionary(dictionary! {
                "Type" => "Font", "Subtype" => "CIDFontType2", "DW" => 600,
                "W" => vec![1.into(), vec![Object::Integer(556)].into(), 5.into(), 9.into(), 100.into()],
            })],
        };
        let font = Font::from_dict(&doc, &font);
        let glyphs = font.decode(&[0, 1, 0, 2, 0, 7, 0, 20, 9]);
        let summary: Vec<(String, f32)> = glyphs.into_iter().map(|g| (g.text, g.width)).collect();
        assert_eq!(
            summary,
            vec![
                ("å".into(), 0.556),
                (" ".into(), 0.6),
                (String::new(), 0.1),
                (String::new(), 0.6),
                (String::new(), 0.1)
            ]
        );
    }

    #[test]
    fn an_embedded_type1_font_brings_its_own_encoding() {
        let mut doc = Document::with_version("1.5");
        let program = doc.add_object(lopdf::Stream::new(
            dictionary! {},
            b"%!PS-AdobeFont-1.0: CMMI10\n/Encoding 256 array\n0 1 255 {1 index exch /.notdef put} for\n\
              dup 58 /period put\ndup 65 /aring put\nreadonly def\ncurrentfile eexec\n\x8f\x01garbage"
                .to_vec(),
        ));
        let font = dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "CMMI10",
            "FontDescriptor" => dictionary! { "Type" => "FontDescriptor", "FontFile" => program },
        };
        let font = Font::from_dict(&doc, &font);
        assert_eq!(decode_text(&font, b"A:B"), "å.B");
    }
}
