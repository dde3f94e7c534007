//! GeoJSON FeatureCollections of Polygon / MultiPolygon features. RFC 7946
//! coordinates are WGS 84 longitude/latitude; an old-style `crs` member
//! naming an EPSG code (e.g. `urn:ogc:def:crs:EPSG::4527`) is honoured.

use super::{Crs, RawFeature, RawLayer, feature, gpkg::grow};
use crate::ingest::Source;
use geo::{Coord, LineString, MultiPolygon, Polygon};
use serde_json::Value;

fn ring(v: &Value) -> Option<LineString<f64>> {
    let pts = v.as_array()?;
    let coords: Option<Vec<Coord<f64>>> = pts
        .iter()
        .map(|p| {
            let a = p.as_array()?;
            Some(Coord {
                x: a.first()?.as_f64()?,
                y: a.get(1)?.as_f64()?,
            })
        })
        .collect();
    coords.map(LineString::new)
}

fn polygon(v: &Value) -> Option<Polygon<f64>> {
    let rings: Option<Vec<LineString<f64>>> = v.as_array()?.iter().map(ring).collect();
    let mut it = rings?.into_iter();
    let ext = it.next()?;
    Some(Polygon::new(ext, it.collect()))
}

/// The polygons of a geometry object.
fn shape(g: &Value) -> Result<MultiPolygon<f64>, String> {
    if g.is_null() {
        return Err("空几何".into());
    }
    let coords = g.get("coordinates").ok_or("几何缺少坐标")?;
    let bad = || "几何坐标格式错误".to_string();
    let mp = match g.get("type").and_then(Value::as_str) {
        Some("Polygon") => MultiPolygon(vec![polygon(coords).ok_or_else(bad)?]),
        Some("MultiPolygon") => MultiPolygon(
            coords
                .as_array()
                .ok_or_else(bad)?
                .iter()
                .map(polygon)
                .collect::<Option<Vec<_>>>()
                .ok_or_else(bad)?,
        ),
        Some(t) => return Err(format!("几何类型 {t} 不是面（应为 Polygon 或 MultiPolygon）")),
        None => return Err("几何缺少类型".into()),
    };
    if mp.0.is_empty() || mp.0.iter().all(|p| p.exterior().0.is_empty()) {
        return Err("空几何".into());
    }
    Ok(mp)
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        other => Some(other.to_string()),
    }
}

/// The EPSG code of a legacy `crs` member.
fn named_crs(doc: &Value) -> Option<Crs> {
    let name = doc.pointer("/crs/properties/name")?.as_str()?;
    let digits: String = name
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if name.to_uppercase().contains("CRS84") {
        return Crs::from_epsg(4326);
    }
    Crs::from_epsg(digits.parse().ok()?)
}

/// Read a GeoJSON FeatureCollection.
pub(crate) fn read(src: &Source) -> Result<RawLayer, String> {
    let text_src = String::from_utf8_lossy(src.data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&src.data)).into_owned();
    let doc: Value = serde_json::from_str(&text_src).map_err(|e| format!("不是有效的 GeoJSON：{e}"))?;
    let feats = doc
        .get("features")
        .and_then(Value::as_array)
        .ok_or("GeoJSON 不是要素集合（缺少 features）")?;
    let mut names: Vec<String> = Vec::new();
    for f in feats {
        if let Some(p) = f.get("properties").and_then(Value::as_object) {
            for k in p.keys() {
                if !names.contains(k) {
                    names.push(k.clone());
                }
            }
        }
    }
    let (fields, idx) = feature::wanted_columns(names.iter().map(String::as_str));
    let mut bbox = ((f64::INFINITY, f64::INFINITY), (f64::NEG_INFINITY, f64::NEG_INFINITY));
    let features = feats
        .iter()
        .enumerate()
        .map(|(index, f)| {
            let props = f.get("properties");
            let values = idx
                .iter()
                .map(|&i| props.and_then(|p| p.get(&names[i])).and_then(text))
                .collect();
            let shape = shape(f.get("geometry").unwrap_or(&Value::Null));
            if let Ok(s) = &shape {
                grow(&mut bbox, s);
            }
            RawFeature { values, shape, index }
        })
        .collect();
    // RFC 7946 coordinates are longitude/latitude; projected ones without a `crs` member are guessed.
    let lon_lat = bbox.0.0 >= -180.0 && bbox.1.0 <= 180.0 && bbox.0.1 >= -90.0 && bbox.1.1 <= 90.0;
    let crs = match named_crs(&doc) {
        Some(c) => c,
        None if lon_lat => Crs {
            label: "WGS 84 经纬度（GeoJSON 默认）".into(),
            declared: true,
            ..Crs::guess(bbox.0, bbox.1)
        },
        None => Crs::guess(bbox.0, bbox.1),
    };
    let mut notes = Vec::new();
    if !crs.declared && !lon_lat {
        notes.push("GeoJSON 未写明坐标系（crs），坐标不是经纬度，按投影坐标（米）读取；请核对".to_string());
    }
    Ok(RawLayer {
        file: src.name.clone(),
        table: None,
        crs,
        fields,
        features,
        notes,
    })
}
