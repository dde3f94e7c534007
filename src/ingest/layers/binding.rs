//! Which project and stage a layer belongs to, written so that a clerk
//! needs no GIS skills:
//!
//! 1. a row of the 空间数据清单 sheet (文件名, 项目编号, 阶段, 图层类型) — wins;
//! 2. else the file name: it contains the 项目编号 and 整治前 / 整治后, and a
//!    layer word when it is not 地类图斑, e.g. `QL-0103-02-整治前.shp`,
//!    `QL-0103-02-整治后-永久基本农田.shp`, `QL-0103-02-整治区域.shp`
//!    (a GeoPackage table name such as `DLTB` / `YJJBNTTB` also names the kind);
//! 3. else a 项目编号 field (XMBH) in the layer: one county-wide file can
//!    hold several projects.

use super::{Layer, RawFeature, RawLayer, SpatialData, feature::Problems};
use crate::ingest::RawRow;
use crate::ingest::cell::Value;
use crate::ingest::log::{Origin, QualityLog};
use std::collections::{BTreeMap, BTreeSet};

/// Stage of a layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    Before,
    After,
}

impl Stage {
    pub const BOTH: [Stage; 2] = [Stage::Before, Stage::After];

    /// 整治前 / 整治后.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Before => "整治前",
            Stage::After => "整治后",
        }
    }

    /// Field-id suffix: `before` / `after`.
    pub fn suffix(self) -> &'static str {
        match self {
            Stage::Before => "before",
            Stage::After => "after",
        }
    }

    /// Stage named in a text (file name, manifest cell).
    pub fn find_in(text: &str) -> Option<Stage> {
        const BEFORE: &[&str] = &["整治前", "实施前", "现状", "基期", "before"];
        const AFTER: &[&str] = &["整治后", "实施后", "竣工", "验收", "after"];
        let t = text.to_lowercase();
        if BEFORE.iter().any(|k| t.contains(k)) {
            Some(Stage::Before)
        } else if AFTER.iter().any(|k| t.contains(k)) {
            Some(Stage::After)
        } else {
            None
        }
    }
}

/// What a layer holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LayerKind {
    /// 地类图斑 (DLTB): every land class; farmland patches are kept.
    Dltb,
    /// 永久基本农田.
    Pbf,
    /// 生态保护红线.
    Redline,
    /// 整治区域 (project boundary): patches are clipped to it.
    Boundary,
}

impl LayerKind {
    pub fn label(self) -> &'static str {
        match self {
            LayerKind::Dltb => "地类图斑",
            LayerKind::Pbf => "永久基本农田",
            LayerKind::Redline => "生态保护红线",
            LayerKind::Boundary => "整治区域",
        }
    }

    /// Kind named in a text; `None` when no word of a kind occurs.
    pub fn find_in(text: &str) -> Option<LayerKind> {
        let t = text.to_uppercase();
        let any = |ks: &[&str]| ks.iter().any(|k| t.contains(k));
        if any(&["永久基本农田", "基本农田", "永农", "YJJBNT", "JBNT"]) {
            Some(LayerKind::Pbf)
        } else if any(&["生态保护红线", "生态红线", "STBHHX", "STHX"]) {
            Some(LayerKind::Redline)
        } else if any(&["整治区域", "整治范围", "项目区", "项目范围", "边界", "XMFW", "ZZQY"]) {
            Some(LayerKind::Boundary)
        } else if any(&["地类图斑", "DLTB"]) {
            Some(LayerKind::Dltb)
        } else {
            None
        }
    }
}

/// One row of the 空间数据清单 sheet.
#[derive(Debug, Clone)]
pub struct ManifestEntry {
    /// File name as written (matched without case and extension).
    pub file: String,
    pub project: String,
    pub stage: Option<Stage>,
    pub kind: Option<LayerKind>,
    pub origin: Origin,
}

/// The 空间数据清单 rows of all workbooks.
#[derive(Debug, Clone, Default)]
pub struct Manifest {
    pub entries: Vec<ManifestEntry>,
}

fn text(row: &RawRow, field: &str) -> Option<String> {
    match row.values.get(field) {
        Some((Value::Text(s), _)) => Some(s.trim().to_string()),
        _ => None,
    }
}

/// A file name without directories, extension or case.
fn file_key(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name).to_lowercase();
    match base.rsplit_once('.') {
        Some((stem, ext)) if ["shp", "gpkg", "geojson", "json"].contains(&ext) => stem.to_string(),
        _ => base,
    }
}

impl Manifest {
    /// Rows of the 空间数据清单 sheet (`layer_*` fields).
    pub fn from_rows(rows: &[RawRow]) -> Self {
        let entries = rows
            .iter()
            .filter_map(|r| {
                Some(ManifestEntry {
                    file: text(r, "layer_file")?,
                    project: r.project.clone(),
                    stage: text(r, "layer_stage").as_deref().and_then(Stage::find_in),
                    kind: text(r, "layer_kind").as_deref().and_then(LayerKind::find_in),
                    origin: r.key_origin.clone(),
                })
            })
            .collect();
        Self { entries }
    }

    /// The entry naming a file (or a GeoPackage `file:table`).
    fn lookup(&self, file: &str, table: Option<&str>) -> Option<&ManifestEntry> {
        let (name, _) = file.split_once(':').unwrap_or((file, ""));
        let whole = table.map(|t| format!("{}:{}", file_key(name), t.to_lowercase()));
        self.entries
            .iter()
            .find(|e| whole.as_deref() == Some(e.file.to_lowercase().as_str()))
            .or_else(|| self.entries.iter().find(|e| file_key(&e.file) == file_key(name)))
    }
}

/// A layer's binding: its project (or the field that names it), stage and kind.
pub struct Bound {
    pub project: Option<String>,
    /// Index of the 项目编号 field when features name their project.
    pub project_field: Option<usize>,
    pub stage: Option<Stage>,
    pub kind: LayerKind,
    known: BTreeSet<String>,
}

impl Bound {
    /// The project of a feature; features naming no known project are counted.
    pub(crate) fn project_of<'a>(
        &'a self,
        f: &'a RawFeature,
        index: usize,
        problems: &mut Problems,
    ) -> Option<&'a str> {
        if let Some(p) = &self.project {
            return Some(p);
        }
        let value = self.project_field.and_then(|c| f.values.get(c)?.as_deref());
        match value.map(str::trim) {
            Some(v) if self.known.contains(v) => Some(v),
            other => {
                problems.unknown_project(index, other.unwrap_or_default().to_string());
                None
            }
        }
    }
}

/// Field names that hold a 项目编号.
const PROJECT_FIELDS: &[&str] = &["XMBH", "XMDM", "PROJECT_ID", "项目编号", "项目代码", "项目编码"];

/// The longest ledger project id in a text.
fn project_in(text: &str, known: &BTreeSet<String>) -> Option<String> {
    let t = text.to_lowercase();
    known
        .iter()
        .filter(|p| t.contains(&p.to_lowercase()))
        .max_by_key(|p| p.len())
        .cloned()
}

/// Bind a raw layer; a layer that cannot be bound is reported and skipped.
pub(crate) fn bind(
    raw: &RawLayer,
    manifest: &Manifest,
    known: &BTreeSet<String>,
    log: &mut QualityLog,
) -> Option<Bound> {
    let origin = Origin::new(&raw.file, raw.table.as_deref().unwrap_or(""), String::new());
    let entry = manifest.lookup(&raw.file, raw.table.as_deref());
    let names = format!("{} {}", raw.file, raw.table.as_deref().unwrap_or(""));
    let kind = entry
        .and_then(|e| e.kind)
        .or_else(|| LayerKind::find_in(&names))
        .unwrap_or(LayerKind::Dltb);
    let stage = entry.and_then(|e| e.stage).or_else(|| Stage::find_in(&names));
    let project = match entry {
        Some(e) => Some(e.project.clone()),
        None => project_in(&names, known),
    };
    let project_field = raw
        .fields
        .iter()
        .position(|f| PROJECT_FIELDS.iter().any(|k| f.eq_ignore_ascii_case(k)));
    if let Some(p) = &project
        && !known.contains(p)
    {
        log.warn(
            entry.map_or(origin.clone(), |e| e.origin.clone()),
            p,
            format!("图层对应的项目编号“{p}”未在项目台账中登记，该图层未参与计算"),
        );
        return None;
    }
    if project.is_none() && project_field.is_none() {
        log.warn(origin, "", format!("无法判断图层属于哪个项目：{}", binding_hint()));
        return None;
    }
    if stage.is_none() && kind != LayerKind::Boundary {
        log.warn(
            origin,
            "",
            format!("无法判断{}图层是整治前还是整治后：{}", kind.label(), binding_hint()),
        );
        return None;
    }
    let stage = if kind == LayerKind::Boundary { None } else { stage };
    Some(Bound {
        project,
        project_field,
        stage,
        kind,
        known: known.clone(),
    })
}

/// How to bind a layer, for messages and the 填表说明.
pub fn binding_hint() -> &'static str {
    "请在文件名中写明项目编号和“整治前”或“整治后”（如“QL-0103-02-整治前.shp”“QL-0103-02-整治后-永久基本农田.shp”，\
     整治区域图层如“QL-0103-02-整治区域.shp”），或在工作簿“空间数据清单”工作表中登记文件名、项目编号、阶段和图层类型，\
     或在图层属性表中设“XMBH（项目编号）”字段"
}

/// Projects whose layers are in different coordinate systems: a warning naming both files.
pub(crate) fn check_crs(data: &SpatialData, log: &mut QualityLog) {
    let mut first: BTreeMap<&str, &Layer> = BTreeMap::new();
    let mut told: BTreeSet<(&str, &str)> = BTreeSet::new();
    for l in &data.layers {
        let Some(f) = first.get(l.project.as_str()) else {
            first.insert(&l.project, l);
            continue;
        };
        if f.crs.key != l.crs.key && told.insert((&l.project, &l.file)) {
            log.warn(
                Origin::new(&l.file, "", String::new()),
                &l.crs.label,
                format!(
                    "项目“{}”的图层坐标系不一致：{} 为“{}”，{} 为“{}”；不同坐标系的图层之间不做叠加（裁剪、永久基本农田调出核算），\
                     请统一投影后重新导出（.prj 缺失或不同）",
                    l.project, f.file, f.crs.label, l.file, l.crs.label
                ),
            );
        }
    }
}
