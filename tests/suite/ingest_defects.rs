//! Defective inputs, one per case: each yields its precise message at the
//! right cell, and none panics. The files are made here (rust_xlsxwriter or
//! plain bytes), written to the scratch directory for inspection, and read
//! through the library's ingest.

use crate::common;

use crate::common::hostile::{self, Cell};
use landeval::fields::FieldDict;
use landeval::ingest::{Limits, QualityLog, Severity, Source, ingest_with};

/// A cell to write.
#[derive(Clone)]
enum C {
    S(&'static str),
    N(f64),
    B(bool),
    /// A formula with its cached result (a number or an error text).
    F(&'static str, &'static str),
    D,
    E,
}
use C::{E, N, S};

/// The ledger header used by most cases: A 项目编号, B 项目名称, C 市（州）,
/// D 县（市、区）, E 地形, F 整治区域面积（亩）, G 实施方案批复时间, H 计划总投资（万元）.
fn ledger_header() -> Vec<C> {
    vec![
        S("项目编号"),
        S("项目名称"),
        S("市（州）"),
        S("县（市、区）"),
        S("地形"),
        S("整治区域面积（亩）"),
        S("实施方案批复时间"),
        S("计划总投资（万元）"),
    ]
}

/// A valid ledger row for project `id`.
fn ledger_row(id: &'static str) -> Vec<C> {
    vec![
        S(id),
        S("测试项目"),
        S("甲市"),
        S("乙县"),
        S("平原"),
        N(1000.0),
        S("2023-05-01"),
        N(500.0),
    ]
}

/// The ledger row with column `col` replaced.
fn ledger_with(col: usize, c: C) -> Vec<C> {
    let mut r = ledger_row("T-01");
    r[col] = c;
    r
}

impl C {
    fn cell(&self) -> Cell {
        match self {
            C::S(s) => Cell::Text(s.to_string()),
            C::N(x) => Cell::Num(*x),
            C::B(b) => Cell::Bool(*b),
            C::F(f, res) => Cell::Formula(f.to_string(), res.to_string()),
            C::D => Cell::Date(2024, 5, 1),
            C::E => Cell::Empty,
        }
    }
}

fn xlsx(sheets: &[(&str, Vec<Vec<C>>)]) -> Vec<u8> {
    let sheets: Vec<(&str, Vec<Vec<Cell>>)> = sheets
        .iter()
        .map(|(name, rows)| (*name, rows.iter().map(|r| r.iter().map(C::cell).collect()).collect()))
        .collect();
    hostile::xlsx(&sheets)
}

fn ledger(rows: Vec<Vec<C>>) -> Vec<u8> {
    let mut all = vec![ledger_header()];
    all.extend(rows);
    xlsx(&[("项目台账", all)])
}

/// A farmland sheet: A 项目编号, B 整治前耕地面积, C 整治后耕地面积, D 新增耕地面积.
fn farmland(row: Vec<C>) -> Vec<u8> {
    xlsx(&[
        ("项目台账", vec![ledger_header(), ledger_row("T-01")]),
        (
            "农用地整治",
            vec![
                vec![
                    S("项目编号"),
                    S("整治前耕地面积"),
                    S("整治后耕地面积"),
                    S("新增耕地面积"),
                ],
                row,
            ],
        ),
    ])
}

/// A process sheet: A 项目编号, B 村民代表参与验收, C 实施进度完成率（%）.
fn process(b: C, c: C) -> Vec<u8> {
    xlsx(&[
        ("项目台账", vec![ledger_header(), ledger_row("T-01")]),
        (
            "过程管理",
            vec![
                vec![S("项目编号"), S("村民代表参与验收"), S("实施进度完成率（%）")],
                vec![S("T-01"), b, c],
            ],
        ),
    ])
}

/// One defect case: files, limits, and the finding expected.
struct Case {
    name: &'static str,
    files: Vec<(&'static str, Vec<u8>)>,
    limits: Limits,
    severity: Severity,
    /// `file / sheet / cell` as printed.
    at: &'static str,
    message: &'static str,
}

fn case(name: &'static str, file: Vec<u8>, severity: Severity, at: &'static str, message: &'static str) -> Case {
    Case {
        name,
        files: vec![("t.xlsx", file)],
        limits: Limits::default(),
        severity,
        at,
        message,
    }
}

fn small(rows: usize, cols: usize) -> Limits {
    Limits {
        max_rows: rows,
        max_cols: cols,
        ..Limits::default()
    }
}

fn gbk(s: &str) -> Vec<u8> {
    encoding_rs::GBK.encode(s).0.into_owned()
}

fn cases() -> Vec<Case> {
    use Severity::{Error as Err, Info, Warning as Warn};
    let mut v = vec![
        case(
            "估计值",
            ledger(vec![ledger_with(5, S("约300"))]),
            Err,
            "t.xlsx / 项目台账 / F2",
            "“整治区域面积”是估计值，请填写确切数值",
        ),
        case(
            "两个小数点",
            ledger(vec![ledger_with(5, S("12.3.4"))]),
            Err,
            "t.xlsx / 项目台账 / F2",
            "不是有效的数值",
        ),
        case(
            "中文数字",
            ledger(vec![ledger_with(7, S("三百万"))]),
            Err,
            "t.xlsx / 项目台账 / H2",
            "“计划总投资”含有文字，不是有效的数值",
        ),
        case(
            "除零错误",
            ledger(vec![ledger_with(5, C::F("=1/0", "#DIV/0!"))]),
            Err,
            "t.xlsx / 项目台账 / F2",
            "Excel 错误值 #DIV/0!",
        ),
        case(
            "N/A 错误",
            ledger(vec![ledger_with(7, C::F("=NA()", "#N/A"))]),
            Err,
            "t.xlsx / 项目台账 / H2",
            "Excel 错误值 #N/A",
        ),
        case(
            "引用错误",
            ledger(vec![ledger_with(5, C::F("=#REF!", "#REF!"))]),
            Err,
            "t.xlsx / 项目台账 / F2",
            "Excel 错误值 #REF!",
        ),
        case(
            "不存在的日期",
            ledger(vec![ledger_with(6, S("2024-13-01"))]),
            Err,
            "t.xlsx / 项目台账 / G2",
            "“实施方案批复时间”不是有效的日期",
        ),
        case(
            "文字日期",
            ledger(vec![ledger_with(6, S("明年五月"))]),
            Err,
            "t.xlsx / 项目台账 / G2",
            "请按 2024-05-01 的格式填写",
        ),
        case(
            "日期填在数值列",
            ledger(vec![ledger_with(5, C::D)]),
            Err,
            "t.xlsx / 项目台账 / F2",
            "是日期，此列应填写数值",
        ),
        case(
            "逻辑值填在数值列",
            ledger(vec![ledger_with(5, C::B(true))]),
            Err,
            "t.xlsx / 项目台账 / F2",
            "是逻辑值，此列应填写数值",
        ),
        case(
            "是否列填也许",
            process(S("也许"), N(95.0)),
            Err,
            "t.xlsx / 过程管理 / B2",
            "“村民代表参与验收”应填写“是”或“否”",
        ),
        case(
            "是否列填数字2",
            process(N(2.0), N(95.0)),
            Err,
            "t.xlsx / 过程管理 / B2",
            "应填写“是”或“否”",
        ),
        case(
            "百分数写成文字",
            process(S("是"), S("九成")),
            Err,
            "t.xlsx / 过程管理 / C2",
            "“实施进度完成率”含有文字",
        ),
        case(
            "枚举值不在选项中",
            ledger(vec![ledger_with(4, S("高原"))]),
            Err,
            "t.xlsx / 项目台账 / E2",
            "“高原”不是可选值，应为：平原、丘陵、山区",
        ),
        case(
            "缺少项目编号",
            ledger(vec![ledger_with(0, E)]),
            Err,
            "t.xlsx / 项目台账 / A2",
            "该行有数据但缺少项目编号",
        ),
        case(
            "同一文件项目编号重复",
            ledger(vec![ledger_row("T-01"), ledger_row("T-01")]),
            Err,
            "t.xlsx / 项目台账 / A3",
            "项目编号“T-01”重复：已在 t.xlsx / 项目台账 / A2 出现",
        ),
        case(
            "资金行项目编号未登记",
            xlsx(&[
                ("项目台账", vec![ledger_header(), ledger_row("T-01")]),
                (
                    "资金台账",
                    vec![
                        vec![S("项目编号"), S("资金来源类别"), S("计划金额")],
                        vec![S("T-99"), S("中央财政"), N(10.0)],
                    ],
                ),
            ]),
            Err,
            "t.xlsx / 资金台账 / A2",
            "项目编号“T-99”未在任何“项目台账”中登记",
        ),
        case(
            "农用地整治表项目编号未登记",
            farmland(vec![S("T-02"), N(10.0), N(11.0), N(1.0)]),
            Err,
            "t.xlsx / 农用地整治 / A2",
            "项目编号“T-02”未在任何“项目台账”中登记",
        ),
        case(
            "农用地整治表同一项目两行",
            xlsx(&[
                ("项目台账", vec![ledger_header(), ledger_row("T-01")]),
                (
                    "农用地整治",
                    vec![
                        vec![S("项目编号"), S("新增耕地面积")],
                        vec![S("T-01"), N(1.0)],
                        vec![S("T-01"), N(2.0)],
                    ],
                ),
            ]),
            Err,
            "t.xlsx / 农用地整治 / A3",
            "项目编号“T-01”在“农用地整治”中重复",
        ),
        case(
            "找不到表头",
            xlsx(&[("项目台账", vec![vec![S("名称"), S("金额")], vec![S("甲"), N(1.0)]])]),
            Err,
            "t.xlsx / 项目台账",
            "未找到表头",
        ),
        case(
            "重复列",
            xlsx(&[(
                "项目台账",
                vec![
                    vec![S("项目编号"), S("项目名称"), S("项目 名称")],
                    vec![S("T-01"), S("甲"), S("乙")],
                ],
            )]),
            Err,
            "t.xlsx / 项目台账 / C1",
            "该列与前面的列对应同一字段",
        ),
        case(
            "未识别的列",
            xlsx(&[(
                "项目台账",
                vec![vec![S("项目编号"), S("联系人电话")], vec![S("T-01"), S("123")]],
            )]),
            Info,
            "t.xlsx / 项目台账 / B1",
            "未识别的列，已忽略",
        ),
        case(
            "未识别的工作表",
            xlsx(&[
                ("项目台账", vec![ledger_header(), ledger_row("T-01")]),
                ("汇总", vec![vec![S("x")]]),
            ]),
            Info,
            "t.xlsx / 汇总",
            "未识别的工作表，已忽略",
        ),
        case(
            "缺少必填工作表",
            ledger(vec![ledger_row("T-01")]),
            Warn,
            "t.xlsx",
            "缺少工作表“农用地整治”",
        ),
        case(
            "没有任何项目",
            xlsx(&[("说明", vec![vec![S("空")]])]),
            Err,
            "",
            "输入中没有找到任何项目",
        ),
        case(
            "不是工作簿",
            b"hello, this is not a workbook".to_vec(),
            Err,
            "t.xlsx",
            "无法打开文件（支持 xlsx、xls、xlsb、ods、csv）",
        ),
        case("空文件", Vec::new(), Err, "t.xlsx", "文件为空（0 字节）"),
        case(
            "损坏的压缩包",
            b"PK\x03\x04\x14\x00garbage-without-central-directory".to_vec(),
            Err,
            "t.xlsx",
            "文件已损坏：压缩包目录无法读取",
        ),
        case(
            "单位无法换算",
            xlsx(&[(
                "项目台账",
                vec![vec![S("项目编号"), S("整治区域面积（万元）")], vec![S("T-01"), N(1.0)]],
            )]),
            Warn,
            "t.xlsx / 项目台账 / B1",
            "表头单位“万元”无法换算为“亩”",
        ),
        case(
            "不涉及",
            ledger(vec![ledger_with(7, S("不涉及"))]),
            Info,
            "t.xlsx / 项目台账 / H2",
            "“计划总投资”填写“不涉及”，按不适用处理",
        ),
        case(
            "合计行与各行之和不符",
            ledger(vec![
                ledger_row("T-01"),
                ledger_row("T-02"),
                vec![S("合计"), E, E, E, E, N(2100.0), E, N(1000.0)],
            ]),
            Warn,
            "t.xlsx / 项目台账 / F4",
            "合计行的“整治区域面积”为 2100亩，与各行之和 2000亩 相差 4.8%（超过 0.5%）",
        ),
        case(
            "公顷单位换算",
            xlsx(&[(
                "项目台账",
                vec![
                    vec![S("项目编号"), S("整治区域面积\n（公顷）（10分）")],
                    vec![S("T-01"), N(80.0)],
                ],
            )]),
            Info,
            "t.xlsx / 项目台账 / B1",
            "单位换算：“整治区域面积”按表头以“公顷”填写，已换算为“亩”（×15）",
        ),
        case(
            "标题行下的单位说明",
            xlsx(&[(
                "项目台账",
                vec![
                    vec![S("某县统计表")],
                    vec![S("单位：元")],
                    vec![S("项目编号"), S("计划总投资")],
                    vec![S("T-01"), N(1.0)],
                ],
            )]),
            Info,
            "t.xlsx / 项目台账 / B3",
            "“计划总投资”按 A2 处的单位说明以“元”填写，已换算为“万元”（×0.0001）",
        ),
    ];
    v.push(Case {
        limits: Limits {
            max_unzipped_bytes: 1000,
            ..Limits::default()
        },
        ..case(
            "解压后过大",
            ledger(vec![ledger_row("T-01")]),
            Err,
            "t.xlsx",
            "解压后大小 0 MB 超过上限 0 MB，已拒绝读取（可用 --max-unzipped-mb 调整上限）",
        )
    });
    v.push(Case {
        limits: small(3, 50),
        ..case(
            "行数超限",
            ledger(vec![ledger_row("T-01"), ledger_row("T-02"), ledger_row("T-03")]),
            Err,
            "t.xlsx / 项目台账 / A4",
            "工作表行数超过上限 3 行（可用 --max-rows 调整），已拒绝读取",
        )
    });
    v.push(Case {
        limits: small(100, 5),
        ..case(
            "列数超限",
            ledger(vec![ledger_row("T-01")]),
            Err,
            "t.xlsx / 项目台账 / F1",
            "工作表列数超过上限 5 列（可用 --max-cols 调整）",
        )
    });
    v.push(Case {
        files: vec![("某县-项目台账.csv", b"a\nb\nc\nd\n".to_vec())],
        limits: small(3, 50),
        ..case(
            "csv 行数超限",
            Vec::new(),
            Err,
            "某县-项目台账.csv / A4",
            "行数超过上限 3 行",
        )
    });
    v.push(Case {
        files: vec![("数据.csv", gbk("名称,金额\n甲,1\n"))],
        ..case(
            "无法判断 csv 对应的表",
            Vec::new(),
            Err,
            "数据.csv",
            "无法判断该 csv 文件对应哪张表",
        )
    });
    v.push(Case {
        files: vec![
            ("某县-项目台账.csv", gbk("项目编号,项目名称\nT-01,甲\n")),
            (
                "某县-农用地整治.csv",
                gbk("项目编号,整治前耕地面积,新增耕地面积\nT-01,100,约300\n"),
            ),
        ],
        ..case(
            "GBK csv 中的估计值",
            Vec::new(),
            Err,
            "某县-农用地整治.csv / 农用地整治 / C2",
            "“新增耕地面积”是估计值",
        )
    });
    v.push(Case {
        files: vec![
            ("甲县.xlsx", ledger(vec![ledger_row("T-01")])),
            ("乙县.xlsx", ledger(vec![ledger_row("T-01")])),
        ],
        ..case(
            "两个文件项目编号重复",
            Vec::new(),
            Err,
            "乙县.xlsx / 项目台账 / A2",
            "项目编号“T-01”重复：已在 甲县.xlsx / 项目台账 / A2 出现",
        )
    });
    v
}

fn show(log: &QualityLog) -> String {
    log.findings
        .iter()
        .map(|f| format!("[{}] {}：{}（{}）\n", f.severity.label(), f.origin, f.message, f.raw))
        .collect()
}

#[test]
fn every_defect_gives_its_message_at_its_cell() {
    let dir = common::scratch("ingest-defects");
    let dict = FieldDict::bundled();
    let cases = cases();
    assert!(cases.len() >= 30, "{} cases", cases.len());
    let mut failures = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        let sub = dir.join(format!("{i:02}-{}", c.name));
        std::fs::create_dir_all(&sub).expect("case dir");
        let sources: Vec<Source> = c
            .files
            .iter()
            .map(|(name, data)| {
                std::fs::write(sub.join(name), data).expect("write case file");
                Source {
                    name: (*name).to_string(),
                    data: data.clone(),
                    siblings: Vec::new(),
                }
            })
            .collect();
        let ds = ingest_with(&sources, &dict, &c.limits);
        let hit = ds
            .log
            .findings
            .iter()
            .any(|f| f.severity == c.severity && f.origin.to_string() == c.at && f.message.contains(c.message));
        if !hit {
            failures.push(format!(
                "{}: expected [{}] {}：…{}…\ngot:\n{}",
                c.name,
                c.severity.label(),
                c.at,
                c.message,
                show(&ds.log)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn consistent_total_rows_and_valid_forms_raise_nothing() {
    // 1000 + 1000 = 2000 and the 合计 says 2005: 0.25 % off, under 0.5 %.
    // The second row writes its area as text "1,000".
    // Its 计划总投资 is a formula: the cached 500 is read.
    let mut r2 = ledger_row("T-02");
    r2[5] = S("1,000");
    r2[7] = C::F("=200+300", "500");
    r2[6] = S("2023年5月");
    let file = ledger(vec![
        ledger_row("T-01"),
        r2,
        vec![E, E, E, S("总计"), E, N(2005.0), E, N(1000.0)],
    ]);
    let ds = ingest_with(
        &[Source {
            name: "t.xlsx".into(),
            data: file,
            siblings: Vec::new(),
        }],
        &FieldDict::bundled(),
        &Limits::default(),
    );
    let problems: Vec<_> = ds
        .log
        .findings
        .iter()
        .filter(|f| {
            f.severity != Severity::Info && !f.message.contains("缺少工作表") && !f.message.contains("没有数据行")
        })
        .collect();
    assert!(problems.is_empty(), "{}", show(&ds.log));
    let area = ds.projects.column("area_total").expect("column");
    let area: Vec<Option<f64>> = area.f64().expect("f64").iter().collect();
    assert_eq!(area, vec![Some(1000.0), Some(1000.0)]);
    let inv = ds.projects.column("investment_planned").expect("column");
    let inv: Vec<Option<f64>> = inv.f64().expect("f64").iter().collect();
    assert_eq!(inv, vec![Some(500.0), Some(500.0)]);
    let t = &ds.log.tallies[0];
    assert_eq!((t.rows_read, t.rows_used, t.rows_skipped), (3, 2, 1));
}

#[test]
fn random_bytes_never_panic() {
    // Deterministic junk in every supported extension, plus truncated workbooks.
    let good = ledger(vec![ledger_row("T-01")]);
    let mut inputs: Vec<(String, Vec<u8>)> = Vec::new();
    let mut x: u64 = 42;
    for ext in ["xlsx", "xls", "xlsb", "ods", "csv"] {
        for len in [0usize, 1, 7, 512, 4096] {
            let bytes = (0..len)
                .map(|_| {
                    x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    (x >> 56) as u8
                })
                .collect();
            inputs.push((format!("junk{len}.{ext}"), bytes));
        }
        for cut in [30, good.len() / 2, good.len() - 10] {
            inputs.push((format!("cut{cut}.{ext}"), good[..cut].to_vec()));
        }
    }
    inputs.push(("unterminated.csv".into(), b"\"project,\n\"\"x".to_vec()));
    let dict = FieldDict::bundled();
    for (name, data) in inputs {
        let ds = ingest_with(
            &[Source {
                name: name.clone(),
                data,
                siblings: Vec::new(),
            }],
            &dict,
            &Limits::default(),
        );
        assert!(ds.log.has_errors(), "{name}: {}", show(&ds.log));
    }
}
