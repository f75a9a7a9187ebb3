//! Classification: what is suggested and the rules behind it. The catalogue (series, classes,
//! retention and screening rules) is data, loaded here; the learned heads arrive with the
//! classifier issue.

pub mod catalog;
