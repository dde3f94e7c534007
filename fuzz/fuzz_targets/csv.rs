//! csv: the whole file, named as a ledger so that every cell is read.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    landeval_fuzz::ingest("某县-项目台账.csv", data);
});
