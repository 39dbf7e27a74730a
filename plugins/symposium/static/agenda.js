// Stars on the agenda and the session pages.  The page itself is the same for everybody
// (cached); what is personal comes from its meta tags: the CSRF token, whether the visitor
// is signed in and, if so, their starred sessions.  Signed in, a star is toggled through one
// small JSON call; anonymous visitors keep their stars in localStorage, merged into the
// account (one JSON call) once they sign in.  The stars of the cards and the grid are
// hidden buttons this script shows; without JS the session page's star form works alone.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  function meta(name) {
    var found = document.querySelector('meta[name="' + name + '"]');
    return found ? found.getAttribute("content") || "" : "";
  }
  var csrf = meta("csrf-token");
  var signedIn = meta("gelar-signed-in") === "true";
  var server = meta("gelar-stars").split(",").map(Number).filter(Boolean);
  var key = "gelar-stars-" + script.dataset.event;
  function load() {
    try { return JSON.parse(localStorage.getItem(key) || "[]").map(Number).filter(Boolean); } catch (e) { return []; }
  }
  function save(ids) { localStorage.setItem(key, JSON.stringify(ids)); }
  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body)
    }).then(function (response) { return response.ok ? response.json() : null; });
  }
  function starred() { return signedIn ? server : load(); }
  function sessionOf(star) {
    if (star.dataset.session) { return Number(star.dataset.session); }
    var host = star.closest("[id^='sym-card-'], [id^='sg-']");
    return host ? Number(host.id.replace(/^\D+-/, "")) : 0;
  }
  function paint() {
    var ids = starred();
    document.querySelectorAll(".sym-star").forEach(function (star) {
      var on = ids.indexOf(sessionOf(star)) !== -1;
      star.hidden = false;
      star.setAttribute("aria-pressed", on ? "true" : "false");
      if (star.hasAttribute("aria-label")) {
        star.textContent = on ? "\u2605" : "\u2606";
      } else {
        star.textContent = on ? script.dataset.labelOn : script.dataset.labelOff;
      }
    });
    var link = document.getElementById("sym-my-ics");
    if (link && !signedIn) { link.href = script.dataset.icsUrl + "?s=" + ids.join(","); }
  }
  function toggle(id) {
    if (!signedIn) {
      var ids = load();
      var at = ids.indexOf(id);
      if (at === -1) { ids.push(id); } else { ids.splice(at, 1); }
      save(ids);
      paint();
      return;
    }
    if (!window.fetch) { return; }
    var url = script.dataset.starUrl.replace(/\/0\/star$/, "/" + id + "/star");
    post(url, { on: server.indexOf(id) === -1 }).then(function (answer) {
      if (!answer) { return; }
      var where = server.indexOf(id);
      if (answer.starred && where === -1) { server.push(id); }
      if (!answer.starred && where !== -1) { server.splice(where, 1); }
      paint();
    }).catch(function () { /* nothing changed; the visitor may tap again */ });
  }
  document.addEventListener("click", function (event) {
    var star = event.target.closest ? event.target.closest(".sym-star") : null;
    if (!star || star.closest("form")) { return; }
    event.preventDefault();
    toggle(sessionOf(star));
  });
  document.querySelectorAll("form.sym-star-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      toggle(sessionOf(form.querySelector(".sym-star")));
    });
  });
  if (signedIn) {
    var kept = load();
    if (kept.length && script.dataset.mergeUrl && window.fetch) {
      post(script.dataset.mergeUrl, { ids: kept }).then(function (answer) {
        if (!answer) { return; }
        localStorage.removeItem(key);
        if (answer.added > 0) { location.reload(); }
      }).catch(function () { /* kept on the device; tried again on the next page */ });
    }
    paint();
    return;
  }
  if (script.dataset.page === "my" && !/[?&]s=/.test(location.search) && load().length) {
    location.replace(script.dataset.myUrl + "?s=" + load().join(","));
    return;
  }
  paint();
})();
