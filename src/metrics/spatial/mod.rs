//! Spatial evidence from the survey layers, per project and stage:
//! fragmentation (NP, TA, PD, MPS, AREA_AM, LPI, scattered patches, ED, MSI),
//! contiguous blocks ([`blocks`]), red-line areas ([`redlines`]) and the
//! drawing each project map needs ([`drawing`]).
//!
//! Projects are computed one at a time (in parallel, results in project
//! order) from the layers bound to them, clipped to the 整治区域 when one is
//! given ([`clip`]). Fields are named `layer_*`, `blocks_*` and `*_layer`;
//! [`compare`] sets them beside the declared figures.

pub mod blocks;
pub mod clip;
pub mod compare;
pub mod drawing;
pub mod redlines;

use super::patches::{CONTIG_HILLS_MU, CONTIG_PLAINS_MU, QIANMU_MU, SCATTERED_MU, WANMU_MU};
use crate::ingest::Dataset;
use crate::ingest::layers::{Layer, LayerKind, Patch, SpatialData, Stage, feature::AreaTally};
use anyhow::Result;
use drawing::{Class, ProjectMap, StageShapes};
use polars::prelude::{Column, DataFrame, NamedFrom, Series};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Default gap (metres) across which farmland patches still form one block.
///
/// In the 三调 working classification a 农村道路 (1006) is at most 8 m wide
/// (wider roads are 公路用地 1003), and 沟渠 (1107) and 田坎 (1203) strips
/// between fields are narrower still; so 8 m bridges the field roads,
/// ditches and 田坎 that split one consolidated field area into survey
/// patches, but not a highway, river or village.
pub const DEFAULT_GAP_TOLERANCE_M: f64 = 8.0;

/// Settings of the spatial metrics.
#[derive(Debug, Clone, Copy)]
pub struct SpatialOptions {
    pub gap_tolerance_m: f64,
}

impl Default for SpatialOptions {
    fn default() -> Self {
        Self {
            gap_tolerance_m: DEFAULT_GAP_TOLERANCE_M,
        }
    }
}

/// Metrics of one stage's farmland patches.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StageMetrics {
    pub np: f64,
    /// Total area, 亩.
    pub ta: f64,
    pub mps: Option<f64>,
    pub area_am: Option<f64>,
    pub lpi: Option<f64>,
    /// Patches below 5 亩.
    pub scattered_n: f64,
    /// Σ patch perimeters, metres.
    pub perimeter_m: f64,
    /// Mean shape index 0.25·P/√A (1 for a square).
    pub msi: Option<f64>,
    pub block_n: f64,
    /// Blocks at or above the terrain threshold.
    pub contig_n: f64,
    pub contig_share: Option<f64>,
    pub max_block: Option<f64>,
    pub qianmu_n: f64,
    pub wanmu_n: f64,
    /// Blocks below 5 亩 (零星耕地 after merging).
    pub scattered_blocks: f64,
}

/// Everything computed for one project.
#[derive(Debug, Clone, Default)]
pub struct ProjectSpatial {
    pub project: String,
    pub farmland: [Option<StageMetrics>; 2],
    pub pbf: [Option<f64>; 2],
    pub redline: [Option<f64>; 2],
    pub pbf_adjusted: Option<f64>,
    pub area_method: [Option<String>; 2],
    /// Layer files used, e.g. `QL-0103-02-整治前.shp（地类图斑）`.
    pub files: Vec<String>,
    pub map: Option<ProjectMap>,
}

/// The spatial fields (one row per project with layers) and the maps.
#[derive(Debug, Clone)]
pub struct SpatialOutput {
    pub frame: DataFrame,
    pub projects: Vec<ProjectSpatial>,
}

impl SpatialOutput {
    /// Drawing geometry per project id.
    pub fn maps(&self) -> BTreeMap<&str, &ProjectMap> {
        self.projects
            .iter()
            .filter_map(|p| p.map.as_ref().map(|m| (p.project.as_str(), m)))
            .collect()
    }
}

fn perimeter(s: &geo::MultiPolygon<f64>) -> f64 {
    s.0.iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .flat_map(|r| r.0.windows(2))
        .map(|w| (w[1].x - w[0].x).hypot(w[1].y - w[0].y))
        .sum()
}

/// Metrics of a stage's farmland patches; `block` is each patch's block id.
pub fn stage_metrics(patches: &[Cow<Patch>], block: &[usize], threshold_mu: f64) -> StageMetrics {
    let np = patches.len() as f64;
    let ta: f64 = patches.iter().map(|p| p.area_mu).sum();
    let pos = |x: f64| (ta > 0.0).then_some(x);
    let mut sizes = vec![0.0; block.iter().max().map_or(0, |m| m + 1)];
    for (p, b) in patches.iter().zip(block) {
        sizes[*b] += p.area_mu;
    }
    let perimeters: Vec<f64> = patches.iter().map(|p| perimeter(&p.shape)).collect();
    let shapes: Vec<f64> = patches
        .iter()
        .zip(&perimeters)
        .filter(|(p, _)| p.planar_m2 > 0.0)
        .map(|(p, len)| 0.25 * len / p.planar_m2.sqrt())
        .collect();
    let count = |f: &dyn Fn(f64) -> bool| sizes.iter().filter(|a| f(**a)).count() as f64;
    let contig_area: f64 = sizes.iter().filter(|a| **a >= threshold_mu).sum();
    StageMetrics {
        np,
        ta,
        mps: (np > 0.0).then(|| ta / np),
        area_am: pos(patches.iter().map(|p| p.area_mu * p.area_mu).sum::<f64>() / ta),
        lpi: pos(patches.iter().map(|p| p.area_mu).fold(0.0, f64::max) / ta),
        scattered_n: patches.iter().filter(|p| p.area_mu < SCATTERED_MU).count() as f64,
        perimeter_m: perimeters.iter().sum(),
        msi: (!shapes.is_empty()).then(|| shapes.iter().sum::<f64>() / shapes.len() as f64),
        block_n: sizes.len() as f64,
        contig_n: count(&|a| a >= threshold_mu),
        contig_share: pos(contig_area / ta),
        max_block: sizes.iter().copied().reduce(f64::max),
        qianmu_n: count(&|a| a >= QIANMU_MU),
        wanmu_n: count(&|a| a >= WANMU_MU),
        scattered_blocks: count(&|a| a < SCATTERED_MU),
    }
}

/// A project's terrain threshold and area (亩) from the ledger.
struct ProjectInfo {
    threshold_mu: f64,
}

fn project_info(ds: &Dataset) -> Result<BTreeMap<String, ProjectInfo>> {
    let ids = ds.projects.column("project_id")?.str()?;
    let terrain = ds.projects.column("terrain")?.str()?;
    Ok((0..ds.projects.height())
        .filter_map(|i| {
            let hills = matches!(terrain.get(i), Some("丘陵" | "山区"));
            Some((
                ids.get(i)?.to_string(),
                ProjectInfo {
                    threshold_mu: if hills { CONTIG_HILLS_MU } else { CONTIG_PLAINS_MU },
                },
            ))
        })
        .collect())
}

/// The layers of one project, by kind and stage, clipped to its boundary when the CRS allows.
struct ProjectLayers<'a> {
    farmland: [Vec<Cow<'a, Patch>>; 2],
    pbf: [Vec<Cow<'a, Patch>>; 2],
    redline: [Vec<Cow<'a, Patch>>; 2],
    has: [[bool; 2]; 3],
    boundary: Option<clip::Boundary>,
    areas: [AreaTally; 2],
    files: Vec<&'a Layer>,
    pbf_same_crs: bool,
}

fn gather<'a>(data: &'a SpatialData, project: &str) -> ProjectLayers<'a> {
    let files: Vec<&Layer> = data.layers.iter().filter(|l| l.project == project).collect();
    let bounds: Vec<&Layer> = files
        .iter()
        .copied()
        .filter(|l| l.kind == LayerKind::Boundary)
        .collect();
    let boundary = (!bounds.is_empty())
        .then(|| clip::Boundary::new(bounds.iter().flat_map(|l| l.patches.iter().map(|p| p.shape.clone()))));
    let bkey = bounds.first().map(|l| l.crs.key.clone());
    // Patches wholly inside the boundary (or with no boundary to clip to) are borrowed, not copied.
    let take = |kind: LayerKind, s: Stage| -> (Vec<Cow<'a, Patch>>, bool, AreaTally) {
        let mut out = Vec::new();
        let mut tally = AreaTally::default();
        let mut any = false;
        for l in files.iter().filter(|l| l.kind == kind && l.stage == Some(s)) {
            any = true;
            tally.add(&l.areas);
            match (&boundary, &bkey) {
                (Some(b), Some(k)) if *k == l.crs.key => out.extend(l.patches.iter().filter_map(|p| b.clip(p))),
                _ => out.extend(l.patches.iter().map(Cow::Borrowed)),
            }
        }
        (out, any, tally)
    };
    let mut farmland: [Vec<Cow<Patch>>; 2] = Default::default();
    let mut pbf: [Vec<Cow<Patch>>; 2] = Default::default();
    let mut redline: [Vec<Cow<Patch>>; 2] = Default::default();
    let mut areas: [AreaTally; 2] = Default::default();
    let mut has = [[false; 2]; 3];
    for (k, s) in Stage::BOTH.iter().enumerate() {
        let (f, hf, t) = take(LayerKind::Dltb, *s);
        let (p, hp, _) = take(LayerKind::Pbf, *s);
        let (r, hr, _) = take(LayerKind::Redline, *s);
        (farmland[k], pbf[k], redline[k], areas[k]) = (f, p, r, t);
        (has[0][k], has[1][k], has[2][k]) = (hf, hp, hr);
    }
    let mut pl = ProjectLayers {
        farmland,
        pbf,
        redline,
        has,
        boundary,
        areas,
        files: files.clone(),
        pbf_same_crs: true,
    };
    let pbf_keys: Vec<&str> = files
        .iter()
        .filter(|l| l.kind == LayerKind::Pbf)
        .map(|l| l.crs.key.as_str())
        .collect();
    pl.pbf_same_crs = pbf_keys.windows(2).all(|w| w[0] == w[1]);
    pl
}

/// Everything for one project.
fn one_project(data: &SpatialData, project: &str, info: Option<&ProjectInfo>, opts: &SpatialOptions) -> ProjectSpatial {
    let threshold = info.map_or(CONTIG_PLAINS_MU, |i| i.threshold_mu);
    let pl = gather(data, project);
    let mut out = ProjectSpatial {
        project: project.to_string(),
        files: pl
            .files
            .iter()
            .map(|l| format!("{}（{}{}）", l.file, l.stage.map_or("", |s| s.label()), l.kind.label()))
            .collect(),
        ..Default::default()
    };
    let mut stage_shapes = Vec::new();
    for k in 0..2 {
        if pl.has[0][k] {
            let shapes: Vec<&geo::MultiPolygon<f64>> = pl.farmland[k].iter().map(|p| &p.shape).collect();
            let ids = blocks::block_ids(&shapes, opts.gap_tolerance_m);
            let m = stage_metrics(&pl.farmland[k], &ids, threshold);
            let classes = classes(&pl.farmland[k], &ids, threshold);
            stage_shapes.push(Some((classes, m.contig_n as usize)));
            out.farmland[k] = Some(m);
            out.area_method[k] = pl.areas[k].describe();
        } else {
            stage_shapes.push(None);
        }
        out.pbf[k] = pl.has[1][k].then(|| redlines::total(&pl.pbf[k]));
        out.redline[k] = pl.has[2][k].then(|| redlines::total(&pl.redline[k]));
    }
    if pl.has[1][0] && pl.has[1][1] && pl.pbf_same_crs {
        out.pbf_adjusted = Some(redlines::adjusted_out(&pl.pbf[0], &pl.pbf[1]));
    }
    out.map = project_map(project, threshold, &pl, stage_shapes);
    out
}

/// Map class of each patch from its block's area.
fn classes(patches: &[Cow<Patch>], block: &[usize], threshold: f64) -> Vec<Class> {
    let mut sizes = vec![0.0; block.iter().max().map_or(0, |m| m + 1)];
    for (p, b) in patches.iter().zip(block) {
        sizes[*b] += p.area_mu;
    }
    block
        .iter()
        .map(|b| {
            if sizes[*b] >= threshold {
                Class::Block
            } else if sizes[*b] < SCATTERED_MU {
                Class::Scattered
            } else {
                Class::Other
            }
        })
        .collect()
}

fn project_map(
    project: &str,
    threshold: f64,
    pl: &ProjectLayers,
    stages: Vec<Option<(Vec<Class>, usize)>>,
) -> Option<ProjectMap> {
    let all = pl.farmland.iter().chain(&pl.pbf).flatten().map(|p| &p.shape);
    let ext = drawing::extent(all.chain(pl.boundary.as_ref().map(clip::Boundary::shape)))?;
    let origin = (ext.min().x, ext.min().y);
    let size = ext.width().max(ext.height()).max(1.0);
    let mut maps = stages.into_iter().enumerate().map(|(k, s)| {
        s.map(|(classes, contig)| {
            drawing::stage_map(
                &StageShapes {
                    patches: &pl.farmland[k],
                    classes,
                    pbf: &pl.pbf[k],
                    contig_blocks: contig,
                },
                origin,
                size,
            )
        })
    });
    Some(ProjectMap {
        project: project.to_string(),
        threshold_mu: threshold,
        width_m: ext.width(),
        height_m: ext.height(),
        boundary: pl
            .boundary
            .as_ref()
            .map(|b| drawing::outline(b.shape(), origin, size))
            .unwrap_or_default(),
        before: maps.next().flatten(),
        after: maps.next().flatten(),
    })
}

/// Compute every project with layers.
pub fn compute(ds: &Dataset, opts: &SpatialOptions) -> Result<SpatialOutput> {
    let info = project_info(ds)?;
    let ids: Vec<&str> = ds.layers.projects().into_iter().collect();
    let projects: Vec<ProjectSpatial> = ids
        .par_iter()
        .map(|p| one_project(&ds.layers, p, info.get(*p), opts))
        .collect();
    let frame = frame(&projects, ds, opts)?;
    Ok(SpatialOutput { frame, projects })
}

/// `layer_<metric>` stems and how to read them from the stage metrics.
type Getter = fn(&StageMetrics) -> Option<f64>;

/// The per-stage fields: (field stem, value).
pub const STAGE_FIELDS: &[(&str, Getter)] = &[
    ("layer_np", |m| Some(m.np)),
    ("layer_ta", |m| Some(m.ta)),
    ("layer_mps", |m| m.mps),
    ("layer_area_am", |m| m.area_am),
    ("layer_lpi", |m| m.lpi),
    ("layer_scattered_n", |m| Some(m.scattered_n)),
    ("layer_msi", |m| m.msi),
    ("blocks_n", |m| Some(m.block_n)),
    ("blocks_contig_n", |m| Some(m.contig_n)),
    ("blocks_contig_share", |m| m.contig_share),
    ("blocks_max_area", |m| m.max_block),
    ("blocks_qianmu_n", |m| Some(m.qianmu_n)),
    ("blocks_wanmu_n", |m| Some(m.wanmu_n)),
    ("blocks_scattered_n", |m| Some(m.scattered_blocks)),
];

/// Stems whose values depend on the project area (PD, ED).
pub const AREA_FIELDS: &[&str] = &["layer_pd", "layer_ed"];

fn num(name: &str, v: Vec<Option<f64>>) -> Column {
    Column::from(Series::new(name.into(), v))
}

fn change(b: Option<f64>, a: Option<f64>) -> (Option<f64>, Option<f64>) {
    match (b, a) {
        (Some(b), Some(a)) => (Some(a - b), (b > 0.0).then(|| (a - b) / b)),
        _ => (None, None),
    }
}

fn frame(projects: &[ProjectSpatial], ds: &Dataset, opts: &SpatialOptions) -> Result<DataFrame> {
    let area_total = area_totals(ds)?;
    let mut cols = vec![Column::from(Series::new(
        "project_id".into(),
        projects.iter().map(|p| p.project.clone()).collect::<Vec<_>>(),
    ))];
    let mut stage = |stem: &str, get: &dyn Fn(&ProjectSpatial, usize) -> Option<f64>| {
        let b: Vec<Option<f64>> = projects.iter().map(|p| get(p, 0)).collect();
        let a: Vec<Option<f64>> = projects.iter().map(|p| get(p, 1)).collect();
        let (d, pct): (Vec<_>, Vec<_>) = b.iter().zip(&a).map(|(b, a)| change(*b, *a)).unzip();
        cols.push(num(&format!("{stem}_before"), b));
        cols.push(num(&format!("{stem}_after"), a));
        cols.push(num(&format!("{stem}_delta"), d));
        cols.push(num(&format!("{stem}_pct"), pct));
    };
    for (stem, get) in STAGE_FIELDS {
        stage(stem, &|p, k| p.farmland[k].as_ref().and_then(get));
    }
    let ha = |p: &ProjectSpatial| area_total.get(&p.project).copied().flatten().map(|mu| mu / 15.0);
    stage("layer_pd", &|p, k| {
        let m = p.farmland[k].as_ref()?;
        ha(p).filter(|h| *h > 0.0).map(|h| m.np * 100.0 / h)
    });
    stage("layer_ed", &|p, k| {
        let m = p.farmland[k].as_ref()?;
        ha(p).filter(|h| *h > 0.0).map(|h| m.perimeter_m / h)
    });
    let round2 = |x: f64| (x * 100.0).round() / 100.0;
    for (k, s) in Stage::BOTH.iter().enumerate() {
        cols.push(num(
            &format!("pbf_{}_layer", s.suffix()),
            projects.iter().map(|p| p.pbf[k]).collect(),
        ));
        cols.push(num(
            &format!("redline_{}_layer", s.suffix()),
            projects.iter().map(|p| p.redline[k]).collect(),
        ));
        cols.push(Column::from(Series::new(
            format!("layer_area_method_{}", s.suffix()).into(),
            projects.iter().map(|p| p.area_method[k].clone()).collect::<Vec<_>>(),
        )));
    }
    cols.push(num(
        "pbf_adjusted_layer",
        projects.iter().map(|p| p.pbf_adjusted.map(round2)).collect(),
    ));
    cols.push(Column::from(Series::new(
        "layer_files".into(),
        projects.iter().map(|p| p.files.join("；")).collect::<Vec<_>>(),
    )));
    cols.push(num(
        "layer_gap_tolerance_m",
        projects.iter().map(|_| Some(opts.gap_tolerance_m)).collect(),
    ));
    Ok(DataFrame::new(projects.len(), cols)?)
}

/// `area_total` (亩) per project id.
fn area_totals(ds: &Dataset) -> Result<BTreeMap<String, Option<f64>>> {
    let ids = ds.projects.column("project_id")?.str()?;
    let area = ds.projects.column("area_total")?.f64()?;
    Ok((0..ds.projects.height())
        .filter_map(|i| Some((ids.get(i)?.to_string(), area.get(i))))
        .collect())
}
