//! The default catalogue, catalogue validation, and a catalogue of an export's own classes.

mod common;

use arkivar::catalog::{Catalog, CatalogError, PiiScope, Vedtak};
use arkivar::source::{open_export, SourceItem};

/// Under `../shared`.
const TILGANGSKODER: &str = "realdata/tilgangskoder/data";
/// Under `../shared`.
const ARKADE_SMALL: &str =
    "noark5/arkade5/src/Arkivverket.Arkade.Core.Tests/TestData/Noark5/Small/arkivstruktur.xml";

#[test]
fn default_catalogue_loads_and_is_complete() {
    let c = Catalog::default_catalog();
    assert!(c.classes.len() >= 40, "{} classes", c.classes.len());
    assert!(!c.pii_rules.is_empty());
    for class in &c.classes {
        let series = class
            .series
            .as_deref()
            .expect("every default class names a series");
        assert!(c.series(series).is_some(), "{}: {series}", class.id);
        let function = class
            .function
            .as_deref()
            .expect("every default class names a function");
        let f = c.function(function).unwrap();
        let r = class
            .retention
            .as_ref()
            .expect("every default class has a retention");
        assert!(!class.description.is_empty(), "{}", class.id);
        match r.vedtak {
            Vedtak::Kasseres => assert!(r.years.unwrap() >= 1, "{}", class.id),
            Vedtak::Bevares => {
                assert_eq!(r.years, None, "{}", class.id);
                // Preservation always rests on the function's section of the forskrift.
                assert!(r.basis.starts_with(&f.basis), "{}: {}", class.id, r.basis);
            }
            Vedtak::VurderesSenere => {}
        }
    }
    // Every function §§ 7-24 … 7-33 has at least one class.
    for f in &c.functions {
        assert!(
            c.classes
                .iter()
                .any(|cl| cl.function.as_deref() == Some(&f.id)),
            "no class for {}",
            f.id
        );
    }
    assert_eq!(c.functions.len(), 10);
    // Every series is used, and person-centred series carry a screening.
    for s in &c.series {
        assert!(
            c.classes
                .iter()
                .any(|cl| cl.series.as_deref() == Some(&s.id)),
            "series {} unused",
            s.id
        );
    }
    for id in [
        "PERSONAL",
        "ELEV",
        "BARNEHAGE",
        "BARNEVERN",
        "HELSE",
        "SOSIAL",
        "PPT",
    ] {
        assert!(c.series(id).unwrap().screening.is_some(), "{id}");
    }
}

#[test]
fn default_catalogue_has_near_miss_pairs_in_different_series() {
    let c = Catalog::default_catalog();
    let by_title = |t: &str| {
        c.classes
            .iter()
            .find(|cl| cl.title == t)
            .unwrap_or_else(|| panic!("no class {t:?}"))
    };
    for (a, b) in [
        ("Byggesak", "Reguleringsplan"),
        ("Barnehageopptak og foreldrebetaling", "Elevmappe"),
        (
            "Økonomisk sosialhjelp og kvalifiseringsprogram",
            "Barnevernsak",
        ),
        ("Tilsetting", "Personalmappe"),
    ] {
        let (a, b) = (by_title(a), by_title(b));
        assert_ne!(a.series, b.series, "{} / {}", a.id, b.id);
    }
    // Screening that differs between the near misses: § 25 for tilsetting, § 13 for personal.
    assert_eq!(
        by_title("Tilsetting").screening.as_ref().unwrap().hjemmel,
        "Offl. § 25"
    );
    assert_eq!(
        by_title("Personalmappe")
            .screening
            .as_ref()
            .unwrap()
            .hjemmel,
        "Offl. § 13 jf. fvl. § 13"
    );
}

#[test]
fn pii_rules_map_kinds_to_screening() {
    let c = Catalog::default_catalog();
    for kind in ["helse", "barnevern", "sosialhjelp", "straff"] {
        let r = c.pii_rule_for(kind).unwrap();
        assert_eq!(r.screening.tilgangsrestriksjon, "13");
        assert_eq!(r.screening.hjemmel, "Offl. § 13 jf. fvl. § 13");
        assert_eq!(r.scope, PiiScope::Dokument);
    }
    let r = c.pii_rule_for("tilsetting").unwrap();
    assert_eq!(r.screening.hjemmel, "Offl. § 25");
    let r = c.pii_rule_for("personalsak").unwrap();
    assert_eq!(r.screening.hjemmel, "Offl. § 13 jf. fvl. § 13");
    let r = c.pii_rule_for("fodselsnummer").unwrap();
    assert_eq!(
        (
            r.screening.tilgangsrestriksjon.as_str(),
            r.screening.hjemmel.as_str(),
            r.scope
        ),
        ("26", "Offl. § 26 femte ledd", PiiScope::Opplysning)
    );
    assert!(c.pii_rule_for("no-such-kind").is_none());
}

// --- Evidence: the screening forms occur in real tilgangskoder ------------------------------

/// Minimal CSV: quoted fields (with embedded newlines and doubled quotes), comma-separated.
fn csv_cells(text: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' | '\n' | '\r' if !quoted => cells.push(std::mem::take(&mut cell)),
            _ => cell.push(ch),
        }
    }
    cells.push(cell);
    cells
        .into_iter()
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .collect()
}

/// Every cell of every body's tilgangskoder.csv, or `None` when the data set is absent (a
/// failure under CI).
fn tilgangskoder_cells() -> Option<Vec<String>> {
    let dir = common::shared_path(TILGANGSKODER)?;
    let mut cells = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path().join("tilgangskoder.csv");
        if let Ok(bytes) = std::fs::read(&path) {
            cells.extend(csv_cells(&String::from_utf8_lossy(&bytes)));
        }
    }
    assert!(cells.len() > 500, "only {} cells read", cells.len());
    Some(cells)
}

/// Normalises a hjemmel so that spelling variants compare equal: case, spaces, dots and
/// commas, `jfr`/`/` for `jf`, and ordinal words for ledd numbers.
fn normalise(s: &str) -> String {
    let mut s = s.to_lowercase();
    for (from, to) in [
        ("første", "1"),
        ("annet", "2"),
        ("andre", "2"),
        ("tredje", "3"),
        ("fjerde", "4"),
        ("femte", "5"),
        ("jfr", "jf"),
        ("/", "jf"),
    ] {
        s = s.replace(from, to);
    }
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '.' && *c != ',')
        .collect()
}

/// Whether `hjemmel` occurs in the data: a cell (or a line of one) that equals it after
/// normalising, or starts with it and goes on with something other than a digit.
fn occurs(hjemmel: &str, cells: &[String]) -> bool {
    let h = normalise(hjemmel);
    cells.iter().flat_map(|c| c.lines()).any(|line| {
        let l = normalise(line);
        l == h || (l.starts_with(&h) && !l[h.len()..].starts_with(|c: char| c.is_ascii_digit()))
    })
}

#[test]
fn every_screening_hjemmel_and_code_occurs_in_the_tilgangskoder_data() {
    let Some(cells) = tilgangskoder_cells() else {
        return;
    };
    let codes: std::collections::HashSet<String> = cells.iter().map(|c| c.to_uppercase()).collect();
    let c = Catalog::default_catalog();
    let screenings = c
        .classes
        .iter()
        .filter_map(|cl| cl.screening.as_ref().map(|s| (cl.id.as_str(), s)))
        .chain(
            c.series
                .iter()
                .filter_map(|s| s.screening.as_ref().map(|sc| (s.id.as_str(), sc))),
        )
        .chain(c.pii_rules.iter().map(|r| (r.id.as_str(), &r.screening)));
    let mut n = 0;
    for (id, s) in screenings {
        n += 1;
        assert!(
            occurs(&s.hjemmel, &cells),
            "{id}: hjemmel {:?} is not in the data",
            s.hjemmel
        );
        assert!(
            codes.contains(&s.tilgangsrestriksjon.to_uppercase()),
            "{id}: code {:?} is not in the data",
            s.tilgangsrestriksjon
        );
        for code in &s.usual_codes {
            assert!(
                codes.contains(&code.to_uppercase()),
                "{id}: usual code {code:?} is not in the data"
            );
        }
    }
    assert!(n > 30);
    // The normaliser is not so loose that anything matches.
    assert!(!occurs("Offl. § 13 jf. fvl. § 99", &cells));
    assert!(!occurs("Offl. § 1", &cells));
}

// --- Invalid catalogues ----------------------------------------------------------------------

const BASE: &str = r#"
[catalog]
name = "test"

[[function]]
id = "adm"
title = "Administrasjon"
basis = "Riksarkivarens forskrift § 7-24"

[[series]]
id = "SAK"
title = "Sakarkiv"
description = "Saker"

[[class]]
id = "1"
title = "Politikk"
series = "SAK"
function = "adm"
retention = { vedtak = "Bevares", years = 0, basis = "Riksarkivarens forskrift § 7-24" }
"#;

fn with_class(extra: &str) -> Result<Catalog, CatalogError> {
    Catalog::from_toml_str(&format!("{BASE}\n[[class]]\n{extra}"), "test.toml")
}

#[test]
fn base_catalogue_is_valid() {
    let c = Catalog::from_toml_str(BASE, "test.toml").unwrap();
    assert_eq!(c.name, "test");
    assert_eq!(c.class("1").unwrap().title, "Politikk");
    assert!(c.class("2").is_none());
}

#[test]
fn duplicate_class_id_is_an_error() {
    let e = with_class(
        r#"id = "1"
title = "Igjen""#,
    )
    .unwrap_err();
    assert!(
        matches!(&e, CatalogError::Duplicate { kind: "class", id } if id == "1"),
        "{e}"
    );
    assert_eq!(e.to_string(), r#"duplicate class id "1""#);
}

#[test]
fn duplicate_series_id_is_an_error() {
    let t = BASE.replace(
        "[[class]]",
        "[[series]]\nid = \"SAK\"\ntitle = \"To\"\ndescription = \"\"\n\n[[class]]",
    );
    let e = Catalog::from_toml_str(&t, "t").unwrap_err();
    assert!(
        matches!(&e, CatalogError::Duplicate { kind: "series", id } if id == "SAK"),
        "{e}"
    );
}

#[test]
fn unknown_series_is_an_error() {
    let e = with_class(
        r#"id = "2"
title = "Bygg"
series = "BYGG""#,
    )
    .unwrap_err();
    assert_eq!(e.to_string(), r#"class "2" names unknown series "BYGG""#);
}

#[test]
fn unknown_function_is_an_error() {
    let e = with_class(
        r#"id = "2"
title = "Bygg"
function = "plan""#,
    )
    .unwrap_err();
    assert_eq!(e.to_string(), r#"class "2" names unknown function "plan""#);
}

#[test]
fn kasseres_needs_years() {
    for retention in [
        r#"{ vedtak = "Kasseres", basis = "lokal plan" }"#,
        r#"{ vedtak = "Kasseres", years = 0, basis = "lokal plan" }"#,
    ] {
        let e = with_class(&format!(
            "id = \"7\"\ntitle = \"Bilag\"\nretention = {retention}"
        ))
        .unwrap_err();
        assert!(
            matches!(&e, CatalogError::MissingYears { class } if class == "7"),
            "{e}"
        );
        assert!(e.to_string().contains("\"7\""));
    }
}

#[test]
fn bevares_takes_no_years() {
    let e = with_class(
        r#"id = "8"
title = "Møtebok"
retention = { vedtak = "Bevares", years = 10, basis = "§ 7-24" }"#,
    )
    .unwrap_err();
    assert!(
        matches!(&e, CatalogError::YearsOnBevares { class, years: 10 } if class == "8"),
        "{e}"
    );
}

#[test]
fn unknown_vedtak_and_unknown_keys_are_parse_errors() {
    let e = with_class(
        r#"id = "9"
title = "X"
retention = { vedtak = "Slettes", years = 1, basis = "b" }"#,
    )
    .unwrap_err();
    assert!(matches!(e, CatalogError::Parse { .. }), "{e}");
    assert!(e.to_string().starts_with("test.toml:"), "{e}");
    assert!(e.to_string().contains("Slettes"), "{e}");

    let e = with_class("id = \"9\"\ntitle = \"X\"\nserie = \"SAK\"").unwrap_err();
    assert!(matches!(e, CatalogError::Parse { .. }), "{e}");
    assert!(e.to_string().contains("serie"), "{e}");
}

#[test]
fn empty_fields_are_errors() {
    let e = with_class("id = \"10\"\ntitle = \"  \"").unwrap_err();
    assert_eq!(e.to_string(), r#"class "10": field `title` is empty"#);
    let e = with_class(
        r#"id = "11"
title = "X"
screening = { tilgangsrestriksjon = "13", hjemmel = "" }"#,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        r#"class "11": field `screening.hjemmel` is empty"#
    );
    let e = with_class(
        r#"id = "12"
title = "X"
retention = { vedtak = "Kasseres", years = 3, basis = "" }"#,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        r#"class "12": field `retention.basis` is empty"#
    );
}

#[test]
fn a_catalogue_without_classes_is_an_error() {
    let t = "[catalog]\nname = \"tom\"\n";
    let e = Catalog::from_toml_str(t, "t").unwrap_err();
    assert!(
        matches!(&e, CatalogError::NoClasses { name } if name == "tom"),
        "{e}"
    );
}

#[test]
fn from_path_reads_a_file_and_reports_a_missing_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kommune.toml");
    std::fs::write(&path, BASE).unwrap();
    let c = Catalog::from_path(&path).unwrap();
    assert_eq!(c.classes.len(), 1);

    let missing = dir.path().join("nope.toml");
    let e = Catalog::from_path(&missing).unwrap_err();
    assert!(matches!(e, CatalogError::Io { .. }));
    assert!(e.to_string().contains("nope.toml"), "{e}");

    std::fs::write(&path, BASE.replace("Politikk\"", "Politikk")).unwrap();
    let e = Catalog::from_path(&path).unwrap_err();
    assert!(e.to_string().contains("kommune.toml"), "{e}");
}

// --- Classes from an export ------------------------------------------------------------------

#[test]
fn catalogue_of_the_classes_the_arkade_small_export_files_documents_in() {
    let Some(path) = common::shared_path(ARKADE_SMALL) else {
        return;
    };
    // The source reader is the one reader of arkivstruktur.xml: the classes come from the
    // documents it streams (each with its nearest klasse).
    let export = open_export(&path).unwrap();
    let classes: Vec<(String, String)> = export
        .documents()
        .unwrap()
        .filter_map(|item| match item.unwrap() {
            SourceItem::Doc(d) => Some((d.noark.klasse_id?, d.noark.klasse_title?)),
            SourceItem::Problem(_) => None,
        })
        .collect();
    assert!(!classes.is_empty());
    let c = Catalog::from_export_classes("Small", classes);
    assert_eq!(c.classes.len(), 1, "{:?}", c.classes);
    let k = c.class("452").unwrap();
    assert_eq!(k.title, "Traveling to new worlds - nonsense");
    assert!(k.retention.is_none() && k.screening.is_none() && k.series.is_none());
}

#[test]
fn export_classes_are_trimmed_deduplicated_and_need_an_id() {
    let pairs = [
        (" 26 ", "Personal & lønn"),
        ("26.1", "Personalmappe <A>"),
        ("26", "Igjen"),
        ("", "uten id"),
        ("30", ""),
    ];
    let c = Catalog::from_export_classes(
        "eksport",
        pairs.iter().map(|(i, t)| (i.to_string(), t.to_string())),
    );
    let ids: Vec<&str> = c.classes.iter().map(|k| k.id.as_str()).collect();
    assert_eq!(ids, ["26", "26.1", "30"]);
    assert_eq!(c.class("26").unwrap().title, "Personal & lønn");
}
