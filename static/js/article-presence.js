// Keeps this editor's soft lock on the story alive and shows who else has it open.
(function () {
  "use strict";
  var box = document.getElementById("presence");
  if (!box || !box.dataset.url) { return; }
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");
  function beat() {
    fetch(box.dataset.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "" }
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (!data) { return; }
      box.textContent = data.others.length ?
        "Also open by: " + data.others.map(function (o) { return o.name + " (since " + o.since + ")"; }).join(", ") +
        ". Save often; a clashing save will be stopped and shown side by side." : "";
    }).catch(function () { /* offline for a moment: the next beat tries again */ });
  }
  setInterval(beat, 15000);
})();
