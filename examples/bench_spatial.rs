//! Benchmark (not a test): every spatial metric for a province of survey layers.
//!
//! A seeded generator makes, per project, the layers a county submits — 地类图斑
//! before and after (`per_stage` polygons each: a jittered grid of 30 m
//! fields with 8 vertices, 65% farmland), 永久基本农田 before/after (70% of
//! the farmland; 3% adjusted out, 3% added), 生态保护红线 and an 整治区域
//! boundary that clips the outer fields — as GBK Shapefiles in memory. Each
//! project then goes through the real path: `ingest` (Shapefile parsing,
//! binding, feature checks) and `metrics::compute` (blocks, red lines,
//! clipping, map drawing). Projects run two at a time and are dropped once
//! their fields are computed, so memory stays bounded.
//!
//! Run: `cargo run --release --example bench_spatial [projects] [per_stage] [whole]`
//! (default 300 × 20,000); `/usr/bin/time -v` gives the peak memory. The
//! generation alone is timed first and reported separately. With `whole`, all
//! projects' files are made first and read as one dataset, as `landeval
//! evaluate` does with files on disk (memory then grows with the province).
//! With `BENCH_MAP_DIR=<dir>`, project 0's map is also written there (SVG and
//! a one-page PDF), and every project's map as a scorecard draws it is laid
//! out one per page, with and without the maps: the difference per page is
//! what a map adds to a scorecard annex.

use geo::{Coord, LineString, MultiPolygon, Polygon};
use landeval::fields::FieldDict;
use landeval::ingest::layers::dbf::Encoding;
use landeval::ingest::layers::write::{self, DbfColumn, PRJ_CGCS2000_GK_117, Table};
use landeval::ingest::{self, Source};
use landeval::metrics;
use rayon::prelude::*;
use std::time::Instant;

const CELL: f64 = 30.0;
const SEED: u64 = 20_261_201;

/// splitmix64 of a key: the same cell or edge gets the same jitter in every stage that shares it.
fn hash(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn unit(key: u64) -> f64 {
    (hash(key) >> 11) as f64 / (1u64 << 53) as f64
}

fn key(parts: &[u64]) -> u64 {
    parts.iter().fold(SEED, |h, p| hash(h ^ p))
}

/// A jittered grid: node positions and edge midpoints depend only on (project, stage, node/edge).
struct Grid {
    n: usize,
    project: u64,
    stage: u64,
    x0: f64,
}

impl Grid {
    fn node(&self, i: usize, j: usize) -> Coord<f64> {
        let border = i == 0 || j == 0 || i == self.n || j == self.n;
        let k = key(&[self.project, self.stage, i as u64, j as u64]);
        let (dx, dy) = if border {
            (0.0, 0.0)
        } else {
            (unit(k) - 0.5, unit(k ^ 1) - 0.5)
        };
        Coord {
            x: self.x0 + i as f64 * CELL + 10.0 * dx,
            y: 3_400_000.0 + j as f64 * CELL + 10.0 * dy,
        }
    }

    /// The midpoint of the edge between two nodes, pushed sideways a little.
    fn mid(&self, a: (usize, usize), b: (usize, usize)) -> Coord<f64> {
        let (pa, pb) = (self.node(a.0, a.1), self.node(b.0, b.1));
        let (lo, hi) = if a < b { (a, b) } else { (b, a) };
        let k = key(&[
            self.project,
            self.stage,
            lo.0 as u64,
            lo.1 as u64,
            hi.0 as u64,
            hi.1 as u64,
            7,
        ]);
        let s = 4.0 * (unit(k) - 0.5);
        let (dx, dy) = (pb.x - pa.x, pb.y - pa.y);
        let len = dx.hypot(dy).max(1e-9);
        Coord {
            x: (pa.x + pb.x) / 2.0 - dy / len * s,
            y: (pa.y + pb.y) / 2.0 + dx / len * s,
        }
    }

    fn cell(&self, i: usize, j: usize) -> MultiPolygon<f64> {
        let c = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)];
        let mut pts = Vec::with_capacity(9);
        for k in 0..4 {
            let (a, b) = (c[k], c[(k + 1) % 4]);
            pts.push(self.node(a.0, a.1));
            pts.push(self.mid(a, b));
        }
        pts.push(pts[0]);
        MultiPolygon(vec![Polygon::new(LineString::new(pts), vec![])])
    }
}

fn columns() -> Vec<DbfColumn> {
    vec![
        DbfColumn::text("BSM", 18),
        DbfColumn::text("DLBM", 5),
        DbfColumn::text("DLMC", 20),
        DbfColumn::number("TBMJ", 15, 2),
        DbfColumn::number("KCMJ", 15, 2),
        DbfColumn::number("TBDLMJ", 15, 2),
    ]
}

fn row(bsm: usize, code: &str, shape: &MultiPolygon<f64>) -> Vec<Option<String>> {
    use geo::Area;
    let gross = shape.unsigned_area();
    let name = match code {
        "0101" => "水田",
        "0103" => "旱地",
        "0301" => "乔木林地",
        "0702" => "农村宅基地",
        _ => "坑塘水面",
    };
    vec![
        Some(bsm.to_string()),
        Some(code.into()),
        Some(name.into()),
        Some(format!("{gross:.2}")),
        Some(format!("{:.2}", gross * 0.05)),
        Some(format!("{:.2}", gross * 0.95)),
    ]
}

/// The layers of project `p`: DLTB and PBF per stage, red line per stage, boundary.
fn project_layers(p: usize, per_stage: usize) -> Vec<Source> {
    let n = (per_stage as f64).sqrt().ceil() as usize;
    let id = format!("B{p:04}");
    let x0 = 500_000.0 + (p % 20) as f64 * 10_000.0;
    let mut out = Vec::new();
    let mut pbf_tables = [Table::default(), Table::default()];
    for (s, stage) in ["整治前", "整治后"].iter().enumerate() {
        let g = Grid {
            n,
            project: p as u64,
            stage: s as u64,
            x0,
        };
        let pbf_grid = Grid { stage: 0, ..g };
        let mut t = Table {
            columns: columns(),
            ..Default::default()
        };
        for k in 0..per_stage {
            let (i, j) = (k % n, k / n);
            let r = unit(key(&[p as u64, s as u64, i as u64, j as u64, 1]));
            let code = if r < 0.45 {
                "0101"
            } else if r < 0.65 {
                "0103"
            } else if r < 0.85 {
                "0301"
            } else if r < 0.95 {
                "0702"
            } else {
                "1104"
            };
            let shape = g.cell(i, j);
            t.rows.push(row(k + 1, code, &shape));
            t.shapes.push(shape);
            // PBF on the before grid, so both stages share its polygons.
            let q = unit(key(&[p as u64, i as u64, j as u64, 2]));
            // After: the 0.44–0.455 slice is adjusted out, the 0.455–0.47 slice added.
            let in_pbf = if s == 0 {
                q < 0.455
            } else {
                q < 0.44 || (0.455..0.47).contains(&q)
            };
            if in_pbf {
                let ps = pbf_grid.cell(i, j);
                pbf_tables[s].rows.push(row(k + 1, "0101", &ps));
                pbf_tables[s].shapes.push(ps);
            }
        }
        pbf_tables[s].columns = columns();
        out.push(write::shapefile_source(
            &format!("{id}-{stage}"),
            &t,
            Encoding::Gbk,
            Some(PRJ_CGCS2000_GK_117),
            Some("GBK"),
        ));
        let side = n as f64 * CELL;
        let mut eco = Table {
            columns: columns(),
            ..Default::default()
        };
        for k in 0..(4 + s) {
            let shape = write::rect(
                x0 + k as f64 * side / 5.0,
                3_400_000.0,
                x0 + (k as f64 + 0.5) * side / 5.0,
                3_400_000.0 + side / 8.0,
            );
            eco.rows.push(row(k + 1, "0301", &shape));
            eco.shapes.push(shape);
        }
        out.push(write::shapefile_source(
            &format!("{id}-{stage}-生态保护红线"),
            &eco,
            Encoding::Gbk,
            Some(PRJ_CGCS2000_GK_117),
            Some("GBK"),
        ));
    }
    for (s, stage) in ["整治前", "整治后"].iter().enumerate() {
        out.push(write::shapefile_source(
            &format!("{id}-{stage}-永久基本农田"),
            &pbf_tables[s],
            Encoding::Gbk,
            Some(PRJ_CGCS2000_GK_117),
            Some("GBK"),
        ));
    }
    let side = n as f64 * CELL;
    let boundary = Table {
        columns: vec![DbfColumn::text("XMMC", 20)],
        shapes: vec![write::rect(
            x0 + 50.0,
            3_400_050.0,
            x0 + side - 50.0,
            3_400_000.0 + side - 50.0,
        )],
        rows: vec![vec![Some(id.clone())]],
    };
    out.push(write::shapefile_source(
        &format!("{id}-整治区域"),
        &boundary,
        Encoding::Gbk,
        Some(PRJ_CGCS2000_GK_117),
        None,
    ));
    out
}

fn ledger(p: usize) -> Source {
    let id = format!("B{p:04}");
    let csv = format!(
        "项目编号,项目名称,市（州）,县（市、区）,地形,整治区域面积\n{id},{id} 项目,基准市,基准县,{},30000\n",
        ["平原", "丘陵", "山区"][p % 3]
    );
    Source::new(format!("基准县{p}-项目台账.csv"), csv.into_bytes())
}

/// What one project contributes to the check sum.
struct Summary {
    np: f64,
    blocks: f64,
    pbf_out: f64,
    map_vertices: usize,
    /// Size of the rendered before/after map (SVG text).
    svg_bytes: usize,
    /// The map as a scorecard draws it (with `BENCH_MAP_DIR` only).
    card_svg: Option<String>,
    findings: usize,
}

fn run_project(p: usize, per_stage: usize, dict: &FieldDict) -> Summary {
    let mut sources = vec![ledger(p)];
    sources.extend(project_layers(p, per_stage));
    let ds = ingest::ingest(&sources, dict);
    drop(sources);
    let t = metrics::compute(&ds).expect("metrics");
    if p == 0 && std::env::var_os("BENCH_FINDINGS").is_some() {
        for f in ds.log.findings.iter().chain(&t.findings) {
            eprintln!("{} {} {}", f.severity.label(), f.origin, f.message);
        }
    }
    let get = |c: &str| {
        t.frame
            .column(c)
            .ok()
            .and_then(|c| c.f64().ok()?.get(0))
            .unwrap_or(f64::NAN)
    };
    let map_vertices = t
        .spatial
        .projects
        .iter()
        .filter_map(|p| p.map.as_ref())
        .flat_map(|m| [&m.before, &m.after])
        .flatten()
        .map(|s| {
            [&s.blocks, &s.scattered, &s.other, &s.pbf, &s.pbf_cells]
                .iter()
                .flat_map(|v| v.iter())
                .map(Vec::len)
                .sum::<usize>()
        })
        .sum();
    let svgs: Vec<String> = t
        .spatial
        .maps()
        .values()
        .map(|m| landeval::report::engine::map::render_svg(m, &Default::default()))
        .collect();
    let svg_bytes = svgs.iter().map(String::len).sum();
    if p == 0
        && let (Some(dir), Some(svg)) = (std::env::var_os("BENCH_MAP_DIR"), svgs.first())
    {
        write_map_pdf(std::path::Path::new(&dir), svg);
    }
    let card_svg = std::env::var_os("BENCH_MAP_DIR").and_then(|_| {
        let style = landeval::report::committee::view::card_map_style();
        t.spatial
            .maps()
            .values()
            .next()
            .map(|m| landeval::report::engine::map::render_svg(m, &style))
    });
    Summary {
        card_svg,
        svg_bytes,
        np: get("layer_np_before") + get("layer_np_after"),
        blocks: get("blocks_n_before") + get("blocks_n_after"),
        pbf_out: get("pbf_adjusted_layer"),
        map_vertices,
        findings: ds.log.findings.len() + t.findings.len(),
    }
}

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let projects = args.first().copied().unwrap_or(300);
    let per_stage = args.get(1).copied().unwrap_or(20_000);
    let dict = FieldDict::bundled();
    println!(
        "{projects} 个项目 × 每期 {per_stage} 个地类图斑（另有永久基本农田、生态保护红线、整治区域），{} 线程",
        rayon::current_num_threads()
    );
    let t0 = Instant::now();
    let bytes: usize = (0..projects)
        .into_par_iter()
        .map(|p| {
            project_layers(p, per_stage)
                .iter()
                .map(|s| s.data.len() + s.siblings.iter().map(|x| x.data.len()).sum::<usize>())
                .sum::<usize>()
        })
        .sum();
    let gen_s = t0.elapsed().as_secs_f64();
    println!("仅生成图层：{gen_s:.1} s（Shapefile 共 {:.0} MB）", bytes as f64 / 1e6);
    if std::env::args().any(|a| a == "whole") {
        return run_whole(projects, per_stage, &dict);
    }
    let t1 = Instant::now();
    let sums: Vec<Summary> = (0..projects)
        .into_par_iter()
        .map(|p| run_project(p, per_stage, &dict))
        .collect();
    let total_s = t1.elapsed().as_secs_f64();
    let np: f64 = sums.iter().map(|s| s.np).sum();
    let blocks: f64 = sums.iter().map(|s| s.blocks).sum();
    let pbf: f64 = sums.iter().map(|s| s.pbf_out).sum();
    let verts: usize = sums.iter().map(|s| s.map_vertices).sum();
    let findings: usize = sums.iter().map(|s| s.findings).sum();
    let svg: usize = sums.iter().map(|s| s.svg_bytes).sum();
    println!(
        "生成 + 读取 + 计算：{total_s:.1} s；扣除生成后约 {:.1} s",
        total_s - gen_s
    );
    println!(
        "地图 SVG 共 {:.1} MB（每个项目平均 {:.0} KB）",
        svg as f64 / 1e6,
        svg as f64 / 1e3 / projects.max(1) as f64
    );
    println!(
        "耕地图斑 {np:.0} 个，连片地块 {blocks:.0} 个，永久基本农田调出 {pbf:.1} 亩，地图顶点 {verts} 个，数据质量记录 {findings} 条"
    );
    let cards: Vec<String> = sums.into_iter().filter_map(|s| s.card_svg).collect();
    if !cards.is_empty() {
        card_map_bytes(&cards);
    }
}

/// What the scorecard maps add to a PDF: pages each placing one project's
/// map at the scorecard's size, against the same pages without the maps.
fn card_map_bytes(svgs: &[String]) {
    use landeval::report::engine::{VirtualFile, compile_pdf, fonts::FontSet};
    let fonts = FontSet::load(None).expect("fonts");
    let page = |k: usize, map: bool| {
        let image = if map {
            format!("#image(\"/maps/{k}.svg\")")
        } else {
            String::new()
        };
        format!("#set page(paper: \"a4\", margin: 20mm)\n= 项目 {k}\n{image}\n#pagebreak()\n")
    };
    let pdf = |map: bool| {
        let markup: String = (0..svgs.len()).map(|k| page(k, map)).collect();
        let files = svgs
            .iter()
            .enumerate()
            .map(|(k, svg)| VirtualFile::new(format!("/maps/{k}.svg"), svg.as_bytes()))
            .collect();
        compile_pdf(markup, files, &fonts, [2025, 1, 1])
            .expect("pdf")
            .bytes
            .len()
    };
    let (with, without) = (pdf(true), pdf(false));
    let per_card = (with - without) as f64 / svgs.len() as f64;
    println!(
        "评分卡地图：{} 个，SVG 平均 {:.0} KB；PDF 有图 {:.2} MB、无图 {:.2} MB，每张评分卡的地图约 {:.1} KB",
        svgs.len(),
        svgs.iter().map(String::len).sum::<usize>() as f64 / 1e3 / svgs.len() as f64,
        with as f64 / 1e6,
        without as f64 / 1e6,
        per_card / 1e3
    );
}

/// All projects in one dataset: the files held in memory, read and computed together.
fn run_whole(projects: usize, per_stage: usize, dict: &FieldDict) {
    let t0 = Instant::now();
    let mut sources: Vec<Source> = (0..projects).map(ledger).collect();
    let layers: Vec<Source> = (0..projects)
        .into_par_iter()
        .flat_map_iter(|p| project_layers(p, per_stage))
        .collect();
    sources.extend(layers);
    let gen_s = t0.elapsed().as_secs_f64();
    let t1 = Instant::now();
    let ds = ingest::ingest(&sources, dict);
    let read_s = t1.elapsed().as_secs_f64();
    let t2 = Instant::now();
    let t = metrics::compute(&ds).expect("metrics");
    let metrics_s = t2.elapsed().as_secs_f64();
    println!(
        "整体读取：生成 {gen_s:.1} s，读取 {read_s:.1} s，计算 {metrics_s:.1} s；{} 个项目有图层指标",
        t.spatial.projects.len()
    );
}

/// Project 0's map as SVG and as a one-page PDF, to see what one map weighs in a report.
fn write_map_pdf(dir: &std::path::Path, svg: &str) {
    use landeval::report::engine::{VirtualFile, compile_pdf, fonts::FontSet};
    let fonts = FontSet::load(None).expect("fonts");
    let markup = "#set page(paper: \"a4\", margin: 20mm)\n#image(\"/map.svg\", width: 100%)\n".to_string();
    let files = vec![VirtualFile::new("/map.svg", svg.as_bytes())];
    let pdf = compile_pdf(markup, files, &fonts, [2025, 1, 1]).expect("pdf").bytes;
    std::fs::create_dir_all(dir).expect("dir");
    std::fs::write(dir.join("B0000-map.svg"), svg).expect("svg");
    std::fs::write(dir.join("B0000-map.pdf"), &pdf).expect("pdf");
    println!(
        "项目 B0000 地图：SVG {} KB，单页 PDF {} KB",
        svg.len() / 1000,
        pdf.len() / 1000
    );
}
