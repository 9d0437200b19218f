// Page behaviour without inline script (the Content-Security-Policy allows scripts from /static only):
//   <select data-autosubmit>                 submits its form when changed
//   <button data-join-checked="regions">     puts the checked boxes' values, comma-joined, in field "regions"
//   <script type="application/json" data-chart="trend|radar|compare" data-target="id">  draws that chart
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  document.querySelectorAll("button[data-join-checked]").forEach(function (el) {
    el.addEventListener("click", function () {
      var checked = el.form.querySelectorAll("input[type=checkbox]:checked");
      el.form.elements[el.dataset.joinChecked].value = Array.prototype.map.call(checked, function (c) {
        return c.value;
      }).join(",");
    });
  });
  document.querySelectorAll("script[type='application/json'][data-chart]").forEach(function (el) {
    if (window.gongfu && window.gongfu[el.dataset.chart]) {
      window.gongfu[el.dataset.chart](el.dataset.target, JSON.parse(el.textContent));
    }
  });
});
