//! Shared helpers of the fuzz targets: reading one input file and
//! packaging fuzzed XML into a valid zip, so mutations reach the XML
//! readers instead of failing the zip checksum.

use landeval::fields::FieldDict;
use landeval::ingest::{Limits, Source, ingest_with};
use std::io::{Cursor, Write};
use std::sync::LazyLock;

/// The bundled field dictionary, parsed once.
pub static DICT: LazyLock<FieldDict> = LazyLock::new(FieldDict::bundled);

/// Read one file as landeval does; every outcome but a panic or abort is fine.
pub fn ingest(name: &str, data: &[u8]) {
    let limits = Limits {
        max_unzipped_bytes: 64 * 1024 * 1024,
        ..Limits::default()
    };
    let ds = ingest_with(&[Source::new(name, data.to_vec())], &DICT, &limits);
    // Every finding is located or says what to do, in Chinese.
    for f in &ds.log.findings {
        assert!(!f.message.is_empty());
    }
}

/// A stored (uncompressed) zip of the given members.
pub fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in members {
        if w.start_file(*name, opts).is_err() || w.write_all(data).is_err() {
            return Vec::new();
        }
    }
    w.finish().map(Cursor::into_inner).unwrap_or_default()
}

/// Split fuzz input at the first NUL byte: (first part, rest).
pub fn split(data: &[u8]) -> (&[u8], &[u8]) {
    match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[]),
    }
}
