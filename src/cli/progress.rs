//! Progress on stderr: a spinner, or a bar for counted steps (PDF volumes),
//! for each stage that runs longer than a second; drawn only on a terminal.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use landeval::progress::{Observer, Progress, Stage};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// A stage shows its progress once it has run this long.
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// The progress of a run: nothing when `quiet`.
pub fn for_run(quiet: bool) -> Progress {
    if quiet {
        Progress::default()
    } else {
        Progress::new(Arc::new(Display::default()))
    }
}

/// The stage on screen.
struct Active {
    stage: Stage,
    bar: ProgressBar,
    /// Dropped when the stage ends, which wakes the ticker.
    stop: mpsc::Sender<()>,
    ticker: JoinHandle<()>,
}

/// Draws the running stage on stderr.
#[derive(Default)]
struct Display {
    active: Mutex<Option<Active>>,
}

impl Display {
    fn end(active: Active) {
        drop(active.stop);
        let _ = active.ticker.join();
        let shown = !active.bar.is_hidden();
        let secs = active.bar.elapsed().as_secs_f64();
        active.bar.finish_and_clear();
        if shown {
            eprintln!("✓ {}（{secs:.1} 秒）", active.stage.label());
        }
    }
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_spinner())
}

impl Observer for Display {
    fn start(&self, stage: Stage, steps: usize) {
        let bar = if steps > 1 {
            ProgressBar::with_draw_target(Some(steps as u64), ProgressDrawTarget::hidden())
                .with_style(style("{spinner} {msg} [{bar:30}] {pos}/{len}（{elapsed}）"))
        } else {
            ProgressBar::hidden().with_style(style("{spinner} {msg}…（{elapsed}）"))
        };
        bar.set_message(stage.label());
        let (stop, wait) = mpsc::channel::<()>();
        let shown = bar.clone();
        let ticker = std::thread::spawn(move || {
            if let Err(RecvTimeoutError::Timeout) = wait.recv_timeout(SHOW_AFTER) {
                shown.set_draw_target(ProgressDrawTarget::stderr());
                shown.enable_steady_tick(Duration::from_millis(120));
            }
        });
        let next = Active {
            stage,
            bar,
            stop,
            ticker,
        };
        if let Ok(mut slot) = self.active.lock()
            && let Some(previous) = slot.replace(next)
        {
            Self::end(previous);
        }
    }

    fn step(&self, stage: Stage) {
        if let Ok(slot) = self.active.lock()
            && let Some(a) = slot.as_ref().filter(|a| a.stage == stage)
        {
            a.bar.inc(1);
        }
    }

    fn finish(&self, stage: Stage) {
        let done = self
            .active
            .lock()
            .ok()
            .and_then(|mut slot| slot.take_if(|a| a.stage == stage));
        if let Some(a) = done {
            Self::end(a);
        }
    }
}
