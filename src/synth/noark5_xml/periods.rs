//! The periods of structural units, derived from the dates of the cases and entries below
//! them (the tree does not carry them).

use super::tree::{Arkiv, Arkivdel, Klasse, Saksmappe};
use crate::synth::date::Date;

/// Earliest and latest date of a unit's subtree.
pub(super) type Span = (Date, Date);

fn join(a: Option<Span>, b: Option<Span>) -> Option<Span> {
    match (a, b) {
        (Some(x), Some(y)) => Some((x.0.min(y.0), x.1.max(y.1))),
        (x, None) => x,
        (None, y) => y,
    }
}

pub(super) fn mappe_span(m: &Saksmappe) -> Span {
    m.journalposter
        .iter()
        .fold((m.saksdato, m.saksdato), |s, j| {
            (
                s.0.min(j.opprettet_dato).min(j.journaldato),
                s.1.max(j.opprettet_dato).max(j.journaldato),
            )
        })
}

pub(super) fn klasse_span(k: &Klasse) -> Option<Span> {
    k.mapper
        .iter()
        .fold(None, |s, m| join(s, Some(mappe_span(m))))
}

pub(super) fn arkivdel_span(d: &Arkivdel) -> Option<Span> {
    d.klassifikasjonssystem
        .klasser
        .iter()
        .fold(None, |s, k| join(s, klasse_span(k)))
}

pub(super) fn arkiv_span(a: &Arkiv) -> Option<Span> {
    a.arkivdeler
        .iter()
        .fold(None, |s, d| join(s, arkivdel_span(d)))
}
