//! Benchmark (not a test): Monte Carlo robustness for 1,000 projects ×
//! 20 indicators × 100,000 draws, weights ±25% and target↔minmax switching,
//! selection of 50 with at most 5 per city.
//!
//! `cargo run --release --example robustness_bench [draws] [threads]`

use landeval::model::Model;
use landeval::score::Status;
use landeval::score::robust::{Sim, SplitMix64, simulate, threads};
use landeval::score::table::Table;
use std::time::Instant;

fn model(m: usize) -> Model {
    let mut t = String::from(
        "[model]\nid = \"bench\"\nname = \"bench\"\nversion = \"1\"\nseed = 42\n\
         [[dimension]]\nid = \"a\"\nname = \"A\"\n[[dimension]]\nid = \"b\"\nname = \"B\"\n",
    );
    for j in 0..m {
        t.push_str(&format!(
            "[[indicator]]\nid = \"i{j}\"\nname = \"指标{j}\"\ndimension = \"{}\"\npoints = {}\nexpr = \"x\"\n\
             scale = {{ method = \"target\", floor = 0.0, target = 1.0 }}\n",
            if j % 2 == 0 { "a" } else { "b" },
            100.0 / m as f64
        ));
    }
    t.push_str(
        "[grades]\n\"合格\" = 60\n[selection]\ncount = 50\nmax_per_city = 5\naccepted_only = false\n\
         [robustness]\nswitch_scaling = true\n",
    );
    Model::parse(&t, "bench").expect("bench model")
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let draws: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let nthreads: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or_else(threads);
    let (n, m) = (1000, 20);
    let mut model = model(m);
    model.robustness.draws = draws;
    let mut g = SplitMix64::for_draw(7, 0);
    let raw: Vec<Option<f64>> = (0..n * m).map(|_| Some(0.3 + 0.7 * g.next_f64())).collect();
    let table = Table {
        n,
        m,
        raw,
        planned: vec![None; n * m],
        status: vec![Status::Scored; n * m],
        adj: vec![0.0; n],
    };
    let points: Vec<f64> = model.indicators.iter().map(|i| i.points).collect();
    let cities: Vec<String> = (0..n).map(|i| format!("市{}", i % 40)).collect();
    let rows: Vec<usize> = (0..n).collect();
    let sim = Sim::new(&model, &table, rows, points, vec![true; n], &cities);
    let base: Vec<bool> = (0..n).map(|i| i < 50).collect();
    let t0 = Instant::now();
    let out = simulate(&sim, &base, nthreads);
    let dt = t0.elapsed();
    let p: f64 = out.projects.iter().map(|r| r.p_selected).sum();
    println!(
        "{n} 个项目 × {m} 个指标 × {draws} 次抽样，{nthreads} 线程：{:.2} s（Σ入选概率 = {p:.1}，不同入选组合 {} 种）",
        dt.as_secs_f64(),
        out.summary.distinct_sets
    );
}
