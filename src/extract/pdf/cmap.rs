//! A tolerant parser for the CMaps found in PDFs: `/ToUnicode` maps (code →
//! text) and embedded `/Encoding` CMaps of Type0 fonts (code → CID, plus the
//! codespace ranges that say how many bytes a code has).
//!
//! Real-world CMaps are often slightly broken (missing `end…` keywords,
//! odd whitespace, stray PostScript), so the parser reads the sections it
//! knows and skips everything else instead of rejecting the map.

use std::collections::HashMap;

/// More entries than any real font has; a crafted `bfrange` covering the
/// whole 32-bit space must not exhaust memory.
const MAX_ENTRIES: usize = 1 << 20;

/// A code as it appears in a string: its byte length matters, because
/// `<41>` and `<0041>` are different codes.
pub(crate) type Code = (u8, u32);

/// One codespace range: codes of `len` bytes between `low` and `high`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CodespaceRange {
    pub(crate) len: u8,
    pub(crate) low: u32,
    pub(crate) high: u32,
}

/// The parsed content of one CMap stream.
#[derive(Debug, Default, Clone)]
pub(crate) struct CMap {
    /// Code → Unicode text, from `bfchar` and `bfrange`.
    pub(crate) unicode: HashMap<Code, String>,
    /// Code → CID, from `cidchar` and `cidrange`.
    pub(crate) cids: HashMap<Code, u32>,
    /// The byte lengths codes may have.
    pub(crate) codespace: Vec<CodespaceRange>,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Hex(Vec<u8>),
    Int(i64),
    Keyword(Vec<u8>),
    Name,
    ArrayStart,
    ArrayEnd,
    Other,
}

impl CMap {
    /// Parses CMap source text. Never fails: what cannot be read is skipped.
    pub(crate) fn parse(data: &[u8]) -> CMap {
        let tokens = tokenize(data);
        let mut cmap = CMap::default();
        let mut index = 0;
        while let Some(token) = tokens.get(index) {
            index += 1;
            let Token::Keyword(keyword) = token else {
                continue;
            };
            index = match keyword.as_slice() {
                b"begincodespacerange" => cmap.read_codespace(&tokens, index),
                b"beginbfchar" => cmap.read_bfchar(&tokens, index),
                b"beginbfrange" => cmap.read_bfrange(&tokens, index),
                b"begincidchar" => cmap.read_cidchar(&tokens, index),
                b"begincidrange" => cmap.read_cidrange(&tokens, index),
                _ => index,
            };
        }
        cmap
    }

    fn full(&self) -> bool {
        self.unicode.len() + self.cids.len() >= MAX_ENTRIES
    }

    fn read_codespace(&mut self, tokens: &[Token], mut index: usize) -> usize {
        while let (Some(Token::Hex(low)), Some(Token::Hex(high))) =
            (tokens.get(index), tokens.get(index + 1))
        {
            if let (Some((len, low)), Some((_, high))) = (code_of(low), code_of(high)) {
                self.codespace.push(CodespaceRange { len, low, high });
            }
            index += 2;
        }
        index
    }

    fn read_bfchar(&mut self, tokens: &[Token], mut index: usize) -> usize {
        while let (Some(Token::Hex(src)), Some(dst)) = (tokens.get(index), tokens.get(index + 1)) {
            if let (Some(code), Token::Hex(dst)) = (code_of(src), dst) {
                if !self.full() {
                    self.unicode.insert(code, utf16be_to_string(dst));
                }
            }
            index += 2;
        }
        index
    }

    fn read_bfrange(&mut self, tokens: &[Token], mut index: usize) -> usize {
        loop {
            let (Some(Token::Hex(low)), Some(Token::Hex(high))) =
                (tokens.get(index), tokens.get(index + 1))
            else {
                return index;
            };
            let (Some((len, low)), Some((_, high))) = (code_of(low), code_of(high)) else {
                return index;
            };
            index += 2;
            match tokens.get(index) {
                // <lo> <hi> <dst>: consecutive codes map to consecutive text,
                // the last UTF-16 unit of dst counting up.
                Some(Token::Hex(dst)) => {
                    index += 1;
                    let mut units = utf16_units(dst);
                    for code in low..=high {
                        if self.full() {
                            break;
                        }
                        self.unicode
                            .insert((len, code), String::from_utf16_lossy(&units));
                        if let Some(last) = units.last_mut() {
                            *last = last.wrapping_add(1);
                        }
                    }
                }
                // <lo> <hi> [<dst> <dst> …]: one destination per code.
                Some(Token::ArrayStart) => {
                    index += 1;
                    let mut code = low;
                    while let Some(Token::Hex(dst)) = tokens.get(index) {
                        if code <= high && !self.full() {
                            self.unicode.insert((len, code), utf16be_to_string(dst));
                        }
                        code = code.saturating_add(1);
                        index += 1;
                    }
                    if tokens.get(index) == Some(&Token::ArrayEnd) {
                        index += 1;
                    }
                }
                _ => return index,
            }
        }
    }

    fn read_cidchar(&mut self, tokens: &[Token], mut index: usize) -> usize {
        while let (Some(Token::Hex(src)), Some(Token::Int(cid))) =
            (tokens.get(index), tokens.get(index + 1))
        {
            if let (Some(code), Ok(cid)) = (code_of(src), u32::try_from(*cid)) {
                if !self.full() {
                    self.cids.insert(code, cid);
                }
            }
            index += 2;
        }
        index
    }

    fn read_cidrange(&mut self, tokens: &[Token], mut index: usize) -> usize {
        while let (Some(Token::Hex(low)), Some(Token::Hex(high)), Some(Token::Int(cid))) = (
            tokens.get(index),
            tokens.get(index + 1),
            tokens.get(index + 2),
        ) {
            if let (Some((len, low)), Some((_, high)), Ok(first)) =
                (code_of(low), code_of(high), u32::try_from(*cid))
            {
                for code in low..=high {
                    if self.full() {
                        break;
                    }
                    self.cids
                        .insert((len, code), first.saturating_add(code - low));
                }
            }
            index += 3;
        }
        index
    }
}

/// The `(length, value)` of a code written as a hex string of 1–4 bytes.
fn code_of(bytes: &[u8]) -> Option<Code> {
    if bytes.is_empty() || bytes.len() > 4 {
        return None;
    }
    let value = bytes.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b));
    Some((bytes.len() as u8, value))
}

fn utf16_units(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks(2)
        .map(|pair| match pair {
            [high, low] => u16::from_be_bytes([*high, *low]),
            // An odd trailing byte is a writer bug; reading it as a unit of
            // its own keeps single-byte destinations such as <41> readable.
            [single] => u16::from(*single),
            _ => 0,
        })
        .collect()
}

/// Decodes UTF-16BE, surrogate pairs included; unpaired surrogates become
/// U+FFFD rather than failing the whole map.
pub(crate) fn utf16be_to_string(bytes: &[u8]) -> String {
    String::from_utf16_lossy(&utf16_units(bytes))
}

fn tokenize(data: &[u8]) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut pos = 0;
    while let Some(&byte) = data.get(pos) {
        match byte {
            b'%' => {
                while data.get(pos).is_some_and(|&b| b != b'\n' && b != b'\r') {
                    pos += 1;
                }
            }
            b'<' if data.get(pos + 1) == Some(&b'<') => {
                tokens.push(Token::Other);
                pos += 2;
            }
            b'>' if data.get(pos + 1) == Some(&b'>') => {
                tokens.push(Token::Other);
                pos += 2;
            }
            b'<' => {
                pos += 1;
                let mut digits = Vec::new();
                while let Some(&b) = data.get(pos) {
                    pos += 1;
                    if b == b'>' {
                        break;
                    }
                    if let Some(digit) = (b as char).to_digit(16) {
                        digits.push(digit as u8);
                    }
                }
                // An odd digit count means a final 0, as in PDF hex strings.
                let bytes = digits
                    .chunks(2)
                    .map(|pair| match pair {
                        [high, low] => (high << 4) | low,
                        [high] => high << 4,
                        _ => 0,
                    })
                    .collect();
                tokens.push(Token::Hex(bytes));
            }
            b'[' => {
                tokens.push(Token::ArrayStart);
                pos += 1;
            }
            b']' => {
                tokens.push(Token::ArrayEnd);
                pos += 1;
            }
            b'(' => {
                // Literal strings only appear in headers we do not read.
                let mut depth = 0usize;
                while let Some(&b) = data.get(pos) {
                    pos += 1;
                    match b {
                        b'\\' => pos += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                tokens.push(Token::Other);
            }
            b'/' => {
                pos += 1;
                while data.get(pos).is_some_and(|&b| is_regular(b)) {
                    pos += 1;
                }
                tokens.push(Token::Name);
            }
            b if b.is_ascii_whitespace() || b == 0 => pos += 1,
            b if is_regular(b) => {
                let start = pos;
                while data.get(pos).is_some_and(|&b| is_regular(b)) {
                    pos += 1;
                }
                let word = data.get(start..pos).unwrap_or_default();
                let token = std::str::from_utf8(word)
                    .ok()
                    .and_then(|text| text.parse::<i64>().ok())
                    .map_or_else(|| Token::Keyword(word.to_vec()), Token::Int);
                tokens.push(token);
            }
            _ => {
                tokens.push(Token::Other);
                pos += 1;
            }
        }
    }
    tokens
}

fn is_regular(byte: u8) -> bool {
    !byte.is_ascii_whitespace() && !b"()<>[]{}/%".contains(&byte) && byte != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &[u8] = b"/CIDInit /ProcSet findresource begin
12 dict begin begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
1 begincodespacerange <0000> <FFFF> endcodespacerange
3 beginbfchar
<0003> <0020>
<0042> <00E6>
<0043> <D83DDE00>
endbfchar
2 beginbfrange
<0010> <0012> <00F8>
<0020> <0022> [<00C5> <0066006C> <00D8>]
endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end";

    #[test]
    fn bfchar_maps_single_codes_including_surrogate_pairs() {
        let cmap = CMap::parse(SAMPLE);
        assert_eq!(cmap.unicode.get(&(2, 0x42)).map(String::as_str), Some("æ"));
        assert_eq!(cmap.unicode.get(&(2, 0x43)).map(String::as_str), Some("😀"));
        assert_eq!(cmap.unicode.get(&(2, 0x03)).map(String::as_str), Some(" "));
        assert_eq!(
            cmap.codespace,
            vec![CodespaceRange {
                len: 2,
                low: 0,
                high: 0xffff
            }]
        );
    }

    #[test]
    fn bfrange_counts_up_from_its_destination() {
        let cmap = CMap::parse(SAMPLE);
        assert_eq!(cmap.unicode.get(&(2, 0x10)).map(String::as_str), Some("ø"));
        assert_eq!(cmap.unicode.get(&(2, 0x11)).map(String::as_str), Some("ù"));
        assert_eq!(cmap.unicode.get(&(2, 0x12)).map(String::as_str), Some("ú"));
    }

    #[test]
    fn bfrange_array_form_gives_each_code_its_own_text() {
        let cmap = CMap::parse(SAMPLE);
        assert_eq!(cmap.unicode.get(&(2, 0x20)).map(String::as_str), Some("Å"));
        assert_eq!(cmap.unicode.get(&(2, 0x21)).map(String::as_str), Some("fl"));
        assert_eq!(cmap.unicode.get(&(2, 0x22)).map(String::as_str), Some("Ø"));
    }

    #[test]
    fn one_byte_codes_and_cid_ranges_are_kept_apart_by_length() {
        let cmap = CMap::parse(
            b"1 begincodespacerange <00> <ff> endcodespacerange 1 beginbfchar <41> <0041> endbfchar
              1 begincidrange <0000> <00ff> 100 endcidrange 1 begincidchar <20> 7 endcidchar",
        );
        assert_eq!(cmap.unicode.get(&(1, 0x41)).map(String::as_str), Some("A"));
        assert!(!cmap.unicode.contains_key(&(2, 0x41)));
        assert_eq!(cmap.cids.get(&(2, 0x10)), Some(&0x74));
        assert_eq!(cmap.cids.get(&(1, 0x20)), Some(&7));
    }

    #[test]
    fn huge_or_broken_ranges_do_not_exhaust_memory_or_panic() {
        let cmap = CMap::parse(b"1 beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange");
        assert_eq!(cmap.unicode.len(), MAX_ENTRIES);
        let cmap = CMap::parse(b"beginbfrange <00> <ff> [<41> <42 endbfrange ( unterminated");
        assert_eq!(cmap.unicode.get(&(1, 0)).map(String::as_str), Some("A"));
    }
}
