// Speciosa's only script: theme switch, chart toggles and read-outs, copy buttons,
// the browser's time zone on sign-up, import progress, the service worker, and offline
// dose logging.
// Every page works without it; it only adds comfort.
(function () {
  "use strict";
  var root = document.documentElement;
  var stored = null;
  try { stored = localStorage.getItem("speciosa-theme"); } catch (e) { /* private mode */ }
  if (stored) root.setAttribute("data-theme", stored);

  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  function themeToggle(button) {
    button.addEventListener("click", function () {
      var dark = root.getAttribute("data-theme") === "dark" ||
        (root.getAttribute("data-theme") === "auto" && matchMedia("(prefers-color-scheme: dark)").matches);
      var next = dark ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { localStorage.setItem("speciosa-theme", next); } catch (e) { /* ignore */ }
    });
  }

  function chartBox(box) {
    var svg = box.querySelector("svg.chart");
    var readout = box.querySelector(".readout");
    box.querySelectorAll("[data-toggle]").forEach(function (button) {
      button.addEventListener("click", function () {
        var on = button.getAttribute("aria-pressed") !== "true";
        button.setAttribute("aria-pressed", on ? "true" : "false");
        var group = svg.querySelector('[data-series="' + button.getAttribute("data-toggle") + '"]');
        if (group) { if (on) group.removeAttribute("hidden"); else group.setAttribute("hidden", ""); }
      });
    });
    if (!svg || !readout) return;
    svg.addEventListener("pointermove", function (event) {
      var best = null, bestDistance = Infinity;
      svg.querySelectorAll(".series:not([hidden]) circle.pt").forEach(function (pt) {
        var box = pt.getBoundingClientRect();
        var d = Math.abs(box.left + box.width / 2 - event.clientX);
        if (d < bestDistance) { bestDistance = d; best = pt; }
      });
      svg.querySelectorAll("circle.pt.focus").forEach(function (pt) { pt.classList.remove("focus"); });
      if (best) { best.classList.add("focus"); readout.textContent = best.getAttribute("data-label"); }
    });
  }

  function copyButton(button) {
    button.addEventListener("click", function () {
      var input = document.querySelector(button.getAttribute("data-copy"));
      if (!input) return;
      input.select();
      if (navigator.clipboard) navigator.clipboard.writeText(input.value);
      button.textContent = "Copied";
    });
  }

  // ---- an import running in the background: poll its status into the <progress>
  function importJob(box) {
    var url = box.getAttribute("data-import-job");
    var bar = box.querySelector("progress");
    var status = box.querySelector("#import-status");
    var label = box.querySelector("#import-label");
    if (box.getAttribute("data-state") === "done" || box.getAttribute("data-state") === "error") return;
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (job) {
          if (!job) { status.textContent = "The status could not be read; refresh the page."; return; }
          if (job.total > 0) { bar.max = job.total; bar.value = Math.min(job.done, job.total); }
          box.setAttribute("data-state", job.state);
          if (job.state === "done" || job.state === "error") {
            bar.max = 1; bar.value = 1;
            label.textContent = job.state === "done" ? "Done" : "Stopped";
            status.textContent = job.state === "done" ? "Finished; loading the summary." : "The import stopped.";
            location.replace(location.pathname);  // the summary is drawn by the server
            return;
          }
          if (job.total > 0) status.textContent = Math.round(100 * job.done / job.total) + "% read";
          setTimeout(poll, 500);
        })
        .catch(function () { setTimeout(poll, 2000); });
    }
    poll();
  }

  // ---- offline: a dose logged without a connection waits on this device
  var QUEUE = "speciosa-offline-doses";
  function queued() { try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; } }
  function save(items) { try { localStorage.setItem(QUEUE, JSON.stringify(items)); } catch (e) { /* full */ } }

  function flush() {
    var items = queued();
    if (!items.length || !navigator.onLine) return;
    var item = items[0];
    fetch("/api/v1/entries", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ kind: "dose", amount: item.amount, product: item.product || null, at: item.at })
    }).then(function (response) {
      if (response.ok || response.status === 422) { save(queued().slice(1)); flush(); }
    }).catch(function () { /* still offline */ });
  }

  function offlineForm(form) {
    form.addEventListener("submit", function (event) {
      if (navigator.onLine) return;
      event.preventDefault();
      var items = queued();
      items.push({ amount: form.amount.value, product: form.product.value, at: new Date().toISOString() });
      save(items);
      var note = document.createElement("p");
      note.className = "notice info";
      note.setAttribute("role", "status");
      note.textContent = "You are offline: the dose is kept on this device and sent when you are back online.";
      form.appendChild(note);
    });
  }

  ready(function () {
    document.querySelectorAll("[data-theme-toggle]").forEach(themeToggle);
    document.querySelectorAll(".chart-box").forEach(chartBox);
    document.querySelectorAll("[data-copy]").forEach(copyButton);
    document.querySelectorAll("[data-offline-queue]").forEach(offlineForm);
    document.querySelectorAll("[data-import-job]").forEach(importJob);
    document.querySelectorAll("[data-browser-zone]").forEach(function (input) {
      try { input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { /* old browser */ }
    });
    if ("serviceWorker" in navigator && location.pathname.indexOf("/s/") !== 0) {
      navigator.serviceWorker.register("/sw.js").catch(function () { /* not essential */ });
    }
    window.addEventListener("online", flush);
    flush();
  });
})();
