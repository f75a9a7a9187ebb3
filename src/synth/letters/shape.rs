//! The shape of a letter being composed: its [`Size`], and where its parts begin ([`Marks`]),
//! which decides where planted personal data goes.

/// How long a letter is: a few lines, a normal letter, or up to about two pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Size {
    /// A few lines: the first body paragraph and a short closing.
    Short,
    /// A normal letter.
    Medium,
    /// Up to about two pages.
    Long,
}

/// Where the parts of a generated letter begin.
#[derive(Debug, Clone, Copy)]
pub(super) struct Marks {
    /// First paragraph after the header (address block or memo head).
    pub header_end: usize,
    /// First paragraph after the fixed body paragraphs.
    pub body_end: usize,
    /// First paragraph of the closing (greeting, signature, end of minutes).
    pub closing: usize,
}
