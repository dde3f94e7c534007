//! Scalings: raw value → [0, 1].

use crate::model::{Scale, Step};
use std::sync::Arc;

/// Statistics of one indicator column over the batch, for relative scales.
#[derive(Debug, Clone)]
pub struct ColumnStats {
    pub min: f64,
    pub max: f64,
    /// The cohort's values, ascending (for `rank`); shared with the
    /// statistics of the cohort less one project.
    pub sorted: Arc<[f64]>,
    /// A value of `sorted` that is not in this cohort: that project was removed.
    removed: Option<f64>,
}

impl ColumnStats {
    /// Statistics of the present values; none when all are missing.
    pub fn of(values: &[Option<f64>]) -> Option<Self> {
        let mut sorted: Vec<f64> = values.iter().flatten().copied().collect();
        sorted.sort_by(f64::total_cmp);
        Some(Self {
            min: *sorted.first()?,
            max: *sorted.last()?,
            sorted: sorted.into(),
            removed: None,
        })
    }

    /// The statistics of the same cohort less one project whose value is
    /// `x` (one of the values), without copying the values: exactly what
    /// [`ColumnStats::of`] gives for the remaining values. None when `x`
    /// was the only value.
    pub fn without(&self, x: f64) -> Option<Self> {
        let s = &self.sorted;
        if self.removed.is_some() || s.len() < 2 {
            return None;
        }
        let same = |a: f64| a.total_cmp(&x) == std::cmp::Ordering::Equal;
        Some(Self {
            min: if same(s[0]) { s[1] } else { s[0] },
            max: if same(s[s.len() - 1]) {
                s[s.len() - 2]
            } else {
                s[s.len() - 1]
            },
            sorted: Arc::clone(s),
            removed: Some(x),
        })
    }

    /// Percentile of `x`: (values below + ½ × (equal values − 1)) ÷ (n − 1).
    pub fn percentile(&self, x: f64) -> f64 {
        let gone = usize::from(self.removed.is_some());
        let n = self.sorted.len() - gone;
        if n < 2 {
            return 1.0;
        }
        let r = self.removed;
        let below = self.sorted.partition_point(|v| *v < x) - usize::from(r.is_some_and(|r| r < x));
        let upto = self.sorted.partition_point(|v| *v <= x) - usize::from(r.is_some_and(|r| r <= x));
        let equal = upto - below;
        (below as f64 + 0.5 * equal.saturating_sub(1) as f64) / (n - 1) as f64
    }
}

/// Scale a raw value. `planned` is the project's target for `plan` scales
/// (the caller makes the indicator not applicable when it is missing or 0).
pub fn scale(s: &Scale, raw: f64, planned: Option<f64>, cohort: Option<&ColumnStats>) -> f64 {
    let v = match s {
        Scale::Plan { cap, .. } => match planned {
            Some(p) if p > 0.0 => (raw / p).min(*cap) / cap,
            _ => 0.0,
        },
        Scale::Target { floor, target } => linear(raw, *floor, *target),
        Scale::Minmax { lower_is_better } => match cohort {
            Some(c) if c.max > c.min => {
                let x = (raw - c.min) / (c.max - c.min);
                if *lower_is_better { 1.0 - x } else { x }
            }
            _ => 1.0,
        },
        Scale::Steps { steps, lower_is_better } => step(steps, raw, *lower_is_better),
        Scale::Bool { invert } => {
            let truth = raw != 0.0;
            if truth != *invert { 1.0 } else { 0.0 }
        }
        Scale::Rank { lower_is_better } => match cohort {
            Some(c) => {
                let x = c.percentile(raw);
                if *lower_is_better { 1.0 - x } else { x }
            }
            None => 1.0,
        },
        Scale::Piecewise { points } => piecewise(points, raw),
    };
    v.clamp(0.0, 1.0)
}

/// Linear from `floor` (0) to `target` (1); works both ways round.
fn linear(x: f64, floor: f64, target: f64) -> f64 {
    if floor == target {
        return if x >= target { 1.0 } else { 0.0 };
    }
    (x - floor) / (target - floor)
}

/// Linear interpolation through `points` (x ascending), flat outside them.
fn piecewise(points: &[[f64; 2]], x: f64) -> f64 {
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return 0.0;
    };
    if x <= first[0] {
        return first[1];
    }
    for w in points.windows(2) {
        let ([x0, y0], [x1, y1]) = (w[0], w[1]);
        if x <= x1 {
            return if x1 > x0 {
                y0 + (y1 - y0) * (x - x0) / (x1 - x0)
            } else {
                y1
            };
        }
    }
    last[1]
}

/// The best step the value reaches.
fn step(steps: &[Step], x: f64, lower_is_better: bool) -> f64 {
    steps
        .iter()
        .filter(|s| if lower_is_better { x <= s.at } else { x >= s.at })
        .map(|s| s.value)
        .fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_both_directions() {
        let up = Scale::Target {
            floor: 0.6,
            target: 1.0,
        };
        assert!((scale(&up, 0.9, None, None) - 0.75).abs() < 1e-12);
        assert_eq!(scale(&up, 0.5, None, None), 0.0);
        assert_eq!(scale(&up, 1.2, None, None), 1.0);
        let down = Scale::Target {
            floor: 10.0,
            target: 2.0,
        };
        assert!((scale(&down, 4.0, None, None) - 0.75).abs() < 1e-12);
    }

    #[test]
    fn plan_is_capped() {
        let p = Scale::Plan {
            planned: "x".into(),
            cap: 1.0,
        };
        assert_eq!(scale(&p, 300.0, Some(400.0), None), 0.75);
        assert_eq!(scale(&p, 500.0, Some(400.0), None), 1.0);
    }

    #[test]
    fn minmax_and_steps_and_bool() {
        let c = ColumnStats::of(&[Some(2.0), None, Some(10.0)]);
        let m = Scale::Minmax { lower_is_better: false };
        assert_eq!(scale(&m, 4.0, None, c.as_ref()), 0.25);
        let m = Scale::Minmax { lower_is_better: true };
        assert_eq!(scale(&m, 4.0, None, c.as_ref()), 0.75);
        let s = Scale::Steps {
            steps: vec![Step { at: 0.95, value: 1.0 }, Step { at: 0.9, value: 0.8 }],
            lower_is_better: false,
        };
        assert_eq!(scale(&s, 0.92, None, None), 0.8);
        assert_eq!(scale(&s, 0.96, None, None), 1.0);
        assert_eq!(scale(&s, 0.5, None, None), 0.0);
        assert_eq!(scale(&Scale::Bool { invert: false }, 1.0, None, None), 1.0);
        assert_eq!(scale(&Scale::Bool { invert: true }, 1.0, None, None), 0.0);
    }

    #[test]
    fn rank_is_the_mid_percentile() {
        // Values 10, 20, 20, 40 (n − 1 = 3): 10 → 0/3; 20 → (1 + ½·1)/3 = 0.5; 40 → 3/3.
        let c = ColumnStats::of(&[Some(10.0), Some(20.0), Some(20.0), Some(40.0)]);
        let r = Scale::Rank { lower_is_better: false };
        assert_eq!(scale(&r, 10.0, None, c.as_ref()), 0.0);
        assert_eq!(scale(&r, 20.0, None, c.as_ref()), 0.5);
        assert_eq!(scale(&r, 40.0, None, c.as_ref()), 1.0);
        let r = Scale::Rank { lower_is_better: true };
        assert_eq!(scale(&r, 10.0, None, c.as_ref()), 1.0);
    }

    #[test]
    fn a_cohort_less_one_value_is_the_cohort_of_the_others() {
        // Values 10, 20, 20, 40; without one 20: 10, 20, 40 (n − 1 = 2): 20 → 1/2; without 10: min 20.
        let all = ColumnStats::of(&[Some(10.0), Some(20.0), Some(20.0), Some(40.0)]).unwrap();
        let less = all.without(20.0).unwrap();
        let direct = ColumnStats::of(&[Some(10.0), Some(20.0), Some(40.0)]).unwrap();
        for x in [5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0] {
            assert_eq!(less.percentile(x).to_bits(), direct.percentile(x).to_bits(), "{x}");
        }
        assert_eq!(less.percentile(20.0), 0.5);
        let no_min = all.without(10.0).unwrap();
        assert_eq!((no_min.min, no_min.max), (20.0, 40.0));
        let no_max = all.without(40.0).unwrap();
        assert_eq!((no_max.min, no_max.max), (10.0, 20.0));
        assert!(ColumnStats::of(&[Some(1.0)]).unwrap().without(1.0).is_none());
    }

    #[test]
    fn piecewise_interpolates_and_is_flat_outside() {
        // (0, 0) – (50, 0.6) – (100, 1): 25 → 0.3; 75 → 0.6 + 0.4 × 25/50 = 0.8.
        let p = Scale::Piecewise {
            points: vec![[0.0, 0.0], [50.0, 0.6], [100.0, 1.0]],
        };
        assert!((scale(&p, 25.0, None, None) - 0.3).abs() < 1e-12);
        assert!((scale(&p, 75.0, None, None) - 0.8).abs() < 1e-12);
        assert_eq!(scale(&p, -5.0, None, None), 0.0);
        assert_eq!(scale(&p, 500.0, None, None), 1.0);
    }
}
