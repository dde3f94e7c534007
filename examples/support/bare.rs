//! calamine alone and a best-of-n timer, the yardsticks of the ingest benchmarks (`bench_ingest`,
//! `bench_scale`); not an example itself.

use calamine::{Data, Reader, open_workbook_auto_from_rs};
use landeval::ingest::Source;
use std::io::Cursor;
use std::time::{Duration, Instant};

/// calamine alone: open each workbook (csv and parquet skipped), read every
/// sheet's range, touch every cell; the number of non-empty cells.
pub fn calamine_bare(sources: &[Source]) -> usize {
    let mut cells = 0;
    for s in sources {
        if s.name.ends_with(".csv") || s.name.ends_with(".parquet") {
            continue;
        }
        let Ok(mut wb) = open_workbook_auto_from_rs(Cursor::new(s.data.as_slice())) else {
            continue;
        };
        for name in wb.sheet_names() {
            if let Ok(r) = wb.worksheet_range(&name) {
                cells += r.used_cells().filter(|(_, _, d)| !matches!(d, Data::Empty)).count();
            }
        }
    }
    cells
}

/// The best wall time of `n` runs of `f`, and the last run's result.
pub fn best_of<T>(n: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..n.max(1) {
        let t = Instant::now();
        let v = f();
        best = best.min(t.elapsed());
        last = Some(v);
    }
    (best, last.expect("at least one run"))
}
