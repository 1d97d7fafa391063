// Service worker: keeps the app's own assets and Today's offline shell, so Speciosa opens
// and takes entries when the server cannot be reached.
//
// Private data stays out of the cache: journal pages are never stored (they hold health
// data and change with every entry). The shell (/offline) is fetched without cookies, so
// the copy kept here is the same for everyone and holds no health data; app.js fills it
// from this device's own queue of entries waiting to be sent.
"use strict";
var CACHE = "speciosa-v2";
var SHELL = "/offline";
var ASSETS = ["/static/app.css", "/static/app.js", "/static/icons/icon.svg", "/static/icons/icon-192.png"];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    var shell = fetch(new Request(SHELL, { credentials: "omit" })).then(function (response) {
      if (!response.ok) throw new Error("offline shell: " + response.status);
      return cache.put(SHELL, response);
    });
    return Promise.all([cache.addAll(ASSETS), shell]);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== location.origin) return;
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(asset(request));
  } else if (request.mode === "navigate" && url.pathname.indexOf("/s/") !== 0) {
    // Any page opened offline shows Today's shell, where entries can still be logged.
    event.respondWith(fetch(request).catch(function () { return caches.match(SHELL); }));
  }
});

// Assets are versioned (?v=...): this version from the cache, else from the network (kept
// for next time), else, offline, whichever version the cache has.
function asset(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request).then(function (hit) {
      if (hit) return hit;
      return fetch(request).then(function (response) {
        if (response.ok) keepOnly(cache, request, response.clone());
        return response;
      }).catch(function () {
        return cache.match(request, { ignoreSearch: true }).then(function (old) { return old || Response.error(); });
      });
    });
  });
}

function keepOnly(cache, request, response) {
  var path = new URL(request.url).pathname;
  return cache.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return new URL(k.url).pathname === path; })
      .map(function (k) { return cache.delete(k); }));
  }).then(function () { return cache.put(request, response); });
}
