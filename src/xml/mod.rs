//! XML reading shared by the export reader (`arkivstruktur.xml`) and the office extractors:
//! entity references as text, and a guard that keeps any single text node, comment or tag from
//! being buffered whole.

pub(crate) mod capped;
pub(crate) mod entity;

pub(crate) use capped::CappedXml;
pub(crate) use entity::push_entity;
