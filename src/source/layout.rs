//! Finding what an export root is: a Noark 5 extraction, a DIAS package around one, or a plain
//! folder of documents.

use std::path::{Path, PathBuf};

use super::addml::Addml;
use super::SourceError;

/// The name of the Noark 5 structure file.
pub const ARKIVSTRUKTUR: &str = "arkivstruktur.xml";

/// What kind of export a root holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportKind {
    /// A Noark 5 extraction: `arkivstruktur.xml` plus document files.
    Noark5 {
        /// The `arkivstruktur.xml` file.
        arkivstruktur: PathBuf,
        /// The ADDML description, if one was found and could be read.
        addml: Option<Addml>,
        /// Set when the extraction sits in a DIAS package (`PACKAGE/content/`).
        dias_package: Option<PathBuf>,
    },
    /// A plain folder: every file is a document, with no Noark metadata.
    Folder,
}

/// An opened export: where documents are resolved from, and what kind it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// The folder document references are relative to (the folder of `arkivstruktur.xml`, or
    /// the plain folder itself).
    pub root: PathBuf,
    /// What kind of export it is.
    pub kind: ExportKind,
    /// Problems met while opening it (an unreadable ADDML file, say); the scan goes on.
    pub warnings: Vec<String>,
}

impl Export {
    /// The Noark version the ADDML file states, if any.
    pub fn noark_version(&self) -> Option<&str> {
        match &self.kind {
            ExportKind::Noark5 { addml, .. } => addml.as_ref()?.noark_version.as_deref(),
            ExportKind::Folder => None,
        }
    }
}

/// Works out what `path` is. It may be `arkivstruktur.xml` itself, the folder holding it, a DIAS
/// package folder (`content/arkivstruktur.xml`), a folder holding exactly one DIAS package (an
/// unpacked tar), or a plain folder of documents.
pub fn open_export(path: &Path) -> Result<Export, SourceError> {
    let meta = std::fs::metadata(path).map_err(|source| SourceError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if meta.is_file() {
        let is_structure = path
            .file_name()
            .is_some_and(|n| n.eq_ignore_ascii_case(ARKIVSTRUKTUR));
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
        return match (is_structure, parent) {
            (true, Some(dir)) => Ok(noark5(dir, None)),
            (true, None) => Ok(noark5(Path::new("."), None)),
            _ => Err(SourceError::NotAnExport {
                path: path.to_path_buf(),
            }),
        };
    }
    if path.join(ARKIVSTRUKTUR).is_file() {
        return Ok(noark5(path, None));
    }
    if path.join("content").join(ARKIVSTRUKTUR).is_file() {
        return Ok(noark5(&path.join("content"), Some(path)));
    }
    let packages: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|source| SourceError::Io {
            path: path.to_path_buf(),
            source,
        })?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("content").join(ARKIVSTRUKTUR).is_file())
        .collect();
    if let [package] = packages.as_slice() {
        return Ok(noark5(&package.join("content"), Some(package)));
    }
    Ok(Export {
        root: path.to_path_buf(),
        kind: ExportKind::Folder,
        warnings: Vec::new(),
    })
}

fn noark5(root: &Path, dias_package: Option<&Path>) -> Export {
    let mut warnings = Vec::new();
    let mut places = vec![root.to_path_buf(), root.join("administrative_metadata")];
    if let Some(package) = dias_package {
        places.push(package.join("administrative_metadata"));
        places.push(package.to_path_buf());
    }
    let addml_path = places
        .iter()
        .flat_map(|dir| ["arkivuttrekk.xml", "addml.xml"].map(|n| dir.join(n)))
        .find(|p| p.is_file());
    let addml = addml_path.and_then(|p| match Addml::read(&p) {
        Ok(a) => Some(a),
        Err(e) => {
            warnings.push(e.to_string());
            None
        }
    });
    Export {
        root: root.to_path_buf(),
        kind: ExportKind::Noark5 {
            arkivstruktur: root.join(ARKIVSTRUKTUR),
            addml,
            dias_package: dias_package.map(Path::to_path_buf),
        },
        warnings,
    }
}
