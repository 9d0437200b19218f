// Reporting form: flag a figure that jumps by more than the form's threshold against last period's value,
// so the reporter fills in a reason before submitting (the server checks the same rule).
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) return;
  var limit = parseFloat(form.getAttribute("data-jump") || "30");
  function check(input) {
    var row = input.closest("tr");
    var hint = row.querySelector(".jump-hint");
    var last = parseFloat(input.getAttribute("data-last"));
    var value = parseFloat(String(input.value).replace(/,/g, ""));
    var jumps = isFinite(last) && last !== 0 && isFinite(value) && Math.abs((value - last) / Math.abs(last)) * 100 > limit;
    if (hint) hint.hidden = !jumps;
    row.classList.toggle("jump", jumps);
  }
  form.querySelectorAll("input.value").forEach(function (input) {
    input.addEventListener("input", function () { check(input); });
    check(input);
  });
})();
