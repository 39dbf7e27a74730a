// The offline judging app (/<event>/voting/judge/app/).
//
// Everything the judge sees comes from the device: the judge's bundle (stage, rubric,
// assigned innovations, the server's copy of each sheet) and the judge's own sheets are kept
// in IndexedDB, and every change to a sheet is written there at once.  When the network is
// there (at start, on the "online" event, every minute and by the "Sync now" button) the
// sheets changed on the device go to the bulk save, PUT /api/v1/events/<event>/scores, with
// the browser session and its CSRF token: each carries a client_id (a retried send is
// applied once) and based_on (the server's version it was edited from).  A sheet changed
// meanwhile elsewhere comes back "conflict" and is shown side by side with the server's;
// a stage closed meanwhile is explained and the sheets stay on the device.
//
// Sheet states: pending (nothing yet), device (saved on this device, not sent), sent (the
// server has it as a draft), submitted, conflict, closed (scoring closed before it was sent),
// invalid (the server refused it, with its reasons).  Texts come translated from the page.
(function () {
  "use strict";
  var root = document.getElementById("judge-app");
  if (!root) { return; }
  var T = JSON.parse(root.getAttribute("data-strings") || "{}");
  var EVENT = root.getAttribute("data-event");
  var JUDGE = root.getAttribute("data-judge");
  var PREFIX = EVENT + ":" + JUDGE + ":";
  var DATA_URL = root.getAttribute("data-data-url");
  var SYNC_URL = root.getAttribute("data-sync-url");
  var CACHE = root.getAttribute("data-cache");
  var LOCALE = root.getAttribute("data-locale") === "id" ? "id-ID" : "en-GB";
  var TIMEZONE = root.getAttribute("data-timezone") || undefined;
  var DIRTY = { device: true, conflict: true, closed: true, invalid: true };

  var bundle = null;
  var sheets = {};      // innovation id -> the sheet kept on the device
  var csrf = null;
  var syncing = false;
  var current = null;   // innovation id of the open sheet
  var statusNote = "";

  function $(role) { return root.querySelector("[data-role='" + role + "']"); }
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
  function when(iso) {
    try {
      return new Date(iso).toLocaleString(LOCALE, { timeZone: TIMEZONE, dateStyle: "medium", timeStyle: "short" });
    } catch (e) { return iso; }
  }
  function newId() {
    if (self.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  // -- IndexedDB: two stores, "bundles" (one per event and judge) and "sheets" ------------
  var dbPromise = new Promise(function (resolve, reject) {
    var request = indexedDB.open("gelar-judging", 1);
    request.onupgradeneeded = function () {
      request.result.createObjectStore("bundles");
      request.result.createObjectStore("sheets", { keyPath: "key" });
    };
    request.onsuccess = function () { resolve(request.result); };
    request.onerror = function () { reject(request.error); };
  });
  function store(name, mode) {
    return dbPromise.then(function (db) { return db.transaction(name, mode).objectStore(name); });
  }
  function done(request) {
    return new Promise(function (resolve, reject) {
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function putSheet(sheet) {
    sheet.key = PREFIX + sheet.innovation;
    return store("sheets", "readwrite").then(function (s) { return done(s.put(sheet)); });
  }
  function loadAll() {
    var gotBundle = store("bundles", "readonly").then(function (s) { return done(s.get(EVENT + ":" + JUDGE)); });
    var gotSheets = store("sheets", "readonly").then(function (s) {
      var range = IDBKeyRange.bound(PREFIX, PREFIX + "\uffff");
      return done(s.getAll(range));
    });
    return Promise.all([gotBundle, gotSheets]).then(function (found) {
      bundle = found[0] || null;
      sheets = {};
      (found[1] || []).forEach(function (sheet) { sheets[sheet.innovation] = sheet; });
    });
  }

  // -- the server's bundle, merged with what the device holds ----------------------------
  function serverCopy(item) {
    return { scores: item.scores || {}, comment: item.comment || "", submitted: !!item.submitted, version: item.version };
  }
  function cleanState(server) {
    if (server.submitted) { return "submitted"; }
    return Object.keys(server.scores).length || server.comment ? "sent" : "pending";
  }
  function merge(fresh) {
    var writes = [];
    var stageId = fresh.stage ? fresh.stage.id : null;
    // Sheets changed here for a stage that is no longer the current one are never sent into
    // the new stage: they are kept on the device under their own key, marked closed.
    Object.keys(sheets).forEach(function (innovation) {
      var old = sheets[innovation];
      if (old.stage !== stageId && DIRTY[old.state]) {
        old.state = "closed";
        old.messages = [T.closed];
        var archived = Object.assign({}, old, { key: "archived:" + PREFIX + old.stage + ":" + innovation });
        writes.push(store("sheets", "readwrite").then(function (s) { return done(s.put(archived)); }));
        statusNote = T.closed;
      }
      if (old.stage !== stageId) { delete sheets[innovation]; }
    });
    fresh.sheets.forEach(function (item) {
      var mine = sheets[item.innovation];
      var server = serverCopy(item);
      if (!mine || !DIRTY[mine.state]) {
        mine = {
          innovation: item.innovation, scores: server.scores, comment: server.comment,
          submit: server.submitted, based_on: server.version, client_id: null,
          edited_at: mine ? mine.edited_at : null, state: cleanState(server), messages: [],
          server: server, synced_at: mine ? mine.synced_at : null, stage: stageId
        };
      } else {
        mine.server = server;
      }
      sheets[item.innovation] = mine;
      writes.push(putSheet(mine));
    });
    bundle = fresh;
    delete bundle.csrf_token;
    writes.push(store("bundles", "readwrite").then(function (s) { return done(s.put(bundle, EVENT + ":" + JUDGE)); }));
    return Promise.all(writes);
  }
  function fetchBundle() {
    return fetch(DATA_URL, { credentials: "same-origin", headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (response) {
        if (response.status === 401 || response.redirected) { throw { kind: "signed_out" }; }
        if (!response.ok) { throw { kind: "http", status: response.status }; }
        return response.json();
      })
      .then(function (fresh) {
        csrf = fresh.csrf_token;
        return merge(fresh);
      });
  }

  // -- checks made on the device (the server checks again) -------------------------------
  function check(sheet, complete) {
    var problems = [];
    (bundle ? bundle.criteria : []).forEach(function (c) {
      var value = sheet.scores[c.key];
      if (value === undefined || value === null || value === "") {
        if (complete) { problems.push(fill(T.missing, { criterion: c.label })); }
      } else if (typeof value !== "number" || !isFinite(value)) {
        problems.push(fill(T.number, { criterion: c.label }));
      } else if (value < c.min || value > c.max) {
        problems.push(fill(T.range, { criterion: c.label, low: c.min, high: c.max }));
      }
    });
    return problems;
  }

  // -- editing: every change is written to the device at once ----------------------------
  function change(innovation, apply) {
    var sheet = sheets[innovation];
    apply(sheet);
    sheet.state = "device";
    sheet.client_id = newId();
    sheet.edited_at = new Date().toISOString();
    sheet.messages = [];
    return putSheet(sheet).then(function () { render(false); });
  }

  // -- sending ---------------------------------------------------------------------------
  function pending() {
    return Object.keys(sheets).map(function (k) { return sheets[k]; })
      .filter(function (s) { return s.state === "device"; });
  }
  function send(rows) {
    var items = rows.map(function (s) {
      var scores = {};
      Object.keys(s.scores).forEach(function (k) { if (s.scores[k] !== null && s.scores[k] !== "") { scores[k] = s.scores[k]; } });
      return {
        innovation: s.innovation, scores: scores, comment: s.comment, submit: !!s.submit,
        client_id: s.client_id, based_on: s.based_on, edited_at: s.edited_at
      };
    });
    return fetch(SYNC_URL, {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf || "" },
      body: JSON.stringify({ items: items })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { status: response.status, body: body, items: items };
      });
    });
  }
  function settle(rows, answer) {
    var now = new Date().toISOString();
    var writes = [];
    if (answer.status === 200) {
      answer.body.items.forEach(function (result, n) {
        var sheet = sheets[rows[n].innovation];
        var sentId = answer.items[n].client_id;
        if (result.status === "conflict") {
          if (sheet.client_id === sentId) { sheet.state = "conflict"; }
        } else if (sheet.client_id === sentId) {
          sheet.state = result.status === "submitted" ? "submitted" : "sent";
          sheet.based_on = result.version;
          sheet.synced_at = now;
        } else {
          sheet.based_on = result.version;  // changed again while sending: next send builds on it
        }
        writes.push(putSheet(sheet));
      });
      return Promise.all(writes).then(function () { return []; });
    }
    var error = (answer.body && answer.body.error) || {};
    if (answer.status === 422 && error.fields) {
      var refused = {};
      Object.keys(error.fields).forEach(function (name) {
        var m = /^items\.(\d+)\./.exec(name);
        if (!m) { return; }
        var n = Number(m[1]);
        refused[n] = (refused[n] || []).concat(error.fields[name]);
      });
      var retry = [];
      rows.forEach(function (sheet, n) {
        if (refused[n]) {
          sheet.state = "invalid";
          sheet.messages = refused[n];
          writes.push(putSheet(sheet));
        } else {
          retry.push(sheet);
        }
      });
      return Promise.all(writes).then(function () { return retry; });
    }
    if (answer.status === 409 || answer.status === 403) {
      rows.forEach(function (sheet) {
        sheet.state = answer.status === 409 ? "closed" : "invalid";
        sheet.messages = [error.message || (answer.status === 409 ? T.closed : T.not_on_panel)];
        writes.push(putSheet(sheet));
      });
      statusNote = answer.status === 409 ? T.closed : T.not_on_panel;
      return Promise.all(writes).then(function () { return []; });
    }
    if (answer.status === 401) { throw { kind: "signed_out" }; }
    if (answer.status === 400 && error.code === "csrf_failed") { throw { kind: "csrf" }; }
    throw { kind: "http", status: answer.status };
  }
  function sendAll(rows, attempts) {
    if (!rows.length || attempts <= 0) { return Promise.resolve(); }
    return send(rows).then(function (answer) { return settle(rows, answer); })
      .then(function (retry) { return sendAll(retry, attempts - 1); });
  }
  function sync() {
    if (syncing) { return Promise.resolve(); }
    syncing = true;
    statusNote = T.syncing;
    renderStatus();
    return fetchBundle()
      .then(function () {
        if (statusNote === T.syncing) { statusNote = ""; }
        return sendAll(pending(), 3);
      })
      .then(function () { return fetchBundle(); })
      .then(function () {
        localStorage.setItem("gelar-judge-sync:" + EVENT + ":" + JUDGE, new Date().toISOString());
      })
      .catch(function (problem) {
        if (problem && problem.kind === "signed_out") { statusNote = T.signed_out; }
        else if (problem && problem.kind === "csrf") { csrf = null; statusNote = T.sync_failed; }
        else { statusNote = T.sync_failed; }
      })
      .then(function () {
        syncing = false;
        render();
      });
  }

  // -- conflicts -------------------------------------------------------------------------
  function resolve(innovation, keepMine) {
    var sheet = sheets[innovation];
    if (keepMine) {
      return change(innovation, function (s) { s.based_on = s.server.version; }).then(sync);
    }
    var server = sheet.server;
    sheet.scores = server.scores;
    sheet.comment = server.comment;
    sheet.submit = server.submitted;
    sheet.based_on = server.version;
    sheet.client_id = null;
    sheet.messages = [];
    sheet.state = cleanState(server);
    return putSheet(sheet).then(function () { render(true); });
  }
  function sideTable(title, copy) {
    var box = el("div");
    box.appendChild(el("h3", title));
    var table = el("table");
    (bundle ? bundle.criteria : []).forEach(function (c) {
      var tr = el("tr");
      tr.appendChild(el("th", c.label));
      var value = copy.scores[c.key];
      tr.appendChild(el("td", value === undefined || value === null ? "—" : value));
      tr.setAttribute("data-key", c.key);
      table.appendChild(tr);
    });
    var comment = el("tr");
    comment.appendChild(el("th", T.comment_label));
    comment.appendChild(el("td", copy.comment || "—"));
    table.appendChild(comment);
    var status = el("tr");
    status.appendChild(el("th", T.status_label));
    status.appendChild(el("td", copy.submitted ? T.state_submitted : T.state_sent));
    table.appendChild(status);
    box.appendChild(table);
    return box;
  }

  // -- drawing ---------------------------------------------------------------------------
  function stateText(state) { return T["state_" + state] || state; }
  function renderStatus() {
    var waiting = pending().length;
    var last = localStorage.getItem("gelar-judge-sync:" + EVENT + ":" + JUDGE);
    $("offline-banner").hidden = navigator.onLine;
    $("sync-status").textContent = statusNote || (waiting ? fill(T.waiting, { n: waiting }) : T.synced);
    $("sync-status").setAttribute("data-waiting", String(waiting));
    $("last-sync").textContent = last ? fill(T.last_sync, { when: when(last) }) : T.never_synced;
    $("sign-in").hidden = statusNote !== T.signed_out;
  }
  function renderQueue() {
    var list = $("list");
    list.textContent = "";
    if (!bundle) {
      $("progress").textContent = T.no_data;
      return;
    }
    var stage = bundle.stage;
    $("stage").textContent = stage ? stage.name + (stage.state === "open" ? "" : " · " + T.stage_closed) : "";
    if (!bundle.on_panel && stage) { $("progress").textContent = T.not_on_panel; return; }
    var items = bundle.sheets;
    var scored = items.filter(function (i) { var s = sheets[i.innovation]; return s && (s.submit || s.state === "submitted"); }).length;
    $("progress").textContent = items.length ? fill(T.progress, { done: scored, total: items.length }) : T.nothing;
    items.forEach(function (item) {
      var sheet = sheets[item.innovation];
      var li = el("li", null, "card judge-card");
      li.setAttribute("data-innovation", item.innovation);
      li.setAttribute("data-state", sheet.state);
      var h = el("h2", null, "card-title");
      var a = el("a", item.title);
      a.href = "#/" + item.innovation;
      h.appendChild(a);
      li.appendChild(h);
      li.appendChild(el("p", item.organization, "meta"));
      var p = el("p");
      p.appendChild(el("span", stateText(sheet.state), "state state-" + sheet.state));
      li.appendChild(p);
      list.appendChild(li);
    });
  }
  function criterionInput(c, sheet, disabled) {
    var box = el("div", null, "criterion");
    box.setAttribute("data-key", c.key);
    var h = el("h2", c.label);
    h.id = "app-label-" + c.key;
    box.appendChild(h);
    if (c.description) { box.appendChild(el("p", c.description, "hint")); }
    box.appendChild(el("p", fill(T.scale, { low: c.min, high: c.max, weight: c.weight }), "hint"));
    var value = sheet.scores[c.key];
    if (c.steps) {
      var set = el("fieldset", null, "scale");
      set.setAttribute("aria-labelledby", h.id);
      c.steps.forEach(function (step) {
        var label = el("label");
        var input = el("input");
        input.type = "radio";
        input.name = "score-" + c.key;
        input.value = String(step);
        input.checked = value === step;
        input.disabled = disabled;
        input.addEventListener("change", function () {
          change(sheet.innovation, function (s) { s.scores[c.key] = step; s.submit = false; });
        });
        label.appendChild(input);
        label.appendChild(el("span", step));
        set.appendChild(label);
      });
      box.appendChild(set);
    } else {
      var number = el("input");
      number.type = "number";
      number.name = "score-" + c.key;
      number.min = c.min;
      number.max = c.max;
      number.step = "any";
      number.disabled = disabled;
      number.setAttribute("aria-labelledby", h.id);
      number.value = value === undefined || value === null ? "" : String(value);
      number.addEventListener("input", function () {
        var raw = number.value.trim().replace(",", ".");
        change(sheet.innovation, function (s) { s.scores[c.key] = raw === "" ? null : Number(raw); s.submit = false; });
      });
      box.appendChild(number);
    }
    return box;
  }
  function renderSheet(rebuild) {
    var item = bundle && bundle.sheets.filter(function (i) { return i.innovation === current; })[0];
    if (!item) { current = null; return; }
    var sheet = sheets[current];
    var disabled = !bundle.stage || bundle.stage.state !== "open";
    $("sheet-title").textContent = item.title;
    $("sheet-organization").textContent = item.organization;
    $("sheet-summary").textContent = item.summary;
    $("sheet-state").textContent = stateText(sheet.state);
    $("sheet-state").setAttribute("data-state", sheet.state);
    var messages = $("sheet-messages");
    messages.textContent = "";
    (sheet.messages || []).forEach(function (m) { messages.appendChild(el("p", m, "sheet-message")); });
    if (disabled) { messages.appendChild(el("p", T.stage_closed, "sheet-message")); }
    var conflict = $("sheet-conflict");
    conflict.textContent = "";
    conflict.hidden = sheet.state !== "conflict";
    if (sheet.state === "conflict") {
      conflict.appendChild(el("h2", T.conflict_title));
      conflict.appendChild(el("p", T.conflict_text));
      var columns = el("div", null, "conflict-columns");
      columns.appendChild(sideTable(T.mine, { scores: sheet.scores, comment: sheet.comment, submitted: sheet.submit }));
      columns.appendChild(sideTable(T.theirs, sheet.server));
      conflict.appendChild(columns);
      var actions = el("div", null, "conflict-actions");
      var mine = el("button", T.keep_mine, "primary");
      mine.type = "button";
      mine.setAttribute("data-action", "keep-mine");
      mine.addEventListener("click", function () { resolve(sheet.innovation, true); });
      var theirs = el("button", T.take_theirs);
      theirs.type = "button";
      theirs.setAttribute("data-action", "take-theirs");
      theirs.addEventListener("click", function () { resolve(sheet.innovation, false); });
      actions.appendChild(mine);
      actions.appendChild(theirs);
      conflict.appendChild(actions);
    }
    // The inputs are rebuilt only when another sheet opens or the sheet changed from outside
    // (a sync, a resolved conflict), never while the judge types into them.
    var criteria = $("criteria");
    var comment = root.querySelector("#app-comment");
    if (rebuild || criteria.getAttribute("data-for") !== String(current)) {
      criteria.textContent = "";
      bundle.criteria.forEach(function (c) { criteria.appendChild(criterionInput(c, sheet, disabled)); });
      criteria.setAttribute("data-for", String(current));
      comment.value = sheet.comment || "";
    }
    comment.disabled = disabled;
    root.querySelector("[data-action=submit]").disabled = disabled;
    root.querySelector("[data-action=draft]").disabled = disabled;
    $("saved-here").textContent = sheet.state === "device" && sheet.edited_at ? fill(T.saved_here, { when: when(sheet.edited_at) }) : "";
  }
  function render(rebuild) {
    renderStatus();
    var showSheet = current !== null && bundle && sheets[current];
    $("queue").hidden = !!showSheet;
    $("sheet").hidden = !showSheet;
    if (showSheet) {
      var typing = root.querySelector("[data-role=sheet-form]").contains(document.activeElement);
      renderSheet(rebuild === true || (rebuild !== false && !typing));
    } else {
      renderQueue();
    }
    // Sections beside the queue (the booth visits: judge_app_visits.js) draw themselves.
    root.dispatchEvent(new CustomEvent("judgeapp:render", { detail: { bundle: bundle, view: showSheet ? "sheet" : "queue" } }));
  }
  function route() {
    var m = /^#\/(\d+)$/.exec(location.hash);
    current = m ? Number(m[1]) : null;
    render(true);
    if (current !== null) { window.scrollTo(0, 0); }
  }

  // -- wiring ----------------------------------------------------------------------------
  root.querySelector("#app-comment").addEventListener("input", function (e) {
    var text = e.target.value;
    change(current, function (s) { s.comment = text; s.submit = false; });
  });
  root.querySelector("[data-action=draft]").addEventListener("click", function () {
    change(current, function (s) { s.submit = false; }).then(function () { if (navigator.onLine) { sync(); } });
  });
  root.querySelector("[data-action=submit]").addEventListener("click", function () {
    var problems = check(sheets[current], true);
    if (problems.length) {
      sheets[current].messages = problems;
      render();
      return;
    }
    change(current, function (s) { s.submit = true; }).then(function () {
      location.hash = "";
      if (navigator.onLine) { sync(); }
    });
  });
  root.querySelector("[data-action=back]").addEventListener("click", function (e) {
    e.preventDefault();
    location.hash = "";
  });
  root.querySelector("[data-action=sync]").addEventListener("click", function () { sync(); });
  window.addEventListener("hashchange", route);
  window.addEventListener("online", function () { render(); sync(); });
  window.addEventListener("offline", render);
  setInterval(function () { if (navigator.onLine && pending().length) { sync(); } }, 60000);

  var installPrompt = null;
  var installButton = root.querySelector("[data-action=install]");
  window.addEventListener("beforeinstallprompt", function (e) {
    e.preventDefault();
    installPrompt = e;
    installButton.hidden = false;
  });
  installButton.addEventListener("click", function () {
    if (installPrompt) { installPrompt.prompt(); installPrompt = null; installButton.hidden = true; }
  });

  // The app's own page and files go into the cache the service worker answers from offline.
  function prepareOffline() {
    var ready = $("ready");
    if (!("serviceWorker" in navigator) || !self.caches) { return; }
    var urls = [root.getAttribute("data-app-url")];
    document.querySelectorAll("link[rel=stylesheet], link[rel=icon], link[rel=manifest], script[src]").forEach(function (node) {
      urls.push(node.getAttribute("href") || node.getAttribute("src"));
    });
    (root.getAttribute("data-precache") || "").split(" ").forEach(function (u) { if (u) { urls.push(u); } });
    navigator.serviceWorker.register(root.getAttribute("data-sw-url"), { scope: root.getAttribute("data-scope") })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function () { return caches.open(CACHE); })
      .then(function (cache) {
        return Promise.all(urls.map(function (url) {
          return fetch(url, { credentials: "same-origin", cache: "no-cache" }).then(function (response) {
            if (response.ok && !response.redirected) { return cache.put(url, response); }
            throw new Error("not cached: " + url);
          });
        }));
      })
      .then(function () {
        ready.textContent = T.ready_offline;
        ready.setAttribute("data-ready", "yes");
      })
      .catch(function () { /* stays "preparing"; the next visit tries again */ });
  }

  // Offline, the service worker answers the judge's server pages (/judge/, /judge/<id>)
  // with this app: show the same innovation, under the app's own address.
  // The route page (/judge/visits) shows the app's visits section.
  var page = /\/judge\/(\d+)$/.exec(location.pathname);
  var onVisits = /\/judge\/visits$/.test(location.pathname);
  if (location.pathname !== root.getAttribute("data-app-url")) {
    history.replaceState(null, "", root.getAttribute("data-app-url") + (page ? "#/" + page[1] : onVisits ? "#visits" : ""));
  }
  loadAll().then(function () {
    route();
    if (navigator.onLine) {
      prepareOffline();
      sync();
    } else if (self.caches) {
      caches.open(CACHE).then(function (cache) { return cache.match(root.getAttribute("data-app-url")); })
        .then(function (found) {
          if (found) {
            $("ready").textContent = T.ready_offline;
            $("ready").setAttribute("data-ready", "yes");
          }
        });
    }
  });
})();
