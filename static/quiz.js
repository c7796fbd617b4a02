// Progressive enhancement for the quiz page: count answered questions and keep unsent
// answers in this browser, so a closed tab or a lost connection loses nothing.
// The page works fully without this file.
(function () {
  "use strict";
  var form = document.getElementById("quiz-form");
  var results = document.querySelector("[data-clear-storage]");
  if (results) {
    try { window.localStorage.removeItem(results.getAttribute("data-clear-storage")); } catch (e) { /* storage off */ }
  }
  if (!form) { return; }
  var key = form.getAttribute("data-storage-key");
  var progress = document.getElementById("progress");
  var questions = form.querySelectorAll("[data-question]");

  function answered(q) {
    var fields = q.querySelectorAll("input, select");
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      if ((f.type === "radio" || f.type === "checkbox") ? f.checked : f.value.trim() !== "") { return true; }
    }
    return false;
  }

  function update() {
    var n = 0;
    for (var i = 0; i < questions.length; i++) { if (answered(questions[i])) { n++; } }
    progress.textContent = "Answered " + n + " of " + questions.length;
  }

  // A ticked option is kept by its label's text: option values differ on every quiz page (so
  // they cannot give the key away), and a reload is a new page.
  function remembered(f) {
    return f.labels && f.labels.length ? "text:" + f.labels[0].textContent.trim() : f.value;
  }

  function save() {
    var data = {};
    var fields = form.querySelectorAll("[name^='q-']");
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      if ((f.type === "radio" || f.type === "checkbox")) {
        if (f.checked) { (data[f.name] = data[f.name] || []).push(remembered(f)); }
      } else if (f.value) { data[f.name] = [f.value]; }
    }
    try { window.localStorage.setItem(key, JSON.stringify(data)); } catch (e) { /* storage off */ }
  }

  function restore() {
    var anyGiven = false;
    for (var i = 0; i < questions.length; i++) { if (answered(questions[i])) { anyGiven = true; } }
    if (anyGiven) { return; } // the server sent answers back: they win
    var data;
    try { data = JSON.parse(window.localStorage.getItem(key) || "{}"); } catch (e) { return; }
    Object.keys(data).forEach(function (name) {
      var fields = form.querySelectorAll("[name='" + name.replace(/'/g, "") + "']");
      for (var i = 0; i < fields.length; i++) {
        var f = fields[i];
        if (f.type === "radio" || f.type === "checkbox") { f.checked = data[name].indexOf(remembered(f)) !== -1; }
        else { f.value = data[name][0]; }
      }
    });
  }

  // Double clicks: the second click is ignored; the server also stores one attempt per page.
  form.addEventListener("submit", function () {
    var button = form.querySelector("button[type=submit]");
    window.setTimeout(function () { button.disabled = true; }, 0);
  });
  form.addEventListener("change", function () { update(); save(); });
  form.addEventListener("input", function () { update(); save(); });
  restore();
  update();
}());
