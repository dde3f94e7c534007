//! Farmland maps in the documents (issue 15 “Maps”): the sample province's
//! survey layers (`fixtures/sample-province/空间数据/`: QL-0103-02 as GBK
//! Shapefiles, QL-0201-03 as a GeoPackage, QL-0401-03 as UTF-8 Shapefiles
//! and GeoJSON) drawn on the scorecards, the self-assessment and the
//! bulletin's typical cases; projects without layers get no map.

use crate::common;
use landeval::fields::FieldDict;
use landeval::ingest::Source;
use landeval::model::Model;
use landeval::pipeline::{self, Run};
use landeval::report::RenderOptions;
use landeval::report::bulletin::BulletinOptions;
use landeval::report::engine::fonts::FontSet;
use landeval::report::engine::map::{MapStyle, Panels, render_svg};
use landeval::report::text::vocab;
use std::path::Path;
use std::sync::OnceLock;

/// Text only the map draws: its captions and its legend.
const MAP_BEFORE: &str = "整治前：耕地";
const MAP_AFTER: &str = "整治后：耕地";
const LEGEND: &str = "零星耕地（连片后";

/// Evaluate under national-2025 without the Monte Carlo draws (maps do not depend on them).
fn evaluate(sources: &[Source]) -> Run {
    let dict = FieldDict::bundled();
    let fonts = FontSet::load(None).expect("fonts");
    let ds = pipeline::read(sources, &dict, &fonts);
    let mut model = Model::load("national-2025").expect("model");
    model.robustness.draws = 0;
    pipeline::evaluate(ds, dict, model, None).expect("evaluation")
}

/// The demo data: every workbook and every survey layer.
fn province() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| evaluate(&pipeline::demo_sources()))
}

/// The layers of `project` in the sample province (a `.shp` brings its parts).
fn layers_of(project: &str) -> Vec<Source> {
    let dir = common::repo().join("fixtures/sample-province/空间数据");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with(project)
                && (name.ends_with(".shp") || name.ends_with(".gpkg") || name.ends_with(".geojson"))
        })
        .collect();
    paths.sort();
    paths.iter().map(|p| Source::from_path(p).unwrap()).collect()
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

/// The three projects with layers have maps, no other; QL-0103-02's map
/// gives the patch counts of its layers (fixture README: 1,756 → 1,089).
#[test]
fn the_projects_with_layers_have_maps() {
    let ids: Vec<&str> = province().maps.keys().map(String::as_str).collect();
    assert_eq!(ids, ["QL-0103-02", "QL-0201-03", "QL-0401-03"]);
    let svg = render_svg(&province().maps["QL-0103-02"], &MapStyle::default());
    // Captions wrap between their pieces; the numbers are the layers'.
    for piece in [
        "整治前：耕地 5696 亩，",
        "图斑 1756 个，",
        "集中连片地块 2 个",
        "整治后：耕地 5961 亩，",
        "图斑 1089 个，",
        "集中连片地块 13 个",
    ] {
        assert!(svg.contains(piece), "{piece}");
    }
    let after = render_svg(&province().maps["QL-0103-02"], &MapStyle::sized(90.0, Panels::After));
    assert!(after.contains("图斑 1089 个") && !after.contains("整治前"));
}

/// Each annex holds the maps of its own cards only, every card still one
/// page; the main volume has no map.
#[test]
fn scorecards_show_the_maps_of_their_projects() {
    let dir = common::scratch("maps-committee");
    let w = pipeline::write_committee(province(), &dir, &RenderOptions::default()).unwrap();
    assert!(
        !common::pdf_has_text(&read(&w.pdf), MAP_BEFORE),
        "a map in the main volume"
    );
    let with_maps = ["岚城市", "溱阳市", "禾川市"];
    for v in &w.annexes {
        let name = v.path.file_name().unwrap().to_string_lossy().into_owned();
        let city = name.trim_start_matches("评估报告-评分卡-").trim_end_matches(".pdf");
        let pdf = read(&v.path);
        let mapped = with_maps.contains(&city);
        for text in [MAP_BEFORE, MAP_AFTER, LEGEND] {
            assert_eq!(common::pdf_has_text(&pdf, text), mapped, "{text} in {name}");
        }
        // Every city has projects without layers: their cards say so in a line.
        assert!(common::pdf_has_text(&pdf, "未报送国土调查地类图斑图层"), "{name}");
        let cards = province().eval.projects.iter().filter(|p| p.city == city).count();
        assert_eq!(v.pages, cards + 2, "{name}: a scorecard is one page");
    }
}

#[test]
fn the_self_assessment_of_a_project_with_layers_shows_its_map() {
    let dir = common::scratch("maps-self");
    let w = pipeline::write_self_assessment(province(), &dir, "QL-0103-02", None, &RenderOptions::default()).unwrap();
    let pdf = read(&w.pdf);
    for text in [MAP_BEFORE, MAP_AFTER, LEGEND, vocab::MAP_TITLE] {
        assert!(common::pdf_has_text(&pdf, text), "{text}");
    }
    assert!(!common::pdf_has_text(&pdf, "未报送国土调查地类图斑图层"));
}

#[test]
fn the_self_assessment_of_a_project_without_layers_says_so() {
    let dir = common::scratch("maps-self-none");
    let w = pipeline::write_self_assessment(province(), &dir, "QL-0101-01", None, &RenderOptions::default()).unwrap();
    let pdf = read(&w.pdf);
    assert!(common::pdf_has_text(&pdf, "未报送国土调查地类图斑图层"));
    for text in [MAP_BEFORE, MAP_AFTER, LEGEND] {
        assert!(!common::pdf_has_text(&pdf, text), "{text}");
    }
}

/// 澜坪县 alone with QL-0103-02's layers: QL-0103-02 is its first typical
/// case, shown with the after map (not the before one) in the PDF and
/// inlined in the web page; its other cases have no map.
#[test]
fn a_typical_case_with_layers_shows_the_after_map() {
    let mut sources = vec![Source::from_path(&common::repo().join("fixtures/sample-province/澜坪县.xlsx")).unwrap()];
    sources.extend(layers_of("QL-0103-02"));
    let run = evaluate(&sources);
    let dir = common::scratch("maps-bulletin");
    let w = pipeline::write_bulletin(&run, &dir, &BulletinOptions::default(), &RenderOptions::default()).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&read(&w.json)).unwrap();
    let cases = json["cases"].as_array().unwrap();
    assert_eq!(cases[0]["id"], "QL-0103-02");
    assert_eq!(cases[0]["map"]["file"], "/maps/QL-0103-02-after.svg");
    assert!(cases[1..].iter().all(|c| c["map"]["file"] == ""), "{cases:?}");
    let pdf = read(&w.pdf);
    assert!(common::pdf_has_text(&pdf, MAP_AFTER) && common::pdf_has_text(&pdf, LEGEND));
    assert!(common::pdf_has_text(&pdf, vocab::MAP_AFTER_TITLE));
    assert!(!common::pdf_has_text(&pdf, MAP_BEFORE));
    let html = String::from_utf8(read(w.html.as_ref().unwrap())).unwrap();
    assert_eq!(html.matches("<figure class=\"map\"><svg xmlns=").count(), 1);
    assert!(html.contains("整治后：耕地 5961 亩") && !html.contains("整治前："));
}

/// The whole province's typical cases (the first three demonstration
/// projects) have no layers: no map, no empty frame, no line about it.
#[test]
fn typical_cases_without_layers_show_no_map() {
    let dir = common::scratch("maps-bulletin-none");
    let w = pipeline::write_bulletin(province(), &dir, &BulletinOptions::default(), &RenderOptions::default()).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&read(&w.json)).unwrap();
    let ids: Vec<&str> = json["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(ids.iter().all(|id| !province().maps.contains_key(*id)), "{ids:?}");
    let pdf = read(&w.pdf);
    assert!(!common::pdf_has_text(&pdf, MAP_AFTER) && !common::pdf_has_text(&pdf, vocab::MAP_AFTER_TITLE));
    assert!(!common::pdf_has_text(&pdf, "未报送国土调查地类图斑图层"));
    let html = String::from_utf8(read(w.html.as_ref().unwrap())).unwrap();
    assert!(!html.contains("<svg"));
}

/// `landeval self-assess <folder>` reads the survey layers in the folder's
/// subfolders too, so the county's own run shows the map.
#[test]
fn cli_self_assess_on_the_folder_reads_the_layers() {
    let dir = common::scratch("maps-cli");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_landeval"))
        .args(["--quiet", "self-assess"])
        .arg(common::repo().join("fixtures/sample-province"))
        .args(["--project", "QL-0103-02", "--draws", "0", "-o"])
        .arg(&dir)
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let pdf = read(&dir.join("自评报告.pdf"));
    assert!(common::pdf_has_text(&pdf, MAP_AFTER) && common::pdf_has_text(&pdf, LEGEND));
}
