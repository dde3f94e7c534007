//! One feature at a time: geometry checks, farmland by 地类编码, the official
//! area, and the findings that name the feature.
//!
//! Attribute names follow the 第三次全国国土调查 database standard (BSM,
//! TBBH, DLBM, DLMC, TBMJ, KCMJ/TKMJ, TKXS, TBDLMJ), case-insensitive, with
//! the Chinese aliases of `fields.toml` (`[[layer_field]]`).

use super::crs::{CrsKind, GaussKruger};
use super::{Crs, Layer, LayerKind, Patch, RawFeature};
use crate::fields::BUNDLED_FIELDS;
use crate::ingest::log::{Origin, QualityLog};
use geo::orient::{Direction, Orient};
use geo::{Area, Coord, GeodesicArea, LineString, MapCoords, MultiPolygon, Validation};
use serde::Deserialize;
use std::sync::LazyLock;

/// 1 亩 in m².
pub const M2_PER_MU: f64 = 10_000.0 / 15.0;
/// 地类编码 of farmland (耕地): 水田, 水浇地, 旱地.
pub const FARMLAND_CODES: [&str; 3] = ["0101", "0102", "0103"];
/// 地类名称 of farmland.
pub const FARMLAND_NAMES: [&str; 4] = ["水田", "水浇地", "旱地", "耕地"];
/// Features listed one by one per kind of problem; the rest are counted.
const LISTED: usize = 20;

/// An attribute of survey layers (`[[layer_field]]` in fields.toml).
#[derive(Debug, Clone, Deserialize)]
pub struct LayerField {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub help: String,
}

#[derive(Deserialize)]
struct LayerDict {
    #[serde(default)]
    layer_field: Vec<LayerField>,
}

/// The layer attributes of the bundled dictionary.
pub fn layer_fields() -> &'static [LayerField] {
    static FIELDS: LazyLock<Vec<LayerField>> = LazyLock::new(|| {
        toml::from_str::<LayerDict>(BUNDLED_FIELDS)
            .map(|d| d.layer_field)
            .unwrap_or_default()
    });
    &FIELDS
}

/// The attribute id a column name stands for.
fn attribute_of(name: &str) -> Option<&'static str> {
    let n = name.trim();
    layer_fields()
        .iter()
        .find(|f| f.aliases.iter().chain([&f.name]).any(|a| a.eq_ignore_ascii_case(n)))
        .map(|f| f.id.as_str())
}

/// The columns worth reading (names and their indices among `names`).
pub(crate) fn wanted_columns<'a>(names: impl Iterator<Item = &'a str>) -> (Vec<String>, Vec<usize>) {
    names
        .enumerate()
        .filter(|(_, n)| attribute_of(n).is_some())
        .map(|(i, n)| (n.to_string(), i))
        .unzip()
}

/// Where each attribute is among a layer's fields.
pub(crate) struct Schema {
    bsm: Option<usize>,
    tbbh: Option<usize>,
    dlbm: Option<usize>,
    dlmc: Option<usize>,
    tbdlmj: Option<usize>,
    tbmj: Option<usize>,
    kcmj: Option<usize>,
    tkxs: Option<usize>,
    kind: LayerKind,
}

impl Schema {
    pub fn new(fields: &[String], kind: LayerKind) -> Self {
        let at = |id: &str| fields.iter().position(|f| attribute_of(f) == Some(id));
        Schema {
            bsm: at("bsm"),
            tbbh: at("tbbh"),
            dlbm: at("dlbm"),
            dlmc: at("dlmc"),
            tbdlmj: at("tbdlmj"),
            tbmj: at("tbmj"),
            kcmj: at("kcmj"),
            tkxs: at("tkxs"),
            kind,
        }
    }

    /// A DLTB layer without a land-class field: every patch counts as farmland.
    pub fn report_missing(&self, file: &str, log: &mut QualityLog) {
        if self.kind == LayerKind::Dltb && self.dlbm.is_none() && self.dlmc.is_none() {
            log.warn(
                Origin::new(file, self.kind.label(), String::new()),
                "",
                "地类图斑图层缺少地类编码（DLBM）和地类名称（DLMC）字段，全部图斑按耕地计算；请核对是否只导出了耕地图斑".into(),
            );
        }
    }

    /// `BSM 1234`, `TBBH 56` or `第 7 个要素`.
    fn label(&self, f: &RawFeature) -> String {
        let v = |c: Option<usize>| value(f, c);
        match (v(self.bsm), v(self.tbbh)) {
            (Some(b), _) => format!("BSM {b}"),
            (None, Some(t)) => format!("TBBH {t}"),
            _ => format!("第 {} 个要素", f.index + 1),
        }
    }
}

/// How the areas of a layer's kept patches were obtained.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AreaTally {
    /// TBDLMJ 图斑地类面积.
    pub net: usize,
    /// TBMJ − KCMJ/TKMJ, or TBMJ × (1 − TKXS).
    pub deducted: usize,
    /// Planar area of the geometry (projected layer).
    pub planar: usize,
    /// Geodesic area of the geometry (geographic layer).
    pub geodesic: usize,
}

impl AreaTally {
    pub fn add(&mut self, o: &AreaTally) {
        self.net += o.net;
        self.deducted += o.deducted;
        self.planar += o.planar;
        self.geodesic += o.geodesic;
    }

    /// e.g. `图斑地类面积（TBDLMJ）` or `图斑地类面积（TBDLMJ）1200 个、图形面积（平面）3 个`.
    pub fn describe(&self) -> Option<String> {
        let parts: Vec<(&str, usize)> = [
            ("图斑地类面积（TBDLMJ）", self.net),
            ("图斑面积扣除田坎（TBMJ − 扣除面积）", self.deducted),
            ("图形面积（平面）", self.planar),
            ("图形面积（椭球面）", self.geodesic),
        ]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .collect();
        match parts.as_slice() {
            [] => None,
            [(one, _)] => Some((*one).to_string()),
            many => Some(
                many.iter()
                    .map(|(l, n)| format!("{l} {n} 个"))
                    .collect::<Vec<_>>()
                    .join("、"),
            ),
        }
    }
}

/// Kinds of feature problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Problem {
    Empty,
    Invalid,
    Holes,
    BadCode,
    BadArea,
    UnknownProject,
}

impl Problem {
    const ALL: [Problem; 6] = [
        Problem::Empty,
        Problem::Invalid,
        Problem::Holes,
        Problem::BadCode,
        Problem::BadArea,
        Problem::UnknownProject,
    ];

    fn summary(self) -> &'static str {
        match self {
            Problem::Empty => "个要素几何为空，未计入",
            Problem::Invalid => "个要素几何无效（自相交等），面积按属性字段计，请在 GIS 中修复几何后重新导出",
            Problem::Holes => "个图斑带有内环（洞），面积已扣除内环",
            Problem::BadCode => "个要素的地类编码不是 GB/T 21010 编码，已按地类名称判断",
            Problem::BadArea => "个要素的面积字段不是有效数值，已改用其他面积字段或图形面积",
            Problem::UnknownProject => "个要素的项目编号为空或未在项目台账登记，未计入",
        }
    }

    fn severity_is_info(self) -> bool {
        self == Problem::Holes
    }
}

/// Feature problems of one layer, listed per feature up to a limit.
pub(crate) struct Problems {
    file: String,
    sheet: &'static str,
    found: Vec<(Problem, String, String)>,
    counts: [usize; 6],
}

impl Problems {
    pub fn new(file: &str, kind: LayerKind) -> Self {
        Problems {
            file: file.to_string(),
            sheet: kind.label(),
            found: Vec::new(),
            counts: [0; 6],
        }
    }

    fn add(&mut self, p: Problem, feature: String, detail: String) {
        let k = Problem::ALL.iter().position(|x| *x == p).unwrap_or(0);
        self.counts[k] += 1;
        if self.counts[k] <= LISTED {
            self.found.push((p, feature, detail));
        }
    }

    pub fn unknown_project(&mut self, index: usize, value: String) {
        self.add(
            Problem::UnknownProject,
            format!("第 {} 个要素", index + 1),
            format!("项目编号“{value}”为空或未在项目台账中登记，该要素未计入"),
        );
    }

    /// Findings: one per listed feature, and one for the rest of each kind.
    pub fn report(self, log: &mut QualityLog) {
        for (p, feature, detail) in &self.found {
            let o = Origin::new(&self.file, self.sheet, feature.clone());
            if p.severity_is_info() {
                log.info(o, "", detail.clone());
            } else {
                log.warn(o, "", detail.clone());
            }
        }
        for (k, p) in Problem::ALL.iter().enumerate() {
            let n = self.counts[k];
            if n > LISTED {
                let o = Origin::new(&self.file, self.sheet, String::new());
                let msg = format!(
                    "图层共有 {n} {}（上面列出前 {LISTED} 个，其余 {} 个不再逐个列出）",
                    p.summary(),
                    n - LISTED
                );
                if p.severity_is_info() {
                    log.info(o, "", msg);
                } else {
                    log.warn(o, "", msg);
                }
            }
        }
    }
}

/// An attribute value of a feature (`None` when the column is absent or the value blank).
fn value(f: &RawFeature, c: Option<usize>) -> Option<&str> {
    c.and_then(|c| f.values.get(c)?.as_deref())
}

/// The feature's label for findings, made only when a finding needs it.
type Label<'a> = dyn Fn() -> String + 'a;

/// Whether a 地类编码 is a code: 2–4 digits, optionally a letter (e.g. `0201K`).
fn is_code(s: &str) -> bool {
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    let rest = &s[digits..];
    (2..=6).contains(&digits) && rest.chars().all(|c| c.is_ascii_alphabetic()) && rest.len() <= 2
}

/// Farmland by code, else by name; `None` when neither tells.
fn farmland_class(schema: &Schema, f: &RawFeature, label: &Label, problems: &mut Problems) -> Option<bool> {
    let v = |c: Option<usize>| value(f, c);
    let name = v(schema.dlmc).map(|n| FARMLAND_NAMES.contains(&n.trim()));
    match v(schema.dlbm) {
        Some(code) if is_code(code.trim()) => Some(FARMLAND_CODES.iter().any(|c| code.trim().starts_with(c))),
        Some(code) => {
            problems.add(
                Problem::BadCode,
                label(),
                format!("地类编码“{code}”不是 GB/T 21010 地类编码（如 0101 水田、0103 旱地），已按地类名称判断"),
            );
            Some(name.unwrap_or(false) || FARMLAND_NAMES.contains(&code.trim()))
        }
        None if schema.dlbm.is_none() && schema.dlmc.is_none() => Some(true),
        None => name,
    }
}

/// A number attribute; text that is not a number is a problem.
fn number(
    schema_col: Option<usize>,
    f: &RawFeature,
    label: &Label,
    what: &str,
    problems: &mut Problems,
) -> Option<f64> {
    let raw = value(f, schema_col)?;
    let t = raw.trim();
    // The same parse as before; the copy without thousands separators only when there are some.
    let parsed = if t.contains(',') {
        t.replace(',', "").parse::<f64>()
    } else {
        t.parse::<f64>()
    };
    match parsed {
        Ok(x) if x.is_finite() && x >= 0.0 => Some(x),
        _ => {
            problems.add(
                Problem::BadArea,
                label(),
                format!("{what}“{raw}”不是有效数值，已改用其他面积字段或图形面积"),
            );
            None
        }
    }
}

/// Official area (亩) from the attributes, and how; `None` when none is usable.
fn attribute_area(schema: &Schema, f: &RawFeature, label: &Label, problems: &mut Problems) -> Option<(f64, bool)> {
    if let Some(net) = number(schema.tbdlmj, f, label, "图斑地类面积（TBDLMJ）", problems).filter(|x| *x > 0.0)
    {
        return Some((net / M2_PER_MU, true));
    }
    let gross = number(schema.tbmj, f, label, "图斑面积（TBMJ）", problems).filter(|x| *x > 0.0)?;
    let deduction = match number(schema.kcmj, f, label, "扣除地类面积（KCMJ/TKMJ）", problems) {
        Some(d) => d,
        None => {
            let k = number(schema.tkxs, f, label, "扣除地类系数（TKXS）", problems).unwrap_or(0.0);
            // 0.08 or 8 (%): coefficients above 1 are percentages.
            gross * if k > 1.0 { k / 100.0 } else { k }
        }
    };
    Some(((gross - deduction).max(0.0) / M2_PER_MU, false))
}

/// The geometry in planar metres, and its geodesic area (m²) when geographic.
fn to_planar(shape: MultiPolygon<f64>, crs: &Crs, gk: Option<GaussKruger>) -> (MultiPolygon<f64>, Option<f64>) {
    match (crs.kind, gk) {
        (CrsKind::Geographic, Some(gk)) => {
            // Exterior rings anticlockwise: a clockwise ring would measure the rest of the globe.
            let geodesic = shape.orient(Direction::Default).geodesic_area_unsigned();
            let planar = shape.map_coords(|c| {
                let (x, y) = gk.forward(c.x, c.y);
                Coord { x, y }
            });
            (planar, Some(geodesic))
        }
        (CrsKind::Projected { to_metre }, _) if (to_metre - 1.0).abs() > 1e-12 => (
            shape.map_coords(|c| Coord {
                x: c.x * to_metre,
                y: c.y * to_metre,
            }),
            None,
        ),
        _ => (shape, None),
    }
}

/// Check one feature and keep it on the layer when it counts.
pub(crate) fn keep(
    schema: &Schema,
    crs: &Crs,
    mut f: RawFeature,
    layer: &mut Layer,
    gk: Option<GaussKruger>,
    problems: &mut Problems,
) {
    let shape = match std::mem::replace(&mut f.shape, Ok(MultiPolygon(Vec::new()))) {
        Ok(s) if !s.0.is_empty() => s,
        Ok(_) => {
            problems.add(Problem::Empty, schema.label(&f), "要素几何为空，未计入".into());
            return;
        }
        Err(why) => {
            problems.add(Problem::Empty, schema.label(&f), format!("{why}，未计入"));
            return;
        }
    };
    let label = || schema.label(&f);
    if schema.kind == LayerKind::Dltb {
        match farmland_class(schema, &f, &label, problems) {
            Some(true) => {}
            _ => {
                layer.non_farmland += 1;
                return;
            }
        }
    }
    let verdict = if surely_valid(&shape) {
        Ok(())
    } else {
        shape.check_validation()
    };
    if let Err(e) = verdict {
        problems.add(
            Problem::Invalid,
            label(),
            format!(
                "几何无效（{}），面积按属性字段计，请在 GIS 中修复几何后重新导出",
                invalid_text(&e.to_string())
            ),
        );
    }
    if shape.0.iter().any(|p| !p.interiors().is_empty()) {
        problems.add(Problem::Holes, label(), "图斑带有内环（洞），面积已扣除内环".into());
    }
    let (planar, geodesic) = to_planar(shape, crs, gk);
    let planar_m2 = planar.unsigned_area();
    let area_mu = match attribute_area(schema, &f, &label, problems) {
        Some((a, net)) => {
            if net {
                layer.areas.net += 1;
            } else {
                layer.areas.deducted += 1;
            }
            a
        }
        None => match geodesic {
            Some(g) => {
                layer.areas.geodesic += 1;
                g / M2_PER_MU
            }
            None => {
                layer.areas.planar += 1;
                planar_m2 / M2_PER_MU
            }
        },
    };
    layer.patches.push(Patch {
        shape: planar,
        area_mu,
        planar_m2,
    });
}

/// Whether geo's `check_validation` surely finds nothing, decided cheaply for the usual
/// patch: one polygon without holes, finite coordinates, at least 4 distinct consecutive
/// points, and no two edges meeting other than at a shared end — the same edge test as
/// geo's (`Line::intersects`, exact predicates), skipped for edges whose boxes are apart
/// (exactly intersecting segments always have overlapping boxes). Anything else is left
/// to geo.
fn surely_valid(s: &MultiPolygon<f64>) -> bool {
    use geo::{Intersects, Line};
    let [p] = s.0.as_slice() else { return false };
    let ring = &p.exterior().0;
    if !p.interiors().is_empty() || ring.is_empty() || !ring.iter().all(|c| c.x.is_finite() && c.y.is_finite()) {
        return false;
    }
    if 1 + ring.windows(2).filter(|w| w[0] != w[1]).count() < 4 {
        return false;
    }
    let lines: Vec<(Line<f64>, [f64; 4])> = ring
        .windows(2)
        .map(|w| {
            let (a, b) = (w[0], w[1]);
            (
                Line::new(a, b),
                [a.x.min(b.x), a.x.max(b.x), a.y.min(b.y), a.y.max(b.y)],
            )
        })
        .collect();
    for (i, (l, bl)) in lines.iter().enumerate() {
        for (j, (m, bm)) in lines.iter().enumerate() {
            let apart = bl[1] < bm[0] || bm[1] < bl[0] || bl[3] < bm[2] || bm[3] < bl[2];
            if i != j && !apart && l.intersects(m) && l.start != m.end && l.end != m.start {
                return false;
            }
        }
    }
    true
}

/// geo's validation message in Chinese.
fn invalid_text(e: &str) -> &'static str {
    if e.contains("self-intersection") {
        "边界自相交"
    } else if e.contains("at least") {
        "环的有效点数不足 3 个"
    } else if e.contains("non-finite") {
        "坐标不是有效数值"
    } else if e.contains("not contained") {
        "内环不在外环内"
    } else if e.contains("intersect") {
        "环与环相交"
    } else {
        "不是有效的简单多边形"
    }
}

/// Findings about a whole bound layer: no farmland patches.
pub(crate) fn report_layer(layer: &Layer, log: &mut QualityLog) {
    if layer.kind == LayerKind::Dltb && layer.patches.is_empty() {
        log.warn(
            Origin::new(&layer.file, layer.kind.label(), String::new()),
            "",
            format!(
                "项目“{}”{}地类图斑图层中没有耕地图斑（地类编码 0101 水田、0102 水浇地、0103 旱地），耕地破碎度与集中连片指标缺失",
                layer.project,
                layer.stage.map_or("", |s| s.label())
            ),
        );
    }
}

/// Whether a point lies inside a closed ring (even–odd rule).
pub fn point_in_ring(p: Coord<f64>, ring: &LineString<f64>) -> bool {
    let mut inside = false;
    for w in ring.0.windows(2) {
        let (a, b) = (w[0], w[1]);
        if (a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x {
            inside = !inside;
        }
    }
    inside
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quick_validity_test_never_passes_what_geo_rejects() {
        let mut state = 3u64;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((state >> 33) % 7) as f64 - 3.0
        };
        let mut invalid = 0;
        for case in 0..20_000 {
            let n = 3 + case % 7;
            let pts: Vec<Coord<f64>> = (0..n).map(|_| Coord { x: next(), y: next() }).collect();
            let shape = MultiPolygon(vec![geo::Polygon::new(LineString::new(pts), vec![])]);
            let geo_ok = shape.check_validation().is_ok();
            invalid += usize::from(!geo_ok);
            // For one polygon without holes the two tests are the same test.
            assert_eq!(surely_valid(&shape), geo_ok, "case {case}: {shape:?}");
        }
        // Small integer grids give many degenerate rings: both outcomes occur.
        assert!(invalid > 1000 && invalid < 19_000, "{invalid}");
    }

    #[test]
    fn land_class_codes() {
        assert!(is_code("0101") && is_code("0201K") && is_code("1203") && is_code("01"));
        assert!(!is_code("水田") && !is_code("01a1") && !is_code("") && !is_code("1"));
        let ids: Vec<&str> = layer_fields().iter().map(|f| f.id.as_str()).collect();
        for id in [
            "bsm", "tbbh", "dlbm", "dlmc", "tbmj", "tbdlmj", "kcmj", "tkxs", "project",
        ] {
            assert!(ids.contains(&id), "{id} missing from [[layer_field]]");
        }
    }
}
