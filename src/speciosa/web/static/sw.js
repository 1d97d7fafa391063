// Service worker: keeps the app's own assets and an offline page, so Speciosa opens
// when the server is briefly unreachable. Journal pages are never cached (they are
// private and change with every entry); Today's dose form queues offline (app.js).
"use strict";
var CACHE = "speciosa-v1";
var ASSETS = ["/static/app.css", "/static/app.js", "/static/icons/icon.svg", "/static/icons/icon-192.png", "/offline"];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(ASSETS); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
  }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== location.origin) return;
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(caches.match(request, { ignoreSearch: true }).then(function (hit) { return hit || fetch(request); }));
  } else if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(function () { return caches.match("/offline"); }));
  }
});
