// A live story's page keeps itself up to date: it asks the update endpoint what changed since the version
// it holds, every few seconds while the tab is visible and the coverage is open. New entries wait behind
// an "N new updates" button, so nothing moves under a reader; edits and deletions apply in place, the
// reader's position kept. Without JavaScript a reload shows everything.
(function () {
  "use strict";
  var live = document.querySelector("[data-live]");
  if (!live) return;
  var list = document.getElementById("live-entries");
  var button = live.querySelector(".live__new");
  var version = live.dataset.version;
  var seconds = Math.max(1, parseInt(live.dataset.pollSeconds, 10) || 10);
  var onFirstPage = !new URLSearchParams(window.location.search).has("at");
  var pending = [];
  var timer = null;
  var stopped = live.hasAttribute("data-ended");

  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  // Runs `change` without moving what the reader is looking at: the first entry still on screen stays put.
  function keepingPlace(change) {
    var anchor = null;
    var entries = list.querySelectorAll(".live-entry");
    for (var i = 0; i < entries.length; i++) {
      if (entries[i].getBoundingClientRect().bottom > 0) {
        anchor = entries[i];
        break;
      }
    }
    var before = anchor ? anchor.getBoundingClientRect().top : 0;
    change();
    if (anchor && anchor.isConnected) window.scrollBy(0, anchor.getBoundingClientRect().top - before);
  }

  function showButton() {
    if (!pending.length) {
      button.hidden = true;
      return;
    }
    button.textContent = pending.length === 1 ? "1 new update" : pending.length + " new updates";
    button.hidden = false;
  }

  function apply(answer) {
    version = answer.version;
    if (answer.reload) {
      button.textContent = "Many new updates: reload the page";
      button.hidden = false;
      button.dataset.reload = "";
    }
    keepingPlace(function () {
      answer.removed.forEach(function (id) {
        var shown = document.getElementById("entry-" + id);
        if (shown) shown.remove();
        pending = pending.filter(function (entry) { return entry.id !== "entry-" + id; });
      });
      answer.entries.forEach(function (item) {
        var entry = fragment(item.html);
        var shown = document.getElementById(entry.id);
        if (shown) {
          shown.replaceWith(entry);
        } else if (onFirstPage) {
          pending = pending.filter(function (waiting) { return waiting.id !== entry.id; });
          pending.push(entry);
        }
      });
      if (answer.key_events_html !== null) {
        document.getElementById("live-key-events").replaceWith(fragment(answer.key_events_html));
      }
      showButton();
    });
    if (answer.ended) {
      stopped = true;
      document.getElementById("live-status").textContent = "This live coverage has ended.";
    }
  }

  function poll() {
    timer = null;
    if (stopped || document.hidden) return;
    var url = live.dataset.updatesUrl + "?since=" + encodeURIComponent(version);
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) { if (answer) apply(answer); })
      .catch(function () {})
      .then(schedule);
  }

  function schedule() {
    if (!stopped && !document.hidden && timer === null) timer = window.setTimeout(poll, seconds * 1000);
  }

  button.addEventListener("click", function () {
    if ("reload" in button.dataset) {
      window.location.reload();
      return;
    }
    var newest = pending.slice().sort(function (a, b) {
      return b.querySelector("time").dateTime.localeCompare(a.querySelector("time").dateTime);
    });
    var empty = list.querySelector(".live__empty");
    if (empty) empty.remove();
    for (var i = newest.length - 1; i >= 0; i--) list.prepend(newest[i]);
    pending = [];
    showButton();
    if (newest.length) newest[0].focus();
  });

  // "Show earlier updates": the older page's entries are added below, where the reader already is.
  live.addEventListener("click", function (event) {
    var link = event.target.closest("[data-live-older]");
    if (!link) return;
    event.preventDefault();
    fetch(link.href.split("#")[0])
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        page.querySelectorAll("#live-entries .live-entry").forEach(function (entry) {
          if (!document.getElementById(entry.id)) list.append(document.adoptNode(entry));
        });
        var older = page.querySelector("[data-live-older]");
        if (older) link.href = older.getAttribute("href");
        else link.parentElement.remove();
      })
      .catch(function () { window.location.href = link.href; });
  });

  // A permalink to an entry not on this page opens the page that starts at it.
  function followPermalink() {
    var match = /^#entry-(\d+)$/.exec(window.location.hash);
    if (match && !document.getElementById("entry-" + match[1])) {
      window.location.replace("?at=" + match[1] + window.location.hash);
    }
  }
  window.addEventListener("hashchange", followPermalink);
  followPermalink();

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      window.clearTimeout(timer);
      timer = null;
    } else {
      poll();
    }
  });
  schedule();
})();
