//! What a project map needs, simplified for drawing only (metrics always use
//! the full geometry): farmland classed as blocks at or above the terrain
//! threshold, 零星 blocks (< 5 亩) and the rest, the PBF and boundary outlines.
//!
//! The drawn data is bounded: rings are simplified (Douglas–Peucker) at a
//! tolerance that starts at 1/1000 of the map's extent (≈ 0.1 mm on an A4
//! half-page panel) and grows until a stage has at most [`VERTEX_BUDGET`]
//! vertices; patches smaller than the tolerance are drawn as grid cells.

use crate::ingest::layers::{Patch, Stage};
use geo::{BoundingRect, Coord, Distance, Euclidean, Line, LineString, MultiPolygon, Rect, Simplify};
use std::borrow::Cow;
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
    pub patches: &'a [Cow<'a, Patch>],
    pub classes: Vec<Class>,
    pub pbf: &'a [Cow<'a, Patch>],
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

/// Douglas–Peucker as geo's `Simplify` for a polygon ring does it (same recursion, same
/// distance, at least 4 points kept), the kept points pushed onto `out`.
fn rdp_into(ring: &[Coord<f64>], eps: f64, out: &mut Vec<Coord<f64>>) {
    if eps <= 0.0 {
        out.extend_from_slice(ring);
        return;
    }
    let mut len = ring.len();
    rdp_step(ring, eps, &mut len, out);
}

fn rdp_step(c: &[Coord<f64>], eps: f64, simplified_len: &mut usize, out: &mut Vec<Coord<f64>>) {
    let (first, last) = match c {
        [] => return,
        [_] | [_, _] => return out.extend_from_slice(c),
        &[first, .., last] => (first, last),
    };
    let line = Line::new(first, last);
    let (mut far, mut far_d) = (0usize, 0.0);
    for (i, p) in c.iter().enumerate().take(c.len() - 1).skip(1) {
        let d = Euclidean.distance(*p, &line);
        if d >= far_d {
            (far, far_d) = (i, d);
        }
    }
    if far_d > eps {
        rdp_step(&c[..=far], eps, simplified_len, out);
        out.pop();
        rdp_step(&c[far..], eps, simplified_len, out);
        return;
    }
    let new_length = *simplified_len - (c.len() - 2);
    if new_length < 4 {
        return out.extend_from_slice(c);
    }
    *simplified_len = new_length;
    out.extend_from_slice(&[first, last]);
}

/// Vertices `rings_and_cells` would give at `eps`, without building the rings: the
/// simplified rings of at least 4 points, and 5 per run of grid cells. Counting stops
/// (with a number above `limit`) as soon as the rings alone pass `limit`.
fn count_vertices<'a>(
    shapes: impl Iterator<Item = &'a MultiPolygon<f64>>,
    origin: (f64, f64),
    eps: f64,
    limit: usize,
    buf: &mut Vec<Coord<f64>>,
    cells: &mut Vec<(i64, i64)>,
) -> usize {
    let mut n = 0;
    cells.clear();
    for s in shapes {
        let Some(r) = s.bounding_rect() else { continue };
        if r.width() < 2.0 * eps && r.height() < 2.0 * eps {
            let c = r.center();
            // (row, column), the order `cell_runs` walks them in.
            cells.push((
                ((c.y - origin.1) / eps).floor() as i64,
                ((c.x - origin.0) / eps).floor() as i64,
            ));
            continue;
        }
        for p in &s.0 {
            for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
                buf.clear();
                rdp_into(&ring.0, eps, buf);
                // `Polygon::new` closes the simplified ring.
                let closing = usize::from(buf.first() != buf.last());
                if buf.len() + closing >= 4 {
                    n += buf.len() + closing;
                }
            }
        }
        if n > limit {
            return n;
        }
    }
    cells.sort_unstable();
    cells.dedup();
    let starts = cells
        .windows(2)
        .filter(|w| w[1].0 != w[0].0 || w[0].1.checked_add(1) != Some(w[1].1))
        .count();
    let runs = starts + usize::from(!cells.is_empty());
    n + 5 * runs
}

/// One stage simplified within the vertex budget.
pub fn stage_map(s: &StageShapes, origin: (f64, f64), extent_m: f64) -> StageMap {
    let mut eps = (extent_m / 1000.0).max(0.5);
    let (mut buf, mut cells) = (Vec::new(), Vec::new());
    loop {
        let mut counted = None;
        // The tolerance is raised until the drawing fits: count first, build only the one kept.
        if eps <= extent_m / 50.0 {
            // Every part adds vertices: once past the budget, the rest need not be counted.
            let mut n = 0;
            for class in [Some(Class::Block), Some(Class::Scattered), Some(Class::Other), None] {
                if n > VERTEX_BUDGET {
                    break;
                }
                let limit = VERTEX_BUDGET - n;
                n += match class {
                    Some(class) => count_vertices(
                        s.patches
                            .iter()
                            .zip(&s.classes)
                            .filter(|(_, c)| **c == class)
                            .map(|(p, _)| &p.shape),
                        origin,
                        eps,
                        limit,
                        &mut buf,
                        &mut cells,
                    ),
                    None => count_vertices(s.pbf.iter().map(|p| &p.shape), origin, eps, limit, &mut buf, &mut cells),
                };
            }
            if n > VERTEX_BUDGET {
                eps *= 1.6;
                continue;
            }
            counted = Some(n);
        }
        let m = stage_map_at(s, origin, eps);
        debug_assert!(counted.is_none_or(|n| n == vertices(&m)), "vertex count");
        return m;
    }
}

/// Boundary outline rings.
pub fn outline(shape: &MultiPolygon<f64>, origin: (f64, f64), extent_m: f64) -> Vec<Ring> {
    rings_of(std::iter::once(shape), origin, (extent_m / 1000.0).max(0.5))
}

/// A stage's drawing simplified at tolerance `eps` (metres).
fn stage_map_at(s: &StageShapes, origin: (f64, f64), eps: f64) -> StageMap {
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
    StageMap {
        blocks: of(Class::Block),
        scattered: of(Class::Scattered),
        other: of(Class::Other),
        pbf,
        pbf_cells,
        patches: s.patches.len(),
        contig_blocks: s.contig_blocks,
        farmland_mu: s.patches.iter().map(|p| p.area_mu).sum(),
        tolerance_m: eps,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Polygon;

    /// splitmix64, for reproducible random rings.
    fn next(state: &mut u64) -> f64 {
        *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }

    #[test]
    fn own_douglas_peucker_keeps_the_points_geo_keeps() {
        let mut seed = 7;
        for case in 0..4000 {
            let n = 1 + case % 40;
            let scale = [1.0, 30.0, 500.0][case % 3];
            let mut pts: Vec<Coord<f64>> = (0..n)
                .map(|k| {
                    let a = k as f64 / n as f64 * std::f64::consts::TAU;
                    let r = scale * (0.5 + next(&mut seed));
                    Coord {
                        x: r * a.cos(),
                        y: r * a.sin(),
                    }
                })
                .collect();
            if case % 5 != 0 {
                pts.push(pts[0]);
            }
            if case % 7 == 0 && n > 2 {
                pts[1] = pts[0]; // repeated point
            }
            let eps = scale * [0.001, 0.01, 0.05, 0.2, 1.0][case % 5] * (0.5 + next(&mut seed));
            let poly = Polygon::new(LineString::new(pts.clone()), vec![]);
            let want = poly.simplify(eps);
            let mut got = Vec::new();
            rdp_into(&poly.exterior().0, eps, &mut got);
            let mut got = LineString::new(got);
            got.close();
            assert_eq!(&got, want.exterior(), "case {case}");
            let mut buf = Vec::new();
            let mut cells = Vec::new();
            let shape = MultiPolygon(vec![poly]);
            let (rings, cell_rings) = rings_and_cells(std::iter::once(&shape), (0.0, 0.0), eps);
            let drawn: usize = rings.iter().chain(&cell_rings).map(Vec::len).sum();
            assert_eq!(
                count_vertices(
                    std::iter::once(&shape),
                    (0.0, 0.0),
                    eps,
                    usize::MAX,
                    &mut buf,
                    &mut cells
                ),
                drawn,
                "case {case}"
            );
        }
    }

    #[test]
    fn counted_vertices_match_the_drawn_ones_with_grid_cells() {
        let mut seed = 11;
        let shapes: Vec<MultiPolygon<f64>> = (0..3000)
            .map(|_| {
                let (x, y) = (2000.0 * next(&mut seed), 2000.0 * next(&mut seed));
                let (w, h) = (1.0 + 60.0 * next(&mut seed), 1.0 + 60.0 * next(&mut seed));
                crate::ingest::layers::write::rect(x, y, x + w, y + h)
            })
            .collect();
        for eps in [0.5, 2.0, 8.0, 20.0, 45.0] {
            let (rings, cells) = rings_and_cells(shapes.iter(), (-3.0, 5.0), eps);
            let drawn: usize = rings.iter().chain(&cells).map(Vec::len).sum();
            let (mut buf, mut c) = (Vec::new(), Vec::new());
            assert_eq!(
                count_vertices(shapes.iter(), (-3.0, 5.0), eps, usize::MAX, &mut buf, &mut c),
                drawn
            );
        }
    }

    /// The loop as first written: every tolerance drawn in full and measured.
    fn stage_map_drawing_each_tolerance(s: &StageShapes, origin: (f64, f64), extent_m: f64) -> StageMap {
        let mut eps = (extent_m / 1000.0).max(0.5);
        loop {
            let m = stage_map_at(s, origin, eps);
            if vertices(&m) <= VERTEX_BUDGET || eps > extent_m / 50.0 {
                return m;
            }
            eps *= 1.6;
        }
    }

    #[test]
    fn the_drawing_is_the_one_the_measure_every_tolerance_loop_gives() {
        let mut seed = 5;
        for (n, size) in [(300usize, 40.0), (4000, 30.0), (12_000, 25.0)] {
            let patch = |x: f64, y: f64, w: f64| {
                let shape = MultiPolygon(vec![Polygon::new(
                    LineString::new(vec![
                        Coord { x, y },
                        Coord {
                            x: x + w / 2.0,
                            y: y - 0.7,
                        },
                        Coord { x: x + w, y },
                        Coord { x: x + w, y: y + w },
                        Coord { x, y: y + w },
                    ]),
                    vec![],
                )]);
                Cow::Owned(Patch {
                    shape,
                    area_mu: w * w / 666.7,
                    planar_m2: w * w,
                })
            };
            let side = (n as f64).sqrt().ceil() as usize;
            let patches: Vec<Cow<Patch>> = (0..n)
                .map(|k| {
                    patch(
                        (k % side) as f64 * size,
                        (k / side) as f64 * size,
                        size * (0.6 + 0.4 * next(&mut seed)),
                    )
                })
                .collect();
            let pbf: Vec<Cow<Patch>> = patches.iter().step_by(2).cloned().collect();
            let classes: Vec<Class> = (0..n)
                .map(|_| [Class::Block, Class::Scattered, Class::Other][(next(&mut seed) * 3.0) as usize % 3])
                .collect();
            let shapes = StageShapes {
                patches: &patches,
                classes,
                pbf: &pbf,
                contig_blocks: 1,
            };
            let extent = side as f64 * size;
            let a = stage_map(&shapes, (0.0, 0.0), extent);
            let b = stage_map_drawing_each_tolerance(&shapes, (0.0, 0.0), extent);
            assert_eq!(a.tolerance_m, b.tolerance_m, "{n}");
            assert_eq!(
                (&a.blocks, &a.scattered, &a.other, &a.pbf, &a.pbf_cells),
                (&b.blocks, &b.scattered, &b.other, &b.pbf, &b.pbf_cells),
                "{n}"
            );
        }
    }
}
