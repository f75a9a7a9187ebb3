//! Safe resolution of a `referanseDokumentfil` to a file inside the export.
//!
//! A reference comes from the export, so it is untrusted input: an absolute path, a `..`
//! component, or a symlink that leads outside the export root must never be opened. Real exports
//! also write Windows separators (`dokumenter\x.pdf`) and disagree with the disk about case
//! (`DOKUMENT/B.PDF` for `dokument/b.pdf`), so both are tolerated.

use std::collections::HashMap;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// Why a reference cannot be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unresolved {
    /// Absolute, contains `..`, or resolves (through a symlink too) outside the root.
    Unsafe,
    /// Safe, but no such file exists (in any case spelling), or it is a directory.
    Missing,
    /// Inside the root, but not a regular file (a named pipe, socket or device): never opened,
    /// since reading one can block forever or never end.
    NotAFile(PathBuf),
}

/// Resolves references against one export root. Cheap to share between threads.
#[derive(Debug)]
pub struct Resolver {
    root: PathBuf,
    canonical_root: PathBuf,
    /// Directory listings keyed by directory, lower-cased name → real name. Only filled for
    /// directories where an exact lookup failed, so a well-formed export never pays for it.
    listings: Mutex<HashMap<PathBuf, HashMap<String, String>>>,
}

/// Listings cached before the cache is cleared, so memory stays bounded on huge exports.
const MAX_CACHED_NAMES: usize = 200_000;

impl Resolver {
    /// A resolver for references relative to `root` (the folder that holds `arkivstruktur.xml`).
    pub fn new(root: &Path) -> std::io::Result<Resolver> {
        Ok(Resolver {
            root: root.to_path_buf(),
            canonical_root: fs::canonicalize(root)?,
            listings: Mutex::new(HashMap::new()),
        })
    }

    /// The root references are resolved against.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Resolves `reference` to a readable path inside the root.
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// # std::fs::create_dir(dir.path().join("dokumenter")).unwrap();
    /// # std::fs::write(dir.path().join("dokumenter/a.pdf"), b"%PDF").unwrap();
    /// use arkivar::source::paths::{Resolver, Unresolved};
    /// let r = Resolver::new(dir.path()).unwrap();
    /// assert!(r.resolve(r"DOKUMENTER\A.PDF").is_ok());
    /// assert_eq!(r.resolve("../etc/passwd"), Err(Unresolved::Unsafe));
    /// assert_eq!(r.resolve("dokumenter/b.pdf"), Err(Unresolved::Missing));
    /// ```
    pub fn resolve(&self, reference: &str) -> Result<PathBuf, Unresolved> {
        self.resolve_relative(&safe_relative(reference)?)
    }

    /// Resolves a path relative to the root, as a folder walk finds it (its name need not be
    /// UTF-8), with the same checks as [`Resolver::resolve`].
    pub fn resolve_relative(&self, relative: &Path) -> Result<PathBuf, Unresolved> {
        if relative
            .components()
            .any(|c| !matches!(c, Component::Normal(_)))
        {
            return Err(Unresolved::Unsafe);
        }
        let candidate = self.root.join(relative);
        let found = if fs::symlink_metadata(&candidate).is_ok() {
            candidate
        } else {
            self.find_ignoring_case(relative)?
        };
        // Canonicalising follows every symlink on the way, so this catches links that escape.
        let canonical = fs::canonicalize(&found).map_err(|_| Unresolved::Missing)?;
        if !canonical.starts_with(&self.canonical_root) {
            return Err(Unresolved::Unsafe);
        }
        let meta = fs::metadata(&canonical).map_err(|_| Unresolved::Missing)?;
        if meta.is_dir() {
            return Err(Unresolved::Missing);
        }
        if !meta.is_file() {
            return Err(Unresolved::NotAFile(canonical));
        }
        Ok(canonical)
    }

    fn find_ignoring_case(&self, relative: &Path) -> Result<PathBuf, Unresolved> {
        let mut current = self.root.clone();
        for part in relative.components() {
            let Component::Normal(name) = part else {
                return Err(Unresolved::Unsafe);
            };
            let exact = current.join(name);
            if fs::symlink_metadata(&exact).is_ok() {
                current = exact;
                continue;
            }
            let wanted = name.to_string_lossy().to_lowercase();
            let real = self.lookup(&current, &wanted).ok_or(Unresolved::Missing)?;
            current = current.join(real);
        }
        Ok(current)
    }

    fn lookup(&self, dir: &Path, lower_name: &str) -> Option<String> {
        let mut listings = self.listings.lock().unwrap_or_else(|e| e.into_inner());
        if !listings.contains_key(dir) {
            let total: usize = listings.values().map(HashMap::len).sum();
            if total > MAX_CACHED_NAMES {
                listings.clear();
            }
            let mut names = HashMap::new();
            for entry in fs::read_dir(dir).ok()?.flatten() {
                let real = entry.file_name().to_string_lossy().into_owned();
                names.entry(real.to_lowercase()).or_insert(real);
            }
            listings.insert(dir.to_path_buf(), names);
        }
        listings.get(dir)?.get(lower_name).cloned()
    }
}

/// Turns a reference into a relative path of plain components, or says it is unsafe.
fn safe_relative(reference: &str) -> Result<PathBuf, Unresolved> {
    let normalised = reference.trim().replace('\\', "/");
    if normalised.is_empty() {
        return Err(Unresolved::Missing);
    }
    // `C:/x`, `//server/share` and `/x` are all absolute somewhere.
    let bytes = normalised.as_bytes();
    let drive = bytes.len() >= 2 && bytes[1] == b':' && bytes[0].is_ascii_alphabetic();
    if normalised.starts_with('/') || drive {
        return Err(Unresolved::Unsafe);
    }
    let mut out = PathBuf::new();
    for part in normalised.split('/') {
        match part {
            "" | "." => {}
            ".." => return Err(Unresolved::Unsafe),
            name if name.contains('\0') => return Err(Unresolved::Unsafe),
            name => out.push(name),
        }
    }
    if out.as_os_str().is_empty() {
        return Err(Unresolved::Missing);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_and_parent_references_are_unsafe() {
        for r in [
            "/etc/passwd",
            "C:\\x.pdf",
            "c:/x.pdf",
            "a/../../x",
            "..\\x",
            "//srv/x",
        ] {
            assert_eq!(safe_relative(r), Err(Unresolved::Unsafe), "{r}");
        }
    }

    #[test]
    fn windows_separators_and_dots_become_plain_components() {
        assert_eq!(
            safe_relative(r"dokumenter\.\sub\x.pdf"),
            Ok(PathBuf::from("dokumenter/sub/x.pdf"))
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlink_leaving_the_root_is_unsafe() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.pdf"), b"x").unwrap();
        let root = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.pdf"), root.path().join("a.pdf"))
            .unwrap();
        let r = Resolver::new(root.path()).unwrap();
        assert_eq!(r.resolve("a.pdf"), Err(Unresolved::Unsafe));
    }
}
