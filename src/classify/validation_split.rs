//! The validation split a classifier is calibrated on: its temperatures, fusion weights and
//! review thresholds are fitted on documents the heads did not learn from.
//!
//! Documents change over time (new forms, a new case system, new staff who write otherwise),
//! and the next export a classifier meets is the future. So where an export spans years, the
//! validation split is its **latest period**: the case folders opened last, about one
//! document in `every`, cut at a date. A head calibrated there has been scored on wording
//! newer than what it learned from, as it will be in use. Where the documents carry no dates,
//! or all fall in one year, one case folder in `every` is drawn by a seeded hash. Either way
//! a case folder's documents stay on one side (they are near-copies of each other).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::dataset::{bucket, split_group, CorpusDoc};

/// The share of documents that must carry a date for the split to go by date.
pub const DATED_SHARE: f64 = 0.9;

/// How a classifier's validation split was drawn (recorded in its header).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum ValidationSplit {
    /// One case folder in `every`, drawn by a seeded hash.
    CaseFolders {
        /// One in this many.
        every: usize,
    },
    /// The case folders opened on or after `from` (an ISO date): the latest period.
    LatestPeriod {
        /// The first date of the period.
        from: String,
    },
}

impl std::fmt::Display for ValidationSplit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ValidationSplit::CaseFolders { every } => {
                write!(f, "one case folder in {every}, drawn at random")
            }
            ValidationSplit::LatestPeriod { from } => {
                write!(
                    f,
                    "the case folders opened from {from} on (the latest period)"
                )
            }
        }
    }
}

/// The validation split of `corpus`: whether each document is in it, and how it was drawn.
pub fn split(corpus: &[&CorpusDoc], seed: u64, every: usize) -> (ValidationSplit, Vec<bool>) {
    let every = every.max(2);
    let opened = opening_dates(corpus);
    if let Some(from) = latest_period(corpus, &opened, every) {
        let validation = corpus
            .iter()
            .map(|d| {
                opened
                    .get(split_group(d))
                    .is_some_and(|date| *date >= from.as_str())
            })
            .collect();
        return (ValidationSplit::LatestPeriod { from }, validation);
    }
    let validation = corpus
        .iter()
        .map(|d| bucket(split_group(d), seed, every) == 0)
        .collect();
    (ValidationSplit::CaseFolders { every }, validation)
}

/// Each case folder's opening date: the earliest date among its documents.
fn opening_dates<'a>(corpus: &[&'a CorpusDoc]) -> HashMap<&'a str, &'a str> {
    let mut opened: HashMap<&str, &str> = HashMap::new();
    for d in corpus {
        if let Some(date) = d.meta.created.as_deref().filter(|s| s.len() >= 4) {
            let e = opened.entry(split_group(d)).or_insert(date);
            if date < *e {
                *e = date;
            }
        }
    }
    opened
}

/// The first date of the latest period holding about one document in `every` (`opened`: each
/// case folder's opening date), where the
/// documents are dated ([`DATED_SHARE`]) and span two years or more, and the cut leaves at
/// least half of them to learn from; `None` otherwise.
fn latest_period(
    corpus: &[&CorpusDoc],
    opened: &HashMap<&str, &str>,
    every: usize,
) -> Option<String> {
    let mut per_date: HashMap<&str, usize> = HashMap::new();
    let mut dated = 0usize;
    for d in corpus {
        if let Some(date) = opened.get(split_group(d)) {
            *per_date.entry(date).or_default() += 1;
            dated += 1;
        }
    }
    if (dated as f64) < DATED_SHARE * corpus.len() as f64 || dated == 0 {
        return None;
    }
    let mut docs_by_date: Vec<(&str, usize)> = per_date.into_iter().collect();
    docs_by_date.sort_unstable_by(|a, b| b.0.cmp(a.0));
    let (latest, earliest) = (docs_by_date.first()?.0, docs_by_date.last()?.0);
    if latest.get(..4) == earliest.get(..4) {
        return None;
    }
    let want = dated.div_ceil(every);
    let mut taken = 0usize;
    for (date, n) in &docs_by_date {
        taken += n;
        if taken >= want {
            return (taken * 2 <= dated).then(|| date.to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::NoarkMeta;

    fn doc(id: usize, case: usize, date: Option<&str>) -> CorpusDoc {
        CorpusDoc {
            doc_id: format!("d{id}"),
            title: None,
            meta: NoarkMeta {
                mappe_id: Some(format!("case{case}")),
                created: date.map(str::to_string),
                ..NoarkMeta::default()
            },
            ngrams: Default::default(),
            embedding: None,
            no_text: false,
            text: None,
        }
    }

    #[test]
    fn an_export_spanning_years_is_validated_on_its_latest_cases() {
        // 100 cases of two documents, one case a month from 2016; the second document of
        // each case is dated later than the first.
        let docs: Vec<CorpusDoc> = (0..200)
            .map(|i| {
                let case = i / 2;
                let (y, m) = (2016 + case / 12, case % 12 + 1);
                let day = if i % 2 == 0 { 1 } else { 20 };
                doc(i, case, Some(&format!("{y}-{m:02}-{day:02}")))
            })
            .collect();
        let refs: Vec<&CorpusDoc> = docs.iter().collect();
        let (how, validation) = split(&refs, 1, 5);
        assert_eq!(
            how,
            ValidationSplit::LatestPeriod {
                from: "2022-09-01".into()
            }
        );
        assert_eq!(validation.iter().filter(|&&v| v).count(), 40);
        // Whole cases, and exactly the latest ones.
        for (d, &v) in docs.iter().zip(&validation) {
            let case: usize = d.meta.mappe_id.as_deref().unwrap()[4..].parse().unwrap();
            assert_eq!(v, case >= 80, "{}", d.doc_id);
        }
        assert!(how.to_string().contains("2022-09-01"));
    }

    #[test]
    fn undated_or_single_year_exports_draw_case_folders() {
        let undated: Vec<CorpusDoc> = (0..100).map(|i| doc(i, i / 2, None)).collect();
        let one_year: Vec<CorpusDoc> = (0..100)
            .map(|i| doc(i, i / 2, Some(&format!("2021-{:02}-01", i % 12 + 1))))
            .collect();
        for docs in [undated, one_year] {
            let refs: Vec<&CorpusDoc> = docs.iter().collect();
            let (how, validation) = split(&refs, 1, 5);
            assert_eq!(how, ValidationSplit::CaseFolders { every: 5 });
            let n = validation.iter().filter(|&&v| v).count();
            assert!((8..=35).contains(&n), "{n}");
            for pair in validation.chunks(2) {
                assert_eq!(pair[0], pair[1], "a case split apart");
            }
        }
    }

    #[test]
    fn one_date_holding_most_documents_is_no_period() {
        // 90 of 100 documents on the last day: a cut there would leave 10 to learn from.
        let docs: Vec<CorpusDoc> = (0..100)
            .map(|i| {
                let date = if i < 10 { "2019-01-01" } else { "2023-06-30" };
                doc(i, i, Some(date))
            })
            .collect();
        let refs: Vec<&CorpusDoc> = docs.iter().collect();
        assert_eq!(
            split(&refs, 1, 5).0,
            ValidationSplit::CaseFolders { every: 5 }
        );
    }
}
