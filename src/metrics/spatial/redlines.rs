//! Red lines from layers: areas of the 永久基本农田 and 生态保护红线 layers,
//! and the PBF adjusted out = PBF before − its overlap with PBF after.
//!
//! The overlap of each "before" polygon is measured on the geometry (planar
//! intersection ÷ its planar area) and applied to its official area, so that
//! an unchanged layer gives 0 whatever the 田坎 deduction.

use crate::ingest::layers::Patch;
use geo::{Area, BooleanOps, BoundingRect};
use rstar::{AABB, RTree, primitives::GeomWithData, primitives::Rectangle};
use std::borrow::Cow;

/// Total official area (亩).
pub fn total(patches: &[Cow<Patch>]) -> f64 {
    patches.iter().map(|p| p.area_mu).sum()
}

fn same_shape(a: &Patch, b: &Patch) -> bool {
    a.shape == b.shape
}

/// Area (亩) of `before` not covered by `after`.
pub fn adjusted_out(before: &[Cow<Patch>], after: &[Cow<Patch>]) -> f64 {
    let items: Vec<GeomWithData<Rectangle<[f64; 2]>, usize>> = after
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let r = p.shape.bounding_rect()?;
            Some(GeomWithData::new(
                Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                i,
            ))
        })
        .collect();
    let tree = RTree::bulk_load(items);
    let mut out = 0.0;
    for b in before {
        let Some(r) = b.shape.bounding_rect() else { continue };
        let env = AABB::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]);
        let candidates: Vec<&Patch> = tree
            .locate_in_envelope_intersecting(&env)
            .map(|c| &*after[c.data])
            .collect();
        // Polygons of one layer do not overlap: an identical polygon covers it all.
        let covered = if candidates.iter().any(|a| same_shape(a, b)) {
            b.planar_m2
        } else {
            candidates
                .iter()
                .map(|a| b.shape.intersection(&a.shape).unsigned_area())
                .sum()
        };
        let share = if b.planar_m2 > 0.0 {
            (covered / b.planar_m2).clamp(0.0, 1.0)
        } else {
            1.0
        };
        out += b.area_mu * (1.0 - share);
    }
    out
}
