//! Planting personal data in a composed letter: the recipient's address block, a fødselsnummer
//! or D-nummer of the person the case is about, phone and e-mail, a bank account for payments,
//! and sometimes an 11-digit reference that only looks like a fødselsnummer; each where a
//! document of its class and kind has it.

use super::class::{DocKind, LetterClass};
use super::shape::{Marks, Size};
use super::slots::{parse_dmy, Ctx};
use super::templates::{letter_parts, personal_phrases, Template, Voice};
use crate::synth::personal;
use crate::synth::rng::Rng;

/// The slot naming the person a case of `class` is about.
pub(super) fn subject_slot(class: LetterClass) -> &'static str {
    match class {
        LetterClass::Barnehage | LetterClass::Skole | LetterClass::Barnevern => "barn",
        LetterClass::Personal => "ansatt",
        _ => "soker",
    }
}

/// The slot naming the person the municipality writes to (a child's parent).
pub(super) fn recipient_slot(class: LetterClass) -> &'static str {
    match class {
        LetterClass::Barnehage | LetterClass::Skole | LetterClass::Barnevern => "forelder",
        other => subject_slot(other),
    }
}

/// Adds personal data where a document of this class and kind has it: the recipient's
/// address block, a "Gjelder:" line with a fødselsnummer or D-nummer, phone and e-mail,
/// a bank account for payments, and sometimes an 11-digit reference that only looks like a
/// fødselsnummer. Minutes of political bodies get none of it (their names are already there).
pub(super) fn plant(
    class: LetterClass,
    t: &Template,
    size: Size,
    m: Marks,
    c: &mut Ctx,
    rng: &mut Rng,
    p: Vec<String>,
) -> Vec<String> {
    use LetterClass as L;
    let parts = letter_parts();
    let phrases = personal_phrases();
    // Per class: identity number, share of D-numbers, recipient address block, bank
    // account (where a payment belongs), look-alike reference.
    let (p_id, p_dnr, p_block, p_konto, p_ref) = match class {
        L::Helse => (0.75, 0.08, 0.7, 0.05, 0.05),
        L::Barnevern => (0.75, 0.05, 0.7, 0.0, 0.05),
        L::Sosial => (0.75, 0.2, 0.7, 0.5, 0.05),
        L::Personal => (0.6, 0.2, 0.6, 0.3, 0.05),
        L::Barnehage | L::Skole => (0.45, 0.05, 0.6, 0.15, 0.05),
        L::Byggesak => (0.05, 0.05, 0.6, 0.0, 0.08),
        L::Reguleringsplan => (0.02, 0.0, 0.3, 0.0, 0.05),
        L::Okonomi => (0.15, 0.1, 0.4, 0.3, 0.3),
        L::Politikk => (0.0, 0.0, 0.0, 0.0, 0.03),
    };
    let politikk = class == L::Politikk;
    // Memos and minutes about one person: client records and personnel follow-up (budget
    // memos, inspection reports and board minutes are about no one in particular).
    let about_person = match t.voice {
        Voice::Kommune | Voice::Innbygger => !politikk,
        Voice::Intern => matches!(class, L::Helse | L::Barnevern | L::Sosial | L::Personal),
        Voice::Moete => matches!(class, L::Helse | L::Barnevern),
    };
    let mut ins: Vec<(usize, String)> = Vec::new();
    let own_header = t.voice == Voice::Innbygger && size != Size::Short;
    let copy = |c: &mut Ctx, to: &'static str, from: &str| {
        let v = c.get(from).unwrap_or("").to_string();
        c.set(to, v);
    };

    // The recipient's address block of an outgoing letter to a person.
    // (A zoning decision goes to every party to the plan, not to one person.)
    let to_person = about_person && (class, t.kind) != (L::Reguleringsplan, DocKind::Vedtak);
    if t.voice == Voice::Kommune && to_person && rng.chance(p_block) {
        copy(c, "mottaker", recipient_slot(class));
        for line in &parts.mottaker_adr {
            ins.push((m.header_end, c.fill(line)));
        }
    }

    // A fødselsnummer or D-nummer of the person the case is about.
    if about_person && rng.chance(p_id) {
        let subject = match (t.voice, class) {
            (Voice::Innbygger, L::Barnehage | L::Skole) => "barn",
            (Voice::Innbygger, _) => "soker",
            _ => subject_slot(class),
        };
        copy(c, "subjekt", subject);
        let dato = c.get("dato").and_then(parse_dmy).unwrap_or_default();
        let born = match subject {
            "barn" => c.get("fodt").and_then(parse_dmy).unwrap_or_default(),
            _ => dato.add_days(-(rng.range(18 * 365, 90 * 365) as i64)),
        };
        let d_nummer = rng.chance(p_dnr);
        let digits = personal::fodselsnummer(born, d_nummer, rng);
        let shown = if rng.chance(0.35) {
            format!("{} {}", &digits[..6], &digits[6..])
        } else {
            digits
        };
        c.set(if d_nummer { "dnr" } else { "fnr" }, shown);
        let options = match (t.voice, subject, d_nummer) {
            (Voice::Innbygger, "barn", false) => &phrases.fnr_child,
            (Voice::Innbygger, "barn", true) => &phrases.dnr_child,
            (Voice::Innbygger, _, false) => &phrases.fnr_own,
            (Voice::Innbygger, _, true) => &phrases.dnr_own,
            (_, _, false) => &phrases.fnr_about,
            (_, _, true) => &phrases.dnr_about,
        };
        let at = match t.voice {
            Voice::Innbygger if own_header => parts.soker_adr.len(),
            Voice::Innbygger => m.body_end,
            Voice::Moete => (m.header_end + 1).min(m.body_end),
            Voice::Kommune | Voice::Intern => m.header_end,
        };
        let line = c.fill(rng.choose(options));
        ins.push((at, line));
    }

    // Phone and e-mail of the person the municipality deals with.
    let (p_tlf, p_epost) = match t.voice {
        _ if !about_person => (0.0, 0.0),
        Voice::Innbygger => (0.6, 0.45),
        Voice::Kommune => (0.12, 0.08),
        Voice::Intern => (0.25, 0.0),
        Voice::Moete => (0.15, 0.0),
    };
    let kontakt = match (t.voice, class) {
        (Voice::Innbygger, _) => "soker",
        (Voice::Kommune, _) => recipient_slot(class),
        (_, L::Helse | L::Barnevern | L::Barnehage | L::Skole) => "forelder",
        _ => subject_slot(class),
    };
    copy(c, "kontakt", kontakt);
    let name = c.get("kontakt").unwrap_or("").to_string();
    if rng.chance(p_tlf) {
        let tlf = personal::telefon(rng);
        c.set("tlf", tlf);
        let (at, text) = match t.voice {
            Voice::Innbygger if own_header => {
                (parts.soker_adr.len(), rng.choose(&phrases.tlf_head))
            }
            Voice::Innbygger => (m.closing, &phrases.tlf_own),
            Voice::Kommune => (m.body_end, &phrases.tlf_kommune),
            Voice::Intern | Voice::Moete => (m.body_end, &phrases.tlf_kontakt),
        };
        let line = c.fill(text);
        ins.push((at, line));
    }
    if rng.chance(p_epost) {
        let epost = personal::epost(&name, rng);
        c.set("epost", epost);
        let (at, text) = match t.voice {
            Voice::Innbygger if own_header => (parts.soker_adr.len(), &phrases.epost_head),
            Voice::Innbygger => (m.closing, &phrases.epost_own),
            _ => (m.body_end, &phrases.epost_kommune),
        };
        let line = c.fill(text);
        ins.push((at, line));
    }
    // A meeting notice asks for absences to the secretary.
    if politikk && t.kind == DocKind::Brev && rng.chance(0.5) {
        let sb = c.get("saksbehandler").unwrap_or("").to_string();
        let tlf = personal::telefon(rng);
        let epost = personal::epost(&sb, rng);
        c.set("tlf", tlf);
        c.set("epost", epost);
        let line = c.fill(&phrases.forfall);
        ins.push((m.closing, line));
    }

    // A bank account where money is paid out.
    let payment = matches!(
        (class, t.kind),
        (L::Sosial, DocKind::Vedtak | DocKind::Soknad)
            | (L::Personal, DocKind::Brev | DocKind::Vedtak)
            | (L::Okonomi, DocKind::Vedtak | DocKind::Soknad)
            | (L::Helse, DocKind::Vedtak)
            | (L::Barnehage, DocKind::Vedtak | DocKind::Soknad)
    );
    if payment && rng.chance(p_konto) {
        let k = personal::kontonummer(rng);
        let shown = match rng.below(10) {
            0..5 => format!("{}.{}.{}", &k[..4], &k[4..6], &k[6..]),
            5..8 => format!("{} {} {}", &k[..4], &k[4..6], &k[6..]),
            _ => k,
        };
        c.set("konto", shown);
        let text = match (t.voice, class) {
            (Voice::Innbygger, _) => rng.choose(&phrases.konto_soker),
            (_, L::Personal) => &phrases.konto_lonn,
            _ => rng.choose(&phrases.konto_ut),
        };
        let line = c.fill(text);
        ins.push((m.body_end, line));
    }

    // An 11-digit reference that is not a fødselsnummer.
    if rng.chance(p_ref) {
        c.set("ref11", personal::lookalike(rng));
        let list = if class == L::Okonomi && t.voice != Voice::Intern {
            &phrases.ref_okonomi
        } else {
            &phrases.ref_general
        };
        let at = match t.voice {
            Voice::Kommune | Voice::Intern => m.header_end,
            Voice::Innbygger | Voice::Moete => m.body_end,
        };
        let line = c.fill(rng.choose(list));
        ins.push((at, line));
    }

    if ins.is_empty() {
        return p;
    }
    // Stable: lines for the same place keep the order they were made in.
    ins.sort_by_key(|(i, _)| *i);
    let mut out = Vec::with_capacity(p.len() + ins.len());
    let mut pending = ins.into_iter().peekable();
    for (i, para) in p.into_iter().enumerate() {
        while let Some((_, line)) = pending.next_if(|(at, _)| *at <= i) {
            out.push(line);
        }
        out.push(para);
    }
    out.extend(pending.map(|(_, line)| line));
    out
}
