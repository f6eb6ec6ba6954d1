"use strict";
(function () {
  const RANK = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };
  const cards = Array.from(document.querySelectorAll("article.finding"));
  const byRule = document.getElementById("by-rule");
  const byObject = document.getElementById("by-object");
  const shown = document.getElementById("shown");
  const search = document.getElementById("search");
  const family = document.getElementById("family");
  const namespace = document.getElementById("namespace");
  const sort = document.getElementById("sort");
  const view = document.getElementById("view");
  const suppressed = document.getElementById("show-suppressed");
  const severities = Array.from(document.querySelectorAll("input[name=severity]"));
  const ruleHome = new Map();
  cards.forEach(function (card) { ruleHome.set(card, card.parentElement); });
  const objectGroups = new Map();

  function objectGroup(card) {
    const key = card.dataset.object;
    let group = objectGroups.get(key);
    if (!group) {
      group = document.createElement("section");
      group.className = "group";
      group.dataset.group = key;
      const h = document.createElement("h3");
      const name = document.createElement("span");
      name.textContent = key;
      const file = document.createElement("span");
      file.className = "where";
      file.textContent = "  " + card.dataset.file;
      const count = document.createElement("span");
      count.className = "count";
      h.append(name, file, count);
      const list = document.createElement("div");
      list.className = "list";
      group.append(h, list);
      objectGroups.set(key, group);
    }
    return group;
  }

  function compare(a, b) {
    const key = sort.value;
    const sev = RANK[b.dataset.severity] - RANK[a.dataset.severity];
    const loc = a.dataset.file.localeCompare(b.dataset.file) || Number(a.dataset.line) - Number(b.dataset.line);
    if (key === "file") return loc || sev;
    if (key === "rule") return a.dataset.rule.localeCompare(b.dataset.rule) || loc;
    if (key === "object") return a.dataset.object.localeCompare(b.dataset.object) || sev || loc;
    return sev || loc;
  }

  function matches(card) {
    const d = card.dataset;
    if (d.suppressed === "true" && !suppressed.checked) return false;
    if (!severities.some(function (s) { return s.checked && s.value === d.severity; })) return false;
    if (family.value && d.family !== family.value) return false;
    if (namespace.value && d.namespace !== namespace.value) return false;
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    return words.every(function (w) { return d.search.indexOf(w) !== -1; });
  }

  // Moving cards is the costly part: done only when the order or the grouping changes, not per keystroke.
  function arrange() {
    const ordered = cards.slice().sort(compare);
    const objects = view.value === "object";
    byRule.hidden = objects;
    byObject.hidden = !objects;
    if (objects) {
      const groups = [];
      ordered.forEach(function (card) {
        const group = objectGroup(card);
        if (groups.indexOf(group) === -1) groups.push(group);
        group.querySelector(".list").append(card);
      });
      groups.forEach(function (g) { byObject.append(g); });
    } else {
      ordered.forEach(function (card) { ruleHome.get(card).append(card); });
    }
    filter();
  }

  function filter() {
    let count = 0;
    cards.forEach(function (card) {
      card.hidden = !matches(card);
      if (!card.hidden) count += 1;
    });
    document.querySelectorAll("section.group").forEach(function (group) {
      const visible = group.querySelectorAll("article.finding:not([hidden])").length;
      group.hidden = visible === 0;
      const c = group.querySelector(".count");
      if (c) c.textContent = " (" + visible + ")";
    });
    shown.textContent = "Showing " + count + " of " + cards.length + " findings";
  }

  [sort, view].forEach(function (el) { el.addEventListener("change", arrange); });
  [family, namespace, suppressed].concat(severities).forEach(function (el) { el.addEventListener("change", filter); });
  search.addEventListener("input", filter);
  const opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) { d.open = true; opened.push(d); });
  });
  window.addEventListener("afterprint", function () {
    while (opened.length) opened.pop().open = false;
  });
  // The page comes sorted by severity and grouped by rule; a browser may restore other choices.
  if (sort.value !== "severity" || view.value !== "rule") arrange(); else filter();
  document.body.dataset.ready = "true";
})();
