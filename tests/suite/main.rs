//! The integration tests: one binary (linking polars and typst once), one module per area.

mod common;

mod bad_input;
mod docs;
mod end_to_end;
mod hardening;
mod ingest_defects;
mod ingest_explain;
mod ingest_formats;
mod ingest_messy;
mod ingest_parquet;
mod ingest_xlsb;
mod integrity_redlines;
mod integrity_scoring;
mod metrics;
mod model_check;
mod mutation;
mod output_kill;
mod published_examples;
mod report_bulletin;
mod report_committee;
mod report_maps;
mod report_safety;
mod report_self_assess;
mod report_volumes;
mod report_workbooks;
mod scoring_methods;
mod scoring_models;
mod scoring_properties;
mod scoring_selection;
mod spatial;
mod template;
