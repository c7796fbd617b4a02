// Progressive enhancement for the quiz and results pages. Both pages work fully without
// this file: links to "#article" and "#s-N" switch panes by :target, evidence is ticked in
// the compact checkboxes, and results mark evidence through "?q=N".
// With it: the quiz page counts answered questions, keeps unsent answers in this browser,
// lets the article's sentences answer the evidence question being worked on, and switches
// between the article and the questions keeping the place in each; the results page marks
// the evidence of the question opened, in place.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var wide = window.matchMedia("(min-width: 992px)");

  function sentenceNumber(el) { return el.id.replace(/^s-/, ""); }

  // A "Back to ..." control returns to where a jump to the article started.
  function backControl(link, onBack) {
    var origin = null;
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var back = origin;
      link.hidden = true;
      origin = null;
      if (back) { onBack(back); }
    });
    return function (from, label) {
      origin = from;
      if (from) { link.textContent = label; }
      link.hidden = !from;
    };
  }

  function pointAt(sentence) {
    var pointed = document.querySelectorAll(".sentence.is-pointed");
    for (var i = 0; i < pointed.length; i++) { pointed[i].classList.remove("is-pointed"); }
    sentence.classList.add("is-pointed");
    sentence.scrollIntoView({ block: "center" });
    if (!sentence.hasAttribute("tabindex")) { sentence.setAttribute("tabindex", "-1"); }
    sentence.focus({ preventScroll: true });
  }

  function questionLabel(from) {
    var q = from.closest("[data-number]");
    return q ? "Back to question " + q.getAttribute("data-number") : "Back";
  }

  // --- results ---------------------------------------------------------------------------
  var results = document.querySelector("[data-clear-storage]");
  if (results) {
    try { window.localStorage.removeItem(results.getAttribute("data-clear-storage")); } catch (e) { /* storage off */ }
    resultsPage();
  }

  function resultsPage() {
    var pane = document.querySelector(".article-pane");
    var status = document.getElementById("evidence-status");
    var rows = document.querySelectorAll("details.result-question");
    if (!pane || !status) { return; }
    var backLink = document.createElement("a");
    backLink.href = "#score";
    backLink.className = "btn btn-primary back-to-question";
    backLink.hidden = true;
    document.body.appendChild(backLink);
    var showBack = backControl(backLink, function (from) {
      from.scrollIntoView({ block: "center" });
      from.focus();
    });
    var server = pane.querySelectorAll("mark.sentence");
    for (var i = 0; i < server.length; i++) { server[i].classList.add("is-evidence"); }

    function mark(row) {
      var marked = pane.querySelectorAll(".is-evidence");
      for (var i = 0; i < marked.length; i++) { marked[i].classList.remove("is-evidence"); }
      if (!row) {
        status.textContent = "Open a question to mark the sentences that decide it.";
        return null;
      }
      var numbers = (row.getAttribute("data-evidence") || "").split(" ").filter(Boolean);
      var first = null;
      numbers.forEach(function (n) {
        var s = document.getElementById("s-" + n);
        if (s) { s.classList.add("is-evidence"); first = first || s; }
      });
      var which = "question " + row.getAttribute("data-number");
      status.textContent = numbers.length ? "Marked: the sentences that decide " + which + " (" +
        numbers.join(", ") + ")." : "No sentence of the article decides " + which + ".";
      if (first && wide.matches) {  // the pane scrolls beside the rows: show the first one
        pane.scrollTop += first.getBoundingClientRect().top - pane.getBoundingClientRect().top - 64;
      }
      return first;
    }

    Array.prototype.forEach.call(rows, function (row) {
      row.addEventListener("toggle", function () {
        if (row.open) { mark(row); } else if (!document.querySelector("details.result-question[open]")) { mark(null); }
      });
    });
    document.addEventListener("click", function (event) {
      var show = event.target.closest("a.show-evidence");
      var link = event.target.closest("a.sentence-link");
      if (show) {
        event.preventDefault();
        var row = show.closest("details.result-question");
        var first = mark(row);
        if (first) { pointAt(first); }
        showBack(show, questionLabel(show));
      } else if (link) {
        var target = document.getElementById(link.getAttribute("href").slice(1));
        if (!target) { return; }
        event.preventDefault();
        pointAt(target);
        showBack(link, questionLabel(link));
      }
    });
  }

  // --- the quiz page ---------------------------------------------------------------------
  var form = document.getElementById("quiz-form");
  if (!form) { return; }
  var key = form.getAttribute("data-storage-key");
  var progress = document.getElementById("progress");
  var questions = form.querySelectorAll("[data-question]");
  var layout = form.querySelector(".quiz-layout");
  var pane = form.querySelector(".article-pane");
  var tabs = form.querySelectorAll(".pane-tab");

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

  // The article or the questions (one at a time below 992 px), each keeping its place.
  var places = {};
  function view() { return layout.getAttribute("data-view"); }
  function setView(next) {
    var current = view();
    if (current !== next) {
      places[current] = window.scrollY;
      layout.setAttribute("data-view", next);
      if (!wide.matches) {
        window.scrollTo(0, places[next] !== undefined ? places[next]
          : window.scrollY + form.querySelector(".pane-tabs").getBoundingClientRect().top);
      }
    }
    for (var i = 0; i < tabs.length; i++) {
      tabs[i].setAttribute("aria-current", String(tabs[i].getAttribute("data-view") === next));
    }
  }
  var startInArticle = /^#(article|s-\d+)$/.test(window.location.hash);
  setView(startInArticle ? "article" : "questions");

  var backLink = form.querySelector(".quiz-bar-back");
  var showBack = backControl(backLink, function (from) {
    setView("questions");
    from.scrollIntoView({ block: "center" });
    from.focus();
  });

  // Evidence questions are answered in the article: its sentences tick the boxes of the
  // evidence question being worked on (the last one the student was in).
  var evidence = form.querySelectorAll("[data-question][data-type='evidence']");
  var sentences = pane.querySelectorAll(".sentence");
  var status = document.getElementById("pick-status");
  var active = null;

  function box(q, n) { return document.getElementById(q.id.replace(/^question-/, "q-") + "-" + n); }

  function refresh() {
    if (!active) { return; }
    var chosen = [];
    for (var i = 0; i < sentences.length; i++) {
      var n = sentenceNumber(sentences[i]);
      var b = box(active, n);
      var on = !!(b && b.checked);
      sentences[i].setAttribute("aria-pressed", String(on));
      if (on) { chosen.push(n); }
    }
    status.textContent = "Question " + active.getAttribute("data-number") +
      ": press a sentence to choose it, again to unchoose it. Chosen: " +
      (chosen.length ? chosen.join(", ") : "none") + ".";
  }

  function setActive(q) {
    if (active === q) { return; }
    if (active) { active.classList.remove("is-picking"); }
    active = q;
    active.classList.add("is-picking");
    refresh();
  }

  if (evidence.length) {
    pane.classList.add("picking");
    status.hidden = false;
    // One sentence is a Tab stop (the last one used); arrow keys move between them.
    for (var i = 0; i < sentences.length; i++) {
      sentences[i].setAttribute("role", "button");
      sentences[i].setAttribute("tabindex", i === 0 ? "0" : "-1");
    }
    pane.addEventListener("focusin", function (event) {
      if (!event.target.matches(".sentence[role='button']")) { return; }
      for (var i = 0; i < sentences.length; i++) {
        sentences[i].setAttribute("tabindex", sentences[i] === event.target ? "0" : "-1");
      }
    });
    Array.prototype.forEach.call(evidence, function (q) {
      var button = q.querySelector(".pick-in-article");
      button.hidden = false;
      button.addEventListener("click", function () {
        setActive(q);
        setView("article");
        var first = pane.querySelector(".sentence[aria-pressed='true']") || sentences[0];
        first.scrollIntoView({ block: "center" });
        first.focus({ preventScroll: true });
        showBack(button, "Back to question " + q.getAttribute("data-number"));
      });
      q.addEventListener("focusin", function () { setActive(q); });
    });
    setActive(evidence[0]);
    var toggle = function (sentence) {
      var b = box(active, sentenceNumber(sentence));
      if (!b) { return; }
      b.checked = !b.checked;
      b.dispatchEvent(new Event("change", { bubbles: true }));
    };
    pane.addEventListener("click", function (event) {
      var sentence = event.target.closest(".sentence[role='button']");
      if (sentence && !event.target.closest("a")) { toggle(sentence); }
    });
    pane.addEventListener("keydown", function (event) {
      var sentence = event.target.closest && event.target.closest(".sentence[role='button']");
      if (!sentence) { return; }
      var at = Array.prototype.indexOf.call(sentences, sentence);
      var to = { ArrowDown: at + 1, ArrowRight: at + 1, ArrowUp: at - 1, ArrowLeft: at - 1,
                 Home: 0, End: sentences.length - 1 }[event.key];
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();  // Space would scroll, Enter would send the form
        toggle(sentence);
      } else if (to !== undefined && sentences[to]) {
        event.preventDefault();
        sentences[to].focus();
        sentences[to].scrollIntoView({ block: "nearest" });
      }
    });
  }

  // Links to the article and to its sentences switch to it, and offer the way back.
  form.addEventListener("click", function (event) {
    var tab = event.target.closest("a[data-view]");
    var link = event.target.closest("a.sentence-link");
    if (tab) {
      event.preventDefault();
      setView(tab.getAttribute("data-view"));
      if (tab.getAttribute("data-view") === "article") { showBack(null); }
    } else if (link) {
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) { return; }
      event.preventDefault();
      var q = link.closest("[data-question]");
      if (q && q.getAttribute("data-type") === "evidence") { setActive(q); }
      setView("article");
      pointAt(target);
      showBack(link, questionLabel(link));
    }
  });

  // Double clicks: the second click is ignored; the server also stores one attempt per page.
  form.addEventListener("submit", function () {
    var button = form.querySelector("button[type=submit]");
    window.setTimeout(function () { button.disabled = true; }, 0);
  });
  form.addEventListener("change", function () { update(); save(); refresh(); });
  form.addEventListener("input", function () { update(); save(); });
  restore();
  update();
  refresh();
  // Back to a page the browser fills in again (the same page: see student.quiz) fills it
  // after this has run: count again once it has.
  window.addEventListener("pageshow", function () { update(); refresh(); });
  window.setTimeout(function () { update(); refresh(); }, 0);
}());
