//! The catalogue's rules for an export's own classes, attached by title.
//!
//! A kommune's klassifikasjonssystem has its own ids (`F47`, `L42`, K-codes), not the
//! catalogue's (`30.2`, `27.3`), so a classifier learned from the export suggests ids the
//! catalogue does not know, and the catalogue's retention rule could not follow the
//! suggestion. Each export klasse whose id the catalogue lacks is matched to the catalogue
//! class with the most similar title: the cosine of their character n-grams (3–5 characters
//! within words, so `Barneverntjenesten` meets `Barnevernsak` and `Byggesaksbehandling`
//! meets `Byggesak`), each n-gram weighted by its rarity among the catalogue's titles (so
//! `og` and `-tjeneste` count for little). A match needs a similarity of at least
//! [`MIN_SIMILARITY`] and a lead of [`MIN_LEAD`] over the next catalogue class; anything less
//! attaches nothing. A matched rule fills in only what the export does not teach (its retention
//! where no retention was learned); it never overrides a learned label, since a kommune's own
//! plan may set other periods than the catalogue's.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::classifier::{idf, weighted};
use super::features::{NgramFeaturizer, SparseVec};
use crate::catalog::Catalog;

/// The least title similarity for a match.
pub const MIN_SIMILARITY: f32 = 0.25;
/// The least lead of the best catalogue class over the second.
pub const MIN_LEAD: f32 = 0.05;

/// The catalogue class an export klasse was matched to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogueMatch {
    /// The catalogue class id.
    pub class_id: String,
    /// How similar the titles are (cosine, 0–1).
    pub similarity: f32,
    /// The similarity of the next best catalogue class.
    pub runner_up: f32,
}

/// Matches export klasse titles to a catalogue's classes.
#[derive(Debug)]
pub struct TitleMatcher<'a> {
    catalog: &'a Catalog,
    featurizer: NgramFeaturizer,
    weights: Vec<f32>,
    vectors: Vec<SparseVec>,
}

impl<'a> TitleMatcher<'a> {
    /// A matcher over `catalog`'s class titles.
    pub fn new(catalog: &'a Catalog) -> Self {
        let featurizer = NgramFeaturizer::default();
        let raw: Vec<SparseVec> = catalog
            .classes
            .iter()
            .map(|c| featurizer.featurize(&c.title))
            .collect();
        let weights = idf(raw.iter(), featurizer.dims());
        let vectors = raw.iter().map(|v| weighted(v, &weights)).collect();
        TitleMatcher {
            catalog,
            featurizer,
            weights,
            vectors,
        }
    }

    /// The catalogue class whose title matches `title`, if one clearly does.
    pub fn best(&self, title: &str) -> Option<CatalogueMatch> {
        let v = weighted(&self.featurizer.featurize(title), &self.weights);
        let mut scored: Vec<(usize, f32)> = self
            .vectors
            .iter()
            .enumerate()
            .map(|(i, c)| (i, cosine(&v, c)))
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1));
        let &(best, similarity) = scored.first()?;
        let runner_up = scored.get(1).map_or(0.0, |s| s.1);
        (similarity >= MIN_SIMILARITY && similarity - runner_up >= MIN_LEAD).then(|| {
            CatalogueMatch {
                class_id: self.catalog.classes[best].id.clone(),
                similarity,
                runner_up,
            }
        })
    }

    /// Matches for the export classes `(id, title)` whose id the catalogue does not know.
    pub fn match_classes<'t>(
        &self,
        classes: impl Iterator<Item = (&'t str, Option<&'t str>)>,
    ) -> BTreeMap<String, CatalogueMatch> {
        classes
            .filter(|(id, _)| self.catalog.class(id).is_none())
            .filter_map(|(id, title)| Some((id.to_string(), self.best(title?)?)))
            .collect()
    }
}

/// The dot product of two unit vectors with ascending indices.
fn cosine(a: &SparseVec, b: &SparseVec) -> f32 {
    let (mut i, mut j, mut sum) = (0, 0, 0f32);
    while i < a.indices.len() && j < b.indices.len() {
        match a.indices[i].cmp(&b.indices[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a.values[i] * b.values[j];
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kommune_titles_find_their_catalogue_class_and_others_find_none() {
        let catalog = Catalog::default_catalog();
        let m = TitleMatcher::new(&catalog);
        let id = |t: &str| m.best(t).map(|x| x.class_id);
        // The sample export's own titles (K-code style ids) and a few more a kommune uses.
        for (title, class) in [
            ("Byggesaksbehandling", "27.3"),
            ("Reguleringsplaner", "27.2"),
            ("Politiske organer", "24.1"),
            ("Barneverntjenesten", "30.2"),
            ("Økonomisk sosialhjelp", "30.1"),
            ("Økonomi, budsjett og regnskap", "25.1"),
            ("Tilsetting av personale", "26.2"),
            ("Spesialundervisning", "28.5"),
            ("Renovasjon", "33.2"),
            ("Startlån", "30.5"),
        ] {
            assert_eq!(id(title).as_deref(), Some(class), "{title}");
        }
        // Ambiguous between classes of different retention, or unrelated: nothing attached.
        for title in [
            "Barnehager",
            "Grunnskole",
            "Sosialtjenesten",
            "Traveling",
            "Traveling to new worlds - nonsense",
        ] {
            assert_eq!(id(title), None, "{title}");
        }
    }

    #[test]
    fn only_ids_the_catalogue_lacks_are_matched() {
        let catalog = Catalog::default_catalog();
        let m = TitleMatcher::new(&catalog);
        let found = m.match_classes(
            [
                ("F47", Some("Barneverntjenesten")),
                ("27.3", Some("Barneverntjenesten")),
                ("X1", None),
            ]
            .into_iter(),
        );
        assert_eq!(found.keys().collect::<Vec<_>>(), ["F47"]);
        let f47 = &found["F47"];
        assert_eq!(f47.class_id, "30.2");
        assert!(f47.similarity > f47.runner_up + MIN_LEAD);
    }
}
