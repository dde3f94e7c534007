//! A run killed (SIGKILL) at five moments leaves the output folder with
//! either the complete old set of outputs or the complete new set, never a
//! mix or a truncated file; the next run cleans up after it (issue 14).

use crate::common;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

/// File name → contents of the visible files of a folder.
type Snapshot = BTreeMap<String, Vec<u8>>;

fn snapshot(dir: &Path) -> Snapshot {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .map(|n| {
            let bytes = std::fs::read(dir.join(&n)).unwrap();
            (n, bytes)
        })
        .collect()
}

/// Names of the hidden files (temporary outputs, the commit journal).
fn hidden(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect()
}

fn fixtures() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(common::repo().join("fixtures/sample-province"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .collect();
    v.sort();
    v
}

/// `landeval evaluate` on the fixtures into `out`, no Monte Carlo
/// (`LANDEVAL_BIN` runs another copy of the binary).
fn evaluate(out: &Path) -> Command {
    let bin = std::env::var_os("LANDEVAL_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_landeval").into());
    let mut c = Command::new(bin);
    c.args(["--quiet", "evaluate"])
        .args(fixtures())
        .arg("-o")
        .arg(out)
        .args(["--date", "2025-12-31", "--draws", "0"]);
    c
}

/// An earlier run's outputs, with an annex of a city the new run does not have.
fn old_set(dir: &Path, new: &Snapshot) -> Snapshot {
    let mut old: Snapshot = new
        .keys()
        .map(|n| (n.clone(), format!("旧的 {n}").into_bytes()))
        .collect();
    old.insert("评估报告-评分卡-已撤并市.pdf".into(), b"old annex".to_vec());
    for (n, b) in &old {
        std::fs::write(dir.join(n), b).unwrap();
    }
    old
}

/// When to kill the child.
#[derive(Debug, Clone, Copy)]
enum Moment {
    After(Duration),
    /// The first temporary output exists.
    FirstTemp,
    /// The workbook is being written (every PDF volume is staged).
    XlsxStaged,
    /// The JSON is staged (the last output before the commit).
    JsonStaged,
}

fn reached(m: Moment, dir: &Path, started: Instant) -> bool {
    let names = hidden(dir);
    let staged = |part: &str| names.iter().any(|n| n.contains(part) && n.ends_with(".landeval-tmp"));
    match m {
        Moment::After(d) => started.elapsed() >= d,
        Moment::FirstTemp => names.iter().any(|n| n.ends_with(".landeval-tmp")),
        Moment::XlsxStaged => staged("评估结果.xlsx"),
        Moment::JsonStaged => staged("results.json"),
    }
}

/// Start the child and kill it at `m`; whether it finished first.
fn kill_at(mut child: Child, m: Moment, dir: &Path) -> bool {
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return true;
        }
        if reached(m, dir, started) {
            child.kill().unwrap();
            child.wait().unwrap();
            return false;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[test]
fn a_killed_evaluate_leaves_the_old_or_the_new_set() {
    let base = common::scratch("output-kill");
    let reference = base.join("reference");
    let t = Instant::now();
    let status = evaluate(&reference).status().unwrap();
    let full = t.elapsed();
    assert!(status.success());
    let new = snapshot(&reference);
    assert!(
        new.contains_key("评估报告.pdf") && new.contains_key("results.json"),
        "{:?}",
        new.keys()
    );
    assert!(new.keys().any(|n| n.starts_with("评估报告-评分卡-")), "no annex volume");
    assert!(hidden(&reference).is_empty(), "{:?}", hidden(&reference));

    let moments = [
        Moment::After(Duration::from_millis(30)),
        Moment::FirstTemp,
        Moment::After(full / 2),
        Moment::XlsxStaged,
        Moment::JsonStaged,
    ];
    let mut killed_mid_write = 0;
    for (i, m) in moments.iter().enumerate() {
        let dir = base.join(format!("run-{i}"));
        std::fs::create_dir_all(&dir).unwrap();
        let old = old_set(&dir, &new);
        let finished = kill_at(evaluate(&dir).spawn().unwrap(), *m, &dir);
        let left = hidden(&dir);
        eprintln!(
            "{m:?}: {}, {} hidden file(s) left",
            if finished { "run finished first" } else { "killed" },
            left.len()
        );
        if left.iter().any(|n| n == landeval::report::output::JOURNAL) {
            // Killed between the renames of the commit: the next run finishes them.
            landeval::report::output::recover(&dir).unwrap();
            assert!(snapshot(&dir) == new, "{m:?}: interrupted commit not completed");
        } else {
            let now = snapshot(&dir);
            assert!(
                now == old || now == new,
                "{m:?}: a mix of old and new outputs: {:?}",
                now.keys()
                    .map(|n| (n, now[n] == old.get(n).cloned().unwrap_or_default()))
                    .collect::<Vec<_>>()
            );
            if now == old && !left.is_empty() {
                killed_mid_write += 1;
            }
        }
        assert!(
            !finished || hidden(&dir).is_empty(),
            "{m:?}: a finished run left {left:?}"
        );
        if matches!(m, Moment::JsonStaged) {
            // The next run replaces the set and removes what the killed run left.
            assert!(!finished && !left.is_empty(), "{m:?}: nothing was staged");
            assert!(evaluate(&dir).status().unwrap().success());
            assert!(snapshot(&dir) == new, "{m:?}: the next run did not write the new set");
            assert!(
                hidden(&dir).is_empty(),
                "{m:?}: temporary files left: {:?}",
                hidden(&dir)
            );
        }
    }
    assert!(
        killed_mid_write >= 2,
        "only {killed_mid_write} kills landed while outputs were being written"
    );
}
