//! The classification catalogue: archive series (arkivdeler), the classes of a
//! klassifikasjonssystem with their default retention and usual screening, and the rules that
//! turn personal data found in a text into a screening suggestion.
//!
//! The catalogue is data, not code. The default one (`datasets/catalog/default.toml`) is
//! embedded in the binary, so it works after `cargo install` from any directory; `--catalog
//! FILE` replaces it ([`Catalog::load`], which also gives the TOML text a classifier carries).
//! A catalogue can also be built from the classes an export's documents are filed in
//! ([`Catalog::from_export_classes`]); such classes carry no retention or screening.
//!
//! The catalogue is data at the bottom of the crate: the personal-data rules (`pii`) and the
//! classifiers (`classify`) read it, and it imports neither.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The built-in catalogue, as TOML (`datasets/catalog/default.toml`).
pub const DEFAULT_TOML: &str = include_str!("../../datasets/catalog/default.toml");

/// What can go wrong when loading or validating a catalogue.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// A file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The TOML is malformed or does not follow the schema (unknown key, wrong type, …).
    #[error("{origin}: {message}")]
    Parse {
        /// Where the text came from (a path, or `<string>`).
        origin: String,
        /// The parser's message, with line and column.
        message: String,
    },
    /// Two entries of the same kind share an id.
    #[error("duplicate {kind} id {id:?}")]
    Duplicate {
        /// `class`, `series`, `function` or `pii_rule`.
        kind: &'static str,
        /// The repeated id.
        id: String,
    },
    /// A required text field is empty.
    #[error("{kind} {id:?}: field `{field}` is empty")]
    EmptyField {
        /// `class`, `series`, `function`, `pii_rule` or `catalog`.
        kind: &'static str,
        /// The entry's id (empty when the id itself is missing).
        id: String,
        /// The field.
        field: &'static str,
    },
    /// A class names a series the catalogue does not define.
    #[error("class {class:?} names unknown series {series:?}")]
    UnknownSeries {
        /// The class id.
        class: String,
        /// The series it names.
        series: String,
    },
    /// A class names a function the catalogue does not define.
    #[error("class {class:?} names unknown function {function:?}")]
    UnknownFunction {
        /// The class id.
        class: String,
        /// The function it names.
        function: String,
    },
    /// A class to be discarded (Kasseres) does not say after how many years.
    #[error("class {class:?}: retention `Kasseres` needs `years` of at least 1")]
    MissingYears {
        /// The class id.
        class: String,
    },
    /// A class to be preserved (Bevares) names a time limit.
    #[error("class {class:?}: retention `Bevares` takes `years = 0` (no limit), not {years}")]
    YearsOnBevares {
        /// The class id.
        class: String,
        /// The years given.
        years: u32,
    },
    /// A catalogue with no classes.
    #[error("catalogue {name:?} has no classes")]
    NoClasses {
        /// The catalogue's name.
        name: String,
    },
}

/// A retention decision (Noark 5 `kassasjonsvedtak`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
pub enum Vedtak {
    /// Preserve for all time.
    Bevares,
    /// Discard after the retention time.
    Kasseres,
    /// Decide later (for example where only a sample is preserved).
    #[serde(rename = "Vurderes senere", alias = "VurderesSenere")]
    VurderesSenere,
}

impl Vedtak {
    /// The value as Noark 5 writes it in `kassasjonsvedtak`.
    pub fn as_noark(self) -> &'static str {
        match self {
            Vedtak::Bevares => "Bevares",
            Vedtak::Kasseres => "Kasseres",
            Vedtak::VurderesSenere => "Vurderes senere",
        }
    }
}

/// The default retention of a class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retention {
    /// Preserve, discard, or decide later.
    pub vedtak: Vedtak,
    /// Years before discarding (`bevaringstid`); `None` for no limit. Always `Some(n ≥ 1)` for
    /// [`Vedtak::Kasseres`], always `None` for [`Vedtak::Bevares`].
    pub years: Option<u32>,
    /// The legal basis, e.g. `Riksarkivarens forskrift § 7-26`.
    pub basis: String,
}

/// A screening (Noark 5 `skjerming`): access code and its legal basis.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Screening {
    /// The access code (`tilgangsrestriksjon`); the catalogue uses the offentleglova paragraph
    /// number, e.g. `13`, `25`, `14`.
    pub tilgangsrestriksjon: String,
    /// The legal basis (`skjermingshjemmel`), e.g. `Offl. § 13 jf. fvl. § 13`.
    pub hjemmel: String,
    /// Letter codes kommuner commonly use for the same screening (e.g. `P` for personalsaker),
    /// so a code found in an export can be matched.
    #[serde(default)]
    pub usual_codes: Vec<String>,
}

/// A function of the public sector (Riksarkivarens forskrift §§ 7-24–7-33) that classes belong
/// to.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Function {
    /// Short id, e.g. `personal`.
    pub id: String,
    /// Title, e.g. `Personalforvaltning og folkevalgte`.
    pub title: String,
    /// The section that governs its retention, e.g. `Riksarkivarens forskrift § 7-26`.
    pub basis: String,
}

/// An archive series (arkivdel).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Series {
    /// Id, e.g. `PERSONAL`.
    pub id: String,
    /// Title, e.g. `Personalarkiv`.
    pub title: String,
    /// What is filed there.
    pub description: String,
    /// The usual screening of the whole series (person-centred series), if any.
    #[serde(default)]
    pub screening: Option<Screening>,
}

/// A class of the klassifikasjonssystem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Class {
    /// The klasseID, e.g. `26.1`.
    pub id: String,
    /// The title.
    pub title: String,
    /// A short description (empty for classes read from an export).
    pub description: String,
    /// The series it is usually filed in (`None` when unknown, as for export classes).
    pub series: Option<String>,
    /// The function it belongs to (`None` when unknown).
    pub function: Option<String>,
    /// The default retention (`None` when unknown, as for export classes).
    pub retention: Option<Retention>,
    /// The usual screening (`None` when the class is normally open or the screening is unknown).
    pub screening: Option<Screening>,
}

/// Whether a personal-data rule screens the whole document or only the information.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PiiScope {
    /// Screen the whole document.
    Dokument,
    /// Mask only the information itself; the rest of the document stays open (offl. § 12).
    Opplysning,
}

/// A rule from a category of personal data found in a text to a screening suggestion.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PiiRule {
    /// Id, e.g. `helse`.
    pub id: String,
    /// The personal-data kinds (as in the review table's `pii_kinds`) the rule applies to.
    pub kinds: Vec<String>,
    /// What the category covers.
    pub description: String,
    /// Whole document or only the information.
    pub scope: PiiScope,
    /// The suggested screening.
    pub screening: Screening,
    /// Why this hjemmel, with the evidence.
    #[serde(default)]
    pub note: String,
}

/// A loaded, validated catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalog {
    /// Name, e.g. `arkivar-standard-kommune`.
    pub name: String,
    /// Version of the catalogue data.
    pub version: String,
    /// What it is.
    pub description: String,
    /// Sources and legal references it is built on.
    pub sources: Vec<String>,
    /// Functions the classes are grouped by (may be empty).
    pub functions: Vec<Function>,
    /// Series (arkivdeler).
    pub series: Vec<Series>,
    /// Classes, in file order.
    pub classes: Vec<Class>,
    /// Personal-data rules, in file order (most restrictive first).
    pub pii_rules: Vec<PiiRule>,
}

// --- The file format -----------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    catalog: RawHeader,
    #[serde(default)]
    function: Vec<Function>,
    #[serde(default)]
    series: Vec<Series>,
    #[serde(default)]
    class: Vec<RawClass>,
    #[serde(default)]
    pii_rule: Vec<PiiRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    name: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    #[allow(dead_code)] // documented in the file; not needed at run time
    language: String,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    #[allow(dead_code)]
    notes: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClass {
    id: String,
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    series: Option<String>,
    #[serde(default)]
    function: Option<String>,
    #[serde(default)]
    retention: Option<RawRetention>,
    #[serde(default)]
    screening: Option<Screening>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRetention {
    vedtak: Vedtak,
    #[serde(default)]
    years: Option<u32>,
    basis: String,
}

impl Catalog {
    /// The default catalogue shipped with arkivar (embedded at compile time).
    ///
    /// # Panics
    /// Never in a released build: the embedded file is checked by the test suite.
    pub fn default_catalog() -> Catalog {
        Catalog::from_toml_str(DEFAULT_TOML, "datasets/catalog/default.toml")
            .expect("the embedded default catalogue is valid")
    }

    /// The catalogue `--catalog FILE` asks for, or the built-in default without one, with the
    /// TOML text it was read from (what a trained classifier carries).
    pub fn load(path: Option<&Path>) -> Result<(Catalog, String), CatalogError> {
        match path {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| CatalogError::Io {
                    path: path.to_path_buf(),
                    source,
                })?;
                let catalog = Catalog::from_toml_str(&text, &path.display().to_string())?;
                Ok((catalog, text))
            }
            None => Ok((Catalog::default_catalog(), DEFAULT_TOML.to_string())),
        }
    }

    /// Reads and validates a catalogue file (`--catalog FILE`).
    pub fn from_path(path: &Path) -> Result<Catalog, CatalogError> {
        Catalog::load(Some(path)).map(|(catalog, _)| catalog)
    }

    /// Parses and validates a catalogue from TOML text; `origin` names it in error messages.
    pub fn from_toml_str(text: &str, origin: &str) -> Result<Catalog, CatalogError> {
        let raw: RawFile = toml::from_str(text).map_err(|e| CatalogError::Parse {
            origin: origin.to_string(),
            message: e.to_string().trim_end().to_string(),
        })?;
        Catalog::from_raw(raw)
    }

    /// A catalogue from an export's own classes: `(klasseID, tittel)` pairs, e.g. the nearest
    /// klasse of each document the source reader streams. The classes carry no series, retention or
    /// screening. Entries with an empty id are skipped; when an id repeats (several
    /// klassifikasjonssystem in one export), the first title is kept.
    pub fn from_export_classes<I>(name: impl Into<String>, classes: I) -> Catalog
    where
        I: IntoIterator<Item = (String, String)>,
    {
        let mut seen = HashSet::new();
        let classes = classes
            .into_iter()
            .filter_map(|(id, title)| {
                let id = id.trim().to_string();
                if id.is_empty() || !seen.insert(id.clone()) {
                    return None;
                }
                Some(Class {
                    id,
                    title: title.trim().to_string(),
                    description: String::new(),
                    series: None,
                    function: None,
                    retention: None,
                    screening: None,
                })
            })
            .collect();
        Catalog {
            name: name.into(),
            version: String::new(),
            description: "Klasser fra eksportens eget klassifikasjonssystem".to_string(),
            sources: Vec::new(),
            functions: Vec::new(),
            series: Vec::new(),
            classes,
            pii_rules: Vec::new(),
        }
    }

    /// The class with this id.
    pub fn class(&self, id: &str) -> Option<&Class> {
        self.classes.iter().find(|c| c.id == id)
    }

    /// The series with this id.
    pub fn series(&self, id: &str) -> Option<&Series> {
        self.series.iter().find(|s| s.id == id)
    }

    /// The function with this id.
    pub fn function(&self, id: &str) -> Option<&Function> {
        self.functions.iter().find(|f| f.id == id)
    }

    /// The first personal-data rule that covers `kind` (rules are in priority order).
    pub fn pii_rule_for(&self, kind: &str) -> Option<&PiiRule> {
        self.pii_rules
            .iter()
            .find(|r| r.kinds.iter().any(|k| k == kind))
    }

    fn from_raw(raw: RawFile) -> Result<Catalog, CatalogError> {
        let name = raw.catalog.name.trim().to_string();
        nonempty("catalog", "", "name", &name)?;

        let mut ids = HashSet::new();
        for f in &raw.function {
            nonempty("function", &f.id, "id", &f.id)?;
            nonempty("function", &f.id, "title", &f.title)?;
            nonempty("function", &f.id, "basis", &f.basis)?;
            unique("function", &f.id, &mut ids)?;
        }

        let mut ids = HashSet::new();
        for s in &raw.series {
            nonempty("series", &s.id, "id", &s.id)?;
            nonempty("series", &s.id, "title", &s.title)?;
            unique("series", &s.id, &mut ids)?;
            if let Some(sc) = &s.screening {
                check_screening("series", &s.id, sc)?;
            }
        }
        let series_ids = ids;
        let function_ids: HashSet<&str> = raw.function.iter().map(|f| f.id.as_str()).collect();

        let mut classes = Vec::with_capacity(raw.class.len());
        let mut ids = HashSet::new();
        for c in raw.class {
            nonempty("class", &c.id, "id", &c.id)?;
            nonempty("class", &c.id, "title", &c.title)?;
            unique("class", &c.id, &mut ids)?;
            if let Some(s) = &c.series {
                if !series_ids.contains(s.as_str()) {
                    return Err(CatalogError::UnknownSeries {
                        class: c.id.clone(),
                        series: s.clone(),
                    });
                }
            }
            if let Some(f) = &c.function {
                if !function_ids.contains(f.as_str()) {
                    return Err(CatalogError::UnknownFunction {
                        class: c.id.clone(),
                        function: f.clone(),
                    });
                }
            }
            if let Some(sc) = &c.screening {
                check_screening("class", &c.id, sc)?;
            }
            let retention = match c.retention {
                None => None,
                Some(r) => Some(retention(&c.id, r)?),
            };
            classes.push(Class {
                id: c.id,
                title: c.title,
                description: c.description,
                series: c.series,
                function: c.function,
                retention,
                screening: c.screening,
            });
        }
        if classes.is_empty() {
            return Err(CatalogError::NoClasses { name });
        }

        let mut ids = HashSet::new();
        for r in &raw.pii_rule {
            nonempty("pii_rule", &r.id, "id", &r.id)?;
            unique("pii_rule", &r.id, &mut ids)?;
            if r.kinds.iter().all(|k| k.trim().is_empty()) {
                return Err(CatalogError::EmptyField {
                    kind: "pii_rule",
                    id: r.id.clone(),
                    field: "kinds",
                });
            }
            check_screening("pii_rule", &r.id, &r.screening)?;
        }

        Ok(Catalog {
            name,
            version: raw.catalog.version,
            description: raw.catalog.description,
            sources: raw.catalog.sources,
            functions: raw.function,
            series: raw.series,
            classes,
            pii_rules: raw.pii_rule,
        })
    }
}

fn nonempty(
    kind: &'static str,
    id: &str,
    field: &'static str,
    value: &str,
) -> Result<(), CatalogError> {
    if value.trim().is_empty() {
        Err(CatalogError::EmptyField {
            kind,
            id: id.to_string(),
            field,
        })
    } else {
        Ok(())
    }
}

fn unique(kind: &'static str, id: &str, seen: &mut HashSet<String>) -> Result<(), CatalogError> {
    if seen.insert(id.to_string()) {
        Ok(())
    } else {
        Err(CatalogError::Duplicate {
            kind,
            id: id.to_string(),
        })
    }
}

fn check_screening(kind: &'static str, id: &str, s: &Screening) -> Result<(), CatalogError> {
    nonempty(
        kind,
        id,
        "screening.tilgangsrestriksjon",
        &s.tilgangsrestriksjon,
    )?;
    nonempty(kind, id, "screening.hjemmel", &s.hjemmel)
}

fn retention(class: &str, r: RawRetention) -> Result<Retention, CatalogError> {
    nonempty("class", class, "retention.basis", &r.basis)?;
    let years = match (r.vedtak, r.years) {
        (Vedtak::Kasseres, Some(n)) if n >= 1 => Some(n),
        (Vedtak::Kasseres, _) => {
            return Err(CatalogError::MissingYears {
                class: class.to_string(),
            })
        }
        (Vedtak::Bevares, Some(n)) if n > 0 => {
            return Err(CatalogError::YearsOnBevares {
                class: class.to_string(),
                years: n,
            })
        }
        (Vedtak::Bevares, _) => None,
        (Vedtak::VurderesSenere, n) => n.filter(|&n| n > 0),
    };
    Ok(Retention {
        vedtak: r.vedtak,
        years,
        basis: r.basis,
    })
}

// --- Classes from an export ----------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
[catalog]
name = "t"

[[function]]
id = "f"
title = "F"
basis = "Riksarkivarens forskrift § 7-24"

[[series]]
id = "SAK"
title = "Sakarkiv"
description = "d"

[[class]]
id = "1"
title = "En"
series = "SAK"
function = "f"
retention = { vedtak = "Kasseres", years = 5, basis = "b" }
"#;

    #[test]
    fn minimal_catalogue_loads() {
        let c = Catalog::from_toml_str(MINIMAL, "t").unwrap();
        let r = c.class("1").unwrap().retention.as_ref().unwrap();
        assert_eq!((r.vedtak, r.years), (Vedtak::Kasseres, Some(5)));
        assert!(c.series("SAK").is_some());
        assert!(c.function("f").is_some());
    }

    #[test]
    fn load_returns_the_catalogue_and_its_text() {
        let (c, text) = Catalog::load(None).unwrap();
        assert_eq!(text, DEFAULT_TOML);
        assert_eq!(c.name, Catalog::default_catalog().name);

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, MINIMAL).unwrap();
        let (c, text) = Catalog::load(Some(&path)).unwrap();
        assert_eq!(text, MINIMAL);
        assert!(c.class("1").is_some());

        let missing = dir.path().join("missing.toml");
        assert!(matches!(
            Catalog::load(Some(&missing)),
            Err(CatalogError::Io { .. })
        ));
    }

    #[test]
    fn vurderes_senere_accepts_both_spellings() {
        for v in ["Vurderes senere", "VurderesSenere"] {
            let t = MINIMAL.replace(
                r#"vedtak = "Kasseres", years = 5"#,
                &format!(r#"vedtak = "{v}""#),
            );
            let c = Catalog::from_toml_str(&t, "t").unwrap();
            let r = c.class("1").unwrap().retention.as_ref().unwrap();
            assert_eq!((r.vedtak, r.years), (Vedtak::VurderesSenere, None));
            assert_eq!(r.vedtak.as_noark(), "Vurderes senere");
        }
    }
}
