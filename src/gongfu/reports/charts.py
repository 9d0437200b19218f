"""The report's charts as PNG bytes (matplotlib, Agg), drawn once and shared by docx, html and pdf.

Chinese text needs a CJK font: Debian's fonts-noto-cjk (Noto Sans CJK SC) or fonts-wqy-microhei.
Without one the charts would show boxes, so `cjk_font()` refuses with a one-line error instead.
"""

from __future__ import annotations

import io
import math
import shutil
import subprocess
from functools import cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib import font_manager
from matplotlib.figure import Figure

from gongfu.labels import COLOUR_HEX, COLOUR_ZH
from gongfu.reports.data import ChildSummary, ReportData
from gongfu.reports.errors import ToolMissing
from gongfu.vocab import COLOURS

# (family, files where Debian puts it)
CJK_FONTS = (
    ("Noto Sans CJK SC", ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",)),
    ("WenQuanYi Micro Hei", ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",)),
    ("WenQuanYi Zen Hei", ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",)),
    ("Source Han Sans SC", ()),
)
HEX = COLOUR_HEX
DPI = 110
PANELS_PER_CHART = 9


def _fc_match(family: str) -> str | None:
    if not shutil.which("fc-match"):
        return None
    out = subprocess.run(
        ["fc-match", "-f", "%{family}\n%{file}", f"{family}:lang=zh-cn"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.splitlines()
    return out[1] if len(out) == 2 and family.lower() in out[0].lower() else None


@cache
def cjk_font() -> str:
    """The family name of an installed CJK font, registered with matplotlib; ToolMissing if none."""
    known = {f.name for f in font_manager.fontManager.ttflist}
    for family, files in CJK_FONTS:
        if family in known:
            return family
        for path in (*files, _fc_match(family)):
            if path and Path(path).exists():
                font_manager.fontManager.addfont(path)
                if family in {f.name for f in font_manager.fontManager.ttflist}:
                    return family
    raise ToolMissing(
        "no Chinese font for the charts: install one, e.g. `apt-get install fonts-noto-cjk`"
        " (or fonts-wqy-microhei)"
    )


def font_file() -> str:
    """The file of the CJK font the charts use (the tests check its glyphs)."""
    return font_manager.findfont(cjk_font(), fallback_to_default=False)


def _figure(width: float, height: float) -> Figure:
    plt.rcParams["font.sans-serif"] = [cjk_font()]  # it has Latin too; a fallback list slows text layout
    plt.rcParams["font.family"] = "sans-serif"
    plt.rcParams["axes.unicode_minus"] = False
    return Figure(figsize=(width, height), dpi=DPI)  # fixed margins: constrained layout is 2-3× slower


def _margins(fig: Figure, left: float, right: float, top: float, bottom: float, **space: float) -> None:
    """Margins in inches, whatever the figure's size."""
    w, h = fig.get_size_inches()
    fig.subplots_adjust(left=left / w, right=1 - right / w, top=1 - top / h, bottom=bottom / h, **space)


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, pil_kwargs={"compress_level": 3})
    return buf.getvalue()


def trajectory(r: dict) -> list[tuple[int, float]]:
    """The expected path from the base (year, value) to the target level, year by year, as evaluated."""
    return [(p["year"], p["value"]) for p in r.get("trajectory_path") or [] if p["value"] is not None]


def _short(text: str, n: int = 14) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def trend_chart(records: list[dict], title: str) -> bytes | None:
    """Small multiples: each target's observed series against its expected trajectory and target."""
    rs = [r for r in records if r.get("observations")][:PANELS_PER_CHART]
    if not rs:
        return None
    cols = min(3, len(rs))
    rows = math.ceil(len(rs) / cols)
    fig = _figure(7.2, 2.2 * rows + 0.4)
    axes = fig.subplots(rows, cols, squeeze=False)
    _margins(fig, 0.6, 0.15, 0.6, 0.35, hspace=0.55, wspace=0.38)
    for ax, r in zip(axes.flat, rs, strict=False):
        xs = [o["year"] for o in r["observations"]]
        ys = [o["value"] for o in r["observations"]]
        ax.plot(xs, ys, "o-", color="#1f4e79", lw=1.6, ms=3.5, label="实际值")
        path = trajectory(r)
        if path:
            ax.plot(*zip(*path, strict=True), "--", color="#888888", lw=1.2, label="预期轨迹")
        if r.get("target_level") is not None and r.get("year"):
            ax.plot(
                [r["year"]], [r["target_level"]], "*", color=HEX.get(r["colour"], "#000"), ms=9, label="目标"
            )
        ax.set_title(_short(r["indicator_name"]), fontsize=9)
        ax.tick_params(labelsize=7)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.grid(alpha=0.3)
        if r.get("unit"):
            ax.set_ylabel(r["unit"], fontsize=7)
    for ax in list(axes.flat)[len(rs) :]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=7, loc="best")
    fig.suptitle(title, fontsize=11)
    return _png(fig)


def attainment_chart(records: list[dict], title: str) -> bytes | None:
    """Horizontal bars of attainment coloured by warning, with the time progress marked."""
    rs = [r for r in records if r.get("attainment") is not None]
    if not rs:
        return None
    fig = _figure(7.2, 1.1 + 0.32 * len(rs))
    ax = fig.subplots()
    _margins(fig, 1.9, 0.2, 0.4, 0.5)
    ys = range(len(rs))
    # 确保 (binding) and 力争 (striving) targets of one indicator sit side by side: the striving bar is
    # hatched and each label says which it is, so the two are never read as one target twice.
    striving = [r.get("ambition") == "striving" for r in rs]
    bars = ax.barh(ys, [r["attainment"] * 100 for r in rs], color=[HEX.get(r["colour"], "#999") for r in rs])
    for bar, s in zip(bars, striving, strict=True):
        if s:
            bar.set_hatch("///")
            bar.set_edgecolor("#333333")
    tp = [(i, r["time_progress"] * 100) for i, r in enumerate(rs) if r.get("time_progress") is not None]
    if tp:
        ax.plot([v for _, v in tp], [i for i, _ in tp], "|", color="black", ms=14, mew=2, label="时序进度")
    handles, _ = ax.get_legend_handles_labels()
    if any(striving):
        from matplotlib.patches import Patch

        handles.append(Patch(facecolor="white", edgecolor="#333333", hatch="///", label="力争目标"))
    if handles:
        ax.legend(handles=handles, fontsize=8, loc="lower right")
    tag = {"binding": "（确保）", "striving": "（力争）"} if any(striving) else {}
    ax.set_yticks(list(ys), [_short(r["indicator_name"], 12) + tag.get(r.get("ambition"), "") for r in rs],
                  fontsize=8)  # fmt: skip
    ax.invert_yaxis()
    ax.set_xlim(0, 105)
    ax.set_xlabel("实现度（%）", fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(title, fontsize=11)
    return _png(fig)


def colour_chart(counts: dict[str, int], title: str) -> bytes:
    """Counts of targets by warning colour."""
    order = [(k, COLOUR_ZH[k]) for k in COLOURS]
    fig = _figure(5.0, 2.4)
    ax = fig.subplots()
    _margins(fig, 0.6, 0.2, 0.4, 0.35)
    bars = ax.bar(
        [f"{zh}色" for _, zh in order], [counts.get(k, 0) for k, _ in order], color=[HEX[k] for k, _ in order]
    )
    ax.bar_label(bars, fontsize=8)
    ax.set_ylabel("指标数", fontsize=8)
    ax.set_title(title, fontsize=11)
    return _png(fig)


def children_chart(children: list[ChildSummary], title: str) -> bytes | None:
    """Per child region: targets by warning colour (stacked) — the comparison at a glance."""
    if not children:
        return None
    fig = _figure(7.2, 1.2 + 0.34 * len(children))
    ax = fig.subplots()
    _margins(fig, 1.2, 0.2, 0.4, 0.5)
    left = [0] * len(children)
    ys = range(len(children))
    for k, zh in ((k, COLOUR_ZH[k]) for k in COLOURS):
        vals = [c.counts.get(k, 0) for c in children]
        ax.barh(ys, vals, left=left, color=HEX[k], label=f"{zh}色")
        left = [a + b for a, b in zip(left, vals, strict=True)]
    ax.set_yticks(list(ys), [c.region_name for c in children], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("指标数", fontsize=8)
    ax.legend(fontsize=7, ncols=5, loc="lower right")
    ax.set_title(title, fontsize=11)
    return _png(fig)


def render_all(data: ReportData) -> dict[str, bytes]:
    """Every chart of the report, keyed by a stable name the writers look up (missing = nothing to draw)."""
    out: dict[str, bytes] = {"summary": colour_chart(data.counts, f"{data.region_name}目标预警分布")}
    for i, ch in enumerate(data.chapters, start=1):
        trend = trend_chart(ch.records, f"{ch.dimension}：实际值与预期轨迹")
        if trend:
            out[f"trend-{i}"] = trend
        bars = attainment_chart(ch.records, f"{ch.dimension}：实现度与时序进度")
        if bars:
            out[f"attainment-{i}"] = bars
    if data.children:
        kids = children_chart(data.children, "下辖地区目标预警分布")
        if kids:
            out["children"] = kids
    return out
