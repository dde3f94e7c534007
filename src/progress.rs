//! Progress of a run's stages, told to an observer: the command line shows
//! it on stderr, the scale benchmark times it. No stage depends on it.

use std::sync::Arc;

/// A stage of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stage {
    /// Reading the input files.
    Ingest,
    /// Derived fields (funds, fragmentation, GEP, red lines).
    Metrics,
    /// Indicators, totals, ranks and selection.
    Score,
    /// Cut-off swaps, the Monte Carlo and the rank-reversal check.
    Robustness,
    /// Typesetting the PDF volumes.
    Pdf,
    /// Writing the workbook.
    Xlsx,
    /// Writing the JSON.
    Json,
}

impl Stage {
    /// Every stage in run order.
    pub const ALL: [Stage; 7] = [
        Stage::Ingest,
        Stage::Metrics,
        Stage::Score,
        Stage::Robustness,
        Stage::Pdf,
        Stage::Xlsx,
        Stage::Json,
    ];

    /// The stage as the progress display names it.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Ingest => "读取数据",
            Stage::Metrics => "计算指标",
            Stage::Score => "评分排名",
            Stage::Robustness => "稳健性分析",
            Stage::Pdf => "排版 PDF",
            Stage::Xlsx => "写出 Excel",
            Stage::Json => "写出 JSON",
        }
    }
}

/// Receives the start, steps and end of each stage (from any thread).
pub trait Observer: Send + Sync {
    /// `stage` starts; `steps` is its number of countable steps (0: not counted).
    fn start(&self, _stage: Stage, _steps: usize) {}
    /// One step of `stage` is done.
    fn step(&self, _stage: Stage) {}
    /// `stage` is done (also when it failed).
    fn finish(&self, _stage: Stage) {}
}

/// A cheap handle to an optional observer; the default tells no one.
#[derive(Clone, Default)]
pub struct Progress(Option<Arc<dyn Observer>>);

impl Progress {
    /// Tell `observer`.
    pub fn new(observer: Arc<dyn Observer>) -> Self {
        Self(Some(observer))
    }

    /// Run `f` as `stage` with `steps` countable steps.
    pub fn stage_with<T>(&self, stage: Stage, steps: usize, f: impl FnOnce() -> T) -> T {
        if let Some(o) = &self.0 {
            o.start(stage, steps);
        }
        let out = f();
        if let Some(o) = &self.0 {
            o.finish(stage);
        }
        out
    }

    /// Run `f` as `stage`.
    pub fn stage<T>(&self, stage: Stage, f: impl FnOnce() -> T) -> T {
        self.stage_with(stage, 0, f)
    }

    /// One step of `stage` is done.
    pub fn step(&self, stage: Stage) {
        if let Some(o) = &self.0 {
            o.step(stage);
        }
    }
}
