//! xls: the whole file (a compound document).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    landeval_fuzz::ingest("f.xls", data);
});
