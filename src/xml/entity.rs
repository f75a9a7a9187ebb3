//! Text content of XML elements as quick-xml reports it: plain text, and entity references as
//! separate events.

use quick_xml::events::BytesRef;

/// Appends the text an entity reference stands for: a character reference (`&#229;`) or one of
/// the five predefined entities. Undeclared entities add nothing (they cannot be resolved
/// without a DTD, which Noark and office XML never use).
pub(crate) fn push_entity(text: &mut String, r: &BytesRef<'_>) {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        text.push(c);
        return;
    }
    let name: &[u8] = r;
    text.push_str(match name {
        b"amp" => "&",
        b"lt" => "<",
        b"gt" => ">",
        b"quot" => "\"",
        b"apos" => "'",
        _ => "",
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn character_and_predefined_entities_resolve() {
        let mut s = String::new();
        for r in ["amp", "#229", "#x41", "lt", "nbsp"] {
            push_entity(&mut s, &BytesRef::new(r));
        }
        assert_eq!(s, "&åA<");
    }
}
