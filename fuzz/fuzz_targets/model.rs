//! The model loader and `model check`: any text as a model file.
#![no_main]

use landeval::model::{Model, check_model};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match Model::parse(text, "fuzz.toml") {
        Ok(m) => {
            let r = check_model(&m, text, &landeval_fuzz::DICT);
            assert!(r.errors.iter().all(|e| !e.is_empty()));
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
