// The cockpit map: the city's counties coloured by their worst warning; a county without plan targets is
// hatched (an ECharts decal), not hidden; a click drills down. Data comes from the page's JSON block.
(function () {
  var el = document.getElementById("cockpit-map");
  var block = document.getElementById("cockpit-data");
  if (!el || !block || typeof echarts === "undefined") return;
  var data = JSON.parse(block.textContent);
  var FILL = { red: "#e06060", orange: "#f0a04b", yellow: "#f3d75c", green: "#7cc47c", grey: "#c8c8c8" };
  var ZH = { red: "红", orange: "橙", yellow: "黄", green: "绿", grey: "灰" };
  var byName = {};
  data.tiles.forEach(function (t) { byName[t.name] = t; });
  var items = data.tiles.map(function (t) {
    var style = t.worst ? { areaColor: FILL[t.worst] }
      : { areaColor: "#ffffff", decal: { symbol: "rect", dashArrayX: [1, 0], dashArrayY: [3, 5], rotation: -0.785, color: "#999" } };
    return { name: t.name, value: t.targets, itemStyle: style };
  });
  var chart = echarts.init(el);
  chart.setOption({
    tooltip: { formatter: function (p) {
      var t = byName[p.name];
      if (!t) return p.name + "：不在统计范围";
      if (!t.targets) return p.name + "：尚无方案目标";
      return p.name + "：" + t.targets + " 项目标，最差 " + ZH[t.worst] + "色" +
        (t.index !== null ? "，综合指数 " + t.index.toFixed(3) + "（第" + t.rank + "位）" : "");
    } },
    series: [{ type: "map", map: el.dataset.map, roam: false, label: { show: true, fontSize: 11 },
               emphasis: { label: { show: true } }, data: items }]
  });
  chart.on("click", function (p) {
    var t = byName[p.name];
    if (t) window.location.href = "/cockpit?region=" + t.code + (data.year ? "&year=" + data.year : "");
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
