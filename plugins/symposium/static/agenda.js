// Personal agenda in the browser for anonymous visitors: stars kept in localStorage.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || script.dataset.signedIn === "true") { return; }
  var key = "gelar-stars-" + script.dataset.event;
  function load() {
    try { return JSON.parse(localStorage.getItem(key) || "[]").map(Number); } catch (e) { return []; }
  }
  function save(ids) { localStorage.setItem(key, JSON.stringify(ids)); }
  function paint() {
    var ids = load();
    document.querySelectorAll("button.sym-star").forEach(function (button) {
      var on = ids.indexOf(Number(button.dataset.session)) !== -1;
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on ? "\u2605" : "\u2606";
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
