//! The text as every detector sees it ([`Doc`]): the text, a case-folded copy with the same
//! characters, and the maps between byte and character offsets of both.

/// The text with what every detector needs: a case-folded copy for the lexicons and the
/// offset maps between bytes and characters for both.
pub(crate) struct Doc<'a> {
    pub text: &'a str,
    /// Lower-cased text with the same number of characters as `text` (a character whose lower
    /// case is several characters is kept as it is), so character offsets agree between the two.
    pub folded: String,
    /// The characters of `text` longer than one byte, in order: the byte/character offset maps
    /// need only these (Norwegian text is mostly ASCII, so this is short).
    wide: Vec<Wide>,
    /// The number of characters in `text`.
    chars: usize,
    /// Byte offset in `folded` of each character, and the length at the end, where its
    /// characters differ in UTF-8 length from the originals (`K` KELVIN SIGN → `k`);
    /// otherwise `None` and the maps of `text` serve both.
    folded_bytes: Option<Vec<u32>>,
}

/// A character of more than one byte.
#[derive(Clone, Copy)]
struct Wide {
    /// Its byte offset in the text.
    byte: u32,
    /// Its character offset.
    ch: u32,
    /// Its length in bytes.
    len: u32,
}

impl Wide {
    /// How many more bytes than characters the text has up to the end of this character.
    fn extra(self) -> usize {
        (self.byte - self.ch + self.len - 1) as usize
    }
}

/// Lower case of one character as [`Doc::folded`] holds it.
fn fold_char(c: char) -> char {
    match c {
        _ if c.is_ascii() => return c.to_ascii_lowercase(),
        // Latin-1 capitals (`ÆØÅ`) are 32 below their small letters; `×` has none.
        '\u{c0}'..='\u{de}' if c != '\u{d7}' => {
            return char::from_u32(c as u32 + 32).unwrap_or(c);
        }
        // Latin-1 small letters, `ß` and `÷` are their own lower case.
        '\u{df}'..='\u{ff}' => return c,
        _ => {}
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

impl<'a> Doc<'a> {
    pub fn new(text: &'a str) -> Doc<'a> {
        // The ASCII stretches are copied and folded in bulk, the (few) wide characters one by
        // one; where one's lower case differs in length, the folded copy is built again with
        // a full offset table (rare: `K` KELVIN SIGN).
        let b = text.as_bytes();
        let mut folded = String::with_capacity(text.len());
        let mut wide = Vec::new();
        let mut same_lengths = true;
        let mut extra = 0usize;
        let mut copied = 0;
        let mut i = next_non_ascii(b, 0);
        while i < b.len() {
            let c = text[i..].chars().next().unwrap_or_default();
            let len = c.len_utf8();
            wide.push(Wide {
                byte: i as u32,
                ch: (i - extra) as u32,
                len: len as u32,
            });
            extra += len - 1;
            let l = fold_char(c);
            same_lengths &= l.len_utf8() == len;
            folded.push_str(&text[copied..i]);
            folded.push(l);
            copied = i + len;
            i = next_non_ascii(b, copied);
        }
        folded.push_str(&text[copied..]);
        // Only ASCII letters are upper case here: the wide ones are folded already, and a
        // wide one folded to ASCII (KELVIN SIGN) is folded again to the same letter.
        folded.make_ascii_lowercase();
        let chars = text.len() - extra;
        let folded_bytes = (!same_lengths).then(|| {
            folded
                .char_indices()
                .map(|(b, _)| b as u32)
                .chain(std::iter::once(folded.len() as u32))
                .collect()
        });
        Doc {
            text,
            folded,
            wide,
            chars,
            folded_bytes,
        }
    }

    /// Character offset of a byte offset in `text` (a byte inside a character gives the next).
    pub fn char_at(&self, byte: usize) -> usize {
        if byte > self.text.len() {
            // Past the end: one more than the number of characters, as counting the character
            // starts and the end before `byte` would say.
            return self.chars + 1;
        }
        let k = self.wide.partition_point(|w| (w.byte as usize) < byte);
        match k.checked_sub(1).map(|k| self.wide[k]) {
            None => byte,
            // `byte` falls inside the last wide character before it.
            Some(w) if byte < (w.byte + w.len) as usize => w.ch as usize + 1,
            Some(w) => byte - w.extra(),
        }
    }

    /// Byte offset in `text` of a character offset (at most the number of characters).
    pub fn byte_at(&self, ch: usize) -> usize {
        let k = self.wide.partition_point(|w| (w.ch as usize) < ch);
        match k.checked_sub(1) {
            None => ch,
            Some(k) => ch + self.wide[k].extra(),
        }
    }

    /// Character offset of a byte offset in `folded`.
    pub fn folded_char_at(&self, byte: usize) -> usize {
        match &self.folded_bytes {
            Some(m) => m.partition_point(|&b| (b as usize) < byte),
            None => self.char_at(byte),
        }
    }

    /// The lower-case form of `text[start..end]` (byte offsets in `text`), borrowed from
    /// `folded` where the two have the same byte layout.
    pub fn folded_word(&self, start: usize, end: usize) -> std::borrow::Cow<'_, str> {
        match (&self.folded_bytes, self.folded.get(start..end)) {
            (None, Some(w)) => std::borrow::Cow::Borrowed(w),
            _ => std::borrow::Cow::Owned(self.text.get(start..end).unwrap_or("").to_lowercase()),
        }
    }

    /// The text of the characters `start..end`, which are the bytes `s..e` of `folded`:
    /// without a look-up where `folded` has the byte layout of `text`.
    pub fn folded_span(&self, s: usize, e: usize, start: usize, end: usize) -> &'a str {
        match &self.folded_bytes {
            None => self.text.get(s..e).unwrap_or(""),
            Some(_) => self.slice_chars(start, end),
        }
    }

    /// The characters `start..end` of `text` (empty when out of range).
    pub fn slice_chars(&self, start: usize, end: usize) -> &'a str {
        if start > self.chars || end > self.chars {
            return "";
        }
        let (s, e) = (self.byte_at(start), self.byte_at(end));
        self.text.get(s..e).unwrap_or("")
    }
}

/// The offset of the first byte at or after `from` that is not ASCII, or `b.len()`.
fn next_non_ascii(b: &[u8], from: usize) -> usize {
    let rest = b.get(from..).unwrap_or_default();
    let mut chunks = rest.chunks_exact(8);
    let mut at = from;
    for c in &mut chunks {
        let word = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        let high = word & 0x8080_8080_8080_8080;
        if high != 0 {
            return at + (high.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    match chunks.remainder().iter().position(|&c| c >= 0x80) {
        Some(k) => at + k,
        None => b.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pii::testing::random_texts;

    #[test]
    fn doc_offsets_and_folding_agree_with_the_plain_way() {
        let texts = random_texts(
            7,
            2000,
            40,
            &[
                "Søknad ",
                "ÆØÅ",
                "\u{212a}elvin",
                "İstanbul",
                "ẞ",
                "🙂",
                "e\u{301}",
                "KARI ",
            ],
            "abcABC æøåÆØÅé0123,.-\n\u{a0}\u{130}\u{212a}\u{df}",
        );
        for t in &texts {
            let doc = Doc::new(t);
            // The folding of the original implementation.
            let folded: String = t
                .chars()
                .map(|c| {
                    if c.is_ascii() {
                        return c.to_ascii_lowercase();
                    }
                    let mut lower = c.to_lowercase();
                    match (lower.next(), lower.next()) {
                        (Some(l), None) => l,
                        _ => c,
                    }
                })
                .collect();
            assert_eq!(doc.folded, folded, "{t:?}");
            // Offsets: the count of character starts before a byte.
            let starts: Vec<usize> = t.char_indices().map(|(b, _)| b).chain([t.len()]).collect();
            for byte in 0..=t.len() + 2 {
                let plain = starts.partition_point(|&b| b < byte);
                assert_eq!(doc.char_at(byte), plain, "{t:?} {byte}");
            }
            let fstarts: Vec<usize> = doc
                .folded
                .char_indices()
                .map(|(b, _)| b)
                .chain([doc.folded.len()])
                .collect();
            for byte in 0..=doc.folded.len() {
                let plain = fstarts.partition_point(|&b| b < byte);
                assert_eq!(doc.folded_char_at(byte), plain, "{t:?} {byte}");
            }
            let n = t.chars().count();
            for start in 0..=n + 1 {
                for end in start..=n + 1 {
                    let plain = match (starts.get(start), starts.get(end)) {
                        (Some(&s), Some(&e)) => &t[s..e],
                        _ => "",
                    };
                    assert_eq!(doc.slice_chars(start, end), plain, "{t:?} {start} {end}");
                }
            }
        }
    }
}
