//! Sources: where documents come from.
//!
//! A source turns an export root into a stream of [`SourceItem`]s: one [`DocRef`] per document
//! file (a Noark 5 `dokumentobjekt`, or a file of a plain folder), interleaved with the
//! [`Problem`]s found on the way. Sources never open document files while streaming;
//! [`open::open_document`] opens one (after [`paths::Resolver::resolve`] has checked that its
//! reference is safe), for the scan and for `inspect` alike.

pub mod addml;
pub mod checksum;
pub mod folder;
pub mod layout;
pub mod noark5;
pub mod open;
pub mod paths;

use std::io::BufReader;
use std::path::PathBuf;

pub use layout::{open_export, Export, ExportKind};
use noark5::{Counts, Noark5Reader};

/// A document file to process, with what the export says about it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DocRef {
    /// Stable identifier across runs (see [`noark5`] and [`folder`] for how it is made).
    pub doc_id: String,
    /// The file reference exactly as the export writes it (`referanseDokumentfil`), or the
    /// path relative to the root for a folder. `None` when a `dokumentobjekt` names no file.
    pub reference: Option<String>,
    /// For a plain folder: the file's path relative to the root exactly as the disk names it
    /// (a name need not be UTF-8, so `reference` cannot always carry it). `None` for an
    /// export, whose files are found by `reference`.
    pub file: Option<PathBuf>,
    /// The checksum the export promises for the file, if any.
    pub expected_checksum: Option<checksum::Expected>,
    /// The file size the export promises (`filstoerrelse`), if any.
    pub expected_bytes: Option<u64>,
    /// The format the export states (`format`), if any.
    pub stated_format: Option<String>,
    /// Noark metadata; all fields are empty for a plain folder.
    pub noark: NoarkMeta,
}

/// What a Noark 5 export says about one document: the columns of the output contract's
/// "what the export says now" group. Every field is optional because real exports omit many.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NoarkMeta {
    /// `arkivdel/systemID`.
    pub arkivdel_id: Option<String>,
    /// `arkivdel/tittel`.
    pub arkivdel_title: Option<String>,
    /// `klasse/klasseID` of the nearest klasse.
    pub klasse_id: Option<String>,
    /// `klasse/tittel` of the nearest klasse.
    pub klasse_title: Option<String>,
    /// `mappe/mappeID` of the nearest mappe.
    pub mappe_id: Option<String>,
    /// `mappe/tittel` of the nearest mappe.
    pub mappe_title: Option<String>,
    /// `registrering/registreringsID` (or its `systemID` when there is none).
    pub registrering_id: Option<String>,
    /// `journalpost/journalposttype`, or the registrering's `xsi:type` when it is not a
    /// journalpost (e.g. `arkivnotat`).
    pub journalpost_type: Option<String>,
    /// `registrering/tittel`.
    pub registrering_title: Option<String>,
    /// `dokumentbeskrivelse/tittel`.
    pub document_title: Option<String>,
    /// `dokumentbeskrivelse/tilknyttetRegistreringSom` (Hoveddokument, Vedlegg, …).
    pub tilknyttet_som: Option<String>,
    /// The nearest creation date (dokumentobjekt, dokumentbeskrivelse, then registrering),
    /// as an ISO date `YYYY-MM-DD`.
    pub created: Option<String>,
    /// Retention decision, inherited downward: the nearest ancestor's `kassasjon` wins.
    pub kassasjon: Option<Kassasjon>,
    /// Screening, inherited downward: the nearest ancestor's `skjerming` wins.
    pub skjerming: Option<Skjerming>,
    /// The `systemID`s of the units a change is recorded against (a Noark 5 endringslogg's
    /// `referanseArkivenhet`): the nearest mappe, the registrering, the dokumentbeskrivelse,
    /// and the units whose `kassasjon` and `skjerming` the document inherits.
    pub units: UnitIds,
}

/// The `systemID`s of the units around a document (see [`NoarkMeta::units`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UnitIds {
    /// The nearest mappe's.
    pub mappe: Option<String>,
    /// The registrering's.
    pub registrering: Option<String>,
    /// The dokumentbeskrivelse's.
    pub dokumentbeskrivelse: Option<String>,
    /// The unit whose `kassasjon` the document inherits (itself included).
    pub kassasjon_on: Option<String>,
    /// The unit whose `skjerming` the document inherits.
    pub skjerming_on: Option<String>,
}

/// A Noark 5 `kassasjon` element.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Kassasjon {
    /// `kassasjonsvedtak`: Bevares, Kasseres, Vurderes senere, …
    pub vedtak: Option<String>,
    /// `bevaringstid` in years.
    pub bevaringstid: Option<i32>,
}

/// A Noark 5 `skjerming` element.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Skjerming {
    /// `tilgangsrestriksjon` (an access code such as `13`, `25`, `UO`).
    pub tilgangsrestriksjon: Option<String>,
    /// `skjermingshjemmel` (the legal basis, e.g. `Offl. § 13 jf. fvl. § 13`).
    pub hjemmel: Option<String>,
}

/// Something wrong with the export itself (not with one document's content).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What kind of problem it is.
    pub kind: ProblemKind,
    /// Where: a line number in `arkivstruktur.xml`, or a path.
    pub location: String,
    /// A human-readable explanation. Never contains document text.
    pub message: String,
}

/// The kinds of [`Problem`] a source reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ProblemKind {
    /// The XML breaks the Noark 5 structure (missing or malformed field, unexpected value).
    Schema,
    /// A file on disk that no `dokumentobjekt` refers to.
    Unreferenced,
    /// A count promised by the ADDML file differs from what is there.
    CountMismatch,
}

impl ProblemKind {
    /// The stable snake_case name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemKind::Schema => "schema",
            ProblemKind::Unreferenced => "unreferenced_file",
            ProblemKind::CountMismatch => "count_mismatch",
        }
    }
}

/// One item of a source's stream.
#[derive(Debug, Clone, PartialEq)]
pub enum SourceItem {
    /// A document to process.
    Doc(Box<DocRef>),
    /// A problem with the export, to report and go on.
    Problem(Problem),
}

/// Errors that stop a source from being read at all (as opposed to [`Problem`]s).
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The export root does not exist or cannot be read.
    #[error("cannot read export at {path}: {source}")]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The root is neither a Noark 5 export, a DIAS package nor a folder.
    #[error("{path} is not a Noark 5 export, a DIAS package or a folder of documents")]
    NotAnExport {
        /// The path given.
        path: PathBuf,
    },
    /// `arkivstruktur.xml` is not well-formed XML; the scan cannot go on past this point.
    #[error("{path}: malformed XML at byte {position}: {message}")]
    MalformedXml {
        /// The XML file.
        path: PathBuf,
        /// Byte offset of the error.
        position: u64,
        /// The parser's message.
        message: String,
    },
}

/// The documents of an export as one stream, whatever the export's kind.
pub enum Documents<'a> {
    /// A streaming `arkivstruktur.xml` reader.
    Noark5(Box<Noark5Reader<BufReader<checksum::HashingFile>>>),
    /// A walk over a plain folder.
    Folder(Box<dyn Iterator<Item = Result<SourceItem, SourceError>> + Send + 'a>),
}

impl Export {
    /// The resolver of this export's file references (against its root).
    pub fn resolver(&self) -> Result<paths::Resolver, SourceError> {
        paths::Resolver::new(&self.root).map_err(|source| SourceError::Io {
            path: self.root.clone(),
            source,
        })
    }

    /// Opens the stream of this export's documents.
    pub fn documents(&self) -> Result<Documents<'_>, SourceError> {
        Ok(match &self.kind {
            ExportKind::Noark5 { arkivstruktur, .. } => {
                Documents::Noark5(Box::new(Noark5Reader::open(arkivstruktur)?))
            }
            ExportKind::Folder => Documents::Folder(Box::new(folder::walk(&self.root))),
        })
    }
}

impl Documents<'_> {
    /// The SHA-256 of `arkivstruktur.xml`, taken as the stream read it (`None` for a plain
    /// folder). Ask once the stream is done: bytes not yet read are read now.
    pub fn sha256(&mut self) -> Option<Result<String, SourceError>> {
        match self {
            Documents::Noark5(reader) => Some(reader.sha256()),
            Documents::Folder(_) => None,
        }
    }

    /// Element counts so far, for a Noark 5 export (all of them once the stream is exhausted).
    pub fn counts(&self) -> Option<Counts> {
        match self {
            Documents::Noark5(reader) => Some(reader.counts()),
            Documents::Folder(_) => None,
        }
    }
}

impl Iterator for Documents<'_> {
    type Item = Result<SourceItem, SourceError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Documents::Noark5(reader) => reader.next(),
            Documents::Folder(walk) => walk.next(),
        }
    }
}
