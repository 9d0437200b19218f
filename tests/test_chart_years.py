"""Chart years are labels: the dashboard's trend chart renders 2020, never "2,020".

The real vendored ECharts renders the real `charts.js` option server-side to SVG under Node; the test reads
the axis labels from the SVG text.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

STATIC = Path(__file__).parents[1] / "src" / "gongfu" / "web" / "static"
HARNESS = """
const fs = require("fs"), vm = require("vm");
const echarts = require(process.argv[2]);
const init = echarts.init;
echarts.init = () => init(null, null, { renderer: "svg", ssr: true, width: 640, height: 320 });
globalThis.echarts = echarts;
globalThis.document = { getElementById: () => null, createElement: () => null };
vm.runInThisContext(fs.readFileSync(process.argv[3], "utf8") + "; globalThis.gongfu = gongfu;");
const c = gongfu.trend("x", JSON.parse(process.argv[4]));
process.stdout.write(c.renderToSVGString(), () => process.exit(0));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node to run ECharts")
def test_trend_chart_years_have_no_thousands_separator(tmp_path: Path) -> None:
    vendor = STATIC / "vendor" / "echarts.min.js"
    if not vendor.exists():
        pytest.skip("vendored ECharts not built (make setup)")
    harness = tmp_path / "harness.js"
    harness.write_text(HARNESS, encoding="utf-8")
    data = {
        "unit": "%",
        "points": [{"year": y, "value": 60 + y - 2020, "observation_id": y} for y in range(2020, 2025)],
        "trajectory": [[2020, 60], [2025, 70]],
        "target": 70,
    }
    svg = subprocess.run(
        ["node", str(harness), str(vendor), str(STATIC / "charts.js"), json.dumps(data)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert ">2021<" in svg and ">2024<" in svg
    assert "2,02" not in svg
