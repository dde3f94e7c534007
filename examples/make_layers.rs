//! Seeded generator of the sample province's survey layers (国土调查图层).
//!
//! ```text
//! cargo run --example make_layers
//! ```
//!
//! Reads the committed workbooks of `fixtures/sample-province/` and, for the
//! three projects with a 图斑明细 table (QL-0103-02, QL-0201-03, QL-0401-03),
//! lays out one polygon per patch row with exactly its area (TBDLMJ) so that
//! the layers agree with the declared figures: the same NP, TA and LPI as the
//! table, the same number of contiguous blocks as 集中连片田块数 (fields of
//! ≥ 100 亩 stand apart across 20 m roads; smaller patches form clusters below
//! 45 亩 across 3 m field roads), and 永久基本农田 / 生态保护红线 layers with
//! the declared areas and PBF adjustment. Formats: Shapefile with a GBK dbf
//! (QL-0103-02, with an 整治区域 boundary), a GeoPackage (QL-0201-03), and a
//! UTF-8 Shapefile with GeoJSON PBF layers (QL-0401-03), all in CGCS2000 3°
//! Gauss–Krüger CM 117°E (EPSG:4548). Writes `fixtures/sample-province/空间数据/`.

use anyhow::{Context, Result};
use geo::MultiPolygon;
use landeval::fields::FieldDict;
use landeval::ingest::layers::dbf::Encoding;
use landeval::ingest::layers::write::{self, DbfColumn, PRJ_CGCS2000_GK_117, Table};
use landeval::ingest::{self, Source};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const OUT: &str = "fixtures/sample-province/空间数据";
const M2_PER_MU: f64 = 10_000.0 / 15.0;
/// South-west corner of every project's layers (EPSG:4548 metres).
const X0: f64 = 520_000.0;
const Y0: f64 = 3_300_000.0;
/// Width of a shelf of fields before the next one starts (metres).
const ROW_WIDTH: f64 = 2_600.0;
/// Gap between blocks (a 公路 or 河流 wider than the 8 m tolerance) and within a cluster (a 农村道路).
const WIDE_GAP: f64 = 20.0;
const FIELD_ROAD: f64 = 3.0;
/// Small patches form clusters below this many 亩 (under both block thresholds).
const CLUSTER_MU: f64 = 40.0;

/// One patch row of the table.
struct PatchRow {
    id: String,
    class: String,
    area_mu: f64,
}

/// What the layers of one project must agree with.
struct ProjectFacts {
    id: String,
    terrain: String,
    stages: [Vec<PatchRow>; 2],
    declared: BTreeMap<String, f64>,
}

fn fixtures() -> Result<Vec<Source>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sample-province");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .collect();
    paths.sort();
    paths.iter().map(|p| Source::from_path(p)).collect()
}

/// The patch rows and declared figures of every project with 图斑明细.
fn facts() -> Result<Vec<ProjectFacts>> {
    let ds = ingest::ingest(&fixtures()?, &FieldDict::bundled());
    let p = &ds.patches;
    let (ids, stages, pid, class, area) = (
        p.column("project_id")?.str()?,
        p.column("patch_stage")?.str()?,
        p.column("patch_id")?.str()?,
        p.column("patch_class")?.str()?,
        p.column("patch_area")?.f64()?,
    );
    let mut by: BTreeMap<String, [Vec<PatchRow>; 2]> = BTreeMap::new();
    for i in 0..p.height() {
        let (Some(id), Some(st), Some(a)) = (ids.get(i), stages.get(i), area.get(i)) else {
            continue;
        };
        let k = usize::from(st == "整治后");
        by.entry(id.to_string()).or_default()[k].push(PatchRow {
            id: pid.get(i).unwrap_or_default().to_string(),
            class: class.get(i).unwrap_or("水田").to_string(),
            area_mu: a,
        });
    }
    let projects = &ds.projects;
    let pids = projects.column("project_id")?.str()?;
    let terrain = projects.column("terrain")?.str()?;
    let mut out = Vec::new();
    for (id, stages) in by {
        let row = (0..projects.height())
            .find(|&i| pids.get(i) == Some(id.as_str()))
            .context("project of the patch table")?;
        let mut declared = BTreeMap::new();
        for f in [
            "pbf_before",
            "pbf_after",
            "pbf_adjusted",
            "redline_before",
            "redline_after",
            "area_total",
        ] {
            if let Some(v) = projects.column(f)?.f64()?.get(row) {
                declared.insert(f.to_string(), v);
            }
        }
        out.push(ProjectFacts {
            id,
            terrain: terrain.get(row).unwrap_or("平原").to_string(),
            stages,
            declared,
        });
    }
    Ok(out)
}

fn code_of(class: &str) -> &'static str {
    match class {
        "水浇地" => "0102",
        "旱地" => "0103",
        _ => "0101",
    }
}

/// Shelf packing: items left to right, a new shelf when the row is full.
struct Shelves {
    x: f64,
    y: f64,
    shelf_h: f64,
}

impl Shelves {
    fn place(&mut self, w: f64, h: f64, gap: f64) -> (f64, f64) {
        if self.x > 0.0 && self.x + w > ROW_WIDTH {
            self.x = 0.0;
            self.y += self.shelf_h + WIDE_GAP;
            self.shelf_h = 0.0;
        }
        let at = (self.x, self.y);
        self.x += w + gap;
        self.shelf_h = self.shelf_h.max(h);
        at
    }
}

/// A DLTB layer of one stage: patch polygons with their table areas, plus a few non-farmland features.
fn dltb(p: &ProjectFacts, stage: usize) -> (Table, f64, f64) {
    let tkxs = if p.terrain == "平原" { 0.02 } else { 0.06 };
    let mut t = Table {
        columns: vec![
            DbfColumn::text("BSM", 18),
            DbfColumn::text("TBBH", 12),
            DbfColumn::text("DLBM", 5),
            DbfColumn::text("DLMC", 20),
            DbfColumn::text("ZLDWDM", 19),
            DbfColumn::number("TBMJ", 16, 4),
            DbfColumn::number("TKXS", 6, 2),
            DbfColumn::number("KCMJ", 16, 4),
            DbfColumn::number("TBDLMJ", 16, 4),
        ],
        ..Default::default()
    };
    let push = |t: &mut Table, shape: MultiPolygon<f64>, row: &PatchRow, net_m2: f64, k: usize| {
        let gross = net_m2 / (1.0 - tkxs);
        t.rows.push(vec![
            Some(format!("{}{:06}", &p.id.replace('-', "")[2..], k + 1)),
            Some(row.id.rsplit('-').next().unwrap_or_default().to_string()),
            Some(code_of(&row.class).into()),
            Some(row.class.clone()),
            Some(format!("36{}001000", &p.id[3..7])),
            Some(format!("{gross:.4}")),
            Some(format!("{tkxs:.2}")),
            Some(format!("{:.4}", gross - net_m2)),
            Some(format!("{net_m2:.4}")),
        ]);
        t.shapes.push(shape);
    };
    let rows = &p.stages[stage];
    let mut shelves = Shelves {
        x: 0.0,
        y: 0.0,
        shelf_h: 0.0,
    };
    let mut k = 0;
    // Fields of ≥ 45 亩 stand alone; gross area (with 田坎) gives the rectangle.
    for r in rows.iter().filter(|r| r.area_mu >= 45.0) {
        let gross = r.area_mu * M2_PER_MU / (1.0 - tkxs);
        let h = 200.0;
        let (x, y) = shelves.place(gross / h, h, WIDE_GAP);
        push(
            &mut t,
            write::rect(X0 + x, Y0 + y, X0 + x + gross / h, Y0 + y + h),
            r,
            r.area_mu * M2_PER_MU,
            k,
        );
        k += 1;
    }
    shelves.x = 0.0;
    shelves.y += shelves.shelf_h + WIDE_GAP;
    shelves.shelf_h = 0.0;
    // Small patches in clusters below 40 亩; every fourth patch under 5 亩 lies alone (零星).
    let mut cluster: Vec<&PatchRow> = Vec::new();
    let mut lone = 0;
    let flush = |cluster: &mut Vec<&PatchRow>, t: &mut Table, shelves: &mut Shelves, k: &mut usize| {
        let sizes: Vec<(f64, f64)> = cluster
            .iter()
            .map(|r| {
                let gross = r.area_mu * M2_PER_MU / (1.0 - tkxs);
                let w = if gross < 1_600.0 { gross.sqrt() } else { gross / 40.0 };
                (w, gross / w)
            })
            .collect();
        let width: f64 = sizes.iter().map(|s| s.0 + FIELD_ROAD).sum::<f64>() - FIELD_ROAD;
        let height = sizes.iter().map(|s| s.1).fold(0.0, f64::max);
        let (mut x, y) = shelves.place(width, height, WIDE_GAP);
        for (r, (w, h)) in cluster.iter().zip(&sizes) {
            push(
                t,
                write::rect(X0 + x, Y0 + y, X0 + x + w, Y0 + y + h),
                r,
                r.area_mu * M2_PER_MU,
                *k,
            );
            *k += 1;
            x += w + FIELD_ROAD;
        }
        cluster.clear();
    };
    let mut sum = 0.0;
    for r in rows.iter().filter(|r| r.area_mu < 45.0) {
        if r.area_mu < 5.0 {
            lone += 1;
            if lone % 4 == 0 {
                let mut one = vec![r];
                flush(&mut one, &mut t, &mut shelves, &mut k);
                continue;
            }
        }
        if sum + r.area_mu >= CLUSTER_MU {
            flush(&mut cluster, &mut t, &mut shelves, &mut k);
            sum = 0.0;
        }
        cluster.push(r);
        sum += r.area_mu;
    }
    flush(&mut cluster, &mut t, &mut shelves, &mut k);
    let height = shelves.y + shelves.shelf_h;
    // Non-farmland: a village, a pond and a strip of forest beside the fields.
    let others = [
        ("0702", "农村宅基地", write::rect(X0 - 260.0, Y0, X0 - 40.0, Y0 + 180.0)),
        (
            "1104",
            "坑塘水面",
            write::rect(X0 - 260.0, Y0 + 220.0, X0 - 120.0, Y0 + 330.0),
        ),
        (
            "0301",
            "乔木林地",
            write::rect(X0 - 260.0, Y0 + 380.0, X0 - 40.0, Y0 + height),
        ),
    ];
    for (code, name, shape) in others {
        let mut row = PatchRow {
            id: format!("{}-{code}", p.id),
            class: name.into(),
            area_mu: 0.0,
        };
        row.class = name.into();
        let n = t.rows.len();
        push(&mut t, shape, &row, 0.0, k + n);
        let last = t.rows.len() - 1;
        t.rows[last][2] = Some(code.into());
        t.rows[last][8] = None;
        t.rows[last][5] = None;
    }
    (t, ROW_WIDTH, height)
}

/// PBF before/after as strips over the fields: after drops a strip of `pbf_adjusted` and adds the rest.
fn pbf(p: &ProjectFacts, height: f64) -> Option<[Table; 2]> {
    let d = |k: &str| p.declared.get(k).copied();
    let (before, after) = (d("pbf_before")? * M2_PER_MU, d("pbf_after")? * M2_PER_MU);
    let adjusted = d("pbf_adjusted").unwrap_or(0.0) * M2_PER_MU;
    let w = ROW_WIDTH;
    let hb = before / w;
    let (cut, added) = (adjusted / w, (after - before + adjusted).max(0.0) / w);
    if hb + added > height + 2_000.0 {
        return None;
    }
    let table = |shapes: Vec<MultiPolygon<f64>>| Table {
        columns: vec![DbfColumn::text("BSM", 18)],
        rows: (0..shapes.len()).map(|i| vec![Some(format!("{}", i + 1))]).collect(),
        shapes,
    };
    Some([
        table(vec![write::rect(X0, Y0, X0 + w, Y0 + hb)]),
        table(vec![
            write::rect(X0, Y0 + cut, X0 + w, Y0 + hb),
            write::rect(X0, Y0 + hb, X0 + w, Y0 + hb + added),
        ]),
    ])
}

/// Ecological red line: forest east of the fields, before and after.
fn redline(p: &ProjectFacts, height: f64) -> Option<[Table; 2]> {
    let table = |mu: f64| {
        let h = height.max(500.0);
        let w = mu * M2_PER_MU / h;
        Table {
            columns: vec![DbfColumn::text("BSM", 18)],
            shapes: vec![write::rect(
                X0 + ROW_WIDTH + 150.0,
                Y0,
                X0 + ROW_WIDTH + 150.0 + w,
                Y0 + h,
            )],
            rows: vec![vec![Some("1".into())]],
        }
    };
    Some([
        table(*p.declared.get("redline_before")?),
        table(*p.declared.get("redline_after")?),
    ])
}

fn write_source(dir: &Path, src: &Source) -> Result<u64> {
    let mut size = 0;
    for s in std::iter::once(src).chain(&src.siblings) {
        std::fs::write(dir.join(&s.name), &s.data).with_context(|| format!("无法写入 {}", s.name))?;
        size += s.data.len() as u64;
    }
    Ok(size)
}

fn main() -> Result<()> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(OUT);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let mut readme = String::from(
        "# 样例国土调查图层（虚构）\n\n由 `cargo run --example make_layers` 根据本省样例工作簿的图斑明细生成（examples/make_layers.rs），\
         请勿手工修改。坐标系均为 CGCS2000 3 度带高斯–克吕格投影、中央经线 117°E（EPSG:4548）。\
         每个图斑的图斑地类面积（TBDLMJ）等于图斑明细中的面积，故图斑数、耕地面积、最大图斑占比与图斑明细相同；\
         100 亩以上田块彼此相隔 20 米（宽于 8 米的连片容差），其余图斑以 3 米田间道路分成不足 40 亩的小片，\
         故集中连片地块数与填报的集中连片田块数相同。永久基本农田、生态保护红线图层按填报面积绘制，\
         永久基本农田调出面积等于填报的调整面积。\n\n| 文件 | 项目 | 格式 | 大小（字节） |\n|---|---|---|---|\n",
    );
    for p in facts()? {
        let (before, _, hb) = dltb(&p, 0);
        let (after, _, ha) = dltb(&p, 1);
        let height = hb.max(ha);
        let pbf = pbf(&p, height);
        let eco = redline(&p, height);
        let mut files: Vec<(Source, &str)> = Vec::new();
        let shp = |stem: String, t: &Table, enc: Encoding| {
            write::shapefile_source(
                &stem,
                t,
                enc,
                Some(PRJ_CGCS2000_GK_117),
                Some(if enc == Encoding::Gbk { "GBK" } else { "UTF-8" }),
            )
        };
        match p.id.as_str() {
            "QL-0201-03" => {
                let mut tables: Vec<(String, &Table)> =
                    vec![("DLTB_整治前".into(), &before), ("DLTB_整治后".into(), &after)];
                if let Some([b, a]) = &pbf {
                    tables.push(("YJJBNTTB_整治前".into(), b));
                    tables.push(("YJJBNTTB_整治后".into(), a));
                }
                if let Some([b, a]) = &eco {
                    tables.push(("STBHHX_整治前".into(), b));
                    tables.push(("STBHHX_整治后".into(), a));
                }
                let named: Vec<(&str, &Table)> = tables.iter().map(|(n, t)| (n.as_str(), *t)).collect();
                let bytes = write::gpkg(&named, 4548, PRJ_CGCS2000_GK_117)?;
                files.push((Source::new(format!("{}-国土调查.gpkg", p.id), bytes), "GeoPackage"));
            }
            id => {
                let enc = if id == "QL-0103-02" {
                    Encoding::Gbk
                } else {
                    Encoding::Utf8
                };
                let label = if enc == Encoding::Gbk {
                    "Shapefile（GBK）"
                } else {
                    "Shapefile（UTF-8）"
                };
                files.push((shp(format!("{id}-整治前"), &before, enc), label));
                files.push((shp(format!("{id}-整治后"), &after, enc), label));
                if let Some([b, a]) = &pbf {
                    if enc == Encoding::Gbk {
                        files.push((shp(format!("{id}-整治前-永久基本农田"), b, enc), label));
                        files.push((shp(format!("{id}-整治后-永久基本农田"), a, enc), label));
                    } else {
                        for (s, t) in [("整治前", b), ("整治后", a)] {
                            let name = format!("{id}-{s}-永久基本农田.geojson");
                            files.push((Source::new(name, write::geojson(t, Some(4548)).into_bytes()), "GeoJSON"));
                        }
                    }
                }
                if let Some([b, a]) = &eco {
                    files.push((shp(format!("{id}-整治前-生态保护红线"), b, enc), label));
                    files.push((shp(format!("{id}-整治后-生态保护红线"), a, enc), label));
                }
                if enc == Encoding::Gbk {
                    // The boundary encloses every layer with a 200 m margin.
                    let all = [&before, &after]
                        .into_iter()
                        .chain(pbf.iter().flatten())
                        .chain(eco.iter().flatten());
                    let ext = all
                        .flat_map(|t| t.shapes.iter())
                        .filter_map(geo::BoundingRect::bounding_rect)
                        .fold((f64::MAX, f64::MAX, f64::MIN, f64::MIN), |b, r| {
                            (
                                b.0.min(r.min().x),
                                b.1.min(r.min().y),
                                b.2.max(r.max().x),
                                b.3.max(r.max().y),
                            )
                        });
                    let boundary = Table {
                        columns: vec![DbfColumn::text("XMMC", 40)],
                        shapes: vec![write::rect(ext.0 - 200.0, ext.1 - 200.0, ext.2 + 200.0, ext.3 + 200.0)],
                        rows: vec![vec![Some("整治区域".into())]],
                    };
                    files.push((shp(format!("{id}-整治区域"), &boundary, enc), label));
                }
            }
        }
        for (src, format) in &files {
            let size = write_source(&dir, src)?;
            let _ = writeln!(readme, "| {} | {} | {format} | {size} |", src.name, p.id);
            println!("{:<40} {size:>9} bytes", src.name);
        }
    }
    std::fs::write(dir.join("README.md"), readme)?;
    Ok(())
}
