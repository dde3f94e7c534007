//! The expression checker: any text as an indicator's `expr`, a veto's
//! `when` and an adjustment's `per`, checked as `model check` does (parsed,
//! bounded, evaluated on a typed sample table).
#![no_main]

use landeval::model::{Model, check_model};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static BASE: LazyLock<(Model, String)> =
    LazyLock::new(|| Model::load_with_source("national-2025").expect("bundled model"));

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (base, source) = &*BASE;
    let mut m = base.clone();
    m.indicators.truncate(1);
    m.indicators[0].points = 100.0;
    m.indicators[0].expr = text.to_string();
    m.vetoes.truncate(1);
    m.vetoes[0].when = text.to_string();
    m.adjustments.truncate(1);
    m.adjustments[0].per = Some(text.to_string());
    let _ = check_model(&m, source, &landeval_fuzz::DICT);
});
