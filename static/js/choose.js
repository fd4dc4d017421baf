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

  document.querySelectorAll("[data-search]").forEach(addSearch);
  document.querySelectorAll("select[data-fills]").forEach(fillFrom);
})();
