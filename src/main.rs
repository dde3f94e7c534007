//! landeval command line: parse arguments, call the library, map errors to exit codes.

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use landeval::fields::FieldDict;
use landeval::ingest::{Limits, Source};
use landeval::model::{self, Model};
use landeval::pipeline;
use landeval::report::{RenderOptions, fonts::FontSet, xlsx};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "landeval",
    version,
    about = "全域土地综合整治项目综合成效评估工具（whole-region land consolidation evaluation）",
    long_about = "读取县级报送的项目台账与验收数据，按评估模型计算指标、评分排名、遴选示范样板项目，输出 PDF 报告、Excel 工作簿和 JSON。\n\n退出码：0 成功；1 数据有错误；2 用法或模型错误。"
)]
struct Cli {
    /// 不显示进度信息（quiet: no progress on stderr）
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct RenderArgs {
    /// 报告日期 YYYY-MM-DD（默认取数据中最晚的整体验收时间）
    #[arg(long)]
    date: Option<String>,
    /// 用该目录中的同名模板覆盖内置模板（override report templates）
    #[arg(long)]
    templates: Option<PathBuf>,
    /// 额外字体目录，如含仿宋的字体（extra fonts, e.g. FangSong）
    #[arg(long)]
    font_dir: Option<PathBuf>,
}

#[derive(clap::Args, Clone)]
struct ScoreArgs {
    /// 稳健性分析的蒙特卡洛次数（默认取模型设置，通常 10000；0 为不做）（Monte Carlo draws）
    #[arg(long)]
    draws: Option<usize>,
}

/// Input safety limits (documented in README, section “输入限制”).
#[derive(clap::Args, Clone)]
struct LimitArgs {
    /// 工作簿（xlsx/xlsb/ods）解压后总大小上限，MB（max decompressed size of a zip-based workbook）
    #[arg(long, default_value_t = 1024)]
    max_unzipped_mb: u64,
    /// 每张工作表（或 csv 文件）的行数上限（max rows per sheet）
    #[arg(long, default_value_t = 2_000_000)]
    max_rows: usize,
    /// 每张工作表（或 csv 文件）的列数上限（max columns per sheet）
    #[arg(long, default_value_t = 256)]
    max_cols: usize,
}

impl LimitArgs {
    fn limits(&self) -> Limits {
        Limits {
            max_unzipped_bytes: self.max_unzipped_mb.saturating_mul(1024 * 1024),
            max_rows: self.max_rows,
            max_cols: self.max_cols,
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// 用内置样例数据和默认模型运行完整评估（run the whole job on the bundled sample province）
    Demo {
        /// 输出目录（output directory）
        #[arg(short, long, default_value = "out")]
        out: PathBuf,
        #[command(flatten)]
        render: RenderArgs,
        #[command(flatten)]
        score: ScoreArgs,
    },
    /// 评估委员会：评分、排名、遴选示范项目，输出报告（committee evaluation）
    Evaluate {
        /// 输入文件（xlsx/xls/xlsb/ods/csv/parquet），可多个（input workbooks and csv files）
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// 评估模型：内置模型编号或 TOML 文件路径（model id or file）
        #[arg(short, long, default_value = model::DEFAULT_MODEL)]
        model: String,
        /// 输出目录（output directory）
        #[arg(short, long, default_value = "out")]
        out: PathBuf,
        #[command(flatten)]
        render: RenderArgs,
        #[command(flatten)]
        score: ScoreArgs,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// 县级验收前自评：单个项目的得分、等级、差距、障碍因素、红线核查（county self-assessment）
    SelfAssess {
        /// 本县报送的工作簿，可多个（input workbooks）
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// 自评的项目编号（project id）
        #[arg(long)]
        project: String,
        /// 评估模型：内置模型编号或 TOML 文件路径（model id or file）
        #[arg(short, long, default_value = model::DEFAULT_MODEL)]
        model: String,
        /// 同批比较：省级评估输出的 results.json（cohort: a committee run's results.json）
        #[arg(long)]
        cohort: Option<PathBuf>,
        /// 输出目录（output directory）
        #[arg(short, long, default_value = "自评")]
        out: PathBuf,
        #[command(flatten)]
        render: RenderArgs,
        #[command(flatten)]
        score: ScoreArgs,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// 省级通报：公文版式 PDF、网页版 HTML 和 Excel 附件（provincial bulletin）
    Bulletin {
        /// 输入工作簿，可多个（input workbooks）
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// 评估模型：内置模型编号或 TOML 文件路径（model id or file）
        #[arg(short, long, default_value = model::DEFAULT_MODEL)]
        model: String,
        /// 发文机关（issuing authority）
        #[arg(long, default_value = "省自然资源厅")]
        issuer: String,
        /// 输出目录（output directory）
        #[arg(short, long, default_value = "通报")]
        out: PathBuf,
        #[command(flatten)]
        render: RenderArgs,
        #[command(flatten)]
        score: ScoreArgs,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// 生成标准填报模板（write the blank canonical workbook）
    Template {
        /// 输出文件（output file）
        #[arg(short, long, default_value = "模板.xlsx")]
        out: PathBuf,
    },
    /// 只检查数据质量，不评分（check input data only）
    Validate {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// 数据质量报告输出文件（output workbook）
        #[arg(short, long, default_value = "数据质量.xlsx")]
        out: PathBuf,
        /// 额外字体目录（extra fonts for the coverage check）
        #[arg(long)]
        font_dir: Option<PathBuf>,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// 追溯一个项目的得分来自哪些单元格（trace a project's score to its cells）
    Explain {
        /// 输入文件（xlsx/xls/xlsb/ods/csv/parquet）
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// 项目编号（project id）
        #[arg(long)]
        project: String,
        /// 只看一个指标：指标编号或名称（one indicator: id or name）
        #[arg(long)]
        indicator: Option<String>,
        /// 评估模型：内置模型编号或 TOML 文件路径（model id or file）
        #[arg(short, long, default_value = model::DEFAULT_MODEL)]
        model: String,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// 评估模型：列出、查看、检查（scoring models: list, show, check）
    Model {
        #[command(subcommand)]
        action: ModelAction,
    },
}

#[derive(Subcommand)]
enum ModelAction {
    /// 列出内置模型（list bundled models）
    List,
    /// 显示模型的维度、指标和分值（show a model）
    Show { id: String },
    /// 检查模型文件（check a model file）
    Check { file: PathBuf },
}

/// A failure and its exit code.
enum Failure {
    /// Exit 1: the input data has errors.
    Data(anyhow::Error),
    /// Exit 2: usage or model errors.
    Usage(anyhow::Error),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let quiet = cli.quiet;
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Data(e)) => {
            eprintln!("数据错误：{e:#}");
            ExitCode::from(1)
        }
        Err(Failure::Usage(e)) => {
            if !quiet || !e.to_string().is_empty() {
                eprintln!("错误：{e:#}");
            }
            ExitCode::from(2)
        }
    }
}

fn usage<T>(r: Result<T>) -> Result<T, Failure> {
    r.map_err(Failure::Usage)
}

fn data<T>(r: Result<T>) -> Result<T, Failure> {
    r.map_err(Failure::Data)
}

fn progress(quiet: bool, msg: &str) {
    if !quiet {
        eprintln!("· {msg}");
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    let quiet = cli.quiet;
    match cli.command {
        Command::Demo { out, render, score } => {
            progress(quiet, "使用内置样例数据（虚构的青岚省）和默认模型 national-2025");
            let limits = Limits::default();
            evaluate(
                pipeline::demo_sources(),
                model::DEFAULT_MODEL,
                &out,
                &render,
                &score,
                &limits,
                quiet,
            )
        }
        Command::Evaluate {
            files,
            model,
            out,
            render,
            score,
            limits,
        } => {
            let sources = data(read_sources(&files))?;
            evaluate(sources, &model, &out, &render, &score, &limits.limits(), quiet)
        }
        Command::SelfAssess {
            files,
            project,
            model,
            cohort,
            out,
            render,
            score,
            limits,
        } => {
            let sources = data(read_sources(&files))?;
            let cohort = match &cohort {
                Some(path) => Some(usage(landeval::report::cohort::Cohort::load(path, &project))?),
                None => None,
            };
            let (run, opts) = prepare(sources, &model, &out, &render, &score, &limits.limits(), quiet)?;
            let w = usage(pipeline::write_self_assessment(
                &run,
                &out,
                &project,
                cohort.as_ref(),
                &opts,
            ))?;
            println!("自评完成：项目 {project}");
            print_written(&w);
            finish(&run)
        }
        Command::Bulletin {
            files,
            model,
            issuer,
            out,
            render,
            score,
            limits,
        } => {
            let sources = data(read_sources(&files))?;
            let (run, opts) = prepare(sources, &model, &out, &render, &score, &limits.limits(), quiet)?;
            let w = usage(pipeline::write_bulletin(&run, &out, &issuer, &opts))?;
            println!("通报已生成：{} 个项目", run.eval.projects.len());
            print_written(&w);
            finish(&run)
        }
        Command::Template { out } => {
            usage(landeval::template::write_workbook(
                &out,
                &FieldDict::bundled(),
                &Default::default(),
            ))?;
            println!("已生成填报模板：{}", out.display());
            Ok(())
        }
        Command::Validate {
            files,
            out,
            font_dir,
            limits,
        } => {
            let sources = data(read_sources(&files))?;
            let fonts = usage(load_fonts(font_dir.as_deref()))?;
            let ds = pipeline::read_with(&sources, &FieldDict::bundled(), &fonts, &limits.limits());
            print!("{}", pipeline::log_table(&ds.log, usize::MAX));
            for t in &ds.log.tallies {
                println!(
                    "{} / {}：读取 {} 行 = 导入 {} 行 + 跳过 {} 行",
                    t.file, t.sheet, t.rows_read, t.rows_used, t.rows_skipped
                );
            }
            usage(xlsx::write_quality_workbook(&out, &ds.log))?;
            println!("数据质量报告：{}", out.display());
            if ds.log.has_errors() {
                return Err(Failure::Data(anyhow::anyhow!("输入数据有错误，请按上表修改后重新提交")));
            }
            Ok(())
        }
        Command::Explain {
            files,
            project,
            indicator,
            model,
            limits,
        } => {
            let sources = data(read_sources(&files))?;
            let dict = FieldDict::bundled();
            let fonts = usage(load_fonts(None))?;
            let ds = pipeline::read_with(&sources, &dict, &fonts, &limits.limits());
            let has_errors = ds.log.has_errors();
            let run = usage(pipeline::evaluate(ds, dict, usage(Model::load(&model))?, None))?;
            print!(
                "{}",
                usage(landeval::explain::explain(&run, &project, indicator.as_deref()))?
            );
            if has_errors {
                eprintln!("注意：输入数据有错误，以上得分仅供核对（用 landeval validate 查看）");
                return Err(Failure::Data(anyhow::anyhow!("输入数据有错误")));
            }
            Ok(())
        }
        Command::Model { action } => model_command(action),
    }
}

fn read_sources(files: &[PathBuf]) -> Result<Vec<Source>> {
    files.iter().map(|p| Source::from_path(p)).collect()
}

fn load_fonts(dir: Option<&Path>) -> Result<FontSet> {
    FontSet::load(dir).with_context(|| {
        format!(
            "无法读取字体目录 {}",
            dir.map(|d| d.display().to_string()).unwrap_or_default()
        )
    })
}

/// Read, check and score the inputs; stops with exit 1 on data errors.
fn prepare(
    sources: Vec<Source>,
    model_name: &str,
    out: &Path,
    render: &RenderArgs,
    score: &ScoreArgs,
    limits: &Limits,
    quiet: bool,
) -> Result<(pipeline::Run, RenderOptions), Failure> {
    let (mut model, text) = usage(Model::load_with_source(model_name))?;
    if let Some(n) = score.draws {
        model.robustness.draws = n;
    }
    let dict = FieldDict::bundled();
    if let Some(e) = model::check_model(&model, &text, &dict).errors.first() {
        return Err(Failure::Usage(anyhow::anyhow!(
            "评估模型 {} 有错误：{e}（用 landeval model check 查看全部）",
            model.model.id
        )));
    }
    let date = match &render.date {
        Some(d) => Some(usage(
            pipeline::parse_ymd(d).ok_or_else(|| anyhow::anyhow!("--date 应为 YYYY-MM-DD：{d}")),
        )?),
        None => None,
    };
    let fonts = usage(load_fonts(render.font_dir.as_deref()))?;
    progress(quiet, &format!("读取 {} 个文件", sources.len()));
    let ds = pipeline::read_with(&sources, &dict, &fonts, limits);
    if ds.log.has_errors() {
        eprint!("{}", pipeline::log_table(&ds.log, 50));
        let _ = std::fs::create_dir_all(out);
        let path = out.join("数据质量.xlsx");
        usage(xlsx::write_quality_workbook(&path, &ds.log))?;
        return Err(Failure::Data(anyhow::anyhow!(
            "输入数据有错误，未生成评估结果；数据质量报告见 {}",
            path.display()
        )));
    }
    progress(quiet, &format!("计算指标并评分：{} 个项目", ds.projects.height()));
    let run = usage(pipeline::evaluate(ds, dict, model, date))?;
    progress(quiet, "排版 PDF、写出 Excel 与 JSON");
    let opts = RenderOptions {
        templates: render.templates.clone(),
        fonts: Some(fonts),
    };
    Ok((run, opts))
}

fn print_written(w: &landeval::report::WrittenSet) {
    println!("  {}（{} 页）", w.pdf.display(), w.pages);
    if let Some(h) = &w.html {
        println!("  {}", h.display());
    }
    println!("  {}", w.xlsx.display());
    println!("  {}", w.json.display());
}

/// Exit 1 when scoring found data errors.
fn finish(run: &pipeline::Run) -> Result<(), Failure> {
    if run.log.has_errors() {
        eprint!("{}", pipeline::log_table(&run.log, 50));
        return Err(Failure::Data(anyhow::anyhow!("评分中发现数据错误，见数据质量表")));
    }
    Ok(())
}

fn evaluate(
    sources: Vec<Source>,
    model_name: &str,
    out: &Path,
    render: &RenderArgs,
    score: &ScoreArgs,
    limits: &Limits,
    quiet: bool,
) -> Result<(), Failure> {
    let (run, opts) = prepare(sources, model_name, out, render, score, limits, quiet)?;
    let written = usage(pipeline::write_committee(&run, out, &opts))?;
    let selected = run.eval.projects.iter().filter(|p| p.selected).count();
    let vetoed = run.eval.projects.iter().filter(|p| p.vetoed).count();
    println!(
        "评估完成：{} 个项目，一票否决 {} 个，入选示范 {} 个",
        run.eval.projects.len(),
        vetoed,
        selected
    );
    if let Some(r) = &run.eval.robustness {
        let set = if r.uses_selection_rules {
            "本次入选组合".to_string()
        } else {
            format!("前 {} 名组合", r.top_n)
        };
        println!(
            "稳健性：{} 次抽样，{set}重现 {:.1}%",
            r.draws,
            r.base_set_frequency * 100.0
        );
    }
    println!("  {}（{} 页）", written.pdf.display(), written.pages);
    println!("  {}", written.xlsx.display());
    println!("  {}", written.json.display());
    finish(&run)
}

fn model_command(action: ModelAction) -> Result<(), Failure> {
    let dict = FieldDict::bundled();
    match action {
        ModelAction::List => {
            for (id, text) in model::BUNDLED_MODELS {
                let m = usage(Model::parse(text, id))?;
                println!("{id}\t{}\t版本 {}", m.model.name, m.model.version);
            }
            Ok(())
        }
        ModelAction::Show { id } => {
            let m = usage(Model::load(&id))?;
            println!("{}（{} 版本 {}）", m.model.name, m.model.id, m.model.version);
            println!("依据：{}", m.model.basis.join("；"));
            for d in &m.dimensions {
                println!("\n【{}】{} 分", d.name, m.dimension_points(&d.id));
                for i in m.indicators.iter().filter(|i| i.dimension == d.id) {
                    println!("  {:<24} {:>5} 分  {}", i.name, i.points, i.scale.describe());
                }
            }
            println!("\n一票否决：");
            for v in &m.vetoes {
                println!("  {}：{}", v.name, v.basis);
            }
            println!(
                "\n赋权：{}；合成：{}；同分排序：{}",
                m.weights
                    .as_ref()
                    .map_or(model::WeightMethod::Fixed, |w| w.method)
                    .label(),
                m.model.aggregation.label(),
                m.tie_break_keys().join(" → ")
            );
            if let Some(s) = &m.selection {
                println!(
                    "示范遴选：{} 个，最低 {} 分，每市（州）至多 {}，{}{}",
                    s.count,
                    s.min_score,
                    s.max_per_city.map_or("不限".into(), |x| x.to_string()),
                    if s.accepted_only {
                        "须已整体验收"
                    } else {
                        "不要求验收"
                    },
                    s.required_grade
                        .as_ref()
                        .map_or(String::new(), |g| format!("，须达到“{g}”"))
                );
            }
            for r in &m.rewards {
                println!("  奖补：第 {}–{} 名每个 {} 万元", r.ranks[0], r.ranks[1], r.amount);
            }
            if let Some(cap) = m.selection.as_ref().and_then(|s| s.county_reward_cap) {
                println!("  每县奖补合计不超过 {cap} 万元");
            }
            for t in &m.targets {
                println!(
                    "目标：{} {} {}（{}）",
                    t.name,
                    t.goal,
                    t.unit.as_deref().unwrap_or(""),
                    t.year.map_or(String::new(), |y| format!("{y} 年"))
                );
            }
            let r = &m.robustness;
            println!(
                "稳健性：{} 次抽样，权重 ±{:.0}%{}{}",
                r.draws,
                r.weight_jitter * 100.0,
                if r.switch_scaling {
                    "，目标值法↔极差法"
                } else {
                    ""
                },
                if r.switch_aggregation {
                    "，求和↔几何平均"
                } else {
                    ""
                }
            );
            Ok(())
        }
        ModelAction::Check { file } => {
            let text = usage(std::fs::read_to_string(&file).with_context(|| format!("无法读取 {}", file.display())))?;
            let m = usage(Model::parse(&text, &file.display().to_string()))?;
            let report = model::check_model(&m, &text, &dict);
            for w in &report.warnings {
                println!("[警告] {w}");
            }
            for e in &report.errors {
                println!("[错误] {e}");
            }
            if report.ok() {
                println!(
                    "模型 {} 检查通过：{} 个指标，合计 {} 分",
                    m.model.id,
                    m.indicators.len(),
                    m.total_points()
                );
                Ok(())
            } else {
                Err(Failure::Usage(anyhow::anyhow!("模型有 {} 处错误", report.errors.len())))
            }
        }
    }
}
