//! A reader between an XML file and quick-xml that passes every run of character data, comment,
//! CDATA section, processing instruction and tag on only up to a cap, and drops the rest without
//! holding it.
//!
//! quick-xml hands out one event at a time, but an event is buffered whole: a 1 GiB `tittel`,
//! 1 GiB of white space between two elements or 1 GiB inside an element nobody reads each cost
//! gigabytes before the reader can decide to skip them. Cutting at the byte level, before
//! quick-xml, bounds every event by the cap whatever the file holds. The cut keeps the document
//! well-formed as far as it was: a UTF-8 character is never split, an entity reference that
//! started is finished, and a comment, CDATA section, processing instruction, quoted value or
//! tag keeps its closing bytes. Each cut is recorded as a [`Cut`] for the reader to report.

use std::collections::VecDeque;
use std::io::{self, BufRead, Read};

/// Bytes dropped from one over-long run, and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cut {
    /// The line (1-based) of the input where dropping began.
    pub line: u64,
    /// Bytes dropped.
    pub bytes: u64,
    /// Line breaks among them, so a reader that counts lines in what it sees can catch up.
    pub newlines: u64,
}

/// Where in the markup the filter is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Character data between tags.
    Text,
    /// Inside an entity reference (`&…;`) in character data; `kept`: its `&` was passed on.
    Ref { len: u8, kept: bool },
    /// Just after `<`.
    Lt,
    /// Just after `<!`.
    Bang,
    /// Just after `<!-`.
    BangDash,
    /// Inside the `[CDATA[` that opens a CDATA section: how many of its bytes have been seen.
    CDataOpen { matched: u8 },
    /// Inside a comment (`end` is `-`) or a CDATA section (`end` is `]`), which ends at two
    /// `end` bytes and `>`: how many `end` bytes were just seen, and how many of those passed.
    Section { end: u8, seen: u8, kept: u8 },
    /// Inside a processing instruction: after a `?`, and whether it was passed on.
    Pi { question: bool, kept: bool },
    /// Inside a tag or declaration: in a quoted value or not, whether its quote passed, and
    /// whether the last byte was a `/` that was dropped (an empty tag's `/>` must stay whole).
    Tag {
        quote: Option<u8>,
        quote_kept: bool,
        slash_dropped: bool,
    },
}

/// A tag just begun.
const TAG: State = State::Tag {
    quote: None,
    quote_kept: false,
    slash_dropped: false,
};

/// What follows `<!` in a CDATA section's opening.
const CDATA_OPEN: &[u8] = b"[CDATA[";

/// The longest entity reference passed on whole after the cap (`&#x1F600;` is 10 bytes).
const MAX_REF: u8 = 32;

/// The filter's state, apart from the reader it filters.
#[derive(Debug)]
struct Filter {
    cap: usize,
    state: State,
    /// Bytes of the current run passed on. A run counts from the byte that opens it: the `<`
    /// of a tag, the `>` before character data.
    run: usize,
    /// Whether the last byte was passed on (a UTF-8 continuation byte follows its lead byte).
    last_kept: bool,
    /// The current line of the input.
    line: u64,
    /// The cut in progress.
    cut: Option<Cut>,
    /// Finished cuts, not yet taken by the reader.
    cuts: VecDeque<Cut>,
}

impl Filter {
    /// Passes on what it keeps of `data` into `out`.
    fn process(&mut self, data: &[u8], out: &mut Vec<u8>) {
        let mut i = 0;
        while i < data.len() {
            if self.state == State::Text && self.run < self.cap {
                // The common case: copy plain character data up to the next markup in one go.
                let room = (self.cap - self.run).min(data.len() - i);
                let n = data[i..i + room]
                    .iter()
                    .position(|&b| b == b'<' || b == b'&')
                    .unwrap_or(room);
                if n > 0 {
                    let plain = &data[i..i + n];
                    self.finish_cut();
                    out.extend_from_slice(plain);
                    self.line += plain.iter().filter(|&&b| b == b'\n').count() as u64;
                    self.run += n;
                    self.last_kept = true;
                    i += n;
                    continue;
                }
            }
            self.step(data[i], out);
            i += 1;
        }
    }

    /// Whether a content byte is passed on: under the cap, or finishing a character whose
    /// first byte was.
    fn content(&self, b: u8) -> bool {
        if b & 0xC0 == 0x80 {
            self.last_kept
        } else {
            self.run < self.cap
        }
    }

    fn step(&mut self, b: u8, out: &mut Vec<u8>) {
        let keep = match self.state {
            State::Text => self.text(b),
            State::Ref { len, kept } => match b {
                b';' => {
                    self.state = State::Text;
                    kept
                }
                b'<' => self.text(b),
                _ => {
                    if len >= MAX_REF {
                        self.state = State::Text;
                        self.content(b)
                    } else {
                        self.state = State::Ref { len: len + 1, kept };
                        kept
                    }
                }
            },
            State::Lt => match b {
                b'!' => {
                    self.state = State::Bang;
                    true
                }
                b'?' => {
                    self.state = State::Pi {
                        question: false,
                        kept: false,
                    };
                    true
                }
                _ => self.tag(b, TAG, out),
            },
            State::Bang => match b {
                b'-' => {
                    self.state = State::BangDash;
                    true
                }
                b'[' => {
                    self.state = State::CDataOpen { matched: 1 };
                    true
                }
                _ => self.tag(b, TAG, out),
            },
            State::CDataOpen { matched } => {
                if CDATA_OPEN.get(usize::from(matched)) != Some(&b) {
                    self.tag(b, TAG, out)
                } else if usize::from(matched) + 1 == CDATA_OPEN.len() {
                    // The section's content is a run of its own.
                    self.state = State::Section {
                        end: b']',
                        seen: 0,
                        kept: 0,
                    };
                    self.run = 0;
                    true
                } else {
                    self.state = State::CDataOpen {
                        matched: matched + 1,
                    };
                    true
                }
            }
            State::BangDash => match b {
                b'-' => {
                    self.state = State::Section {
                        end: b'-',
                        seen: 0,
                        kept: 0,
                    };
                    true
                }
                _ => self.tag(b, TAG, out),
            },
            State::Section { end, seen, kept } => {
                if b == b'>' && seen >= 2 {
                    // The closing pair passes whole, whatever of it the cap dropped.
                    out.extend(std::iter::repeat_n(end, 2 - kept.min(2) as usize));
                    self.end_markup();
                    true
                } else {
                    let keep = self.content(b);
                    self.state = if b == end {
                        State::Section {
                            end,
                            seen: seen.saturating_add(1),
                            kept: kept.saturating_add(u8::from(keep)),
                        }
                    } else {
                        State::Section {
                            end,
                            seen: 0,
                            kept: 0,
                        }
                    };
                    keep
                }
            }
            State::Pi { question, kept } => {
                if b == b'>' && question {
                    if !kept {
                        out.push(b'?');
                    }
                    self.end_markup();
                    true
                } else {
                    let keep = self.content(b);
                    self.state = State::Pi {
                        question: b == b'?',
                        kept: keep,
                    };
                    keep
                }
            }
            tag @ State::Tag { .. } => self.tag(b, tag, out),
        };
        if keep {
            self.finish_cut();
            out.push(b);
            self.run = self.run.saturating_add(1);
        } else {
            let line = self.line;
            let cut = self.cut.get_or_insert(Cut {
                line,
                bytes: 0,
                newlines: 0,
            });
            cut.bytes += 1;
            cut.newlines += u64::from(b == b'\n');
        }
        self.last_kept = keep;
        self.line += u64::from(b == b'\n');
    }

    fn text(&mut self, b: u8) -> bool {
        match b {
            b'<' => {
                self.finish_cut();
                self.state = State::Lt;
                self.run = 0;
                true
            }
            b'&' => {
                let kept = self.content(b);
                self.state = State::Ref { len: 0, kept };
                kept
            }
            _ => {
                self.state = State::Text;
                self.content(b)
            }
        }
    }

    fn tag(&mut self, b: u8, state: State, out: &mut Vec<u8>) -> bool {
        let State::Tag {
            quote,
            quote_kept,
            slash_dropped,
        } = state
        else {
            return self.tag(b, TAG, out);
        };
        let (next, keep) = match (quote, b) {
            (None, b'>') => {
                if slash_dropped {
                    out.push(b'/');
                }
                self.end_markup();
                return true;
            }
            (None, b'"' | b'\'') => {
                let kept = self.content(b);
                (
                    State::Tag {
                        quote: Some(b),
                        quote_kept: kept,
                        slash_dropped: false,
                    },
                    kept,
                )
            }
            (Some(q), _) if b == q => (TAG, quote_kept),
            _ => {
                let keep = self.content(b);
                (
                    State::Tag {
                        quote,
                        quote_kept,
                        slash_dropped: quote.is_none() && b == b'/' && !keep,
                    },
                    keep,
                )
            }
        };
        self.state = next;
        keep
    }

    /// The end of a tag, comment, CDATA section or processing instruction: character data
    /// begins.
    fn end_markup(&mut self) {
        self.finish_cut();
        self.state = State::Text;
        self.run = 0;
    }

    fn finish_cut(&mut self) {
        if let Some(cut) = self.cut.take() {
            self.cuts.push_back(cut);
        }
    }
}

/// A [`BufRead`] that passes an XML byte stream on with every run cut to a cap (see the
/// module documentation). Memory: the inner reader's buffer plus one of the same size.
#[derive(Debug)]
pub(crate) struct CappedXml<R> {
    inner: R,
    out: Vec<u8>,
    pos: usize,
    filter: Filter,
}

impl<R: BufRead> CappedXml<R> {
    /// Filters `inner`, keeping at most `cap` bytes of any one run.
    pub fn new(inner: R, cap: usize) -> Self {
        CappedXml {
            inner,
            out: Vec::new(),
            pos: 0,
            filter: Filter {
                cap: cap.max(1),
                state: State::Text,
                run: 0,
                last_kept: true,
                line: 1,
                cut: None,
                cuts: VecDeque::new(),
            },
        }
    }

    /// The reader it filters.
    pub fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }

    /// The cuts made so far that have not been taken yet. A cut is finished when the run it
    /// cut ends, so it may be taken a little before the reader reaches that place.
    pub fn take_cuts(&mut self) -> impl Iterator<Item = Cut> + '_ {
        self.filter.cuts.drain(..)
    }
}

impl<R: BufRead> BufRead for CappedXml<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.pos == self.out.len() {
            self.out.clear();
            self.pos = 0;
            let data = self.inner.fill_buf()?;
            if data.is_empty() {
                self.filter.finish_cut();
                break;
            }
            let n = data.len();
            self.filter.process(data, &mut self.out);
            self.inner.consume(n);
        }
        Ok(&self.out[self.pos..])
    }

    fn consume(&mut self, amt: usize) {
        self.pos = (self.pos + amt).min(self.out.len());
    }
}

impl<R: BufRead> Read for CappedXml<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The filtered text and the cuts, read through a small inner buffer so runs straddle
    /// buffer boundaries.
    fn filter(xml: &str, cap: usize) -> (String, Vec<Cut>) {
        let inner = io::BufReader::with_capacity(7, xml.as_bytes());
        let mut r = CappedXml::new(inner, cap);
        let mut out = Vec::new();
        r.read_to_end(&mut out).unwrap();
        let cuts = r.take_cuts().collect();
        (String::from_utf8(out).expect("still UTF-8"), cuts)
    }

    #[test]
    fn short_runs_pass_unchanged() {
        let xml = "<?xml version=\"1.0\"?>\n<a x=\"1 > 0\"><!-- c --><b>tekst &amp; mer</b>\
                   <![CDATA[<raw>]]></a>";
        assert_eq!(filter(xml, 64), (xml.to_string(), vec![]));
    }

    #[test]
    fn long_text_is_cut_at_a_character_boundary_and_recorded() {
        let (out, cuts) = filter("<t>æøå\nææææ\n</t><u>ok</u>", 9);
        assert_eq!(out, "<t>æøå\næ</t><u>ok</u>");
        assert_eq!(
            cuts,
            vec![Cut {
                line: 2,
                bytes: 7,
                newlines: 1
            }]
        );
    }

    #[test]
    fn an_entity_reference_at_the_cap_is_finished() {
        let (out, _) = filter("<t>abc&amp;defgh</t>", 5);
        assert_eq!(out, "<t>abc&amp;</t>");
    }

    #[test]
    fn comments_cdata_pis_and_quoted_values_keep_their_ends() {
        let (out, cuts) = filter("<!-- lang kommentar --><t/>", 8);
        assert_eq!(out, "<!-- lan--><t/>", "{cuts:?}");
        let (out, _) = filter("<![CDATA[0123456789]]><t/>", 8);
        assert_eq!(out, "<![CDATA[0123456]]><t/>");
        let (out, _) = filter("<?pi 0123456789?><t/>", 8);
        assert_eq!(out, "<?pi 012?><t/>");
        let (out, _) = filter("<t a=\"0123456789\" b='x'>v</t>", 8);
        assert_eq!(out, "<t a=\"01\">v</t>");
        let (out, _) = filter("<t a=\"0123456789\"/><u/>", 8);
        assert_eq!(out, "<t a=\"01\"/><u/>");
    }

    #[test]
    fn the_filtered_stream_parses_to_the_same_structure() {
        let xml = format!(
            "<r>{}<t>{}</t><u a=\"{}\">kort</u><!--{}--></r>",
            " \n".repeat(1000),
            "x&lt;".repeat(1000),
            "v".repeat(1000),
            "-".repeat(1001)
        );
        let (out, cuts) = filter(&xml, 100);
        assert_eq!(cuts.len(), 4, "{cuts:?}");
        let mut reader = quick_xml::Reader::from_str(&out);
        let mut names = Vec::new();
        loop {
            match reader.read_event().expect("well-formed") {
                quick_xml::events::Event::Start(e) => {
                    names.push(String::from_utf8_lossy(e.name().as_ref()).into_owned())
                }
                quick_xml::events::Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(names, ["r", "t", "u"]);
    }
}
