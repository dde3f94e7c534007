//! Land-survey polygon layers (三调 / 年度变更调查 地类图斑 DLTB, 永久基本农田,
//! 生态保护红线, 整治区域) read in pure Rust: Shapefile, GeoPackage, GeoJSON.
//!
//! Each input layer is bound to a project and stage ([`binding`]), its
//! features are checked one by one (geometry, 地类编码, area fields) and only
//! what the metrics stage needs is kept: the farmland patches of a DLTB layer
//! and every polygon of the other layers, in planar metres (geographic layers
//! are projected to a 3° Gauss–Krüger zone, [`crs`]) with their official
//! area in 亩 ([`feature`]). Problems are data-quality findings naming the
//! file and the feature (BSM / TBBH or its index); a layer that cannot be
//! read is skipped and nothing else of the run is lost.

pub mod binding;
pub mod crs;
pub mod dbf;
pub mod feature;
pub mod geojson;
pub mod gpkg;
pub mod shapefile;
pub mod wkb;
pub mod write;

use super::log::{Origin, QualityLog};
use super::{RawRow, Source};
pub use binding::{LayerKind, Manifest, Stage};
pub use crs::Crs;
use crs::{CrsKind, GaussKruger};
use feature::{AreaTally, Problems};
use geo::BoundingRect;
use geo::MultiPolygon;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// File extensions of the parts of a Shapefile besides `.shp`.
pub const SHAPEFILE_PARTS: &[&str] = &["shx", "dbf", "prj", "cpg", "sbn", "sbx", "qix", "shp.xml", "qmd", "fix"];

/// A polygon kept for the metrics stage.
#[derive(Debug, Clone)]
pub struct Patch {
    /// Planar geometry in metres.
    pub shape: MultiPolygon<f64>,
    /// Official area in 亩 (TBDLMJ, else TBMJ − deduction, else the geometry's area).
    pub area_mu: f64,
    /// Planar area of `shape` in m² (to scale `area_mu` when the patch is clipped).
    pub planar_m2: f64,
}

/// One layer bound to a project (and a stage, except the boundary).
#[derive(Debug, Clone)]
pub struct Layer {
    /// File name, plus `:table` for a GeoPackage table.
    pub file: String,
    pub project: String,
    pub stage: Option<Stage>,
    pub kind: LayerKind,
    pub crs: Crs,
    /// Farmland patches of a DLTB layer; every polygon of the other kinds.
    pub patches: Vec<Patch>,
    /// How the areas were obtained.
    pub areas: AreaTally,
    /// Features of a DLTB layer that are not farmland.
    pub non_farmland: usize,
}

/// Every layer read, in input order.
#[derive(Debug, Clone, Default)]
pub struct SpatialData {
    pub layers: Vec<Layer>,
}

impl SpatialData {
    /// Layers of a project, of a kind and stage.
    pub fn find<'a>(
        &'a self,
        project: &'a str,
        kind: LayerKind,
        stage: Option<Stage>,
    ) -> impl Iterator<Item = &'a Layer> + 'a {
        self.layers
            .iter()
            .filter(move |l| l.project == project && l.kind == kind && l.stage == stage)
    }

    /// Projects that have at least one layer, sorted.
    pub fn projects(&self) -> BTreeSet<&str> {
        self.layers.iter().map(|l| l.project.as_str()).collect()
    }
}

/// Whether a file is read here (a layer or a Shapefile part) rather than as a workbook.
pub fn is_layer_file(name: &str) -> bool {
    let lower = name.to_lowercase();
    let ext = |e: &str| lower.ends_with(&format!(".{e}"));
    ["shp", "gpkg", "geojson", "gdb", "mdb"].iter().any(|e| ext(e))
        || SHAPEFILE_PARTS.iter().any(|e| ext(e))
        || (ext("json") && !lower.ends_with("results.json"))
}

/// A layer's features as read from its file, before binding.
pub(crate) struct RawLayer {
    /// File name shown in findings (with `:table` for GeoPackage).
    pub file: String,
    /// Table or layer name (for the layer kind), when the format has one.
    pub table: Option<String>,
    pub crs: Crs,
    pub fields: Vec<String>,
    pub features: Vec<RawFeature>,
    /// Problems of the file as a whole (a missing `.shx` or `.prj`, the encoding …).
    pub notes: Vec<String>,
}

/// One feature: attribute values as text (missing = None) and its polygons.
pub(crate) struct RawFeature {
    pub values: Vec<Option<String>>,
    pub shape: Result<MultiPolygon<f64>, String>,
    /// Position in the file (0-based), for messages.
    pub index: usize,
}

/// Read every layer source, bind it and keep what metrics needs.
/// `known` are the project ids of the ledger.
pub fn read_all(
    sources: &[&Source],
    manifest: &Manifest,
    known: &BTreeSet<String>,
    log: &mut QualityLog,
) -> SpatialData {
    let names: BTreeSet<String> = sources.iter().map(|s| s.name.to_lowercase()).collect();
    // Files are parsed and checked in parallel; layers and findings keep the input order.
    let read: Vec<(Vec<Layer>, QualityLog)> = sources
        .par_iter()
        .map(|src| {
            let mut log = QualityLog::default();
            let layers = read_one(src, sources, &names, manifest, known, &mut log);
            (layers, log)
        })
        .collect();
    let mut out = SpatialData::default();
    for (layers, l) in read {
        out.layers.extend(layers);
        log.findings.extend(l.findings);
    }
    binding::check_crs(&out, log);
    out
}

/// One source: its layers bound and checked, or nothing with a finding.
fn read_one(
    src: &Source,
    sources: &[&Source],
    names: &BTreeSet<String>,
    manifest: &Manifest,
    known: &BTreeSet<String>,
    log: &mut QualityLog,
) -> Vec<Layer> {
    let lower = src.name.to_lowercase();
    let file = Origin::new(&src.name, "", String::new());
    if lower.ends_with(".gdb") || lower.ends_with(".mdb") {
        // An error: the layers it holds would silently be missing from the evidence.
        log.error(file, "", export_hint(&src.name));
        return Vec::new();
    }
    if let Some(stem) = part_stem(&lower) {
        if !names.contains(&format!("{stem}.shp")) {
            log.warn(
                file,
                "",
                "Shapefile 的组成文件旁没有同名的 .shp 主文件，未读取；请把 .shp、.shx、.dbf、.prj（及 .cpg）一起提供"
                    .into(),
            );
        }
        return Vec::new();
    }
    let raws = match read_source(src, sources) {
        Ok(r) => r,
        Err(why) => {
            log.warn(file, "", format!("无法读取图层：{why}；该图层未参与计算"));
            return Vec::new();
        }
    };
    let mut out = SpatialData::default();
    for raw in raws {
        bind_and_keep(raw, manifest, known, log, &mut out);
    }
    out.layers
}

fn export_hint(name: &str) -> String {
    format!(
        "“{name}”是 ArcGIS 文件地理数据库（FileGDB）或 Access 个人地理数据库（MDB），本工具不能直接读取。\
         请在 ArcGIS 中用“要素类至要素类”/“导出要素”，或在 QGIS 中右键图层“导出 → 要素另存为”，\
         将地类图斑（DLTB）等图层导出为 GeoPackage（.gpkg）或 Shapefile（.shp，连同 .shx、.dbf、.prj、.cpg）后重新提交"
    )
}

/// The stem of a Shapefile part other than `.shp` (lower case), e.g. `a.dbf` → `a`.
fn part_stem(lower: &str) -> Option<String> {
    SHAPEFILE_PARTS
        .iter()
        .find_map(|e| lower.strip_suffix(&format!(".{e}")).map(str::to_string))
}

/// Parse a source in its format (a panic of a reader is reported, never shown).
fn read_source(src: &Source, all: &[&Source]) -> Result<Vec<RawLayer>, String> {
    let lower = src.name.to_lowercase();
    let run = || -> Result<Vec<RawLayer>, String> {
        if lower.ends_with(".shp") {
            shapefile::read(src, all).map(|l| vec![l])
        } else if lower.ends_with(".gpkg") {
            gpkg::read(src)
        } else {
            geojson::read(src).map(|l| vec![l])
        }
    };
    match super::guard::catch_quietly(run) {
        Ok(r) => r,
        Err(_) => Err("文件已损坏或格式异常".into()),
    }
}

/// Bind a raw layer to its project(s) and stage, check its features and keep them.
fn bind_and_keep(
    raw: RawLayer,
    manifest: &Manifest,
    known: &BTreeSet<String>,
    log: &mut QualityLog,
    out: &mut SpatialData,
) {
    let Some(bound) = binding::bind(&raw, manifest, known, log) else {
        return;
    };
    let origin = Origin::new(&raw.file, bound.kind.label(), String::new());
    for n in &raw.notes {
        log.warn(origin.clone(), "", n.clone());
    }
    let schema = feature::Schema::new(&raw.fields, bound.kind);
    let mut problems = Problems::new(&raw.file, bound.kind);
    schema.report_missing(&raw.file, log);
    let (crs, gk) = planar_crs(&raw);
    let mut by_project: BTreeMap<String, Layer> = BTreeMap::new();
    for f in raw.features {
        let Some(project) = bound.project_of(&f, f.index, &mut problems) else {
            continue;
        };
        if !by_project.contains_key(project) {
            by_project.insert(
                project.to_string(),
                Layer {
                    file: raw.file.clone(),
                    project: project.to_string(),
                    stage: bound.stage,
                    kind: bound.kind,
                    crs: crs.clone(),
                    patches: Vec::new(),
                    areas: AreaTally::default(),
                    non_farmland: 0,
                },
            );
        }
        let Some(layer) = by_project.get_mut(project) else {
            continue;
        };
        feature::keep(&schema, &raw.crs, f, layer, gk, &mut problems);
    }
    problems.report(log);
    for layer in by_project.into_values() {
        feature::report_layer(&layer, log);
        out.layers.push(layer);
    }
}

/// The CRS of the kept (planar) geometry, and the projection of a geographic layer:
/// the 3° Gauss–Krüger zone of its centre.
fn planar_crs(raw: &RawLayer) -> (Crs, Option<GaussKruger>) {
    if raw.crs.kind != CrsKind::Geographic {
        return (raw.crs.clone(), None);
    }
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for p in raw.features.iter().filter_map(|f| f.shape.as_ref().ok()) {
        if let Some(r) = p.bounding_rect() {
            lo = lo.min(r.min().x);
            hi = hi.max(r.max().x);
        }
    }
    let gk = GaussKruger::zone_of(if lo.is_finite() { (lo + hi) / 2.0 } else { 0.0 });
    let mut crs = raw.crs.clone();
    crs.key = format!("{}|gk{}", crs.key, gk.cm);
    (crs, Some(gk))
}

/// Manifest rows (空间数据清单) from the collected workbook rows.
pub fn manifest_of(rows: Option<&Vec<RawRow>>) -> Manifest {
    Manifest::from_rows(rows.map_or(&[][..], Vec::as_slice))
}
