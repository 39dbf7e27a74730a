// The judge's booth visits in the offline judging app (/<event>/voting/judge/app/).
//
// Drawn from the judge's bundle kept on the device: judge_app.js announces every drawing
// with a "judgeapp:render" event ({bundle, view}), so the route shows with no network too.
// Visits in time order, grouped by day, each with its time, the booth code linking the
// floor plan, the zone, the innovation and its agency.  Texts come translated from the page.
(function () {
  "use strict";
  var root = document.getElementById("judge-app");
  var section = document.querySelector("[data-role=visits]");
  if (!root || !section) { return; }
  var T = JSON.parse(section.getAttribute("data-strings") || "{}");
  var LOCALE = root.getAttribute("data-locale") === "id" ? "id-ID" : "en-GB";
  var TIMEZONE = root.getAttribute("data-timezone") || undefined;
  var shown = false;

  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (all, key) {
      return values[key] !== undefined ? String(values[key]) : all;
    });
  }
  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (className) { node.className = className; }
    return node;
  }
  function day(iso) {
    return new Date(iso).toLocaleDateString(LOCALE, { timeZone: TIMEZONE, weekday: "long", day: "numeric", month: "long" });
  }
  function clock(iso) {
    return new Date(iso).toLocaleTimeString(LOCALE, { timeZone: TIMEZONE, hour: "2-digit", minute: "2-digit" });
  }
  function item(visit) {
    var li = el("li", null, "visit-item" + (visit.broken ? " visit-broken" : ""));
    li.setAttribute("data-visit", visit.id);
    li.appendChild(el("strong", clock(visit.starts_at) + "\u2013" + clock(visit.ends_at), "visit-time"));
    li.appendChild(el("br"));
    if (visit.booth) {
      var code = fill(T.booth, { code: visit.booth.code });
      var booth = el(visit.booth.url ? "a" : "span", code, "booth-code");
      if (visit.booth.url) { booth.href = visit.booth.url; }
      li.appendChild(booth);
      if (visit.booth.zone) { li.appendChild(document.createTextNode(" \u00b7 " + fill(T.zone, { zone: visit.booth.zone }))); }
    } else {
      li.appendChild(el("span", T.no_booth, "booth-code"));
    }
    li.appendChild(el("br"));
    li.appendChild(document.createTextNode(visit.innovation.title + " \u2014 " + visit.organization));
    if (visit.broken) { li.appendChild(el("p", T.broken, "hint")); }
    return li;
  }
  function draw(bundle) {
    var days = section.querySelector("[data-role=visits-days]");
    var items = (bundle.visits || []).slice().sort(function (a, b) {
      return a.starts_at < b.starts_at ? -1 : a.starts_at > b.starts_at ? 1 : a.id - b.id;
    });
    days.textContent = "";
    section.querySelector("[data-role=visits-note]").textContent = items.length ? "" : T.none;
    var list = null;
    var current = null;
    items.forEach(function (visit) {
      var label = day(visit.starts_at);
      if (label !== current) {
        current = label;
        days.appendChild(el("h3", label, "visit-day"));
        list = el("ol", null, "visit-list");
        days.appendChild(list);
      }
      list.appendChild(item(visit));
    });
  }

  root.addEventListener("judgeapp:render", function (event) {
    var bundle = event.detail && event.detail.bundle;
    section.hidden = !bundle || event.detail.view !== "queue";
    if (section.hidden) { return; }
    draw(bundle);
    if (!shown && location.hash === "#visits") {
      shown = true;
      section.scrollIntoView();
    }
  });
})();
