//! Benchmark (not a test): the whole committee pipeline at province scale.
//!
//! ```text
//! cargo run --release --example bench_scale -- S|M|L [--draws N] [DIR]
//! ```
//!
//! Scenarios (seeded, `support/province.rs`): S 60 projects (4 cities × 3
//! counties); M 300 projects (8 × 4) with 6 M 图斑明细 rows as one parquet
//! file per county beside its workbook (`support/patches.rs`); L 3,000
//! projects across 120 counties (12 × 10), no patch detail. One workbook per
//! county is written to `DIR/<scenario>/inputs` (default DIR: the system temp
//! dir's `landeval-bench-scale`; not timed, reused when present).
//!
//! A child process (this example with `run`) then does what `landeval
//! evaluate` does — read the files, metrics, score, robustness with the
//! model's draws (default model, its default 10,000 unless `--draws`), the
//! PDF volumes, xlsx, JSON into `DIR/<scenario>/out` — and prints the wall
//! time of each stage and its peak resident memory; the parent prints the
//! child's wall time end to end. Afterwards the child reads the same
//! workbooks with calamine alone and with landeval's ingest (best of 3),
//! and for M the parquet files with polars alone. Numbers: `BENCHMARKS.md`.

use anyhow::{Context, Result, bail};
use landeval::fields::FieldDict;
use landeval::ingest::{Limits, Source};
use landeval::model::{DEFAULT_MODEL, Model};
use landeval::pipeline;
use landeval::progress::{Observer, Progress, Stage};
use landeval::report::RenderOptions;
use landeval::report::engine::fonts::FontSet;
use landeval::score::robust::SplitMix64;
use landeval::template::write_workbook;
use polars::prelude::{ParquetCompression, ParquetReader, ParquetWriter, SerReader};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[path = "support/bare.rs"]
mod bare;
#[path = "support/patches.rs"]
#[allow(dead_code)] // shared with the patch benchmarks; only per-project tables are used here
mod patches;
#[path = "support/province.rs"]
mod province;

/// One benchmark scenario.
struct Scenario {
    name: &'static str,
    projects: usize,
    cities: usize,
    counties: usize,
    /// 图斑明细 rows in all (0: none).
    patch_rows: usize,
}

const SCENARIOS: [Scenario; 3] = [
    Scenario {
        name: "S",
        projects: 60,
        cities: 4,
        counties: 3,
        patch_rows: 0,
    },
    Scenario {
        name: "M",
        projects: 300,
        cities: 8,
        counties: 4,
        patch_rows: 6_000_000,
    },
    Scenario {
        name: "L",
        projects: 3_000,
        cities: 12,
        counties: 10,
        patch_rows: 0,
    },
];

/// Command line: `[run] S|M|L [--draws N] [DIR]`.
struct Args {
    child: bool,
    scenario: &'static Scenario,
    draws: Option<usize>,
    dir: PathBuf,
}

fn args() -> Result<Args> {
    let mut it = std::env::args().skip(1).peekable();
    let child = it.next_if(|a| a == "run").is_some();
    let name = it.next().unwrap_or_else(|| "S".into());
    let Some(scenario) = SCENARIOS.iter().find(|s| s.name == name) else {
        bail!("场景应为 S、M 或 L：{name}");
    };
    let mut draws = None;
    let mut dir = std::env::temp_dir().join("landeval-bench-scale");
    while let Some(a) = it.next() {
        if a == "--draws" {
            draws = Some(
                it.next()
                    .context("--draws 后应为次数")?
                    .parse()
                    .context("--draws 应为整数")?,
            );
        } else {
            dir = PathBuf::from(a);
        }
    }
    Ok(Args {
        child,
        scenario,
        draws,
        dir,
    })
}

fn main() -> Result<()> {
    let a = args()?;
    let root = a.dir.join(a.scenario.name);
    if a.child {
        return run(a.scenario, &root, a.draws);
    }
    let profile = if cfg!(debug_assertions) { "debug" } else { "release" };
    println!("场景 {}，构建配置 {profile}", a.scenario.name);
    generate(a.scenario, &root.join("inputs"))?;
    let t = Instant::now();
    let mut child = std::process::Command::new(std::env::current_exe()?);
    child.arg("run").arg(a.scenario.name).arg(&a.dir);
    if let Some(d) = a.draws {
        child.arg("--draws").arg(d.to_string());
    }
    let status = child.status()?;
    if !status.success() {
        bail!("子进程失败：{status}");
    }
    println!("端到端（子进程墙钟时间）：{:.1} s", t.elapsed().as_secs_f64());
    Ok(())
}

/// Write the scenario's workbooks (and parquet files) unless already there.
fn generate(s: &Scenario, inputs: &Path) -> Result<()> {
    let done = inputs.join(".complete");
    if done.exists() {
        println!("输入已存在：{}", inputs.display());
        return Ok(());
    }
    let _ = std::fs::remove_dir_all(inputs);
    std::fs::create_dir_all(inputs)?;
    let t = Instant::now();
    let counts = if s.patch_rows > 0 {
        write_patches(s, inputs)?
    } else {
        HashMap::new()
    };
    let dict = FieldDict::bundled();
    let counties = province::generate(s.projects, s.cities, s.counties, |p| counts.get(&p).copied());
    for c in &counties {
        write_workbook(&inputs.join(format!("{}{}.xlsx", c.city, c.name)), &dict, &c.data)?;
    }
    std::fs::write(&done, "")?;
    println!(
        "生成 {} 个项目、{} 个县的工作簿{}：{:.1} s（不计入）",
        s.projects,
        counties.len(),
        if s.patch_rows > 0 {
            format!("和 {} 行图斑明细", s.patch_rows)
        } else {
            String::new()
        },
        t.elapsed().as_secs_f64()
    );
    Ok(())
}

/// One zstd parquet 图斑明细 per county (each project's rows split before /
/// after by a seeded share); the farmland patch counts per project number.
fn write_patches(s: &Scenario, inputs: &Path) -> Result<HashMap<usize, province::PatchCounts>> {
    let per = s.patch_rows / s.projects.max(1);
    let mut counts = HashMap::new();
    for c in 0..s.cities {
        for k in 0..s.counties {
            let members: Vec<usize> = (0..s.projects)
                .filter(|&p| p % s.cities == c && (p / s.cities) % s.counties == k)
                .collect();
            if members.is_empty() {
                continue;
            }
            let ids = members
                .iter()
                .map(|&p| province::project_id(p, s.cities, s.counties))
                .collect();
            let split: Vec<(usize, usize)> = members
                .iter()
                .map(|&p| {
                    let share = 0.55 + 0.1 * SplitMix64::for_draw(province::SEED, p as u64).next_f64();
                    let before = (per as f64 * share).round() as usize;
                    (before, per - before)
                })
                .collect();
            let synth = patches::Patches::for_projects(ids, &split, province::SEED ^ (c * 100 + k + 1) as u64);
            for (&p, (b, a)) in members.iter().zip(synth.farmland_counts()) {
                let pc = province::PatchCounts {
                    before: b as f64,
                    after: a as f64,
                };
                counts.insert(p, pc);
            }
            let mut frame = synth.county_frame(1);
            let name = format!(
                "{}{}-图斑明细.parquet",
                province::city_name(c),
                province::county_name(c, k)
            );
            let mut file = std::fs::File::create(inputs.join(name))?;
            ParquetWriter::new(&mut file)
                .with_compression(ParquetCompression::Zstd(None))
                .finish(&mut frame)?;
        }
    }
    Ok(counts)
}

/// Wall and CPU time of each stage, from the pipeline's progress reports.
#[derive(Default)]
struct Timer {
    started: Mutex<HashMap<Stage, (Instant, f64)>>,
    took: Mutex<HashMap<Stage, (Duration, f64)>>,
}

impl Observer for Timer {
    fn start(&self, stage: Stage, _steps: usize) {
        if let Ok(mut m) = self.started.lock() {
            m.insert(stage, (Instant::now(), cpu_seconds()));
        }
    }
    fn finish(&self, stage: Stage) {
        let Some((t, cpu)) = self.started.lock().ok().and_then(|m| m.get(&stage).copied()) else {
            return;
        };
        if let Ok(mut m) = self.took.lock() {
            let e = m.entry(stage).or_default();
            e.0 += t.elapsed();
            e.1 += cpu_seconds() - cpu;
        }
    }
}

/// CPU time (user + system) of this process so far, in seconds, where /proc is available.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // After the command name in parentheses come the state (field 3) …
    // utime (14) and stime (15), in clock ticks of 1/100 s.
    let rest = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |k: usize| f.get(k).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// Peak resident memory (VmHWM) in MB, where /proc is available.
fn peak_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// The input files, workbooks first, by name.
fn input_files(inputs: &Path) -> Result<Vec<PathBuf>> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(inputs)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx" || e == "parquet"))
        .collect();
    v.sort_by_key(|p| (p.extension().is_some_and(|e| e == "parquet"), p.clone()));
    Ok(v)
}

/// The child: the pipeline with per-stage times, then the bare readers.
fn run(s: &Scenario, root: &Path, draws: Option<usize>) -> Result<()> {
    let t0 = Instant::now();
    let files = input_files(&root.join("inputs"))?;
    let fonts = FontSet::load(None)?;
    let mut model = Model::load(DEFAULT_MODEL)?;
    if let Some(d) = draws {
        model.robustness.draws = d;
    }
    let timer = Arc::new(Timer::default());
    let progress = Progress::new(timer.clone());
    let dict = FieldDict::bundled();
    let limits = Limits::default();
    let ds = progress.stage(Stage::Ingest, || -> Result<_> {
        let sources: Vec<Source> = files.iter().map(|p| Source::from_path(p)).collect::<Result<_>>()?;
        Ok(pipeline::read_with(&sources, &dict, &fonts, &limits))
    })?;
    let projects = ds.projects.height();
    let findings = ds.log.findings.len();
    let run = pipeline::evaluate_observed(ds, dict, model, None, &progress)?;
    let opts = RenderOptions {
        fonts: Some(fonts.clone()),
        progress: progress.clone(),
        ..Default::default()
    };
    let written = pipeline::write_committee(&run, &root.join("out"), &opts)?;
    let total = t0.elapsed().as_secs_f64();
    let peak = peak_mb();
    let draws = run.eval.robustness.as_ref().map_or(0, |r| r.draws);
    drop(run);

    let took = timer.took.lock().map(|m| m.clone()).unwrap_or_default();
    let secs = |st: Stage| took.get(&st).map_or(0.0, |d| d.0.as_secs_f64());
    println!(
        "{projects} 个项目，{} 个输入文件，读取时发现 {findings} 条问题，稳健性抽样 {draws} 次",
        files.len()
    );
    println!("  {:<10} {:>9} {:>9}", "步骤", "墙钟 s", "CPU s");
    for st in Stage::ALL {
        let cpu = took.get(&st).map_or(0.0, |d| d.1);
        println!("  {:<10} {:>9.2} {:>9.2}", st.label(), secs(st), cpu);
    }
    let pages = written.total_pages();
    println!(
        "  PDF {} 册 {pages} 页（主册 {} 页）：{:.1} 页/秒",
        1 + written.annexes.len(),
        written.pages,
        pages as f64 / secs(Stage::Pdf).max(1e-9)
    );
    println!(
        "  子进程合计 {total:.1} s（CPU {:.1} s），峰值内存 {:.0} MB",
        cpu_seconds(),
        peak.unwrap_or(f64::NAN)
    );
    compare_readers(s, &files)
}

/// calamine alone against landeval's ingest on the same workbooks; polars
/// alone on the parquet files.
fn compare_readers(s: &Scenario, files: &[PathBuf]) -> Result<()> {
    let books: Vec<Source> = files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .map(|p| Source::from_path(p))
        .collect::<Result<_>>()?;
    let (t_bare, cells) = bare::best_of(3, || bare::calamine_bare(&books));
    let t_bare = t_bare.as_secs_f64();
    let dict = FieldDict::bundled();
    let (t_ingest, ds) = bare::best_of(3, || landeval::ingest::ingest(&books, &dict));
    let t_ingest = t_ingest.as_secs_f64();
    println!(
        "工作簿读取（{} 个 xlsx，{cells} 个非空单元格，最好 3 次）：calamine 裸读 {t_bare:.2} s，landeval ingest {t_ingest:.2} s（{:.2} 倍，{} 个项目）",
        books.len(),
        t_ingest / t_bare.max(1e-9),
        ds.projects.height()
    );
    if s.patch_rows > 0 {
        let parquet: Vec<&PathBuf> = files
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "parquet"))
            .collect();
        let (t_pq, rows) = bare::best_of(3, || -> Result<usize> {
            let mut rows = 0;
            for p in &parquet {
                rows += ParquetReader::new(std::fs::File::open(p)?).finish()?.height();
            }
            Ok(rows)
        });
        println!(
            "parquet 裸读（polars，{} 个文件，{} 行）：{:.2} s",
            parquet.len(),
            rows?,
            t_pq.as_secs_f64()
        );
    }
    Ok(())
}
