// gongfu dashboard charts (Apache ECharts, vendored at build time; nothing is fetched at run time).
var gongfu = (function () {
  function chart(id) { return echarts.init(document.getElementById(id)); }
  function year(v) { return String(Math.round(v)); }

  // Trend against the expected trajectory and the target line; a click on a point opens its source.
  function trend(id, d) {
    var c = chart(id);
    c.setOption({
      tooltip: { trigger: "axis", axisPointer: { label: { formatter: function (p) { return year(p.value); } } } },
      legend: { data: ["观测值", "预期轨迹", "目标"] },
      // Years are labels, not quantities: ECharts' "{value}" template would print 2020 as "2,020".
      xAxis: { type: "value", min: "dataMin", max: "dataMax", minInterval: 1, axisLabel: { formatter: year } },
      yAxis: { type: "value", name: d.unit || "", scale: true },
      series: [
        { name: "观测值", type: "line", symbolSize: 10,
          data: d.points.map(function (p) { return { value: [p.year, p.value], id: p.observation_id }; }) },
        { name: "预期轨迹", type: "line", lineStyle: { type: "dashed" }, symbol: "none", data: d.trajectory },
        { name: "目标", type: "line", symbol: "none", data: [],
          markLine: d.target == null ? undefined : { symbol: "none", data: [{ yAxis: d.target, name: "目标" }] } }
      ]
    });
    c.on("click", function (p) { if (p.data && p.data.id) { window.location = "/observations/" + p.data.id; } });
    return c;
  }

  function radar(id, d) {
    var c = chart(id);
    c.setOption({
      tooltip: {}, legend: { type: "scroll", bottom: 0 },
      radar: { indicator: d.dimensions.map(function (n) { return { name: n, max: 1 }; }) },
      series: [{ type: "radar", data: d.series }]
    });
    return c;
  }

  // Attainment per indicator, one bar per region.
  function compare(id, m) {
    var c = chart(id);
    c.setOption({
      tooltip: { trigger: "axis" }, legend: {},
      xAxis: { type: "category", data: m.indicators.map(function (i) { return i.name; }), axisLabel: { rotate: 30 } },
      yAxis: { type: "value", name: "实现度", max: 1 },
      series: m.regions.map(function (r) {
        return { name: r.name, type: "bar", data: m.indicators.map(function (i) {
          var cell = (m.cells[i.key] || {})[r.code]; return cell ? cell.attainment : null; }) };
      })
    });
    return c;
  }

  return { trend: trend, radar: radar, compare: compare };
})();
