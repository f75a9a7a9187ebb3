//! The paraphrase banks of the shifted benchmark (`datasets/shifted/banks/*.toml`): for each
//! catalogue class, two disjoint wordings — bank `a` (one kommune, 2016–2020, formal case
//! letters) and bank `b` (another kommune, 2023–2025, e-mails, forms and plainer language).
//! Carried in the binary and checked once, on first use.

use std::sync::OnceLock;

use serde::Deserialize;

/// The bank files, by name.
const FILES: [(&str, &str); 4] = [
    (
        "g1.toml",
        include_str!("../../../datasets/shifted/banks/g1.toml"),
    ),
    (
        "g2.toml",
        include_str!("../../../datasets/shifted/banks/g2.toml"),
    ),
    (
        "g3.toml",
        include_str!("../../../datasets/shifted/banks/g3.toml"),
    ),
    (
        "g4.toml",
        include_str!("../../../datasets/shifted/banks/g4.toml"),
    ),
];

/// The placeholders a bank may use; the generator fills them.
pub const SLOTS: [&str; 8] = [
    "navn",
    "adresse",
    "dato",
    "belop",
    "gnr",
    "bnr",
    "virksomhet",
    "sted",
];

/// One wording of a class.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bank {
    /// Journal-post titles.
    pub titles: Vec<String>,
    /// Self-contained body sentences.
    pub sentences: Vec<String>,
}

/// A catalogue class with its two wordings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassBanks {
    /// The catalogue klasse id (`27.3`).
    pub id: String,
    /// The training side's wording.
    pub a: Bank,
    /// The test side's wording.
    pub b: Bank,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BankFile {
    class: Vec<ClassBanks>,
}

/// Every class's banks, in file order.
pub fn banks() -> &'static [ClassBanks] {
    static BANKS: OnceLock<Vec<ClassBanks>> = OnceLock::new();
    BANKS.get_or_init(|| {
        FILES
            .iter()
            .flat_map(|(name, text)| {
                toml::from_str::<BankFile>(text)
                    .unwrap_or_else(|e| panic!("datasets/shifted/banks/{name}: {e}"))
                    .class
            })
            .collect()
    })
}

/// The placeholders of `text` that are not in [`SLOTS`].
pub fn unknown_slots(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let slot = &rest[open + 1..open + close];
        if !SLOTS.contains(&slot) {
            out.push(slot.to_string());
        }
        rest = &rest[open + close + 1..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use std::collections::HashSet;

    #[test]
    fn every_bank_is_a_catalogue_class_with_two_disjoint_wordings() {
        let catalog = Catalog::default_catalog();
        let banks = banks();
        assert!(banks.len() >= 40, "{} classes", banks.len());
        let mut ids = HashSet::new();
        for c in banks {
            assert!(ids.insert(&c.id), "{} twice", c.id);
            assert!(
                catalog.class(&c.id).is_some(),
                "{} not in the catalogue",
                c.id
            );
            for bank in [&c.a, &c.b] {
                assert!(
                    bank.titles.len() >= 6 && bank.sentences.len() >= 14,
                    "{}",
                    c.id
                );
                for t in bank.titles.iter().chain(&bank.sentences) {
                    assert!(unknown_slots(t).is_empty(), "{}: {t}", c.id);
                }
            }
            let a: HashSet<&String> = c.a.titles.iter().chain(&c.a.sentences).collect();
            assert!(
                c.b.titles
                    .iter()
                    .chain(&c.b.sentences)
                    .all(|t| !a.contains(t)),
                "{}: a text in both banks",
                c.id
            );
        }
    }
}
