//! Survey layers worked by hand: a few rectangles whose every metric can be
//! checked with pencil and paper, read as Shapefile (GBK), GeoJSON and
//! GeoPackage to the same numbers, set beside a patch table of the same
//! project, and the bad inputs a county sends (each a finding naming the
//! file and the feature, the rest of the run intact).

use crate::common::{self, layers::*};
use geo::MultiPolygon;
use landeval::fields::FieldDict;
use landeval::ingest::layers::dbf::Encoding;
use landeval::ingest::layers::write::{self, PRJ_CGCS2000_GEOGRAPHIC, rect, rect_with_hole};
use landeval::ingest::{self, Dataset, Severity, Source};
use landeval::metrics::{self, spatial};
use landeval::template::{CellValue, Row};
use polars::prelude::DataFrame;

const P: &str = "T-01";
/// Project area 1500 亩 = 100 ha.
const AREA: f64 = 1500.0;

/// Before: A, B share an edge, C is 3 m east of B (a field road E between), D is a
/// 20 m square far away, F a 100 m square with a 20 m hole. A, B, C are 100 × 150 m.
fn before() -> Vec<(MultiPolygon<f64>, &'static str, Option<f64>)> {
    vec![
        (rect(0.0, 0.0, 100.0, 150.0), "0101", None),   // A 22.5 亩
        (rect(100.0, 0.0, 200.0, 150.0), "0103", None), // B 22.5 亩
        (rect(203.0, 0.0, 303.0, 150.0), "0102", None), // C 22.5 亩
        (rect(200.0, 0.0, 203.0, 150.0), "1006", None), // E road, not farmland
        (rect(600.0, 0.0, 620.0, 20.0), "0101", None),  // D 0.6 亩
        (
            rect_with_hole([0.0, 400.0, 100.0, 500.0], [40.0, 440.0, 60.0, 460.0]),
            "0103",
            None,
        ), // F 14.4 亩
    ]
}

/// After: one 300 × 150 m field (67.5 亩, TBDLMJ net of 田坎 = 40,000 m² = 60 亩) and F unchanged.
fn after() -> Vec<(MultiPolygon<f64>, &'static str, Option<f64>)> {
    vec![
        (rect(0.0, 0.0, 300.0, 150.0), "0101", Some(40_000.0)),
        (
            rect_with_hole([0.0, 400.0, 100.0, 500.0], [40.0, 440.0, 60.0, 460.0]),
            "0103",
            Some(9_600.0),
        ),
    ]
}

fn ds_of(name: &str, layers: Vec<Source>, farmland: &[Row]) -> Dataset {
    let dir = common::scratch(name);
    let mut sources = vec![workbook(&dir, &[(P, "丘陵", AREA)], farmland)];
    sources.extend(layers);
    ingest::ingest(&sources, &FieldDict::bundled())
}

fn value(frame: &DataFrame, col: &str) -> Option<f64> {
    value_at(frame, P, col)
}

fn value_at(frame: &DataFrame, id: &str, col: &str) -> Option<f64> {
    let ids = frame.column("project_id").ok()?.str().ok()?.clone();
    let i = (0..frame.height()).find(|&i| ids.get(i) == Some(id))?;
    frame.column(col).ok()?.f64().ok()?.get(i)
}

fn text(frame: &DataFrame, col: &str) -> Option<String> {
    let ids = frame.column("project_id").ok()?.str().ok()?.clone();
    let i = (0..frame.height()).find(|&i| ids.get(i) == Some(P))?;
    frame.column(col).ok()?.str().ok()?.get(i).map(str::to_string)
}

fn close(a: Option<f64>, b: f64, what: &str) {
    let a = a.unwrap_or_else(|| panic!("{what} missing"));
    assert!((a - b).abs() < 1e-6 * b.abs().max(1.0), "{what}: {a} ≠ {b}");
}

fn two_stage_shapefiles() -> Vec<Source> {
    vec![
        shp(&format!("{P}-整治前"), &dltb(&before())),
        shp(&format!("{P}-整治后"), &dltb(&after())),
    ]
}

#[test]
fn hand_made_rectangles_give_every_metric() {
    let ds = ds_of("spatial_hand", two_stage_shapefiles(), &[]);
    let t = metrics::compute(&ds).expect("metrics");
    let f = &t.frame;
    // NP excludes the road; TA = 3 × 22.5 + 0.6 + (100² − 20²)/666.67 = 67.5 + 0.6 + 14.4.
    close(value(f, "layer_np_before"), 5.0, "NP");
    close(value(f, "layer_ta_before"), 82.5, "TA");
    close(value(f, "layer_mps_before"), 82.5 / 5.0, "MPS");
    close(value(f, "layer_lpi_before"), 22.5 / 82.5, "LPI");
    close(
        value(f, "layer_area_am_before"),
        (3.0 * 22.5 * 22.5 + 0.6 * 0.6 + 14.4 * 14.4) / 82.5,
        "AREA_AM",
    );
    close(value(f, "layer_scattered_n_before"), 1.0, "scattered");
    // PD per 100 ha of the 100 ha project; ED = Σ perimeters / 100 ha.
    close(value(f, "layer_pd_before"), 5.0, "PD");
    let perimeters = 3.0 * 500.0 + 80.0 + (400.0 + 80.0);
    close(value(f, "layer_ed_before"), perimeters / 100.0, "ED");
    // Shape index 0.25·P/√A: 1.0206 for the 100 × 150 rectangles, 1 for D, 1.2247 for F.
    let rect_si = 0.25 * 500.0 / 15_000f64.sqrt();
    let f_si = 0.25 * 480.0 / 9_600f64.sqrt();
    close(value(f, "layer_msi_before"), (3.0 * rect_si + 1.0 + f_si) / 5.0, "MSI");
    // Default 8 m tolerance: A+B+C one block of 67.5 亩 ≥ 50 亩 (hills), D and F alone.
    close(value(f, "blocks_n_before"), 3.0, "blocks");
    close(value(f, "blocks_contig_n_before"), 1.0, "contig");
    close(value(f, "blocks_contig_share_before"), 67.5 / 82.5, "contig share");
    close(value(f, "blocks_max_area_before"), 67.5, "largest block");
    close(value(f, "blocks_scattered_n_before"), 1.0, "零星 blocks");
    close(value(f, "blocks_qianmu_n_before"), 0.0, "千亩方");
    // After: TBDLMJ is the area (60 + 14.4 亩); NP 5 → 2 is −60%.
    close(value(f, "layer_ta_after"), 60.0 + 14.4, "TA after");
    close(value(f, "layer_np_pct"), -0.6, "NP %Δ");
    close(value(f, "blocks_max_area_after"), 60.0, "largest block after");
    assert_eq!(text(f, "layer_area_method_before").as_deref(), Some("图形面积（平面）"));
    assert_eq!(
        text(f, "layer_area_method_after").as_deref(),
        Some("图斑地类面积（TBDLMJ）")
    );
    // Under 1 m the 3 m road splits C off: A+B (45 亩) is below the 50 亩 threshold.
    let narrow = spatial::compute(&ds, &spatial::SpatialOptions { gap_tolerance_m: 1.0 }).expect("spatial");
    close(value(&narrow.frame, "blocks_n_before"), 4.0, "blocks at 1 m");
    close(value(&narrow.frame, "blocks_contig_n_before"), 0.0, "contig at 1 m");
    close(value(&narrow.frame, "blocks_max_area_before"), 45.0, "largest at 1 m");
    // The hole is reported as a note naming the feature; nothing is an error.
    assert!(findings_with(&ds, "内环").iter().any(|f| f.origin.cell == "BSM 1005"));
    assert!(!ds.log.has_errors(), "{:?}", ds.log.findings);
}

fn same_numbers(a: &DataFrame, b: &DataFrame, what: &str) {
    for col in [
        "layer_np_before",
        "layer_ta_before",
        "layer_lpi_before",
        "layer_msi_before",
        "blocks_n_before",
        "blocks_max_area_before",
        "layer_ta_after",
    ] {
        let (x, y) = (value(a, col), value(b, col));
        assert!(x.is_some() && y.is_some(), "{what}: {col} missing");
        close(x, y.unwrap_or_default(), &format!("{what}: {col}"));
    }
}

#[test]
fn shapefile_geojson_and_geopackage_read_to_the_same_numbers() {
    let shp = metrics::compute(&ds_of("spatial_fmt_shp", two_stage_shapefiles(), &[])).expect("shp");
    let gj = |stage: &str, rows| {
        Source::new(
            format!("{P}-{stage}.geojson"),
            write::geojson(&dltb(rows), Some(4548)).into_bytes(),
        )
    };
    let geojson = ds_of(
        "spatial_fmt_geojson",
        vec![gj("整治前", &before()), gj("整治后", &after())],
        &[],
    );
    same_numbers(
        &shp.frame,
        &metrics::compute(&geojson).expect("geojson").frame,
        "GeoJSON",
    );
    // One GeoPackage, two tables; the stage is in the table name.
    let (b, a) = (dltb(&before()), dltb(&after()));
    let gpkg = write::gpkg(
        &[("DLTB_整治前", &b), ("DLTB_整治后", &a)],
        4548,
        write::PRJ_CGCS2000_GK_117,
    )
    .expect("gpkg");
    let gp = ds_of("spatial_fmt_gpkg", vec![Source::new(format!("{P}.gpkg"), gpkg)], &[]);
    same_numbers(&shp.frame, &metrics::compute(&gp).expect("gpkg").frame, "GeoPackage");
    // UTF-8 dbf without .cpg reads the same as GBK with one.
    let utf8 = |stem: &str, rows| {
        write::shapefile_source(
            stem,
            &dltb(rows),
            Encoding::Utf8,
            Some(write::PRJ_CGCS2000_GK_117),
            None,
        )
    };
    let u = ds_of(
        "spatial_fmt_utf8",
        vec![
            utf8(&format!("{P}-整治前"), &before()),
            utf8(&format!("{P}-整治后"), &after()),
        ],
        &[],
    );
    same_numbers(
        &shp.frame,
        &metrics::compute(&u).expect("utf8").frame,
        "UTF-8 shapefile",
    );
}

#[test]
fn a_patch_table_and_the_layer_of_the_same_project_agree() {
    // The before layer's farmland areas as a 图斑明细 table.
    let dir = common::scratch("spatial_table");
    let mut csv = String::from("项目编号,阶段,图斑编号,地类,面积（亩）\n");
    for (i, a) in [22.5, 22.5, 22.5, 0.6, 14.4].iter().enumerate() {
        csv.push_str(&format!("{P},整治前,{i},水田,{a}\n"));
    }
    let sources = vec![
        workbook(&dir, &[(P, "丘陵", AREA)], &[]),
        Source::new("测试县-图斑明细.csv", csv.into_bytes()),
        shp(&format!("{P}-整治前"), &dltb(&before())),
    ];
    let ds = ingest::ingest(&sources, &FieldDict::bundled());
    let f = metrics::compute(&ds).expect("metrics").frame;
    for (table, layer) in [
        ("patches_np_before", "layer_np_before"),
        ("patches_ta_before", "layer_ta_before"),
        ("patches_lpi_before", "layer_lpi_before"),
    ] {
        assert!(value(&f, table).is_some(), "{table}");
        close(value(&f, table), value(&f, layer).unwrap_or_default(), table);
    }
    // The summary sheet leaves 耕地图斑数 blank: the layer's count is used and said so.
    close(value(&f, "farmland_patches_before"), 5.0, "filled count");
    assert_eq!(
        text(&f, "farmland_patches_before_source").as_deref(),
        Some("地类图斑图层")
    );
    assert_eq!(text(&f, "farmland_patches_after_source"), None);
}

#[test]
fn a_plain_area_header_is_read_and_a_missing_area_column_is_an_error() {
    let dir = common::scratch("spatial_area_header");
    let book = workbook(&dir, &[(P, "平原", AREA)], &[]);
    let table = |header: &str| {
        let mut csv = format!("项目编号,阶段,{header}\n");
        csv.push_str(&format!("{P},整治前,2.5\n{P},整治前,7.5\n"));
        Source::new("测试县-图斑明细.csv", csv.into_bytes())
    };
    let ds = ingest::ingest(&[book.clone(), table("面积（亩）")], &FieldDict::bundled());
    let f = metrics::compute(&ds).expect("metrics").frame;
    close(value(&f, "patches_np_before"), 2.0, "NP from 面积（亩）");
    close(value(&f, "patches_ta_before"), 10.0, "TA from 面积（亩）");
    // A patch table without any area column: an error naming the column, not a hint.
    let ds = ingest::ingest(&[book, table("备注")], &FieldDict::bundled());
    let errors: Vec<_> = ds
        .log
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    assert!(
        errors
            .iter()
            .any(|f| f.message.contains("图斑面积") && f.origin.sheet == "图斑明细"),
        "{:?}",
        ds.log.findings
    );
}

#[test]
fn declared_figures_are_set_beside_the_computed_ones() {
    let mut farmland = Row::new();
    farmland.insert("project_id".into(), CellValue::Text(P.into()));
    // Declared 82.5 亩 (= computed) before, 80 亩 after (computed 74.4: 7.5% off).
    farmland.insert("farmland_before".into(), CellValue::Number(82.5));
    farmland.insert("farmland_after".into(), CellValue::Number(80.0));
    let ds = ds_of("spatial_compare", two_stage_shapefiles(), &[farmland]);
    let t = metrics::compute(&ds).expect("metrics");
    let warned: Vec<_> = t
        .findings
        .iter()
        .filter(|f| f.message.contains("整治后耕地面积") && f.message.contains("超过 1%"))
        .collect();
    assert_eq!(warned.len(), 1, "{:?}", t.findings);
    assert!(warned[0].message.contains(&format!("{P}-整治后.shp")) && warned[0].origin.sheet == "农用地整治");
    assert!(!t.findings.iter().any(|f| f.message.contains("整治前耕地面积")));
    close(value(&t.frame, "farmland_after_used"), 74.4, "used = layer");
    close(value(&t.frame, "farmland_after"), 80.0, "declared kept");
    assert_eq!(value(&t.frame, "pbf_before_used"), None);
}

#[test]
fn pbf_adjusted_out_is_before_minus_its_overlap_with_after() {
    // PBF before: two 100 × 100 squares (15 亩 each); after: the first, half of
    // the second, and a new square elsewhere. Adjusted out = 7.5 亩.
    let pbf = |rects: Vec<MultiPolygon<f64>>| dltb(&rects.into_iter().map(|r| (r, "0101", None)).collect::<Vec<_>>());
    let before = pbf(vec![rect(0.0, 0.0, 100.0, 100.0), rect(100.0, 0.0, 200.0, 100.0)]);
    let after = pbf(vec![
        rect(0.0, 0.0, 100.0, 100.0),
        rect(100.0, 0.0, 150.0, 100.0),
        rect(0.0, 200.0, 100.0, 300.0),
    ]);
    let mut layers = two_stage_shapefiles();
    layers.push(shp(&format!("{P}-整治前-永久基本农田"), &before));
    layers.push(shp(&format!("{P}-整治后-永久基本农田"), &after));
    let eco = dltb(&[(rect(1000.0, 0.0, 1100.0, 150.0), "0301", None)]);
    layers.push(shp(&format!("{P}-整治前-生态保护红线"), &eco));
    layers.push(shp(&format!("{P}-整治后-生态保护红线"), &eco));
    let mut farmland = Row::new();
    farmland.insert("project_id".into(), CellValue::Text(P.into()));
    farmland.insert("pbf_township_total".into(), CellValue::Number(150.0));
    let ds = ds_of("spatial_pbf", layers, &[farmland]);
    let f = metrics::compute(&ds).expect("metrics").frame;
    close(value(&f, "pbf_before_layer"), 30.0, "PBF before");
    close(value(&f, "pbf_after_layer"), 37.5, "PBF after");
    close(value(&f, "pbf_adjusted_layer"), 7.5, "adjusted out");
    close(
        value(&f, "pbf_adjust_ratio_layer"),
        0.05,
        "ratio of the township's 150 亩",
    );
    close(value(&f, "redline_before_layer"), 22.5, "red line");
    close(value(&f, "redline_after_used"), 22.5, "red line used");
}

#[test]
fn a_boundary_clips_the_patches() {
    // The boundary keeps x ≤ 150: A whole, half of B; C, D outside; F whole.
    let mut layers = two_stage_shapefiles();
    layers.push(shp(
        &format!("{P}-整治区域"),
        &dltb(&[(rect(-10.0, -10.0, 150.0, 600.0), "", None)]),
    ));
    let f = metrics::compute(&ds_of("spatial_clip", layers, &[]))
        .expect("metrics")
        .frame;
    close(value(&f, "layer_np_before"), 3.0, "NP clipped");
    close(value(&f, "layer_ta_before"), 22.5 + 11.25 + 14.4, "TA clipped");
    close(value(&f, "blocks_max_area_before"), 33.75, "A + half B");
}

#[test]
fn a_geographic_layer_uses_geodesic_areas() {
    // A 0.01° cell at 30°N: on the authalic sphere R²·Δλ·(sin φ₂ − sin φ₁).
    let cell = rect(117.0, 30.0, 117.01, 30.01);
    let t = dltb(&[(cell, "0101", None)]);
    let src = write::shapefile_source(
        &format!("{P}-整治前"),
        &t,
        Encoding::Utf8,
        Some(PRJ_CGCS2000_GEOGRAPHIC),
        None,
    );
    let f = metrics::compute(&ds_of("spatial_geog", vec![src], &[]))
        .expect("metrics")
        .frame;
    let r = 6_371_007.2f64;
    let sphere = r * r * 0.01f64.to_radians() * (30.01f64.to_radians().sin() - 30f64.to_radians().sin()) / MU;
    let got = value(&f, "layer_ta_before").expect("TA");
    assert!((got - sphere).abs() / sphere < 0.003, "{got} vs {sphere}");
    assert_eq!(
        text(&f, "layer_area_method_before").as_deref(),
        Some("图形面积（椭球面）")
    );
}

fn warned_about(ds: &Dataset, file: &str, needle: &str) -> bool {
    ds.log
        .findings
        .iter()
        .any(|f| f.origin.file == file && (f.message.contains(needle) || f.origin.cell.contains(needle)))
}

#[test]
fn bad_layers_are_findings_naming_file_and_feature_and_the_run_goes_on() {
    let stem = format!("{P}-整治前");
    let mut good = shp(&format!("{P}-整治后"), &dltb(&after()));
    // Missing .dbf: the layer is skipped with a Chinese reason.
    let mut no_dbf = shp(&stem, &dltb(&before()));
    no_dbf.siblings.retain(|s| !s.name.ends_with(".dbf"));
    let ds = ds_of("spatial_bad_dbf", vec![no_dbf, good.clone()], &[]);
    assert!(warned_about(&ds, &format!("{stem}.shp"), "缺少同名的 .dbf"));
    let f = metrics::compute(&ds).expect("metrics").frame;
    assert_eq!(value(&f, "layer_np_before"), None);
    close(value(&f, "layer_np_after"), 2.0, "the other layer still counts");

    // Missing .shx and .prj: read in order, noted; a different .prj after: both files named.
    let mut bare = shp(&stem, &dltb(&before()));
    bare.siblings.retain(|s| s.name.ends_with(".dbf"));
    good.siblings.retain(|s| !s.name.ends_with(".prj"));
    good.siblings.push(Source::new(
        format!("{P}-整治后.prj"),
        PRJ_CGCS2000_GEOGRAPHIC.as_bytes().to_vec(),
    ));
    let ds = ds_of("spatial_bad_prj", vec![bare, good], &[]);
    assert!(warned_about(&ds, &format!("{stem}.shp"), "缺少 .shx"));
    assert!(warned_about(&ds, &format!("{stem}.shp"), "缺少 .prj"));
    assert!(ds.log.findings.iter().any(|f| f.message.contains("坐标系不一致")
        && f.message.contains(&format!("{stem}.shp"))
        && f.message.contains(&format!("{P}-整治后.shp"))));

    // A bow-tie, an empty geometry, a DLBM that is not a code, GBK text mixed with invalid bytes.
    let bowtie = MultiPolygon(vec![geo::Polygon::new(
        geo::LineString::from(vec![(0.0, 0.0), (100.0, 100.0), (100.0, 0.0), (0.0, 100.0), (0.0, 0.0)]),
        vec![],
    )]);
    let mut t = dltb(&[
        (rect(0.0, 0.0, 100.0, 150.0), "0101", None),
        (bowtie, "0101", Some(5_000.0)),
        (MultiPolygon(vec![]), "0101", None),
        (rect(500.0, 0.0, 600.0, 100.0), "水田", None),
    ]);
    t.rows[0][2] = Some("ZZZZ".into());
    let mut src = shp(&stem, &t);
    let dbf = src.siblings.iter_mut().find(|s| s.name.ends_with(".dbf")).expect("dbf");
    let at = dbf.data.windows(4).position(|w| w == b"ZZZZ").expect("marker");
    // 0xFF never starts a character in GB18030 nor in UTF-8.
    dbf.data[at..at + 4].copy_from_slice(&[0xFF, 0xFE, 0xFF, 0xFE]);
    src.siblings.retain(|s| !s.name.ends_with(".cpg"));
    let file = format!("{stem}.shp");
    let ds = ds_of(
        "spatial_bad_features",
        vec![src, shp(&format!("{P}-整治后"), &dltb(&after()))],
        &[],
    );
    assert!(warned_about(&ds, &file, "BSM 1001") && warned_about(&ds, &file, "自相交"));
    assert!(warned_about(&ds, &file, "BSM 1002") && warned_about(&ds, &file, "空几何"));
    assert!(warned_about(&ds, &file, "BSM 1003") && warned_about(&ds, &file, "不是 GB/T 21010"));
    assert!(warned_about(&ds, &file, "既不是 GBK"));
    let f = metrics::compute(&ds).expect("metrics").frame;
    // A, the bow-tie (area from TBDLMJ) and the 水田 by name count; the empty one does not.
    close(value(&f, "layer_np_before"), 3.0, "NP with bad features");
    close(value(&f, "layer_np_after"), 2.0, "after untouched");

    // A layer with no farmland, a FileGDB folder and an unbound file.
    let ds = ds_of(
        "spatial_bad_misc",
        vec![
            shp(&stem, &dltb(&[(rect(0.0, 0.0, 10.0, 10.0), "0301", None)])),
            Source::new("县级数据库.gdb", Vec::new()),
            shp("整治前地类图斑", &dltb(&before())),
        ],
        &[],
    );
    assert!(warned_about(&ds, &file, "没有耕地图斑"));
    assert!(warned_about(&ds, "县级数据库.gdb", "GeoPackage"));
    assert!(warned_about(&ds, "整治前地类图斑.shp", "无法判断图层属于哪个项目"));
    // Only the FileGDB, whose layers cannot be read, is an error.
    let errors: Vec<_> = ds
        .log
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].origin.file, "县级数据库.gdb");
}

#[test]
fn a_manifest_row_or_a_project_field_binds_a_layer() {
    let dir = common::scratch("spatial_manifest");
    let mut data = landeval::template::WorkbookData::new();
    let t = |s: &str| CellValue::Text(s.into());
    let mut ledger = Row::new();
    for (k, v) in [
        ("project_id", P),
        ("project_name", "测试项目"),
        ("city", "市"),
        ("county", "县"),
        ("terrain", "丘陵"),
    ] {
        ledger.insert(k.into(), t(v));
    }
    data.insert("ledger".into(), vec![ledger]);
    let mut m = Row::new();
    for (k, v) in [
        ("project_id", P),
        ("layer_file", "石湾镇现状.shp"),
        ("layer_stage", "整治前"),
        ("layer_kind", "地类图斑"),
    ] {
        m.insert(k.into(), t(v));
    }
    data.insert("layer_manifest".into(), vec![m]);
    let path = dir.join("测试县.xlsx");
    landeval::template::write_workbook(&path, &FieldDict::bundled(), &data).expect("workbook");
    // A county-wide after layer naming its project in XMBH.
    let mut after_t = dltb(&after());
    after_t.columns.push(write::DbfColumn::text("XMBH", 20));
    for r in &mut after_t.rows {
        r.push(Some(P.into()));
    }
    let sources = vec![
        Source::from_path(&path).expect("workbook"),
        shp("石湾镇现状", &dltb(&before())),
        shp("全县-整治后", &after_t),
    ];
    let ds = ingest::ingest(&sources, &FieldDict::bundled());
    let f = metrics::compute(&ds).expect("metrics").frame;
    close(value(&f, "layer_np_before"), 5.0, "bound by the manifest");
    close(value(&f, "layer_np_after"), 2.0, "bound by XMBH");
}

#[test]
fn the_sample_layers_agree_with_the_sample_workbooks() {
    let mut sources = common::fixture_sources();
    let dir = common::repo().join("fixtures/sample-province/空间数据");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("layers")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "shp" || e == "gpkg" || e == "geojson")
        })
        .collect();
    paths.sort();
    sources.extend(paths.iter().map(|p| Source::from_path(p).expect("layer")));
    let ds = ingest::ingest(&sources, &FieldDict::bundled());
    let t = metrics::compute(&ds).expect("metrics");
    let f = &t.frame;
    let at = |id: &str, col: &str| value_at(f, id, col);
    for id in ["QL-0103-02", "QL-0201-03", "QL-0401-03"] {
        for s in ["before", "after"] {
            for (table, layer) in [
                ("patches_np", "layer_np"),
                ("patches_ta", "layer_ta"),
                ("patches_lpi", "layer_lpi"),
            ] {
                let (a, b) = (at(id, &format!("{table}_{s}")), at(id, &format!("{layer}_{s}")));
                assert!(a.is_some() && b.is_some(), "{id} {layer}_{s}");
                let (a, b) = (a.unwrap_or_default(), b.unwrap_or_default());
                assert!(
                    (a - b).abs() <= 1e-6 * a.abs().max(1.0),
                    "{id} {layer}_{s}: table {a}, layer {b}"
                );
            }
            let (d, c) = (
                at(id, &format!("fields_100mu_{s}")),
                at(id, &format!("blocks_contig_n_{s}")),
            );
            assert_eq!(d, c, "{id} contiguous blocks {s}");
        }
        assert_eq!(
            at(id, "max_block_area_after").map(|x| (x * 100.0).round()),
            at(id, "blocks_max_area_after").map(|x| (x * 100.0).round())
        );
        let (d, c) = (at(id, "pbf_adjusted"), at(id, "pbf_adjusted_layer"));
        assert!(
            c.is_some() && (d.unwrap_or_default() - c.unwrap_or_default()).abs() < 0.01,
            "{id} PBF adjusted {d:?} vs {c:?}"
        );
    }
    // No layer finding above a note, and no declared-vs-layer warning.
    let layer_warnings: Vec<_> = ds
        .log
        .findings
        .iter()
        .filter(|f| {
            f.severity != Severity::Info
                && ds
                    .layers
                    .layers
                    .iter()
                    .any(|l| l.file.starts_with(&f.origin.file) && !f.origin.file.is_empty())
        })
        .collect();
    assert!(layer_warnings.is_empty(), "{layer_warnings:?}");
    assert!(
        !t.findings.iter().any(|f| f.message.contains("超过 1%")),
        "{:?}",
        t.findings
            .iter()
            .filter(|f| f.message.contains("超过 1%"))
            .collect::<Vec<_>>()
    );
    assert_eq!(t.spatial.maps().len(), 3);
    // The demo carries the same layers.
    let demo = landeval::pipeline::demo_sources();
    assert!(demo.iter().any(|s| s.name == "QL-0103-02-整治前.dbf"));
    assert!(demo.iter().any(|s| s.name == "QL-0201-03-国土调查.gpkg"));
}

#[test]
fn a_folder_input_brings_its_survey_layers_and_refuses_a_filegdb() {
    // A county's folder: its workbook, the layers in a subfolder and a FileGDB.
    let dir = common::scratch("spatial_folder_input");
    let sample = common::repo().join("fixtures/sample-province");
    std::fs::create_dir_all(dir.join("空间数据")).expect("dir");
    std::fs::create_dir_all(dir.join("县级数据库.gdb")).expect("gdb");
    std::fs::copy(sample.join("澜坪县.xlsx"), dir.join("澜坪县.xlsx")).expect("copy");
    for stage in ["整治前", "整治后"] {
        for ext in ["shp", "shx", "dbf", "prj", "cpg"] {
            let name = format!("QL-0103-02-{stage}.{ext}");
            std::fs::copy(sample.join("空间数据").join(&name), dir.join("空间数据").join(&name)).expect("copy");
        }
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_landeval"))
        .arg("validate")
        .arg(&dir)
        .arg("-o")
        .arg(dir.join("数据质量.xlsx"))
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "the FileGDB is an error: {stdout}");
    assert!(stdout.contains("[错误] 县级数据库.gdb："), "{stdout}");
    for stage in ["整治前", "整治后"] {
        assert!(
            stdout.contains(&format!(
                "QL-0103-02-{stage}.shp：项目 QL-0103-02 {stage}地类图斑图层，耕地图斑 "
            )),
            "{stdout}"
        );
    }
}
