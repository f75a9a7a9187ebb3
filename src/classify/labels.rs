//! What the heads learn: the labels Noark puts on a document, read from its (inherited)
//! metadata, and the maps between label keys and class indices.
//!
//! - **series**: the arkivdel, by title (a kommune's arkivdel `systemID`s are random UUIDs that
//!   change with every period; the title is what an archivist reads and files by);
//! - **klasse**: the `klasseID` of the nearest klasse, with its title;
//! - **retention**: the inherited `kassasjonsvedtak` and `bevaringstid`, as one label
//!   (`Kasseres/10`, `Bevares`);
//! - **screening**: the inherited `skjermingshjemmel` (or the access code when the export gives
//!   no hjemmel), or [`NOT_SCREENED`] for a document the export leaves open.

use serde::{Deserialize, Serialize};

use crate::source::NoarkMeta;

/// The label of a document the export does not screen.
pub const NOT_SCREENED: &str = "ikke skjermet";

/// A classifier head: which field of the document it suggests (`--head`: the names of
/// [`HeadKind::as_str`]).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum HeadKind {
    /// The arkivdel.
    Series,
    /// The klasse.
    Klasse,
    /// Kassasjonsvedtak + bevaringstid.
    Retention,
    /// Screened or not, and on which legal basis.
    Screening,
}

impl HeadKind {
    /// Every head, in the order they are trained and reported.
    pub const ALL: [HeadKind; 4] = [
        HeadKind::Klasse,
        HeadKind::Series,
        HeadKind::Retention,
        HeadKind::Screening,
    ];

    /// The name used in reports, file names and `disagrees_with_export`.
    pub fn as_str(self) -> &'static str {
        match self {
            HeadKind::Series => "series",
            HeadKind::Klasse => "klasse",
            HeadKind::Retention => "retention",
            HeadKind::Screening => "screening",
        }
    }

    /// Parses [`HeadKind::as_str`].
    pub fn parse(name: &str) -> Option<HeadKind> {
        HeadKind::ALL.into_iter().find(|h| h.as_str() == name)
    }

    /// The label the export gives a document, if it gives one.
    pub fn label_of(self, meta: &NoarkMeta) -> Option<Label> {
        let clean = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        match self {
            HeadKind::Series => {
                let key = clean(&meta.arkivdel_title).or_else(|| clean(&meta.arkivdel_id))?;
                Some(Label { key, title: None })
            }
            HeadKind::Klasse => Some(Label {
                key: clean(&meta.klasse_id)?,
                title: clean(&meta.klasse_title),
            }),
            HeadKind::Retention => {
                let k = meta.kassasjon.as_ref()?;
                let vedtak = clean(&k.vedtak)?;
                Some(Label {
                    key: retention_key(&vedtak, k.bevaringstid),
                    title: None,
                })
            }
            HeadKind::Screening => {
                // Inside a Noark export, no skjerming means open: every document has a label.
                let key = meta
                    .skjerming
                    .as_ref()
                    .and_then(|s| clean(&s.hjemmel).or_else(|| clean(&s.tilgangsrestriksjon)))
                    .unwrap_or_else(|| NOT_SCREENED.to_string());
                let title = meta
                    .skjerming
                    .as_ref()
                    .and_then(|s| clean(&s.tilgangsrestriksjon));
                Some(Label { key, title })
            }
        }
    }
}

/// The retention label: `Bevares`, or `Kasseres/10` when a bevaringstid is given.
pub fn retention_key(vedtak: &str, years: Option<i32>) -> String {
    match years {
        Some(y) if y > 0 => format!("{vedtak}/{y}"),
        _ => vedtak.to_string(),
    }
}

/// Splits a retention label back into kassasjonsvedtak and bevaringstid.
pub fn parse_retention(key: &str) -> (&str, Option<i32>) {
    match key.rsplit_once('/') {
        Some((vedtak, years)) => match years.parse() {
            Ok(y) => (vedtak, Some(y)),
            Err(_) => (key, None),
        },
        None => (key, None),
    }
}

/// One label: a key (what is compared) and a title (what is shown).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    /// The value compared with the export: a klasseID, an arkivdel title, a retention or
    /// screening key.
    pub key: String,
    /// A human-readable title, when there is one (the klasse title, the access code).
    pub title: Option<String>,
}

/// The classes of one head, in index order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelMap {
    /// Labels by class index.
    pub labels: Vec<Label>,
}

impl LabelMap {
    /// The index of `key`, adding it when it is new.
    pub fn index_or_insert(&mut self, label: &Label) -> usize {
        match self.index(&label.key) {
            Some(i) => i,
            None => {
                self.labels.push(label.clone());
                self.labels.len() - 1
            }
        }
    }

    /// The index of `key`, if known.
    pub fn index(&self, key: &str) -> Option<usize> {
        self.labels.iter().position(|l| l.key == key)
    }

    /// Number of classes.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are no classes.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Kassasjon, Skjerming};

    #[test]
    fn labels_come_from_the_inherited_metadata() {
        let mut meta = NoarkMeta {
            arkivdel_id: Some("uuid-1".into()),
            arkivdel_title: Some(" Sakarkiv ".into()),
            klasse_id: Some("L42".into()),
            klasse_title: Some("Byggesak".into()),
            kassasjon: Some(Kassasjon {
                vedtak: Some("Kasseres".into()),
                bevaringstid: Some(10),
            }),
            ..NoarkMeta::default()
        };
        let key = |h: HeadKind, m: &NoarkMeta| h.label_of(m).map(|l| l.key);
        assert_eq!(key(HeadKind::Series, &meta).as_deref(), Some("Sakarkiv"));
        assert_eq!(key(HeadKind::Klasse, &meta).as_deref(), Some("L42"));
        assert_eq!(
            key(HeadKind::Retention, &meta).as_deref(),
            Some("Kasseres/10")
        );
        assert_eq!(
            key(HeadKind::Screening, &meta).as_deref(),
            Some(NOT_SCREENED)
        );
        meta.skjerming = Some(Skjerming {
            tilgangsrestriksjon: Some("13".into()),
            hjemmel: Some("Offl. § 13".into()),
        });
        meta.kassasjon = Some(Kassasjon {
            vedtak: Some("Bevares".into()),
            bevaringstid: Some(0),
        });
        meta.klasse_id = Some("  ".into());
        assert_eq!(
            key(HeadKind::Screening, &meta).as_deref(),
            Some("Offl. § 13")
        );
        assert_eq!(key(HeadKind::Retention, &meta).as_deref(), Some("Bevares"));
        assert_eq!(key(HeadKind::Klasse, &meta), None);
        assert_eq!(parse_retention("Kasseres/10"), ("Kasseres", Some(10)));
        assert_eq!(parse_retention("Bevares"), ("Bevares", None));
        assert_eq!(
            parse_retention("Vurderes senere"),
            ("Vurderes senere", None)
        );
    }
}
