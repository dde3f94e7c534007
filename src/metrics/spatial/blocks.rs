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

/// Segments of a shape's rings that come within `near`.
fn segments_near(s: &MultiPolygon<f64>, near: &Bbox) -> Vec<(Coord<f64>, Coord<f64>)> {
    s.0.iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .flat_map(|r| r.0.windows(2).map(|w| (w[0], w[1])))
        .filter(|(a, b)| near.hits_segment(*a, *b))
        .collect()
}

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

/// Whether two shapes come within `tol` metres of each other (touching or overlapping counts).
fn within(a: &MultiPolygon<f64>, ba: Bbox, b: &MultiPolygon<f64>, bb: Bbox, tol: f64) -> bool {
    let sa = segments_near(a, &bb.grown(tol));
    let sb = segments_near(b, &ba.grown(tol));
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
            if within(shapes[i], *b, shapes[j as usize], bj, tol) {
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

    #[test]
    fn a_patch_inside_another_is_in_its_block() {
        let nested = [rect(0.0, 0.0, 100.0, 100.0), rect(40.0, 40.0, 50.0, 50.0)];
        assert_eq!(ids(&nested, 0.0), vec![0, 0]);
    }
}
