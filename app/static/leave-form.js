// The request form: working days (asked from the server) and the total of the costs, as the user types.
(function () {
  "use strict";
  var form = document.querySelector("form[data-leave-form]");
  if (!form) { return; }
  var start = form.querySelector("[data-working-days=start]");
  var end = form.querySelector("[data-working-days=end]");
  var days = document.getElementById("working-days");
  var total = document.getElementById("total-cost");

  function updateDays() {
    if (!start.value || !end.value) { days.textContent = "—"; return; }
    var url = days.getAttribute("data-url") + "?start=" + encodeURIComponent(start.value) +
      "&end=" + encodeURIComponent(end.value);
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { working_days: null }; })
      .then(function (data) { days.textContent = data.working_days === null ? "—" : String(data.working_days); })
      .catch(function () { days.textContent = "—"; });
  }

  function updateTotal() {
    var sum = 0;
    form.querySelectorAll("[data-cost]").forEach(function (input) {
      var value = parseFloat((input.value || "0").replace(/\s/g, "").replace(",", "."));
      if (!isNaN(value)) { sum += value; }
    });
    var locale = total.getAttribute("data-locale") === "en" ? "en-CA" : "fr-CA";
    total.textContent = new Intl.NumberFormat(locale, { style: "currency", currency: "CAD" }).format(sum);
  }

  start.addEventListener("change", updateDays);
  end.addEventListener("change", updateDays);
  form.addEventListener("input", function (event) {
    if (event.target.hasAttribute("data-cost")) { updateTotal(); }
  });
})();
