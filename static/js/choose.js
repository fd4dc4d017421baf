// Progressive enhancement of cop's long lists. Without this script every list is a plain
// select or a list of checkboxes, and every form works; with it:
// - a list marked data-search gets a search field that hides what does not match;
// - a select marked data-fills copies its chosen option's data-* values into the fields it
//   names, unless the person has typed something else there since.
(function () {
  "use strict";

  function normalise(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function itemsOf(list) {
    if (list.tagName === "SELECT") {
      return Array.prototype.slice.call(list.options).filter(function (option) {
        return option.value !== "";
      });
    }
    return Array.prototype.slice.call(list.querySelectorAll("[data-search-item]"));
  }

  function addSearch(list) {
    if (document.getElementById(list.id + "-search")) { return; }
    var input = document.createElement("input");
    var label = document.createElement("label");
    var status = document.createElement("p");
    var wrapper = document.createElement("div");
    input.type = "search";
    input.className = "input input--search";
    input.id = list.id + "-search";
    input.setAttribute("aria-controls", list.id);
    label.className = "label label--s";
    label.htmlFor = input.id;
    label.textContent = list.dataset.search;
    status.className = "hint";
    status.setAttribute("role", "status");
    wrapper.className = "list-search";
    wrapper.appendChild(label);
    wrapper.appendChild(input);
    wrapper.appendChild(status);
    list.parentNode.insertBefore(wrapper, list);
    input.addEventListener("input", function () {
      var wanted = normalise(input.value.trim());
      var shown = 0;
      itemsOf(list).forEach(function (item) {
        // What is chosen stays in view, so that no one unticks what they cannot see.
        var chosen = item.selected || (item.querySelector && item.querySelector(":checked"));
        var matches = !wanted || normalise(item.textContent).indexOf(wanted) !== -1 || chosen;
        item.hidden = !matches;
        if (matches) { shown += 1; }
      });
      status.textContent = wanted ? list.dataset.searchShown.replace("{count}", shown) : "";
    });
  }

  function fillFrom(select) {
    var targets = select.dataset.fills.split(" ");
    var filled = {};
    select.addEventListener("change", function () {
      var chosen = select.options[select.selectedIndex];
      targets.forEach(function (pair) {
        var parts = pair.split(":");
        var field = document.getElementById(parts[1]);
        var value = chosen.dataset[parts[0]];
        if (!field || value === undefined) { return; }
        if (field.multiple) {
          Array.prototype.forEach.call(field.options, function (option) {
            if (option.value === value) { option.selected = true; }
          });
          return;
        }
        if (field.value === "" || field.value === filled[parts[1]]) {
          field.value = value;
          filled[parts[1]] = value;
        }
      });
    });
  }

  // A people search refreshes its list from the page itself, as if its form had been sent,
  // and keeps the people already ticked at the top.
  function followSearch(form) {
    var listId = form.dataset.refreshes;
    var timer = null;
    var latest = 0;
    function refresh() {
      var list = document.getElementById(listId);
      var hint = document.getElementById(listId + "-hint");
      if (!list) { return; }
      var query = new URLSearchParams(new FormData(form)).toString();
      var asked = ++latest;
      fetch(window.location.pathname + "?" + query, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (html === null || asked !== latest) { return; }
          var page = new DOMParser().parseFromString(html, "text/html");
          var found = page.getElementById(listId);
          var foundHint = page.getElementById(listId + "-hint");
          if (!found) { return; }
          var kept = {};
          Array.prototype.forEach.call(list.querySelectorAll("[data-search-item]"), function (item) {
            var input = item.querySelector("input");
            if (input && input.checked) { kept[input.value] = true; } else { item.remove(); }
          });
          Array.prototype.forEach.call(found.querySelectorAll("[data-search-item]"), function (item) {
            var input = item.querySelector("input");
            if (input && !kept[input.value]) { list.appendChild(document.importNode(item, true)); }
          });
          if (hint && foundHint) { hint.textContent = foundHint.textContent; }
        });
    }
    form.addEventListener("submit", function (event) { event.preventDefault(); refresh(); });
    form.querySelector("input[type=search]").addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 250);
    });
  }

  document.querySelectorAll("[data-search]").forEach(addSearch);
  document.querySelectorAll("form[data-refreshes]").forEach(followSearch);
  document.querySelectorAll("select[data-fills]").forEach(fillFrom);
})();
