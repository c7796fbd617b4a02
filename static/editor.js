// Progressive enhancement for the set editor and the question form. The pages work fully
// without this file: every list button submits the form and the server redraws it.
//  - Lists of rows (options, statements, items, answers): add, remove and move rows in
//    place, renumbering their names (options-N-text), ids, labels and buttons exactly as the
//    server numbers them, so the form sends what the no-JavaScript page would.
//  - The numbered article: a paragraph's number opens a select that marks the paragraph as
//    a headline, caption or page furniture, written into the typed marks field.
// Changes are announced in the page's aria-live region (#editor-status).
(function () {
  "use strict";
  var status = document.getElementById("editor-status");

  function say(text) {
    if (!status) { return; }
    // Emptied first, so that the same words twice in a row are announced twice.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function capital(text) { return text.charAt(0).toUpperCase() + text.slice(1); }

  // --- lists of rows -------------------------------------------------------------------------

  var ACTION = /^(add|remove|up|down)-([a-z_]+)(?:-([0-9]+))?$/;
  var NUMBERED = ["name", "id", "for", "aria-describedby", "aria-controls"];

  function rowsOf(list) {
    return Array.prototype.filter.call(list.children, function (child) {
      return child.classList.contains("list-row");
    });
  }

  function firstField(row) {
    return row.querySelector("input:not([type=hidden]), textarea, select");
  }

  // Number the rows 0, 1, 2 ... in page order, as the server reads them, and show only the
  // buttons that apply (the server draws the same ones).
  function renumber(list) {
    var name = list.getAttribute("data-list");
    var min = parseInt(list.getAttribute("data-min"), 10) || 0;
    var max = parseInt(list.getAttribute("data-max"), 10) || 0;
    var field = new RegExp("(^|\\s)" + name + "-[0-9]+-", "g");
    var button = new RegExp("^(up|down|remove)-" + name + "-[0-9]+$");
    var rows = rowsOf(list);
    rows.forEach(function (row, i) {
      row.querySelectorAll("*").forEach(function (el) {
        NUMBERED.forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value) { el.setAttribute(attr, value.replace(field, "$1" + name + "-" + i + "-")); }
        });
        if (el.tagName === "BUTTON" && button.test(el.value)) {
          el.value = el.value.replace(/-[0-9]+$/, "-" + i);
        }
      });
      row.querySelectorAll("[data-row-number]").forEach(function (el) { el.textContent = i + 1; });
      row.querySelector("[data-move=up]").hidden = i === 0;
      row.querySelector("[data-move=down]").hidden = i === rows.length - 1;
      row.querySelector("[data-remove]").hidden = rows.length <= min;
    });
    list.querySelector("[data-none]").hidden = rows.length > 0;
    list.querySelector("[data-add]").hidden = max > 0 && rows.length >= max;
    return rows;
  }

  function act(list, verb, row) {
    var noun = list.getAttribute("data-noun");
    var rows = rowsOf(list);
    var i = rows.indexOf(row);
    if (verb === "add") {
      var template = list.querySelector("template[data-row-template]");
      var added = template.content.firstElementChild.cloneNode(true);
      list.insertBefore(added, list.querySelector("[data-none]"));
      rows = renumber(list);
      firstField(added).focus();
      say(capital(noun) + " " + rows.length + " added.");
    } else if (verb === "remove") {
      row.remove();
      rows = renumber(list);
      var next = rows[Math.min(i, rows.length - 1)];
      (next ? firstField(next) : list.querySelector("[data-add]")).focus();
      say(capital(noun) + " " + (i + 1) + " removed; " + rows.length + " left.");
    } else {
      var other = rows[verb === "up" ? i - 1 : i + 1];
      if (!other) { return; }
      list.insertBefore(verb === "up" ? row : other, verb === "up" ? other : row);
      renumber(list);
      var same = row.querySelector("[data-move=" + verb + "]");
      (same.hidden ? row.querySelector("[data-move=" + (verb === "up" ? "down" : "up") + "]")
        : same).focus();
      say(capital(noun) + " moved to place " + (i + (verb === "up" ? 0 : 2)) + ".");
    }
  }

  document.querySelectorAll("fieldset[data-list]").forEach(function (list) {
    if (!list.querySelector("template[data-row-template]")) { return; }
    list.addEventListener("click", function (event) {
      var button = event.target.closest("button[value]");
      var match = button && ACTION.exec(button.value);
      if (!match || match[2] !== list.getAttribute("data-list")) { return; }
      // A button of a list inside this one's rows belongs to that list.
      if (button.closest("fieldset[data-list]") !== list) { return; }
      event.preventDefault();
      act(list, match[1], button.closest(".list-row"));
    });
  });

  // --- marking paragraphs on the article -----------------------------------------------------

  var MARK = /([0-9]{1,6})\s*:\s*(headline|caption|furniture)/g;
  var KINDS = [["", "prose (not marked)"], ["headline", "headline"], ["caption", "caption"],
               ["furniture", "page furniture"]];

  function readMarks(text) {
    var marks = {};
    var match;
    MARK.lastIndex = 0;
    while ((match = MARK.exec(text)) !== null) { marks[parseInt(match[1], 10)] = match[2]; }
    return marks;
  }

  function writeMarks(marks) {
    return Object.keys(marks).map(Number).sort(function (a, b) { return a - b; })
      .map(function (n) { return n + ": " + marks[n]; }).join(", ");
  }

  function markable(block, field) {
    var n = block.getAttribute("data-paragraph");
    var number = block.querySelector(".paragraph-number");
    var toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "paragraph-number paragraph-toggle";
    toggle.setAttribute("aria-expanded", "false");
    toggle.setAttribute("aria-controls", "mark-" + n);
    toggle.textContent = number.textContent;
    var more = document.createElement("span");
    more.className = "visually-hidden";
    more.textContent = ": mark paragraph " + n;
    toggle.appendChild(more);
    number.replaceWith(toggle);

    var panel = document.createElement("div");
    panel.id = "mark-" + n;
    panel.className = "paragraph-mark";
    panel.hidden = true;
    var label = document.createElement("label");
    label.htmlFor = "mark-select-" + n;
    label.textContent = "Paragraph " + n + " is ";
    var select = document.createElement("select");
    select.id = "mark-select-" + n;
    select.className = "form-select form-select-sm";
    KINDS.forEach(function (kind) { select.add(new Option(kind[1], kind[0])); });
    panel.append(label, select);
    toggle.after(panel);

    toggle.addEventListener("click", function () {
      var open = panel.hidden;
      panel.hidden = !open;
      toggle.setAttribute("aria-expanded", String(open));
      if (open) {
        select.value = readMarks(field.value)[n] || "";
        select.focus();
      }
    });
    select.addEventListener("change", function () {
      var marks = readMarks(field.value);
      if (select.value) { marks[n] = select.value; } else { delete marks[n]; }
      field.value = writeMarks(marks);
      say("Paragraph " + n + (select.value ? " marked as " + select.options[select.selectedIndex].text
        : " not marked") + ". Captions and page furniture now read: " + (field.value || "none") +
        ". Save to apply.");
    });
  }

  var article = document.querySelector("[data-mark-article]");
  var marksField = document.getElementById("marks");
  if (article && marksField) {
    article.querySelector("[data-mark-hint]").hidden = false;
    article.querySelectorAll("[data-paragraph]").forEach(function (block) {
      markable(block, marksField);
    });
  }
}());
