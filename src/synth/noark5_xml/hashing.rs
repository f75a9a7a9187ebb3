//! A writer that hashes what passes through it (hex and SHA-256 of bytes are
//! `crate::source::checksum`'s).

use std::io::{self, Write};

use sha2::{Digest, Sha256};

use crate::source::checksum::hex;

/// A writer adapter that computes the SHA-256 and byte count of everything
/// written through it, so `arkivstruktur.xml` can be streamed to disk and its
/// checksum still put into the ADDML file without re-reading it.
pub struct HashingWriter<W: Write> {
    inner: W,
    hasher: Sha256,
    len: u64,
}

impl<W: Write> HashingWriter<W> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> Self {
        HashingWriter {
            inner,
            hasher: Sha256::new(),
            len: 0,
        }
    }

    /// Returns the inner writer, the lower-case hex SHA-256 and the byte count.
    pub fn finish(self) -> (W, String, u64) {
        (self.inner, hex(&self.hasher.finalize()), self.len)
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        // Only hash what the inner writer accepted, so partial writes stay exact.
        self.hasher.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}
