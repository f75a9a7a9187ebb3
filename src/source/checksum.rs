//! Checksums an export promises for its document files, and their verification.

use md5::Md5;
use sha2::{Digest, Sha256};

/// A checksum algorithm named by `sjekksumAlgoritme`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// SHA-256 (`SHA256`, `SHA-256`, `sha256`).
    Sha256,
    /// MD5 (`MD5`).
    Md5,
}

/// A checksum as the export states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    /// The algorithm, or `None` when the export names one arkivar does not know (kept as text
    /// in `algorithm_name` so the report can say which).
    pub algorithm: Option<Algorithm>,
    /// The algorithm's name as written.
    pub algorithm_name: String,
    /// The digest, lower-cased hex with white space removed.
    pub hex: String,
}

impl Expected {
    /// Builds from `sjekksum` and `sjekksumAlgoritme` as written in the XML. A missing
    /// algorithm is taken as SHA-256, the algorithm Noark 5 prescribes.
    pub fn new(hex: &str, algorithm_name: Option<&str>) -> Expected {
        let name = algorithm_name.unwrap_or("SHA256").trim().to_string();
        let key: String = name
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let algorithm = match key.as_str() {
            "sha256" => Some(Algorithm::Sha256),
            "md5" => Some(Algorithm::Md5),
            _ => None,
        };
        Expected {
            algorithm,
            algorithm_name: name,
            hex: hex
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase(),
        }
    }
}

/// The outcome of checking a file against the export's checksum (`checksum_status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChecksumStatus {
    /// The file matches.
    Ok,
    /// The file does not match: it changed or the export is wrong.
    Mismatch,
    /// The export gives no checksum.
    NotGiven,
    /// The export names an algorithm arkivar does not implement.
    UnsupportedAlgorithm,
    /// The file could not be read, so nothing was checked.
    NotChecked,
}

impl ChecksumStatus {
    /// The stable snake_case name written to the output.
    pub fn as_str(self) -> &'static str {
        match self {
            ChecksumStatus::Ok => "ok",
            ChecksumStatus::Mismatch => "mismatch",
            ChecksumStatus::NotGiven => "not_given",
            ChecksumStatus::UnsupportedAlgorithm => "unsupported_algorithm",
            ChecksumStatus::NotChecked => "not_checked",
        }
    }
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// A file that hashes (SHA-256) every byte read from it, so a file streamed once for its
/// content gets its checksum in the same pass.
pub struct HashingFile {
    file: std::fs::File,
    hasher: Sha256,
}

impl HashingFile {
    /// Opens `path` for reading.
    pub fn open(path: &std::path::Path) -> std::io::Result<HashingFile> {
        Ok(HashingFile {
            file: std::fs::File::open(path)?,
            hasher: Sha256::new(),
        })
    }

    /// The SHA-256 of the whole file: what was read so far and, first, the rest of it (read
    /// now, in pieces).
    pub fn sha256(&mut self) -> std::io::Result<String> {
        std::io::copy(self, &mut std::io::sink())?;
        Ok(hex(&self.hasher.clone().finalize()))
    }
}

impl std::io::Read for HashingFile {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.file.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

/// Lower-case hex encoding of `bytes` (of a digest, for file names, ids and checksums).
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// SHA-256 (and MD5 when the export promises one) of a file read in pieces, for a file too
/// large to hold: [`FileDigest::update`] each piece, then [`FileDigest::finish`].
pub struct FileDigest {
    sha256: Sha256,
    md5: Option<Md5>,
}

impl FileDigest {
    /// A digest for a file the export promises `expected` of.
    pub fn new(expected: Option<&Expected>) -> FileDigest {
        let md5 = expected
            .is_some_and(|e| e.algorithm == Some(Algorithm::Md5))
            .then(Md5::new);
        FileDigest {
            sha256: Sha256::new(),
            md5,
        }
    }

    /// Adds the next piece of the file.
    pub fn update(&mut self, piece: &[u8]) {
        self.sha256.update(piece);
        if let Some(md5) = &mut self.md5 {
            md5.update(piece);
        }
    }

    /// The file's SHA-256 (hex) and its check against `expected`, as [`verify`] gives it.
    pub fn finish(self, expected: Option<&Expected>) -> (String, ChecksumStatus) {
        let sha256 = hex(&self.sha256.finalize());
        let md5 = self.md5.map(|m| hex(&m.finalize()));
        let status = match expected {
            None => ChecksumStatus::NotGiven,
            Some(e) => match (e.algorithm, &md5) {
                (Some(Algorithm::Sha256), _) => matches_hex(&sha256, e),
                (Some(Algorithm::Md5), Some(md5)) => matches_hex(md5, e),
                _ => ChecksumStatus::UnsupportedAlgorithm,
            },
        };
        (sha256, status)
    }
}

fn matches_hex(actual: &str, expected: &Expected) -> ChecksumStatus {
    if actual == expected.hex {
        ChecksumStatus::Ok
    } else {
        ChecksumStatus::Mismatch
    }
}

/// Checks `bytes` (whose SHA-256 is already known as `sha256`) against `expected`.
pub fn verify(bytes: &[u8], sha256: &str, expected: Option<&Expected>) -> ChecksumStatus {
    let Some(expected) = expected else {
        return ChecksumStatus::NotGiven;
    };
    match expected.algorithm {
        Some(Algorithm::Sha256) => matches_hex(sha256, expected),
        Some(Algorithm::Md5) => matches_hex(&hex(&Md5::digest(bytes)), expected),
        None => ChecksumStatus::UnsupportedAlgorithm,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn algorithm_spellings_and_hex_case_are_tolerated() {
        let sha = sha256_hex(b"abc");
        for name in ["SHA256", "SHA-256", "sha256", " Sha-256 "] {
            let e = Expected::new(&sha.to_uppercase(), Some(name));
            assert_eq!(verify(b"abc", &sha, Some(&e)), ChecksumStatus::Ok, "{name}");
        }
        let md5 = Expected::new("900150983CD24FB0D6963F7D28E17F72", Some("MD5"));
        assert_eq!(verify(b"abc", &sha, Some(&md5)), ChecksumStatus::Ok);
        assert_eq!(
            verify(b"abd", &sha256_hex(b"abd"), Some(&md5)),
            ChecksumStatus::Mismatch
        );
        let odd = Expected::new("00", Some("CRC32"));
        assert_eq!(
            verify(b"abc", &sha, Some(&odd)),
            ChecksumStatus::UnsupportedAlgorithm
        );
        assert_eq!(verify(b"abc", &sha, None), ChecksumStatus::NotGiven);
    }

    #[test]
    fn a_streamed_file_gets_the_checksum_of_the_whole() {
        use std::io::Read;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.xml");
        let bytes: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        let whole = sha256_hex(&bytes);
        // Read part of it, as a parser that stops at the root's end tag does.
        let mut f = HashingFile::open(&path).unwrap();
        let mut head = vec![0u8; 70_000];
        f.read_exact(&mut head).unwrap();
        assert_eq!(f.sha256().unwrap(), whole);
        assert_eq!(
            f.sha256().unwrap(),
            whole,
            "asking twice reads nothing more"
        );
    }

    #[test]
    fn a_digest_in_pieces_agrees_with_verify() {
        let sha = sha256_hex(b"abc");
        for e in [
            Some(Expected::new(&sha, None)),
            Some(Expected::new(
                "900150983cd24fb0d6963f7d28e17f72",
                Some("MD5"),
            )),
            Some(Expected::new("00", Some("MD5"))),
            Some(Expected::new("00", Some("CRC32"))),
            None,
        ] {
            let mut d = FileDigest::new(e.as_ref());
            d.update(b"a");
            d.update(b"bc");
            assert_eq!(
                d.finish(e.as_ref()),
                (sha.clone(), verify(b"abc", &sha, e.as_ref()))
            );
        }
    }
}
