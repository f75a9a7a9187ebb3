//! Decisions back to the archive: a Noark 5 `endringslogg.xml` (v5.0 `endringslogg.xsd`) with
//! one `endring` per value a decision changes, for an archive system or Arkade to take in.
//!
//! Where each field lives in Noark 5, and so which unit's `systemID` is the
//! `referanseArkivenhet` and which metadata name the `referanseMetadata`:
//!
//! | field | unit | metadata | values |
//! |---|---|---|---|
//! | klasse | the mappe (else the registrering) | `klasseID` | klasseIDs |
//! | series | the mappe (else the registrering) | `referanseArkivdel` | the arkivdeler's systemIDs |
//! | retention | the unit whose `kassasjon` the document inherits, else its dokumentbeskrivelse | `kassasjonsvedtak`, `bevaringstid` | as in the export |
//! | screening | the unit whose `skjerming` it inherits, else its registrering | `skjermingshjemmel` | the hjemmel |
//!
//! A value the export does not have is written `NULL` (as Arkade's own test logs do). A
//! decision that changes nothing is left out and counted; two decisions that would set one
//! unit's metadata to different values keep the first and report the second.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::path::Path;

use crate::classify::labels::{parse_retention, HeadKind, NOT_SCREENED};
use crate::source::{open_export, DocRef, NoarkMeta, SourceError, SourceItem};

use super::{Decision, Decisions};

/// The endringslogg namespace.
pub const NAMESPACE: &str = "http://www.arkivverket.no/standarder/noark5/endringslogg";

/// What `tidligereVerdi` / `nyVerdi` say for a value that is not there.
const ABSENT: &str = "NULL";

/// One change of one unit's metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endring {
    /// `referanseArkivenhet`: the unit's systemID.
    pub unit: String,
    /// `referanseMetadata`.
    pub metadata: &'static str,
    /// `endretDato` (xs:dateTime).
    pub changed_at: String,
    /// `endretAv`.
    pub changed_by: String,
    /// `tidligereVerdi`.
    pub before: String,
    /// `nyVerdi`.
    pub after: String,
}

/// The changes the decisions make, and what was left out.
#[derive(Debug, Clone, Default)]
pub struct Log {
    /// The changes, in decision order.
    pub changes: Vec<Endring>,
    /// Decisions that change nothing (the export already says so).
    pub unchanged: usize,
    /// Decisions not written, with where they were read and why.
    pub skipped: Vec<String>,
}

/// The changes `decisions` make to the export at `path` (its structure read once, no document
/// file opened).
pub fn changes_to(decisions: &Decisions, path: &Path) -> Result<Log, SourceError> {
    let export = open_export(path)?;
    let mut documents = export.documents()?;
    let mut failure = None;
    let docs = std::iter::from_fn(|| loop {
        match documents.next()? {
            Ok(SourceItem::Doc(d)) => return Some(*d),
            Ok(SourceItem::Problem(_)) => continue,
            Err(e) => {
                failure = Some(e);
                return None;
            }
        }
    });
    let log = changes(decisions, docs);
    match failure {
        Some(e) => Err(e),
        None => Ok(log),
    }
}

/// The changes `decisions` make to the documents of `export` (a stream of the export's
/// documents, read once; only decided documents are held).
pub fn changes(decisions: &Decisions, export: impl Iterator<Item = DocRef>) -> Log {
    let mut log = Log {
        skipped: decisions.skipped.iter().map(|s| s.to_string()).collect(),
        ..Log::default()
    };
    let wanted: HashSet<&str> = decisions
        .decisions
        .keys()
        .map(|(id, _)| id.as_str())
        .collect();
    let mut decided: HashMap<String, NoarkMeta> = HashMap::new();
    // An arkivdel's systemID by its title (a series decision names the title).
    let mut arkivdeler: HashMap<String, String> = HashMap::new();
    for doc in export {
        if let (Some(title), Some(id)) = (&doc.noark.arkivdel_title, &doc.noark.arkivdel_id) {
            arkivdeler
                .entry(title.clone())
                .or_insert_with(|| id.clone());
        }
        if wanted.contains(doc.doc_id.as_str()) {
            decided.insert(doc.doc_id, doc.noark);
        }
    }
    // (unit, metadata) → the value set and by which decision.
    let mut set: BTreeMap<(String, &'static str), (String, String)> = BTreeMap::new();
    for ((doc_id, _), d) in &decisions.decisions {
        let Some(meta) = decided.get(doc_id) else {
            log.skipped
                .push(format!("{}: {doc_id} is not in the export", d.at));
            continue;
        };
        let Some(changed_at) = xs_datetime(&d.decided_at) else {
            log.skipped.push(format!(
                "{}: decided_at {:?} is not an ISO 8601 date or time",
                d.at, d.decided_at
            ));
            continue;
        };
        if d.field.label_of(meta).is_some_and(|l| l.key == d.value) {
            log.unchanged += 1;
            continue;
        }
        let edits = match edits(d, meta, &arkivdeler) {
            Ok(e) => e,
            Err(why) => {
                log.skipped.push(format!("{}: {why}", d.at));
                continue;
            }
        };
        let changing: Vec<_> = edits.into_iter().filter(|e| e.2 != e.3).collect();
        if changing.is_empty() {
            log.unchanged += 1;
            continue;
        }
        for (unit, metadata, before, after) in changing {
            match set.get(&(unit.clone(), metadata)) {
                Some((value, by)) if *value != after => log.skipped.push(format!(
                    "{}: {metadata} of {unit} is already set to {value:?} by {by}",
                    d.at
                )),
                Some(_) => {}
                None => {
                    set.insert((unit.clone(), metadata), (after.clone(), d.at.clone()));
                    log.changes.push(Endring {
                        unit,
                        metadata,
                        changed_at: changed_at.clone(),
                        changed_by: if d.decided_by.is_empty() {
                            "arkivar".into()
                        } else {
                            d.decided_by.clone()
                        },
                        before,
                        after,
                    });
                }
            }
        }
    }
    log
}

/// (unit, metadata, before, after) of each metadata value `d` sets on the unit it lives on.
type Edit = (String, &'static str, String, String);

fn edits(
    d: &Decision,
    m: &NoarkMeta,
    arkivdeler: &HashMap<String, String>,
) -> Result<Vec<Edit>, String> {
    let or_absent = |v: Option<String>| v.unwrap_or_else(|| ABSENT.to_string());
    let case = m.units.mappe.clone().or(m.units.registrering.clone());
    let unit = |u: Option<String>, what: &str| {
        u.ok_or_else(|| {
            format!(
                "the export gives no systemID for the {what} of {}",
                d.doc_id
            )
        })
    };
    Ok(match d.field {
        HeadKind::Klasse => vec![(
            unit(case, "mappe")?,
            "klasseID",
            or_absent(m.klasse_id.clone()),
            d.value.clone(),
        )],
        HeadKind::Series => {
            let after = arkivdeler
                .get(&d.value)
                .ok_or_else(|| format!("no arkivdel of the export is titled {:?}", d.value))?;
            vec![(
                unit(case, "mappe")?,
                "referanseArkivdel",
                or_absent(m.arkivdel_id.clone()),
                after.clone(),
            )]
        }
        HeadKind::Retention => {
            let on = unit(
                m.units
                    .kassasjon_on
                    .clone()
                    .or(m.units.dokumentbeskrivelse.clone()),
                "dokumentbeskrivelse",
            )?;
            let (vedtak, years) = parse_retention(&d.value);
            let k = m.kassasjon.as_ref();
            vec![
                (
                    on.clone(),
                    "kassasjonsvedtak",
                    or_absent(k.and_then(|k| k.vedtak.clone())),
                    vedtak.to_string(),
                ),
                (
                    on,
                    "bevaringstid",
                    or_absent(
                        k.and_then(|k| k.bevaringstid)
                            .filter(|&y| y > 0)
                            .map(|y| y.to_string()),
                    ),
                    or_absent(years.map(|y| y.to_string())),
                ),
            ]
        }
        HeadKind::Screening => {
            let on = unit(
                m.units
                    .skjerming_on
                    .clone()
                    .or(m.units.registrering.clone()),
                "registrering",
            )?;
            let after = if d.value == NOT_SCREENED {
                ABSENT.to_string()
            } else {
                d.value.clone()
            };
            let before = m.skjerming.as_ref().and_then(|s| s.hjemmel.clone());
            vec![(on, "skjermingshjemmel", or_absent(before), after)]
        }
    })
}

/// `value` as an `xs:dateTime`: a date gets midnight; a date and time passes as it is.
fn xs_datetime(value: &str) -> Option<String> {
    let v = value.trim();
    let b = v.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    let date = digits(0..4)
        && b.get(4) == Some(&b'-')
        && digits(5..7)
        && b.get(7) == Some(&b'-')
        && digits(8..10);
    if !date {
        return None;
    }
    if b.len() == 10 {
        return Some(format!("{v}T00:00:00"));
    }
    let time = matches!(b.get(10), Some(b'T' | b' '))
        && digits(11..13)
        && b.get(13) == Some(&b':')
        && digits(14..16)
        && b.get(16) == Some(&b':')
        && digits(17..19);
    if !time {
        return None;
    }
    let rest = &v[19..];
    let rest_ok = rest.is_empty()
        || rest == "Z"
        || rest.starts_with('.')
        || ((rest.starts_with('+') || rest.starts_with('-')) && rest.len() == 6);
    rest_ok.then(|| format!("{}T{}", &v[..10], &v[11..]))
}

/// Writes `log`'s changes as `endringslogg.xml`.
pub fn write_xml(log: &Log, out: &mut impl Write) -> std::io::Result<()> {
    use quick_xml::escape::escape;
    writeln!(out, r#"<?xml version="1.0" encoding="utf-8"?>"#)?;
    writeln!(out, r#"<endringslogg xmlns="{NAMESPACE}">"#)?;
    for e in &log.changes {
        writeln!(out, "  <endring>")?;
        for (name, value) in [
            ("referanseArkivenhet", e.unit.as_str()),
            ("referanseMetadata", e.metadata),
            ("endretDato", e.changed_at.as_str()),
            ("endretAv", e.changed_by.as_str()),
            ("tidligereVerdi", e.before.as_str()),
            ("nyVerdi", e.after.as_str()),
        ] {
            writeln!(out, "    <{name}>{}</{name}>", escape(value))?;
        }
        writeln!(out, "  </endring>")?;
    }
    writeln!(out, "</endringslogg>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_become_xs_datetimes() {
        assert_eq!(
            xs_datetime("2026-12-01").as_deref(),
            Some("2026-12-01T00:00:00")
        );
        assert_eq!(
            xs_datetime("2026-12-01 10:00:00+01:00").as_deref(),
            Some("2026-12-01T10:00:00+01:00")
        );
        assert_eq!(
            xs_datetime("2026-12-01T10:00:00Z").as_deref(),
            Some("2026-12-01T10:00:00Z")
        );
        assert_eq!(xs_datetime("1. desember"), None);
        assert_eq!(xs_datetime("2026-12-01T10:00"), None);
    }
}
