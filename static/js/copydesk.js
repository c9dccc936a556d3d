// The Copy desk panel on the story form: the server's findings in the headline, standfirst and body as they
// stand in the form, checked again a moment after each change; Fix puts a suggestion in its field (CKEditor
// included), Ignore sets a finding aside for this story. The checks run on the server only
// (articles/copydesk/): this file shows them.
(function () {
  "use strict";
  var panel = document.getElementById("copydesk");
  var form = panel && panel.closest("form");
  if (!panel || !form) { return; }
  var QUIET_MS = 600;
  var quietMs = QUIET_MS;  // a very long story takes longer to check: wait twice the last check's time
  var status = panel.querySelector(".copydesk__status");
  var list = panel.querySelector(".copydesk__findings");
  var ignoredBox = panel.querySelector(".copydesk__ignored");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var timer = null;
  var asked = 0;      // checks sent, so an old answer never overwrites a newer one
  var labels = {};
  var names = { headline: "Headline", standfirst: "Standfirst", body: "Body" };

  function bodyEditor() { return window.CKEDITOR && window.CKEDITOR.instances.id_body; }

  function current(field) {
    if (field === "body") {
      var editor = bodyEditor();
      if (editor && editor.status === "ready") { return editor.getData(); }
    }
    var input = document.getElementById("id_" + field);
    return input ? input.value : "";
  }

  // The server counts characters as Python does (an emoji is one); JavaScript strings count UTF-16 units.
  function unitIndex(text, characters) {
    var index = 0;
    for (var n = 0; n < characters && index < text.length; n++) {
      var code = text.charCodeAt(index);
      index += code >= 0xd800 && code <= 0xdbff && index + 1 < text.length ? 2 : 1;
    }
    return index;
  }

  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function post(url, fields) {
    var data = new URLSearchParams(fields);
    data.set("csrfmiddlewaretoken", token);
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token },
      body: data,
    }).then(function (response) {
      if (!response.ok) { throw new Error(response.status + " " + response.statusText); }
      return response.json();
    });
  }

  function check() {
    timer = null;
    var number = ++asked;
    var started = Date.now();
    var copy = { headline: current("headline"), standfirst: current("standfirst"), body: current("body") };
    post(panel.dataset.url, copy)
      .then(function (answer) {
        if (number !== asked) { return; }
        quietMs = Math.max(QUIET_MS, 2 * (Date.now() - started));
        labels = answer.labels;
        show(answer.findings, answer.open);
      })
      .catch(function (error) {
        if (number === asked) { status.textContent = "The copy desk could not check the copy (" + error.message + "). It tries again as you type."; }
      });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(check, quietMs);
  }

  function button(text, onClick) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "button copydesk__" + text.toLowerCase();
    element.textContent = text;
    element.addEventListener("click", onClick);
    return element;
  }

  function visible(text, finding) {
    return finding.check === "spacing" ? text.replace(/[ \u00a0]/g, "␣") : text;  // a space to see
  }

  function describe(finding) {
    var item = document.createElement("li");
    item.className = "copydesk__finding copydesk__finding--" + finding.check;
    var what = document.createElement("strong");
    what.textContent = names[finding.field] + " · " + (labels[finding.check] || finding.check) + ": ";
    item.appendChild(what);
    item.appendChild(document.createTextNode(finding.message + " "));
    var quote = document.createElement("q");
    quote.className = "copydesk__context";
    quote.appendChild(document.createTextNode((finding.before.length > 25 ? "…" : "") + finding.before.slice(-25)));
    var mark = document.createElement("mark");
    var shown = finding.shown.length > 120 ? finding.shown.slice(0, 60) + " … " + finding.shown.slice(-40) : finding.shown;
    mark.textContent = visible(shown, finding);
    item.appendChild(quote);
    quote.appendChild(mark);
    quote.appendChild(document.createTextNode(finding.after.slice(0, 25) + (finding.after.length > 25 ? "…" : "")));
    if (finding.suggestion !== null) {
      var suggestion = document.createElement("span");
      suggestion.className = "copydesk__suggestion";
      suggestion.textContent = " → “" + visible(finding.suggestion, finding) + "” ";
      item.appendChild(suggestion);
    }
    var actions = document.createElement("span");
    actions.className = "copydesk__actions";
    if (finding.ignored) {
      actions.appendChild(button("Restore", function () { setAside(finding, true); }));
    } else {
      if (finding.suggestion !== null) { actions.appendChild(button("Fix", function () { fix(finding); })); }
      if (panel.dataset.ignoreUrl) { actions.appendChild(button("Ignore", function () { setAside(finding, false); })); }
    }
    item.appendChild(actions);
    return item;
  }

  function show(findings, open) {
    list.replaceChildren();
    var ignored = ignoredBox.querySelector("ol");
    ignored.replaceChildren();
    findings.forEach(function (finding) {
      (finding.ignored ? ignored : list).appendChild(describe(finding));
    });
    var setAsideCount = findings.length - open;
    ignoredBox.hidden = setAsideCount === 0;
    ignoredBox.querySelector(".copydesk__ignored-count").textContent = setAsideCount;
    status.textContent = open === 0 ? "No findings: the copy reads as the house writes it." :
      open + (open === 1 ? " finding" : " findings") + " in the copy.";
  }

  function fix(finding) {
    var text = current(finding.field);
    var start = unitIndex(text, finding.start);
    var end = unitIndex(text, finding.end);
    if (text.slice(start, end) !== finding.text) {
      status.textContent = "The copy changed since it was checked: checking again.";
      check();
      return;
    }
    if (finding.field === "body" && bodyEditor() && bodyEditor().status === "ready") {
      var editor = bodyEditor();
      editor.fire("saveSnapshot");  // Ctrl+Z takes the fix back
      editor.setData(text.slice(0, start) + escapeHtml(finding.suggestion) + text.slice(end), {
        callback: function () {
          editor.fire("saveSnapshot");
          editor.fire("change");  // autosave and the word count follow the editor's changes
          check();
        },
      });
      return;
    }
    var input = document.getElementById("id_" + finding.field);
    input.value = text.slice(0, start) + finding.suggestion + text.slice(end);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    check();
  }

  function setAside(finding, restore) {
    var fields = { check: finding.check, text: finding.text };
    if (restore) { fields.restore = "1"; }
    post(panel.dataset.ignoreUrl, fields).then(check).catch(function (error) {
      status.textContent = "Could not " + (restore ? "restore" : "ignore") + " the finding (" + error.message + ").";
    });
  }

  ["id_headline", "id_standfirst", "id_body"].forEach(function (id) {
    var field = document.getElementById(id);
    if (field) { field.addEventListener("input", later); }
  });
  function attach(editor) {
    if (editor.name !== "id_body") { return; }
    editor.on("change", later);
    editor.on("mode", function () {
      if (editor.mode === "source") { editor.editable().on("keyup", later); }
      later();
    });
    check();
  }
  if (window.CKEDITOR) {
    var editor = bodyEditor();
    if (editor && editor.status === "ready") { attach(editor); } else {
      window.CKEDITOR.on("instanceReady", function (event) { attach(event.editor); });
    }
  }
  check();
})();
