//! Seeded, deterministic generator of the sample-province fixtures.
//!
//! ```text
//! cargo run --release --example make_fixtures
//! ```
//!
//! Writes `fixtures/sample-province/<县名>.xlsx` (one canonical workbook per
//! county of the fictional province 青岚省, 40 projects in all) and a
//! `README.md` describing them. The same seed gives byte-identical files.
//!
//! Two projects are hand-crafted with exact values (QL-0101-01, the exemplar;
//! QL-0101-02, an ordinary project) so that tests can compute their scores by
//! hand; every other project is drawn from a tiny inline PRNG (splitmix64).
//! The special cases (red-line breakers, missing values, a long fund ledger,
//! patch and land-use detail) sit at fixed project ids, listed in [`spec_for`].

use anyhow::{Context, Result, ensure};
use landeval::fields::FieldDict;
use landeval::template::{CellValue, Row, WorkbookData, write_workbook};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

const SEED: u64 = 20251017;
const PROVINCE: &str = "青岚省";
const OUT_DIR: &str = "fixtures/sample-province";

// ------------------------------------------------------------------ PRNG

/// splitmix64: tiny, good enough, and identical on every platform.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        let mut r = Rng(seed);
        r.next_u64();
        r
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Log-uniform in [lo, hi).
    fn log_range(&mut self, lo: f64, hi: f64) -> f64 {
        self.range(lo.ln(), hi.ln()).exp()
    }

    /// Uniform integer in [lo, hi].
    fn int(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next_u64() % ((hi - lo + 1) as u64)) as i64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Standard normal (Box–Muller).
    fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.unit();
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// The project's quality `q` with noise, clamped to [0, 1].
    fn jit(&mut self, q: f64, sd: f64) -> f64 {
        (q + sd * self.normal()).clamp(0.0, 1.0)
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.int(0, xs.len() as i64 - 1) as usize]
    }

    fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.int(0, i as i64) as usize;
            xs.swap(i, j);
        }
    }

    fn weighted(&mut self, w: &[f64]) -> usize {
        let total: f64 = w.iter().sum();
        let mut x = self.unit() * total;
        for (i, wi) in w.iter().enumerate() {
            if x < *wi {
                return i;
            }
            x -= wi;
        }
        w.len() - 1
    }
}

fn r1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn r2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn round_to(x: f64, step: f64) -> f64 {
    ((x / step).round() * step).max(step)
}

/// Hundredths of a mu, for exact sums.
fn cents(x: f64) -> i64 {
    (x * 100.0).round() as i64
}

fn from_cents(c: i64) -> f64 {
    c as f64 / 100.0
}

// ------------------------------------------------------------------ rows

trait RowExt {
    fn num(&mut self, k: &str, v: f64) -> &mut Self;
    fn text(&mut self, k: &str, v: &str) -> &mut Self;
    fn flag(&mut self, k: &str, v: bool) -> &mut Self;
    fn date(&mut self, k: &str, v: &str) -> &mut Self;
    fn get_num(&self, k: &str) -> Option<f64>;
}

impl RowExt for Row {
    fn num(&mut self, k: &str, v: f64) -> &mut Self {
        assert!(v.is_finite(), "{k} = {v}");
        self.insert(k.into(), CellValue::Number(v));
        self
    }
    fn text(&mut self, k: &str, v: &str) -> &mut Self {
        self.insert(k.into(), CellValue::Text(v.into()));
        self
    }
    fn flag(&mut self, k: &str, v: bool) -> &mut Self {
        self.insert(k.into(), CellValue::Bool(v));
        self
    }
    fn date(&mut self, k: &str, v: &str) -> &mut Self {
        self.insert(k.into(), CellValue::Date(v.into()));
        self
    }
    fn get_num(&self, k: &str) -> Option<f64> {
        match self.get(k) {
            Some(CellValue::Number(x)) => Some(*x),
            _ => None,
        }
    }
}

/// All rows of one project, by sheet id.
struct Project {
    id: String,
    name: String,
    county: usize,
    terrain: &'static str,
    data: WorkbookData,
}

impl Project {
    fn new(id: String, county: usize, terrain: &'static str) -> Self {
        Project {
            id,
            name: String::new(),
            county,
            terrain,
            data: BTreeMap::new(),
        }
    }

    fn key_row(&self) -> Row {
        let mut r = Row::new();
        r.text("project_id", &self.id);
        r
    }

    /// The project's single row of a per-project sheet, created on first use.
    fn row(&mut self, sheet: &str) -> &mut Row {
        let key = self.key_row();
        let rows = self.data.entry(sheet.to_string()).or_default();
        if rows.is_empty() {
            rows.push(key);
        }
        rows.last_mut().expect("just pushed")
    }

    /// A new detail row (funds, patches, landuse).
    fn push(&mut self, sheet: &str) -> &mut Row {
        let key = self.key_row();
        let rows = self.data.entry(sheet.to_string()).or_default();
        rows.push(key);
        rows.last_mut().expect("just pushed")
    }

    fn num(&self, sheet: &str, k: &str) -> Option<f64> {
        self.data.get(sheet)?.first()?.get_num(k)
    }

    fn n(&self, sheet: &str, k: &str) -> f64 {
        self.num(sheet, k)
            .unwrap_or_else(|| panic!("{}: {sheet}.{k} missing", self.id))
    }

    fn rows(&self, sheet: &str) -> usize {
        self.data.get(sheet).map_or(0, Vec::len)
    }

    fn fund(&mut self, source: &str, channel: &str, dept: &str, planned: f64, in_place: f64, spent: f64) {
        self.push("funds")
            .text("fund_source", source)
            .text("fund_channel", channel)
            .text("fund_department", dept)
            .num("fund_planned", planned)
            .num("fund_in_place", in_place)
            .num("fund_spent", spent);
    }
}

// ------------------------------------------------------------------ geography

const CITIES: [&str; 5] = ["岚城市", "溱阳市", "黛山州", "禾川市", "沣源市"];

struct County {
    code: &'static str,
    name: &'static str,
    city: usize,
    terrains: &'static [&'static str],
    projects: usize,
}

const COUNTIES: [County; 12] = [
    County {
        code: "0101",
        name: "鹤汀县",
        city: 0,
        terrains: &["平原"],
        projects: 5,
    },
    County {
        code: "0102",
        name: "枫渡县",
        city: 0,
        terrains: &["平原"],
        projects: 3,
    },
    County {
        code: "0103",
        name: "澜坪县",
        city: 0,
        terrains: &["平原", "丘陵"],
        projects: 4,
    },
    County {
        code: "0201",
        name: "苇塘县",
        city: 1,
        terrains: &["丘陵"],
        projects: 4,
    },
    County {
        code: "0202",
        name: "石罗县",
        city: 1,
        terrains: &["丘陵"],
        projects: 3,
    },
    County {
        code: "0203",
        name: "沄水县",
        city: 1,
        terrains: &["丘陵", "山区"],
        projects: 2,
    },
    County {
        code: "0301",
        name: "雾岭县",
        city: 2,
        terrains: &["山区"],
        projects: 4,
    },
    County {
        code: "0302",
        name: "杉坳县",
        city: 2,
        terrains: &["山区", "丘陵"],
        projects: 3,
    },
    County {
        code: "0401",
        name: "稻溪县",
        city: 3,
        terrains: &["平原"],
        projects: 3,
    },
    County {
        code: "0402",
        name: "芰湖县",
        city: 3,
        terrains: &["平原", "丘陵"],
        projects: 3,
    },
    County {
        code: "0501",
        name: "桐沣县",
        city: 4,
        terrains: &["丘陵", "平原"],
        projects: 3,
    },
    County {
        code: "0502",
        name: "麦垄县",
        city: 4,
        terrains: &["山区", "丘陵"],
        projects: 3,
    },
];

const TOWN_FIRST: [&str; 40] = [
    "柳", "桂", "荷", "杏", "梨", "竹", "菱", "蒲", "芦", "枫", "槐", "榆", "桑", "柘", "莲", "橘", "茶", "稻", "禾",
    "麦", "凤", "鹿", "鹤", "雁", "鹭", "燕", "龙", "虎", "白", "青", "石", "金", "银", "云", "霞", "清", "安", "永",
    "兴", "平",
];
const TOWN_SECOND: [&str; 20] = [
    "塘", "桥", "坝", "坪", "湾", "岗", "溪", "铺", "庄", "集", "口", "渡", "源", "冲", "垭", "湖", "田", "岭", "埠",
    "阳",
];

/// Fresh township names, unique in the province.
struct Towns {
    rng: Rng,
    used: BTreeSet<String>,
}

impl Towns {
    fn fresh(&mut self, terrain: &str) -> String {
        loop {
            let a = *self.rng.pick(&TOWN_FIRST);
            let b = *self.rng.pick(&TOWN_SECOND);
            if a == b {
                continue;
            }
            let p_xiang = if terrain == "山区" { 0.5 } else { 0.25 };
            let suffix = if self.rng.chance(p_xiang) { "乡" } else { "镇" };
            let name = format!("{a}{b}{suffix}");
            let stem = format!("{a}{b}");
            if self.used.iter().any(|u| u.starts_with(&stem)) {
                continue;
            }
            self.used.insert(name.clone());
            return name;
        }
    }
}

// ------------------------------------------------------------------ special cases

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Breach {
    FarmlandDecreased,
    PbfOverAdjusted,
    ConstructionIncreased,
    MapWork,
    Coefficient,
    QualityFell,
    RedlineReduced,
    ForcedDemolition,
    HiddenDebt,
}

impl Breach {
    fn veto_id(self) -> &'static str {
        match self {
            Breach::FarmlandDecreased => "farmland_decreased",
            Breach::PbfOverAdjusted => "pbf_over_adjusted",
            Breach::ConstructionIncreased => "construction_increased",
            Breach::MapWork | Breach::Coefficient => "new_farmland_unmeasured",
            Breach::QualityFell => "quality_fell",
            Breach::RedlineReduced => "redline_reduced",
            Breach::ForcedDemolition => "forced_demolition",
            Breach::HiddenDebt => "hidden_debt",
        }
    }
}

#[derive(Default, Clone)]
struct Spec {
    breach: Option<Breach>,
    /// gep_before/after, satisfaction and village_land_pc_* left blank.
    missing: bool,
    /// ≥ 40 fund lines.
    long_funds: bool,
    /// 图斑明细 rows, with this terrain.
    patches: Option<&'static str>,
    /// 土地利用结构 rows.
    landuse: bool,
    /// New farmland taken from ponds and wetland: ESV falls.
    esv_tension: bool,
    /// Not yet accepted (accepted_on blank).
    not_accepted: bool,
    /// Declared surplus quota a little above reclaimed − rebuilt.
    surplus_off: bool,
}

/// The fixed special cases. Red-line breakers are placed at most two per
/// city and are otherwise good projects.
fn spec_for(pid: &str) -> Spec {
    let mut s = Spec::default();
    match pid {
        "QL-0102-01" => s.breach = Some(Breach::FarmlandDecreased),
        "QL-0201-02" => s.breach = Some(Breach::PbfOverAdjusted),
        "QL-0301-01" => s.breach = Some(Breach::ConstructionIncreased),
        "QL-0401-02" => s.breach = Some(Breach::MapWork),
        "QL-0501-01" => s.breach = Some(Breach::Coefficient),
        "QL-0203-01" => s.breach = Some(Breach::QualityFell),
        "QL-0402-01" => s.breach = Some(Breach::RedlineReduced),
        "QL-0302-02" => s.breach = Some(Breach::ForcedDemolition),
        "QL-0502-02" => s.breach = Some(Breach::HiddenDebt),
        "QL-0103-03" => {
            s.missing = true;
            s.landuse = true;
        }
        "QL-0202-01" => s.long_funds = true,
        "QL-0103-02" | "QL-0401-03" => s.patches = Some("平原"),
        "QL-0201-03" => s.patches = Some("丘陵"),
        "QL-0101-03" | "QL-0402-02" => s.landuse = true,
        "QL-0301-02" => {
            s.landuse = true;
            s.esv_tension = true;
        }
        "QL-0203-02" | "QL-0302-03" | "QL-0502-03" => s.not_accepted = true,
        "QL-0102-03" | "QL-0301-03" | "QL-0501-02" => s.surplus_off = true,
        _ => {}
    }
    s
}

// ------------------------------------------------------------------ funds

const FISCAL: [&str; 5] = ["中央财政", "省级财政", "市县财政", "地方政府专项债券", "超长期特别国债"];

/// (source category, channel, department); channel names are unique.
const CATALOG: [(&str, &str, &str); 22] = [
    ("中央财政", "高标准农田建设补助资金", "农业农村局"),
    ("中央财政", "水利发展资金", "水利局"),
    ("中央财政", "农村综合改革转移支付资金", "财政局"),
    ("省级财政", "土地整理复垦资金", "自然资源局"),
    ("省级财政", "生态保护修复专项资金", "自然资源局"),
    ("省级财政", "林业草原生态保护恢复资金", "林业局"),
    ("省级财政", "农村人居环境整治资金", "住建局"),
    ("市县财政", "农田水利设施建设资金", "水利局"),
    ("市县财政", "四好农村路建设资金", "交通运输局"),
    ("市县财政", "农村危旧房改造资金", "住建局"),
    ("市县财政", "增减挂钩指标收益", "自然资源局"),
    ("市县财政", "土地出让收入用于农业农村资金", "财政局"),
    ("市县财政", "衔接推进乡村振兴补助资金", "农业农村局"),
    ("地方政府专项债券", "乡村振兴专项债券资金", "发改局"),
    ("超长期特别国债", "超长期特别国债高标准农田建设资金", "发改局"),
    ("政策性金融", "政策性银行贷款", "财政局"),
    ("商业金融", "商业银行乡村振兴贷款", "地方金融管理局"),
    ("社会资本", "企业投资", "发改局"),
    ("社会资本", "农业产业化龙头企业投资", "农业农村局"),
    ("社会资本", "文旅企业投资", "文化广电旅游局"),
    ("村集体及群众自筹", "村集体经济组织自筹", "农业农村局"),
    ("村集体及群众自筹", "群众投工投劳折资", "乡镇人民政府"),
];

fn is_fiscal(source: &str) -> bool {
    FISCAL.contains(&source)
}

/// Random fund lines: `lines` channels; leverage grows with quality.
fn random_funds(p: &mut Project, rng: &mut Rng, q: f64, lines: usize, long: bool) {
    let fiscal: Vec<usize> = (0..CATALOG.len()).filter(|&i| is_fiscal(CATALOG[i].0)).collect();
    let other: Vec<usize> = (0..CATALOG.len()).filter(|&i| !is_fiscal(CATALOG[i].0)).collect();
    let n_other = ((rng.jit(q, 0.25) * 3.4).floor() as usize)
        .min(lines - 1)
        .min(other.len());
    let n_fiscal = (lines - n_other).min(fiscal.len());
    let mut f = fiscal[1..].to_vec();
    rng.shuffle(&mut f);
    let mut chosen = vec![fiscal[0]];
    chosen.extend(f.into_iter().take(n_fiscal - 1));
    let mut o = other.clone();
    rng.shuffle(&mut o);
    chosen.extend(o.into_iter().take(n_other));
    chosen.sort_unstable();

    // (catalog index, planned) per line
    let mut planned: Vec<(usize, f64)> = Vec::new();
    if long {
        // A long ledger: each channel appears in several batches (年度、批次).
        for &c in &chosen {
            planned.push((c, 0.0));
        }
        while planned.len() < 44 {
            let c = *rng.pick(&chosen);
            planned.push((c, 0.0));
        }
        planned.sort_by_key(|(c, _)| *c);
        for line in planned.iter_mut() {
            line.1 = round_to(rng.log_range(100.0, 1500.0), 10.0);
        }
    } else {
        let leverage = 1.5 * rng.jit(q, 0.2);
        let fiscal_sum: f64 = chosen
            .iter()
            .filter(|&&c| is_fiscal(CATALOG[c].0))
            .map(|&c| {
                let v = round_to(rng.log_range(300.0, 5000.0), 10.0);
                planned.push((c, v));
                v
            })
            .sum();
        let fin_social: Vec<usize> = chosen
            .iter()
            .copied()
            .filter(|&c| matches!(CATALOG[c].0, "政策性金融" | "商业金融" | "社会资本"))
            .collect();
        for &c in &chosen {
            match CATALOG[c].0 {
                "政策性金融" | "商业金融" | "社会资本" => {
                    let share = leverage * fiscal_sum / fin_social.len() as f64;
                    let v = round_to((share * rng.range(0.85, 1.15)).clamp(100.0, 8000.0), 10.0);
                    planned.push((c, v));
                }
                "村集体及群众自筹" => planned.push((c, round_to(rng.range(100.0, 600.0), 10.0))),
                _ => {}
            }
        }
        planned.sort_by_key(|(c, _)| *c);
    }
    for (c, v) in planned {
        let (source, channel, dept) = CATALOG[c];
        let in_place = r2(v * (0.70 + 0.30 * rng.jit(q, 0.1)).min(0.98));
        let spent = r2(in_place * (0.60 + 0.40 * rng.jit(q, 0.1)).min(0.96));
        p.fund(source, channel, dept, v, in_place, spent);
    }
}

fn fund_totals(p: &Project) -> (f64, f64, f64) {
    let rows = p.data.get("funds").map(Vec::as_slice).unwrap_or_default();
    let sum = |k: &str| rows.iter().filter_map(|r| r.get_num(k)).sum::<f64>();
    (sum("fund_planned"), sum("fund_in_place"), sum("fund_spent"))
}

// ------------------------------------------------------------------ dates

fn date_in(rng: &mut Rng, years: (i64, i64), last_month_of_last_year: i64) -> String {
    let y = rng.int(years.0, years.1);
    let m = if y == years.1 {
        rng.int(1, last_month_of_last_year)
    } else {
        rng.int(1, 12)
    };
    let d = rng.int(1, 28);
    format!("{y}-{m:02}-{d:02}")
}

// ------------------------------------------------------------------ hand-crafted projects

const CONTENT: [&str; 5] = ["农用地整治", "建设用地整理", "生态保护修复", "乡村风貌", "产业导入"];

fn exemplar() -> Project {
    let c = &COUNTIES[0];
    let mut p = Project::new("QL-0101-01".into(), 0, "平原");
    p.name = format!("{}堃山镇喆溪乡全域土地综合整治项目", c.name);
    let name = p.name.clone();
    p.row("ledger")
        .text("project_name", &name)
        .text("city", CITIES[c.city])
        .text("county", c.name)
        .text("townships", "堃山镇、喆溪乡")
        .text("terrain", "平原")
        .num("area_total", 12000.0)
        .date("approved_on", "2022-03-15")
        .date("accepted_on", "2025-06-30")
        .num("investment_planned", 9000.0)
        .text("content_types", &CONTENT.join("、"));
    p.row("farmland")
        .num("farmland_before", 6000.0)
        .num("farmland_after", 6800.0)
        .num("new_farmland", 800.0)
        .text("new_farmland_method", "实测")
        .num("farmland_patches_before", 10000.0)
        .num("farmland_patches_after", 5800.0)
        .num("fields_100mu_before", 5.0)
        .num("fields_100mu_after", 30.0)
        .num("max_block_area_after", 1200.0)
        .num("pbf_before", 5000.0)
        .num("pbf_after", 5300.0)
        .num("pbf_township_total", 40000.0)
        .num("pbf_adjusted", 400.0)
        .num("quality_grade_before", 7.0)
        .num("quality_grade_after", 6.2)
        .num("hsf_built", 5000.0);
    p.row("construction")
        .num("construction_before", 2000.0)
        .num("construction_after", 1700.0)
        .num("reclaimed_area", 400.0)
        .num("rebuilt_area", 100.0)
        .num("surplus_quota", 300.0)
        .num("supplementary_quota", 800.0)
        .num("quota_traded", 200.0)
        .num("quota_revenue", 8000.0)
        .num("village_land_pc_before", 200.0)
        .num("village_land_pc_after", 160.0)
        .num("idle_land_revitalised", 60.0)
        .num("collective_land_listed", 35.0);
    p.row("ecology")
        .num("restored_area", 1500.0)
        .num("gep_before", 20.0)
        .num("gep_after", 25.6)
        .num("redline_before", 3000.0)
        .num("redline_after", 3100.0)
        .num("erosion_controlled", 800.0);
    p.row("process")
        .num("schedule_completion", 100.0)
        .num("subprojects_total", 12.0)
        .num("subprojects_accepted", 12.0)
        .num("villager_consent", 98.0)
        .num("satisfaction", 97.0)
        .flag("villager_reps_in_acceptance", true)
        .num("negative_list_issues", 0.0)
        .num("audit_issues", 0.0)
        .num("complaints_verified", 0.0)
        .flag("maintenance_funded", true)
        .flag("registered_in_system", true)
        .flag("forced_demolition", false)
        .flag("hidden_debt", false);
    p.row("livelihood")
        .num("farmer_income_growth", 12.0)
        .num("collective_income_growth", 30.0)
        .num("industry_projects", 2.0)
        .num("social_investment", 5000.0);
    p.row("plan")
        .num("new_farmland_planned", 800.0)
        .num("hsf_planned", 5000.0)
        .num("reclaimed_area_planned", 400.0)
        .num("restored_area_planned", 1000.0)
        .num("surplus_quota_planned", 300.0);
    p.row("self_score").num("self_score_total", 96.0);
    for (s, ch, d, v) in [
        ("中央财政", "高标准农田建设补助资金", "农业农村局", 2000.0),
        ("省级财政", "土地整理复垦资金", "自然资源局", 1500.0),
        ("市县财政", "农田水利设施建设资金", "水利局", 1000.0),
        ("地方政府专项债券", "农村人居环境整治资金", "住建局", 500.0),
        ("政策性金融", "政策性银行贷款", "财政局", 2500.0),
        ("社会资本", "企业投资", "发改局", 2500.0),
    ] {
        p.fund(s, ch, d, v, v, v);
    }
    p
}

fn ordinary(towns: &mut Towns) -> Project {
    let c = &COUNTIES[0];
    let mut p = Project::new("QL-0101-02".into(), 0, "丘陵");
    let town = towns.fresh("丘陵");
    p.name = format!("{}{}全域土地综合整治项目", c.name, town);
    let name = p.name.clone();
    p.row("ledger")
        .text("project_name", &name)
        .text("city", CITIES[c.city])
        .text("county", c.name)
        .text("townships", &town)
        .text("terrain", "丘陵")
        .num("area_total", 25000.0)
        .date("approved_on", "2022-06-01")
        .date("accepted_on", "2025-05-20")
        .num("investment_planned", 2000.0)
        .text("content_types", &CONTENT[..3].join("、"));
    p.row("farmland")
        .num("farmland_before", 9000.0)
        .num("farmland_after", 9300.0)
        .num("new_farmland", 300.0)
        .text("new_farmland_method", "实测")
        .num("farmland_patches_before", 4000.0)
        .num("farmland_patches_after", 3000.0)
        .num("fields_100mu_before", 2.0)
        .num("fields_100mu_after", 12.0)
        .num("max_block_area_after", 400.0)
        .num("pbf_before", 7000.0)
        .num("pbf_after", 7000.0)
        .num("pbf_township_total", 30000.0)
        .num("pbf_adjusted", 300.0)
        .num("quality_grade_before", 7.5)
        .num("quality_grade_after", 7.2)
        .num("hsf_built", 2000.0);
    p.row("construction")
        .num("construction_before", 3000.0)
        .num("construction_after", 2700.0)
        .num("reclaimed_area", 400.0)
        .num("rebuilt_area", 100.0)
        .num("surplus_quota", 300.0)
        .num("supplementary_quota", 300.0)
        .num("quota_traded", 100.0)
        .num("quota_revenue", 3000.0)
        .num("village_land_pc_before", 150.0)
        .num("village_land_pc_after", 135.0)
        .num("idle_land_revitalised", 20.0);
    p.row("ecology")
        .num("restored_area", 500.0)
        .num("gep_before", 20.0)
        .num("gep_after", 22.0)
        .num("redline_before", 2000.0)
        .num("redline_after", 2000.0);
    p.row("process")
        .num("schedule_completion", 90.0)
        .num("subprojects_total", 10.0)
        .num("subprojects_accepted", 8.0)
        .num("villager_consent", 92.0)
        .num("satisfaction", 90.0)
        .flag("villager_reps_in_acceptance", true)
        .num("negative_list_issues", 0.0)
        .num("audit_issues", 1.0)
        .num("complaints_verified", 0.0)
        .flag("maintenance_funded", false)
        .flag("registered_in_system", true)
        .flag("forced_demolition", false)
        .flag("hidden_debt", false);
    p.row("livelihood")
        .num("farmer_income_growth", 6.0)
        .num("collective_income_growth", 8.0)
        .num("industry_projects", 0.0);
    p.row("plan")
        .num("new_farmland_planned", 400.0)
        .num("reclaimed_area_planned", 400.0)
        .num("restored_area_planned", 500.0)
        .num("surplus_quota_planned", 400.0);
    p.fund("中央财政", "高标准农田建设补助资金", "农业农村局", 1000.0, 900.0, 720.0);
    p.fund("省级财政", "土地整理复垦资金", "自然资源局", 600.0, 540.0, 432.0);
    p.fund("社会资本", "企业投资", "发改局", 400.0, 360.0, 288.0);
    p
}

// ------------------------------------------------------------------ random projects

/// What the patch detail must agree with, decided before the summary.
struct PatchPlan {
    before: Vec<i64>,
    after: Vec<i64>,
}

/// Patch areas (hundredths of a mu): the fixed `bigs` plus small patches below
/// `cap_c`, `n` in all, summing exactly to `total_c`.
fn patch_areas(rng: &mut Rng, total_c: i64, n: usize, bigs: &[i64], cap_c: i64) -> Vec<i64> {
    let m = n - bigs.len();
    let rest = total_c - bigs.iter().sum::<i64>();
    let lo = 10i64; // 0.1 亩
    assert!(
        rest > 3 * lo * m as i64 && rest < cap_c * m as i64 / 4,
        "patch budget {rest} over {m}"
    );
    let raw: Vec<f64> = (0..m).map(|_| (0.85 * rng.normal()).exp()).collect();
    let mut k = rest as f64 / raw.iter().sum::<f64>();
    for _ in 0..200 {
        let s: f64 = raw.iter().map(|r| (r * k).clamp(lo as f64, cap_c as f64)).sum();
        k *= rest as f64 / s;
    }
    let mut small: Vec<i64> = raw
        .iter()
        .map(|r| (r * k).clamp(lo as f64, cap_c as f64).round() as i64)
        .collect();
    let mut diff = rest - small.iter().sum::<i64>();
    let mut i = 0usize;
    while diff != 0 {
        let step = diff.signum();
        let v = small[i % m] + step;
        if (lo..=cap_c).contains(&v) {
            small[i % m] = v;
            diff -= step;
        }
        i += 1;
    }
    let mut all = bigs.to_vec();
    all.extend(small);
    rng.shuffle(&mut all);
    all
}

/// Summary figures and detail for a project with 图斑明细.
fn plan_patches(rng: &mut Rng, q: f64, f_before: f64, f_after: f64, terrain: &str) -> PatchPlan {
    let avg = if terrain == "平原" {
        rng.range(3.0, 5.0)
    } else {
        rng.range(2.2, 4.0)
    };
    let n_before = ((f_before / avg).round() as usize).clamp(1100, 2500);
    let reduction = 0.12 + 0.26 * rng.jit(q, 0.12);
    let n_after = (n_before as f64 * (1.0 - reduction)).round() as usize;
    // Contiguous fields are all ≥ 100 亩 and ordinary patches < 45 亩, so the
    // count is the same with the plains (100 亩) and hills (50 亩) threshold.
    let k_before = rng.int(1, 5) as usize;
    let big_before: Vec<i64> = (0..k_before).map(|_| cents(rng.range(100.5, 180.0))).collect();
    let max_block = cents(f_after * rng.range(0.07, 0.12));
    let wanted = k_before + 3 + (12.0 * rng.jit(q, 0.15)).round() as usize;
    let mut big_after = vec![max_block];
    while big_after.len() < wanted {
        big_after.push(cents(rng.log_range(100.5, 240.0)));
    }
    while big_after.iter().sum::<i64>() as f64 > 0.45 * f_after * 100.0 && big_after.len() > k_before + 3 {
        big_after.pop();
    }
    let cap = 4500;
    PatchPlan {
        before: patch_areas(rng, cents(f_before), n_before, &big_before, cap),
        after: patch_areas(rng, cents(f_after), n_after, &big_after, cap),
    }
}

fn write_patches(p: &mut Project, rng: &mut Rng, plan: &PatchPlan) {
    let classes: &[(&str, f64)] = if p.terrain == "平原" {
        &[("水田", 0.5), ("水浇地", 0.3), ("旱地", 0.2)]
    } else {
        &[("水田", 0.45), ("旱地", 0.45), ("水浇地", 0.1)]
    };
    let w: Vec<f64> = classes.iter().map(|c| c.1).collect();
    for (stage, tag, areas) in [("整治前", "Q", &plan.before), ("整治后", "H", &plan.after)] {
        for (i, a) in areas.iter().enumerate() {
            let class = classes[rng.weighted(&w)].0;
            let id = format!("{}-{tag}{:05}", p.id, i + 1);
            p.push("patches")
                .text("patch_stage", stage)
                .text("patch_id", &id)
                .text("patch_class", class)
                .num("patch_area", from_cents(*a));
        }
    }
}

const LANDUSE_OTHER: [&str; 7] = ["园地", "林地", "草地", "湿地", "坑塘水面", "河流水面", "未利用地"];

/// 土地利用结构: 耕地 (= 水田 + 旱地, a subtotal), other classes, 建设用地;
/// the classes other than 水田/旱地 sum exactly to area_total before and after.
fn write_landuse(p: &mut Project, rng: &mut Rng, tension: bool) {
    let area = cents(p.n("ledger", "area_total"));
    let (fb, fa) = (
        cents(p.n("farmland", "farmland_before")),
        cents(p.n("farmland", "farmland_after")),
    );
    let (cb, ca) = (
        cents(p.n("construction", "construction_before")),
        cents(p.n("construction", "construction_after")),
    );
    let restored = cents(p.n("ecology", "restored_area"));
    let weights: [f64; 7] = match p.terrain {
        "平原" => [0.08, 0.25, 0.05, 0.06, 0.22, 0.14, 0.20],
        "丘陵" => [0.12, 0.50, 0.10, 0.03, 0.10, 0.05, 0.10],
        _ => [0.08, 0.62, 0.12, 0.03, 0.06, 0.03, 0.06],
    };
    let w: Vec<f64> = weights.iter().map(|x| x * rng.range(0.7, 1.3)).collect();
    let wsum: f64 = w.iter().sum();
    let rest = area - fb - cb;
    assert!(rest > 0);
    let mut before: Vec<i64> = w.iter().map(|x| (rest as f64 * x / wsum).round() as i64).collect();
    before[1] += rest - before.iter().sum::<i64>(); // 林地 absorbs rounding
    let mut after = before.clone();
    // Farmland gain comes from these classes (index, share).
    let gain = fa - fb;
    let sources: &[(usize, f64)] = if tension {
        &[(4, 0.5), (3, 0.3), (1, 0.2)]
    } else {
        &[(6, 0.5), (2, 0.3), (0, 0.2)]
    };
    let mut left = gain;
    for &(i, share) in sources {
        let take = ((gain as f64 * share).round() as i64).min(after[i] * 9 / 10).max(0);
        after[i] -= take;
        left -= take;
    }
    after[1] -= left;
    // Land freed from construction.
    let freed = cb - ca;
    if tension {
        after[2] += freed;
    } else {
        after[1] += freed / 2;
        after[0] += freed / 5;
        after[2] += freed - freed / 2 - freed / 5;
        // Restoration turns some unused land into forest and wetland.
        let x = (after[6] * 3 / 10).min(restored / 5);
        after[6] -= x;
        after[1] += x / 2;
        after[3] += x - x / 2;
    }
    after[1] += area - fa - ca - after.iter().sum::<i64>();
    assert!(after.iter().all(|&x| x > 0), "{}: landuse {after:?}", p.id);
    let paddy_share = match p.terrain {
        "平原" => rng.range(0.5, 0.65),
        "丘陵" => rng.range(0.4, 0.5),
        _ => rng.range(0.25, 0.35),
    };
    let pb = (fb as f64 * paddy_share).round() as i64;
    let pa = (fa as f64 * (paddy_share + rng.range(0.0, 0.03))).round() as i64;
    let mut rows: Vec<(&str, i64, i64)> = vec![("耕地", fb, fa), ("水田", pb, pa), ("旱地", fb - pb, fa - pa)];
    for (i, name) in LANDUSE_OTHER.iter().enumerate().take(6) {
        rows.push((*name, before[i], after[i]));
    }
    rows.push(("建设用地", cb, ca));
    rows.push((LANDUSE_OTHER[6], before[6], after[6]));
    for (name, b, a) in rows {
        p.push("landuse")
            .text("landuse_class", name)
            .num("landuse_before", from_cents(b))
            .num("landuse_after", from_cents(a));
    }
}

fn random_project(ci: usize, seq: usize, towns: &mut Towns) -> Project {
    let c = &COUNTIES[ci];
    let id = format!("QL-{}-{seq:02}", c.code);
    let spec = spec_for(&id);
    let mut rng = Rng::new(SEED ^ (ci as u64 * 100 + seq as u64).wrapping_mul(0xD1B5_4A32_D192_ED03));
    let terrain: &'static str = spec.patches.unwrap_or_else(|| *rng.pick(c.terrains));
    let mut p = Project::new(id, ci, terrain);
    let q = if spec.breach.is_some() {
        rng.range(0.93, 1.0)
    } else if spec.missing {
        0.7
    } else {
        rng.range(0.30, 0.80)
    };
    // Red-line breakers are otherwise the best projects of their city, yet no
    // random project reaches full marks of the national model: a few
    // indicators always stay just below their targets (consent < 95%,
    // satisfaction < 95%, patch reduction < 40%, GEP growth < 25%, village-land
    // saving < 15%, fewer than 20 fields added, funds not all in place or
    // spent) and breakers cover a single township (no cross-township bonus).
    let good = spec.breach.is_some();

    // ---- ledger
    let n_towns = if spec.patches.is_some() || good {
        1
    } else {
        1 + rng.weighted(&[0.45, 0.35, 0.20])
    };
    let townships: Vec<String> = (0..n_towns).map(|_| towns.fresh(terrain)).collect();
    p.name = format!(
        "{}{}全域土地综合整治项目",
        c.name,
        townships.iter().take(2).cloned().collect::<String>()
    );
    let area = if spec.patches.is_some() {
        r2(rng.range(15000.0, 25000.0))
    } else {
        r2(match terrain {
            "平原" => rng.log_range(40000.0, 150000.0),
            "丘陵" => rng.log_range(25000.0, 100000.0),
            _ => rng.log_range(15000.0, 70000.0),
        })
    };
    let mut content = vec![CONTENT[0], CONTENT[1]];
    let eco = rng.chance(0.8) || good;
    if eco {
        content.push(CONTENT[2]);
    }
    for t in &CONTENT[3..] {
        if rng.chance(0.5) {
            content.push(t);
        }
    }
    let approved = date_in(&mut rng, (2021, 2023), 12);
    let accepted = date_in(&mut rng, (2024, 2025), 9);

    // ---- farmland
    let f_before = if spec.patches.is_some() {
        r2(rng.range(4500.0, 8000.0))
    } else {
        let frac = match terrain {
            "平原" => rng.range(0.35, 0.55),
            "丘陵" => rng.range(0.25, 0.40),
            _ => rng.range(0.15, 0.30),
        };
        r2((area * frac).clamp(5000.0, 60000.0))
    };
    let new_farmland = r2(f_before * rng.range(0.015, 0.06));
    let mut f_after = r2(f_before + new_farmland * (1.0 - rng.range(0.0, 0.1)));
    let patch_plan = spec.patches.map(|t| plan_patches(&mut rng, q, f_before, f_after, t));
    let (np_before, np_after, k_before, k_after, max_block) = match &patch_plan {
        Some(pp) => {
            let big = |v: &[i64]| v.iter().filter(|&&a| a >= 10000).count();
            (
                pp.before.len(),
                pp.after.len(),
                big(&pp.before),
                big(&pp.after),
                from_cents(*pp.after.iter().max().expect("patches")),
            )
        }
        None => {
            let avg = match terrain {
                "平原" => rng.range(4.0, 8.0),
                "丘陵" => rng.range(2.5, 5.0),
                _ => rng.range(2.0, 3.5),
            };
            let nb = (f_before / avg).round() as usize;
            let reduction = 0.10 + 0.28 * rng.jit(q, 0.12);
            let na = (nb as f64 * (1.0 - reduction)).round() as usize;
            let kb = if terrain == "山区" {
                rng.int(0, 4)
            } else {
                rng.int(0, 10)
            } as usize;
            let ka = kb + 3 + (16.0 * rng.jit(q, 0.15)).round() as usize;
            let mb = match terrain {
                "平原" => rng.log_range(400.0, 3000.0),
                "丘陵" => rng.log_range(200.0, 1200.0),
                _ => rng.log_range(150.0, 600.0),
            };
            (nb, na, kb, ka, r2(mb.min(f_after * 0.3)))
        }
    };
    let pbf_before = r2(f_before * rng.range(0.6, 0.9));
    let pbf_after = r2(pbf_before * (1.0 + rng.range(0.0, 0.04)));
    let pbf_township = r2(pbf_before * rng.range(1.5, 4.0));
    let mut pbf_adjusted = if rng.chance(0.2) {
        0.0
    } else {
        r2(pbf_township * rng.range(0.002, 0.04))
    };
    let q_before = r1(rng.range(5.0, 9.0));
    let mut q_after = r1(q_before - r1(rng.range(0.1, 1.0)).max(0.1));
    let hsf = (f_after * rng.range(0.2, 0.6)).clamp(1000.0, 20000.0).round();

    // ---- construction
    let c_before = r2((area * rng.range(0.04, 0.10)).clamp(1000.0, 10000.0));
    let reclaimed = r2((c_before * rng.range(0.03, 0.25)).clamp(30.0, 2500.0));
    let rebuilt = r2(reclaimed * rng.range(0.10, 0.35));
    let surplus = r2(reclaimed - rebuilt);
    let surplus_declared = if spec.surplus_off {
        r2(surplus * rng.range(1.02, 1.06))
    } else {
        surplus
    };
    let mut c_after = r2(c_before - surplus * rng.range(0.6, 1.0));
    let supplementary = r2(new_farmland * rng.range(0.9, 1.0));
    let traded = if rng.chance(0.2) {
        0.0
    } else {
        r2(surplus * rng.range(0.1, 0.9))
    };
    let revenue = r1(traded * rng.range(20.0, 60.0));
    let vl_before = r1(rng.range(150.0, 260.0));
    let saving = 0.03 + 0.11 * rng.jit(q, 0.15);
    let vl_after = r1(vl_before * (1.0 - saving));

    // ---- ecology
    let restored = if eco {
        r2((area * (0.01 + 0.14 * rng.jit(q, 0.15))).clamp(200.0, 15000.0))
    } else {
        r2(rng.range(200.0, 800.0))
    };
    let gep_scale = if terrain == "山区" { 1.5 } else { 1.0 };
    let gep_before = r2((area / 10000.0 * rng.range(2.0, 10.0) * gep_scale).clamp(5.0, 160.0));
    let growth = -0.05 + 0.28 * rng.jit(q, 0.15);
    let gep_after = r2(gep_before * (1.0 + growth));
    let red_before = r2(area
        * match terrain {
            "平原" => rng.range(0.01, 0.06),
            "丘陵" => rng.range(0.03, 0.15),
            _ => rng.range(0.10, 0.30),
        });
    let mut red_after = if rng.chance(0.5) {
        red_before
    } else {
        r2(red_before * (1.0 + rng.range(0.0, 0.03)))
    };

    // ---- process
    let schedule = if q > 0.9 && rng.chance(0.5) {
        100.0
    } else {
        r1((75.0 + 25.0 * rng.jit(q, 0.1)).min(100.0))
    };
    let sub_total = rng.int(4, 15) as f64;
    let sub_accepted = (sub_total * (0.6 + 0.4 * rng.jit(q, 0.1))).round().min(sub_total);
    let consent = r1(82.0 + 12.9 * rng.jit(q, 0.15));
    let satisfaction = if good {
        r1(rng.range(90.0, 94.0))
    } else {
        r1(78.0 + 15.0 * rng.jit(q, 0.15))
    };
    let yes = |rng: &mut Rng, p_no: f64| good || !rng.chance(p_no);
    let reps = yes(&mut rng, 0.05 + 0.15 * (1.0 - q));
    let maintenance = yes(&mut rng, 0.05 + 0.25 * (1.0 - q));
    let registered = yes(&mut rng, 0.03 + 0.12 * (1.0 - q));
    let count = |rng: &mut Rng, p: f64, max: i64| {
        if !good && rng.chance(p) {
            rng.int(1, max) as f64
        } else {
            0.0
        }
    };
    let negative = count(&mut rng, 0.15 * (1.0 - q), 2);
    let audit = count(&mut rng, 0.05 + 0.35 * (1.0 - q), 3);
    let complaints = count(&mut rng, 0.25 * (1.0 - q), 2);

    // ---- red-line breach: one per breaker, the rest of the project is good
    let mut method = "实测";
    let mut forced = false;
    let mut debt = false;
    match spec.breach {
        Some(Breach::FarmlandDecreased) => f_after = r2(f_before - rng.range(80.0, 200.0)),
        Some(Breach::PbfOverAdjusted) => pbf_adjusted = r2(pbf_township * 0.07),
        Some(Breach::ConstructionIncreased) => c_after = r2(c_before * (1.0 + rng.range(0.02, 0.05))),
        Some(Breach::MapWork) => method = "图上作业",
        Some(Breach::Coefficient) => method = "系数测算",
        Some(Breach::QualityFell) => q_after = r1(q_before + 0.3),
        Some(Breach::RedlineReduced) => red_after = r2(red_before * (1.0 - rng.range(0.02, 0.05))),
        Some(Breach::ForcedDemolition) => forced = true,
        Some(Breach::HiddenDebt) => debt = true,
        None => {}
    }

    // ---- write the per-project sheets
    let name = p.name.clone();
    {
        let r = p.row("ledger");
        r.text("project_name", &name)
            .text("city", CITIES[c.city])
            .text("county", c.name)
            .text("townships", &townships.join("、"))
            .text("terrain", terrain)
            .num("area_total", area)
            .date("approved_on", &approved)
            .text("content_types", &content.join("、"));
        if !spec.not_accepted {
            r.date("accepted_on", &accepted);
        }
    }
    p.row("farmland")
        .num("farmland_before", f_before)
        .num("farmland_after", f_after)
        .num("new_farmland", new_farmland)
        .text("new_farmland_method", method)
        .num("farmland_patches_before", np_before as f64)
        .num("farmland_patches_after", np_after as f64)
        .num("fields_100mu_before", k_before as f64)
        .num("fields_100mu_after", k_after as f64)
        .num("max_block_area_after", max_block)
        .num("pbf_before", pbf_before)
        .num("pbf_after", pbf_after)
        .num("pbf_township_total", pbf_township)
        .num("pbf_adjusted", pbf_adjusted)
        .num("quality_grade_before", q_before)
        .num("quality_grade_after", q_after)
        .num("hsf_built", hsf);
    {
        let idle = rng.chance(0.7).then(|| r2(rng.range(5.0, 200.0)));
        let listed = rng
            .chance(0.5)
            .then(|| if rng.chance(0.3) { 0.0 } else { r2(rng.range(2.0, 80.0)) });
        let r = p.row("construction");
        r.num("construction_before", c_before)
            .num("construction_after", c_after)
            .num("reclaimed_area", reclaimed)
            .num("rebuilt_area", rebuilt)
            .num("surplus_quota", surplus_declared)
            .num("supplementary_quota", supplementary)
            .num("quota_traded", traded)
            .num("quota_revenue", revenue);
        if !spec.missing {
            r.num("village_land_pc_before", vl_before)
                .num("village_land_pc_after", vl_after);
        }
        if let Some(x) = idle {
            r.num("idle_land_revitalised", x);
        }
        if let Some(x) = listed {
            r.num("collective_land_listed", x);
        }
    }
    {
        let erosion = if terrain == "平原" {
            rng.chance(0.3).then(|| r2(rng.range(100.0, 1000.0)))
        } else {
            Some(r2(rng.range(500.0, 8000.0)))
        };
        let mine = rng.chance(0.3).then(|| r2(rng.range(50.0, 1500.0)));
        let r = p.row("ecology");
        r.num("restored_area", restored);
        if !spec.missing {
            r.num("gep_before", gep_before).num("gep_after", gep_after);
        }
        r.num("redline_before", red_before).num("redline_after", red_after);
        if let Some(x) = erosion {
            r.num("erosion_controlled", x);
        }
        if let Some(x) = mine {
            r.num("mine_restored", x);
        }
    }
    {
        let r = p.row("process");
        r.num("schedule_completion", schedule)
            .num("subprojects_total", sub_total)
            .num("subprojects_accepted", sub_accepted)
            .num("villager_consent", consent);
        if !spec.missing {
            r.num("satisfaction", satisfaction);
        }
        r.flag("villager_reps_in_acceptance", reps)
            .num("negative_list_issues", negative)
            .num("audit_issues", audit)
            .num("complaints_verified", complaints)
            .flag("maintenance_funded", maintenance)
            .flag("registered_in_system", registered)
            .flag("forced_demolition", forced)
            .flag("hidden_debt", debt);
    }
    if good || rng.chance(0.85) {
        let industry = if content.contains(&"产业导入") {
            rng.int(1, 5)
        } else {
            rng.int(0, 2)
        } as f64;
        let farmer = r1(rng.range(3.0, 15.0));
        let collective = r1(rng.range(5.0, 40.0));
        let social = (industry > 0.0).then(|| round_to(rng.log_range(500.0, 30000.0), 10.0));
        let r = p.row("livelihood");
        r.num("farmer_income_growth", farmer)
            .num("collective_income_growth", collective)
            .num("industry_projects", industry);
        if let Some(x) = social {
            r.num("social_investment", x);
        }
    }

    // ---- funds (before the plan: funds_integrated_planned refers to them)
    let lines = if spec.long_funds {
        12
    } else if good {
        rng.int(7, 9) as usize
    } else {
        (3.0 + (6.0 * rng.jit(q, 0.2)).round()) as usize
    };
    random_funds(&mut p, &mut rng, q, lines, spec.long_funds);
    let (fund_planned, fund_in_place, _) = fund_totals(&p);
    p.row("ledger").num(
        "investment_planned",
        round_to(fund_planned * rng.range(0.95, 1.15), 10.0),
    );

    // ---- plan: actual 70–115% of target; some targets not set
    {
        let mut targets: Vec<(&str, f64, f64)> = vec![
            ("new_farmland_planned", new_farmland, 10.0),
            ("hsf_planned", hsf, 100.0),
            ("reclaimed_area_planned", reclaimed, 10.0),
            ("surplus_quota_planned", surplus, 10.0),
            ("fields_added_planned", (k_after - k_before) as f64, 1.0),
            ("funds_integrated_planned", fund_in_place, 100.0),
        ];
        if eco {
            targets.insert(3, ("restored_area_planned", restored, 10.0));
        }
        let mut values = Vec::new();
        for (k, actual, step) in targets {
            let set = good || rng.chance(0.85);
            let ratio = (0.70 + 0.45 * rng.jit(q, 0.15)).clamp(0.70, 1.15);
            if set && actual > 0.0 {
                values.push((k, round_to(actual / ratio, step)));
            }
        }
        let r = p.row("plan");
        for (k, v) in values {
            r.num(k, v);
        }
    }
    if rng.chance(0.5) {
        let s = r1((70.0 + 24.0 * rng.jit(q, 0.2) + rng.range(0.0, 4.0)).min(98.0));
        p.row("self_score").num("self_score_total", s);
    }

    // ---- detail sheets
    if let Some(pp) = &patch_plan {
        write_patches(&mut p, &mut rng, pp);
    }
    if spec.landuse {
        write_landuse(&mut p, &mut rng, spec.esv_tension);
    }
    p
}

// ------------------------------------------------------------------ checks

fn check(p: &Project) -> Result<()> {
    let id = &p.id;
    let spec = spec_for(id);
    for (sheet, rows) in &p.data {
        for r in rows {
            ensure!(
                r.get("project_id") == Some(&CellValue::Text(id.clone())),
                "{id}: row of {sheet} without project_id"
            );
        }
    }
    if let Some(s) = p.num("process", "satisfaction") {
        ensure!(id == "QL-0101-01" || s < 95.0, "{id}: satisfaction {s} ≥ 95");
    }
    let fb = p.n("farmland", "farmland_before");
    let fa = p.n("farmland", "farmland_after");
    let breach = spec.breach;
    ensure!(
        (fa < fb) == (breach == Some(Breach::FarmlandDecreased)),
        "{id}: farmland {fb} → {fa}"
    );
    let ratio = p.n("farmland", "pbf_adjusted") / p.n("farmland", "pbf_township_total");
    ensure!(
        (ratio > 0.05) == (breach == Some(Breach::PbfOverAdjusted)),
        "{id}: pbf ratio {ratio}"
    );
    let (cb, ca) = (
        p.n("construction", "construction_before"),
        p.n("construction", "construction_after"),
    );
    ensure!(
        (ca > cb) == (breach == Some(Breach::ConstructionIncreased)),
        "{id}: construction {cb} → {ca}"
    );
    let (qb, qa) = (
        p.n("farmland", "quality_grade_before"),
        p.n("farmland", "quality_grade_after"),
    );
    ensure!(
        (qa > qb) == (breach == Some(Breach::QualityFell)),
        "{id}: quality {qb} → {qa}"
    );
    let (rb, ra) = (p.n("ecology", "redline_before"), p.n("ecology", "redline_after"));
    ensure!(
        (ra < rb) == (breach == Some(Breach::RedlineReduced)),
        "{id}: redline {rb} → {ra}"
    );
    ensure!(
        p.n("farmland", "pbf_after") >= p.n("farmland", "pbf_before"),
        "{id}: pbf decreased"
    );
    let acc = p.n("process", "subprojects_accepted");
    ensure!(acc <= p.n("process", "subprojects_total"), "{id}: subprojects");
    let funds = p.rows("funds");
    ensure!(
        if spec.long_funds {
            funds >= 40
        } else {
            (3..=9).contains(&funds)
        },
        "{id}: {funds} fund lines"
    );
    if p.rows("patches") > 0 {
        let rows = &p.data["patches"];
        for (stage, np, area, k) in [
            ("整治前", "farmland_patches_before", fb, "fields_100mu_before"),
            ("整治后", "farmland_patches_after", fa, "fields_100mu_after"),
        ] {
            let areas: Vec<f64> = rows
                .iter()
                .filter(|r| r.get("patch_stage") == Some(&CellValue::Text(stage.into())))
                .filter_map(|r| r.get_num("patch_area"))
                .collect();
            ensure!(areas.len() as f64 == p.n("farmland", np), "{id}: {stage} patch count");
            ensure!(
                (600..=2500).contains(&areas.len()),
                "{id}: {stage} {} patches",
                areas.len()
            );
            let sum: f64 = areas.iter().sum();
            ensure!((sum - area).abs() < 0.005, "{id}: {stage} patch area {sum} ≠ {area}");
            let big = areas.iter().filter(|&&a| a >= 100.0).count();
            let big50 = areas.iter().filter(|&&a| a >= 50.0).count();
            ensure!(
                big as f64 == p.n("farmland", k) && big == big50,
                "{id}: {stage} contiguous fields"
            );
        }
        let max_after = rows
            .iter()
            .filter(|r| r.get("patch_stage") == Some(&CellValue::Text("整治后".into())))
            .filter_map(|r| r.get_num("patch_area"))
            .fold(0.0, f64::max);
        ensure!(max_after == p.n("farmland", "max_block_area_after"), "{id}: max block");
    }
    if p.rows("landuse") > 0 {
        let rows = &p.data["landuse"];
        for k in ["landuse_before", "landuse_after"] {
            let sum: f64 = rows
                .iter()
                .filter(|r| !matches!(r.get("landuse_class"), Some(CellValue::Text(c)) if c == "水田" || c == "旱地"))
                .filter_map(|r| r.get_num(k))
                .sum();
            let area = p.n("ledger", "area_total");
            ensure!(
                (sum - area).abs() < 0.005,
                "{id}: landuse {k} sums to {sum}, area {area}"
            );
        }
    }
    Ok(())
}

// ------------------------------------------------------------------ README

fn readme(projects: &[Project], sizes: &BTreeMap<String, u64>) -> String {
    let mut s = String::new();
    let w = &mut s;
    let total_kb: u64 = sizes.values().sum::<u64>() / 1024;
    let _ = writeln!(w, "# 样例数据：{PROVINCE}（虚构）\n");
    let _ = writeln!(
        w,
        "本目录为 landeval 的测试与演示数据，由 `cargo run --release --example make_fixtures` \
         以固定种子 {SEED} 生成（examples/make_fixtures.rs），重复运行得到逐字节相同的文件。\
         请勿手工修改，改动生成器后重新运行即可。\n"
    );
    let _ = writeln!(
        w,
        "{PROVINCE}及其下辖市（州）、县、乡镇、项目和全部数字均为**虚构**，如与真实地名雷同纯属巧合，\
         不代表任何真实项目的情况。全省 {} 个市（州）、{} 个县，共 {} 个全域土地综合整治项目；\
         每县一个标准工作簿（含字段字典中的全部工作表，只有本县项目的行），合计约 {total_kb} KB。\n",
        CITIES.len(),
        COUNTIES.len(),
        projects.len()
    );
    let _ = writeln!(w, "## 文件\n");
    let _ = writeln!(w, "| 文件 | 市（州） | 县代码 | 项目数 | 项目编号 |");
    let _ = writeln!(w, "|---|---|---|---|---|");
    for (ci, c) in COUNTIES.iter().enumerate() {
        let ids: Vec<&str> = projects
            .iter()
            .filter(|p| p.county == ci)
            .map(|p| p.id.as_str())
            .collect();
        let _ = writeln!(
            w,
            "| {}.xlsx | {} | {} | {} | {} |",
            c.name,
            CITIES[c.city],
            c.code,
            ids.len(),
            ids.join("、")
        );
    }
    let _ = writeln!(w);
    let _ = writeln!(w, "## 特殊项目\n");
    let _ = writeln!(
        w,
        "触碰红线的项目除该条红线外均为高分项目，用于验证“一票否决”会把本应入选的项目剔除。\n"
    );
    let _ = writeln!(w, "| 项目编号 | 类别 | 情况 |");
    let _ = writeln!(w, "|---|---|---|");
    for p in projects {
        let spec = spec_for(&p.id);
        let f = |k: &str| p.num("farmland", k).unwrap_or(f64::NAN);
        let mut lines: Vec<(String, String)> = Vec::new();
        if let Some(b) = spec.breach {
            let what = match b {
                Breach::FarmlandDecreased => {
                    format!(
                        "耕地减少：整治后耕地 {} 亩 < 整治前 {} 亩",
                        f("farmland_after"),
                        f("farmland_before")
                    )
                }
                Breach::PbfOverAdjusted => format!(
                    "永久基本农田调整 {} 亩，占所涉乡镇划定面积 {} 亩的 {:.1}%（> 5%）",
                    f("pbf_adjusted"),
                    f("pbf_township_total"),
                    100.0 * f("pbf_adjusted") / f("pbf_township_total")
                ),
                Breach::ConstructionIncreased => format!(
                    "建设用地增加：{} 亩 → {} 亩",
                    p.n("construction", "construction_before"),
                    p.n("construction", "construction_after")
                ),
                Breach::MapWork => format!("新增耕地 {} 亩以“图上作业”核定，未实测", f("new_farmland")),
                Breach::Coefficient => format!("新增耕地 {} 亩以“系数测算”核定，未实测", f("new_farmland")),
                Breach::QualityFell => format!(
                    "耕地质量下降：等别 {} → {}（数值变大）",
                    f("quality_grade_before"),
                    f("quality_grade_after")
                ),
                Breach::RedlineReduced => format!(
                    "生态保护红线减少：{} 亩 → {} 亩",
                    p.n("ecology", "redline_before"),
                    p.n("ecology", "redline_after")
                ),
                Breach::ForcedDemolition => "存在违背意愿拆迁：是".to_string(),
                Breach::HiddenDebt => "新增地方政府隐性债务：是".to_string(),
            };
            lines.push((format!("红线 `{}`", b.veto_id()), what));
        }
        if spec.missing {
            lines.push((
                "缺失值".into(),
                "整治前后 GEP、群众满意度、整治前后人均村庄建设用地留空；另有土地利用结构，可按当量因子法估算生态系统服务价值"
                    .into(),
            ));
        }
        if spec.long_funds {
            let ch: BTreeSet<String> = p.data["funds"]
                .iter()
                .filter_map(|r| match r.get("fund_channel") {
                    Some(CellValue::Text(t)) => Some(t.clone()),
                    _ => None,
                })
                .collect();
            lines.push((
                "长资金台账".into(),
                format!(
                    "{} 条资金记录（按年度、批次分列），{} 个不同资金渠道",
                    p.rows("funds"),
                    ch.len()
                ),
            ));
        }
        if spec.patches.is_some() {
            lines.push((
                "图斑明细".into(),
                format!(
                    "{}；整治前 {} 个图斑 / {} 亩，整治后 {} 个 / {} 亩；≥100 亩田块 {} → {} 个，最大 {} 亩；\
                     普通图斑均 < 45 亩，故按 50 亩或 100 亩门槛计数相同",
                    p.terrain,
                    f("farmland_patches_before"),
                    f("farmland_before"),
                    f("farmland_patches_after"),
                    f("farmland_after"),
                    f("fields_100mu_before"),
                    f("fields_100mu_after"),
                    f("max_block_area_after")
                ),
            ));
        }
        if spec.landuse {
            let what = if spec.esv_tension {
                "土地利用结构；新增耕地主要来自坑塘水面、湿地和林地，按当量因子法生态系统服务价值下降（GEP 仍填报）"
            } else {
                "土地利用结构（耕地 = 水田 + 旱地，为小计行；其余地类与耕地、建设用地之和等于整治区域面积）"
            };
            lines.push(("土地利用结构".into(), what.into()));
        }
        if spec.not_accepted {
            lines.push((
                "未验收".into(),
                "整体验收时间留空（尚未通过整体验收，不能入选示范）".into(),
            ));
        }
        if spec.surplus_off {
            let c = |k: &str| p.n("construction", k);
            lines.push((
                "节余指标不一致".into(),
                format!(
                    "申报节余指标 {} 亩 ≠ 拆旧复垦 {} − 安置及建新 {} = {:.2} 亩（数据质量警告）",
                    c("surplus_quota"),
                    c("reclaimed_area"),
                    c("rebuilt_area"),
                    c("reclaimed_area") - c("rebuilt_area")
                ),
            ));
        }
        for (kind, what) in lines {
            let _ = writeln!(w, "| {} | {kind} | {what} |", p.id);
        }
    }
    let _ = writeln!(w);
    let _ = writeln!(w, "## 手工设定的项目\n");
    let _ = writeln!(
        w,
        "以下两个项目（均在 {}.xlsx）的数值为手工设定、不随机，测试据此手算得分；两者均不触碰任何红线。\
         其余项目随机生成，群众满意度均低于 95%，不会偶然拿满分。\n",
        COUNTIES[0].name
    );
    for p in projects.iter().filter(|p| p.id == "QL-0101-01" || p.id == "QL-0101-02") {
        let label = if p.id == "QL-0101-01" {
            "标杆项目（各项指标满分）"
        } else {
            "普通项目"
        };
        let _ = writeln!(w, "### {} {}：{}\n", p.id, p.name, label);
        let _ = writeln!(w, "| 工作表 | 字段 |");
        let _ = writeln!(w, "|---|---|");
        for sheet in [
            "ledger",
            "farmland",
            "construction",
            "ecology",
            "process",
            "livelihood",
            "plan",
            "self_score",
        ] {
            let Some(row) = p.data.get(sheet).and_then(|r| r.first()) else {
                continue;
            };
            let cells: Vec<String> = row
                .iter()
                .filter(|(k, _)| *k != "project_id")
                .map(|(k, v)| {
                    let v = match v {
                        CellValue::Text(t) | CellValue::Date(t) => t.clone(),
                        CellValue::Number(x) => format!("{x}"),
                        CellValue::Bool(b) => (if *b { "是" } else { "否" }).into(),
                    };
                    format!("{k} = {v}")
                })
                .collect();
            let _ = writeln!(w, "| {sheet} | {} |", cells.join("；"));
        }
        let funds: Vec<String> = p.data["funds"]
            .iter()
            .map(|r| {
                let t = |k: &str| match r.get(k) {
                    Some(CellValue::Text(t)) => t.clone(),
                    _ => String::new(),
                };
                let n = |k: &str| r.get_num(k).unwrap_or(f64::NAN);
                format!(
                    "{} {} {} {}/{}/{}",
                    t("fund_source"),
                    t("fund_channel"),
                    t("fund_department"),
                    n("fund_planned"),
                    n("fund_in_place"),
                    n("fund_spent")
                )
            })
            .collect();
        let _ = writeln!(w, "| funds（计划/到位/支出，万元） | {} |", funds.join("；"));
        let _ = writeln!(w, "\n未列出的字段留空（不适用或未填报）。\n");
    }
    let _ = writeln!(w, "## 约定\n");
    let _ = writeln!(
        w,
        "- 面积单位为亩，金额为万元，GEP 为亿元；百分数字段按百分数填写（95 表示 95%）。\n\
         - 空白表示未填报或不适用，从不以 0 代替；0 表示确为零。\n\
         - 实施方案目标中部分项目未设定的任务留空，相应指标不适用。\n\
         - 图斑明细各阶段行数与农用地整治表的耕地图斑数完全一致，面积之和等于整治前后耕地面积（保留两位小数）。"
    );
    s
}

// ------------------------------------------------------------------ main

/// The 40 projects and each county's workbook rows, in county order
/// (shared with `make_messy`, which writes the same data the way counties type it).
fn build(dict: &FieldDict) -> Result<(Vec<Project>, Vec<CountyData>)> {
    let mut towns = Towns {
        rng: Rng::new(SEED),
        used: BTreeSet::new(),
    };
    towns.used.extend(["堃山镇".to_string(), "喆溪乡".to_string()]);
    let mut projects = vec![exemplar(), ordinary(&mut towns)];
    for (ci, c) in COUNTIES.iter().enumerate() {
        let first = if ci == 0 { 3 } else { 1 };
        for seq in first..=c.projects {
            projects.push(random_project(ci, seq, &mut towns));
        }
    }
    ensure!(projects.len() == 40, "{} projects", projects.len());
    for p in &projects {
        check(p)?;
    }

    let mut counties = Vec::new();
    for (ci, c) in COUNTIES.iter().enumerate() {
        let mut data = WorkbookData::new();
        for p in projects.iter().filter(|p| p.county == ci) {
            for (sheet, rows) in &p.data {
                data.entry(sheet.clone()).or_default().extend(rows.iter().cloned());
            }
        }
        for sheet in &dict.sheets {
            for row in data.get(&sheet.id).into_iter().flatten() {
                for k in row.keys() {
                    let f = dict.field(k).with_context(|| format!("未知字段 {k}"))?;
                    ensure!(
                        k == "project_id" || f.sheet == sheet.id,
                        "字段 {k} 不在工作表 {}",
                        sheet.id
                    );
                }
            }
        }
        counties.push((c.name.to_string(), data));
    }
    Ok((projects, counties))
}

/// A county's name and the rows of its workbook.
pub type CountyData = (String, WorkbookData);

/// Each county's name and workbook rows.
pub fn county_workbooks() -> Result<Vec<CountyData>> {
    Ok(build(&FieldDict::bundled())?.1)
}

fn main() -> Result<()> {
    let dict = FieldDict::bundled();
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join(OUT_DIR);
    std::fs::create_dir_all(&out).with_context(|| format!("无法创建 {}", out.display()))?;
    for entry in std::fs::read_dir(&out)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "xlsx") {
            std::fs::remove_file(&path).with_context(|| format!("无法删除 {}", path.display()))?;
        }
    }

    let (projects, counties) = build(&dict)?;
    let mut sizes = BTreeMap::new();
    for (ci, (name, data)) in counties.iter().enumerate() {
        let file = format!("{name}.xlsx");
        let path = out.join(&file);
        write_workbook(&path, &dict, data)?;
        let size = std::fs::metadata(&path)?.len();
        println!(
            "{file:<12} {:>8} bytes  {} 个项目",
            size,
            projects.iter().filter(|p| p.county == ci).count()
        );
        sizes.insert(file, size);
    }
    std::fs::write(out.join("README.md"), readme(&projects, &sizes))?;
    let total: u64 = sizes.values().sum();
    println!("共 {} 个文件，{} bytes，写入 {}", sizes.len(), total, out.display());
    Ok(())
}
