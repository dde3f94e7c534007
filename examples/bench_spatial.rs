//! Benchmark (not a test): every spatial metric for a province of survey layers.
//!
//! A seeded generator makes, per project, the layers a county submits — 地类图斑
//! before and after (`per_stage` polygons each: a jittered grid of 30 m
//! fields with 8 vertices, 65% farmland), 永久基本农田 before/after (≈ 45%
//! of the cells; 3% adjusted out, 3% added), 生态保护红线 and an 整治区域
//! boundary that clips the outer fields — as GBK Shapefiles, written once to a
//! cache folder (`$BENCH_SPATIAL_DIR`, default `<temp>/landeval-bench-spatial/<per_stage>`)
//! so that generation is never timed and every run reads the same files.
//!
//! Each project then goes through the real path, files read from disk with
//! `Source::from_paths` as `landeval evaluate` does: `ingest` (Shapefile
//! parsing, binding, feature checks) and `metrics::compute` (blocks, red
//! lines, clipping, map drawing), and its map is rendered to SVG.
//!
//! Run: `cargo run --release --example bench_spatial -- [projects] [per_stage] [whole|nested|gen]`
//! (default 300 × 20,000); `/usr/bin/time -v` gives the peak memory.
//! - default: one project at a time per thread (each thread with a one-thread rayon pool,
//!   so ingest's parallel reading runs inside it), each dropped once computed (memory
//!   bounded); the thread CPU time of each phase is printed;
//! - `nested`: projects as rayon tasks with ingest's parallelism nested (the earlier driver);
//! - `whole`: all projects' files as one dataset, as `landeval evaluate` reads them;
//! - `gen`: only write the missing files of the cache.
//!
//! Printed: wall and CPU time (user + sys of the process, steadier than wall
//! on a shared machine) of the timed phase, the check sums and a fingerprint
//! (SHA-256 of every spatial field, finding and map vertex) that must not
//! change when the code gets faster.
//!
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
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
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

/// The layer files of project `id`, in the order [`project_layers`] makes them.
fn layer_names(id: &str) -> Vec<String> {
    let mut out = Vec::new();
    for stage in ["整治前", "整治后"] {
        out.push(format!("{id}-{stage}.shp"));
        out.push(format!("{id}-{stage}-生态保护红线.shp"));
    }
    for stage in ["整治前", "整治后"] {
        out.push(format!("{id}-{stage}-永久基本农田.shp"));
    }
    out.push(format!("{id}-整治区域.shp"));
    out
}

fn project_id(p: usize) -> String {
    format!("B{p:04}")
}

/// The cache folder of a polygon count.
fn data_dir(per_stage: usize) -> PathBuf {
    std::env::var_os("BENCH_SPATIAL_DIR").map_or_else(
        || {
            std::env::temp_dir()
                .join("landeval-bench-spatial")
                .join(per_stage.to_string())
        },
        PathBuf::from,
    )
}

/// Write the layers of the projects not yet in the cache; returns how many were written.
fn ensure_generated(dir: &Path, projects: usize, per_stage: usize) -> usize {
    std::fs::create_dir_all(dir).expect("cache folder");
    let missing: Vec<usize> = (0..projects)
        .filter(|p| !dir.join(format!("{}.done", project_id(*p))).exists())
        .collect();
    missing.par_iter().for_each(|&p| {
        let layers = project_layers(p, per_stage);
        let names: Vec<&str> = layers.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, layer_names(&project_id(p)), "layer order");
        for s in layers.iter().flat_map(|s| std::iter::once(s).chain(&s.siblings)) {
            std::fs::write(dir.join(&s.name), &s.data).expect("write layer");
        }
        std::fs::write(dir.join(format!("{}.done", project_id(p))), b"").expect("marker");
    });
    missing.len()
}

/// The ledger and the layer files of a project, read as the command line reads them.
fn project_sources(dir: &Path, p: usize) -> Vec<Source> {
    let mut out = vec![ledger(p)];
    let paths: Vec<PathBuf> = layer_names(&project_id(p)).iter().map(|n| dir.join(n)).collect();
    out.extend(Source::from_paths(&paths).expect("layer files"));
    out
}

/// User + system CPU seconds of the process so far.
#[cfg(unix)]
fn cpu_seconds() -> Option<f64> {
    // SAFETY: getrusage only writes the struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) } != 0 {
        return None;
    }
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Some(secs(u.ru_utime) + secs(u.ru_stime))
}

#[cfg(not(unix))]
fn cpu_seconds() -> Option<f64> {
    None
}

/// Wall and CPU time of a phase.
struct Clock {
    wall: Instant,
    cpu: Option<f64>,
}

impl Clock {
    fn start() -> Self {
        Clock {
            wall: Instant::now(),
            cpu: cpu_seconds(),
        }
    }

    /// e.g. `12.3 s wall, 20.1 s CPU`.
    fn report(&self) -> String {
        let cpu = match (self.cpu, cpu_seconds()) {
            (Some(a), Some(b)) => format!("{:.1} s", b - a),
            _ => "—".into(),
        };
        format!("墙钟 {:.1} s，CPU {cpu}", self.wall.elapsed().as_secs_f64())
    }
}

/// What one project contributes to the check sums.
struct Summary {
    np: f64,
    blocks: f64,
    pbf_out: f64,
    map_vertices: usize,
    /// Size of the rendered before/after maps (SVG text).
    svg_bytes: usize,
    /// The map as a scorecard draws it (with `BENCH_MAP_DIR` only).
    card_svg: Option<String>,
    findings: usize,
    /// SHA-256 of the spatial fields, findings and map vertices.
    fingerprint: [u8; 32],
}

/// Every spatial field, finding and map vertex, hashed.
fn fingerprint(ds: &ingest::Dataset, t: &metrics::ProjectTable) -> [u8; 32] {
    let mut h = Sha256::new();
    // Every derived field (the spatial ones and those computed from them, such as `*_used`).
    for f in [&t.spatial.frame, &t.frame] {
        for name in f.get_column_names() {
            h.update(name.as_bytes());
            let Ok(c) = f.column(name) else { continue };
            for i in 0..f.height() {
                h.update(format!("{:?}", c.get(i).ok()).as_bytes());
            }
        }
    }
    for x in ds.log.findings.iter().chain(&t.findings) {
        h.update(format!("{} {} {}", x.severity.label(), x.origin, x.message).as_bytes());
    }
    for (id, m) in t.spatial.maps() {
        h.update(format!("{id} {:?} {:?} {:?}", m.threshold_mu, m.width_m, m.height_m).as_bytes());
        let stages = [&m.before, &m.after];
        let rings = stages
            .iter()
            .copied()
            .flatten()
            .flat_map(|s| [&s.blocks, &s.scattered, &s.other, &s.pbf, &s.pbf_cells])
            .chain([&m.boundary]);
        for ring in rings.flatten() {
            h.update(ring.len().to_le_bytes());
            for v in ring {
                h.update(v[0].to_le_bytes());
                h.update(v[1].to_le_bytes());
            }
        }
        for s in stages.iter().copied().flatten() {
            h.update(
                format!(
                    "{} {} {:?} {:?}",
                    s.patches, s.contig_blocks, s.farmland_mu, s.tolerance_m
                )
                .as_bytes(),
            );
        }
    }
    h.finalize().into()
}

fn summarize(ds: &ingest::Dataset, t: &metrics::ProjectTable, first: bool) -> Summary {
    let col = |c: &str| {
        let f = &t.spatial.frame;
        f.column(c)
            .ok()
            .and_then(|c| c.f64().ok().map(|v| v.iter().flatten().sum::<f64>()))
            .unwrap_or(f64::NAN)
    };
    let map_vertices = t
        .spatial
        .maps()
        .values()
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
    if first && let (Some(dir), Some(svg)) = (std::env::var_os("BENCH_MAP_DIR"), svgs.first()) {
        write_map_pdf(Path::new(&dir), svg);
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
        svg_bytes: svgs.iter().map(String::len).sum(),
        card_svg,
        np: col("layer_np_before") + col("layer_np_after"),
        blocks: col("blocks_n_before") + col("blocks_n_after"),
        pbf_out: col("pbf_adjusted_layer"),
        map_vertices,
        findings: ds.log.findings.len() + t.findings.len(),
        fingerprint: fingerprint(ds, t),
    }
}

fn run_project(dir: &Path, p: usize, dict: &FieldDict, phases: &Phases) -> Summary {
    let t0 = thread_cpu();
    let sources = project_sources(dir, p);
    let t0 = Phases::add(&phases.read, t0);
    let ds = ingest::ingest(&sources, dict);
    drop(sources);
    let t0 = Phases::add(&phases.ingest, t0);
    let t = metrics::compute(&ds).expect("metrics");
    let t0 = Phases::add(&phases.metrics, t0);
    if p == 0 && std::env::var_os("BENCH_FINDINGS").is_some() {
        for f in ds.log.findings.iter().chain(&t.findings) {
            eprintln!("{} {} {}", f.severity.label(), f.origin, f.message);
        }
    }
    let sum = summarize(&ds, &t, p == 0);
    Phases::add(&phases.maps, t0);
    sum
}

fn print_sums(sums: &[Summary], projects: usize) {
    let np: f64 = sums.iter().map(|s| s.np).sum();
    let blocks: f64 = sums.iter().map(|s| s.blocks).sum();
    let pbf: f64 = sums.iter().map(|s| s.pbf_out).sum();
    let verts: usize = sums.iter().map(|s| s.map_vertices).sum();
    let findings: usize = sums.iter().map(|s| s.findings).sum();
    let svg: usize = sums.iter().map(|s| s.svg_bytes).sum();
    let mut h = Sha256::new();
    for s in sums {
        h.update(s.fingerprint);
    }
    let print: String = h.finalize().iter().take(12).map(|b| format!("{b:02x}")).collect();
    println!(
        "地图 SVG 共 {:.1} MB（每个项目平均 {:.0} KB）",
        svg as f64 / 1e6,
        svg as f64 / 1e3 / projects.max(1) as f64
    );
    println!(
        "耕地图斑 {np:.0} 个，连片地块 {blocks:.0} 个，永久基本农田调出 {pbf:.1} 亩，地图顶点 {verts} 个，数据质量记录 {findings} 条"
    );
    println!("指纹 {print}");
    let cards: Vec<&String> = sums.iter().filter_map(|s| s.card_svg.as_ref()).collect();
    if !cards.is_empty() {
        card_map_bytes(&cards);
    }
}

/// What the scorecard maps add to a PDF: pages each placing one project's
/// map at the scorecard's size, against the same pages without the maps.
fn card_map_bytes(svgs: &[&String]) {
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
        svgs.iter().map(|s| s.len()).sum::<usize>() as f64 / 1e3 / svgs.len() as f64,
        with as f64 / 1e6,
        without as f64 / 1e6,
        per_card / 1e3
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let nums: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let projects = nums.first().copied().unwrap_or(300);
    let per_stage = nums.get(1).copied().unwrap_or(20_000);
    let mode = args
        .iter()
        .find(|a| a.parse::<usize>().is_err())
        .map_or("", String::as_str);
    let dict = FieldDict::bundled();
    let dir = data_dir(per_stage);
    println!(
        "{projects} 个项目 × 每期 {per_stage} 个地类图斑（另有永久基本农田、生态保护红线、整治区域），{} 线程，图层目录 {}",
        rayon::current_num_threads(),
        dir.display()
    );
    let clock = Clock::start();
    let made = ensure_generated(&dir, projects, per_stage);
    if made > 0 {
        println!("生成 {made} 个项目的图层（不计入下面的时间）：{}", clock.report());
    }
    match mode {
        "gen" => {}
        "whole" => run_whole(&dir, projects, &dict),
        "nested" => {
            // The earlier driver: projects as rayon tasks, ingest's own parallel reading nested
            // inside (a waiting thread steals further projects, so many are in memory at once).
            let clock = Clock::start();
            let sums: Vec<Summary> = (0..projects)
                .into_par_iter()
                .map(|p| run_project(&dir, p, &dict, &Phases::default()))
                .collect();
            println!("逐项目读取 + 计算 + 地图（嵌套调度）：{}", clock.report());
            print_sums(&sums, projects);
        }
        _ => {
            let clock = Clock::start();
            let phases = Phases::default();
            let sums = per_worker(projects, |p| run_project(&dir, p, &dict, &phases));
            println!("逐项目读取 + 计算 + 地图：{}", clock.report());
            phases.print();
            print_sums(&sums, projects);
        }
    }
}

/// Projects one at a time on each of the machine's threads, each thread with a rayon pool
/// of its own thread only: as many projects in memory as threads, no project waiting on
/// another's work.
fn per_worker<T: Send>(projects: usize, run: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let next = AtomicUsize::new(0);
    let threads = rayon::current_num_threads().max(1);
    let mut out: Vec<(usize, T)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("pool");
                    pool.install(|| {
                        let mut done = Vec::new();
                        loop {
                            let p = next.fetch_add(1, Ordering::Relaxed);
                            if p >= projects {
                                return done;
                            }
                            done.push((p, run(p)));
                        }
                    })
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("worker")).collect()
    });
    out.sort_by_key(|(p, _)| *p);
    out.into_iter().map(|(_, t)| t).collect()
}

/// CPU seconds of the calling thread.
#[cfg(unix)]
fn thread_cpu() -> f64 {
    let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime only writes the struct it is given.
    if unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) } != 0 {
        return 0.0;
    }
    t.tv_sec as f64 + t.tv_nsec as f64 / 1e9
}

#[cfg(not(unix))]
fn thread_cpu() -> f64 {
    0.0
}

/// Thread CPU time per phase, summed over the projects (microseconds).
#[derive(Default)]
struct Phases {
    read: AtomicU64,
    ingest: AtomicU64,
    metrics: AtomicU64,
    maps: AtomicU64,
}

impl Phases {
    fn add(slot: &AtomicU64, since: f64) -> f64 {
        let now = thread_cpu();
        slot.fetch_add(((now - since) * 1e6) as u64, Ordering::Relaxed);
        now
    }

    fn print(&self) {
        let s = |a: &AtomicU64| a.load(Ordering::Relaxed) as f64 / 1e6;
        println!(
            "各步 CPU（线程时间）：读文件 {:.1} s，解析与检查（ingest）{:.1} s，指标计算（metrics）{:.1} s，地图 SVG 与校验和 {:.1} s",
            s(&self.read),
            s(&self.ingest),
            s(&self.metrics),
            s(&self.maps)
        );
    }
}

/// All projects in one dataset: every file read into memory first, as `landeval evaluate` does.
fn run_whole(dir: &Path, projects: usize, dict: &FieldDict) {
    let all = Clock::start();
    let clock = Clock::start();
    let mut sources: Vec<Source> = (0..projects).map(ledger).collect();
    for p in 0..projects {
        sources.extend(project_sources(dir, p).into_iter().skip(1));
    }
    let read = clock.report();
    let clock = Clock::start();
    let ds = ingest::ingest(&sources, dict);
    drop(sources);
    let ingest = clock.report();
    let clock = Clock::start();
    let t = metrics::compute(&ds).expect("metrics");
    let compute = clock.report();
    let clock = Clock::start();
    let sum = summarize(&ds, &t, true);
    println!(
        "整体读取：读文件 {read}；解析 {ingest}；计算 {compute}；地图 {}；合计 {}；{} 个项目有图层指标",
        clock.report(),
        all.report(),
        t.spatial.projects.len()
    );
    print_sums(&[sum], projects);
}

/// Project 0's map as SVG and as a one-page PDF, to see what one map weighs in a report.
fn write_map_pdf(dir: &Path, svg: &str) {
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
