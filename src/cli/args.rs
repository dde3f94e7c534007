//! Command-line arguments (clap), with the argument groups every command
//! that reads inputs or renders reports shares flattened in.

use clap::{Args, Parser, Subcommand};
use landeval::ingest::Limits;
use landeval::model;
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "landeval",
    version,
    about = "全域土地综合整治项目综合成效评估工具（whole-region land consolidation evaluation）",
    long_about = "读取县级报送的项目台账与验收数据，按评估模型计算指标、评分排名、遴选示范样板项目，输出 PDF 报告、Excel 工作簿和 JSON。\n\n退出码：0 成功；1 数据有错误；2 用法或模型错误。"
)]
pub struct Cli {
    /// 不显示进度信息（quiet: no progress on stderr）
    #[arg(long, short, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

/// Input files, the model and the input limits.
#[derive(Args, Clone)]
pub struct InputArgs {
    /// 输入文件或文件夹（xlsx/xls/xlsb/ods/csv/parquet；文件夹中的全部输入文件），可多个（input files or folders）
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// 评估模型：内置模型编号或 TOML 文件路径（model id or file）
    #[arg(short, long, default_value = model::DEFAULT_MODEL)]
    pub model: String,
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// How reports are rendered.
#[derive(Args, Clone)]
pub struct RenderArgs {
    /// 报告日期 YYYY-MM-DD（默认取数据中最晚的整体验收时间）
    #[arg(long)]
    pub date: Option<String>,
    /// 用该目录中的同名模板覆盖内置模板（override report templates）
    #[arg(long)]
    pub templates: Option<PathBuf>,
    /// 额外字体目录，如含仿宋的字体（extra fonts, e.g. FangSong）
    #[arg(long)]
    pub font_dir: Option<PathBuf>,
}

/// How the evaluation is scored.
#[derive(Args, Clone, Default)]
pub struct ScoreArgs {
    /// 稳健性分析的蒙特卡洛次数（默认取模型设置，通常 10000；0 为不做）（Monte Carlo draws）
    #[arg(long)]
    pub draws: Option<usize>,
}

/// Input safety limits (documented in README, section “输入限制”).
#[derive(Args, Clone)]
pub struct LimitArgs {
    /// 工作簿（xlsx/xlsb/ods）解压后总大小上限，MB（max decompressed size of a zip-based workbook）
    #[arg(long, default_value_t = 1024)]
    pub max_unzipped_mb: u64,
    /// 每张工作表（或 csv 文件）的行数上限（max rows per sheet）
    #[arg(long, default_value_t = 2_000_000)]
    pub max_rows: usize,
    /// 每张工作表（或 csv 文件）的列数上限（max columns per sheet）
    #[arg(long, default_value_t = 256)]
    pub max_cols: usize,
}

impl LimitArgs {
    pub fn limits(&self) -> Limits {
        Limits {
            max_unzipped_bytes: self.max_unzipped_mb.saturating_mul(1024 * 1024),
            max_rows: self.max_rows,
            max_cols: self.max_cols,
        }
    }
}

#[derive(Subcommand)]
pub enum Command {
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
        #[command(flatten)]
        input: InputArgs,
        /// 输出目录（output directory）
        #[arg(short, long, default_value = "out")]
        out: PathBuf,
        #[command(flatten)]
        render: RenderArgs,
        #[command(flatten)]
        score: ScoreArgs,
    },
    /// 县级验收前自评：单个项目的得分、等级、差距、障碍因素、红线核查（county self-assessment）
    SelfAssess {
        #[command(flatten)]
        input: InputArgs,
        /// 自评的项目编号（project id）
        #[arg(long)]
        project: String,
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
    },
    /// 省级通报：公文版式 PDF、网页版 HTML 和 Excel 附件（provincial bulletin）
    Bulletin {
        #[command(flatten)]
        input: InputArgs,
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
    },
    /// 生成标准填报模板（write the blank canonical workbook）
    Template {
        /// 输出文件（output file）
        #[arg(short, long, default_value = "模板.xlsx")]
        out: PathBuf,
    },
    /// 检查数据：读取、计算指标并按模型评分，列出评估时会发现的全部问题，不生成报告（check the data as the committee will）
    Validate {
        #[command(flatten)]
        input: InputArgs,
        /// 数据质量报告输出文件（output workbook）
        #[arg(short, long, default_value = "数据质量.xlsx")]
        out: PathBuf,
        /// 额外字体目录（extra fonts for the coverage check）
        #[arg(long)]
        font_dir: Option<PathBuf>,
    },
    /// 追溯一个项目的得分来自哪些单元格（trace a project's score to its cells）
    Explain {
        #[command(flatten)]
        input: InputArgs,
        /// 项目编号（project id）
        #[arg(long)]
        project: String,
        /// 只看一个指标：指标编号或名称（one indicator: id or name）
        #[arg(long)]
        indicator: Option<String>,
    },
    /// 评估模型：列出、查看、检查（scoring models: list, show, check）
    Model {
        #[command(subcommand)]
        action: ModelAction,
    },
}

#[derive(Subcommand)]
pub enum ModelAction {
    /// 列出内置模型（list bundled models）
    List,
    /// 显示模型的维度、指标和分值（show a model）
    Show { id: String },
    /// 检查模型文件（check a model file）
    Check { file: PathBuf },
}
