//! The tests of the whole generator: [`letter`] over every class and many seeds.

use super::categories::DISCLOSES_HEALTH;
use super::*;
use crate::synth::personal;
use crate::synth::rng::Rng;

fn samples(class: LetterClass, seed: u64, n: usize) -> Vec<Letter> {
    let mut rng = Rng::new(seed);
    (0..n).map(|_| letter(class, &mut rng)).collect()
}

#[test]
fn same_seed_same_text() {
    for class in LetterClass::ALL {
        assert_eq!(samples(class, 42, 20), samples(class, 42, 20));
        assert_ne!(samples(class, 42, 5), samples(class, 43, 5));
    }
}

#[test]
fn every_class_gives_complete_norwegian_text() {
    for class in LetterClass::ALL {
        let letters = samples(class, 1000 + class as u64, 50);
        let mut all = String::new();
        for l in &letters {
            assert!(!l.title.trim().is_empty(), "{class:?}: empty title");
            assert!(!l.paragraphs.is_empty(), "{class:?}: no paragraphs");
            assert!(l.paragraphs.iter().all(|p| !p.trim().is_empty()));
            let text = l.text();
            // Every slot must be filled: a leftover `{` is a template typo.
            assert!(
                !text.contains('{') && !l.title.contains('{'),
                "{class:?}: unfilled slot in {:?} / {text}",
                l.title
            );
            for p in &l.persons {
                assert!(
                    text.contains(p.as_str()) || l.title.to_uppercase().contains(&p.to_uppercase()),
                    "{class:?}: person {p} not in text"
                );
            }
            all.push_str(&l.title);
            all.push_str(&text);
        }
        for ch in ['æ', 'ø', 'å'] {
            assert!(all.contains(ch), "{class:?}: no {ch} in 50 letters");
        }
    }
}

#[test]
fn nynorsk_share_and_lengths_vary() {
    let mut nynorsk = 0;
    let mut marked = 0;
    let mut total = 0;
    let mut lens = Vec::new();
    // Words that occur only in nynorsk; a few very short notes may
    // happen to contain none, hence the 90 % bound below.
    let markers = [
        "ikkje", "helsing", "frå", "vert ", "vart ", "stades", "heim", "eg ", "eit ",
    ];
    for class in LetterClass::ALL {
        for l in samples(class, 7, 100) {
            total += 1;
            let t = l.text().to_lowercase();
            if l.nynorsk {
                nynorsk += 1;
                marked += usize::from(markers.iter().any(|w| t.contains(w)));
            } else {
                assert!(!t.contains("ikkje") && !t.contains("helsing"), "{t}");
            }
            lens.push(t.split_whitespace().count());
        }
    }
    // About 15 %; generous bounds keep the test robust to template changes.
    assert!(
        (60..=260).contains(&nynorsk),
        "{nynorsk} of {total} nynorsk"
    );
    assert!(
        marked * 10 >= nynorsk * 9,
        "{marked} of {nynorsk} look nynorsk"
    );
    let min = lens.iter().copied().min().unwrap_or(0);
    let max = lens.iter().copied().max().unwrap_or(0);
    assert!(min <= 40, "shortest letter has {min} words");
    assert!(max >= 400, "longest letter has {max} words");
}

#[test]
fn boilerplate_and_persons() {
    let mut seen = [false; 4];
    for class in LetterClass::ALL {
        for l in samples(class, 99, 60) {
            let t = l.text();
            seen[0] |= t.contains("Vi viser til");
            seen[1] |= t.contains("Med vennlig hilsen");
            seen[2] |= t.contains("Du kan klage på vedtaket");
            seen[3] |=
                t.contains("Dokumentet er elektronisk godkjent og har derfor ingen signatur");
            assert!(!l.persons.is_empty(), "{class:?}: no person in {t}");
        }
    }
    assert_eq!(seen, [true; 4]);
}

#[test]
fn planted_personal_data_is_where_the_truth_says() {
    let mut counts = std::collections::BTreeMap::new();
    for class in LetterClass::ALL {
        for l in samples(class, 500 + class as u64, 300) {
            let chars: Vec<char> = l.canonical_text().chars().collect();
            let mut last_end = 0;
            for p in &l.pii {
                assert!(p.start >= last_end && p.start < p.end, "{p:?} overlaps");
                let at: String = chars[p.start..p.end].iter().collect();
                assert_eq!(at, p.value, "{class:?}: span of {p:?}");
                last_end = p.end;
                *counts.entry(p.kind).or_insert(0usize) += 1;
                match p.kind {
                    PiiKind::Fodselsnummer | PiiKind::DNummer => {
                        assert!(personal::passes_fnr_check(&p.value), "{p:?}");
                        let day: u32 = p.value[..2].parse().unwrap();
                        assert_eq!(day > 40, p.kind == PiiKind::DNummer, "{p:?}");
                    }
                    PiiKind::Lookalike => {
                        assert!(!personal::passes_fnr_check(&p.value), "{p:?}")
                    }
                    PiiKind::Kontonummer => {
                        assert!(personal::passes_konto_check(&p.value), "{p:?}")
                    }
                    PiiKind::Epost => assert!(
                        p.value.ends_with("@example.no") || p.value.ends_with("@eksempel.no"),
                        "{p:?}"
                    ),
                    PiiKind::Navn | PiiKind::Adresse | PiiKind::Telefon => {}
                }
            }
            for person in &l.persons {
                let upper = person.to_uppercase();
                assert!(
                    l.pii.iter().any(
                        |p| p.kind == PiiKind::Navn && (p.value == *person || p.value == upper)
                    ),
                    "{class:?}: {person} not in the truth"
                );
            }
            if class == LetterClass::Politikk && l.kind == DocKind::Moetereferat {
                assert!(l.pii.iter().all(|p| matches!(
                    p.kind,
                    PiiKind::Navn | PiiKind::Adresse | PiiKind::Lookalike
                )));
            }
            let sensitive = matches!(
                class,
                LetterClass::Helse | LetterClass::Barnevern | LetterClass::Sosial
            );
            let disclosing = l
                .paragraphs
                .iter()
                .any(|p| DISCLOSES_HEALTH.iter().any(|s| p.starts_with(s)));
            if sensitive {
                assert!(!l.categories.is_empty());
            } else if class != LetterClass::Personal {
                // Outside the client services, only a paragraph that discloses health.
                assert_eq!(l.categories.is_empty(), !disclosing, "{class:?}");
                assert!(l.categories.iter().all(|c| *c == "helse"));
            }
        }
    }
    for kind in PiiKind::ALL {
        assert!(counts.get(&kind).copied().unwrap_or(0) >= 10, "{counts:?}");
    }
}
