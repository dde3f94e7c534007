//! The seeded synthetic province shared by `synth_province` and
//! `bench_scale`: canonical workbook data for any number of projects,
//! cities and counties; not an example itself.

use landeval::score::robust::SplitMix64;
use landeval::template::{CellValue, Row, WorkbookData};

/// Seed of every synthetic province.
pub const SEED: u64 = 0x5EED_2025;
const CITIES: [&str; 12] = [
    "东岚市",
    "西岚市",
    "南溱市",
    "北溱市",
    "黛山州",
    "禾川市",
    "沣源市",
    "云岭州",
    "朔原市",
    "汀兰市",
    "澄湖市",
    "桐溪州",
];
const COUNTY_SUFFIX: [&str; 10] = ["安", "平", "宁", "和", "丰", "泰", "康", "顺", "兴", "乐"];
const TOWNS: [&str; 12] = [
    "柳塘", "桂桥", "荷坝", "杏坪", "梨湾", "竹岗", "菱溪", "蒲铺", "芦庄", "枫集", "槐口", "榆渡",
];

/// Uniform in [lo, hi).
fn range(rng: &mut SplitMix64, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * rng.next_f64()
}

/// True with probability `p`.
fn chance(rng: &mut SplitMix64, p: f64) -> bool {
    rng.next_f64() < p
}

fn round(x: f64, step: f64) -> f64 {
    (x / step).round() * step
}

/// Name of city `c` (12 names, then numbered).
pub fn city_name(c: usize) -> String {
    match CITIES.get(c) {
        Some(n) => (*n).to_string(),
        None => format!("新{c}市"),
    }
}

/// Name of county `k` of city `c`.
pub fn county_name(c: usize, k: usize) -> String {
    let first = city_name(c).chars().next().unwrap_or('新');
    match COUNTY_SUFFIX.get(k) {
        Some(s) => format!("{first}{s}县"),
        None => format!("{first}{k}县"),
    }
}

/// One county's workbook data.
pub struct County {
    pub city: String,
    pub name: String,
    pub data: WorkbookData,
    /// Ids of its projects, in order.
    pub projects: Vec<String>,
}

/// Farmland patch counts a project's summary sheet reports (from its 图斑明细).
#[derive(Clone, Copy)]
pub struct PatchCounts {
    pub before: f64,
    pub after: f64,
}

/// `projects` projects over `cities` × `counties` counties, dealt round-robin
/// city by city, county by county. `patches(p)` gives project `p`'s patch
/// counts when its 图斑明细 is supplied beside the workbook.
pub fn generate(
    projects: usize,
    cities: usize,
    counties: usize,
    patches: impl Fn(usize) -> Option<PatchCounts>,
) -> Vec<County> {
    let (cities, counties) = (cities.max(1), counties.max(1));
    let mut out: Vec<County> = (0..cities * counties)
        .map(|i| County {
            city: city_name(i / counties),
            name: county_name(i / counties, i % counties),
            data: WorkbookData::new(),
            projects: Vec::new(),
        })
        .collect();
    let mut rng = SplitMix64::for_draw(SEED, 0);
    for p in 0..projects {
        let (c, k) = place(p, cities, counties);
        let county = &mut out[c * counties + k];
        let id = project_id(p, cities, counties);
        project(county, &mut rng, &id, p, patches(p));
        county.projects.push(id);
    }
    out.retain(|c| !c.projects.is_empty());
    out
}

/// City and county (within the city) of project `p`.
fn place(p: usize, cities: usize, counties: usize) -> (usize, usize) {
    let (cities, counties) = (cities.max(1), counties.max(1));
    (p % cities, (p / cities) % counties)
}

/// The id of project `p` in a province of `cities` × `counties` counties.
pub fn project_id(p: usize, cities: usize, counties: usize) -> String {
    let (c, k) = place(p, cities, counties);
    format!("SY-{:02}-{:02}-{p:04}", c + 1, k + 1)
}

struct Builder<'a> {
    data: &'a mut WorkbookData,
    id: String,
}

impl Builder<'_> {
    /// Set values on the project's single row of a per-project sheet.
    fn set(&mut self, sheet: &str, pairs: Vec<(&str, CellValue)>) {
        let rows = self.data.entry(sheet.to_string()).or_default();
        let mut row: Row = Row::new();
        row.insert("project_id".into(), CellValue::Text(self.id.clone()));
        for (k, v) in pairs {
            row.insert(k.into(), v);
        }
        rows.push(row);
    }

    fn fund(&mut self, source: &str, channel: &str, dept: &str, planned: f64, in_place: f64, spent: f64) {
        self.set(
            "funds",
            vec![
                ("fund_source", CellValue::Text(source.into())),
                ("fund_channel", CellValue::Text(channel.into())),
                ("fund_department", CellValue::Text(dept.into())),
                ("fund_planned", CellValue::Number(planned)),
                ("fund_in_place", CellValue::Number(in_place)),
                ("fund_spent", CellValue::Number(spent)),
            ],
        );
    }
}

fn n(x: f64) -> CellValue {
    CellValue::Number(x)
}

/// One project (`k`: its number in the province) of random quality.
fn project(county: &mut County, rng: &mut SplitMix64, id: &str, k: usize, patches: Option<PatchCounts>) {
    let town = TOWNS[k % TOWNS.len()];
    let q = rng.next_f64();
    let name = county.name.clone();
    let mut b = Builder {
        data: &mut county.data,
        id: id.to_string(),
    };
    let terrain = ["平原", "丘陵", "山区"][k % 3];
    let area = round(range(rng, 20_000.0, 90_000.0), 10.0);
    b.set(
        "ledger",
        vec![
            (
                "project_name",
                CellValue::Text(format!("{name}{town}镇全域土地综合整治项目（{k}）")),
            ),
            ("city", CellValue::Text(county.city.clone())),
            ("county", CellValue::Text(name.clone())),
            (
                "townships",
                CellValue::Text(if chance(rng, 0.3) {
                    format!("{town}镇、{town}乡")
                } else {
                    format!("{town}镇")
                }),
            ),
            ("terrain", CellValue::Text(terrain.into())),
            ("area_total", n(area)),
            ("approved_on", CellValue::Date("2023-03-15".into())),
            (
                "accepted_on",
                CellValue::Date(format!("2025-{:02}-{:02}", 3 + k % 9, 1 + k % 27)),
            ),
        ],
    );
    let farmland = round(area * range(rng, 0.3, 0.5), 0.1);
    let new_farmland = round(range(rng, 100.0, 1200.0), 0.1);
    let breach = chance(rng, 0.06);
    let random_patches = round(range(rng, 2_000.0, 12_000.0), 1.0);
    let counts = patches.unwrap_or(PatchCounts {
        before: random_patches,
        after: round(random_patches * (1.0 - 0.45 * q), 1.0),
    });
    let fields_before = round(range(rng, 2.0, 15.0), 1.0);
    b.set(
        "farmland",
        vec![
            ("farmland_before", n(farmland)),
            (
                "farmland_after",
                n(if breach {
                    farmland - 50.0
                } else {
                    farmland + new_farmland
                }),
            ),
            ("new_farmland", n(new_farmland)),
            ("new_farmland_method", CellValue::Text("实测".into())),
            ("farmland_patches_before", n(counts.before)),
            ("farmland_patches_after", n(counts.after)),
            ("fields_100mu_before", n(fields_before)),
            ("fields_100mu_after", n(fields_before + round(25.0 * q, 1.0))),
            ("pbf_before", n(round(farmland * 0.8, 0.1))),
            ("pbf_after", n(round(farmland * 0.8 + 10.0, 0.1))),
            ("pbf_township_total", n(round(farmland * 1.5, 0.1))),
            ("pbf_adjusted", n(round(farmland * 0.02, 0.1))),
            ("quality_grade_before", n(6.0)),
            ("quality_grade_after", n(5.0)),
            ("hsf_built", n(round(farmland * 0.5 * (0.7 + 0.3 * q), 1.0))),
        ],
    );
    let construction = round(area * 0.08, 0.1);
    let reclaimed = round(range(rng, 100.0, 600.0), 0.1);
    let rebuilt = round(reclaimed * range(rng, 0.1, 0.4), 0.1);
    let pc = round(range(rng, 160.0, 240.0), 0.1);
    b.set(
        "construction",
        vec![
            ("construction_before", n(construction)),
            ("construction_after", n(construction - reclaimed + rebuilt)),
            ("reclaimed_area", n(reclaimed)),
            ("rebuilt_area", n(rebuilt)),
            ("surplus_quota", n(reclaimed - rebuilt)),
            ("village_land_pc_before", n(pc)),
            ("village_land_pc_after", n(round(pc * (1.0 - 0.18 * q), 0.1))),
        ],
    );
    let gep = round(range(rng, 10.0, 60.0), 0.01);
    let restored = round(area * 0.12 * (0.4 + 0.6 * q), 1.0);
    b.set(
        "ecology",
        vec![
            ("restored_area", n(restored)),
            ("gep_before", n(gep)),
            ("gep_after", n(round(gep * (1.0 + 0.3 * q), 0.01))),
            ("redline_before", n(round(area * 0.1, 0.1))),
            ("redline_after", n(round(area * 0.1, 0.1))),
        ],
    );
    let subs = round(range(rng, 6.0, 20.0), 1.0);
    b.set(
        "process",
        vec![
            ("schedule_completion", n(round(70.0 + 30.0 * q, 0.1))),
            ("subprojects_total", n(subs)),
            ("subprojects_accepted", n(round(subs * (0.6 + 0.4 * q), 1.0))),
            ("villager_consent", n(round(85.0 + 14.0 * q, 0.1))),
            ("satisfaction", n(round(75.0 + 24.0 * q, 0.1))),
            ("villager_reps_in_acceptance", CellValue::Bool(chance(rng, 0.8))),
            ("negative_list_issues", n(if chance(rng, 0.05) { 1.0 } else { 0.0 })),
            ("audit_issues", n(if chance(rng, 0.15) { 2.0 } else { 0.0 })),
            ("complaints_verified", n(0.0)),
            ("maintenance_funded", CellValue::Bool(chance(rng, 0.7))),
            ("registered_in_system", CellValue::Bool(chance(rng, 0.9))),
            ("forced_demolition", CellValue::Bool(false)),
            ("hidden_debt", CellValue::Bool(false)),
        ],
    );
    b.set(
        "livelihood",
        vec![("industry_projects", n(if q > 0.5 { 2.0 } else { 0.0 }))],
    );
    b.set(
        "plan",
        vec![
            (
                "new_farmland_planned",
                n(round(new_farmland * range(rng, 0.9, 1.2), 1.0)),
            ),
            ("hsf_planned", n(round(farmland * 0.5, 1.0))),
            ("restored_area_planned", n(round(area * 0.1, 1.0))),
            ("reclaimed_area_planned", n(round(reclaimed, 1.0))),
            ("surplus_quota_planned", n(round((reclaimed - rebuilt) * 1.1, 1.0))),
        ],
    );
    let base = round(range(rng, 3_000.0, 15_000.0), 10.0);
    let channels = 1 + (q * 6.0) as usize;
    let sources = [
        ("中央财政", "高标准农田建设", "农业农村局"),
        ("省级财政", "土地整理复垦", "自然资源局"),
        ("市县财政", "农田水利", "水利局"),
        ("地方政府专项债券", "四好农村路", "交通运输局"),
        ("政策性金融", "人居环境整治", "住房城乡建设局"),
        ("社会资本", "产业导入", "投资企业"),
    ];
    for (s, ch, dept) in sources.iter().take(channels) {
        let planned = round(base / channels as f64, 1.0);
        let in_place = round(planned * (0.7 + 0.3 * q), 1.0);
        b.fund(s, ch, dept, planned, in_place, round(in_place * (0.6 + 0.4 * q), 1.0));
    }
}
