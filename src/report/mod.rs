//! Reports: typst PDF (minijinja templates, compiled in-process), xlsx, JSON.
//!
//! One folder per document — [`committee`] (评估报告), [`self_assessment`]
//! (自评报告), [`bulletin`] (通报) — each with its view, workbook and JSON,
//! over shared layers that import no document: [`text`] (formatting and the
//! one vocabulary of labels), [`engine`] (templates, typst, fonts, charts),
//! [`workbook`] (xlsx helpers), [`fields`] (field values for display),
//! [`parts`] (view pieces several documents show), [`json`] and
//! [`output`] (every file of a run replaced as one set).
//!
//! Report code formats and lays out; it never computes a score.

pub mod bulletin;
pub mod committee;
pub mod engine;
pub mod fields;
pub mod json;
pub mod output;
pub mod parts;
pub mod self_assessment;
pub mod text;
pub mod workbook;

use crate::fields::FieldDict;
use crate::ingest::{Dataset, QualityLog};
use crate::metrics::spatial::drawing::ProjectMap;
use crate::model::Model;
use crate::progress::Progress;
use crate::score::Evaluation;
use anyhow::Result;
use engine::fonts::FontSet;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Everything a report is made from.
pub struct ReportInput<'a> {
    pub model: &'a Model,
    pub dict: &'a FieldDict,
    pub dataset: &'a Dataset,
    pub eval: &'a Evaluation,
    /// The run's whole data-quality log (ingest, metrics and scoring).
    pub log: &'a QualityLog,
    /// Document date `[year, month, day]`, fixed from `--date` or the data.
    pub date: [i32; 3],
    /// Where [`ReportInput::date`] came from.
    pub date_source: DateSource,
    /// Project-level field table (ingest + metrics), one row per project.
    pub fields: &'a polars::prelude::DataFrame,
    /// Farmland maps from the survey layers, by project id (none for a
    /// project without layers); drawn as the documents place them.
    pub maps: &'a BTreeMap<String, ProjectMap>,
}

/// Where a document's date came from. Never the system clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// `--date YYYY-MM-DD`.
    Given,
    /// The latest overall-acceptance date (整体验收时间) in the data.
    LatestAcceptance,
}

/// A document date and where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportDate {
    /// `[year, month, day]`.
    pub ymd: [i32; 3],
    pub source: DateSource,
}

/// Options of the rendering step.
#[derive(Default, Clone)]
pub struct RenderOptions {
    /// `--templates DIR`: files here override the bundled templates of the same name.
    pub templates: Option<PathBuf>,
    /// Fonts to lay out with (the shipped ones when `None`).
    pub fonts: Option<FontSet>,
    /// Told when the PDF, workbook and JSON stages start and end.
    pub progress: Progress,
}

impl RenderOptions {
    /// The fonts to use: the given set, or the shipped fonts.
    pub fn fonts(&self) -> Result<FontSet> {
        match &self.fonts {
            Some(f) => Ok(f.clone()),
            None => Ok(FontSet::load(None)?),
        }
    }
}

/// Files written by one document.
#[derive(Debug, Clone, Serialize)]
pub struct Written {
    pub pdf: PathBuf,
    pub xlsx: PathBuf,
    pub json: PathBuf,
    /// The bulletin's web page.
    pub html: Option<PathBuf>,
    /// Pages of `pdf`.
    pub pages: usize,
    /// Further PDF volumes (the committee report's scorecard annexes).
    pub annexes: Vec<Volume>,
}

/// One further PDF volume of a document.
#[derive(Debug, Clone, Serialize)]
pub struct Volume {
    pub path: PathBuf,
    pub pages: usize,
}

impl Written {
    /// Pages of every PDF volume together.
    pub fn total_pages(&self) -> usize {
        self.pages + self.annexes.iter().map(|v| v.pages).sum::<usize>()
    }
}
