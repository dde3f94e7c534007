//! Contiguous farmland blocks (集中连片): patches that touch, or are
//! separated by a gap no wider than the tolerance (a field road, ditch or
//! 田坎 strip), are merged with an R-tree of bounding boxes and a union–find;
//! only pairs whose boxes come within the tolerance are compared.

use geo::{BoundingRect, Coord, MultiPolygon};
use rstar::{AABB, RTree, primitives::GeomWithData, primitives::Rectangle};

/// Union–find with path halving and union by size.
struct Sets {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl Sets {
    fn new(n: usize) -> Self {
        Sets {
            parent: (0..n as u32).collect(),
            size: vec![1; n],
        }
    }

    fn find(&mut self, mut i: u32) -> u32 {
        while self.parent[i as usize] != i {
            let p = self.parent[i as usize];
            self.parent[i as usize] = self.parent[p as usize];
            i = self.parent[i as usize];
        }
        i
    }

    fn union(&mut self, a: u32, b: u32) {
        let (mut a, mut b) = (self.find(a), self.find(b));
        if a == b {
            return;
        }
        if self.size[a as usize] < self.size[b as usize] {
            std::mem::swap(&mut a, &mut b);
        }
        self.parent[b as usize] = a;
        self.size[a as usize] += self.size[b as usize];
    }
}

/// Axis-aligned box.
#[derive(Debug, Clone, Copy)]
struct Bbox {
    min: Coord<f64>,
    max: Coord<f64>,
}

impl Bbox {
    fn of(s: &MultiPolygon<f64>) -> Option<Self> {
        s.bounding_rect().map(|r| Bbox {
            min: r.min(),
            max: r.max(),
        })
    }

    fn grown(self, d: f64) -> Self {
        Bbox {
            min: Coord {
                x: self.min.x - d,
                y: self.min.y - d,
            },
            max: Coord {
                x: self.max.x + d,
                y: self.max.y + d,
            },
        }
    }

    fn hits_segment(&self, a: Coord<f64>, b: Coord<f64>) -> bool {
        a.x.max(b.x) >= self.min.x
            && a.x.min(b.x) <= self.max.x
            && a.y.max(b.y) >= self.min.y
            && a.y.min(b.y) <= self.max.y
    }
}

/// Segments of a shape's rings that come within `near`, into `out` (cleared first).
fn segments_near(s: &MultiPolygon<f64>, near: &Bbox, out: &mut Vec<(Coord<f64>, Coord<f64>)>) {
    out.clear();
    out.extend(
        s.0.iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .flat_map(|r| r.0.windows(2).map(|w| (w[0], w[1])))
            .filter(|(a, b)| near.hits_segment(*a, *b)),
    );
}

/// Segment lists reused from one shape pair to the next.
type Scratch = [Vec<(Coord<f64>, Coord<f64>)>; 2];

fn cross(o: Coord<f64>, a: Coord<f64>, b: Coord<f64>) -> f64 {
    (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x)
}

/// Squared distance from `p` to segment `ab`.
fn point_segment_sq(p: Coord<f64>, a: Coord<f64>, b: Coord<f64>) -> f64 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len = dx * dx + dy * dy;
    let t = if len > 0.0 {
        (((p.x - a.x) * dx + (p.y - a.y) * dy) / len).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (qx, qy) = (a.x + t * dx - p.x, a.y + t * dy - p.y);
    qx * qx + qy * qy
}

/// Squared distance between segments (0 when they cross).
fn segment_segment_sq(a: (Coord<f64>, Coord<f64>), b: (Coord<f64>, Coord<f64>)) -> f64 {
    let (d1, d2) = (cross(b.0, b.1, a.0), cross(b.0, b.1, a.1));
    let (d3, d4) = (cross(a.0, a.1, b.0), cross(a.0, a.1, b.1));
    if ((d1 > 0.0 && d2 < 0.0) || (d1 < 0.0 && d2 > 0.0)) && ((d3 > 0.0 && d4 < 0.0) || (d3 < 0.0 && d4 > 0.0)) {
        return 0.0;
    }
    point_segment_sq(a.0, b.0, b.1)
        .min(point_segment_sq(a.1, b.0, b.1))
        .min(point_segment_sq(b.0, a.0, a.1))
        .min(point_segment_sq(b.1, a.0, a.1))
}

fn inside(p: Coord<f64>, s: &MultiPolygon<f64>) -> bool {
    use crate::ingest::layers::feature::point_in_ring;
    s.0.iter()
        .any(|poly| point_in_ring(p, poly.exterior()) && !poly.interiors().iter().any(|h| point_in_ring(p, h)))
}

/// Whether two shapes of finite coordinates have a segment each that starts at the same
/// vertex. The segment test of [`within`] then finds those two segments 0 apart (the
/// distance from that vertex to a segment starting there is exactly 0, and with a
/// tolerance of 0 or more both segments reach the other shape's box), so it can be skipped.
fn share_a_start(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> bool {
    fn rings(s: &MultiPolygon<f64>) -> impl Iterator<Item = &[Coord<f64>]> {
        s.0.iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .map(|r| r.0.as_slice())
    }
    fn starts(s: &MultiPolygon<f64>) -> impl Iterator<Item = &Coord<f64>> {
        rings(s).flat_map(|r| &r[..r.len().saturating_sub(1)])
    }
    let finite = |s: &MultiPolygon<f64>| rings(s).flatten().all(|c| c.x.is_finite() && c.y.is_finite());
    finite(a) && finite(b) && starts(a).any(|p| starts(b).any(|q| q == p))
}

/// Whether two shapes come within `tol` metres of each other (touching or overlapping counts).
fn within(a: &MultiPolygon<f64>, ba: Bbox, b: &MultiPolygon<f64>, bb: Bbox, tol: f64, scratch: &mut Scratch) -> bool {
    if tol >= 0.0 && share_a_start(a, b) {
        return true;
    }
    let [sa, sb] = scratch;
    segments_near(a, &bb.grown(tol), sa);
    segments_near(b, &ba.grown(tol), sb);
    let limit = tol * tol + 1e-9;
    if sa
        .iter()
        .any(|x| sb.iter().any(|y| segment_segment_sq(*x, *y) <= limit))
    {
        return true;
    }
    // No boundary within reach: one may still lie inside the other.
    let first = |s: &MultiPolygon<f64>| s.0.first().and_then(|p| p.exterior().0.first().copied());
    first(a).is_some_and(|p| inside(p, b)) || first(b).is_some_and(|p| inside(p, a))
}

/// The block of each shape: shapes within `tol` metres of each other share a block id
/// (ids are 0.. in order of first appearance).
pub fn block_ids(shapes: &[&MultiPolygon<f64>], tol: f64) -> Vec<usize> {
    let boxes: Vec<Option<Bbox>> = shapes.iter().map(|s| Bbox::of(s)).collect();
    let items: Vec<GeomWithData<Rectangle<[f64; 2]>, u32>> = boxes
        .iter()
        .enumerate()
        .filter_map(|(i, b)| {
            b.map(|b| {
                GeomWithData::new(
                    Rectangle::from_corners([b.min.x, b.min.y], [b.max.x, b.max.y]),
                    i as u32,
                )
            })
        })
        .collect();
    let tree = RTree::bulk_load(items);
    let mut sets = Sets::new(shapes.len());
    let mut scratch: Scratch = Default::default();
    for (i, b) in boxes.iter().enumerate() {
        let Some(b) = b else { continue };
        let g = b.grown(tol);
        let env = AABB::from_corners([g.min.x, g.min.y], [g.max.x, g.max.y]);
        for other in tree.locate_in_envelope_intersecting(&env) {
            let j = other.data;
            if j as usize <= i || sets.find(i as u32) == sets.find(j) {
                continue;
            }
            let Some(bj) = boxes[j as usize] else { continue };
            if within(shapes[i], *b, shapes[j as usize], bj, tol, &mut scratch) {
                sets.union(i as u32, j);
            }
        }
    }
    let mut ids = vec![usize::MAX; shapes.len()];
    let mut next = 0;
    let mut of_root = std::collections::HashMap::new();
    for (i, id) in ids.iter_mut().enumerate() {
        let r = sets.find(i as u32);
        *id = *of_root.entry(r).or_insert_with(|| {
            next += 1;
            next - 1
        });
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::layers::write::rect;

    fn ids(shapes: &[MultiPolygon<f64>], tol: f64) -> Vec<usize> {
        block_ids(&shapes.iter().collect::<Vec<_>>(), tol)
    }

    #[test]
    fn shared_edges_and_gaps_within_the_tolerance_merge() {
        // Two squares sharing an edge: one block even with no tolerance.
        let touching = [rect(0.0, 0.0, 10.0, 10.0), rect(10.0, 0.0, 20.0, 10.0)];
        assert_eq!(ids(&touching, 0.0), vec![0, 0]);
        // 3 m apart: one block under 5 m, two under 1 m.
        let apart = [rect(0.0, 0.0, 10.0, 10.0), rect(13.0, 0.0, 23.0, 10.0)];
        assert_eq!(ids(&apart, 5.0), vec![0, 0]);
        assert_eq!(ids(&apart, 1.0), vec![0, 1]);
        // A chain a–b–c merges a and c through b; d stays alone.
        let chain = [
            rect(0.0, 0.0, 10.0, 10.0),
            rect(12.0, 0.0, 22.0, 10.0),
            rect(24.0, 0.0, 34.0, 10.0),
            rect(100.0, 0.0, 110.0, 10.0),
        ];
        assert_eq!(ids(&chain, 2.5), vec![0, 0, 0, 1]);
        // Diagonal corners 3 m apart in x and 4 m in y are 5 m apart.
        let diagonal = [rect(0.0, 0.0, 10.0, 10.0), rect(13.0, 14.0, 23.0, 24.0)];
        assert_eq!(ids(&diagonal, 4.9), vec![0, 1]);
        assert_eq!(ids(&diagonal, 5.0), vec![0, 0]);
    }

    /// Blocks from every pair and the segment test alone (no R-tree, no shared-vertex shortcut).
    fn blocks_by_every_pair(shapes: &[MultiPolygon<f64>], tol: f64) -> Vec<usize> {
        let mut sets = Sets::new(shapes.len());
        let mut scratch: Scratch = Default::default();
        for i in 0..shapes.len() {
            for j in i + 1..shapes.len() {
                let (Some(bi), Some(bj)) = (Bbox::of(&shapes[i]), Bbox::of(&shapes[j])) else {
                    continue;
                };
                let [sa, sb] = &mut scratch;
                segments_near(&shapes[i], &bj.grown(tol), sa);
                segments_near(&shapes[j], &bi.grown(tol), sb);
                let limit = tol * tol + 1e-9;
                let close = sa
                    .iter()
                    .any(|x| sb.iter().any(|y| segment_segment_sq(*x, *y) <= limit));
                let first = |s: &MultiPolygon<f64>| s.0.first().and_then(|p| p.exterior().0.first().copied());
                let nested = first(&shapes[i]).is_some_and(|p| inside(p, &shapes[j]))
                    || first(&shapes[j]).is_some_and(|p| inside(p, &shapes[i]));
                if close || nested {
                    sets.union(i as u32, j as u32);
                }
            }
        }
        let mut of_root = std::collections::HashMap::new();
        (0..shapes.len())
            .map(|i| {
                let r = sets.find(i as u32);
                let next = of_root.len();
                *of_root.entry(r).or_insert(next)
            })
            .collect()
    }

    #[test]
    fn blocks_are_those_of_the_segment_test_on_every_pair() {
        use geo::{LineString, Polygon};
        let mut state = 9u64;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as f64 / (1u64 << 31) as f64
        };
        // A jittered grid: neighbours share corner nodes; about half the cells kept, some shrunk.
        let n = 14;
        let node: Vec<Vec<Coord<f64>>> = (0..=n)
            .map(|i| {
                (0..=n)
                    .map(|j| Coord {
                        x: i as f64 * 30.0 + 8.0 * (next() - 0.5),
                        y: j as f64 * 30.0 + 8.0 * (next() - 0.5),
                    })
                    .collect()
            })
            .collect();
        let mut shapes = Vec::new();
        for i in 0..n {
            for j in 0..n {
                let r = next();
                if r < 0.45 {
                    continue;
                }
                let mut ring = vec![node[i][j], node[i + 1][j], node[i + 1][j + 1], node[i][j + 1]];
                if r > 0.85 {
                    // Shrunk towards its centre: apart from its neighbours by a few metres.
                    let c = Coord {
                        x: ring.iter().map(|p| p.x).sum::<f64>() / 4.0,
                        y: ring.iter().map(|p| p.y).sum::<f64>() / 4.0,
                    };
                    for p in &mut ring {
                        *p = Coord {
                            x: c.x + (p.x - c.x) * 0.8,
                            y: c.y + (p.y - c.y) * 0.8,
                        };
                    }
                }
                shapes.push(MultiPolygon(vec![Polygon::new(LineString::new(ring), vec![])]));
            }
        }
        for tol in [0.0, 1.0, 3.0, 8.0] {
            assert_eq!(ids(&shapes, tol), blocks_by_every_pair(&shapes, tol), "tolerance {tol}");
        }
    }

    #[test]
    fn a_patch_inside_another_is_in_its_block() {
        let nested = [rect(0.0, 0.0, 100.0, 100.0), rect(40.0, 40.0, 50.0, 50.0)];
        assert_eq!(ids(&nested, 0.0), vec![0, 0]);
    }
}
