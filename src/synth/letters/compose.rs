//! Composing one letter: a template of its class, the header and body of its voice, optional
//! paragraphs to vary its length, the closing, then the planted personal data and the truth.

use super::categories::{categories, DISCLOSES_HEALTH};
use super::class::LetterClass;
use super::document::Letter;
use super::locate::locate;
use super::plant::plant;
use super::shape::{Marks, Size};
use super::slots::Ctx;
use super::templates::{
    class_texts, general_paragraphs, letter_parts, shared_paragraphs, Text, Voice,
};
use crate::synth::rng::Rng;

/// Generates one document of `class`, consuming randomness from `rng`.
pub fn letter(class: LetterClass, rng: &mut Rng) -> Letter {
    let nn = rng.chance(0.15);
    let parts = letter_parts();
    let t = rng.choose(&class_texts(class).templates);
    let mut c = Ctx::new(class, nn, rng);

    let mut title = c.fill(rng.choose(&t.titles));
    // Older registry entries (and many saksframlegg) are written in capitals.
    if matches!(
        class,
        LetterClass::Byggesak | LetterClass::Reguleringsplan | LetterClass::Politikk
    ) && rng.chance(0.1)
    {
        title = title.to_uppercase();
    }

    // Short: a few lines; medium: a normal letter; long: up to about two pages.
    let size = match rng.below(10) {
        0 | 1 => Size::Short,
        2..=6 => Size::Medium,
        _ => Size::Long,
    };
    let mut p: Vec<String> = Vec::new();

    // Header.
    match (t.voice, size) {
        (_, Size::Short) => {}
        (Voice::Innbygger, _) => {
            for line in parts.soker_adr.iter().chain(&parts.til_kommune) {
                p.push(c.fill(line));
            }
        }
        (Voice::Intern, _) => {
            for line in &parts.notat_head {
                p.push(c.fill(line));
            }
        }
        (Voice::Kommune | Voice::Moete, _) => {}
    }
    let header_end = p.len();

    // Body: a short letter keeps only its first paragraph.
    let body = match size {
        Size::Short => &t.body[..1.min(t.body.len())],
        _ => &t.body[..],
    };
    for b in body {
        p.push(c.fill(b));
    }
    let body_end = p.len();
    let closing;

    if t.voice == Voice::Moete {
        // Minutes: a run of agenda items, each with its own case details.
        let items = match size {
            Size::Short => 1,
            Size::Medium => rng.range(2, 5),
            Size::Long => rng.range(6, 16),
        };
        // Each agenda item at most once: real minutes do not repeat an item.
        let mut pool: Vec<&Text> = t.extra.iter().collect();
        let first = rng.range(1, 80);
        for saknr in first..first + items {
            if pool.is_empty() {
                break;
            }
            c.reroll(rng, saknr);
            let i = rng.below(pool.len() as u64) as usize;
            let item = pool.remove(i);
            p.push(c.fill(item));
        }
        closing = p.len();
        for m in &parts.moete_end {
            p.push(c.fill(m));
        }
    } else {
        let n = match size {
            Size::Short => 0,
            Size::Medium => rng.range(0, 2),
            Size::Long => rng.range(8, 24),
        };
        // Citizens do not write in the municipality's voice, so the shared
        // and general (administrative) paragraphs are for its own documents.
        let mut pool: Vec<&Text> = t.extra.iter().collect();
        if t.voice != Voice::Innbygger {
            pool.extend(shared_paragraphs(class));
        }
        if t.voice == Voice::Kommune {
            pool.extend(general_paragraphs());
            if size == Size::Long {
                p.push(c.fill(&parts.vurdering));
            }
        }
        for _ in 0..n {
            if pool.is_empty() {
                break;
            }
            // Without replacement: a letter never repeats a paragraph.
            let i = rng.below(pool.len() as u64) as usize;
            let x = pool.swap_remove(i);
            p.push(c.fill(x));
        }
        if t.klage && size != Size::Short {
            p.push(c.fill(&parts.klage));
            if rng.chance(0.4) {
                p.push(c.fill(&parts.klagefrist));
            }
        }
        closing = p.len();
        match t.voice {
            Voice::Kommune => {
                if size != Size::Short {
                    p.push(c.fill(&parts.kontakt));
                }
                p.push(c.fill(&parts.hilsen));
                if size == Size::Short {
                    p.push(c.fill(&parts.signatur_kort));
                } else {
                    for s in &parts.signatur {
                        p.push(c.fill(s));
                    }
                }
                if rng.chance(0.8) {
                    p.push(c.fill(&parts.egodkjent));
                }
                if size != Size::Short && rng.chance(0.2) {
                    p.push(c.fill(&parts.kopi));
                }
            }
            Voice::Innbygger => {
                p.push(c.fill(&parts.hilsen));
                p.push(c.fill(&parts.soker_signatur));
                if size != Size::Short && rng.chance(0.5) {
                    p.push(c.fill(&parts.vedlegg));
                }
            }
            Voice::Intern => p.push(c.fill(&parts.signatur_kort)),
            Voice::Moete => {}
        }
    }

    let marks = Marks {
        header_end,
        body_end,
        closing,
    };
    let p = plant(class, t, size, marks, &mut c, rng, p);
    let mut categories = categories(class, t.kind);
    let discloses_health = p
        .iter()
        .any(|para| DISCLOSES_HEALTH.iter().any(|s| para.starts_with(s)));
    if discloses_health && !categories.contains(&"helse") {
        categories.push("helse");
    }
    let mut letter = Letter {
        title,
        kind: t.kind,
        paragraphs: p,
        nynorsk: nn,
        persons: c.persons,
        pii: Vec::new(),
        categories,
    };
    letter.pii = locate(
        &letter.canonical_text(),
        &letter.persons,
        &c.found,
        &c.poststeder,
    );
    letter
}
