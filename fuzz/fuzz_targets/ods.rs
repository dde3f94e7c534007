//! ods: a whole file (first byte `P`) or content.xml placed into a valid package.
#![no_main]

use landeval_fuzz::{ingest, zip_of};
use libfuzzer_sys::fuzz_target;

const MANIFEST: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;

fuzz_target!(|data: &[u8]| {
    if data.first() == Some(&b'P') {
        ingest("f.ods", data);
        return;
    }
    let file = zip_of(&[
        ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
        ("META-INF/manifest.xml", MANIFEST),
        ("content.xml", data),
    ]);
    ingest("f.ods", &file);
});
