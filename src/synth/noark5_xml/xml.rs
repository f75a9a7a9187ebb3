//! A minimal pretty-printing XML emitter (one element per line, 2-space indent) with the
//! escaping both writers need.

use std::fmt;
use std::io::{self, Write};

/// Writes `s` as XML character data or attribute value.
///
/// `&`, `<`, `>` and `"` become entities; CR becomes `&#13;` so it survives
/// end-of-line normalisation; characters XML 1.0 forbids (C0 controls other
/// than TAB/LF/CR, U+FFFE, U+FFFF) become U+FFFD instead of producing a file
/// no parser will read.
pub(super) fn write_escaped<W: Write>(w: &mut W, s: &str) -> io::Result<()> {
    let mut last = 0;
    for (i, c) in s.char_indices() {
        let rep = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\r' => "&#13;",
            '\t' | '\n' => continue,
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => "\u{FFFD}",
            _ => continue,
        };
        w.write_all(&s.as_bytes()[last..i])?;
        w.write_all(rep.as_bytes())?;
        last = i + c.len_utf8();
    }
    w.write_all(&s.as_bytes()[last..])
}

/// Minimal pretty-printing XML emitter: one element per line, 2-space indent.
pub(super) struct Xml<W: Write> {
    w: W,
    depth: usize,
}

impl<W: Write> Xml<W> {
    pub fn new(mut w: W) -> io::Result<Self> {
        w.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")?;
        Ok(Xml { w, depth: 0 })
    }

    fn indent(&mut self) -> io::Result<()> {
        for _ in 0..self.depth {
            self.w.write_all(b"  ")?;
        }
        Ok(())
    }

    fn start_tag(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        self.indent()?;
        write!(self.w, "<{name}")?;
        for (k, v) in attrs {
            write!(self.w, " {k}=\"")?;
            write_escaped(&mut self.w, v)?;
            self.w.write_all(b"\"")?;
        }
        self.w.write_all(b">")
    }

    pub fn open_with(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        self.start_tag(name, attrs)?;
        self.w.write_all(b"\n")?;
        self.depth += 1;
        Ok(())
    }

    pub fn open(&mut self, name: &str) -> io::Result<()> {
        self.open_with(name, &[])
    }

    pub fn close(&mut self, name: &str) -> io::Result<()> {
        self.depth -= 1;
        self.indent()?;
        writeln!(self.w, "</{name}>")
    }

    /// Text element; the text is escaped.
    pub fn leaf(&mut self, name: &str, text: &str) -> io::Result<()> {
        self.start_tag(name, &[])?;
        write_escaped(&mut self.w, text)?;
        writeln!(self.w, "</{name}>")
    }

    /// Element holding a number or date; such `Display` output needs no escaping.
    pub fn leaf_fmt(&mut self, name: &str, v: impl fmt::Display) -> io::Result<()> {
        self.start_tag(name, &[])?;
        writeln!(self.w, "{v}</{name}>")
    }

    pub fn opt_leaf(&mut self, name: &str, text: Option<&str>) -> io::Result<()> {
        match text {
            Some(t) => self.leaf(name, t),
            None => Ok(()),
        }
    }

    pub fn into_inner(self) -> W {
        self.w
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_handles_controls() {
        let mut v = Vec::new();
        write_escaped(&mut v, "a\rb\u{1}c\td\ne\u{FFFF}").unwrap();
        assert_eq!(
            String::from_utf8(v).unwrap(),
            "a&#13;b\u{FFFD}c\td\ne\u{FFFD}"
        );
    }
}
