//! Bundles the sample-province fixtures into the binary for `landeval demo`:
//! the county workbooks and the survey layers of `空间数据/` (every file but its README).

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sample-province");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "xlsx"));
    let layers = dir.join("空间数据");
    println!("cargo:rerun-if-changed={}", layers.display());
    if let Ok(rd) = std::fs::read_dir(&layers) {
        files.extend(
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md")),
        );
    }
    files.sort();
    let mut code = String::from("[\n");
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let name = f.file_name().expect("file name").to_string_lossy();
        writeln!(
            code,
            "    ({name:?}, include_bytes!({:?}) as &[u8]),",
            f.display().to_string()
        )
        .expect("write");
    }
    code.push(']');
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("demo_fixtures.rs");
    std::fs::write(out, code).expect("write demo_fixtures.rs");
}
