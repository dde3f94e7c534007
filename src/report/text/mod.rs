//! Words and numbers as every document prints them: number and date
//! formatting ([`format`]), the one vocabulary of labels ([`vocab`]), the
//! method sentences several documents share ([`method`]) and project names
//! with their place and line-break points ([`names`]).
//!
//! A shared layer: it imports no document.

pub mod format;
pub mod method;
pub mod names;
pub mod vocab;

pub use format::{date_cn, fmt_num, fmt_value, fmt2, money, rank_text, scaled_text, signed2};
