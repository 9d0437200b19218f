// The cockpit map: the children of the region (a city's counties, a province's cities) coloured by their
// worst warning or by their composite index; a child without data for the chosen colouring is hatched (an
// ECharts decal), not hidden; a click drills down. Data comes from the page's JSON block.
(function () {
  var el = document.getElementById("cockpit-map");
  var block = document.getElementById("cockpit-data");
  if (!el || !block || typeof echarts === "undefined") return;
  var data = JSON.parse(block.textContent);
  var FILL = { red: "#e06060", orange: "#f0a04b", yellow: "#f3d75c", green: "#7cc47c", grey: "#c8c8c8" };
  var ZH = { red: "红", orange: "橙", yellow: "黄", green: "绿", grey: "灰" };
  var HATCH = { areaColor: "#ffffff", decal: { symbol: "rect", dashArrayX: [1, 0], dashArrayY: [3, 5], rotation: -0.785, color: "#999" } };
  var byName = {};
  data.tiles.forEach(function (t) { byName[t.name] = t; });
  var indexes = data.tiles.map(function (t) { return t.index; }).filter(function (v) { return v !== null; });
  var chart = echarts.init(el);

  function option(mode) {
    var items = data.tiles.map(function (t) {
      if (mode === "index") {
        return t.index !== null ? { name: t.name, value: t.index } : { name: t.name, value: null, itemStyle: HATCH };
      }
      return { name: t.name, value: t.targets, itemStyle: t.worst ? { areaColor: FILL[t.worst] } : HATCH };
    });
    var opt = {
      tooltip: { formatter: function (p) {
        var t = byName[p.name];
        if (!t) return p.name + "：不在统计范围";
        if (!t.targets) return p.name + "：尚无方案目标";
        return p.name + "：" + t.targets + " 项目标，最差 " + ZH[t.worst] + "色" +
          (t.index !== null ? "，综合指数 " + t.index.toFixed(3) + "（第" + t.rank + "位）" : "，无综合指数");
      } },
      visualMap: [],
      series: [{ type: "map", map: el.dataset.map, roam: false, label: { show: true, fontSize: 11 },
                 emphasis: { label: { show: true } }, data: items }]
    };
    if (mode === "index" && indexes.length) {
      opt.visualMap = [{ type: "continuous", min: Math.min.apply(null, indexes), max: Math.max.apply(null, indexes),
                         inRange: { color: ["#e06060", "#f3d75c", "#7cc47c"] }, text: ["指数高", "指数低"],
                         calculable: false, left: "left", bottom: 10 }];
    }
    chart.setOption(opt, { replaceMerge: ["visualMap", "series"] });
    el.dataset.mode = mode;
  }

  option("worst");
  document.querySelectorAll(".map-modes button").forEach(function (b) {
    b.addEventListener("click", function () {
      document.querySelectorAll(".map-modes button").forEach(function (o) { o.setAttribute("aria-pressed", String(o === b)); });
      option(b.dataset.mode);
    });
  });
  chart.on("click", function (p) {
    var t = byName[p.name];
    if (t) window.location.href = "/cockpit?region=" + t.code + (data.year ? "&year=" + data.year : "");
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
