//! Words and numbers as every document prints them: number and date
//! formatting ([`format`]), the one vocabulary of labels ([`vocab`]) and the
//! method sentences several documents share ([`method`]).
//!
//! A shared layer: it imports no document.

pub mod format;
pub mod method;
pub mod vocab;

pub use format::{date_cn, fmt_num, fmt_value, fmt2, money, rank_text, scaled_text, signed2};
