//! ESRI Shapefile polygon layers: `.shp` geometry, `.shx` index, `.dbf`
//! attributes, `.prj` coordinate system and `.cpg` encoding.
//!
//! The parts come with the `.shp` source ([`Source::siblings`], filled by
//! `Source::from_path`) or as separate sources with the same stem. Rings
//! follow the format's rule: clockwise rings are outer rings, anticlockwise
//! rings are holes of the smallest outer ring containing them.

use super::dbf::Dbf;
use super::{Crs, RawFeature, RawLayer, feature};
use crate::ingest::Source;
use geo::{Coord, LineString, MultiPolygon, Polygon};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Shape types of polygons (plain, Z, M).
const POLYGON_TYPES: [i32; 3] = [5, 15, 25];

/// The part of a Shapefile with extension `ext`, from the source's siblings or the other sources.
fn part<'a>(shp: &'a Source, all: &[&'a Source], ext: &str) -> Option<&'a Source> {
    let stem = shp.name.rsplit_once('.').map_or(shp.name.as_str(), |(s, _)| s);
    let wanted = format!("{stem}.{ext}").to_lowercase();
    shp.siblings
        .iter()
        .chain(all.iter().copied())
        .find(|s| s.name.to_lowercase() == wanted)
}

/// The parts beside a `.shp` on disk (any case of the extension).
pub fn siblings_on_disk(shp: &std::path::Path) -> Vec<Source> {
    siblings_listed(shp, &mut HashMap::new())
}

/// As [`siblings_on_disk`], each folder listed once into `folders` (a folder of thousands
/// of layers is then not listed again for each of its `.shp` files).
pub fn siblings_listed(shp: &Path, folders: &mut HashMap<PathBuf, FolderParts>) -> Vec<Source> {
    let (Some(dir), Some(stem)) = (shp.parent(), shp.file_stem()) else {
        return Vec::new();
    };
    let stem = stem.to_string_lossy().to_lowercase();
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    folders
        .entry(dir.to_path_buf())
        .or_insert_with(|| FolderParts::list(dir))
        .siblings(&stem)
}

/// The Shapefile parts in a folder (not `.shp` itself), by lower-case stem, in listing order.
#[derive(Debug, Default)]
pub struct FolderParts(HashMap<String, Vec<PathBuf>>);

impl FolderParts {
    /// List a folder (nothing when it cannot be read).
    pub fn list(dir: &Path) -> Self {
        let mut by_stem: HashMap<String, Vec<PathBuf>> = HashMap::new();
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Self(by_stem);
        };
        for p in entries.filter_map(Result::ok).map(|e| e.path()) {
            let n = p
                .file_name()
                .map(|n| n.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            // `stem.ext` for a part extension: `n` is filed under `stem`.
            for ext in super::SHAPEFILE_PARTS {
                if let Some(stem) = n.strip_suffix(ext).and_then(|r| r.strip_suffix('.')) {
                    by_stem.entry(stem.to_string()).or_default().push(p.clone());
                }
            }
        }
        Self(by_stem)
    }

    /// The parts of `stem` (lower case), read, sorted by name; unreadable ones left out.
    fn siblings(&self, stem: &str) -> Vec<Source> {
        let mut out: Vec<Source> = self
            .0
            .get(stem)
            .into_iter()
            .flatten()
            .filter_map(|p| {
                let data = std::fs::read(p).ok()?;
                Some(Source::new(p.file_name()?.to_string_lossy().into_owned(), data))
            })
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }
}

fn be_i32(b: &[u8], at: usize) -> Option<i32> {
    Some(i32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn le_i32(b: &[u8], at: usize) -> Option<i32> {
    Some(i32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn le_f64(b: &[u8], at: usize) -> Option<f64> {
    Some(f64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// Read a Shapefile layer; missing `.dbf` is fatal, a missing `.shx` or `.prj` is noted on the layer.
pub(crate) fn read(shp: &Source, all: &[&Source]) -> Result<RawLayer, String> {
    let data = &shp.data;
    if data.len() < 100 || be_i32(data, 0) != Some(9994) {
        return Err(".shp 文件头无效，不是 Shapefile".into());
    }
    let shape_type = le_i32(data, 32).unwrap_or(0);
    if !POLYGON_TYPES.contains(&shape_type) {
        return Err(format!(
            "不是面图层（几何类型代码 {shape_type}；地类图斑等图层应为面 Polygon）"
        ));
    }
    let dbf_src = part(shp, all, "dbf").ok_or("缺少同名的 .dbf 属性表文件（地类编码、面积等属性无法读取）")?;
    let cpg = part(shp, all, "cpg").map(|s| String::from_utf8_lossy(&s.data).into_owned());
    let table = Dbf::open(&dbf_src.data, cpg.as_deref())?;
    let offsets = match part(shp, all, "shx") {
        Some(shx) => Some(index_offsets(&shx.data)?),
        None => None,
    };
    let records = match &offsets {
        Some(o) => o.clone(),
        None => scan_offsets(data),
    };
    let mut notes = Vec::new();
    if offsets.is_none() {
        notes.push("缺少 .shx 索引文件，已按 .shp 顺序读取；请连同 .shx 一起提供".to_string());
    }
    if records.len() != table.count {
        notes.push(format!(
            ".shp 有 {} 个要素而 .dbf 有 {} 条记录，只读取两者都有的前 {} 个",
            records.len(),
            table.count,
            records.len().min(table.count)
        ));
    }
    let (fields, columns) = feature::wanted_columns(table.fields.iter().map(|f| f.name.as_str()));
    let mut features = Vec::with_capacity(records.len().min(table.count));
    for (i, &at) in records.iter().enumerate().take(table.count) {
        if table.deleted(i) {
            continue;
        }
        let values = columns.iter().map(|&c| table.text(i, c)).collect();
        features.push(RawFeature {
            values,
            shape: record_shape(data, at),
            index: i,
        });
    }
    let crs = match part(shp, all, "prj") {
        Some(p) => Crs::from_wkt(&String::from_utf8_lossy(&p.data)).unwrap_or_else(|| {
            notes.push(".prj 文件内容无法识别，按坐标范围判断坐标系".into());
            guess(data)
        }),
        None => {
            notes.push("缺少 .prj 坐标系文件，按坐标范围判断坐标系；请连同 .prj 一起提供".into());
            guess(data)
        }
    };
    if let Some((why, record)) = &table.encoding_problem {
        notes.push(format!("{why}（首个涉及的记录：第 {} 个要素）", record + 1));
    }
    Ok(RawLayer {
        file: shp.name.clone(),
        table: None,
        crs,
        fields,
        features,
        notes,
    })
}

/// Coordinate system from the header's bounding box.
fn guess(data: &[u8]) -> Crs {
    let v = |at| le_f64(data, at).unwrap_or(0.0);
    Crs::guess((v(36), v(44)), (v(52), v(60)))
}

/// Record offsets (bytes) from the `.shx` index.
fn index_offsets(shx: &[u8]) -> Result<Vec<usize>, String> {
    if shx.len() < 100 || be_i32(shx, 0) != Some(9994) {
        return Err(".shx 索引文件无效".into());
    }
    Ok((100..shx.len().saturating_sub(7))
        .step_by(8)
        .filter_map(|at| be_i32(shx, at).map(|w| w.max(0) as usize * 2))
        .collect())
}

/// Record offsets found by walking the `.shp` file.
fn scan_offsets(shp: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut at = 100;
    while let Some(words) = be_i32(shp, at + 4) {
        out.push(at);
        at += 8 + words.max(0) as usize * 2;
    }
    out
}

/// The polygons of the record at byte `at`; an empty geometry is an error.
fn record_shape(data: &[u8], at: usize) -> Result<MultiPolygon<f64>, String> {
    let c = at + 8;
    let kind = le_i32(data, c).ok_or("记录超出文件范围")?;
    if kind == 0 {
        return Err("空几何（Null Shape）".into());
    }
    if !POLYGON_TYPES.contains(&kind) {
        return Err(format!("几何类型代码 {kind} 不是面"));
    }
    let parts = le_i32(data, c + 36).ok_or("记录损坏")?.max(0) as usize;
    let points = le_i32(data, c + 40).ok_or("记录损坏")?.max(0) as usize;
    if parts == 0 || points == 0 {
        return Err("空几何（没有坐标点）".into());
    }
    let pts_at = c + 44 + 4 * parts;
    if data.len() < pts_at + 16 * points {
        return Err("记录损坏（坐标点超出文件范围）".into());
    }
    if parts == 1 {
        // One ring: an outer ring whichever way it runs (what `assemble` makes of it), without the part list.
        let first = le_i32(data, c + 44).unwrap_or(0).max(0) as usize;
        let ring = ring_at(data, pts_at, first.min(points), points);
        if ring.len() < 3 {
            return Err("空几何（环的点数不足）".into());
        }
        return Ok(MultiPolygon(vec![Polygon::new(LineString::new(ring), vec![])]));
    }
    let mut starts: Vec<usize> = (0..parts)
        .map(|p| le_i32(data, c + 44 + 4 * p).unwrap_or(0).max(0) as usize)
        .collect();
    starts.push(points);
    let mut rings = Vec::with_capacity(parts);
    for w in starts.windows(2) {
        let ring = ring_at(data, pts_at, w[0].min(points), w[1].min(points));
        if ring.len() >= 3 {
            rings.push(LineString::new(ring));
        }
    }
    if rings.is_empty() {
        return Err("空几何（环的点数不足）".into());
    }
    Ok(assemble(rings))
}

/// Points `a..b` of a record whose points start at byte `pts_at`.
fn ring_at(data: &[u8], pts_at: usize, a: usize, b: usize) -> Vec<Coord<f64>> {
    (a..b)
        .map(|k| Coord {
            x: le_f64(data, pts_at + 16 * k).unwrap_or(f64::NAN),
            y: le_f64(data, pts_at + 16 * k + 8).unwrap_or(f64::NAN),
        })
        .collect()
}

/// Signed area of a ring (positive when anticlockwise).
fn signed_area(r: &LineString<f64>) -> f64 {
    r.0.windows(2).map(|w| w[0].x * w[1].y - w[1].x * w[0].y).sum::<f64>() / 2.0
}

/// Outer rings (clockwise) with the holes (anticlockwise) they contain.
/// A layer whose rings all run anticlockwise is read with every ring as an outer ring.
pub(crate) fn assemble(rings: Vec<LineString<f64>>) -> MultiPolygon<f64> {
    let (outer, holes): (Vec<_>, Vec<_>) = rings.into_iter().partition(|r| signed_area(r) <= 0.0);
    if outer.is_empty() {
        return MultiPolygon(holes.into_iter().map(|r| Polygon::new(r, vec![])).collect());
    }
    let mut polys: Vec<Polygon<f64>> = outer.into_iter().map(|r| Polygon::new(r, vec![])).collect();
    for h in holes {
        let first = h.0[0];
        let host = polys
            .iter()
            .enumerate()
            .filter(|(_, p)| feature::point_in_ring(first, p.exterior()))
            .min_by(|a, b| {
                signed_area(a.1.exterior())
                    .abs()
                    .total_cmp(&signed_area(b.1.exterior()).abs())
            })
            .map(|(i, _)| i);
        match host {
            Some(i) => polys[i].interiors_push(h),
            // A hole outside every outer ring: read as an outer ring of its own.
            None => polys.push(Polygon::new(h, vec![])),
        }
    }
    MultiPolygon(polys)
}
