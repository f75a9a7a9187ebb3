//! Output: the review table's schema, its Parquet writer, and the text preview.

pub mod parquet;
pub mod preview;
pub mod schema;

pub use schema::{review_schema, ReviewRow, SCHEMA_VERSION};
