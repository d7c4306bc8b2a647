// Search-as-you-type fields (app/core/pickers.py): Tom Select over the text input, results from its JSON endpoint.
// Without JavaScript, or without the vendored library, the input stays a text field the server resolves.
(function () {
  "use strict";
  if (typeof window.TomSelect === "undefined") {
    return;
  }
  var MIN_QUERY = 2;

  function message(text) {
    var div = document.createElement("div");
    div.className = "no-results";
    div.textContent = text;
    return div;
  }

  function setUp(input) {
    var url = input.getAttribute("data-picker-url");
    var current = [];
    if (input.value) {
      current.push({ value: input.value, label: input.getAttribute("data-picker-label") || input.value });
    }
    var select = new window.TomSelect(input, {
      maxItems: 1,
      create: false,
      hidePlaceholder: true,
      delimiter: "\u001f",
      valueField: "value",
      labelField: "label",
      searchField: [],
      options: current,
      items: current.map(function (option) { return option.value; }),
      loadThrottle: 250,
      // The server has matched the words already: show its results as they come, in its order.
      score: function () { return function () { return 1; }; },
      shouldLoad: function (query) { return query.trim().length >= MIN_QUERY; },
      load: function (query, callback) {
        var self = this;
        fetch(url + "?q=" + encodeURIComponent(query), {
          credentials: "same-origin",
          headers: { Accept: "application/json" }
        })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            self.clearOptions();
            callback(data.results);
          })
          .catch(function () { callback(); });
      },
      render: {
        no_results: function () { return message(input.getAttribute("data-picker-empty")); },
        not_loading: function (data) {
          return data.input.trim().length < MIN_QUERY ? message(input.getAttribute("data-picker-short")) : null;
        }
      }
    });
    // Tom Select hides the input: the label and the error keep pointing at what the person types in, and leave
    // the hidden input, which would otherwise be a field described but unlabelled.
    var control = select.control_input;
    ["aria-describedby", "aria-invalid"].forEach(function (name) {
      if (input.getAttribute(name)) {
        control.setAttribute(name, input.getAttribute(name));
        input.removeAttribute(name);
      }
    });
  }

  document.querySelectorAll("input[data-picker-url]").forEach(setUp);
})();
