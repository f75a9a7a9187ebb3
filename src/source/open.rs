//! Opening a document's file: resolve its reference safely, check its size against a limit,
//! read it, and verify the checksum the export promises. The one file-reading step of both
//! `scan` (which then extracts the text) and `inspect` (which only reports).

use std::fs;
use std::path::PathBuf;

use super::checksum::{sha256_hex, verify, ChecksumStatus};
use super::paths::{Resolver, Unresolved};
use super::DocRef;

/// A document file, read.
#[derive(Debug, Clone)]
pub struct OpenedFile {
    /// Where it is on disk (resolved, inside the export).
    pub path: PathBuf,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
    /// The bytes against the checksum the export promises.
    pub checksum: ChecksumStatus,
}

/// Why a document's file could not be opened.
#[derive(Debug)]
pub enum OpenFailure {
    /// The dokumentobjekt names no file (`referanseDokumentfil`).
    NoReference,
    /// The reference points outside the export; the file was not opened.
    Unsafe,
    /// No such file in the export.
    Missing,
    /// The file is larger than the limit; it was not read.
    TooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// The file is there but could not be read.
    Unreadable(std::io::Error),
}

/// A file that could not be opened, with what was learnt before it failed.
#[derive(Debug)]
pub struct OpenError {
    /// Why.
    pub failure: OpenFailure,
    /// The resolved path, when the reference resolved.
    pub path: Option<PathBuf>,
    /// The file's size, when it was found.
    pub size: Option<u64>,
}

/// Opens `doc`'s file under `resolver`'s root, reading at most `max_bytes`.
pub fn open_document(
    doc: &DocRef,
    resolver: &Resolver,
    max_bytes: u64,
) -> Result<OpenedFile, OpenError> {
    let fail = |failure, path: Option<&PathBuf>, size| OpenError {
        failure,
        path: path.cloned(),
        size,
    };
    let reference = doc
        .reference
        .as_deref()
        .ok_or_else(|| fail(OpenFailure::NoReference, None, None))?;
    let path = resolver.resolve(reference).map_err(|why| match why {
        Unresolved::Unsafe => fail(OpenFailure::Unsafe, None, None),
        Unresolved::Missing => fail(OpenFailure::Missing, None, None),
    })?;
    let size = fs::metadata(&path)
        .map(|m| m.len())
        .map_err(|e| fail(OpenFailure::Unreadable(e), Some(&path), None))?;
    if size > max_bytes {
        return Err(fail(
            OpenFailure::TooLarge { limit: max_bytes },
            Some(&path),
            Some(size),
        ));
    }
    let bytes =
        fs::read(&path).map_err(|e| fail(OpenFailure::Unreadable(e), Some(&path), Some(size)))?;
    let sha256 = sha256_hex(&bytes);
    let checksum = verify(&bytes, &sha256, doc.expected_checksum.as_ref());
    Ok(OpenedFile {
        path,
        bytes,
        sha256,
        checksum,
    })
}
