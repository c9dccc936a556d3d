// Keeps the story form's copy on the server while someone types, offers it back, and guards unsaved changes.
(function () {
  "use strict";
  var box = document.getElementById("autosave");
  var form = box && box.closest("form");
  if (!box || !form) { return; }
  var quietMs = parseInt(box.dataset.quietMs, 10) || 15000;
  var status = box.querySelector(".autosave__status");
  var dirty = false;    // changed since the page opened: leaving asks first
  var unsent = false;   // changed since the copy was last sent
  var saving = false;   // the form is being submitted: its copy goes into the story itself
  var timer = null;

  function bodyEditor() { return window.CKEDITOR && window.CKEDITOR.instances.id_body; }

  function withBodyEditor(attach) {
    if (!window.CKEDITOR) { return; }
    var editor = bodyEditor();
    if (editor && editor.status === "ready") { attach(editor); return; }
    window.CKEDITOR.on("instanceReady", function (event) {
      if (event.editor.name === "id_body") { attach(event.editor); }
    });
  }

  function copy() {
    var editor = bodyEditor();
    if (editor) { editor.updateElement(); }
    return new FormData(form);
  }

  function send() {
    timer = null;
    if (!unsent || saving) { return; }
    unsent = false;
    fetch(box.dataset.url, { method: "POST", credentials: "same-origin", body: copy() })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data) {
          status.textContent = "Unsaved changes kept for you at " + data.saved_at + ". Save to put them in the story.";
        } else {
          unsent = true;
        }
      })
      .catch(function () { unsent = true; });  // offline for a moment: the next change tries again
  }

  function changed() {
    dirty = true;
    unsent = true;
    if (!timer) { timer = setTimeout(send, quietMs); }
  }

  function sendNow() {
    if (!unsent || saving) { return; }
    unsent = false;
    clearTimeout(timer);
    timer = null;
    navigator.sendBeacon(box.dataset.url, copy());  // carries csrfmiddlewaretoken: a beacon sends no headers
  }

  function saveAndContinue() {
    var button = form.querySelector("input[name=_continue]");
    if (button) { button.click(); }
  }

  function keepKey(key) {
    // The add page's address names its copy, so reopening it (or the desk's link) finds the copy again.
    var address = new URL(window.location.href);
    address.searchParams.set("autosave", key);
    window.history.replaceState(window.history.state, "", address);
  }

  function fill(data, labels) {
    Array.prototype.forEach.call(form.elements, function (field) {
      var name = field.name;
      if (!name || name === "csrfmiddlewaretoken" || name === "base_version" || name.indexOf("initial-") === 0 ||
          /_FORMS$/.test(name) || field.type === "file" || field.type === "submit" || field.type === "button") {
        return;
      }
      var values = data[name] || [];
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = values.indexOf(field.value) !== -1;
      } else if (field.tagName === "SELECT") {
        values.forEach(function (value) {
          var known = Array.prototype.some.call(field.options, function (o) { return o.value === value; });
          if (!known) { field.add(new Option((labels[name] || {})[value] || value, value)); }
        });
        Array.prototype.forEach.call(field.options, function (o) { o.selected = values.indexOf(o.value) !== -1; });
        if (window.django && window.django.jQuery) { window.django.jQuery(field).trigger("change.select2"); }
      } else if (name in data) {
        field.value = values[0];
      }
    });
    var editor = bodyEditor();
    if (editor && data.body) {
      // An editor still loading would read its textarea afresh when ready and drop what was set before.
      if (editor.status === "ready") { editor.setData(data.body[0]); }
      else { editor.once("instanceReady", function () { editor.setData(data.body[0]); }); }
    }
  }

  var offered = document.getElementById("autosave-data");
  var restore = box.querySelector(".autosave__restore");
  if (offered && restore) {
    restore.hidden = false;
    restore.addEventListener("click", function () {
      var offer = JSON.parse(offered.textContent);
      fill(offer.data, offer.labels);
      if (offer.base_version !== null && form.elements.base_version) {
        // Saved against the version it was typed on: if the story moved on, the save shows the conflict.
        form.elements.base_version.value = offer.base_version;
      }
      if (offer.url) {
        box.dataset.url = offer.url;
        keepKey(offer.key);
      }
      document.getElementById("autosave-offer").hidden = true;
      status.textContent = "Your unsaved changes are back in the form. Save to put them in the story.";
      changed();
    });
  }
  var discard = box.querySelector(".autosave__discard");
  if (discard) {
    discard.hidden = false;
    discard.addEventListener("click", function () {
      // A form of its own: inside the story's form, Enter in a field would press it.
      var post = document.createElement("form");
      post.method = "post";
      post.action = discard.dataset.url;
      post.appendChild(form.elements.csrfmiddlewaretoken.cloneNode());
      document.body.appendChild(post);
      saving = true;
      post.submit();
    });
  }
  if (box.dataset.key) { keepKey(box.dataset.key); }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  if (window.django && window.django.jQuery) { window.django.jQuery(form).on("select2:select select2:unselect", changed); }
  form.addEventListener("submit", function () {
    saving = true;
    clearTimeout(timer);
  });
  withBodyEditor(function (editor) {
    editor.on("change", changed);
    editor.on("key", function (event) {
      // CKEditor reports Cmd as CTRL on a Mac; cancelling stops the browser's own "save page".
      if (event.data.keyCode === window.CKEDITOR.CTRL + 83) {
        event.cancel();
        saveAndContinue();
      }
    });
  });
  document.addEventListener("keydown", function (event) {
    if ((event.key === "s" || event.key === "S") && (event.ctrlKey || event.metaKey) && !event.altKey) {
      event.preventDefault();
      saveAndContinue();
    }
  });
  window.addEventListener("pagehide", sendNow);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { sendNow(); }
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty && !saving) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
