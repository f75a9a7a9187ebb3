//! A plain folder of documents as a source: every file is a document with no Noark metadata.

use std::path::Path;

use walkdir::WalkDir;

use super::{DocRef, SourceError, SourceItem};

/// Streams the files under `root` in a stable order (sorted by name, depth first). The
/// `doc_id` and the reference are the path relative to `root` with `/` separators, so they are
/// the same on every run and every platform. Symlinks are not followed here; the extract
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
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                Some(Ok(SourceItem::Doc(Box::new(DocRef {
                    doc_id: id.clone(),
                    reference: Some(id),
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
