//! A plain folder of documents as a source: every file is a document with no Noark metadata.

use std::ffi::OsStr;
use std::path::Path;

use walkdir::WalkDir;

use super::{DocRef, SourceError, SourceItem};

/// Streams the files under `root` in a stable order (sorted by name, depth first). The
/// `doc_id` and the reference are the path relative to `root` with `/` separators, so they are
/// the same on every run and every platform; a name that is not UTF-8 keeps its other bytes as
/// `\xNN` (and a backslash as `\\`), so two such names never share an id. The file itself is
/// found by its exact path ([`DocRef::file`]). Symlinks are not followed here; the extract
/// stage's resolver decides whether a link is safe to open.
pub fn walk(root: &Path) -> impl Iterator<Item = Result<SourceItem, SourceError>> + '_ {
    WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_map(move |entry| match entry {
            Ok(e) if e.file_type().is_dir() => None,
            Ok(e) => {
                let relative = e.path().strip_prefix(root).ok()?;
                let id = relative
                    .components()
                    .map(|c| escaped_name(c.as_os_str()))
                    .collect::<Vec<_>>()
                    .join("/");
                Some(Ok(SourceItem::Doc(Box::new(DocRef {
                    doc_id: id.clone(),
                    reference: Some(id),
                    file: Some(relative.to_path_buf()),
                    ..DocRef::default()
                }))))
            }
            Err(e) => {
                let path = e.path().unwrap_or(root).to_path_buf();
                let source = e
                    .into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("filesystem loop"));
                Some(Err(SourceError::Io { path, source }))
            }
        })
}

/// A file name as text: UTF-8 as it is, with `\` doubled and every byte that is not UTF-8
/// written `\xNN`. Distinct names give distinct text.
fn escaped_name(name: &OsStr) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::with_capacity(name.len());
        for chunk in name.as_bytes().utf8_chunks() {
            out.push_str(&chunk.valid().replace('\\', "\\\\"));
            for b in chunk.invalid() {
                out.push_str(&format!("\\x{b:02X}"));
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        name.to_string_lossy().replace('\\', "\\\\")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_stay_apart() {
        use std::os::unix::ffi::OsStrExt;
        let a = escaped_name(OsStr::from_bytes(b"brev \xe6.txt"));
        let b = escaped_name(OsStr::from_bytes(b"brev \xf8.txt"));
        assert_eq!(a, "brev \\xE6.txt");
        assert_ne!(a, b);
        assert_ne!(escaped_name(OsStr::new("brev \\xE6.txt")), a);
        assert_eq!(escaped_name(OsStr::new("blåbær.pdf")), "blåbær.pdf");
    }
}
