//! The ADDML description of an extraction (`arkivuttrekk.xml` / `addml.xml`): the Noark version
//! and the counts the extraction promises, so they can be checked against what is there.
//!
//! ADDML files are small (kilobytes), so unlike `arkivstruktur.xml` this one is read whole.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use quick_xml::events::Event;

use super::noark5::Counts;
use super::{Problem, ProblemKind};

/// What an ADDML file says about the extraction.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Addml {
    /// The file it was read from.
    pub path: PathBuf,
    /// The Noark version (`info/type=Noark 5/version`), e.g. `5.0` or `3.1`.
    pub noark_version: Option<String>,
    /// `antallDokumentfiler`: how many document files the extraction holds.
    pub document_files: Option<u64>,
    /// `numberOfOccurrences` for `arkivstruktur`: element name → promised count.
    pub occurrences: BTreeMap<String, u64>,
}

/// A node of the small property tree ADDML is made of.
#[derive(Debug, Default)]
struct Node {
    tag: String,
    name: Option<String>,
    value: Option<String>,
    children: Vec<Node>,
}

/// Errors reading an ADDML file.
#[derive(Debug, thiserror::Error)]
pub enum AddmlError {
    /// The file cannot be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not well-formed XML.
    #[error("{path}: malformed XML: {message}")]
    Xml {
        /// The file.
        path: PathBuf,
        /// The parser's message.
        message: String,
    },
    /// The file is larger than any ADDML description (it describes a handful of XML files).
    #[error(
        "{path}: {bytes} bytes, more than an ADDML file holds (limit {MAX_ADDML_BYTES}); not read"
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        bytes: u64,
    },
}

/// The largest ADDML file read: it is parsed whole, and a real one is a few kilobytes.
pub const MAX_ADDML_BYTES: u64 = 16 * 1024 * 1024;

impl Addml {
    /// Compares the element counts this file promises (`numberOfOccurrences`) with what the
    /// reader found. (`antallDokumentfiler` counts files on disk; `inspect` checks it.)
    pub fn count_problems(&self, counts: &Counts) -> Vec<Problem> {
        let location = self.path.display().to_string();
        self.occurrences
            .iter()
            .filter_map(|(element, promised)| {
                let found = counts.get(element)?;
                (found != *promised).then(|| Problem {
                    kind: ProblemKind::CountMismatch,
                    location: location.clone(),
                    message: format!("ADDML promises {promised} {element}, the export has {found}"),
                })
            })
            .collect()
    }

    /// Reads an ADDML file.
    pub fn read(path: &Path) -> Result<Addml, AddmlError> {
        let io = |source| AddmlError::Io {
            path: path.to_path_buf(),
            source,
        };
        let file = std::fs::File::open(path).map_err(io)?;
        let mut bytes = Vec::new();
        file.take(MAX_ADDML_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(io)?;
        if bytes.len() as u64 > MAX_ADDML_BYTES {
            let bytes = std::fs::metadata(path).map_or(bytes.len() as u64, |m| m.len());
            return Err(AddmlError::TooLarge {
                path: path.to_path_buf(),
                bytes,
            });
        }
        let root = parse_tree(&bytes).map_err(|message| AddmlError::Xml {
            path: path.to_path_buf(),
            message,
        })?;
        let mut out = Addml {
            path: path.to_path_buf(),
            ..Addml::default()
        };
        collect(&root, false, &mut out);
        Ok(out)
    }
}

fn collect(node: &Node, in_arkivstruktur: bool, out: &mut Addml) {
    let name = node.name.as_deref().unwrap_or("");
    let in_arkivstruktur = in_arkivstruktur
        || (node.tag == "dataObject" && name.eq_ignore_ascii_case("arkivstruktur"));
    if node.tag == "property" {
        match name {
            "type"
                if node
                    .value
                    .as_deref()
                    .is_some_and(|v| v.starts_with("Noark")) =>
            {
                if let Some(v) = child_property_value(node, "version") {
                    out.noark_version.get_or_insert_with(|| v.to_string());
                }
            }
            "antallDokumentfiler" => {
                out.document_files = node.value.as_deref().and_then(|v| v.trim().parse().ok());
            }
            "numberOfOccurrences" if in_arkivstruktur => {
                let count = child_property_value(node, "value").and_then(|v| v.trim().parse().ok());
                if let (Some(element), Some(count)) = (node.value.as_deref(), count) {
                    out.occurrences.insert(element.trim().to_string(), count);
                }
            }
            _ => {}
        }
    }
    for child in &node.children {
        collect(child, in_arkivstruktur, out);
    }
}

/// The value of a `property` named `name` directly inside `node`'s `properties`.
fn child_property_value<'a>(node: &'a Node, name: &str) -> Option<&'a str> {
    node.children
        .iter()
        .filter(|c| c.tag == "properties")
        .flat_map(|c| c.children.iter())
        .find(|p| p.tag == "property" && p.name.as_deref() == Some(name))
        .and_then(|p| p.value.as_deref())
}

fn parse_tree(bytes: &[u8]) -> Result<Node, String> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut stack = vec![Node::default()];
    let mut buf = Vec::new();
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| e.to_string())?;
        match event {
            Event::Start(e) => {
                let mut node = Node {
                    tag: String::from_utf8_lossy(e.local_name().as_ref()).into_owned(),
                    ..Node::default()
                };
                for a in e.attributes().flatten() {
                    if a.key.local_name().as_ref() == b"name" {
                        node.name = Some(String::from_utf8_lossy(&a.value).into_owned());
                    }
                }
                stack.push(node);
            }
            Event::Text(t) => {
                let text = t.decode().map_err(|e| e.to_string())?;
                if let Some(top) = stack.last_mut() {
                    if top.tag == "value" {
                        top.value.get_or_insert_with(String::new).push_str(&text);
                    }
                }
            }
            Event::End(_) => {
                let node = stack.pop().ok_or("unbalanced end tag")?;
                let parent = stack.last_mut().ok_or("unbalanced end tag")?;
                if node.tag == "value" {
                    parent.value = node.value;
                } else {
                    parent.children.push(node);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    stack
        .into_iter()
        .next()
        .ok_or_else(|| "empty document".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_version_counts_and_document_files() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<addml xmlns="http://www.arkivverket.no/standarder/addml"><dataset><dataObjects>
 <dataObject name="Noark 5 arkivuttrekk"><properties>
  <property name="info"><properties>
   <property name="type"><value>Noark 5</value><properties>
     <property name="version"><value>5.0</value></property></properties></property>
   <property name="additionalInfo"><properties>
     <property dataType="integer" name="antallDokumentfiler"><value>7</value></property>
   </properties></property>
  </properties></property></properties>
  <dataObjects><dataObject name="arkivstruktur"><properties><property name="info"><properties>
   <property name="numberOfOccurrences"><value>mappe</value><properties>
     <property name="elementPath"><value>//mappe</value></property>
     <property dataType="integer" name="value"><value>2</value></property></properties></property>
  </properties></property></properties></dataObject>
  <dataObject name="loependeJournal"><properties><property name="info"><properties>
   <property name="numberOfOccurrences"><value>mappe</value><properties>
     <property dataType="integer" name="value"><value>99</value></property></properties></property>
  </properties></property></properties></dataObject></dataObjects>
 </dataObject></dataObjects></dataset></addml>"#;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("addml.xml");
        std::fs::write(&p, xml).unwrap();
        let a = Addml::read(&p).unwrap();
        assert_eq!(a.noark_version.as_deref(), Some("5.0"));
        assert_eq!(a.document_files, Some(7));
        assert_eq!(a.occurrences.get("mappe"), Some(&2));
    }
}
