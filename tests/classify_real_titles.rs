//! The classifier on real Norwegian municipal text outside our generated data: 6 757 journal
//! entries of Strand kommune's public postliste (2006–2013, `../shared/realdata`). Whether
//! an entry is published or must be asked for ("Må bes om innsyn", i.e. screened) is learned
//! from its title alone by the screening head, split by case so no case is on both sides, and
//! scored on the held-out cases with the same evaluation `arkivar eval` prints.

mod common;

use arkivar::classify::classifier::{Classifier, TrainSettings};
use arkivar::classify::dataset::{bucket, ngram_text, CorpusDoc};
use arkivar::classify::eval::evaluate_classifier;
use arkivar::classify::features::NgramFeaturizer;
use arkivar::classify::labels::HeadKind;
use arkivar::source::{NoarkMeta, Skjerming};

/// Entries as labelled documents: the title, the case (from the entry's link) and the
/// screening the postliste shows.
fn strand_entries() -> Option<Vec<CorpusDoc>> {
    let dir = common::shared()?.join("realdata/strand-postliste/data/archive");
    let featurizer = NgramFeaturizer::default();
    let mut docs = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("the postliste folder")
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("postliste_"))
        })
        .collect();
    files.sort();
    for file in files {
        let entries: Vec<serde_json::Value> =
            serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        for e in entries {
            let (Some(title), Some(id), Some(status)) = (
                e["tittel"].as_str(),
                e["dokumentID"].as_str(),
                e["status"].as_str(),
            ) else {
                continue;
            };
            // ".../details/a-<uuid>-2013000027!…/d-…": the case is the `a-` part.
            let link = e["journal_link"].as_str().unwrap_or(id);
            let case = link
                .split("/details/a-")
                .nth(1)
                .and_then(|s| s.split('!').next())
                .unwrap_or(id);
            let meta = NoarkMeta {
                registrering_title: Some(title.to_string()),
                mappe_id: Some(case.to_string()),
                created: e["dato_iso"].as_str().map(str::to_string),
                skjerming: (status != "Publisert").then(|| Skjerming {
                    tilgangsrestriksjon: Some("U".into()),
                    hjemmel: Some("innsyn må bes om".into()),
                }),
                ..NoarkMeta::default()
            };
            docs.push(CorpusDoc {
                doc_id: id.to_string(),
                title: Some(title.to_string()),
                ngrams: featurizer.featurize(&ngram_text(&meta, None, featurizer.max_chars)),
                meta,
                embedding: None,
                no_text: true,
                text: None,
            });
        }
    }
    Some(docs)
}

#[test]
fn screening_is_learned_from_real_journal_titles() {
    let Some(docs) = strand_entries() else {
        return;
    };
    assert!(docs.len() > 6000, "{} entries", docs.len());
    let test_fold = |d: &CorpusDoc| bucket(d.meta.mappe_id.as_deref().unwrap_or(""), 42, 5) == 0;
    let train: Vec<&CorpusDoc> = docs.iter().filter(|d| !test_fold(d)).collect();
    let test: Vec<CorpusDoc> = docs.iter().filter(|d| test_fold(d)).cloned().collect();
    let settings = TrainSettings {
        heads: vec![HeadKind::Screening],
        ..TrainSettings::default()
    };
    let c = Classifier::train(&train, None, &settings).unwrap();
    let report = evaluate_classifier(&c, &test, None);
    println!("{report}");
    let h = &report.heads[0];
    let screened = test.iter().filter(|d| d.meta.skjerming.is_some()).count() as f64;
    let majority = (screened / test.len() as f64).max(1.0 - screened / test.len() as f64);
    println!(
        "{} held-out entries; majority baseline {majority:.3}; accuracy {:.3}, macro-F1 {:.3}, \
         ECE {:.3}, coverage at 95% precision {:.3}",
        test.len(),
        h.metrics.quality.accuracy,
        h.metrics.quality.macro_f1,
        h.metrics.quality.ece,
        h.metrics.quality.coverage_at_95
    );
    // Measured 2026-12-06: accuracy 0.924 (majority 0.677), macro-F1 0.911, coverage at 95%
    // precision 0.917. The titles span 2006–2013, so the classifier is calibrated on its
    // latest period (the next export is the future; see the test below), where screening
    // practice has moved on: on these held-out cases of every year its scores are cautious
    // (ECE 0.143) and the stored threshold accepts 14% at precision 1.00. (Calibrated on
    // case folders of every year instead, 2026-12-05: ECE 0.046, 58% accepted at 0.98 —
    // and a year on, the test below, 11% accepted at 0.963 with ECE 0.039.)
    assert!(
        h.metrics.quality.accuracy >= majority + 0.2,
        "no better than the majority"
    );
    assert!(
        h.metrics.quality.accuracy >= 0.89,
        "accuracy {}",
        h.metrics.quality.accuracy
    );
    assert!(
        h.metrics.quality.macro_f1 >= 0.87,
        "macro-F1 {}",
        h.metrics.quality.macro_f1
    );
    assert!(
        h.metrics.quality.ece <= 0.2,
        "ECE {}",
        h.metrics.quality.ece
    );
    // The threshold chosen on the latest period holds on unseen cases.
    assert!(h.accepted_share >= 0.08, "accepted {}", h.accepted_share);
    assert!(
        h.accepted_precision.unwrap_or(0.0) >= 0.97,
        "{:?}",
        h.accepted_precision
    );
}

#[test]
fn screening_learned_from_earlier_years_holds_on_later_years() {
    // The next export is the future: train on 2006–2010, measure on 2011–2012. (2013 is left
    // out: every one of its 2 130 entries is listed as not yet published, an artefact of when
    // the postliste was read, not a screening.)
    let Some(docs) = strand_entries() else {
        return;
    };
    fn year(d: &CorpusDoc) -> &str {
        d.meta
            .created
            .as_deref()
            .and_then(|c| c.get(..4))
            .unwrap_or("")
    }
    let train: Vec<&CorpusDoc> = docs.iter().filter(|d| year(d) <= "2010").collect();
    let test: Vec<CorpusDoc> = docs
        .iter()
        .filter(|d| ("2011"..="2012").contains(&year(d)))
        .cloned()
        .collect();
    assert!(
        train.len() > 3000 && test.len() > 1000,
        "{} / {}",
        train.len(),
        test.len()
    );
    let settings = TrainSettings {
        heads: vec![HeadKind::Screening],
        ..TrainSettings::default()
    };
    let c = Classifier::train(&train, None, &settings).unwrap();
    let report = evaluate_classifier(&c, &test, None);
    let h = &report.heads[0];
    println!(
        "{} entries of 2011–2012: accuracy {:.3}, macro-F1 {:.3}, ECE {:.3}, coverage at 95% \
         precision {:.3}; the stored threshold {:?} accepted {:.3} at precision {:?}",
        test.len(),
        h.metrics.quality.accuracy,
        h.metrics.quality.macro_f1,
        h.metrics.quality.ece,
        h.metrics.quality.coverage_at_95,
        h.review_threshold,
        h.accepted_share,
        h.accepted_precision
    );
    // Measured 2026-12-06, calibrated on the latest period of 2006–2010 and then learned from
    // all of it: accuracy 0.926 (the later years are 93% published, so the majority guess
    // scores about as high: titles alone separate screening poorly), macro-F1 0.603, ECE
    // 0.026; the stored threshold accepted 9.1% of the later entries at precision 0.971 — a
    // threshold that holds a year on. Calibrated and learned as before (one case folder in
    // five held out, never learned from), 2026-12-05: accuracy 0.907, ECE 0.039, 11% at 0.963.
    assert!(
        h.metrics.quality.accuracy >= 0.9,
        "accuracy {}",
        h.metrics.quality.accuracy
    );
    assert!(
        h.metrics.quality.ece <= 0.05,
        "ECE {}",
        h.metrics.quality.ece
    );
    assert!(h.accepted_share >= 0.05, "accepted {}", h.accepted_share);
    assert!(
        h.accepted_precision.unwrap_or(0.0) >= 0.95,
        "{:?}",
        h.accepted_precision
    );
}
