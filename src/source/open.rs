//! Opening a document's file: resolve its reference safely ([`locate`]), then either read it
//! whole within a size limit ([`read_located`], for `scan`, which extracts its text) or read it
//! in pieces ([`digest_located`], for `inspect`, which only reports), verifying the checksum
//! the export promises either way.

use std::fs;
use std::io::Read;
use std::path::PathBuf;

use super::checksum::{sha256_hex, verify, ChecksumStatus, FileDigest};
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
    /// A named pipe, socket or device, not a regular file; it was not opened.
    NotAFile,
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

/// A document's file found and safe to open, not yet read.
#[derive(Debug, Clone)]
pub struct Located {
    /// Where it is on disk (resolved, inside the export).
    pub path: PathBuf,
    /// Its size.
    pub size: u64,
}

/// Finds `doc`'s file under `resolver`'s root and learns its size, without opening it.
pub fn locate(doc: &DocRef, resolver: &Resolver) -> Result<Located, OpenError> {
    let fail = |failure, path: Option<PathBuf>| OpenError {
        failure,
        path,
        size: None,
    };
    let resolved = match (&doc.file, doc.reference.as_deref()) {
        (Some(file), _) => resolver.resolve_relative(file),
        (None, Some(reference)) => resolver.resolve(reference),
        (None, None) => return Err(fail(OpenFailure::NoReference, None)),
    };
    let path = resolved.map_err(|why| match why {
        Unresolved::Unsafe => fail(OpenFailure::Unsafe, None),
        Unresolved::Missing => fail(OpenFailure::Missing, None),
        Unresolved::NotAFile(path) => fail(OpenFailure::NotAFile, Some(path)),
    })?;
    let size = fs::metadata(&path)
        .map(|m| m.len())
        .map_err(|e| fail(OpenFailure::Unreadable(e), Some(path.clone())))?;
    Ok(Located { path, size })
}

/// Reads a located file of at most `max_bytes` and checks it against `doc`'s checksum.
pub fn read_located(
    doc: &DocRef,
    located: Located,
    max_bytes: u64,
) -> Result<OpenedFile, OpenError> {
    let Located { path, size } = located;
    let fail = |failure, path: PathBuf| OpenError {
        failure,
        path: Some(path),
        size: Some(size),
    };
    if size > max_bytes {
        return Err(fail(OpenFailure::TooLarge { limit: max_bytes }, path));
    }
    // Never more than the limit, even if the file grew since it was measured.
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    let read = fs::File::open(&path)
        .and_then(|f| f.take(max_bytes.saturating_add(1)).read_to_end(&mut bytes));
    if let Err(e) = read {
        return Err(fail(OpenFailure::Unreadable(e), path));
    }
    if bytes.len() as u64 > max_bytes {
        return Err(fail(OpenFailure::TooLarge { limit: max_bytes }, path));
    }
    let sha256 = sha256_hex(&bytes);
    let checksum = verify(&bytes, &sha256, doc.expected_checksum.as_ref());
    Ok(OpenedFile {
        path,
        bytes,
        sha256,
        checksum,
    })
}

/// Opens `doc`'s file under `resolver`'s root, reading at most `max_bytes`: [`locate`], then
/// [`read_located`].
pub fn open_document(
    doc: &DocRef,
    resolver: &Resolver,
    max_bytes: u64,
) -> Result<OpenedFile, OpenError> {
    read_located(doc, locate(doc, resolver)?, max_bytes)
}

/// What [`digest_located`] learns of a file without holding it.
#[derive(Debug, Clone)]
pub struct DigestedFile {
    /// Where it is on disk.
    pub path: PathBuf,
    /// Its first bytes (at most [`HEAD_BYTES`]), for format detection.
    pub head: Vec<u8>,
    /// SHA-256 of the whole file, hex.
    pub sha256: String,
    /// The file against the checksum the export promises.
    pub checksum: ChecksumStatus,
    /// Bytes read.
    pub size: u64,
}

/// The bytes of a file's start that [`digest_located`] keeps.
pub const HEAD_BYTES: usize = 64 * 1024;

/// Reads a located file of any size in pieces to check its checksum, keeping only its start:
/// memory is one buffer whatever the file's size (for `inspect`, which reads every file).
pub fn digest_located(doc: &DocRef, located: Located) -> Result<DigestedFile, OpenError> {
    let Located { path, size } = located;
    let expected = doc.expected_checksum.as_ref();
    let mut digest = FileDigest::new(expected);
    let mut head = Vec::new();
    let mut read = 0u64;
    let result = fs::File::open(&path).and_then(|mut f| {
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = f.read(&mut buf)?;
            if n == 0 {
                return Ok(());
            }
            let piece = &buf[..n];
            digest.update(piece);
            let room = HEAD_BYTES.saturating_sub(head.len()).min(n);
            head.extend_from_slice(&piece[..room]);
            read += n as u64;
        }
    });
    if let Err(e) = result {
        return Err(OpenError {
            failure: OpenFailure::Unreadable(e),
            path: Some(path),
            size: Some(size),
        });
    }
    let (sha256, checksum) = digest.finish(expected);
    Ok(DigestedFile {
        path,
        head,
        sha256,
        checksum,
        size: read,
    })
}
