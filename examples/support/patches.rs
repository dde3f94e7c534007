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
    pub fn synthesise(rows: usize) -> Self {
        let per = rows.div_ceil(PROJECTS);
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut out = Patches {
            ids: (0..PROJECTS).map(project_id).collect(),
            project: Vec::with_capacity(rows),
            stage: Vec::with_capacity(rows),
            class: Vec::with_capacity(rows),
            area: Vec::with_capacity(rows),
        };
        for i in 0..rows {
            out.project.push(i / per);
            out.stage.push(if (i % per) < per / 2 { "整治前" } else { "整治后" });
            let r = rng.next();
            out.class.push(if r < 0.05 {
                CLASSES[4]
            } else {
                CLASSES[(r * 40.0) as usize % 4]
            });
            let u = rng.next();
            out.area.push(0.1 + 3.0 / (1.0 - u * 0.9995).powf(1.2) - 3.0);
        }
        out
    }

    /// The project id of every row.
    pub fn project_ids(&self) -> Vec<&str> {
        self.project.iter().map(|&p| self.ids[p].as_str()).collect()
    }
}
