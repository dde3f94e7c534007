//! Domain metrics worked by hand: fragmentation of a 10-patch example, ESV of
//! a three-class land-use table, fund leverage and rates, quotas, and each
//! red-line field at its boundary. The workbook goes through ingest, so the
//! column names are those of the field dictionary.

use crate::common;
use crate::common::{num as n, row, text as t};

use landeval::fields::FieldDict;
use landeval::ingest::{self, Dataset, Severity, Source};
use landeval::metrics::{self, ProjectTable, gep};
use landeval::model::Prices;
use landeval::template::{CellValue, Row, WorkbookData, write_workbook};
use polars::prelude::{AnyValue, DataFrame, IntoLazy};
use std::sync::OnceLock;

fn b(x: bool) -> CellValue {
    CellValue::Bool(x)
}
fn date(s: &str) -> CellValue {
    CellValue::Date(s.into())
}

/// T-01: 10 farmland patches before (plus one 林地 row), 3 after, plains, 1500 亩 = 100 ha.
const BEFORE: [f64; 10] = [1.0, 2.0, 3.0, 4.0, 10.0, 20.0, 60.0, 100.0, 150.0, 250.0];
const AFTER: [f64; 3] = [4.0, 96.0, 1000.0];

fn ledger(id: &str, terrain: Option<&str>) -> Row {
    let mut r = row(&[
        ("project_id", t(id)),
        ("project_name", t(&format!("{id} 全域土地综合整治项目"))),
        ("city", t("测试市")),
        ("county", t("测试县")),
        ("area_total", n(1500.0)),
    ]);
    if let Some(terrain) = terrain {
        r.insert("terrain".into(), t(terrain));
    }
    r
}

/// Red-line inputs: `fail` moves each value just past its boundary.
fn farmland_row(id: &str, fail: bool) -> Row {
    let e = if fail { 0.01 } else { 0.0 };
    row(&[
        ("project_id", t(id)),
        ("farmland_before", n(1000.0)),
        ("farmland_after", n(1000.0 - e)),
        ("quality_grade_before", n(5.0)),
        ("quality_grade_after", n(5.0 + 10.0 * e)),
        ("pbf_before", n(800.0)),
        ("pbf_after", n(800.0 - e)),
        ("pbf_township_total", n(1000.0)),
        // 50 / 1000 = 5% exactly passes; 50.1 / 1000 = 5.01% fails.
        ("pbf_adjusted", n(if fail { 50.1 } else { 50.0 })),
        ("new_farmland", n(10.0)),
        ("new_farmland_method", t(if fail { "图上作业" } else { "实测" })),
    ])
}

fn workbook() -> WorkbookData {
    let mut d = WorkbookData::new();
    d.insert(
        "ledger".into(),
        vec![
            ledger("T-01", Some("平原")),
            ledger("T-02", Some("丘陵")),
            ledger("T-03", None),
            ledger("R-PASS", Some("平原")),
            ledger("R-FAIL", Some("平原")),
            ledger("R-MISS", Some("平原")),
        ],
    );
    d.insert(
        "farmland".into(),
        vec![
            row(&[
                ("project_id", t("T-01")),
                ("farmland_patches_before", n(10.0)),
                ("farmland_patches_after", n(4.0)),
                ("pbf_before", n(1000.0)),
                ("pbf_after", n(1010.0)),
                ("pbf_adjusted", n(200.0)),
            ]),
            farmland_row("R-PASS", false),
            farmland_row("R-FAIL", true),
            row(&[
                ("project_id", t("R-MISS")),
                ("new_farmland", n(5.0)),
                ("pbf_adjusted", n(10.0)),
            ]),
        ],
    );
    d.insert(
        "construction".into(),
        vec![
            row(&[
                ("project_id", t("T-01")),
                ("reclaimed_area", n(400.0)),
                ("rebuilt_area", n(100.0)),
                ("surplus_quota", n(300.0)),
                ("supplementary_quota", n(50.0)),
                ("supplementary_paddy_quota", n(20.0)),
                ("supplementary_grain_quota", n(10_000.0)),
            ]),
            row(&[
                ("project_id", t("R-PASS")),
                ("construction_before", n(300.0)),
                ("construction_after", n(300.0)),
            ]),
            row(&[
                ("project_id", t("R-FAIL")),
                ("construction_before", n(300.0)),
                ("construction_after", n(300.01)),
                ("reclaimed_area", n(100.0)),
                ("rebuilt_area", n(40.0)),
                ("surplus_quota", n(70.0)),
            ]),
        ],
    );
    d.insert(
        "ecology".into(),
        vec![
            row(&[
                ("project_id", t("R-PASS")),
                ("redline_before", n(200.0)),
                ("redline_after", n(200.0)),
                ("gep_before", n(20.0)),
                ("gep_after", n(25.6)),
            ]),
            row(&[
                ("project_id", t("R-FAIL")),
                ("redline_before", n(200.0)),
                ("redline_after", n(199.99)),
            ]),
        ],
    );
    d.insert(
        "process".into(),
        vec![
            row(&[
                ("project_id", t("R-PASS")),
                ("forced_demolition", b(false)),
                ("hidden_debt", b(false)),
            ]),
            row(&[
                ("project_id", t("R-FAIL")),
                ("forced_demolition", b(true)),
                ("hidden_debt", b(true)),
            ]),
        ],
    );
    d.insert("funds".into(), funds());
    d.insert("patches".into(), patches());
    let lu = |class: &str, before: f64, after: f64| {
        row(&[
            ("project_id", t("T-01")),
            ("landuse_class", t(class)),
            ("landuse_before", n(before)),
            ("landuse_after", n(after)),
        ])
    };
    d.insert(
        "landuse".into(),
        vec![
            lu("水田", 150.0, 300.0),
            lu("坑塘水面", 150.0, 0.0),
            lu("林地", 300.0, 300.0),
        ],
    );
    d
}

fn funds() -> Vec<Row> {
    let line = |src: &str, channel: &str, dept: Option<&str>, amounts: [f64; 3]| {
        let mut r = row(&[
            ("project_id", t("T-01")),
            ("fund_source", t(src)),
            ("fund_channel", t(channel)),
            ("fund_planned", n(amounts[0])),
            ("fund_in_place", n(amounts[1])),
            ("fund_spent", n(amounts[2])),
        ]);
        if let Some(d) = dept {
            r.insert("fund_department".into(), t(d));
        }
        r
    };
    let mut late = line("社会资本", "企业投资", Some("发改局"), [400.0, 400.0, 200.0]);
    late.insert("fund_due_on".into(), date("2024-01-01"));
    late.insert("fund_in_place_on".into(), date("2025-07-02"));
    let mut early = line("社会资本", "企业投资", Some("发改局"), [100.0, 100.0, 0.0]);
    early.insert("fund_due_on".into(), date("2024-06-01"));
    early.insert("fund_in_place_on".into(), date("2024-05-01"));
    vec![
        line(
            "中央财政",
            "高标准农田建设补助资金",
            Some("农业农村局"),
            [1000.0, 800.0, 600.0],
        ),
        line("地方政府专项债券", "专项债券", Some("财政局"), [500.0, 500.0, 400.0]),
        line("政策性金融", "农发行贷款", Some("自然资源局"), [600.0, 300.0, 300.0]),
        late,
        early,
        line("村集体及群众自筹", "群众自筹", None, [100.0, 100.0, 100.0]),
    ]
}

fn patches() -> Vec<Row> {
    let p = |id: &str, stage: &str, class: &str, area: f64| {
        row(&[
            ("project_id", t(id)),
            ("patch_stage", t(stage)),
            ("patch_class", t(class)),
            ("patch_area", n(area)),
        ])
    };
    let mut rows = Vec::new();
    // T-01 and T-02 (hills) share the same patches.
    for id in ["T-01", "T-02"] {
        rows.extend(BEFORE.iter().map(|a| p(id, "整治前", "水田", *a)));
        rows.push(p(id, "整治前", "林地", 300.0));
        rows.extend(AFTER.iter().map(|a| p(id, "整治后", "旱地", *a)));
    }
    // T-03: the 万亩方 boundary, no terrain.
    rows.push(p("T-03", "整治前", "水浇地", 9_999.99));
    rows.push(p("T-03", "整治后", "水浇地", 10_000.0));
    rows
}

/// The test workbook ingested.
fn dataset() -> &'static Dataset {
    static DS: OnceLock<Dataset> = OnceLock::new();
    DS.get_or_init(|| {
        let dir = common::scratch("metrics-input");
        let path = dir.join("测试.xlsx");
        write_workbook(&path, &FieldDict::bundled(), &workbook()).unwrap();
        let ds = ingest::ingest(&[Source::from_path(&path).unwrap()], &FieldDict::bundled());
        assert!(!ds.log.has_errors(), "{:#?}", ds.log.findings);
        ds
    })
}

fn table() -> &'static ProjectTable {
    static T: OnceLock<ProjectTable> = OnceLock::new();
    T.get_or_init(|| metrics::compute(dataset()).unwrap())
}

fn priced() -> &'static ProjectTable {
    static T: OnceLock<ProjectTable> = OnceLock::new();
    let prices = Prices {
        quota_intra_province: Some(20.0),
        quota_cross_province: Some(30.0),
        supplementary_area: Some(5.0),
        supplementary_paddy: Some(10.0),
        supplementary_grain: Some(2.0),
        esv_standard_value: Some(1000.0),
    };
    T.get_or_init(|| metrics::compute_with(dataset(), &prices).unwrap())
}

fn cell<'a>(frame: &'a DataFrame, id: &str, field: &str) -> AnyValue<'a> {
    let ids = frame.column("project_id").unwrap().str().unwrap();
    let i = ids
        .iter()
        .position(|x| x == Some(id))
        .unwrap_or_else(|| panic!("no row {id}"));
    frame
        .column(field)
        .unwrap_or_else(|_| panic!("no column {field}"))
        .get(i)
        .unwrap()
}

fn num_in(frame: &DataFrame, id: &str, field: &str) -> Option<f64> {
    match cell(frame, id, field) {
        AnyValue::Null => None,
        v => Some(v.extract::<f64>().unwrap_or_else(|| panic!("{field} of {id} is {v:?}"))),
    }
}

fn num(id: &str, field: &str) -> Option<f64> {
    num_in(&table().frame, id, field)
}

fn flag(id: &str, field: &str) -> Option<bool> {
    match cell(&table().frame, id, field) {
        AnyValue::Boolean(x) => Some(x),
        AnyValue::Null => None,
        v => panic!("{field} of {id} is {v:?}"),
    }
}

fn text(id: &str, field: &str) -> Option<String> {
    match cell(&table().frame, id, field) {
        AnyValue::String(s) => Some(s.to_string()),
        AnyValue::StringOwned(s) => Some(s.to_string()),
        AnyValue::Null => None,
        v => panic!("{field} of {id} is {v:?}"),
    }
}

#[track_caller]
fn close(got: Option<f64>, want: f64) {
    let g = got.unwrap_or_else(|| panic!("missing, wanted {want}"));
    assert!((g - want).abs() < 1e-6, "got {g}, wanted {want}");
}

/// Before: NP 10 (the 林地 row is left out), TA 1+2+3+4+10+20+60+100+150+250 = 600,
/// PD = 10 ÷ (1500 亩 ÷ 1500) = 10 per 100 ha, MPS 60,
/// Σa² = 1+4+9+16+100+400+3600+10000+22500+62500 = 99130 → AREA_AM = 99130/600 = 165.21667,
/// LPI = 250/600; plains blocks ≥ 100: 100, 150, 250 → 3, share 500/600; scattered < 5: 1, 2, 3, 4 → 4.
/// After: 4, 96, 1000: NP 3, TA 1100, PD 3, MPS 366.667, Σa² = 16+9216+1000000 = 1009232 →
/// AREA_AM 917.48364, LPI 1000/1100; blocks ≥ 100: 1000 → 1, share 1000/1100; scattered 1 (4);
/// 千亩方 1 (exactly 1000), 万亩方 0. ΔNP = −7, %ΔNP = −70%.
#[test]
fn ten_patch_example_by_hand() {
    let f = |m: &str, s: &str| num("T-01", &format!("patches_{m}_{s}"));
    close(f("np", "before"), 10.0);
    close(f("ta", "before"), 600.0);
    close(f("pd", "before"), 10.0);
    close(f("mps", "before"), 60.0);
    close(f("area_am", "before"), 99_130.0 / 600.0);
    close(f("lpi", "before"), 250.0 / 600.0);
    close(f("contig_n", "before"), 3.0);
    close(f("contig_share", "before"), 500.0 / 600.0);
    close(f("scattered_n", "before"), 4.0);
    close(f("qianmu_n", "before"), 0.0);
    close(f("np", "after"), 3.0);
    close(f("ta", "after"), 1100.0);
    close(f("pd", "after"), 3.0);
    close(f("mps", "after"), 1100.0 / 3.0);
    close(f("area_am", "after"), 1_009_232.0 / 1100.0);
    close(f("lpi", "after"), 1000.0 / 1100.0);
    close(f("contig_n", "after"), 1.0);
    close(f("contig_share", "after"), 1000.0 / 1100.0);
    close(f("scattered_n", "after"), 1.0);
    close(f("qianmu_n", "after"), 1.0);
    close(f("wanmu_n", "after"), 0.0);
    close(f("np", "delta"), -7.0);
    close(f("np", "pct"), -0.7);
    close(f("scattered_n", "pct"), -0.75);
    close(f("area_am", "delta"), 1_009_232.0 / 1100.0 - 99_130.0 / 600.0);
    // 千亩方 0 → 1: Δ 1, %Δ undefined.
    close(f("qianmu_n", "delta"), 1.0);
    assert_eq!(f("qianmu_n", "pct"), None);
}

/// Hills (丘陵) use the 50 亩 threshold: before 60, 100, 150, 250 → 4 blocks of 560 亩;
/// after 96 and 1000 → 2 blocks of 1096 亩.
#[test]
fn hills_use_the_50_mu_threshold() {
    close(num("T-02", "patches_contig_n_before"), 4.0);
    close(num("T-02", "patches_contig_share_before"), 560.0 / 600.0);
    close(num("T-02", "patches_contig_n_after"), 2.0);
    close(num("T-02", "patches_contig_share_after"), 1096.0 / 1100.0);
    close(num("T-02", "patches_contig_n_delta"), -2.0);
}

/// 万亩方 at its boundary: 9999.99 亩 is not one, 10000 亩 is. Without terrain the
/// plains threshold is used and a note says so.
#[test]
fn wanmu_boundary_and_missing_terrain() {
    close(num("T-03", "patches_wanmu_n_before"), 0.0);
    close(num("T-03", "patches_wanmu_n_after"), 1.0);
    close(num("T-03", "patches_qianmu_n_before"), 1.0);
    let notes = &table().findings;
    assert!(
        notes
            .iter()
            .any(|f| f.severity == Severity::Info && f.message.contains("T-03") && f.message.contains("平原门槛"))
    );
    assert!(
        notes
            .iter()
            .any(|f| f.message.contains("T-01") && f.message.contains("1 个非耕地图斑（地类：林地）"))
    );
}

/// The summary sheet says 4 patches after, the detail has 3: |4 − 3| > 1% of 4.
/// Before agrees (10 and 10).
#[test]
fn summary_count_disagreement_names_both_numbers() {
    let warned: Vec<_> = table()
        .findings
        .iter()
        .filter(|f| f.message.contains("T-01") && f.message.contains("耕地图斑数"))
        .collect();
    assert_eq!(warned.len(), 1, "{warned:#?}");
    assert_eq!(warned[0].severity, Severity::Warning);
    assert!(warned[0].message.contains("汇总表填报 4 个，图斑明细为 3 个"));
}

/// Three classes, D = 3406.50 元/公顷 (areas ÷ 15 → 公顷):
/// 水田 (factor sum 3.89) 10 → 20 ha; 坑塘水面 → 水系 (125.61) 10 → 0 ha; 林地 → 针阔混交 (23.09) 20 → 20 ha.
/// Before 10×3.89 + 10×125.61 + 20×23.09 = 1756.8 equivalent-ha × 3406.5 元 = 598.45392 万元;
/// after 20×3.89 + 20×23.09 = 539.6 → 183.81474 万元; Δ −414.63918, %Δ −69.2851%.
/// Food: before 10×1.36 + 10×0.80 + 20×0.31 = 27.8 → 9.470070; after 33.4 → 11.377710.
/// Water supply: before −26.3 + 82.9 + 7.4 = 64.0 → 21.8016; after −52.6 + 7.4 = −45.2 → −15.397380.
#[test]
fn esv_of_a_three_class_table() {
    let wan = |eq_ha: f64| eq_ha * 3406.5 / 10_000.0;
    close(num("T-01", "esv_before"), wan(1756.8));
    close(num("T-01", "esv_after"), wan(539.6));
    close(num("T-01", "esv_delta"), wan(539.6 - 1756.8));
    close(num("T-01", "esv_pct"), (539.6 - 1756.8) / 1756.8);
    close(num("T-01", "esv_food_before"), wan(27.8));
    close(num("T-01", "esv_food_after"), wan(33.4));
    close(num("T-01", "esv_water_before"), wan(64.0));
    close(num("T-01", "esv_water_after"), wan(-45.2));
    close(num("T-01", "esv_water_delta"), wan(-45.2 - 64.0));
    // No GEP given: estimated, in 亿元.
    assert_eq!(text("T-01", "gep_method").as_deref(), Some("估算"));
    assert_eq!(flag("T-01", "gep_accounted"), Some(false));
    close(num("T-01", "gep_used_before"), wan(1756.8) / 10_000.0);
    close(num("T-01", "gep_used_pct"), (539.6 - 1756.8) / 1756.8);
    // D overridden by the model: 1756.8 × 1000 元 = 175.68 万元.
    close(num_in(&priced().frame, "T-01", "esv_before"), 175.68);
}

/// 150 亩 of ponds became paddy and ESV fell: flagged with the class, its area
/// and its value 10 ha × 125.61 × 3406.5 元 = 427.890465 万元.
#[test]
fn esv_fall_from_ponds_to_farmland_is_flagged() {
    assert_eq!(flag("T-01", "esv_conversion_loss"), Some(true));
    let note = text("T-01", "esv_conversion_note").unwrap();
    assert!(note.contains("坑塘水面减少 150.00 亩"), "{note}");
    assert!(note.contains("427.89 万元/年"), "{note}");
    assert!(!note.contains("林地减少"), "{note}");
    assert!(
        table()
            .findings
            .iter()
            .any(|f| f.severity == Severity::Warning && f.message.contains("坑塘水面减少 150.00 亩"))
    );
    // No land-use table: no flag.
    assert_eq!(flag("R-PASS", "esv_conversion_loss"), None);
}

/// Direct use of the factor table: a class moved from 旱地 to 水田 only.
#[test]
fn esv_direct_paddy_water_supply_is_negative() {
    let table = gep::EsvTable::bundled();
    let rows = [gep::LandUse {
        class: "水田".into(),
        before: Some(15.0),
        after: Some(15.0),
    }];
    let e = gep::project_esv(&table, 10_000.0, &rows);
    // 1 ha × −2.63 × 10000 元 = −2.63 万元.
    close(e.before.as_ref().map(|v| v[2]), -2.63);
    assert!(!e.conversion_loss());
}

/// GEP given: accounted; used as given. (25.6 − 20) ÷ 20 = 28%.
#[test]
fn accounted_gep_is_used_when_given() {
    assert_eq!(text("R-PASS", "gep_method").as_deref(), Some("核算"));
    assert_eq!(flag("R-PASS", "gep_accounted"), Some(true));
    close(num("R-PASS", "gep_used_pct"), 0.28);
    assert_eq!(text("R-FAIL", "gep_method"), None);
    assert_eq!(num("R-FAIL", "gep_used_before"), None);
}

/// Planned 1000+500+600+400+100+100 = 2700, in place 800+500+300+400+100+100 = 2200,
/// spent 600+400+300+200+0+100 = 1600. Fiscal (central + special bonds) in place 1300,
/// financial 300, social 500 → leverage (300 + 500) ÷ 1300 = 0.615385;
/// in-place rate 2200 ÷ 2700 = 0.814815; spend rate 1600 ÷ 2200 = 0.727273.
/// Channels: 高标准农田建设补助资金, 专项债券, 农发行贷款, 企业投资, 群众自筹 = 5;
/// departments 农业农村局, 财政局, 自然资源局, 发改局 = 4 (one line has none).
/// Social capital due 2024-01-01, in place 2025-07-02: 366 + 182 = 548 days = 1.50034 years;
/// the other line came early (0).
#[test]
fn fund_leverage_and_rates() {
    let id = "T-01";
    close(num(id, "fund_planned_total"), 2700.0);
    close(num(id, "fund_in_place_total"), 2200.0);
    close(num(id, "fund_spent_total"), 1600.0);
    close(num(id, "fund_fiscal"), 1300.0);
    close(num(id, "fund_fiscal_planned"), 1500.0);
    close(num(id, "fund_fiscal_spent"), 1000.0);
    close(num(id, "fund_bonds"), 500.0);
    close(num(id, "fund_bonds_spent"), 400.0);
    close(num(id, "fund_financial"), 300.0);
    close(num(id, "fund_financial_planned"), 600.0);
    close(num(id, "fund_social"), 500.0);
    close(num(id, "fund_social_spent"), 200.0);
    close(num(id, "fund_collective"), 100.0);
    close(num(id, "fund_leverage"), 800.0 / 1300.0);
    close(num(id, "fund_in_place_rate"), 2200.0 / 2700.0);
    close(num(id, "fund_spend_rate"), 1600.0 / 2200.0);
    close(num(id, "fund_channels"), 5.0);
    close(num(id, "fund_departments"), 4.0);
    close(num(id, "social_capital_late_years"), 548.0 / 365.25);
    assert_eq!(num("R-PASS", "social_capital_late_years"), None);
}

/// Surplus 400 − 100 = 300 亩: at 20 and 30 万元/亩 worth 6000 and 9000 万元.
/// Supplementary: 50 × 5 + 20 × 10 + 10000 公斤 × 2 元 ÷ 10000 = 452 万元.
/// Without a price table the values are missing.
#[test]
fn quota_values_from_the_price_table() {
    let f = &priced().frame;
    close(num_in(f, "T-01", "surplus_quota_computed"), 300.0);
    close(num_in(f, "T-01", "surplus_quota_value_intra"), 6000.0);
    close(num_in(f, "T-01", "surplus_quota_value_cross"), 9000.0);
    close(num_in(f, "T-01", "supplementary_quota_value"), 452.0);
    assert_eq!(num("T-01", "surplus_quota_value_intra"), None);
    assert_eq!(num("T-01", "supplementary_quota_value"), None);
    // Declared 70 against 100 − 40 = 60: warned.
    assert!(
        table()
            .findings
            .iter()
            .any(|f| f.message.contains("R-FAIL") && f.message.contains("节余指标 70.00 亩"))
    );
}

/// Each red line not triggered at its boundary (R-PASS: equal values, PBF
/// adjusted 50 / 1000 = exactly 5%) and triggered just past it (R-FAIL: 0.01
/// worse, 50.1 / 1000 = 5.01%).
#[test]
fn red_lines_at_their_boundaries() {
    for field in [
        "farmland_decreased",
        "quality_fell",
        "pbf_decreased",
        "pbf_over_adjusted",
        "construction_increased",
        "redline_reduced",
        "new_farmland_unmeasured",
        "forced_relocation",
        "hidden_debt",
    ] {
        assert_eq!(flag("R-PASS", field), Some(false), "R-PASS {field}");
        assert_eq!(flag("R-FAIL", field), Some(true), "R-FAIL {field}");
    }
    close(num("R-PASS", "pbf_adjust_ratio"), 0.05);
    close(num("R-FAIL", "pbf_adjust_ratio"), 0.0501);
    // The model's veto expression on the same boundary.
    let veto = polars::sql::sql_expr("pbf_adjust_ratio > 0.05").unwrap();
    let out = table()
        .frame
        .clone()
        .lazy()
        .select([polars::prelude::col("project_id"), veto.alias("v")])
        .collect()
        .unwrap();
    assert_eq!(cell(&out, "R-PASS", "v"), AnyValue::Boolean(false));
    assert_eq!(cell(&out, "R-FAIL", "v"), AnyValue::Boolean(true));
    // New PBF: (1010 − 1000) ÷ 200 = 5%.
    close(num("T-01", "new_pbf_ratio"), 0.05);
    close(num("R-PASS", "new_pbf_ratio"), 0.0);
}

/// Missing inputs give missing red lines, not false.
#[test]
fn red_lines_are_missing_without_data() {
    assert_eq!(flag("R-MISS", "farmland_decreased"), None);
    assert_eq!(flag("R-MISS", "new_farmland_unmeasured"), None);
    assert_eq!(num("R-MISS", "pbf_adjust_ratio"), None);
    assert_eq!(flag("R-MISS", "pbf_over_adjusted"), None);
    assert_eq!(num("R-MISS", "new_pbf_ratio"), None);
    assert_eq!(flag("R-MISS", "forced_relocation"), None);
}

/// Every column metrics adds is documented in the field dictionary.
#[test]
fn every_metric_column_is_documented() {
    let dict = FieldDict::bundled();
    for c in table().frame.get_column_names() {
        assert!(dict.knows(c.as_str()), "column {c} is not in fields.toml");
    }
}
