//! Writers for the layer formats read here (Shapefile, GeoJSON, GeoPackage),
//! used by the fixture generator, the tests and the benchmark to make small
//! survey layers. Not used when evaluating.

use super::dbf::Encoding;
use super::wkb;
use crate::ingest::Source;
use anyhow::{Context, Result};
use geo::{LineString, MultiPolygon, Polygon, Rect};
use serde_json::{Map, Value, json};

/// `.prj` of CGCS2000 3° Gauss–Krüger, central meridian 117°E (EPSG:4548).
pub const PRJ_CGCS2000_GK_117: &str = r#"PROJCS["CGCS2000_3_Degree_GK_CM_117E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;

/// `.prj` of CGCS2000 geographic coordinates (EPSG:4490).
pub const PRJ_CGCS2000_GEOGRAPHIC: &str = r#"GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;

/// A dBASE column.
#[derive(Debug, Clone)]
pub struct DbfColumn {
    pub name: String,
    /// `C` text or `N` number.
    pub kind: u8,
    pub len: u8,
    pub decimals: u8,
}

impl DbfColumn {
    pub fn text(name: &str, len: u8) -> Self {
        Self {
            name: name.into(),
            kind: b'C',
            len,
            decimals: 0,
        }
    }

    pub fn number(name: &str, len: u8, decimals: u8) -> Self {
        Self {
            name: name.into(),
            kind: b'N',
            len,
            decimals,
        }
    }
}

/// Features with attribute rows in column order (`None` = blank).
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub columns: Vec<DbfColumn>,
    pub shapes: Vec<MultiPolygon<f64>>,
    pub rows: Vec<Vec<Option<String>>>,
}

fn encode(s: &str, enc: Encoding) -> Vec<u8> {
    match enc {
        Encoding::Utf8 => s.as_bytes().to_vec(),
        Encoding::Gbk => encoding_rs::GBK.encode(s).0.into_owned(),
    }
}

/// A dBASE III table.
pub fn dbf_bytes(columns: &[DbfColumn], rows: &[Vec<Option<String>>], enc: Encoding) -> Vec<u8> {
    let record_len: usize = 1 + columns.iter().map(|c| c.len as usize).sum::<usize>();
    let header_len = 32 + 32 * columns.len() + 1;
    let mut out = vec![0u8; header_len];
    out[0] = 0x03;
    out[1..4].copy_from_slice(&[125, 1, 1]);
    out[4..8].copy_from_slice(&(rows.len() as u32).to_le_bytes());
    out[8..10].copy_from_slice(&(header_len as u16).to_le_bytes());
    out[10..12].copy_from_slice(&(record_len as u16).to_le_bytes());
    out[29] = if enc == Encoding::Gbk { 0x4D } else { 0x00 };
    for (i, c) in columns.iter().enumerate() {
        let d = &mut out[32 + 32 * i..64 + 32 * i];
        let name = encode(&c.name, enc);
        let n = name.len().min(10);
        d[..n].copy_from_slice(&name[..n]);
        d[11] = c.kind;
        d[16] = c.len;
        d[17] = c.decimals;
    }
    out[header_len - 1] = 0x0D;
    // encoding_rs encodes GBK by table search: encode each distinct text once.
    let mut encoded: std::collections::HashMap<&str, Vec<u8>> = std::collections::HashMap::new();
    for row in rows {
        out.push(b' ');
        for (c, col) in columns.iter().enumerate() {
            let len = col.len as usize;
            let mut cell = match row.get(c).and_then(Option::as_deref) {
                Some(v) if v.is_ascii() => v.as_bytes().to_vec(),
                Some(v) => encoded.entry(v).or_insert_with(|| encode(v, enc)).clone(),
                None => Vec::new(),
            };
            cell.truncate(len);
            let pad = vec![b' '; len - cell.len()];
            if col.kind == b'N' {
                out.extend(&pad);
                out.extend(&cell);
            } else {
                out.extend(&cell);
                out.extend(&pad);
            }
        }
    }
    out.push(0x1A);
    out
}

/// Ring coordinates running clockwise (`cw`) or anticlockwise.
fn oriented(r: &LineString<f64>, cw: bool) -> Vec<(f64, f64)> {
    let area: f64 = r.0.windows(2).map(|w| w[0].x * w[1].y - w[1].x * w[0].y).sum();
    let mut pts: Vec<(f64, f64)> = r.0.iter().map(|c| (c.x, c.y)).collect();
    if pts.first() != pts.last()
        && let Some(&f) = pts.first()
    {
        pts.push(f);
    }
    if (area < 0.0) != cw {
        pts.reverse();
    }
    pts
}

fn bbox_of(shapes: &[MultiPolygon<f64>]) -> [f64; 4] {
    use geo::BoundingRect;
    let mut b = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
    for r in shapes.iter().filter_map(|s| s.bounding_rect()) {
        b = [
            b[0].min(r.min().x),
            b[1].min(r.min().y),
            b[2].max(r.max().x),
            b[3].max(r.max().y),
        ];
    }
    if !b[0].is_finite() {
        b = [0.0; 4];
    }
    b
}

fn shp_header(len_bytes: usize, bbox: [f64; 4]) -> Vec<u8> {
    let mut h = vec![0u8; 100];
    h[0..4].copy_from_slice(&9994i32.to_be_bytes());
    h[24..28].copy_from_slice(&((len_bytes / 2) as i32).to_be_bytes());
    h[28..32].copy_from_slice(&1000i32.to_le_bytes());
    h[32..36].copy_from_slice(&5i32.to_le_bytes());
    for (i, v) in bbox.iter().enumerate() {
        h[36 + 8 * i..44 + 8 * i].copy_from_slice(&v.to_le_bytes());
    }
    h
}

/// Shapefile `.shp` and `.shx` bytes of polygons (outer rings clockwise, holes anticlockwise).
pub fn shp_shx(shapes: &[MultiPolygon<f64>]) -> (Vec<u8>, Vec<u8>) {
    let mut body = Vec::new();
    let mut index = Vec::new();
    for (i, s) in shapes.iter().enumerate() {
        let rings: Vec<Vec<(f64, f64)>> = s
            .0
            .iter()
            .flat_map(|p| {
                std::iter::once(oriented(p.exterior(), true)).chain(p.interiors().iter().map(|h| oriented(h, false)))
            })
            .collect();
        let npts: usize = rings.iter().map(Vec::len).sum();
        let mut c = Vec::new();
        c.extend(5i32.to_le_bytes());
        for v in bbox_of(std::slice::from_ref(s)) {
            c.extend(v.to_le_bytes());
        }
        c.extend((rings.len() as i32).to_le_bytes());
        c.extend((npts as i32).to_le_bytes());
        let mut start = 0;
        for r in &rings {
            c.extend((start as i32).to_le_bytes());
            start += r.len();
        }
        for (x, y) in rings.iter().flatten() {
            c.extend(x.to_le_bytes());
            c.extend(y.to_le_bytes());
        }
        index.push((100 + body.len(), c.len()));
        body.extend(((i + 1) as i32).to_be_bytes());
        body.extend(((c.len() / 2) as i32).to_be_bytes());
        body.extend(c);
    }
    let bbox = bbox_of(shapes);
    let mut shp = shp_header(100 + body.len(), bbox);
    shp.extend(body);
    let mut shx = shp_header(100 + 8 * index.len(), bbox);
    for (at, len) in index {
        shx.extend(((at / 2) as i32).to_be_bytes());
        shx.extend(((len / 2) as i32).to_be_bytes());
    }
    (shp, shx)
}

/// A `.shp` source carrying its `.shx`, `.dbf` and optional `.prj` / `.cpg` siblings.
pub fn shapefile_source(stem: &str, t: &Table, enc: Encoding, prj: Option<&str>, cpg: Option<&str>) -> Source {
    let (shp, shx) = shp_shx(&t.shapes);
    let mut siblings = vec![
        Source::new(format!("{stem}.shx"), shx),
        Source::new(format!("{stem}.dbf"), dbf_bytes(&t.columns, &t.rows, enc)),
    ];
    if let Some(p) = prj {
        siblings.push(Source::new(format!("{stem}.prj"), p.as_bytes().to_vec()));
    }
    if let Some(c) = cpg {
        siblings.push(Source::new(format!("{stem}.cpg"), c.as_bytes().to_vec()));
    }
    Source {
        siblings,
        ..Source::new(format!("{stem}.shp"), shp)
    }
}

fn ring_json(r: &LineString<f64>) -> Value {
    Value::Array(r.0.iter().map(|c| json!([c.x, c.y])).collect())
}

fn properties(t: &Table, row: &[Option<String>]) -> Map<String, Value> {
    t.columns
        .iter()
        .zip(row)
        .map(|(c, v)| {
            let value = match (v, c.kind) {
                (None, _) => Value::Null,
                (Some(s), b'N') => s.parse::<f64>().map_or(Value::String(s.clone()), |x| json!(x)),
                (Some(s), _) => Value::String(s.clone()),
            };
            (c.name.clone(), value)
        })
        .collect()
}

/// A GeoJSON FeatureCollection; `epsg` adds a legacy `crs` member (projected coordinates).
pub fn geojson(t: &Table, epsg: Option<u32>) -> String {
    let features: Vec<Value> = t
        .shapes
        .iter()
        .zip(&t.rows)
        .map(|(s, row)| {
            let polys: Vec<Value> =
                s.0.iter()
                    .map(|p| {
                        Value::Array(
                            std::iter::once(p.exterior())
                                .chain(p.interiors())
                                .map(ring_json)
                                .collect(),
                        )
                    })
                    .collect();
            json!({
                "type": "Feature",
                "properties": Value::Object(properties(t, row)),
                "geometry": { "type": "MultiPolygon", "coordinates": polys },
            })
        })
        .collect();
    let mut doc = json!({ "type": "FeatureCollection", "features": features });
    if let Some(code) = epsg {
        doc["crs"] = json!({ "type": "name", "properties": { "name": format!("urn:ogc:def:crs:EPSG::{code}") } });
    }
    doc.to_string()
}

/// A GeoPackage with one feature table per `(name, table)`, all in EPSG `epsg`.
pub fn gpkg(layers: &[(&str, &Table)], epsg: u32, wkt: &str) -> Result<Vec<u8>> {
    let mut conn = rusqlite::Connection::open_in_memory()?;
    conn.execute_batch(
        "PRAGMA application_id = 1196444487;
         CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
           organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
         CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT, description TEXT DEFAULT '',
           last_change DATETIME, min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER);
         CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
           srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL);",
    )?;
    conn.execute(
        "INSERT INTO gpkg_spatial_ref_sys VALUES ('CGCS2000', ?1, 'EPSG', ?1, ?2, NULL)",
        rusqlite::params![epsg, wkt],
    )?;
    for (name, t) in layers {
        let cols: Vec<String> = t
            .columns
            .iter()
            .map(|c| format!("\"{}\" {}", c.name, if c.kind == b'N' { "REAL" } else { "TEXT" }))
            .collect();
        conn.execute_batch(&format!(
            "CREATE TABLE \"{name}\" (fid INTEGER PRIMARY KEY, geom BLOB{}{});",
            if cols.is_empty() { "" } else { ", " },
            cols.join(", ")
        ))?;
        let b = bbox_of(&t.shapes);
        conn.execute(
            "INSERT INTO gpkg_contents VALUES (?1, 'features', ?1, '', '2025-01-01T00:00:00Z', ?2, ?3, ?4, ?5, ?6)",
            rusqlite::params![name, b[0], b[1], b[2], b[3], epsg],
        )?;
        conn.execute(
            "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', 'MULTIPOLYGON', ?2, 0, 0)",
            rusqlite::params![name, epsg],
        )?;
        let marks = vec!["?"; t.columns.len() + 1].join(", ");
        let names: Vec<String> = t.columns.iter().map(|c| format!("\"{}\"", c.name)).collect();
        let sql = format!(
            "INSERT INTO \"{name}\" (geom{}{}) VALUES ({marks})",
            if names.is_empty() { "" } else { ", " },
            names.join(", ")
        );
        let tx = conn.transaction()?;
        {
            let mut st = tx.prepare(&sql)?;
            for (s, row) in t.shapes.iter().zip(&t.rows) {
                let mut blob = b"GP\x00\x01".to_vec();
                blob.extend(epsg.to_le_bytes());
                blob.extend(wkb::multipolygon_bytes(s));
                let mut params: Vec<rusqlite::types::Value> = vec![blob.into()];
                for (c, v) in t.columns.iter().zip(row) {
                    params.push(match (v, c.kind) {
                        (None, _) => rusqlite::types::Value::Null,
                        (Some(s), b'N') => s.parse::<f64>().map_or(s.clone().into(), Into::into),
                        (Some(s), _) => s.clone().into(),
                    });
                }
                st.execute(rusqlite::params_from_iter(params))?;
            }
        }
        tx.commit()?;
    }
    let data = conn.serialize("main").context("GeoPackage 序列化失败")?;
    Ok(data.to_vec())
}

/// An axis-aligned rectangle as a one-polygon MultiPolygon.
pub fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> MultiPolygon<f64> {
    MultiPolygon(vec![Rect::new((x0, y0), (x1, y1)).to_polygon()])
}

/// A rectangle with a rectangular hole.
pub fn rect_with_hole(outer: [f64; 4], hole: [f64; 4]) -> MultiPolygon<f64> {
    let o = Rect::new((outer[0], outer[1]), (outer[2], outer[3])).to_polygon();
    let h = Rect::new((hole[0], hole[1]), (hole[2], hole[3])).to_polygon();
    MultiPolygon(vec![Polygon::new(o.exterior().clone(), vec![h.exterior().clone()])])
}
