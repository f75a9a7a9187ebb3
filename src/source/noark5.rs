//! Streaming reader for Noark 5 `arkivstruktur.xml` (versions 3.1, 4.0 and 5.0).
//!
//! The XML is read event by event with quick-xml: memory holds one path from the root to the
//! current element, plus the documents of the registrering being read (a registrering's own
//! fields, such as `journalposttype` in v5.0, come *after* its documents, so its documents wait
//! for it to close, up to [`MAX_WAITING`] of them). No single text node, comment or tag is held
//! whole either: `CappedXml` passes at most [`MAX_RUN`] bytes of each on, and a field keeps at
//! most [`MAX_FIELD`] bytes; what is cut is reported as a problem. Exports of gigabytes, and a
//! gigabyte in one place, therefore read in constant memory.
//!
//! The walk is by element name, not by position, so the same code reads
//! arkiv → arkivdel → klassifikasjonssystem → klasse (nested) → mappe (nested) → registrering →
//! dokumentbeskrivelse → dokumentobjekt as well as mappe or registrering directly under
//! arkivdel, and both `basisregistrering`/`sakspart` (3.1/4.0) and `part` (5.0). Unknown
//! elements and `virksomhetsspesifikkeMetadata` are skipped.

use std::collections::{HashSet, VecDeque};
use std::fs::File;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use quick_xml::events::{BytesStart, Event};

use super::checksum::{Expected, HashingFile};
use super::{DocRef, Kassasjon, Problem, ProblemKind, Skjerming, SourceError, SourceItem};
use crate::xml::CappedXml;

/// The most bytes of one text node, comment or tag passed to the XML parser; the rest is
/// skipped unread (and reported).
pub const MAX_RUN: usize = 64 * 1024;
/// The most bytes kept of one field (a title, an id): the review table's columns stay small
/// enough for a part file whatever the export holds.
pub const MAX_FIELD: usize = 8 * 1024;
/// The most documents of one registrering held back for the registrering's late fields; past
/// it they are emitted with what is known so far (and a problem says so).
pub const MAX_WAITING: usize = 10_000;

/// The structural elements the reader follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Arkiv,
    Arkivdel,
    Klassifikasjonssystem,
    Klasse,
    Mappe,
    Registrering,
    Dokumentbeskrivelse,
    Dokumentobjekt,
    Kassasjon,
    Skjerming,
}

impl Kind {
    fn from_name(name: &[u8]) -> Option<Kind> {
        Some(match name {
            b"arkiv" => Kind::Arkiv,
            b"arkivdel" => Kind::Arkivdel,
            b"klassifikasjonssystem" => Kind::Klassifikasjonssystem,
            b"klasse" => Kind::Klasse,
            b"mappe" => Kind::Mappe,
            b"registrering" => Kind::Registrering,
            b"dokumentbeskrivelse" => Kind::Dokumentbeskrivelse,
            b"dokumentobjekt" => Kind::Dokumentobjekt,
            b"kassasjon" => Kind::Kassasjon,
            b"skjerming" => Kind::Skjerming,
            _ => return None,
        })
    }

    /// The child fields of this element that the output needs; everything else is skipped.
    fn wanted(self) -> &'static [&'static str] {
        match self {
            Kind::Arkiv | Kind::Klassifikasjonssystem => &[],
            Kind::Arkivdel => &["systemID", "tittel"],
            Kind::Klasse => &["klasseID", "tittel"],
            Kind::Mappe => &["systemID", "mappeID", "tittel"],
            Kind::Registrering => &[
                "systemID",
                "registreringsID",
                "tittel",
                "journalposttype",
                "opprettetDato",
            ],
            Kind::Dokumentbeskrivelse => &[
                "systemID",
                "tittel",
                "tilknyttetRegistreringSom",
                "opprettetDato",
            ],
            Kind::Dokumentobjekt => &[
                "systemID",
                "versjonsnummer",
                "variantformat",
                "format",
                "referanseDokumentfil",
                "sjekksum",
                "sjekksumAlgoritme",
                "filstoerrelse",
                "opprettetDato",
            ],
            Kind::Kassasjon => &["kassasjonsvedtak", "bevaringstid"],
            Kind::Skjerming => &["tilgangsrestriksjon", "skjermingshjemmel"],
        }
    }
}

/// An open structural element and what has been read of it so far.
#[derive(Debug)]
struct Node {
    kind: Kind,
    /// `xsi:type` without its prefix (saksmappe, journalpost, arkivnotat, …).
    xsi_type: Option<String>,
    fields: Vec<(&'static str, String)>,
    kassasjon: Option<Kassasjon>,
    skjerming: Option<Skjerming>,
    /// Documents of a registrering waiting for the registrering's own fields.
    waiting: Vec<WaitingDoc>,
    line: u64,
}

impl Node {
    fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    fn owned(&self, name: &str) -> Option<String> {
        self.get(name).map(str::to_string)
    }
}

/// A document inside a registrering, with retention and screening split by where they came
/// from, so the registrering's own (possibly late) values can be slotted in between.
#[derive(Debug)]
struct WaitingDoc {
    doc: DocRef,
    kassasjon_below: Option<Inherited<Kassasjon>>,
    kassasjon_above: Option<Inherited<Kassasjon>>,
    skjerming_below: Option<Inherited<Skjerming>>,
    skjerming_above: Option<Inherited<Skjerming>>,
    created_below: Option<String>,
}

/// An inherited element and the `systemID` of the unit it is set on.
type Inherited<T> = (T, Option<String>);

impl Node {
    /// This node's `kassasjon` with the node's `systemID`.
    fn inherited_kassasjon(&self) -> Option<Inherited<Kassasjon>> {
        Some((self.kassasjon.clone()?, self.owned("systemID")))
    }

    /// This node's `skjerming` with the node's `systemID`.
    fn inherited_skjerming(&self) -> Option<Inherited<Skjerming>> {
        Some((self.skjerming.clone()?, self.owned("systemID")))
    }
}

/// One level of the open-element stack.
#[derive(Debug)]
enum Frame {
    Node(Node),
    /// A leaf field; `wanted` names it when its parent node asked for it.
    Field {
        wanted: Option<&'static str>,
        text: String,
        /// Whether text past [`MAX_FIELD`] was dropped.
        cut: bool,
    },
    /// Anything else: unknown elements, containers such as `part`, and their whole subtree.
    Skipped,
}

/// Counts of what the reader has seen, for the ADDML comparison and `inspect`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// `arkivdel` elements.
    pub arkivdel: u64,
    /// `klasse` elements.
    pub klasse: u64,
    /// `mappe` elements.
    pub mappe: u64,
    /// `registrering` elements.
    pub registrering: u64,
    /// `dokumentbeskrivelse` elements.
    pub dokumentbeskrivelse: u64,
    /// `dokumentobjekt` elements.
    pub dokumentobjekt: u64,
}

impl Counts {
    /// The count for a Noark element name, as ADDML's `numberOfOccurrences` names them.
    pub fn get(&self, element: &str) -> Option<u64> {
        Some(match element {
            "arkivdel" => self.arkivdel,
            "klasse" => self.klasse,
            "mappe" => self.mappe,
            "registrering" => self.registrering,
            "dokumentbeskrivelse" => self.dokumentbeskrivelse,
            "dokumentobjekt" => self.dokumentobjekt,
            _ => return None,
        })
    }
}

/// A streaming iterator over the documents of one `arkivstruktur.xml`.
///
/// ```no_run
/// use arkivar::source::{noark5::Noark5Reader, SourceItem};
/// let reader = Noark5Reader::open("export/arkivstruktur.xml".as_ref()).unwrap();
/// for item in reader {
///     match item.unwrap() {
///         SourceItem::Doc(doc) => println!("{} {:?}", doc.doc_id, doc.noark.klasse_id),
///         SourceItem::Problem(p) => eprintln!("{}: {}", p.location, p.message),
///     }
/// }
/// ```
pub struct Noark5Reader<R: BufRead> {
    xml: quick_xml::Reader<CappedXml<R>>,
    path: PathBuf,
    stack: Vec<Frame>,
    out: VecDeque<SourceItem>,
    buf: Vec<u8>,
    finished: bool,
    counts: Counts,
    /// Hashes of the doc ids emitted so far (8 bytes a document), so a duplicated systemID in
    /// the export still gives every row its own id.
    seen_ids: HashSet<u64>,
    /// The current line, for messages.
    line: u64,
}

impl Noark5Reader<BufReader<HashingFile>> {
    /// Opens `arkivstruktur.xml` for streaming; the file's checksum is taken as it is read
    /// ([`Noark5Reader::sha256`]).
    pub fn open(path: &Path) -> Result<Self, SourceError> {
        let file = HashingFile::open(path).map_err(|source| SourceError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(Noark5Reader::new(
            BufReader::with_capacity(1 << 16, file),
            path,
        ))
    }

    /// The SHA-256 of `arkivstruktur.xml`, from the bytes the stream read (and the rest of the
    /// file, where it stopped early): the file is read once for both.
    pub fn sha256(&mut self) -> Result<String, SourceError> {
        let path = self.path.clone();
        self.xml
            .get_mut()
            .get_mut()
            .get_mut()
            .sha256()
            .map_err(|source| SourceError::Io { path, source })
    }
}

impl<R: BufRead> Noark5Reader<R> {
    /// Reads from any buffered reader; `path` is used in messages only.
    pub fn new(reader: R, path: &Path) -> Self {
        let mut xml = quick_xml::Reader::from_reader(CappedXml::new(reader, MAX_RUN));
        // Real exports leave stray end tags and odd nesting behind; report them, don't stop.
        xml.config_mut().check_end_names = false;
        Noark5Reader {
            xml,
            path: path.to_path_buf(),
            stack: Vec::with_capacity(32),
            out: VecDeque::new(),
            buf: Vec::with_capacity(4096),
            finished: false,
            counts: Counts::default(),
            seen_ids: HashSet::new(),
            line: 1,
        }
    }

    /// What has been counted so far (all of it once the iterator is exhausted).
    pub fn counts(&self) -> Counts {
        self.counts
    }

    fn problem(&mut self, line: u64, message: String) {
        self.out.push_back(SourceItem::Problem(Problem {
            kind: ProblemKind::Schema,
            location: format!("{}:{}", self.path.display(), line),
            message,
        }));
    }

    /// Reads events until at least one item is ready or the file ends.
    fn fill(&mut self) -> Result<(), SourceError> {
        while self.out.is_empty() && !self.finished {
            self.buf.clear();
            let event = self.xml.read_event_into(&mut self.buf);
            let event = match event {
                Ok(e) => e.into_owned(),
                Err(e) => {
                    self.finished = true;
                    return Err(SourceError::MalformedXml {
                        path: self.path.clone(),
                        position: self.xml.error_position(),
                        message: e.to_string(),
                    });
                }
            };
            // Line numbers are only needed for messages; counting newlines in the event's own
            // bytes keeps this cheap.
            self.line += self.buf.iter().filter(|&&b| b == b'\n').count() as u64;
            self.report_cuts();
            match event {
                Event::Start(e) => self.start(&e),
                Event::Empty(e) => {
                    self.start(&e);
                    self.end();
                }
                Event::Text(t) => match t.decode() {
                    Ok(s) => self.push_text(&s),
                    Err(e) => {
                        if matches!(
                            self.stack.last(),
                            Some(Frame::Field {
                                wanted: Some(_),
                                ..
                            })
                        ) {
                            let line = self.line;
                            self.problem(line, format!("text is not valid UTF-8: {e}"));
                        }
                    }
                },
                Event::GeneralRef(r) => {
                    let mut s = String::new();
                    crate::xml::push_entity(&mut s, &r);
                    self.push_text(&s);
                }
                Event::CData(c) => self.push_text(&String::from_utf8_lossy(&c)),
                Event::End(_) => self.end(),
                Event::Eof => {
                    self.finished = true;
                    if self.stack.iter().any(|f| matches!(f, Frame::Node(_))) {
                        return Err(SourceError::MalformedXml {
                            path: self.path.clone(),
                            position: self.xml.buffer_position(),
                            message: "the file ends inside an open element (truncated?)".into(),
                        });
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Reports the runs the XML filter cut since the last event.
    fn report_cuts(&mut self) {
        let cuts: Vec<_> = self.xml.get_mut().take_cuts().collect();
        for cut in cuts {
            self.line += cut.newlines;
            self.problem(
                cut.line,
                format!(
                    "{} bytes skipped unread: a text, comment or tag longer than {MAX_RUN} bytes",
                    cut.bytes
                ),
            );
        }
    }

    /// Adds text to the field being read, if it is one the output needs, up to [`MAX_FIELD`].
    fn push_text(&mut self, s: &str) {
        let Some(Frame::Field {
            wanted: Some(name),
            text,
            cut,
        }) = self.stack.last_mut()
        else {
            return;
        };
        let room = MAX_FIELD.saturating_sub(text.len());
        if s.len() <= room {
            text.push_str(s);
            return;
        }
        let mut end = room;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        text.push_str(&s[..end]);
        if !*cut {
            *cut = true;
            let message = format!("{name} is longer than {MAX_FIELD} bytes: cut");
            let line = self.line;
            self.problem(line, message);
        }
    }

    fn start(&mut self, e: &BytesStart<'_>) {
        let local = e.local_name();
        let kind = Kind::from_name(local.as_ref());
        let frame = match (self.stack.last_mut(), kind) {
            (Some(Frame::Skipped), _) => Frame::Skipped,
            (_, Some(kind)) => {
                // A structural element inside an unexpected wrapper is still read: its parent
                // only loses its field status.
                if let Some(Frame::Field { wanted, .. }) = self.stack.last_mut() {
                    *wanted = None;
                }
                self.count(kind);
                Frame::Node(Node {
                    kind,
                    xsi_type: xsi_type(e),
                    fields: Vec::new(),
                    kassasjon: None,
                    skjerming: None,
                    waiting: Vec::new(),
                    line: self.line,
                })
            }
            (Some(Frame::Field { wanted, .. }), None) => {
                // A "field" that has children is a container (part, korrespondansepart, …).
                *wanted = None;
                Frame::Skipped
            }
            (_, None) if local.as_ref() == b"virksomhetsspesifikkeMetadata" => Frame::Skipped,
            (parent, None) => {
                let wanted = match parent {
                    Some(Frame::Node(n)) => {
                        let name = std::str::from_utf8(local.as_ref()).unwrap_or("");
                        n.kind.wanted().iter().copied().find(|w| *w == name)
                    }
                    _ => None,
                };
                Frame::Field {
                    wanted,
                    text: String::new(),
                    cut: false,
                }
            }
        };
        self.stack.push(frame);
    }

    fn count(&mut self, kind: Kind) {
        let c = &mut self.counts;
        match kind {
            Kind::Arkivdel => c.arkivdel += 1,
            Kind::Klasse => c.klasse += 1,
            Kind::Mappe => c.mappe += 1,
            Kind::Registrering => c.registrering += 1,
            Kind::Dokumentbeskrivelse => c.dokumentbeskrivelse += 1,
            Kind::Dokumentobjekt => c.dokumentobjekt += 1,
            Kind::Arkiv | Kind::Klassifikasjonssystem | Kind::Kassasjon | Kind::Skjerming => {}
        }
    }

    fn end(&mut self) {
        let Some(frame) = self.stack.pop() else {
            let line = self.line;
            self.problem(line, "end tag without a start tag".into());
            return;
        };
        match frame {
            Frame::Skipped => {}
            Frame::Field { wanted, text, .. } => {
                // A repeated field keeps its first value (the one `Node::get` would find), so
                // a node's fields stay as few as its wanted names.
                if let (Some(name), Some(Frame::Node(parent))) = (wanted, self.stack.last_mut()) {
                    if parent.fields.iter().all(|(n, _)| *n != name) {
                        parent.fields.push((name, text));
                    }
                }
            }
            Frame::Node(node) => self.end_node(node),
        }
    }

    fn end_node(&mut self, node: Node) {
        match node.kind {
            Kind::Kassasjon => {
                let bevaringstid = match node.get("bevaringstid") {
                    None => None,
                    Some(v) => match v.parse::<i32>() {
                        Ok(years) => Some(years),
                        Err(_) => {
                            self.problem(node.line, format!("bevaringstid is not a number: {v:?}"));
                            None
                        }
                    },
                };
                let k = Kassasjon {
                    vedtak: node.owned("kassasjonsvedtak"),
                    bevaringstid,
                };
                if let Some(Frame::Node(parent)) = self.stack.last_mut() {
                    parent.kassasjon = Some(k);
                }
            }
            Kind::Skjerming => {
                let s = Skjerming {
                    tilgangsrestriksjon: node.owned("tilgangsrestriksjon"),
                    hjemmel: node.owned("skjermingshjemmel"),
                };
                if let Some(Frame::Node(parent)) = self.stack.last_mut() {
                    parent.skjerming = Some(s);
                }
            }
            Kind::Dokumentobjekt => self.end_dokumentobjekt(node),
            Kind::Registrering => self.end_registrering(node),
            _ => {}
        }
    }

    fn end_dokumentobjekt(&mut self, obj: Node) {
        let ordinal = self.counts.dokumentobjekt;
        let mut doc = DocRef {
            reference: obj.owned("referanseDokumentfil"),
            stated_format: obj.owned("format"),
            ..DocRef::default()
        };
        if doc.reference.is_none() {
            self.problem(
                obj.line,
                "dokumentobjekt without referanseDokumentfil".into(),
            );
        }
        if let Some(hex) = obj.get("sjekksum") {
            doc.expected_checksum = Some(Expected::new(hex, obj.get("sjekksumAlgoritme")));
        }
        if let Some(size) = obj.get("filstoerrelse") {
            match size.parse::<u64>() {
                Ok(n) => doc.expected_bytes = Some(n),
                Err(_) => {
                    self.problem(obj.line, format!("filstoerrelse is not a number: {size:?}"))
                }
            }
        }
        let mut created = self.date(&obj, "opprettetDato");

        // Walk the open ancestors from the nearest outward; the first one found wins.
        let mut waiting = WaitingDoc {
            doc,
            kassasjon_below: None,
            kassasjon_above: None,
            skjerming_below: None,
            skjerming_above: None,
            created_below: None,
        };
        let mut below_registrering = true;
        let mut beskrivelse_id = None;
        let mut registrering_system_id = None;
        let mut dates = Vec::new();
        for frame in self.stack.iter().rev() {
            let Frame::Node(n) = frame else { continue };
            let m = &mut waiting.doc.noark;
            match n.kind {
                Kind::Dokumentbeskrivelse => {
                    m.document_title = m.document_title.take().or_else(|| n.owned("tittel"));
                    m.tilknyttet_som = m
                        .tilknyttet_som
                        .take()
                        .or_else(|| n.owned("tilknyttetRegistreringSom"));
                    beskrivelse_id = beskrivelse_id.or_else(|| n.owned("systemID"));
                    m.units.dokumentbeskrivelse = beskrivelse_id.clone();
                    if let Some(d) = n.get("opprettetDato") {
                        dates.push((n.line, d.to_string()));
                    }
                }
                Kind::Registrering => {
                    below_registrering = false;
                    registrering_system_id = n.owned("systemID");
                    m.units.registrering.clone_from(&registrering_system_id);
                }
                Kind::Mappe if m.mappe_id.is_none() => {
                    m.mappe_id = n.owned("mappeID").or_else(|| n.owned("systemID"));
                    m.mappe_title = n.owned("tittel");
                    m.units.mappe = n.owned("systemID");
                }
                Kind::Klasse if m.klasse_id.is_none() && m.klasse_title.is_none() => {
                    m.klasse_id = n.owned("klasseID");
                    m.klasse_title = n.owned("tittel");
                }
                Kind::Arkivdel => {
                    m.arkivdel_id = n.owned("systemID");
                    m.arkivdel_title = n.owned("tittel");
                }
                _ => {}
            }
            if n.kind == Kind::Registrering {
                continue; // its own values are slotted in when it closes
            }
            let (kassasjon, skjerming) = if below_registrering {
                (&mut waiting.kassasjon_below, &mut waiting.skjerming_below)
            } else {
                (&mut waiting.kassasjon_above, &mut waiting.skjerming_above)
            };
            // Only the nearest counts: farther ones are not copied.
            if kassasjon.is_none() {
                *kassasjon = n.inherited_kassasjon();
            }
            if skjerming.is_none() {
                *skjerming = n.inherited_skjerming();
            }
        }
        for (line, d) in dates {
            let parsed = self.parse_date(line, &d);
            created = created.or(parsed);
        }
        waiting.created_below = created;
        waiting.doc.doc_id = obj
            .owned("systemID")
            .or_else(|| {
                beskrivelse_id.map(|b| {
                    format!(
                        "{b}/{}/{}",
                        obj.get("versjonsnummer").unwrap_or("1"),
                        obj.get("variantformat").unwrap_or("")
                    )
                })
            })
            .or_else(|| registrering_system_id.map(|r| format!("{r}/{ordinal}")))
            .unwrap_or_else(|| format!("dokumentobjekt-{ordinal}"));

        if below_registrering {
            // A dokumentobjekt outside any registrering: nothing more will come for it.
            let mut regless = Node {
                kind: Kind::Registrering,
                xsi_type: None,
                fields: Vec::new(),
                kassasjon: None,
                skjerming: None,
                waiting: vec![waiting],
                line: obj.line,
            };
            self.flush_waiting(&mut regless);
        } else if let Some(i) = self
            .stack
            .iter()
            .rposition(|f| matches!(f, Frame::Node(n) if n.kind == Kind::Registrering))
        {
            if let Frame::Node(reg) = &mut self.stack[i] {
                reg.waiting.push(waiting);
                if reg.waiting.len() >= MAX_WAITING {
                    self.flush_early(i);
                }
            }
        }
    }

    /// Emits the documents waiting on the registrering at `self.stack[i]` before it closes,
    /// with the fields it has so far: memory stays bounded however many documents it has.
    fn flush_early(&mut self, i: usize) {
        let Frame::Node(mut reg) = std::mem::replace(&mut self.stack[i], Frame::Skipped) else {
            return;
        };
        self.problem(
            reg.line,
            format!(
                "a registrering with more than {MAX_WAITING} documents: fields after them are \
                 not applied to them"
            ),
        );
        self.flush_waiting(&mut reg);
        self.stack[i] = Frame::Node(reg);
    }

    fn end_registrering(&mut self, mut reg: Node) {
        self.flush_waiting(&mut reg);
    }

    /// Completes the documents of a closed registrering with its fields and emits them.
    fn flush_waiting(&mut self, reg: &mut Node) {
        let reg_date = self.date(reg, "opprettetDato");
        let registrering_id = reg
            .owned("registreringsID")
            .or_else(|| reg.owned("systemID"));
        let journalpost_type = reg
            .owned("journalposttype")
            .or_else(|| reg.xsi_type.clone());
        let title = reg.owned("tittel");
        let (reg_kassasjon, reg_skjerming) = (reg.inherited_kassasjon(), reg.inherited_skjerming());
        for w in reg.waiting.drain(..) {
            let mut doc = w.doc;
            let m = &mut doc.noark;
            m.registrering_id.clone_from(&registrering_id);
            m.journalpost_type.clone_from(&journalpost_type);
            m.registrering_title.clone_from(&title);
            m.created = w.created_below.or_else(|| reg_date.clone());
            let (kassasjon, on) = w
                .kassasjon_below
                .or_else(|| reg_kassasjon.clone())
                .or(w.kassasjon_above)
                .unzip();
            m.kassasjon = kassasjon;
            m.units.kassasjon_on = on.flatten();
            let (skjerming, on) = w
                .skjerming_below
                .or_else(|| reg_skjerming.clone())
                .or(w.skjerming_above)
                .unzip();
            m.skjerming = skjerming;
            m.units.skjerming_on = on.flatten();
            doc.doc_id = self.unique_id(std::mem::take(&mut doc.doc_id), reg.line);
            self.out.push_back(SourceItem::Doc(Box::new(doc)));
        }
    }

    /// `id`, or `id#2`, `id#3`, … when the export has used it before.
    fn unique_id(&mut self, id: String, line: u64) -> String {
        let hash = |s: &str| {
            let mut h = DefaultHasher::new();
            s.hash(&mut h);
            h.finish()
        };
        if self.seen_ids.insert(hash(&id)) {
            return id;
        }
        self.problem(
            line,
            format!("duplicate document id {id:?}; numbered to keep rows apart"),
        );
        (2u64..)
            .map(|n| format!("{id}#{n}"))
            .find(|candidate| self.seen_ids.insert(hash(candidate)))
            .unwrap_or(id)
    }

    fn date(&mut self, node: &Node, field: &str) -> Option<String> {
        let raw = node.get(field)?.to_string();
        self.parse_date(node.line, &raw)
    }

    fn parse_date(&mut self, line: u64, raw: &str) -> Option<String> {
        match iso_date(raw) {
            Some(d) => Some(d),
            None => {
                self.problem(line, format!("not a date: {raw:?}"));
                None
            }
        }
    }
}

/// Counts the `dokumentobjekt` elements of an `arkivstruktur.xml` without building anything,
/// for a progress bar's total.
pub fn count_dokumentobjekt(path: &Path) -> Result<u64, SourceError> {
    let file = File::open(path).map_err(|source| SourceError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut xml = quick_xml::Reader::from_reader(CappedXml::new(
        BufReader::with_capacity(1 << 16, file),
        MAX_RUN,
    ));
    xml.config_mut().check_end_names = false;
    let mut buf = Vec::new();
    let mut n = 0;
    loop {
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e))
                if e.local_name().as_ref() == b"dokumentobjekt" =>
            {
                n += 1
            }
            Ok(Event::Eof) => return Ok(n),
            Ok(_) => {}
            Err(e) => {
                return Err(SourceError::MalformedXml {
                    path: path.to_path_buf(),
                    position: xml.error_position(),
                    message: e.to_string(),
                })
            }
        }
        buf.clear();
    }
}

/// The `YYYY-MM-DD` of a date or a datetime (real exports put datetimes in date fields, with
/// or without a zone).
pub fn iso_date(raw: &str) -> Option<String> {
    let s = raw.trim();
    let d = s.get(..10)?;
    let b = d.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let shaped = b[4] == b'-' && b[7] == b'-' && digits(0..4) && digits(5..7) && digits(8..10);
    let month: u32 = d.get(5..7)?.parse().ok()?;
    let day: u32 = d.get(8..10)?.parse().ok()?;
    let rest_ok = match s.as_bytes().get(10) {
        None => true,
        Some(next) => matches!(next, b'T' | b' ' | b'Z' | b'+' | b'-'),
    };
    (shaped && (1..=12).contains(&month) && (1..=31).contains(&day) && rest_ok)
        .then(|| d.to_string())
}

fn xsi_type(e: &BytesStart<'_>) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        let is_type = a.key.local_name().as_ref() == b"type" && a.key.prefix().is_some();
        if !is_type {
            return None;
        }
        let v = String::from_utf8_lossy(&a.value);
        let local = v.rsplit(':').next().unwrap_or(&v).trim().to_string();
        (!local.is_empty()).then_some(local)
    })
}

impl<R: BufRead> Iterator for Noark5Reader<R> {
    type Item = Result<SourceItem, SourceError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Err(e) = self.fill() {
            return Some(Err(e));
        }
        self.out.pop_front().map(Ok)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(xml: &str) -> (Vec<DocRef>, Vec<Problem>) {
        let mut docs = Vec::new();
        let mut problems = Vec::new();
        for item in Noark5Reader::new(xml.as_bytes(), Path::new("t.xml")) {
            match item.unwrap() {
                SourceItem::Doc(d) => docs.push(*d),
                SourceItem::Problem(p) => problems.push(p),
            }
        }
        (docs, problems)
    }

    #[test]
    fn dates_accept_datetimes_and_reject_garbage() {
        assert_eq!(iso_date("2017-03-10").as_deref(), Some("2017-03-10"));
        assert_eq!(
            iso_date(" 2017-03-10T12:00:00+01:00").as_deref(),
            Some("2017-03-10")
        );
        assert_eq!(iso_date("2017-03-10Z").as_deref(), Some("2017-03-10"));
        assert_eq!(iso_date("10.03.2017"), None);
        assert_eq!(iso_date("2017-13-10"), None);
        assert_eq!(iso_date("2017-03-1x"), None);
    }

    #[test]
    fn v5_late_journalpost_fields_and_inheritance() {
        let xml = r#"<?xml version="1.0" encoding="utf-8"?>
<arkiv xmlns="http://www.arkivverket.no/standarder/noark5/arkivstruktur" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <arkivdel><systemID>ad1</systemID><tittel>Sakarkiv</tittel>
  <skjerming><tilgangsrestriksjon>13</tilgangsrestriksjon><skjermingshjemmel>Offl. § 13</skjermingshjemmel></skjerming>
  <klassifikasjonssystem><klasse><klasseID>A</klasseID><tittel>Ytre</tittel>
   <klasse><klasseID>A1</klasseID><tittel>Indre</tittel>
    <mappe xsi:type="saksmappe"><systemID>m1</systemID><mappeID>2020/1</mappeID><tittel>Byggesak &amp; plan</tittel>
     <virksomhetsspesifikkeMetadata><tittel>feil</tittel><x><y>z</y></x></virksomhetsspesifikkeMetadata>
     <kassasjon><kassasjonsvedtak>Kasseres</kassasjonsvedtak><bevaringstid>10</bevaringstid></kassasjon>
     <part><partNavn>Ola</partNavn><tittel>nei</tittel></part>
     <registrering xsi:type="n5:journalpost"><systemID>r1</systemID><opprettetDato>2020-01-02T10:00:00</opprettetDato>
      <registreringsID>2020/1-1</registreringsID><tittel>Søknad</tittel>
      <dokumentbeskrivelse><systemID>db1</systemID><tittel>Søknad om tillatelse</tittel>
       <tilknyttetRegistreringSom>Hoveddokument</tilknyttetRegistreringSom>
       <dokumentobjekt><versjonsnummer>1</versjonsnummer><variantformat>Arkivformat</variantformat>
        <referanseDokumentfil>dokumenter\1.pdf</referanseDokumentfil>
        <sjekksum>AB</sjekksum><sjekksumAlgoritme>SHA-256</sjekksumAlgoritme></dokumentobjekt>
      </dokumentbeskrivelse>
      <journalposttype>Inngående dokument</journalposttype>
     </registrering>
     <saksaar>2020</saksaar>
    </mappe>
   </klasse></klasse>
  </klassifikasjonssystem>
  <registrering xsi:type="arkivnotat"><systemID>r2</systemID>
   <kassasjon><kassasjonsvedtak>Bevares</kassasjonsvedtak></kassasjon>
   <dokumentbeskrivelse><systemID>db2</systemID><dokumentobjekt><referanseDokumentfil>2.pdf</referanseDokumentfil><opprettetDato>bad</opprettetDato></dokumentobjekt></dokumentbeskrivelse>
  </registrering>
 </arkivdel>
</arkiv>"#;
        let (docs, problems) = read(xml);
        assert_eq!(docs.len(), 2);
        let d = &docs[0];
        assert_eq!(d.doc_id, "db1/1/Arkivformat");
        assert_eq!(d.reference.as_deref(), Some("dokumenter\\1.pdf"));
        let m = &d.noark;
        assert_eq!(m.arkivdel_id.as_deref(), Some("ad1"));
        assert_eq!(m.klasse_id.as_deref(), Some("A1"));
        assert_eq!(m.klasse_title.as_deref(), Some("Indre"));
        assert_eq!(m.mappe_id.as_deref(), Some("2020/1"));
        assert_eq!(m.mappe_title.as_deref(), Some("Byggesak & plan"));
        assert_eq!(m.registrering_id.as_deref(), Some("2020/1-1"));
        assert_eq!(m.journalpost_type.as_deref(), Some("Inngående dokument"));
        assert_eq!(m.document_title.as_deref(), Some("Søknad om tillatelse"));
        assert_eq!(m.created.as_deref(), Some("2020-01-02"));
        let k = m.kassasjon.as_ref().unwrap();
        assert_eq!(
            (k.vedtak.as_deref(), k.bevaringstid),
            (Some("Kasseres"), Some(10))
        );
        assert_eq!(
            m.skjerming.as_ref().unwrap().tilgangsrestriksjon.as_deref(),
            Some("13")
        );
        assert_eq!(d.expected_checksum.as_ref().unwrap().hex, "ab");
        // The units a change is recorded against, and where the inherited values are set.
        let u = &m.units;
        assert_eq!(u.mappe.as_deref(), Some("m1"));
        assert_eq!(u.registrering.as_deref(), Some("r1"));
        assert_eq!(u.dokumentbeskrivelse.as_deref(), Some("db1"));
        assert_eq!(u.kassasjon_on.as_deref(), Some("m1"));
        assert_eq!(u.skjerming_on.as_deref(), Some("ad1"));

        let n = &docs[1].noark;
        assert_eq!(n.journalpost_type.as_deref(), Some("arkivnotat"));
        assert_eq!(n.klasse_id, None);
        assert_eq!(
            n.kassasjon.as_ref().unwrap().vedtak.as_deref(),
            Some("Bevares")
        );
        assert_eq!(
            n.units.kassasjon_on.as_deref(),
            Some("r2"),
            "the registrering's own"
        );
        assert_eq!(n.units.mappe, None);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("not a date"));
    }

    #[test]
    fn truncated_xml_is_a_clear_error() {
        let xml = "<arkiv><arkivdel><systemID>x</systemID>";
        let items: Vec<_> = Noark5Reader::new(xml.as_bytes(), Path::new("t.xml")).collect();
        assert!(matches!(
            items.last(),
            Some(Err(SourceError::MalformedXml { .. }))
        ));
    }
}
