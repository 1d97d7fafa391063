// Speciosa's only script: theme switch, chart toggles and read-outs, copy buttons,
// the browser's time zone on sign-up, import progress, the service worker, offline
// dose logging, and questionnaires one question per screen.
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

  // Three states, "follow the system" first: a person who set dark mode on the phone gets
  // it without touching anything, and can still pin light or dark for this app.
  var THEMES = { auto: "System", light: "Light", dark: "Dark" };
  var NEXT_THEME = { auto: "light", light: "dark", dark: "auto" };

  function themeToggle(button) {
    function show() {
      var theme = root.getAttribute("data-theme") || "auto";
      button.textContent = "Theme: " + (THEMES[theme] || THEMES.auto);
      button.removeAttribute("aria-label");  // the visible text is the name
    }
    show();
    button.addEventListener("click", function () {
      var next = NEXT_THEME[root.getAttribute("data-theme")] || "light";
      root.setAttribute("data-theme", next);
      try {
        if (next === "auto") localStorage.removeItem("speciosa-theme");
        else localStorage.setItem("speciosa-theme", next);
      } catch (e) { /* private mode: this page only */ }
      show();
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

  // ---- a questionnaire one question per screen (Next / Back); without this script every
  // question shows on one page and the form works the same. A tap on an answer moves on;
  // arrow keys only change the answer (a keyboard user moves on with Next).
  function steppedForm(form) {
    var steps = Array.prototype.slice.call(form.querySelectorAll("fieldset.step"));
    var actions = form.querySelector(".form-actions");
    if (steps.length < 2 || !actions) return;
    var nav = document.createElement("div");
    nav.className = "step-nav";
    function stepButton(text, cls) {
      var b = document.createElement("button");
      b.type = "button"; b.className = cls; b.textContent = text;
      nav.appendChild(b);
      return b;
    }
    var back = stepButton("Back", "secondary");
    var next = stepButton("Next", "primary");
    steps[steps.length - 1].parentNode.insertBefore(nav, actions);
    form.classList.add("steps-on");
    var current = 0;
    function show(i, focus) {
      current = i;
      steps.forEach(function (s, n) { s.hidden = n !== i; });
      back.hidden = i === 0;
      next.hidden = i === steps.length - 1;
      actions.hidden = i !== steps.length - 1;
      if (focus) (steps[i].querySelector("input:checked") || steps[i].querySelector("input")).focus();
    }
    back.addEventListener("click", function () { show(Math.max(0, current - 1), true); });
    next.addEventListener("click", function () { show(Math.min(steps.length - 1, current + 1), true); });
    steps.forEach(function (step, n) {
      step.addEventListener("click", function (event) {
        if (event.detail > 0 && n < steps.length - 1 && event.target.matches("input, label")) {
          setTimeout(function () { if (current === n) show(n + 1, true); }, 150);
        }
      });
    });
    var wrong = steps.findIndex(function (s) { return s.querySelector('[aria-invalid="true"]'); });
    show(wrong < 0 ? 0 : wrong, wrong >= 0);
  }

  // ---- reminders: while a page is open, Today's due items also show as notifications, once
  // each, where the person allowed it (no server push: nothing arrives while it is closed).
  var NOTIFIED = "speciosa-notified";
  function canNotify() { return "Notification" in window; }

  function notifyDue(items) {
    if (!canNotify() || Notification.permission !== "granted") return;
    var shown = [];
    try { shown = JSON.parse(localStorage.getItem(NOTIFIED) || "[]"); } catch (e) { shown = []; }
    items.forEach(function (item) {
      var id = item.getAttribute("data-due");
      if (shown.indexOf(id) !== -1) return;
      var options = { body: item.getAttribute("data-due-text"), tag: id };
      // Android shows notifications only through the service worker; desktops take either.
      if ("serviceWorker" in navigator && navigator.serviceWorker.controller) {
        navigator.serviceWorker.ready.then(function (reg) { reg.showNotification("Speciosa", options); });
      } else {
        try { new Notification("Speciosa", options); } catch (e) { return; }
      }
      shown.push(id);
    });
    try { localStorage.setItem(NOTIFIED, JSON.stringify(shown.slice(-50))); } catch (e) { /* full */ }
  }

  function notifyButton(button) {
    var state = document.querySelector("[data-notify-state]");
    function show() {
      if (!canNotify()) { if (state) state.textContent = "This browser cannot show notifications."; return; }
      var allowed = Notification.permission === "granted";
      button.hidden = allowed || Notification.permission === "denied";
      if (state) state.textContent = allowed ? "Notifications are allowed on this device." :
        Notification.permission === "denied" ? "Notifications are blocked in this browser's settings." : "";
    }
    button.addEventListener("click", function () {
      var asked = Notification.requestPermission(show);
      if (asked && asked.then) asked.then(show);
    });
    show();
  }

  ready(function () {
    notifyDue(Array.prototype.slice.call(document.querySelectorAll("[data-due]")));
    document.querySelectorAll("[data-notify-permission]").forEach(notifyButton);
    document.querySelectorAll("form[data-steps]").forEach(steppedForm);
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
