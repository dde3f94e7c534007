//! Scalings: raw value → [0, 1].

use crate::model::{Scale, Step};

/// Cohort statistics a relative scale needs.
#[derive(Debug, Clone, Copy)]
pub struct Cohort {
    pub min: f64,
    pub max: f64,
}

impl Cohort {
    pub fn of(values: &[Option<f64>]) -> Option<Self> {
        let v: Vec<f64> = values.iter().flatten().copied().collect();
        let min = v.iter().copied().reduce(f64::min)?;
        let max = v.iter().copied().reduce(f64::max)?;
        Some(Self { min, max })
    }
}

/// Scale a raw value. `planned` is the project's target for `plan` scales
/// (the caller makes the indicator not applicable when it is missing or 0).
pub fn scale(s: &Scale, raw: f64, planned: Option<f64>, cohort: Option<Cohort>) -> f64 {
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
        let c = Cohort::of(&[Some(2.0), None, Some(10.0)]);
        let m = Scale::Minmax { lower_is_better: false };
        assert_eq!(scale(&m, 4.0, None, c), 0.25);
        let m = Scale::Minmax { lower_is_better: true };
        assert_eq!(scale(&m, 4.0, None, c), 0.75);
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
}
