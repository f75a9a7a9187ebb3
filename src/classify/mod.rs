//! Classification: what is suggested and the rules behind it. The catalogue (series, classes,
//! retention and screening rules) is data, loaded here. Without a trained classifier, a scan
//! suggests from the catalogue alone ([`zero_shot`]).

pub mod catalog;
pub mod zero_shot;
