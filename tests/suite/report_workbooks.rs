//! The four workbooks (评估结果, 自评结果, 通报附件, 数据质量) on the sample
//! province: numbers and dates are cells of their type, every sheet prints
//! (A4, one page wide, header row repeated, title and page n of m), vetoed
//! projects are grey and outside the colour scales, data quality is two tables.

use crate::common;

use calamine::{Data, Range, Reader, open_workbook_auto};
use landeval::pipeline::Run;
use landeval::report::bulletin::{BulletinOptions, view as bulletin_view, workbook as bulletin_workbook};
use landeval::report::committee::workbook as committee_workbook;
use landeval::report::self_assessment::view as self_view;
use landeval::report::self_assessment::{peers::PeerResults, workbook as self_workbook};
use landeval::report::workbook::write_quality_workbook;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn run() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| common::evaluate(&common::fixture_sources(), "national-2025"))
}

/// The committee workbook, written alone (no PDF).
fn committee() -> &'static PathBuf {
    static P: OnceLock<PathBuf> = OnceLock::new();
    P.get_or_init(|| {
        let path = common::scratch("workbooks-committee").join("评估结果.xlsx");
        committee_workbook::write(&path, &run().report_input().unwrap()).unwrap();
        path
    })
}

/// The bulletin's annex workbook, written alone.
fn bulletin() -> &'static PathBuf {
    static P: OnceLock<PathBuf> = OnceLock::new();
    P.get_or_init(|| {
        let path = common::scratch("workbooks-bulletin").join("通报附件.xlsx");
        let input = run().report_input().unwrap();
        let view = bulletin_view::build(&input, &BulletinOptions::issued_by("青岚省自然资源厅"));
        bulletin_workbook::write(&path, &input, &view).unwrap();
        path
    })
}

/// QL-0101-01's self-assessment workbook against peers whose mean
/// 村民同意率 score rate is 50%.
fn self_assessment() -> &'static PathBuf {
    static P: OnceLock<PathBuf> = OnceLock::new();
    P.get_or_init(|| {
        let path = common::scratch("workbooks-self").join("自评结果.xlsx");
        let input = run().report_input().unwrap();
        let peers = PeerResults {
            source: "results.json".into(),
            model_id: "national-2025".into(),
            model_version: "2025.1".into(),
            date: String::new(),
            totals: vec![70.0, 80.0],
            size: 2,
            indicator_mean: BTreeMap::from([("villager_consent".to_string(), 0.5)]),
            dimension_mean: BTreeMap::new(),
        };
        let p = self_view::find(&input, "QL-0101-01").unwrap();
        let view = self_view::build(&input, p, Some(&peers));
        self_workbook::write(&path, &input, p, &view, Some(&peers)).unwrap();
        path
    })
}

fn sheet(path: &Path, name: &str) -> Range<Data> {
    open_workbook_auto(path).unwrap().worksheet_range(name).unwrap()
}

/// The first row whose cells in columns `cols` hold these strings.
fn row<'a>(range: &'a Range<Data>, cols: &[(usize, &str)]) -> &'a [Data] {
    range
        .rows()
        .find(|r| {
            cols.iter()
                .all(|(c, s)| r.get(*c).is_some_and(|d| d == &Data::String(s.to_string())))
        })
        .unwrap_or_else(|| panic!("no row with {cols:?}"))
}

/// The column of a header.
fn col(range: &Range<Data>, head: &str) -> usize {
    range
        .rows()
        .next()
        .and_then(|r| r.iter().position(|d| d == &Data::String(head.to_string())))
        .unwrap_or_else(|| panic!("no column {head}"))
}

/// Every part of an xlsx (zip) as text, by name.
fn parts(path: &Path) -> BTreeMap<String, String> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut s = String::new();
            f.read_to_string(&mut s).unwrap_or_default();
            (f.name().map(|n| n.to_string()).unwrap_or_default(), s)
        })
        .collect()
}

/// The XML of a sheet: rust_xlsxwriter writes sheetN.xml in tab order.
fn sheet_xml(path: &Path, name: &str) -> String {
    let names = open_workbook_auto(path).unwrap().sheet_names();
    let n = names.iter().position(|s| s == name).unwrap() + 1;
    parts(path)[&format!("xl/worksheets/sheet{n}.xml")].clone()
}

fn float(d: &Data) -> f64 {
    match d {
        Data::Float(x) => *x,
        other => panic!("expected a number, found {other:?}"),
    }
}

/// 指标得分 of QL-0101-01 (its fixture rows): 村民同意率 98% is the number
/// 0.98 with unit %, 新增耕地任务完成率 800 亩 against a plan of 800 亩 is 800
/// with unit 亩, score rates are fractions.
#[test]
fn committee_indicator_values_are_numbers_with_their_unit() {
    let s = sheet(committee(), "指标得分");
    let (raw, unit, plan, rate) = (
        col(&s, "原始值"),
        col(&s, "单位"),
        col(&s, "方案目标"),
        col(&s, "得分率"),
    );
    let consent = row(&s, &[(0, "QL-0101-01"), (3, "村民同意率")]);
    assert_eq!(consent[raw], Data::Float(0.98));
    assert_eq!(consent[unit], Data::String("%".into()));
    assert_eq!(consent[rate], Data::Float(1.0));
    let farmland = row(&s, &[(0, "QL-0101-01"), (3, "新增耕地任务完成率")]);
    assert_eq!(farmland[raw], Data::Float(800.0));
    assert_eq!(farmland[plan], Data::Float(800.0));
    assert_eq!(farmland[unit], Data::String("亩".into()));
    let reps = row(&s, &[(0, "QL-0101-01"), (3, "村民代表参与验收")]);
    assert_eq!(reps[raw], Data::String("是".into()));
}

/// 原始数据: dates are Excel dates. QL-0101-01's plan was approved on
/// 2022-03-15 (serial 44562 for 2022-01-01 + 31 + 28 + 14 = 44635) and
/// accepted on 2025-06-30 (45658 for 2025-01-01 + 180 = 45838).
#[test]
fn committee_raw_dates_are_dates() {
    let s = sheet(committee(), "原始数据");
    let r = row(&s, &[(0, "QL-0101-01")]);
    let date = |head: &str| match &r[col(&s, head)] {
        Data::DateTime(d) => d.as_f64(),
        other => panic!("{head}: expected a date, found {other:?}"),
    };
    assert_eq!(date("实施方案批复时间"), 44635.0);
    assert_eq!(date("整体验收时间"), 45838.0);
}

/// 排名: 31 eligible projects on rows 2–32, the 9 vetoed on rows 33–41.
/// The colour scale of 总分 (column K: 5 identity columns, 3 dimensions,
/// 加分, 扣分) covers K2:K32 only, and a vetoed row's cells are grey.
#[test]
fn vetoed_projects_are_grey_and_outside_the_colour_scale() {
    let s = sheet(committee(), "排名");
    assert_eq!(col(&s, "总分"), 10);
    let vetoed: Vec<usize> = s
        .rows()
        .enumerate()
        .filter(|(_, r)| r[0] == Data::String("—".into()))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(vetoed, (33..=41).collect::<Vec<_>>());
    let xml = sheet_xml(committee(), "排名");
    assert!(xml.contains(r#"<conditionalFormatting sqref="K2:K32">"#), "{xml}");
    let style = |cell: &str| {
        let at = xml
            .find(&format!(r#"<c r="{cell}" s=""#))
            .unwrap_or_else(|| panic!("{cell}"));
        xml[at..].split('"').nth(3).unwrap().to_string()
    };
    assert_ne!(style("K33"), style("K2"), "a vetoed total looks like an eligible one");
    let all = parts(committee());
    assert!(all["xl/styles.xml"].contains("FFD9D9D9"), "no grey fill");
    // The grey is explained in a note on the 总分 header; the table stays 40 rows.
    assert_eq!(s.height(), 41);
    assert!(
        all.values()
            .any(|x| x.contains("<comments") && x.contains("灰色底纹为一票否决项目"))
    );
    // 示范候选 excludes them too (total in F, selection probability in N).
    let xml = sheet_xml(committee(), "示范候选");
    assert!(xml.contains(r#"sqref="F2:F32""#) && xml.contains(r#"sqref="N2:N32""#));
}

/// Every sheet of every workbook prints on A4 fitted to the page width with
/// its header row repeated, the title and sheet name on top and 第 n 页，共 m 页
/// below; 指标得分 (columns 143 characters wide) prints landscape on one page
/// across, 原始数据 (one column of 12 per field) across several, id and name on each.
#[test]
fn every_sheet_has_print_setup() {
    let path = common::scratch("workbooks-quality").join("数据质量.xlsx");
    write_quality_workbook(&path, &run().log).unwrap();
    for book in [committee(), bulletin(), self_assessment(), &path] {
        let names = open_workbook_auto(book).unwrap().sheet_names();
        let all = parts(book);
        for (i, name) in names.iter().enumerate() {
            let xml = &all[&format!("xl/worksheets/sheet{}.xml", i + 1)];
            assert!(xml.contains(r#"paperSize="9""#), "{name}: not A4");
            assert!(
                xml.contains(r#"fitToHeight="0""#) && xml.contains("<pageSetUpPr fitToPage=\"1\"/>"),
                "{name}: not fitted to width"
            );
            assert!(
                xml.contains("&amp;C第 &amp;P 页，共 &amp;N 页"),
                "{name}: no page n of m"
            );
            assert!(xml.contains("&amp;R&amp;A"), "{name}: no sheet name in the header");
            let titles = format!("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"{i}\">");
            assert!(
                all["xl/workbook.xml"].contains(&titles),
                "{name}: header row not repeated"
            );
        }
    }
    assert!(sheet_xml(committee(), "指标得分").contains(r#"orientation="landscape""#));
    assert!(
        !sheet_xml(committee(), "指标得分").contains("fitToWidth"),
        "more than one page across"
    );
    assert!(!sheet_xml(committee(), "读取情况").contains(r#"orientation="landscape""#));
    let fields = sheet(committee(), "原始数据").width() as f64;
    let across = format!(r#"fitToWidth="{}""#, (fields * 12.0 / 190.0).ceil());
    assert!(sheet_xml(committee(), "原始数据").contains(&across), "{across}");
    let titles = parts(committee())["xl/workbook.xml"].clone();
    assert!(titles.contains("原始数据!$A:$B,原始数据!$1:$1"), "{titles}");
}

/// 数据质量 and 读取情况 are two sheets with one table each; the committee's
/// 数据质量 lists every finding of the run. 杉坳县.xlsx / 项目台账 holds the
/// county's 3 projects: 3 rows read, 3 imported, 0 skipped.
#[test]
fn data_quality_is_two_tables() {
    let findings = sheet(committee(), "数据质量");
    assert_eq!(findings.height() - 1, run().log.findings.len());
    assert_eq!(findings.width(), 6, "findings sheet holds one table of 6 columns");
    let tallies = sheet(committee(), "读取情况");
    let r = row(&tallies, &[(0, "杉坳县.xlsx"), (1, "项目台账")]);
    assert_eq!(r[2..5], [Data::Float(3.0), Data::Float(3.0), Data::Float(0.0)]);
    assert!(sheet_xml(committee(), "数据质量").contains(r#"<col min="6" max="6" width="80.7109375""#));
}

/// The 示范候选 header is the shared header format (same cell style as 排名's).
#[test]
fn candidates_share_the_header_format() {
    let style = |sheet: &str| {
        let xml = sheet_xml(committee(), sheet);
        let at = xml.find(r#"<c r="A1" s=""#).unwrap();
        xml[at..].split('"').nth(3).unwrap().to_string()
    };
    assert_eq!(style("示范候选"), style("排名"));
}

/// 评分卡 of QL-0101-01: 村民同意率 0.98 (%), the peers' 50% is the number
/// 0.5, and the summary's 自评得分 is the number 100.
#[test]
fn self_assessment_cells_are_numbers() {
    let s = sheet(self_assessment(), "评分卡");
    let consent = row(&s, &[(1, "村民同意率")]);
    assert_eq!(consent[col(&s, "原始值")], Data::Float(0.98));
    assert_eq!(consent[col(&s, "单位")], Data::String("%".into()));
    assert_eq!(consent[col(&s, "同批平均得分率")], Data::Float(0.5));
    let other = row(&s, &[(1, "子项目验收率")]);
    assert_eq!(other[col(&s, "同批平均得分率")], Data::Empty);
    assert_eq!(row(&s, &[(0, "自评得分")])[1], Data::Float(100.0));
}

/// 通报附件: scores come from the evaluation, not from the view's text.
/// QL-0101-01 (rank 1, 100 points) leads 排名, 示范项目 and 典型案例;
/// QL-0502-03 (rank 5) has not been accepted; QL-0501-01 is vetoed.
#[test]
fn bulletin_annex_holds_numbers_and_flags() {
    let ranking = sheet(bulletin(), "排名");
    let first = row(&ranking, &[(1, "QL-0101-01")]);
    assert_eq!(first[0], Data::Float(1.0));
    assert_eq!(first[col(&ranking, "得分")], Data::Float(100.0));
    assert_eq!(first[col(&ranking, "示范样板")], Data::String("是".into()));
    let pending = row(&ranking, &[(1, "QL-0502-03")]);
    assert_eq!(pending[0], Data::Float(5.0));
    assert_eq!(pending[col(&ranking, "未验收")], Data::String("是".into()));
    let vetoed = row(&ranking, &[(1, "QL-0501-01")]);
    assert_eq!(vetoed[0], Data::String("—".into()));
    assert_eq!(vetoed[col(&ranking, "一票否决")], Data::String("是".into()));
    let p = run().eval.projects.iter().find(|p| p.id == "QL-0402-02").unwrap();
    let second = row(&ranking, &[(1, "QL-0402-02")]);
    assert_eq!(
        float(&second[col(&ranking, "得分")]),
        p.total,
        "full precision, not the 2-decimal text"
    );
    let demos = sheet(bulletin(), "示范项目");
    assert_eq!(
        row(&demos, &[(1, "QL-0101-01")])[col(&demos, "得分")],
        Data::Float(100.0)
    );
    let cases = sheet(bulletin(), "典型案例");
    assert_eq!(
        row(&cases, &[(0, "QL-0101-01")])[col(&cases, "得分")],
        Data::Float(100.0)
    );
}
