//! Small survey layers built by hand for the spatial tests.

use geo::MultiPolygon;
use landeval::ingest::layers::dbf::Encoding;
use landeval::ingest::layers::write::{self, DbfColumn, PRJ_CGCS2000_GK_117, Table};
use landeval::ingest::{Dataset, Source};
use landeval::template::{CellValue, Row, WorkbookData, write_workbook};

/// 1 亩 in m².
pub const MU: f64 = 10_000.0 / 15.0;

/// A DLTB-style table: BSM, DLBM, DLMC and optionally TBDLMJ (m²).
pub fn dltb(features: &[(MultiPolygon<f64>, &str, Option<f64>)]) -> Table {
    let name = |code: &str| match code {
        "0101" => "水田",
        "0102" => "水浇地",
        "0103" => "旱地",
        "1006" => "农村道路",
        _ => "其他",
    };
    Table {
        columns: vec![
            DbfColumn::text("BSM", 18),
            DbfColumn::text("DLBM", 5),
            DbfColumn::text("DLMC", 20),
            DbfColumn::number("TBDLMJ", 15, 2),
        ],
        shapes: features.iter().map(|f| f.0.clone()).collect(),
        rows: features
            .iter()
            .enumerate()
            .map(|(i, (_, code, net))| {
                vec![
                    Some(format!("{}", 1000 + i)),
                    Some(code.to_string()),
                    Some(name(code).to_string()),
                    net.map(|x| format!("{x:.2}")),
                ]
            })
            .collect(),
    }
}

/// A Shapefile source in CGCS2000 3° GK (CM 117°E), GBK dbf, with .prj and .cpg.
pub fn shp(stem: &str, t: &Table) -> Source {
    write::shapefile_source(stem, t, Encoding::Gbk, Some(PRJ_CGCS2000_GK_117), Some("GBK"))
}

fn text(s: &str) -> CellValue {
    CellValue::Text(s.into())
}

/// A workbook source with a ledger row per (id, terrain, area_total 亩) and optional farmland rows.
pub fn workbook(dir: &std::path::Path, projects: &[(&str, &str, f64)], farmland: &[Row]) -> Source {
    let mut data = WorkbookData::new();
    for (id, terrain, area) in projects {
        let mut r = Row::new();
        r.insert("project_id".into(), text(id));
        r.insert("project_name".into(), text(&format!("{id} 全域土地综合整治项目")));
        r.insert("city".into(), text("测试市"));
        r.insert("county".into(), text("测试县"));
        r.insert("terrain".into(), text(terrain));
        r.insert("area_total".into(), CellValue::Number(*area));
        data.entry("ledger".into()).or_default().push(r);
    }
    data.insert("farmland".into(), farmland.to_vec());
    let path = dir.join("测试县.xlsx");
    write_workbook(&path, &landeval::fields::FieldDict::bundled(), &data).expect("workbook");
    Source::from_path(&path).expect("workbook source")
}

/// Messages of the findings that mention `needle`.
pub fn findings_with<'a>(ds: &'a Dataset, needle: &str) -> Vec<&'a landeval::ingest::Finding> {
    ds.log
        .findings
        .iter()
        .filter(|f| f.message.contains(needle) || f.origin.cell.contains(needle))
        .collect()
}
