//! Single-byte text encodings of simple fonts and the glyph-name table that
//! `/Differences` arrays need.
//!
//! Tables hold Unicode scalar values; `0` marks an undefined code. Only the
//! upper halves differ enough to need tables: every base encoding here agrees
//! with ASCII for 0x20..=0x7E except StandardEncoding's two curly quotes.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The base encodings a simple font may name in `/Encoding` or
/// `/BaseEncoding`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BaseEncoding {
    /// Adobe StandardEncoding, the built-in encoding of most Type 1 fonts.
    Standard,
    /// Windows code page 1252 as PDF defines it.
    WinAnsi,
    /// Mac OS Roman as PDF defines it.
    MacRoman,
}

impl BaseEncoding {
    /// The encoding a PDF name such as `/WinAnsiEncoding` selects.
    pub(crate) fn from_name(name: &[u8]) -> Option<Self> {
        match name {
            b"WinAnsiEncoding" => Some(Self::WinAnsi),
            b"MacRomanEncoding" => Some(Self::MacRoman),
            b"StandardEncoding" => Some(Self::Standard),
            // PDFDocEncoding is not a font encoding, but some writers use it;
            // WinAnsi is the closest and agrees on the Latin-1 letters.
            b"PDFDocEncoding" => Some(Self::WinAnsi),
            _ => None,
        }
    }

    /// The character a code stands for, if the encoding defines one.
    pub(crate) fn decode(self, code: u8) -> Option<char> {
        let value = match (self, code) {
            (Self::Standard, 0x27) => 0x2019,
            (Self::Standard, 0x60) => 0x2018,
            (_, 0x20..=0x7e) => u32::from(code),
            (Self::WinAnsi, 0x80..=0x9f) => u32::from(WIN_ANSI_80[usize::from(code - 0x80)]),
            // PDF's WinAnsiEncoding has the non-breaking space at 0xA0 render
            // as an ordinary space.
            (Self::WinAnsi, 0xa0) => 0x20,
            (Self::WinAnsi, 0xa1..=0xff) => u32::from(code),
            (Self::MacRoman, 0x80..=0xff) => u32::from(MAC_ROMAN_80[usize::from(code - 0x80)]),
            (Self::Standard, 0xa0..=0xff) => u32::from(STANDARD_A0[usize::from(code - 0xa0)]),
            _ => 0,
        };
        if value == 0 {
            None
        } else {
            char::from_u32(value)
        }
    }

    /// The code of `ch` in this encoding, used by the PDF writer.
    pub(crate) fn encode(self, ch: char) -> Option<u8> {
        (0x20..=0xffu8)
            .find(|&code| self.decode(code) == Some(ch) && !(self == Self::WinAnsi && code == 0xa0))
    }
}

/// WinAnsiEncoding 0x80..=0x9F (the rest of the upper half is Latin-1).
const WIN_ANSI_80: [u16; 32] = [
    0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039,
    0x0152, 0, 0x017d, 0, 0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc,
    0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];

/// MacRomanEncoding 0x80..=0xFF. 0xDB is the currency sign as in the PDF
/// specification (newer Mac OS put the euro there); 0xF0, the Apple logo, has
/// no portable meaning.
const MAC_ROMAN_80: [u16; 128] = [
    0xc4, 0xc5, 0xc7, 0xc9, 0xd1, 0xd6, 0xdc, 0xe1, 0xe0, 0xe2, 0xe4, 0xe3, 0xe5, 0xe7, 0xe9, 0xe8,
    0xea, 0xeb, 0xed, 0xec, 0xee, 0xef, 0xf1, 0xf3, 0xf2, 0xf4, 0xf6, 0xf5, 0xfa, 0xf9, 0xfb, 0xfc,
    0x2020, 0xb0, 0xa2, 0xa3, 0xa7, 0x2022, 0xb6, 0xdf, 0xae, 0xa9, 0x2122, 0xb4, 0xa8, 0x2260,
    0xc6, 0xd8, 0x221e, 0xb1, 0x2264, 0x2265, 0xa5, 0xb5, 0x2202, 0x2211, 0x220f, 0x3c0, 0x222b,
    0xaa, 0xba, 0x3a9, 0xe6, 0xf8, 0xbf, 0xa1, 0xac, 0x221a, 0x192, 0x2248, 0x2206, 0xab, 0xbb,
    0x2026, 0xa0, 0xc0, 0xc3, 0xd5, 0x152, 0x153, 0x2013, 0x2014, 0x201c, 0x201d, 0x2018, 0x2019,
    0xf7, 0x25ca, 0xff, 0x178, 0x2044, 0xa4, 0x2039, 0x203a, 0xfb01, 0xfb02, 0x2021, 0xb7, 0x201a,
    0x201e, 0x2030, 0xc2, 0xca, 0xc1, 0xcb, 0xc8, 0xcd, 0xce, 0xcf, 0xcc, 0xd3, 0xd4, 0, 0xd2,
    0xda, 0xdb, 0xd9, 0x131, 0x2c6, 0x2dc, 0xaf, 0x2d8, 0x2d9, 0x2da, 0xb8, 0x2dd, 0x2db, 0x2c7,
];

/// StandardEncoding 0xA0..=0xFF; note that it has none of the Latin-1
/// accented letters, which is why such fonts carry `/Differences`.
const STANDARD_A0: [u16; 96] = [
    0, 0xa1, 0xa2, 0xa3, 0x2044, 0xa5, 0x192, 0xa7, 0xa4, 0x27, 0x201c, 0xab, 0x2039, 0x203a,
    0xfb01, 0xfb02, // A0
    0, 0x2013, 0x2020, 0x2021, 0xb7, 0, 0xb6, 0x2022, 0x201a, 0x201e, 0x201d, 0xbb, 0x2026, 0x2030,
    0, 0xbf, // B0
    0, 0x60, 0xb4, 0x2c6, 0x2dc, 0xaf, 0x2d8, 0x2d9, 0xa8, 0, 0x2da, 0xb8, 0, 0x2dd, 0x2db,
    0x2c7, // C0
    0x2014, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // D0
    0, 0xc6, 0, 0xaa, 0, 0, 0, 0, 0x141, 0xd8, 0x152, 0xba, 0, 0, 0, 0, // E0
    0, 0xe6, 0, 0, 0, 0x131, 0, 0, 0x142, 0xf8, 0x153, 0xdf, 0, 0, 0, 0, // F0
];

/// The subset of the Adobe Glyph List that Latin-script documents use:
/// ASCII, Latin-1, the WinAnsi/MacRoman extras, common Latin Extended-A
/// letters, typographic punctuation and ligatures.
const GLYPH_NAMES: &[(&str, char)] = &[
    ("space", ' '),
    ("exclam", '!'),
    ("quotedbl", '"'),
    ("numbersign", '#'),
    ("dollar", '$'),
    ("percent", '%'),
    ("ampersand", '&'),
    ("quotesingle", '\''),
    ("parenleft", '('),
    ("parenright", ')'),
    ("asterisk", '*'),
    ("plus", '+'),
    ("comma", ','),
    ("hyphen", '-'),
    ("period", '.'),
    ("slash", '/'),
    ("zero", '0'),
    ("one", '1'),
    ("two", '2'),
    ("three", '3'),
    ("four", '4'),
    ("five", '5'),
    ("six", '6'),
    ("seven", '7'),
    ("eight", '8'),
    ("nine", '9'),
    ("colon", ':'),
    ("semicolon", ';'),
    ("less", '<'),
    ("equal", '='),
    ("greater", '>'),
    ("question", '?'),
    ("at", '@'),
    ("bracketleft", '['),
    ("backslash", '\\'),
    ("bracketright", ']'),
    ("asciicircum", '^'),
    ("underscore", '_'),
    ("grave", '`'),
    ("braceleft", '{'),
    ("bar", '|'),
    ("braceright", '}'),
    ("asciitilde", '~'),
    ("A", 'A'),
    ("B", 'B'),
    ("C", 'C'),
    ("D", 'D'),
    ("E", 'E'),
    ("F", 'F'),
    ("G", 'G'),
    ("H", 'H'),
    ("I", 'I'),
    ("J", 'J'),
    ("K", 'K'),
    ("L", 'L'),
    ("M", 'M'),
    ("N", 'N'),
    ("O", 'O'),
    ("P", 'P'),
    ("Q", 'Q'),
    ("R", 'R'),
    ("S", 'S'),
    ("T", 'T'),
    ("U", 'U'),
    ("V", 'V'),
    ("W", 'W'),
    ("X", 'X'),
    ("Y", 'Y'),
    ("Z", 'Z'),
    ("a", 'a'),
    ("b", 'b'),
    ("c", 'c'),
    ("d", 'd'),
    ("e", 'e'),
    ("f", 'f'),
    ("g", 'g'),
    ("h", 'h'),
    ("i", 'i'),
    ("j", 'j'),
    ("k", 'k'),
    ("l", 'l'),
    ("m", 'm'),
    ("n", 'n'),
    ("o", 'o'),
    ("p", 'p'),
    ("q", 'q'),
    ("r", 'r'),
    ("s", 's'),
    ("t", 't'),
    ("u", 'u'),
    ("v", 'v'),
    ("w", 'w'),
    ("x", 'x'),
    ("y", 'y'),
    ("z", 'z'),
    // Latin-1 supplement.
    ("nbspace", '\u{a0}'),
    ("nonbreakingspace", '\u{a0}'),
    ("exclamdown", '¡'),
    ("cent", '¢'),
    ("sterling", '£'),
    ("currency", '¤'),
    ("yen", '¥'),
    ("brokenbar", '¦'),
    ("section", '§'),
    ("dieresis", '¨'),
    ("copyright", '©'),
    ("ordfeminine", 'ª'),
    ("guillemotleft", '«'),
    ("guillemetleft", '«'),
    ("logicalnot", '¬'),
    ("sfthyphen", '\u{ad}'),
    ("registered", '®'),
    ("macron", '¯'),
    ("degree", '°'),
    ("plusminus", '±'),
    ("twosuperior", '²'),
    ("threesuperior", '³'),
    ("acute", '´'),
    ("mu", 'µ'),
    ("mu1", 'µ'),
    ("paragraph", '¶'),
    ("periodcentered", '·'),
    ("middot", '·'),
    ("cedilla", '¸'),
    ("onesuperior", '¹'),
    ("ordmasculine", 'º'),
    ("guillemotright", '»'),
    ("guillemetright", '»'),
    ("onequarter", '¼'),
    ("onehalf", '½'),
    ("threequarters", '¾'),
    ("questiondown", '¿'),
    ("Agrave", 'À'),
    ("Aacute", 'Á'),
    ("Acircumflex", 'Â'),
    ("Atilde", 'Ã'),
    ("Adieresis", 'Ä'),
    ("Aring", 'Å'),
    ("AE", 'Æ'),
    ("Ccedilla", 'Ç'),
    ("Egrave", 'È'),
    ("Eacute", 'É'),
    ("Ecircumflex", 'Ê'),
    ("Edieresis", 'Ë'),
    ("Igrave", 'Ì'),
    ("Iacute", 'Í'),
    ("Icircumflex", 'Î'),
    ("Idieresis", 'Ï'),
    ("Eth", 'Ð'),
    ("Ntilde", 'Ñ'),
    ("Ograve", 'Ò'),
    ("Oacute", 'Ó'),
    ("Ocircumflex", 'Ô'),
    ("Otilde", 'Õ'),
    ("Odieresis", 'Ö'),
    ("multiply", '×'),
    ("Oslash", 'Ø'),
    ("Ugrave", 'Ù'),
    ("Uacute", 'Ú'),
    ("Ucircumflex", 'Û'),
    ("Udieresis", 'Ü'),
    ("Yacute", 'Ý'),
    ("Thorn", 'Þ'),
    ("germandbls", 'ß'),
    ("agrave", 'à'),
    ("aacute", 'á'),
    ("acircumflex", 'â'),
    ("atilde", 'ã'),
    ("adieresis", 'ä'),
    ("aring", 'å'),
    ("ae", 'æ'),
    ("ccedilla", 'ç'),
    ("egrave", 'è'),
    ("eacute", 'é'),
    ("ecircumflex", 'ê'),
    ("edieresis", 'ë'),
    ("igrave", 'ì'),
    ("iacute", 'í'),
    ("icircumflex", 'î'),
    ("idieresis", 'ï'),
    ("eth", 'ð'),
    ("ntilde", 'ñ'),
    ("ograve", 'ò'),
    ("oacute", 'ó'),
    ("ocircumflex", 'ô'),
    ("otilde", 'õ'),
    ("odieresis", 'ö'),
    ("divide", '÷'),
    ("oslash", 'ø'),
    ("ugrave", 'ù'),
    ("uacute", 'ú'),
    ("ucircumflex", 'û'),
    ("udieresis", 'ü'),
    ("yacute", 'ý'),
    ("thorn", 'þ'),
    ("ydieresis", 'ÿ'),
    // Latin Extended-A letters seen in Nordic and European names.
    ("Amacron", 'Ā'),
    ("amacron", 'ā'),
    ("Aogonek", 'Ą'),
    ("aogonek", 'ą'),
    ("Cacute", 'Ć'),
    ("cacute", 'ć'),
    ("Ccaron", 'Č'),
    ("ccaron", 'č'),
    ("Dcaron", 'Ď'),
    ("dcaron", 'ď'),
    ("Dcroat", 'Đ'),
    ("dcroat", 'đ'),
    ("Eogonek", 'Ę'),
    ("eogonek", 'ę'),
    ("Ecaron", 'Ě'),
    ("ecaron", 'ě'),
    ("Gbreve", 'Ğ'),
    ("gbreve", 'ğ'),
    ("Idotaccent", 'İ'),
    ("dotlessi", 'ı'),
    ("Lslash", 'Ł'),
    ("lslash", 'ł'),
    ("Nacute", 'Ń'),
    ("nacute", 'ń'),
    ("Ncaron", 'Ň'),
    ("ncaron", 'ň'),
    ("Eng", 'Ŋ'),
    ("eng", 'ŋ'),
    ("Ohungarumlaut", 'Ő'),
    ("ohungarumlaut", 'ő'),
    ("OE", 'Œ'),
    ("oe", 'œ'),
    ("Rcaron", 'Ř'),
    ("rcaron", 'ř'),
    ("Sacute", 'Ś'),
    ("sacute", 'ś'),
    ("Scedilla", 'Ş'),
    ("scedilla", 'ş'),
    ("Scaron", 'Š'),
    ("scaron", 'š'),
    ("Tcaron", 'Ť'),
    ("tcaron", 'ť'),
    ("Uring", 'Ů'),
    ("uring", 'ů'),
    ("Uhungarumlaut", 'Ű'),
    ("uhungarumlaut", 'ű'),
    ("Ydieresis", 'Ÿ'),
    ("Zacute", 'Ź'),
    ("zacute", 'ź'),
    ("Zdotaccent", 'Ż'),
    ("zdotaccent", 'ż'),
    ("Zcaron", 'Ž'),
    ("zcaron", 'ž'),
    ("florin", 'ƒ'),
    // Spacing accents.
    ("circumflex", 'ˆ'),
    ("caron", 'ˇ'),
    ("breve", '˘'),
    ("dotaccent", '˙'),
    ("ring", '˚'),
    ("ogonek", '˛'),
    ("tilde", '˜'),
    ("hungarumlaut", '˝'),
    // Punctuation, symbols and ligatures.
    ("endash", '–'),
    ("emdash", '—'),
    ("quoteleft", '‘'),
    ("quoteright", '’'),
    ("quotesinglbase", '‚'),
    ("quotedblleft", '“'),
    ("quotedblright", '”'),
    ("quotedblbase", '„'),
    ("dagger", '†'),
    ("daggerdbl", '‡'),
    ("bullet", '•'),
    ("ellipsis", '…'),
    ("perthousand", '‰'),
    ("guilsinglleft", '‹'),
    ("guilsinglright", '›'),
    ("fraction", '⁄'),
    ("Euro", '€'),
    ("trademark", '™'),
    ("minus", '−'),
    ("notequal", '≠'),
    ("infinity", '∞'),
    ("lessequal", '≤'),
    ("greaterequal", '≥'),
    ("partialdiff", '∂'),
    ("summation", '∑'),
    ("product", '∏'),
    ("pi", 'π'),
    ("integral", '∫'),
    ("Omega", 'Ω'),
    ("Delta", '∆'),
    ("radical", '√'),
    ("approxequal", '≈'),
    ("lozenge", '◊'),
    ("fi", 'ﬁ'),
    ("fl", 'ﬂ'),
    ("ff", 'ﬀ'),
    ("ffi", 'ﬃ'),
    ("ffl", 'ﬄ'),
    ("figuredash", '‒'),
    ("underscoredbl", '‗'),
    ("dotlessj", 'ȷ'),
];

fn glyph_table() -> &'static HashMap<&'static str, char> {
    static TABLE: OnceLock<HashMap<&'static str, char>> = OnceLock::new();
    TABLE.get_or_init(|| GLYPH_NAMES.iter().copied().collect())
}

/// The text a glyph name stands for, following the Adobe Glyph List rules
/// that matter in practice: table names, `uniXXXX[XXXX…]`, `uXXXX[XX]`,
/// suffixes after a period (`a.sc`) and ligatures joined by underscores
/// (`f_f_i`).
pub(crate) fn glyph_name_to_text(name: &str) -> Option<String> {
    // A suffix only selects a variant of the same character.
    let base = name.split('.').next().unwrap_or(name);
    if base.contains('_') {
        let parts: Option<Vec<String>> = base.split('_').map(component_to_text).collect();
        return parts
            .map(|parts| parts.concat())
            .filter(|text| !text.is_empty());
    }
    component_to_text(base)
}

fn component_to_text(name: &str) -> Option<String> {
    if let Some(&ch) = glyph_table().get(name) {
        return Some(ch.to_string());
    }
    if let Some(hex) = name.strip_prefix("uni") {
        // uniXXXX may repeat: uni00660069 is "fi" spelled out.
        if hex.is_empty() || hex.len() % 4 != 0 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let units: Vec<u16> = hex
            .as_bytes()
            .chunks(4)
            .filter_map(|chunk| std::str::from_utf8(chunk).ok())
            .filter_map(|chunk| u16::from_str_radix(chunk, 16).ok())
            .collect();
        let text: String = char::decode_utf16(units).filter_map(Result::ok).collect();
        return Some(text).filter(|text| !text.is_empty());
    }
    if let Some(hex) = name.strip_prefix('u') {
        if (4..=6).contains(&hex.len()) && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return u32::from_str_radix(hex, 16)
                .ok()
                .and_then(char::from_u32)
                .map(String::from);
        }
    }
    None
}

/// A glyph name for `ch`, for writing `/Differences` arrays: the table name
/// when there is one, else the `uniXXXX` form every reader understands.
pub(crate) fn glyph_name_for(ch: char) -> String {
    static REVERSE: OnceLock<HashMap<char, &'static str>> = OnceLock::new();
    let reverse = REVERSE.get_or_init(|| {
        let mut map = HashMap::new();
        // The first name listed wins, so aliases such as `nonbreakingspace`
        // never replace the primary name.
        for &(name, ch) in GLYPH_NAMES {
            map.entry(ch).or_insert(name);
        }
        map
    });
    match reverse.get(&ch) {
        Some(name) => (*name).to_string(),
        None => {
            let mut units = [0u16; 2];
            let hex: Vec<String> = ch
                .encode_utf16(&mut units)
                .iter()
                .map(|unit| format!("{unit:04X}"))
                .collect();
            format!("uni{}", hex.concat())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norwegian_letters_decode_in_every_base_encoding_that_has_them() {
        assert_eq!(BaseEncoding::WinAnsi.decode(0xe5), Some('å'));
        assert_eq!(BaseEncoding::WinAnsi.decode(0xd8), Some('Ø'));
        assert_eq!(BaseEncoding::MacRoman.decode(0x8c), Some('å'));
        assert_eq!(BaseEncoding::MacRoman.decode(0xbf), Some('ø'));
        assert_eq!(BaseEncoding::MacRoman.decode(0xae), Some('Æ'));
        assert_eq!(BaseEncoding::Standard.decode(0xf9), Some('ø'));
        assert_eq!(BaseEncoding::Standard.decode(0x27), Some('’'));
        assert_eq!(BaseEncoding::Standard.decode(0xe5), None);
    }

    #[test]
    fn encode_inverts_decode() {
        for encoding in [
            BaseEncoding::WinAnsi,
            BaseEncoding::MacRoman,
            BaseEncoding::Standard,
        ] {
            for code in 0x20..=0xffu8 {
                if let Some(ch) = encoding.decode(code) {
                    let back = encoding.encode(ch).and_then(|c| encoding.decode(c));
                    assert_eq!(back, Some(ch), "{encoding:?} {code:#x}");
                }
            }
        }
    }

    #[test]
    fn glyph_names_cover_latin_uni_and_ligature_forms() {
        let text = |name: &str| glyph_name_to_text(name);
        assert_eq!(text("aring").as_deref(), Some("å"));
        assert_eq!(text("Oslash").as_deref(), Some("Ø"));
        assert_eq!(text("AE").as_deref(), Some("Æ"));
        assert_eq!(text("uni00E6").as_deref(), Some("æ"));
        assert_eq!(text("u1F600").as_deref(), Some("😀"));
        assert_eq!(text("f_f_i").as_deref(), Some("ffi"));
        assert_eq!(text("oslash.sc").as_deref(), Some("ø"));
        assert_eq!(text("quotedblright").as_deref(), Some("”"));
        assert_eq!(text("g123"), None);
        assert_eq!(glyph_name_for('å'), "aring");
        assert_eq!(glyph_name_for('ŝ'), "uni015D");
    }
}
