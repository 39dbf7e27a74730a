// Personal agenda in the browser for anonymous visitors: stars kept in localStorage, and
// merged into the account (a small JSON call with the CSRF token) once the person signs in.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var key = "gelar-stars-" + script.dataset.event;
  function load() {
    try { return JSON.parse(localStorage.getItem(key) || "[]").map(Number).filter(Boolean); } catch (e) { return []; }
  }
  function save(ids) { localStorage.setItem(key, JSON.stringify(ids)); }
  if (script.dataset.signedIn === "true") {
    var kept = load();
    if (!kept.length || !script.dataset.mergeUrl || !window.fetch) { return; }
    fetch(script.dataset.mergeUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": script.dataset.csrf || "" },
      body: JSON.stringify({ ids: kept })
    }).then(function (response) {
      if (!response.ok) { return null; }
      return response.json();
    }).then(function (answer) {
      if (!answer) { return; }
      localStorage.removeItem(key);
      if (answer.added > 0) { location.reload(); }
    }).catch(function () { /* kept on the device; tried again on the next page */ });
    return;
  }
  function paint() {
    var ids = load();
    document.querySelectorAll("button.sym-star").forEach(function (button) {
      var on = ids.indexOf(Number(button.dataset.session)) !== -1;
      button.setAttribute("aria-pressed", on ? "true" : "false");
      var label = on ? button.dataset.labelOn : button.dataset.labelOff;
      button.textContent = label || (on ? "\u2605" : "\u2606");
    });
    var link = document.getElementById("sym-my-ics");
    if (link) { link.href = script.dataset.icsUrl + "?s=" + ids.join(","); }
  }
  document.querySelectorAll("form.sym-star-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var id = Number(form.querySelector("button.sym-star").dataset.session);
      var ids = load();
      var at = ids.indexOf(id);
      if (at === -1) { ids.push(id); } else { ids.splice(at, 1); }
      save(ids);
      paint();
    });
  });
  if (script.dataset.page === "my" && !/[?&]s=/.test(location.search) && load().length) {
    location.replace(script.dataset.myUrl + "?s=" + load().join(","));
    return;
  }
  paint();
})();
