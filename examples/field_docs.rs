//! Writes `docs/fields.md`, the field reference, from `scoring-models/fields.toml`.
//!
//! `cargo run --example field_docs`

use landeval::fields::{FieldDict, reference_markdown};

fn main() -> std::io::Result<()> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/fields.md");
    std::fs::write(&path, reference_markdown(&FieldDict::bundled()))?;
    println!("已写出 {}", path.display());
    Ok(())
}
