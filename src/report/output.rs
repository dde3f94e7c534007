//! The outputs of one run, replaced as a set.
//!
//! Every file of a run is first written to a temporary name in its final
//! folder (`.名称.<pid>.landeval-tmp`). Only when all of them are complete
//! and flushed to disk does [`OutputSet::commit`] move them into place: it
//! writes a journal (`.landeval-commit.json`, itself renamed into place), then
//! renames the files and removes stale outputs of an earlier run, then
//! deletes the journal. A run killed before the journal exists leaves the old
//! set untouched (its temporary files are cleaned up by the next run in that
//! folder); a run killed while renaming leaves the journal, and the next
//! [`OutputSet::new`] (or [`recover`]) in that folder finishes the renames.
//! A run that fails removes its temporary files and leaves the old set.
//!
//! One run at a time per output folder. A shared layer: it imports no document.

use anyhow::{Context, Result, anyhow};
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::path::{Path, PathBuf};

/// Name of the commit journal in an output folder.
pub const JOURNAL: &str = ".landeval-commit.json";
/// Suffix of every temporary output file.
const TMP_SUFFIX: &str = ".landeval-tmp";

/// The renames and removals of one commit, by file name inside the folder.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Journal {
    /// `[temporary, final]` names.
    rename: Vec<[String; 2]>,
    /// Stale outputs of an earlier run to remove.
    remove: Vec<String>,
}

/// One staged file.
#[derive(Debug)]
struct Staged {
    tmp: PathBuf,
    target: PathBuf,
}

/// The files of one run in one folder, written to temporary names until committed.
#[derive(Debug)]
pub struct OutputSet {
    dir: PathBuf,
    staged: Vec<Staged>,
    /// File-name prefix and suffix of outputs an earlier run may have left
    /// that this run's set replaces (e.g. annex volumes of other cities).
    stale: Vec<(String, String)>,
    committed: bool,
}

impl OutputSet {
    /// Start a set in `dir` (created if needed), first finishing an
    /// interrupted commit there and removing temporary files of killed runs.
    pub fn new(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir).with_context(|| format!("无法创建输出目录 {}", dir.display()))?;
        recover(dir)?;
        remove_orphans(dir);
        Ok(Self {
            dir: dir.to_path_buf(),
            staged: Vec::new(),
            stale: Vec::new(),
            committed: false,
        })
    }

    /// The final path of output `name`.
    pub fn final_path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Reserve output `name`: returns the temporary path to write it to.
    pub fn stage(&mut self, name: &str) -> PathBuf {
        let tmp = self.dir.join(tmp_name(name));
        self.staged.push(Staged {
            tmp: tmp.clone(),
            target: self.dir.join(name),
        });
        tmp
    }

    /// Write output `name` to its temporary path; returns the final path.
    pub fn write(&mut self, name: &str, bytes: impl AsRef<[u8]>) -> Result<PathBuf> {
        let tmp = self.stage(name);
        write_new(&tmp, bytes.as_ref(), &self.dir.join(name))?;
        Ok(self.final_path(name))
    }

    /// On commit, also remove files named `prefix…suffix` that are not part of this set.
    pub fn replaces(&mut self, prefix: &str, suffix: &str) {
        self.stale.push((prefix.to_string(), suffix.to_string()));
    }

    /// Move every staged file into place (see the module docs).
    pub fn commit(mut self) -> Result<()> {
        self.commit_steps(None)
    }

    /// The commit, stopping after `stop` renames when given (a simulated crash, for tests).
    fn commit_steps(&mut self, stop: Option<usize>) -> Result<()> {
        for s in &self.staged {
            File::open(&s.tmp)
                .and_then(|f| f.sync_all())
                .with_context(|| format!("无法写入 {}", s.target.display()))?;
        }
        let journal = self.journal()?;
        write_journal(&self.dir, &journal)?;
        self.committed = true;
        apply(&self.dir, &journal, stop)?;
        if stop.is_none() {
            finish(&self.dir)?;
        }
        Ok(())
    }

    fn journal(&self) -> Result<Journal> {
        let name = |p: &Path| -> Result<String> {
            p.file_name()
                .and_then(|n| n.to_str())
                .map(str::to_string)
                .ok_or_else(|| anyhow!("输出文件名无效：{}", p.display()))
        };
        let rename = self
            .staged
            .iter()
            .map(|s| Ok([name(&s.tmp)?, name(&s.target)?]))
            .collect::<Result<Vec<_>>>()?;
        let keep: Vec<&str> = rename.iter().map(|[_, f]| f.as_str()).collect();
        let mut remove = Vec::new();
        if !self.stale.is_empty() {
            for entry in std::fs::read_dir(&self.dir).with_context(|| format!("无法读取 {}", self.dir.display()))? {
                let Some(n) = entry.ok().and_then(|e| e.file_name().to_str().map(str::to_string)) else {
                    continue;
                };
                let stale = self
                    .stale
                    .iter()
                    .any(|(p, s)| n.starts_with(p.as_str()) && n.ends_with(s.as_str()));
                if stale && !keep.contains(&n.as_str()) {
                    remove.push(n);
                }
            }
            remove.sort();
        }
        Ok(Journal { rename, remove })
    }
}

impl Drop for OutputSet {
    /// A set dropped without commit (the run failed) leaves no temporary files.
    fn drop(&mut self) {
        if !self.committed {
            for s in &self.staged {
                let _ = std::fs::remove_file(&s.tmp);
            }
        }
    }
}

/// Write the single output file `path` through a set: `write` is given the
/// temporary path, and the file replaces `path` only when `write` succeeded.
pub fn write_one(path: &Path, write: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| anyhow!("输出文件名无效：{}", path.display()))?;
    let mut set = OutputSet::new(dir)?;
    let tmp = set.stage(name);
    write(&tmp)?;
    set.commit()
}

/// `.名称.<pid>.landeval-tmp`.
fn tmp_name(name: &str) -> String {
    format!(".{name}.{}{TMP_SUFFIX}", std::process::id())
}

/// Write `bytes` to the new file `tmp`; errors name the output `target`.
pub(crate) fn write_new(tmp: &Path, bytes: &[u8], target: &Path) -> Result<()> {
    std::fs::write(tmp, bytes).with_context(|| format!("无法写入 {}", target.display()))
}

fn write_journal(dir: &Path, journal: &Journal) -> Result<()> {
    let tmp = dir.join(tmp_name(JOURNAL));
    let text = serde_json::to_vec(journal)?;
    let fail = || format!("无法写入输出目录 {}", dir.display());
    File::create(&tmp)
        .and_then(|mut f| std::io::Write::write_all(&mut f, &text).and_then(|()| f.sync_all()))
        .with_context(fail)?;
    std::fs::rename(&tmp, dir.join(JOURNAL)).with_context(fail)?;
    sync_dir(dir);
    Ok(())
}

/// Carry out a journal's renames (those whose temporary file still exists) and removals.
fn apply(dir: &Path, journal: &Journal, stop: Option<usize>) -> Result<()> {
    for (k, [tmp, target]) in journal.rename.iter().enumerate() {
        if stop == Some(k) {
            return Ok(());
        }
        let (tmp, target) = (dir.join(tmp), dir.join(target));
        if tmp.exists() {
            std::fs::rename(&tmp, &target).with_context(|| format!("无法写入 {}", target.display()))?;
        }
    }
    for name in &journal.remove {
        let path = dir.join(name);
        if path.exists() {
            std::fs::remove_file(&path).with_context(|| format!("无法删除上次运行留下的 {}", path.display()))?;
        }
    }
    Ok(())
}

/// Delete the journal once its renames are on disk.
fn finish(dir: &Path) -> Result<()> {
    sync_dir(dir);
    let journal = dir.join(JOURNAL);
    std::fs::remove_file(&journal).with_context(|| format!("无法删除 {}", journal.display()))?;
    sync_dir(dir);
    Ok(())
}

/// Finish a commit that was interrupted in `dir`; nothing to do without a journal.
pub fn recover(dir: &Path) -> Result<()> {
    let path = dir.join(JOURNAL);
    let Ok(text) = std::fs::read(&path) else {
        return Ok(());
    };
    let journal: Journal =
        serde_json::from_slice(&text).with_context(|| format!("输出目录中的 {JOURNAL} 已损坏，请删除后重新运行"))?;
    apply(dir, &journal, None)?;
    finish(dir)
}

/// Remove temporary files left by runs that were killed before committing
/// (their process is gone: checked in /proc where it exists, else by age).
fn remove_orphans(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(tmp_pid) else {
            continue;
        };
        if pid != std::process::id() && !process_alive(pid, &entry) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The process id in a temporary file name.
fn tmp_pid(name: &str) -> Option<u32> {
    let stem = name.strip_prefix('.')?.strip_suffix(TMP_SUFFIX)?;
    stem.rsplit('.').next()?.parse().ok()
}

fn process_alive(pid: u32, entry: &std::fs::DirEntry) -> bool {
    let proc = Path::new("/proc");
    if proc.join("self").exists() {
        return proc.join(pid.to_string()).exists();
    }
    let day = std::time::Duration::from_secs(24 * 3600);
    entry
        .metadata()
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_none_or(|age| age < day)
}

/// Flush a folder's entries (renames) to disk where the platform allows it.
fn sync_dir(dir: &Path) {
    if let Ok(f) = File::open(dir) {
        let _ = f.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("landeval-output-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// Visible files and their contents, sorted.
    fn listing(dir: &Path) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| {
                let n = e.file_name().to_string_lossy().into_owned();
                let c = std::fs::read_to_string(e.path()).unwrap_or_default();
                (n, c)
            })
            .collect();
        v.sort();
        v
    }

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn nothing_appears_before_commit_and_all_after() {
        let dir = scratch("commit");
        let mut set = OutputSet::new(&dir).unwrap();
        set.write("a.pdf", "new a").unwrap();
        std::fs::write(set.stage("b.xlsx"), "new b").unwrap();
        assert!(!dir.join("a.pdf").exists() && !dir.join("b.xlsx").exists());
        set.commit().unwrap();
        assert_eq!(listing(&dir), pairs(&[("a.pdf", "new a"), ("b.xlsx", "new b")]));
    }

    #[test]
    fn a_failed_run_leaves_the_old_set_and_no_temporary_files() {
        let dir = scratch("failed");
        std::fs::write(dir.join("a.pdf"), "old a").unwrap();
        {
            let mut set = OutputSet::new(&dir).unwrap();
            set.write("a.pdf", "new a").unwrap();
        }
        assert_eq!(listing(&dir), pairs(&[("a.pdf", "old a")]));
    }

    #[test]
    fn stale_volumes_of_an_earlier_run_are_removed() {
        let dir = scratch("stale");
        for n in ["报告-卡-甲市.pdf", "报告-卡-乙市.pdf", "备注.pdf"] {
            std::fs::write(dir.join(n), "old").unwrap();
        }
        let mut set = OutputSet::new(&dir).unwrap();
        set.write("报告-卡-甲市.pdf", "new").unwrap();
        set.replaces("报告-卡-", ".pdf");
        set.commit().unwrap();
        assert_eq!(
            listing(&dir),
            pairs(&[("备注.pdf", "old"), ("报告-卡-甲市.pdf", "new")])
        );
    }

    #[test]
    fn an_interrupted_commit_is_finished_by_the_next_run() {
        let dir = scratch("interrupted");
        std::fs::write(dir.join("a.pdf"), "old a").unwrap();
        std::fs::write(dir.join("b.xlsx"), "old b").unwrap();
        let mut set = OutputSet::new(&dir).unwrap();
        set.write("a.pdf", "new a").unwrap();
        set.write("b.xlsx", "new b").unwrap();
        // Killed after the first of two renames: the journal says what is left.
        set.commit_steps(Some(1)).unwrap();
        std::mem::forget(set);
        assert!(dir.join(JOURNAL).exists());
        recover(&dir).unwrap();
        assert_eq!(listing(&dir), pairs(&[("a.pdf", "new a"), ("b.xlsx", "new b")]));
    }

    #[test]
    fn temporary_files_of_a_dead_process_are_removed() {
        let dir = scratch("orphans");
        // pid 0 is never a user process.
        let orphan = dir.join(".a.pdf.0.landeval-tmp");
        std::fs::write(&orphan, "half").unwrap();
        assert_eq!(tmp_pid(".a.pdf.0.landeval-tmp"), Some(0));
        let _set = OutputSet::new(&dir).unwrap();
        if Path::new("/proc/self").exists() {
            assert!(!orphan.exists());
        }
    }
}
