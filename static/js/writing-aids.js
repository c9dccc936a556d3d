// Writing aids on the story form, live as the editor types: title lengths against what Google uses,
// lengths against each field's limit, and the body's word count and reading time counted as the server counts them.
(function () {
  "use strict";

  // Mirrors articles.sanitize.BLOCK_BOUNDARY: words on either side of a block are separate words.
  var BLOCK_BOUNDARY = /<\/?(?:p|br|hr|h[2-4]|ul|ol|li|blockquote|figure|figcaption|table|caption|t[rdh])\b[^>]*>/gi;

  function aidFor(field) {
    var aid = document.createElement("div");
    aid.className = "help writing-aid";
    aid.id = field.id + "_aid";
    aid.setAttribute("aria-live", "polite");
    var row = field.closest(".form-row") || field.parentNode;
    (row.firstElementChild || row).appendChild(aid);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + aid.id);
    return aid;
  }

  function show(aid, text, over) {
    aid.textContent = text;
    aid.classList.toggle("writing-aid--over", over);
  }

  function characters(text) {
    return Array.from(text).length;  // as Python's len(): an emoji is one character, not two
  }

  function watchTitle(field) {
    var aid = aidFor(field);
    var shown = Number(field.dataset.titleShown);
    var most = Number(field.dataset.headlineMax);
    function update() {
      var n = characters(field.value.trim());
      if (n > most) {
        show(aid, n + " characters: over " + most + ": too long for a NewsArticle headline", true);
      } else if (n > shown) {
        show(aid, n + " characters: over " + shown + ": Google cuts the title", true);
      } else {
        show(aid, n + " characters: fits Google's title (" + shown + ")", false);
      }
    }
    field.addEventListener("input", update);
    update();
  }

  function watchLength(field) {
    var aid = aidFor(field);
    var most = field.maxLength > 0 ? field.maxLength : null;
    function update() {
      var n = characters(field.value);
      show(aid, most ? n + " of " + most + " characters" : n + " characters", most !== null && n > most);
    }
    field.addEventListener("input", update);
    update();
  }

  function words(html) {
    var doc = new DOMParser().parseFromString(html.replace(BLOCK_BOUNDARY, " "), "text/html");
    doc.querySelectorAll("script, style").forEach(function (node) { node.remove(); });
    return (doc.body.textContent || "").split(/\s+/).filter(Boolean).length;
  }

  function watchBody(textarea) {
    var aid = aidFor(textarea);
    var perMinute = Number(textarea.dataset.wordsPerMinute);
    function count(html) {
      var n = words(html);
      var minutes = Math.max(1, Math.ceil(n / perMinute));
      show(aid, n + (n === 1 ? " word" : " words") + " · about " + minutes + " min read", false);
    }
    textarea.addEventListener("input", function () { count(textarea.value); });
    count(textarea.value);
    if (!window.CKEDITOR) { return; }
    function attach(editor) {
      if (editor.element.$ !== textarea) { return; }
      var update = function () { count(editor.getData()); };
      editor.on("change", update);
      // Typing in source mode fires no "change" until the mode switches back.
      editor.on("mode", function () {
        if (editor.mode === "source") { editor.editable().on("keyup", update); }
        update();
      });
      update();
    }
    Object.keys(CKEDITOR.instances).forEach(function (name) {
      var editor = CKEDITOR.instances[name];
      if (editor.status === "ready") { attach(editor); }
    });
    CKEDITOR.on("instanceReady", function (event) { attach(event.editor); });
  }

  document.querySelectorAll("[data-title-shown]").forEach(watchTitle);
  document.querySelectorAll("[data-count-length]").forEach(watchLength);
  document.querySelectorAll("textarea[data-words-per-minute]").forEach(watchBody);
})();
