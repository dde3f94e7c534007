//! What a project map needs, simplified for drawing only (metrics always use
//! the full geometry): farmland classed as blocks at or above the terrain
//! threshold, 零星 blocks (< 5 亩) and the rest, the PBF and boundary outlines.
//!
//! The drawn data is bounded: rings are simplified (Douglas–Peucker) at a
//! tolerance that starts at 1/1000 of the map's extent (≈ 0.1 mm on an A4
//! half-page panel) and grows until a stage has at most [`VERTEX_BUDGET`]
//! vertices; patches smaller than the tolerance are drawn as grid cells.

use crate::ingest::layers::{Patch, Stage};
use geo::{BoundingRect, LineString, MultiPolygon, Rect, Simplify};
use std::collections::BTreeSet;

/// Vertices kept per stage (≈ 90 KB of SVG path text).
pub const VERTEX_BUDGET: usize = 15_000;

/// A ring in metres from the map's south-west corner.
pub type Ring = Vec<[f32; 2]>;

/// How a farmland patch is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// In a contiguous block at or above the terrain threshold.
    Block,
    /// In a block below 5 亩 (零星耕地).
    Scattered,
    Other,
}

/// One stage's drawing.
#[derive(Debug, Clone, Default)]
pub struct StageMap {
    pub blocks: Vec<Ring>,
    pub scattered: Vec<Ring>,
    pub other: Vec<Ring>,
    /// 永久基本农田 outline.
    pub pbf: Vec<Ring>,
    /// 永久基本农田 too small to outline at this scale, as grid cells (drawn as a light fill).
    pub pbf_cells: Vec<Ring>,
    /// Farmland patches and the contiguous blocks at the threshold, for the caption.
    pub patches: usize,
    pub contig_blocks: usize,
    pub farmland_mu: f64,
    /// Simplification tolerance used (metres).
    pub tolerance_m: f64,
}

/// A project's map: both stages on one extent.
#[derive(Debug, Clone)]
pub struct ProjectMap {
    pub project: String,
    /// Contiguous-block threshold (亩): 100 plains, 50 hills and mountains.
    pub threshold_mu: f64,
    pub width_m: f64,
    pub height_m: f64,
    /// Boundary (整治区域) outline, when given.
    pub boundary: Vec<Ring>,
    pub before: Option<StageMap>,
    pub after: Option<StageMap>,
}

impl ProjectMap {
    pub fn stage(&self, s: Stage) -> Option<&StageMap> {
        match s {
            Stage::Before => self.before.as_ref(),
            Stage::After => self.after.as_ref(),
        }
    }
}

/// The stage's inputs to draw.
pub struct StageShapes<'a> {
    pub patches: &'a [Patch],
    pub classes: Vec<Class>,
    pub pbf: &'a [Patch],
    pub contig_blocks: usize,
}

/// The extent of everything drawn.
pub fn extent<'a>(shapes: impl Iterator<Item = &'a MultiPolygon<f64>>) -> Option<Rect<f64>> {
    shapes.filter_map(BoundingRect::bounding_rect).reduce(|a, b| {
        Rect::new(
            (a.min().x.min(b.min().x), a.min().y.min(b.min().y)),
            (a.max().x.max(b.max().x), a.max().y.max(b.max().y)),
        )
    })
}

fn to_ring(r: &LineString<f64>, origin: (f64, f64)) -> Ring {
    r.0.iter()
        .map(|c| [(c.x - origin.0) as f32, (c.y - origin.1) as f32])
        .collect()
}

/// Rings of shapes at tolerance `eps`; shapes smaller than `eps` become grid cells of size `eps`.
fn rings_of<'a>(shapes: impl Iterator<Item = &'a MultiPolygon<f64>>, origin: (f64, f64), eps: f64) -> Vec<Ring> {
    let (mut rings, cells) = rings_and_cells(shapes, origin, eps);
    rings.extend(cells);
    rings
}

/// Simplified rings, and the grid cells of the shapes smaller than `eps`.
fn rings_and_cells<'a>(
    shapes: impl Iterator<Item = &'a MultiPolygon<f64>>,
    origin: (f64, f64),
    eps: f64,
) -> (Vec<Ring>, Vec<Ring>) {
    let mut out = Vec::new();
    let mut cells: BTreeSet<(i64, i64)> = BTreeSet::new();
    for s in shapes {
        let Some(r) = s.bounding_rect() else { continue };
        if r.width() < 2.0 * eps && r.height() < 2.0 * eps {
            let c = r.center();
            cells.insert((
                ((c.x - origin.0) / eps).floor() as i64,
                ((c.y - origin.1) / eps).floor() as i64,
            ));
            continue;
        }
        for p in s.simplify(eps).0 {
            for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
                if ring.0.len() >= 4 {
                    out.push(to_ring(ring, origin));
                }
            }
        }
    }
    (out, cell_runs(&cells, eps))
}

/// Grid cells merged into one rectangle per horizontal run.
fn cell_runs(cells: &BTreeSet<(i64, i64)>, eps: f64) -> Vec<Ring> {
    let mut by_row: Vec<(i64, i64)> = cells.iter().map(|&(x, y)| (y, x)).collect();
    by_row.sort_unstable();
    let mut out = Vec::new();
    let mut i = 0;
    while i < by_row.len() {
        let (y, x0) = by_row[i];
        let mut x1 = x0;
        while i + 1 < by_row.len() && by_row[i + 1] == (y, x1 + 1) {
            x1 += 1;
            i += 1;
        }
        let (a, b, c, d) = (
            x0 as f64 * eps,
            (x1 + 1) as f64 * eps,
            y as f64 * eps,
            (y + 1) as f64 * eps,
        );
        out.push(vec![
            [a as f32, c as f32],
            [b as f32, c as f32],
            [b as f32, d as f32],
            [a as f32, d as f32],
            [a as f32, c as f32],
        ]);
        i += 1;
    }
    out
}

fn vertices(m: &StageMap) -> usize {
    [&m.blocks, &m.scattered, &m.other, &m.pbf, &m.pbf_cells]
        .iter()
        .flat_map(|v| v.iter())
        .map(Vec::len)
        .sum()
}

/// One stage simplified within the vertex budget.
pub fn stage_map(s: &StageShapes, origin: (f64, f64), extent_m: f64) -> StageMap {
    let mut eps = (extent_m / 1000.0).max(0.5);
    loop {
        let of = |class: Class| {
            rings_of(
                s.patches
                    .iter()
                    .zip(&s.classes)
                    .filter(move |(_, c)| **c == class)
                    .map(|(p, _)| &p.shape),
                origin,
                eps,
            )
        };
        let (pbf, pbf_cells) = rings_and_cells(s.pbf.iter().map(|p| &p.shape), origin, eps);
        let m = StageMap {
            blocks: of(Class::Block),
            scattered: of(Class::Scattered),
            other: of(Class::Other),
            pbf,
            pbf_cells,
            patches: s.patches.len(),
            contig_blocks: s.contig_blocks,
            farmland_mu: s.patches.iter().map(|p| p.area_mu).sum(),
            tolerance_m: eps,
        };
        if vertices(&m) <= VERTEX_BUDGET || eps > extent_m / 50.0 {
            return m;
        }
        eps *= 1.6;
    }
}

/// Boundary outline rings.
pub fn outline(shape: &MultiPolygon<f64>, origin: (f64, f64), extent_m: f64) -> Vec<Ring> {
    rings_of(std::iter::once(shape), origin, (extent_m / 1000.0).max(0.5))
}
