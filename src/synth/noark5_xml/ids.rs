//! UUID-shaped ids: deterministic ones for the synthetic tree, and the schema's shape check.

use sha2::{Digest, Sha256};

use crate::source::checksum::hex;

/// A stable UUID-shaped id derived from `name` (RFC 9562 version 8,
/// "custom": the first 16 bytes of SHA-256(`name`) with version/variant bits
/// set). Gives reproducible `systemID`s for synthetic trees.
pub fn deterministic_uuid(name: &str) -> String {
    let d = Sha256::digest(name.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex(&b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// Whether `s` matches the schema's `ID` pattern
/// `[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}`.
///
/// The XSD pattern is implicitly anchored, so the whole string must match.
pub fn is_uuid_shaped(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::checksum::sha256_hex;

    #[test]
    fn uuids() {
        let u = deterministic_uuid("x");
        assert!(is_uuid_shaped(&u));
        assert_eq!(u, deterministic_uuid("x"));
        assert_ne!(u, deterministic_uuid("y"));
        assert_eq!(&u[14..15], "8");
        assert!(!is_uuid_shaped("journpost57d6608569ed33.70652483"));
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
