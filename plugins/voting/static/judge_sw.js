// The judging app's service worker, served from /<event>/voting/judge/sw.js so its scope is
// the judge's folder.  Opening a judge page with no network (or a network that does not
// answer within a few seconds) gives the copy of the app kept in the cache; the app itself
// keeps the sheets in IndexedDB and sends them when the network returns.  Styles, scripts
// and icons come from the cache first.  The app fills the cache (see judge_app.js), so this
// file holds no list of URLs.  Requests that change data, the API and the judge's bundle
// are never answered from the cache.
"use strict";

var CACHE = "gelar-judge-v1";
var NAVIGATION_TIMEOUT_MS = 6000;

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

function appShell() {
  return new URL("app/", self.registration.scope).href;
}

function withTimeout(promise, ms) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error("timeout")); }, ms);
    promise.then(function (value) { clearTimeout(timer); resolve(value); },
      function (error) { clearTimeout(timer); reject(error); });
  });
}

function fromCache(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request, { ignoreSearch: true }).then(function (found) {
      return found || cache.match(appShell());
    });
  });
}

function navigate(request) {
  return withTimeout(fetch(request), NAVIGATION_TIMEOUT_MS).then(function (response) {
    var url = new URL(request.url);
    // A fresh copy of the app (not a redirect to the sign-in page) replaces the cached one.
    if (response.ok && !response.redirected && url.href.split("?")[0] === appShell()) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { return cache.put(appShell(), copy); });
    }
    return response;
  }, function () {
    return fromCache(request).then(function (found) {
      return found || Response.error();
    });
  });
}

function asset(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request).then(function (found) {
      var fresh = fetch(request).then(function (response) {
        if (response.ok) { cache.put(request, response.clone()); }
        return response;
      });
      if (found) {
        fresh.catch(function () { return null; });
        return found;
      }
      return fresh;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate") {
    if (url.href.indexOf(self.registration.scope) === 0) { event.respondWith(navigate(request)); }
    return;
  }
  if (url.pathname.indexOf("/static/") === 0 || url.pathname.indexOf("/voting/assets/") !== -1 ||
      url.pathname.slice(-21) === "/manifest.webmanifest") {
    event.respondWith(asset(request));
  }
});
