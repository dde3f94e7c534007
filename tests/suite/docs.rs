//! The documentation a user reads stays true to the code.

use crate::common;
use landeval::fields::{FieldDict, reference_markdown};

#[test]
fn the_field_reference_matches_fields_toml() {
    let committed = std::fs::read_to_string(common::repo().join("docs/fields.md")).expect("docs/fields.md");
    assert!(
        committed == reference_markdown(&FieldDict::bundled()),
        "docs/fields.md is stale: run `cargo run --example field_docs`"
    );
}

#[test]
fn the_readme_links_nothing_outside_the_repository() {
    for doc in ["README.md", "docs/templates.md", "docs/models.md"] {
        let text = std::fs::read_to_string(common::repo().join(doc)).expect(doc);
        assert!(!text.contains("../shared"), "{doc} points outside the repository");
    }
}
