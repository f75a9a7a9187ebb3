//! Deterministic Norwegian municipal document texts for synthetic exports.
//!
//! [`letter`] turns a [`LetterClass`] and an [`Rng`](crate::synth::rng::Rng) into a [`Letter`]: a
//! journal-style title, a document kind and the paragraphs of the document.
//! The texts are built from templates with slots (names, places, streets,
//! gnr/bnr, dates, amounts) in the wording Norwegian municipalities actually
//! use: "Vi viser til …", the legal basis of a decision, the standard appeal
//! paragraph, "Med vennlig hilsen" and the signature block of an
//! electronically approved letter. About 15 % of the letters are in nynorsk,
//! as in a typical western municipality.
//!
//! The aim is classifier training and benchmarking data, so:
//!
//! * each class has its own vocabulary and legal references, but related
//!   classes share some (byggesak/reguleringsplan, barnehage/skole), and all
//!   classes share the boilerplate, so the classes are not trivially separable;
//! * lengths vary from three lines to about two pages;
//! * the same seed always gives the same text (nothing depends on hashing,
//!   time or the platform).

//!
//! The texts themselves are data: the TOML files under `src/synth/templates/`, described in the
//! `templates` module. The code here is the generator, one job per module:
//!
//! | module | job |
//! |---|---|
//! | `class` | [`DocKind`], [`LetterClass`] and what an archive files for each class |
//! | `document` | the generated [`Letter`] and its planted personal data ([`Pii`]) |
//! | `templates` | the template files: their types, loaded once |
//! | `slots` | a letter's slot values and the filling of `{slot}` marks |
//! | `shape` | a letter's size and where its parts begin |
//! | `compose` | [`letter`]: header, body, optional paragraphs, closing |
//! | `plant` | planting personal data where a document of its class has it |
//! | `locate` | the character spans of the personal data in the text |
//! | `categories` | the special categories of personal data a document holds |

mod categories;
mod class;
mod compose;
mod document;
mod locate;
mod plant;
mod shape;
mod slots;
mod templates;
#[cfg(test)]
mod tests;

pub use class::{DocKind, LetterClass};
pub use compose::letter;
pub use document::{Letter, Pii, PiiKind};
