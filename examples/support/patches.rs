//! The synthetic patch table shared by the patch benchmarks
//! (`bench_patches`, `bench_parquet`); not an example itself.

/// Projects in the synthetic province.
pub const PROJECTS: usize = 2_000;
const CLASSES: [&str; 5] = ["水田", "旱地", "水浇地", "水田", "林地"];

/// Patch rows to synthesise: the first command-line argument, 10 million by default.
pub fn rows_from_args() -> usize {
    std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000_000)
}

/// The id of project `p`.
pub fn project_id(p: usize) -> String {
    format!("BENCH-{p:05}")
}

/// Terrain of project `p` (plains, hills and mountains in turn).
pub fn terrain(p: usize) -> &'static str {
    ["平原", "丘陵", "山区"][p % 3]
}

/// xorshift64*: deterministic pseudo-random numbers in [0, 1).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// `rows` patches, column by column: [`PROJECTS`] projects of equal size,
/// half before and half after, 5% non-farmland (林地), heavy-tailed areas in
/// 亩 (mostly a few, some hundreds, rare thousands).
pub struct Patches {
    pub ids: Vec<String>,
    /// Index into `ids` per row.
    pub project: Vec<usize>,
    pub stage: Vec<&'static str>,
    pub class: Vec<&'static str>,
    pub area: Vec<f64>,
}

impl Patches {
    /// `rows` patches over [`PROJECTS`] projects of equal size, half before and half after.
    pub fn synthesise(rows: usize) -> Self {
        let per = rows.div_ceil(PROJECTS);
        let counts: Vec<(usize, usize)> = (0..PROJECTS)
            .map(|p| {
                let len = per.min(rows.saturating_sub(p * per));
                let before = (per / 2).min(len);
                (before, len - before)
            })
            .collect();
        Self::for_projects((0..PROJECTS).map(project_id).collect(), &counts, 0x9E37_79B9_7F4A_7C15)
    }

    /// Project `ids[p]` gets `counts[p].0` patches before and `counts[p].1`
    /// after, project by project; `seed` starts the generator.
    pub fn for_projects(ids: Vec<String>, counts: &[(usize, usize)], seed: u64) -> Self {
        let rows: usize = counts.iter().map(|(b, a)| b + a).sum();
        let mut rng = Rng(seed.max(1));
        let mut out = Patches {
            ids,
            project: Vec::with_capacity(rows),
            stage: Vec::with_capacity(rows),
            class: Vec::with_capacity(rows),
            area: Vec::with_capacity(rows),
        };
        for (p, &(before, after)) in counts.iter().enumerate() {
            for i in 0..before + after {
                out.project.push(p);
                out.stage.push(if i < before { "整治前" } else { "整治后" });
                let r = rng.next();
                out.class.push(if r < 0.05 {
                    CLASSES[4]
                } else {
                    CLASSES[(r * 40.0) as usize % 4]
                });
                let u = rng.next();
                out.area.push(0.1 + 3.0 / (1.0 - u * 0.9995).powf(1.2) - 3.0);
            }
        }
        out
    }

    /// The project id of every row.
    pub fn project_ids(&self) -> Vec<&str> {
        self.project.iter().map(|&p| self.ids[p].as_str()).collect()
    }

    /// Farmland patches (all but the 林地 rows) per project, (before, after).
    #[allow(dead_code)] // not every patch benchmark uses every helper
    pub fn farmland_counts(&self) -> Vec<(usize, usize)> {
        let mut out = vec![(0, 0); self.ids.len()];
        for ((&p, stage), class) in self.project.iter().zip(&self.stage).zip(&self.class) {
            if *class != CLASSES[4] {
                if *stage == "整治前" {
                    out[p].0 += 1;
                } else {
                    out[p].1 += 1;
                }
            }
        }
        out
    }

    /// The table with the column names a county would use: 项目编号, 阶段,
    /// 图斑编号 (integers from `first_id`), 地类, 图斑面积（亩）.
    #[allow(dead_code)] // not every patch benchmark uses every helper
    pub fn county_frame(&self, first_id: i64) -> polars::prelude::DataFrame {
        use polars::prelude::{Column, DataFrame};
        let rows = self.area.len();
        let patch_ids: Vec<i64> = (first_id..first_id + rows as i64).collect();
        DataFrame::new(
            rows,
            vec![
                Column::new("项目编号".into(), self.project_ids()),
                Column::new("阶段".into(), self.stage.as_slice()),
                Column::new("图斑编号".into(), patch_ids),
                Column::new("地类".into(), self.class.as_slice()),
                Column::new("图斑面积（亩）".into(), self.area.as_slice()),
            ],
        )
        .expect("equal lengths")
    }
}
