//! Classification: what is suggested and the rules behind it. The catalogue (series, classes,
//! retention and screening rules) is data, loaded here. Without a trained classifier, a scan
//! suggests from the catalogue alone ([`zero_shot`]). The parts of the learned heads:
//! [`features`] (hashed character n-grams), [`head`] (multinomial logistic regression over
//! n-grams and/or embeddings) and [`calibrate`] (temperature scaling, ECE).

pub mod calibrate;
pub mod catalog;
pub mod features;
pub mod head;
pub mod zero_shot;
