//! GeoPackage (.gpkg, an SQLite database): every polygon feature table of
//! `gpkg_geometry_columns`, with its coordinate system from
//! `gpkg_spatial_ref_sys` (EPSG code, else WKT).

use super::{Crs, RawFeature, RawLayer, feature, wkb};
use crate::ingest::Source;
use rusqlite::{Connection, OpenFlags, types::ValueRef};

/// Open the file's bytes as a read-only in-memory database.
fn open(src: &Source) -> Result<Connection, String> {
    let mut conn = Connection::open_in_memory_with_flags(OpenFlags::SQLITE_OPEN_READ_WRITE)
        .map_err(|e| format!("无法打开 GeoPackage：{e}"))?;
    conn.deserialize_read_exact("main", &src.data[..], src.data.len(), true)
        .map_err(|e| format!("不是有效的 GeoPackage（SQLite）文件：{e}"))?;
    Ok(conn)
}

fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

/// The coordinate system of an srs id.
fn crs_of(conn: &Connection, srs_id: i64) -> Option<Crs> {
    let (org, code, def): (Option<String>, Option<i64>, Option<String>) = conn
        .query_row(
            "SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?1",
            [srs_id],
            |r| Ok((r.get(0).ok(), r.get(1).ok(), r.get(2).ok())),
        )
        .ok()?;
    let epsg = org
        .filter(|o| o.eq_ignore_ascii_case("EPSG"))
        .and(code)
        .and_then(|c| u32::try_from(c).ok())
        .and_then(Crs::from_epsg);
    epsg.or_else(|| def.as_deref().and_then(Crs::from_wkt))
}

/// The WKB inside a GeoPackage geometry blob (`GP` header, optional envelope).
fn blob_wkb(b: &[u8]) -> Result<&[u8], String> {
    if b.len() < 8 || &b[..2] != b"GP" {
        return Err("几何数据不是 GeoPackage 格式".into());
    }
    let flags = b[3];
    if flags & 0x10 != 0 {
        return Err("空几何".into());
    }
    let envelope = match (flags >> 1) & 0x07 {
        0 => 0,
        1 => 32,
        2 | 3 => 48,
        4 => 64,
        _ => return Err("几何头的外包框类型无效".into()),
    };
    b.get(8 + envelope..).ok_or_else(|| "几何数据不完整".to_string())
}

fn text_of(v: ValueRef<'_>) -> Option<String> {
    match v {
        ValueRef::Null => None,
        ValueRef::Integer(i) => Some(i.to_string()),
        ValueRef::Real(x) => Some(x.to_string()),
        ValueRef::Text(t) => Some(String::from_utf8_lossy(t).trim().to_string()).filter(|s| !s.is_empty()),
        ValueRef::Blob(_) => None,
    }
}

/// Read every feature table of the file.
pub(crate) fn read(src: &Source) -> Result<Vec<RawLayer>, String> {
    let conn = open(src)?;
    let tables: Vec<(String, String, i64)> = {
        let mut st = conn
            .prepare("SELECT table_name, column_name, srs_id FROM gpkg_geometry_columns")
            .map_err(|_| "不是有效的 GeoPackage：缺少 gpkg_geometry_columns 表".to_string())?;
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(|e| e.to_string())?
            .filter_map(Result::ok)
            .collect()
    };
    if tables.is_empty() {
        return Err("GeoPackage 中没有要素图层".into());
    }
    tables
        .iter()
        .map(|(table, geom, srs)| read_table(&conn, src, table, geom, *srs))
        .collect()
}

fn read_table(conn: &Connection, src: &Source, table: &str, geom: &str, srs: i64) -> Result<RawLayer, String> {
    let columns: Vec<String> = {
        let mut st = conn
            .prepare(&format!("PRAGMA table_info({})", quote(table)))
            .map_err(|e| e.to_string())?;
        st.query_map([], |r| r.get::<_, String>(1))
            .map_err(|e| e.to_string())?
            .filter_map(Result::ok)
            .filter(|c| c != geom)
            .collect()
    };
    let (fields, idx) = feature::wanted_columns(columns.iter().map(String::as_str));
    let mut select: Vec<String> = idx.iter().map(|&i| quote(&columns[i])).collect();
    select.push(quote(geom));
    let sql = format!("SELECT {} FROM {}", select.join(", "), quote(table));
    let mut st = conn.prepare(&sql).map_err(|e| format!("无法读取图层 {table}：{e}"))?;
    let n = fields.len();
    let mut rows = st.query([]).map_err(|e| e.to_string())?;
    let mut features = Vec::new();
    let mut bbox = ((f64::INFINITY, f64::INFINITY), (f64::NEG_INFINITY, f64::NEG_INFINITY));
    while let Some(r) = rows.next().map_err(|e| format!("读取图层 {table} 失败：{e}"))? {
        let values = (0..n).map(|c| r.get_ref(c).ok().and_then(text_of)).collect();
        let shape = match r.get_ref(n) {
            Ok(ValueRef::Blob(b)) => blob_wkb(b).and_then(wkb::polygons),
            _ => Err("空几何".into()),
        };
        if let Ok(s) = &shape {
            grow(&mut bbox, s);
        }
        let index = features.len();
        features.push(RawFeature { values, shape, index });
    }
    let mut notes = Vec::new();
    let crs = crs_of(conn, srs).unwrap_or_else(|| {
        notes.push(format!("图层 {table} 的坐标系（srs_id {srs}）无法识别，按坐标范围判断"));
        Crs::guess(bbox.0, bbox.1)
    });
    Ok(RawLayer {
        file: format!("{}:{table}", src.name),
        table: Some(table.to_string()),
        crs,
        fields,
        features,
        notes,
    })
}

/// Grow a bounding box by a geometry's.
pub(crate) fn grow(bbox: &mut ((f64, f64), (f64, f64)), s: &geo::MultiPolygon<f64>) {
    use geo::BoundingRect;
    if let Some(r) = s.bounding_rect() {
        bbox.0 = (bbox.0.0.min(r.min().x), bbox.0.1.min(r.min().y));
        bbox.1 = (bbox.1.0.max(r.max().x), bbox.1.1.max(r.max().y));
    }
}
