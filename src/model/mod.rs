//! Scoring models: serde types for `scoring-models/*.toml`, loading and checking.

pub mod ahp;
mod check;
pub mod inputs;
pub mod load;
mod methods;
pub mod redlines;

pub use check::{CheckReport, check_model};
pub use methods::{Aggregation, AhpMatrix, Cell, Robustness, WeightMethod, Weights};
pub use redlines::{DroppedRedline, RedlineException, RedlineSet};

use anyhow::Result;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Models shipped in the binary: (id, TOML text).
pub const BUNDLED_MODELS: &[(&str, &str)] = &[
    ("national-2025", include_str!("../../scoring-models/national-2025.toml")),
    ("sichuan-2025", include_str!("../../scoring-models/sichuan-2025.toml")),
    (
        "sichuan-admission-2025",
        include_str!("../../scoring-models/sichuan-admission-2025.toml"),
    ),
    ("ningxia-2025", include_str!("../../scoring-models/ningxia-2025.toml")),
    ("qiannan-2025", include_str!("../../scoring-models/qiannan-2025.toml")),
    ("haining-2021", include_str!("../../scoring-models/haining-2021.toml")),
    ("yunnan-2025", include_str!("../../scoring-models/yunnan-2025.toml")),
    (
        "academic-ahp-entropy-topsis",
        include_str!("../../scoring-models/academic-ahp-entropy-topsis.toml"),
    ),
];

/// The model used when none is named.
pub const DEFAULT_MODEL: &str = "national-2025";

/// A scoring model: data, not code.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    pub model: ModelMeta,
    #[serde(rename = "dimension")]
    pub dimensions: Vec<Dimension>,
    #[serde(rename = "indicator")]
    pub indicators: Vec<Indicator>,
    /// The model's red lines: the shared set's (after drops) first, then
    /// the model's own `[[veto]]` (see [`redlines::resolve`]).
    #[serde(rename = "veto", default)]
    pub vetoes: Vec<Veto>,
    /// `[[redline_drop]]`: shared red lines the model does not check, with reasons.
    #[serde(rename = "redline_drop", default)]
    pub redline_drops: Vec<RedlineException>,
    /// `[[redline_defer]]`: red lines checked only where the outcome exists yet.
    #[serde(rename = "redline_defer", default)]
    pub redline_defers: Vec<RedlineException>,
    /// The dropped shared red lines, resolved at load.
    #[serde(skip)]
    pub dropped_redlines: Vec<DroppedRedline>,
    #[serde(rename = "adjust", default)]
    pub adjustments: Vec<Adjust>,
    pub grades: std::collections::BTreeMap<String, f64>,
    #[serde(default)]
    pub selection: Option<Selection>,
    #[serde(rename = "reward", default)]
    pub rewards: Vec<Reward>,
    #[serde(default)]
    pub prices: Prices,
    /// `[weights]`: how indicator weights are derived (default: fixed points).
    #[serde(default)]
    pub weights: Option<Weights>,
    /// `[robustness]`: Monte Carlo settings.
    #[serde(default)]
    pub robustness: Robustness,
    /// `[[target]]`: programme-level goals tracked as progress.
    #[serde(rename = "target", default)]
    pub targets: Vec<Target>,
    /// `[bulletin]`: the issuing authority and the fixed parts of the bulletin's letterhead and imprint.
    #[serde(default)]
    pub bulletin: BulletinMeta,
}

/// `[bulletin]` (optional): who issues the provincial bulletin (通报) and
/// the fixed parts of its 版头 and 版记 (GB/T 9704). Command-line options
/// (`--issuer`, `--cc`, `--printer`) take precedence.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BulletinMeta {
    /// 发文机关, e.g. `青岚省自然资源厅`.
    #[serde(default)]
    pub issuer: Option<String>,
    /// 发文机关标志 when it is not the issuer followed by `文件`.
    #[serde(default)]
    pub masthead: Option<String>,
    /// 主送机关 (default `各市（州）自然资源主管部门`).
    #[serde(default)]
    pub recipients: Option<String>,
    /// 抄送机关, in order.
    #[serde(default)]
    pub cc: Vec<String>,
    /// 印发机关 (default: the issuer followed by `办公室`).
    #[serde(default)]
    pub printer: Option<String>,
    /// 附注 under the date, e.g. `（此件公开发布）`.
    #[serde(default)]
    pub note: Option<String>,
}

/// `[prices]` (optional): quota prices and the ESV standard value used by metrics.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Prices {
    /// 增减挂钩节余指标省域内流转价格，万元/亩.
    #[serde(default)]
    pub quota_intra_province: Option<f64>,
    /// 增减挂钩节余指标跨省域调剂价格，万元/亩.
    #[serde(default)]
    pub quota_cross_province: Option<f64>,
    /// 补充耕地数量指标价格，万元/亩.
    #[serde(default)]
    pub supplementary_area: Option<f64>,
    /// 补充耕地水田规模指标价格，万元/亩.
    #[serde(default)]
    pub supplementary_paddy: Option<f64>,
    /// 补充耕地粮食产能指标价格，元/公斤.
    #[serde(default)]
    pub supplementary_grain: Option<f64>,
    /// ESV standard value D, 元/公顷 (default: esv-factors.toml, 3406.50).
    #[serde(default)]
    pub esv_standard_value: Option<f64>,
}

/// `[[target]]`: a programme goal (e.g. a prefecture's 2030 target), tracked
/// as the sum over accepted, non-vetoed projects.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub id: String,
    pub name: String,
    /// SQL expression giving each project's contribution.
    pub expr: String,
    pub goal: f64,
    #[serde(default)]
    pub unit: Option<String>,
    /// Year the goal is due.
    #[serde(default)]
    pub year: Option<i32>,
    #[serde(default)]
    pub basis: String,
}

/// `[model]`: identity and provenance.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ModelMeta {
    pub id: String,
    pub name: String,
    pub version: String,
    #[serde(default)]
    pub basis: Vec<String>,
    #[serde(default)]
    pub seed: u64,
    #[serde(default)]
    pub description: String,
    /// Cap on the sum of positive adjustments (points).
    #[serde(default = "default_bonus_cap")]
    pub bonus_cap: f64,
    /// Cap on the sum of deductions (points, positive number).
    #[serde(default = "default_deduction_cap")]
    pub deduction_cap: f64,
    /// How indicator scores combine into the indicator total.
    #[serde(default)]
    pub aggregation: Aggregation,
    /// Floor substituted for a zero scaled value under geometric aggregation.
    #[serde(default = "default_geometric_floor")]
    pub geometric_floor: f64,
    /// Order of equal totals: `dimension:ID`, `indicator:ID`,
    /// `fewer_deductions`, `more_bonus`, `project_id` (always last).
    /// Empty: the last dimension, then project id.
    #[serde(default)]
    pub tie_break: Vec<String>,
    /// The shared red-line set included in the vetoes (default `national`).
    #[serde(default)]
    pub redlines: RedlineSet,
}

fn default_geometric_floor() -> f64 {
    0.01
}

fn default_bonus_cap() -> f64 {
    5.0
}
fn default_deduction_cap() -> f64 {
    10.0
}

/// `[[dimension]]`: a first-level indicator (一级指标).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Dimension {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
}

/// `[[indicator]]`: a second-level indicator (二级指标).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub id: String,
    pub name: String,
    pub dimension: String,
    #[serde(default)]
    pub group: Option<String>,
    pub points: f64,
    /// SQL expression over field ids giving the raw value.
    pub expr: String,
    #[serde(default)]
    pub unit: Option<String>,
    pub scale: Scale,
    #[serde(default)]
    pub missing: MissingPolicy,
    /// Optional SQL condition; when false the indicator is not applicable.
    #[serde(default)]
    pub applies: Option<String>,
    /// The rule or document the indicator comes from.
    #[serde(default)]
    pub basis: Option<String>,
}

/// How a raw value maps to [0, 1].
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(tag = "method", rename_all = "lowercase", deny_unknown_fields)]
pub enum Scale {
    /// actual ÷ the project's own planned target (an SQL expression), capped.
    /// Not applicable when the plan set no target (blank or 0).
    Plan {
        planned: String,
        #[serde(default = "one")]
        cap: f64,
    },
    /// Linear from `floor` (0) to `target` (1), clamped; floor > target means lower is better.
    Target { floor: f64, target: f64 },
    /// Relative to the cohort's minimum and maximum.
    Minmax {
        #[serde(default)]
        lower_is_better: bool,
    },
    /// Thresholds: the first step whose `at` the value reaches gives its fraction.
    Steps {
        steps: Vec<Step>,
        #[serde(default)]
        lower_is_better: bool,
    },
    /// True → 1, false → 0 (or the reverse with `invert`).
    Bool {
        #[serde(default)]
        invert: bool,
    },
    /// Percentile in the cohort: lowest 0, highest 1, ties share the mid rank.
    Rank {
        #[serde(default)]
        lower_is_better: bool,
    },
    /// Linear through `points = [[x, fraction], ...]` (x ascending), flat outside.
    Piecewise { points: Vec<[f64; 2]> },
}

fn one() -> f64 {
    1.0
}

/// One threshold of a `steps` scale.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub at: f64,
    pub value: f64,
}

impl Scale {
    /// Whether the scaled value depends on the other projects of the cohort.
    pub fn is_relative(&self) -> bool {
        matches!(self, Scale::Minmax { .. } | Scale::Rank { .. })
    }
}

/// What to do when an indicator's raw value cannot be computed.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum MissingPolicy {
    /// Scores 0 (default).
    #[default]
    Zero,
    /// Dropped and its points re-weighted within the dimension.
    Exclude,
    /// A data error.
    Error,
}

/// `[[veto]]`: a legal red line; any breach vetoes the project (一票否决).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Veto {
    pub id: String,
    pub name: String,
    pub when: String,
    #[serde(default)]
    pub basis: String,
    /// The shared set the red line comes from (`None`: the model's own).
    #[serde(skip_deserializing)]
    pub shared: Option<RedlineSet>,
    /// The model's reason for checking it only once the outcome exists
    /// (`[[redline_defer]]`).
    #[serde(skip_deserializing)]
    pub deferred: Option<String>,
}

/// `[[adjust]]`: a bonus (+) or deduction (−).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Adjust {
    pub id: String,
    pub name: String,
    pub when: String,
    /// Points per occurrence; negative for a deduction.
    pub points: f64,
    /// Optional SQL expression counting occurrences (e.g. `audit_issues`).
    #[serde(default)]
    pub per: Option<String>,
    /// Cap on this item's absolute points.
    #[serde(default)]
    pub max: Option<f64>,
    #[serde(default)]
    pub basis: String,
}

/// `[selection]`: demonstration projects (示范样板项目).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Selection {
    pub count: usize,
    #[serde(default)]
    pub min_score: f64,
    #[serde(default)]
    pub max_per_city: Option<usize>,
    /// Only projects that passed overall acceptance.
    #[serde(default = "yes")]
    pub accepted_only: bool,
    /// Lowest grade a selected project must have (e.g. "良好").
    #[serde(default)]
    pub required_grade: Option<String>,
    /// Cap on the reward funds of one county (万元).
    #[serde(default)]
    pub county_reward_cap: Option<f64>,
}

fn yes() -> bool {
    true
}

/// `[[reward]]`: reward funds by selection rank (1 = best selected project).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Reward {
    pub ranks: [u32; 2],
    /// 万元 per project.
    pub amount: f64,
}

impl Model {
    /// The Chinese name of a dimension (its id when the model has none such).
    pub fn dimension_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.dimensions
            .iter()
            .find(|d| d.id == id)
            .map_or(id, |d| d.name.as_str())
    }

    /// Parse a model from TOML text; `origin` names it in messages. The
    /// error lists every problem found, one per line, with its line number.
    pub fn parse(text: &str, origin: &str) -> Result<Self> {
        let mut m = load::parse(text).map_err(|errors| {
            anyhow::anyhow!("评估模型 {origin} 有 {} 处错误：\n{}", errors.len(), errors.join("\n"))
        })?;
        redlines::resolve(&mut m).map_err(|e| anyhow::anyhow!("评估模型 {origin} 的红线设置有误：{e:#}"))?;
        Ok(m)
    }

    /// Load a model by bundled id or by file path.
    pub fn load(name: &str) -> Result<Self> {
        Ok(Self::load_with_source(name)?.0)
    }

    /// Load a model and keep its TOML text (for line numbers in checks).
    pub fn load_with_source(name: &str) -> Result<(Self, String)> {
        let text = match BUNDLED_MODELS.iter().find(|(id, _)| *id == name) {
            Some((_, text)) => (*text).to_string(),
            None => std::fs::read_to_string(Path::new(name)).map_err(|e| {
                anyhow::anyhow!(
                    "找不到评估模型“{name}”：既不是内置模型（{}），也不是可读的 TOML 文件（{e}）",
                    bundled_ids().join("、")
                )
            })?,
        };
        Ok((Self::parse(&text, name)?, text))
    }

    /// Grades from the highest bound down; the fallback grade is 不合格.
    /// A [`Grade`] indexes this list; index `len()` is the fallback.
    pub fn grade_bounds(&self) -> Vec<(&str, f64)> {
        let mut v: Vec<_> = self.grades.iter().map(|(k, b)| (k.as_str(), *b)).collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1));
        v
    }

    /// The grade every vetoed or low-scoring project gets.
    pub fn fail_grade(&self) -> Grade {
        Grade(self.grades.len())
    }

    /// Every grade from the best down, the fallback last.
    pub fn all_grades(&self) -> impl Iterator<Item = Grade> {
        (0..=self.grades.len()).map(Grade)
    }

    /// The grade's name as the model spells it (不合格 for the fallback).
    pub fn grade_name(&self, grade: Grade) -> &str {
        self.grade_bounds().get(grade.0).map_or(FAIL_GRADE, |(name, _)| name)
    }

    /// The grade of a given name, if the model has it (the fallback included).
    pub fn grade_named(&self, name: &str) -> Option<Grade> {
        self.all_grades().find(|g| self.grade_name(*g) == name)
    }

    /// The lowest total of a grade (`None` for the fallback).
    pub fn grade_bound(&self, grade: Grade) -> Option<f64> {
        self.grade_bounds().get(grade.0).map(|(_, b)| *b)
    }

    /// Sum of all indicators' points.
    pub fn total_points(&self) -> f64 {
        self.indicators.iter().map(|i| i.points).sum()
    }

    /// Ranks of the selection: explicit tie-break keys, defaulting to the
    /// last dimension; `project_id` is always the final key.
    pub fn tie_break_keys(&self) -> Vec<String> {
        let mut keys = if self.model.tie_break.is_empty() {
            self.dimensions
                .last()
                .map(|d| vec![format!("dimension:{}", d.id)])
                .unwrap_or_default()
        } else {
            self.model.tie_break.clone()
        };
        if keys.last().map(String::as_str) != Some("project_id") {
            keys.retain(|k| k != "project_id");
            keys.push("project_id".into());
        }
        keys
    }

    /// Points of one dimension.
    pub fn dimension_points(&self, dim: &str) -> f64 {
        self.indicators
            .iter()
            .filter(|i| i.dimension == dim)
            .map(|i| i.points)
            .sum()
    }
}

/// Name of the fallback grade of every model (vetoed or below the lowest bound).
pub const FAIL_GRADE: &str = "不合格";

/// A grade: position in [`Model::grade_bounds`] from the best (0) down;
/// the position after the last bound is the fallback grade 不合格.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Grade(pub usize);

/// Ids of the bundled models.
pub fn bundled_ids() -> Vec<&'static str> {
    BUNDLED_MODELS.iter().map(|(id, _)| *id).collect()
}
