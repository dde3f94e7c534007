//! Clipping patches to the project boundary (整治区域). A patch wholly inside
//! is kept as it is; one crossing the boundary keeps its intersection, and its
//! official area is scaled by the share of its planar area that remains.

use crate::ingest::layers::Patch;
use crate::ingest::layers::feature::point_in_ring;
use geo::{Area, BooleanOps, BoundingRect, Coord, MultiPolygon, Rect};
use rstar::{AABB, RTree, primitives::GeomWithData, primitives::Line};
use std::borrow::Cow;

/// A boundary prepared for many clips.
pub struct Boundary {
    shape: MultiPolygon<f64>,
    bbox: Option<Rect<f64>>,
    edges: RTree<GeomWithData<Line<[f64; 2]>, ()>>,
}

impl Boundary {
    pub fn new(parts: impl Iterator<Item = MultiPolygon<f64>>) -> Self {
        let shape = MultiPolygon(parts.flat_map(|m| m.0).collect());
        let edges = shape
            .0
            .iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .flat_map(|r| {
                r.0.windows(2)
                    .map(|w| GeomWithData::new(Line::new([w[0].x, w[0].y], [w[1].x, w[1].y]), ()))
            })
            .collect();
        Boundary {
            bbox: shape.bounding_rect(),
            shape,
            edges: RTree::bulk_load(edges),
        }
    }

    pub fn shape(&self) -> &MultiPolygon<f64> {
        &self.shape
    }

    fn contains(&self, p: Coord<f64>) -> bool {
        self.shape
            .0
            .iter()
            .any(|poly| point_in_ring(p, poly.exterior()) && !poly.interiors().iter().any(|h| point_in_ring(p, h)))
    }

    /// The part of a patch inside the boundary; `None` when nothing is left.
    pub fn clip<'a>(&self, p: &'a Patch) -> Option<Cow<'a, Patch>> {
        let (Some(b), Some(r)) = (self.bbox, p.shape.bounding_rect()) else {
            return None;
        };
        if r.max().x < b.min().x || r.min().x > b.max().x || r.max().y < b.min().y || r.min().y > b.max().y {
            return None;
        }
        let env = AABB::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]);
        if self.edges.locate_in_envelope_intersecting(&env).next().is_none() {
            // No boundary edge near: wholly inside or wholly outside.
            let first = p.shape.0.first().and_then(|poly| poly.exterior().0.first().copied())?;
            return self.contains(first).then_some(Cow::Borrowed(p));
        }
        let inter = p.shape.intersection(&self.shape);
        let planar = inter.unsigned_area();
        if planar <= 0.0 {
            return None;
        }
        let share = if p.planar_m2 > 0.0 {
            (planar / p.planar_m2).min(1.0)
        } else {
            1.0
        };
        Some(Cow::Owned(Patch {
            shape: inter,
            area_mu: p.area_mu * share,
            planar_m2: planar,
        }))
    }
}
