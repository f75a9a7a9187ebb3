//! The context words around a span: what a lexicon term is evidence of ([`Tag`]), and where
//! the cues for the number and contact detectors are ([`Context`]).

use super::kind::PiiKind;

/// What a lexicon term is evidence of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tag {
    /// A special category.
    Category(PiiKind),
    /// A word showing the text is about one person (pronouns, roles).
    Person,
    /// A word announcing an identity number.
    Fnr,
    /// A word announcing an account number.
    Account,
    /// A word announcing an organisation number.
    Org,
    /// A word announcing a telephone number.
    Phone,
    /// A word announcing an amount of money (numbers near it are not phone numbers).
    Money,
}

impl Tag {
    /// Context words for the number detectors (not findings of their own).
    pub(crate) fn is_cue(self) -> bool {
        !matches!(self, Tag::Category(_) | Tag::Person)
    }
}

/// Where the context words are (character offsets), for the number detectors.
pub(crate) struct Context {
    cues: Vec<(usize, Tag)>,
    /// How many words show that the text is about one person (pronouns, roles).
    pub person_words: usize,
}

impl Context {
    /// The context from the lexicon hits of a text, as (start in characters, tag) pairs.
    pub(crate) fn new(hits: impl IntoIterator<Item = (usize, Tag)>) -> Context {
        let mut cues: Vec<(usize, Tag)> = Vec::new();
        let mut person_words = 0;
        for (start, tag) in hits {
            if tag.is_cue() {
                cues.push((start, tag));
            } else if tag == Tag::Person {
                person_words += 1;
            }
        }
        cues.sort_by_key(|c| c.0);
        Context { cues, person_words }
    }

    /// Whether a cue of kind `tag` starts within `before` characters before `start` or within
    /// `after` characters after `end`.
    pub fn near(&self, tag: Tag, start: usize, end: usize, before: usize, after: usize) -> bool {
        let lo = start.saturating_sub(before);
        let hi = end + after;
        let first = self.cues.partition_point(|c| c.0 < lo);
        self.cues[first..]
            .iter()
            .take_while(|c| c.0 <= hi)
            .any(|c| c.1 == tag && (c.0 < start || c.0 >= end))
    }
}
