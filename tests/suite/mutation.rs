//! A bounded, seeded mutation test of the readers: 1,200 damaged copies of
//! small workbooks in every format (byte flips, truncation, zip-member
//! damage, nonsense in cells). For each copy: no panic (an abort would end
//! the test binary), every finding Chinese, and the damage either noticed
//! (an error or warning for the file) or harmless (exactly what the
//! undamaged file gives). Damage that makes another valid file is not
//! generated (a csv cut at a line end, zip-member XML still well-formed
//! after a deletion or flip). xls has no checksum, so a flipped byte inside
//! a number is a different valid file: for xls byte flips only the first
//! two properties are asserted, and the unnoticed changes are counted.

use crate::common::hostile::{Cell, chinese_first, ledger_header, ledger_row, n, replace_in, rezip, t, xlsx};
use crate::common::repo;
use landeval::fields::FieldDict;
use landeval::ingest::{Dataset, Limits, Severity, Source, ingest_with};
use std::io::{Cursor, Read};

/// xorshift64*: a fixed sequence, so every run damages the same bytes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// How a copy was damaged.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Flip,
    Truncate,
    Member,
    Cell,
}

/// A format's undamaged file.
struct Seed {
    name: &'static str,
    data: Vec<u8>,
    zip: bool,
}

/// A small ledger + farmland workbook (the base of the xlsx seed
/// and of the cell-level nonsense).
fn workbook(cells: &[(usize, usize, &str)]) -> Vec<u8> {
    // The helpers' ledger (A 编号 … E 面积) plus F 计划总投资.
    let row = |mut cells: Vec<Cell>, invest: Cell| {
        cells.push(invest);
        cells
    };
    let mut ledger = vec![
        row(ledger_header(), t("计划总投资（万元）")),
        row(ledger_row("M-01", "甲项目"), n(3000.0)),
        row(ledger_row("M-02", "乙项目"), n(2500.0)),
    ];
    let farmland = vec![
        vec![
            t("项目编号"),
            t("整治前耕地面积（亩）"),
            t("整治后耕地面积（亩）"),
            t("整治前耕地图斑数"),
        ],
        vec![t("M-01"), n(900.0), n(950.0), n(120.0)],
        vec![t("M-02"), n(600.0), n(610.0), n(80.0)],
    ];
    for &(r, c, v) in cells {
        ledger[r][c] = t(v);
    }
    xlsx(&[("项目台账", ledger), ("农用地整治", farmland)])
}

fn seeds() -> Vec<Seed> {
    let file = |p: &str| std::fs::read(repo().join(p)).expect("seed file");
    let csv =
        "项目编号,项目名称,整治区域面积（亩）,计划总投资（万元）\nM-01,甲项目,1200,3000\nM-02,\"乙,项目\",800,2500\n";
    vec![
        Seed {
            name: "m.xlsx",
            data: workbook(&[]),
            zip: true,
        },
        Seed {
            name: "m.ods",
            data: file("tests/data/formats.ods"),
            zip: true,
        },
        Seed {
            name: "m.xls",
            data: file("tests/data/formats.xls"),
            zip: false,
        },
        Seed {
            name: "m-项目台账.csv",
            data: csv.as_bytes().to_vec(),
            zip: false,
        },
    ]
}

fn read(name: &str, data: &[u8]) -> Dataset {
    static DICT: std::sync::LazyLock<FieldDict> = std::sync::LazyLock::new(FieldDict::bundled);
    ingest_with(
        &[Source::new(name, data.to_vec())],
        &DICT,
        &Limits {
            max_unzipped_bytes: 64 * 1024 * 1024,
            ..Limits::default()
        },
    )
}

/// What a read gives: the frames and the findings, comparable.
fn outcome(ds: &Dataset) -> (Vec<polars::prelude::DataFrame>, Vec<String>) {
    let frames = vec![ds.projects.clone(), ds.funds.clone(), ds.landuse.clone()];
    let findings = ds
        .log
        .findings
        .iter()
        .map(|f| format!("{:?} {} {} {}", f.severity, f.origin, f.raw, f.message))
        .collect();
    (frames, findings)
}

fn same(
    a: &(Vec<polars::prelude::DataFrame>, Vec<String>),
    b: &(Vec<polars::prelude::DataFrame>, Vec<String>),
) -> bool {
    a.1 == b.1 && a.0.len() == b.0.len() && a.0.iter().zip(&b.0).all(|(x, y)| x.equals_missing(y))
}

fn flip(data: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut d = data.to_vec();
    for _ in 0..=rng.below(4) {
        let at = rng.below(d.len());
        d[at] ^= 1 + rng.below(255) as u8;
    }
    d
}

/// Junk inserted into a zip member's XML.
const JUNK: &[&str] = &[
    r#"<c r="ZZZ99999999"><v>1</v></c>"#,
    r#"<c r="B2" t="s"><v>x9</v></c>"#,
    "<row r=\"0\">",
    r#"<table:table-row table:number-rows-repeated="99999999"><table:table-cell office:value-type="float" office:value="1"/></table:table-row>"#,
    "&#0;",
    "]]>",
    "<",
    "\u{1b}",
];

/// A zip member's XML damaged: a span deleted (only if that leaves the XML
/// malformed: deleting whole cells gives another valid file), junk
/// inserted, or a byte flipped; the archive is rebuilt around it.
fn damage_member(data: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(data)).ok()?;
    let names: Vec<String> = (0..zip.len())
        .filter_map(|i| zip.by_index(i).ok().and_then(|f| f.name().ok().map(|n| n.to_string())))
        .filter(|n| {
            n.ends_with(".xml") && (n.contains("sheet") || n.contains("content") || n.contains("sharedStrings"))
        })
        .collect();
    let member = names.get(rng.below(names.len()))?.clone();
    let mut xml = Vec::new();
    zip.by_name(&member).ok()?.read_to_end(&mut xml).ok()?;
    let at = rng.below(xml.len());
    let damaged = match rng.below(3) {
        0 => {
            let end = (at + 1 + rng.below(60)).min(xml.len());
            let mut d = xml.clone();
            d.drain(at..end);
            if well_formed(&d) {
                return None;
            }
            d
        }
        1 => {
            let mut d = xml.clone();
            let junk = JUNK[rng.below(JUNK.len())].as_bytes();
            d.splice(at..at, junk.iter().copied());
            d
        }
        _ => {
            let mut d = xml.clone();
            d[at] ^= 1 + rng.below(255) as u8;
            // A digit turned into another digit is another valid file.
            if well_formed(&d) {
                return None;
            }
            d
        }
    };
    Some(rezip(data, &member, |_| damaged))
}

fn well_formed(xml: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(xml) else {
        return false;
    };
    let mut r = quick_xml::Reader::from_str(text);
    loop {
        match r.read_event() {
            Ok(quick_xml::events::Event::Eof) => return true,
            Err(_) => return false,
            _ => {}
        }
    }
}

/// Values that are never a valid number, put into numeric cells.
const NONSENSE: &[&str] = &[
    "约300",
    "#DIV/0!",
    "1e999",
    "-5",
    "\u{1b}[0m",
    "12.5.3",
    "abc",
    "2999年",
    "🙂",
    "=1+1",
    "3000万",
];

/// Nonsense in a numeric cell of the xlsx seed, or of the csv seed.
fn nonsense(seed: &Seed, rng: &mut Rng) -> Vec<u8> {
    let v = NONSENSE[rng.below(NONSENSE.len())];
    let (r, c) = (1 + rng.below(2), 4 + rng.below(2));
    if seed.zip {
        return workbook(&[(r, c, v)]);
    }
    let text = String::from_utf8(seed.data.clone()).expect("csv");
    let mut lines: Vec<Vec<String>> = text
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    // Columns C/D (area, investment) of the csv; the quoted name holds a comma.
    let last = lines[r].len() - 1;
    lines[r][last - 1 + (c - 4)] = v.to_string();
    lines
        .iter()
        .map(|l| l.join(",") + "\n")
        .collect::<String>()
        .into_bytes()
}

/// A damaged copy of the seed of the given kind (`None`: try another).
fn mutate(seed: &Seed, kind: Kind, rng: &mut Rng) -> Option<Vec<u8>> {
    let d = match kind {
        Kind::Flip => flip(&seed.data, rng),
        Kind::Truncate => {
            let d = seed.data[..rng.below(seed.data.len())].to_vec();
            // A csv cut just after a line end is a shorter valid csv.
            if !seed.zip && seed.name.ends_with(".csv") && d.ends_with(b"\n") {
                return None;
            }
            d
        }
        Kind::Member if seed.zip => damage_member(&seed.data, rng)?,
        Kind::Cell if seed.name.ends_with(".xlsx") || seed.name.ends_with(".csv") => nonsense(seed, rng),
        _ => return None,
    };
    (d != seed.data).then_some(d)
}

#[test]
fn a_thousand_damaged_files_are_read_without_a_panic_and_the_damage_is_reported() {
    let seeds = seeds();
    let clean: Vec<_> = seeds.iter().map(|s| outcome(&read(s.name, &s.data))).collect();
    for (s, c) in seeds.iter().zip(&clean) {
        assert!(
            !c.1.iter().any(|f| f.starts_with("Error")),
            "{}: the seed itself has errors: {:?}",
            s.name,
            c.1
        );
    }
    // The xlsx member damage rewrites sheet XML: check it is real damage.
    let probe = replace_in(&seeds[0].data, "xl/worksheets/sheet1.xml", "<v>3000</v>", "<v>30x0</v>");
    assert!(read("p.xlsx", &probe).log.has_errors());

    let mut rng = Rng(0x1A4D_EA11_2026_1201);
    let kinds = [Kind::Flip, Kind::Truncate, Kind::Member, Kind::Cell];
    let (mut files, mut unnoticed_xls) = (0usize, 0usize);
    let mut per_kind = [0usize; 4];
    while files < 1_200 {
        let si = rng.below(seeds.len());
        let ki = rng.below(kinds.len());
        let (seed, kind) = (&seeds[si], kinds[ki]);
        let Some(data) = mutate(seed, kind, &mut rng) else {
            continue;
        };
        files += 1;
        per_kind[ki] += 1;
        let what = format!("copy {files} of {} ({kind:?})", seed.name);
        let ds = std::panic::catch_unwind(|| read(seed.name, &data)).unwrap_or_else(|_| panic!("{what}: panicked"));
        for f in &ds.log.findings {
            assert!(chinese_first(&f.message), "{what}: {}", f.message);
        }
        let noticed = ds
            .log
            .findings
            .iter()
            .any(|f| f.severity != Severity::Info && f.origin.file == seed.name);
        if noticed || same(&outcome(&ds), &clean[si]) {
            continue;
        }
        if seed.name.ends_with(".xls") && kind == Kind::Flip {
            unnoticed_xls += 1;
            continue;
        }
        let kept = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("mutation-{files}-{}", seed.name));
        let _ = std::fs::write(&kept, &data);
        panic!(
            "{what}: changed without a finding (kept as {})\n{:?}",
            kept.display(),
            outcome(&ds).1
        );
    }
    assert!(per_kind.iter().all(|k| *k >= 100), "{per_kind:?}");
    eprintln!("mutation: {files} files {per_kind:?}, xls byte flips changing values unnoticed: {unnoticed_xls}");
}
