//! The committee report in volumes: the main volume (`评估报告.pdf`,
//! everything but the scorecards) and scorecard annexes, one per city
//! (`评估报告-评分卡-<市>.pdf`; a city with more than [`MAX_CARDS`] projects
//! in parts `-1`, `-2` …), all rendered from the one template with a
//! `volume` flag and compiled in parallel.
//!
//! Per city because that is how a committee hands the cards out (each city
//! checks its own projects); the cap keeps every volume, and so the memory
//! of a compilation, bounded whatever the size of the province.

use super::TEMPLATE;
use super::view::{Card, card_map_style};
use crate::metrics::spatial::drawing::ProjectMap;
use crate::progress::{Progress, Stage};
use crate::report::engine::fonts::FontSet;
use crate::report::engine::{self, VirtualFile};
use crate::report::{output, parts};
use anyhow::{Result, anyhow};
use minijinja::Value;
use minijinja::value::Serde;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// File name of the main volume.
pub const MAIN_FILE: &str = "评估报告.pdf";
/// File names of the annex volumes start with this …
pub const ANNEX_PREFIX: &str = "评估报告-评分卡-";
/// … and end with this.
pub const ANNEX_SUFFIX: &str = ".pdf";
/// Scorecards (one page each) per annex volume at most.
pub const MAX_CARDS: usize = 200;

/// One scorecard annex: a city's cards, or one part of them.
#[derive(Debug, Clone, Serialize)]
pub struct Annex {
    /// File name, e.g. `评估报告-评分卡-东岚市.pdf`.
    pub file: String,
    /// `东岚市`, or `东岚市（第 1 册，共 2 册）` for a part.
    pub title: String,
    /// Number of scorecards.
    pub projects: usize,
    /// Positions of its cards in the report's card list, report order.
    #[serde(skip)]
    pub cards: Vec<usize>,
}

/// The annexes of a report whose card `k` is of city `card_cities[k]`:
/// cities in `city_order` (the input order; any other city after them in
/// card order), each city's cards in report order, at most `max_cards` per volume.
pub fn plan(card_cities: &[&str], city_order: &[String], max_cards: usize) -> Vec<Annex> {
    let mut by_city: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut seen: HashSet<&str> = HashSet::new();
    let order: Vec<&str> = city_order
        .iter()
        .map(String::as_str)
        .chain(card_cities.iter().copied())
        .filter(|c| seen.insert(c))
        .collect();
    for (k, c) in card_cities.iter().enumerate() {
        by_city.entry(c).or_default().push(k);
    }
    let mut used = BTreeSet::new();
    let mut out = Vec::new();
    for city in order {
        let Some(all) = by_city.get(city) else { continue };
        let base = unique(file_part(city), &mut used);
        // As few volumes as the cap allows, of (nearly) equal size.
        let count = all.len().div_ceil(max_cards.max(1));
        let parts: Vec<&[usize]> = all.chunks(all.len().div_ceil(count.max(1)).max(1)).collect();
        let shown = if city.trim().is_empty() {
            "未填市（州）"
        } else {
            city
        };
        for (i, part) in parts.iter().enumerate() {
            let (file, title) = if parts.len() == 1 {
                (format!("{ANNEX_PREFIX}{base}{ANNEX_SUFFIX}"), shown.to_string())
            } else {
                (
                    format!("{ANNEX_PREFIX}{base}-{}{ANNEX_SUFFIX}", i + 1),
                    format!("{shown}（第 {} 册，共 {} 册）", i + 1, parts.len()),
                )
            };
            out.push(Annex {
                file,
                title,
                projects: part.len(),
                cards: part.to_vec(),
            });
        }
    }
    out
}

/// A city name as part of a file name: characters no file system allows
/// (and control characters) become `_`, at most 40 characters.
fn file_part(city: &str) -> String {
    let cleaned: String = city
        .chars()
        .map(|c| {
            if c.is_control() || "/\\:*?\"<>|".contains(c) {
                '_'
            } else {
                c
            }
        })
        .take(40)
        .collect();
    let trimmed = cleaned.trim().trim_matches('.').trim();
    if trimmed.is_empty() {
        "未填市州".to_string()
    } else {
        trimmed.to_string()
    }
}

/// `name`, or `name（2）` … when another city already gave that file name.
fn unique(name: String, used: &mut BTreeSet<String>) -> String {
    let mut candidate = name.clone();
    let mut k = 2;
    while !used.insert(candidate.clone()) {
        candidate = format!("{name}（{k}）");
        k += 1;
    }
    candidate
}

/// What the template reads as `volume`.
#[derive(Serialize)]
struct VolumeContext<'a> {
    /// The main volume (else a scorecard annex).
    main: bool,
    main_file: &'static str,
    /// The annex's title (empty for the main volume).
    title: &'a str,
    projects: usize,
    /// Every annex (the main volume lists them).
    annexes: &'a [Annex],
}

/// One volume to compile: `annex` is `None` for the main volume.
struct Job {
    annex: Option<usize>,
    tmp: PathBuf,
    target: PathBuf,
}

/// Everything the volumes are rendered from.
pub struct Volumes<'a> {
    /// The view without its cards, as a template value.
    pub base: Value,
    pub cards: &'a [Card],
    pub annexes: &'a [Annex],
    /// The main volume's charts.
    pub files: Vec<VirtualFile>,
    /// Every project's map; an annex is given those of its cards only.
    pub maps: &'a BTreeMap<String, ProjectMap>,
    pub templates: Option<&'a std::path::Path>,
    pub fonts: &'a FontSet,
    pub date: [i32; 3],
}

impl Volumes<'_> {
    /// Render and compile the main volume into `main` and each annex into
    /// `annex_paths` (temporary paths, with their final paths), on up to
    /// `threads` threads, largest first; returns the page counts (main first).
    pub fn compile(
        mut self,
        main: (PathBuf, PathBuf),
        annex_paths: Vec<(PathBuf, PathBuf)>,
        threads: usize,
        progress: &Progress,
    ) -> Result<Vec<usize>> {
        let mut jobs = vec![Job {
            annex: None,
            tmp: main.0,
            target: main.1,
        }];
        jobs.extend(annex_paths.into_iter().enumerate().map(|(k, (tmp, target))| Job {
            annex: Some(k),
            tmp,
            target,
        }));
        let n = jobs.len();
        // The main volume first (it is the longest), then the annexes by size.
        let mut order: Vec<usize> = (0..n).collect();
        order[1..].sort_by_key(|&j| std::cmp::Reverse(jobs[j].annex.map_or(0, |k| self.annexes[k].projects)));
        let next = AtomicUsize::new(0);
        let pages: Vec<Mutex<Option<Result<usize>>>> = (0..n).map(|_| Mutex::new(None)).collect();
        let files = Mutex::new(Some(std::mem::take(&mut self.files)));
        let threads = threads.clamp(1, n);
        progress.stage_with(Stage::Pdf, n, || {
            std::thread::scope(|s| {
                for _ in 0..threads {
                    s.spawn(|| {
                        while let Some(&j) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                            let job = &jobs[j];
                            let chart_files = match job.annex {
                                None => files.lock().ok().and_then(|mut f| f.take()).unwrap_or_default(),
                                Some(k) => self.annex_maps(k),
                            };
                            let done = self.one(job, chart_files);
                            if let Ok(mut slot) = pages[j].lock() {
                                *slot = Some(done);
                            }
                            progress.step(Stage::Pdf);
                        }
                    });
                }
            })
        });
        pages
            .into_iter()
            .map(|m| {
                m.into_inner()
                    .map_err(|_| anyhow!("排版报告失败"))?
                    .unwrap_or_else(|| Err(anyhow!("排版报告失败")))
            })
            .collect()
    }

    /// The map files of annex `k`'s cards (those with a map), drawn for a scorecard.
    fn annex_maps(&self, k: usize) -> Vec<VirtualFile> {
        let style = card_map_style();
        let Some(annex) = self.annexes.get(k) else {
            return Vec::new();
        };
        annex
            .cards
            .iter()
            .filter_map(|&c| self.cards.get(c))
            .filter(|c| !c.map.file.is_empty())
            .filter_map(|c| parts::map_file(self.maps, &c.id, &style))
            .collect()
    }

    /// Render, compile and write one volume; its page count.
    fn one(&self, job: &Job, files: Vec<VirtualFile>) -> Result<usize> {
        let markup = markup(&self.base, self.cards, self.annexes, job.annex, self.templates)?;
        let pdf = engine::compile_pdf(markup, files, self.fonts, self.date)?;
        output::write_new(&job.tmp, &pdf.bytes, &job.target)?;
        Ok(pdf.pages)
    }
}

/// The typst markup of the main volume of `view` alone (no annexes), as a
/// template override would render it.
pub fn main_markup(view: &super::view::CommitteeView, templates: Option<&std::path::Path>) -> Result<String> {
    markup(&Value::from(Serde(view)), &[], &[], None, templates)
}

/// The typst markup of the main volume (`annex` `None`) or of annex
/// `annexes[k]`: the template rendered with the view `base` (its own
/// `cards` are ignored), `volume` and that volume's `cards`.
pub fn markup(
    base: &Value,
    cards: &[Card],
    annexes: &[Annex],
    annex: Option<usize>,
    templates: Option<&std::path::Path>,
) -> Result<String> {
    let (this, cards): (Option<&Annex>, Vec<&Card>) = match annex.and_then(|k| annexes.get(k)) {
        Some(a) => (Some(a), a.cards.iter().filter_map(|&c| cards.get(c)).collect()),
        None => (None, Vec::new()),
    };
    let volume = VolumeContext {
        main: this.is_none(),
        main_file: MAIN_FILE,
        title: this.map_or("", |a| a.title.as_str()),
        projects: cards.len(),
        annexes,
    };
    let ctx = minijinja::context! {
        volume => Value::from(Serde(&volume)),
        cards => Value::from(Serde(&cards)),
        ..base.clone()
    };
    engine::render_typst(TEMPLATE, &ctx, templates)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_volume_per_city_in_input_order_cards_in_report_order() {
        let plan = plan(&["乙市", "甲市", "乙市", "甲市"], &["甲市".into(), "乙市".into()], 200);
        let files: Vec<&str> = plan.iter().map(|a| a.file.as_str()).collect();
        assert_eq!(files, ["评估报告-评分卡-甲市.pdf", "评估报告-评分卡-乙市.pdf"]);
        assert_eq!(plan[0].cards, [1, 3]);
        assert_eq!(plan[1].cards, [0, 2]);
    }

    #[test]
    fn a_large_city_is_split_into_parts_of_equal_size() {
        // 5 cards, at most 2 per volume: 2 + 2 + 1; 250 at most 200: 125 + 125, not 200 + 50.
        let sizes = |n: usize, max: usize| -> Vec<usize> {
            plan(&vec!["乙市"; n], &[], max).iter().map(|a| a.projects).collect()
        };
        assert_eq!(sizes(250, 200), [125, 125]);
        assert_eq!(sizes(401, 200), [134, 134, 133]);
        let plan = plan(&["甲市"; 5], &[], 2);
        let sizes: Vec<usize> = plan.iter().map(|a| a.projects).collect();
        assert_eq!(sizes, [2, 2, 1]);
        assert_eq!(plan[2].file, "评估报告-评分卡-甲市-3.pdf");
        assert_eq!(plan[0].title, "甲市（第 1 册，共 3 册）");
    }

    #[test]
    fn city_names_become_safe_distinct_file_names() {
        let plan = plan(&["a/b", "a:b", "", ".."], &[], 200);
        let files: Vec<&str> = plan.iter().map(|a| a.file.as_str()).collect();
        assert_eq!(
            files,
            [
                "评估报告-评分卡-a_b.pdf",
                "评估报告-评分卡-a_b（2）.pdf",
                "评估报告-评分卡-未填市州.pdf",
                "评估报告-评分卡-未填市州（2）.pdf"
            ]
        );
        assert_eq!(plan[2].title, "未填市（州）");
    }
}
