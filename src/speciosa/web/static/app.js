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

  // ---- offline: entries logged without a connection wait on this device (localStorage)
  // until the server takes them. Each carries an idempotency key, so a sync retried after a
  // lost answer stores it once; an entry the server refuses stays, shown for correction,
  // until the person sends it again or discards it: nothing is dropped silently.
  var QUEUE = "speciosa-offline-queue";
  var OLD_QUEUE = "speciosa-offline-doses";  // v1: doses only, without keys
  var PRODUCTS = "speciosa-offline-products";  // names only, for the offline dose form
  var KIND_NAMES = { dose: "Dose", pain: "Pain", fatigue: "Fatigue", soreness: "Soreness", bowel: "Bowel movement" };
  var SCORE_KINDS = ["pain", "fatigue", "soreness"];
  var MAIN_FIELD = { dose: "amount", bowel: "bristol" };  // the others: "score"
  // The server's amount rules (journal/units.py): a number and a unit it knows.
  var AMOUNT = /^\s*(\d+(?:[.,]\d+)?)\s*([a-z]+)\s*$/;
  var UNITS = { g: "g", gram: "g", grams: "g", gr: "g", mg: "mg", milligram: "mg", milligrams: "mg",
    cap: "caps", caps: "caps", capsule: "caps", capsules: "caps", tsp: "tsp", teaspoon: "tsp",
    teaspoons: "tsp", tbsp: "tbsp", tablespoon: "tbsp", tablespoons: "tbsp" };
  var AMOUNT_HELP = "write a number and a unit: g, mg, caps, tsp or tbsp (e.g. 3g, 2caps)";
  var REPEAT_MS = 4000;  // a second tap this soon, with nothing changed, is the same entry
  var syncing = false;

  function readList(name) { try { return JSON.parse(localStorage.getItem(name) || "[]"); } catch (e) { return []; } }
  function queued() { return readList(QUEUE); }
  function save(items) {
    try { localStorage.setItem(QUEUE, JSON.stringify(items)); return true; } catch (e) { return false; }
  }
  function newKey() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);  // also outside secure contexts, unlike randomUUID
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }
  function migrateOldQueue() {
    var old = readList(OLD_QUEUE);
    if (!old.length) return;
    var items = queued().concat(old.map(function (d) {
      return { key: newKey(), state: "waiting", body: { kind: "dose", amount: d.amount, product: d.product || null, at: d.at } };
    }));
    if (save(items)) try { localStorage.removeItem(OLD_QUEUE); } catch (e) { /* keep both */ }
  }

  // Client-side checks mirroring the server's basic rules; a message naming the field, or null.
  function checked(body) {
    if (body.kind === "dose") {
      var text = String(body.amount || "").toLowerCase();
      if (!text.trim()) return { field: "amount", message: "Amount is needed, e.g. 3g or 2caps." };
      var m = AMOUNT.exec(text);
      if (!m || !UNITS[m[2]]) return { field: "amount", message: "Amount '" + body.amount + "': " + AMOUNT_HELP + "." };
      var value = parseFloat(m[1].replace(",", "."));
      if (!(value > 0) || value > 10000) return { field: "amount", message: "Amount must be more than 0 and at most 10000." };
      var unit = UNITS[m[2]];
      if (unit !== "g" && unit !== "mg" && !body.product) {
        return { field: "product", message: "A dose in " + unit + " needs a product that says how much one weighs: choose it." };
      }
      return null;
    }
    if (SCORE_KINDS.indexOf(body.kind) !== -1) {
      var score = Number(body.score);
      if (body.score === "" || body.score == null || !(score >= 0 && score <= 10) || score % 1) {
        return { field: "score", message: KIND_NAMES[body.kind] + " score: choose a number from 0 to 10." };
      }
      return null;
    }
    if (body.kind === "bowel") {
      var type = Number(body.bristol);
      if (!body.bristol || !(type >= 1 && type <= 7) || type % 1) return { field: "bristol", message: "Bristol type: choose one from 1 to 7." };
      return null;
    }
    return { field: "kind", message: "This kind of entry cannot be logged offline." };
  }

  function bodyOf(form) {
    var kind = form.getAttribute("data-kind") || "dose";
    var data = new FormData(form);
    if (kind === "dose") return { kind: "dose", amount: String(data.get("amount") || "").trim(), product: data.get("product") || null };
    if (kind === "score") return { kind: String(data.get("kind") || ""), score: data.get("score") };
    if (kind === "bowel") return { kind: "bowel", bristol: data.get("bristol") };
    return { kind: kind };
  }

  function describe(item) {
    var b = item.body;
    var what = b.kind === "dose" ? b.amount + (b.product ? " (" + b.product + ")" : "") :
      b.kind === "bowel" ? "Bristol type " + b.bristol : b.score + " of 10";
    var at = new Date(b.at);
    var time = isNaN(at) ? "" : " at " + at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    return (KIND_NAMES[b.kind] || b.kind) + ": " + what + time;
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text != null) node.textContent = text;
    return node;
  }

  function showError(form, problem) {
    form.querySelectorAll(".field-error").forEach(function (p) { p.remove(); });
    form.querySelectorAll("[aria-invalid]").forEach(function (i) { i.removeAttribute("aria-invalid"); });
    if (!problem) return;
    var input = form.querySelector('[name="' + problem.field + '"]') || form.querySelector("input, select");
    var id = (form.id || "offline") + "-" + problem.field + "-error";
    var p = el("p", { "class": "field-error", id: id, role: "alert" }, problem.message);
    var place = input.closest(".field") || input.closest("fieldset") || form;
    place.appendChild(p);
    form.querySelectorAll('[name="' + problem.field + '"]').forEach(function (i) {
      i.setAttribute("aria-invalid", "true");
      i.setAttribute("aria-describedby", id);
    });
    input.focus();
  }

  // A region at the top of the page for what the sync did (created once so screen readers
  // hear its changes) and the entries that wait or need correcting.
  function region(selector, attrs) {
    var found = document.querySelector(selector);
    if (found) return found;
    var main = document.querySelector("main");
    var node = el("div", attrs);
    var heading = main.querySelector("h1");
    if (heading) heading.parentNode.insertBefore(node, heading.nextSibling);
    else main.insertBefore(node, main.firstChild);
    return node;
  }

  function announce(synced, refused) {
    var box = region("[data-sync-notice]", { "data-sync-notice": "", role: "status" });
    box.textContent = "";
    if (!synced && !refused) return;
    var note = el("div", { "class": "notice " + (refused ? "warn" : "ok") });
    if (synced) {
      var p = el("p", {}, (synced === 1 ? "1 entry" : synced + " entries") + " synced. ");
      p.appendChild(el("a", { href: "/history" }, synced === 1 ? "See it in History" : "See them in History"));
      note.appendChild(p);
    }
    if (refused) note.appendChild(el("p", {}, (refused === 1 ? "1 entry was" : refused + " entries were") + " not saved: correct below."));
    box.appendChild(note);
  }

  function correctionForm(item) {
    var form = el("form", { "class": "correction", id: "fix-" + item.key, novalidate: "" });
    var b = item.body;
    function field(name, label, control) {
      var wrap = el("div", { "class": "field" });
      control.id = "fix-" + item.key + "-" + name;
      control.name = name;
      wrap.appendChild(el("label", { "for": control.id }, label));
      wrap.appendChild(control);
      form.appendChild(wrap);
    }
    if (b.kind === "dose") {
      var amount = el("input", { autocomplete: "off" });
      amount.value = b.amount || "";
      field("amount", "Amount", amount);
      var product = productSelect(b.product);
      field("product", "Product", product);
    } else if (b.kind === "bowel") {
      var bristol = el("input", { type: "number", min: "1", max: "7", inputmode: "numeric" });
      bristol.value = b.bristol || "";
      field("bristol", "Bristol type (1-7)", bristol);
    } else {
      var score = el("input", { type: "number", min: "0", max: "10", inputmode: "numeric" });
      score.value = b.score == null ? "" : b.score;
      field("score", KIND_NAMES[b.kind] + " score (0-10)", score);
    }
    var actions = el("div", { "class": "actions" });
    actions.appendChild(el("button", { type: "submit", "class": "primary" }, "Send again"));
    var discard = el("button", { type: "button", "class": "secondary", "data-discard": "" }, "Discard");
    actions.appendChild(discard);
    form.appendChild(actions);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(form);
      var fixed = Object.assign({}, b);
      ["amount", "product", "score", "bristol"].forEach(function (k) { if (data.has(k)) fixed[k] = data.get(k) || null; });
      var problem = checked(fixed);
      if (problem) { showError(form, problem); return; }
      update(item.key, function (it) { it.body = fixed; it.state = "waiting"; it.error = null; });
      render();
      flush();
    });
    discard.addEventListener("click", function () {
      save(queued().filter(function (it) { return it.key !== item.key; }));
      render();
    });
    return form;
  }

  function productSelect(chosen) {
    var select = el("select", { "data-offline-products": "" });
    fillProducts(select, chosen);
    return select;
  }

  function fillProducts(select, chosen) {
    var names = readList(PRODUCTS);
    if (chosen && names.indexOf(chosen) === -1) names = names.concat([chosen]);
    select.textContent = "";
    select.appendChild(el("option", { value: "" }, "(none)"));
    names.forEach(function (name) {
      var option = el("option", { value: name }, name);
      if (name === chosen) option.selected = true;
      select.appendChild(option);
    });
  }

  function update(key, change) {
    var items = queued();
    items.forEach(function (it) { if (it.key === key) change(it); });
    save(items);
  }

  function today(item) {
    var at = new Date(item.body.at), now = new Date();
    return at.toDateString() === now.toDateString();
  }

  // "So far today" counts what waits here: in the offline shell as a list, on Today as a
  // line beside the server's numbers (which do not include it yet).
  function renderSummary(items) {
    var mine = items.filter(today);
    var doses = mine.filter(function (it) { return it.body.kind === "dose"; }).length;
    var shell = document.querySelector("[data-queue-summary]");
    if (shell) {
      shell.textContent = "";
      if (!mine.length) shell.appendChild(el("p", { "class": "muted" }, "Nothing logged on this device while offline."));
      else {
        var others = mine.length - doses;
        var parts = [];
        if (doses) parts.push(doses === 1 ? "1 dose" : doses + " doses");
        if (others) parts.push(others + " other " + (others === 1 ? "entry" : "entries"));
        shell.appendChild(el("p", { "class": "lead" }, parts.join(" and ") + " logged on this device:"));
        var list = el("ul", { "class": "queue-list" });
        mine.forEach(function (it) {
          list.appendChild(el("li", {}, describe(it) + (it.state === "refused" ? " (not saved: correct above)" : " (waiting to be sent)")));
        });
        shell.appendChild(list);
      }
    }
    var stats = document.getElementById("today-doses");
    if (stats) {
      var line = stats.parentNode.querySelector("[data-queue-count]");
      if (!line) { line = el("p", { "class": "muted", "data-queue-count": "" }); stats.parentNode.insertBefore(line, stats.nextSibling); }
      line.textContent = doses ? "+ " + (doses === 1 ? "1 dose" : doses + " doses") + " logged offline, waiting to be sent" : "";
      line.hidden = !doses;
    }
  }

  function renderRefused(items) {
    var refused = items.filter(function (it) { return it.state === "refused"; });
    var panel = document.querySelector("[data-offline-panel]");
    if (!panel && !refused.length) return;
    panel = panel || region("[data-offline-panel]", { "data-offline-panel": "" });
    panel.textContent = "";
    if (!refused.length) return;
    var card = el("section", { "class": "card refused", "aria-labelledby": "refused-h" });
    card.appendChild(el("h2", { id: "refused-h" }, refused.length === 1 ? "1 entry needs correcting" : refused.length + " entries need correcting"));
    card.appendChild(el("p", { "class": "muted small" }, "Logged on this device while offline; the server did not save it. It stays here until you send it again or discard it."));
    refused.forEach(function (it) {
      var box = el("div", { "class": "refused-entry" });
      box.appendChild(el("p", { "class": "lead" }, describe(it)));
      box.appendChild(el("p", { "class": "field-error" }, it.error || "The server refused this entry."));
      box.appendChild(correctionForm(it));
      card.appendChild(box);
    });
    panel.appendChild(card);
  }

  function render() {
    var items = queued();
    renderSummary(items);
    renderRefused(items);
    var state = document.querySelector("[data-offline-state]");
    if (state) {
      state.textContent = navigator.onLine ?
        "You are back online. " : "You are offline. What you log here stays on this device and is sent when the connection is back.";
      if (navigator.onLine) state.appendChild(el("a", { href: "/" }, "Open Today"));
    }
  }

  function csrfToken() {
    return fetch("/api/v1/session", { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json().then(function (s) { return s.csrf_token || null; }) : null; });
  }

  // One entry to the server: "stored", "refused" (kept for correction) or "stop" (offline,
  // signed out, server fault: everything stays waiting for the next try).
  function send(item, token) {
    var headers = { "Content-Type": "application/json", "Accept": "application/json", "Idempotency-Key": item.key };
    if (token) headers["x-csrf-token"] = token;
    return fetch("/api/v1/entries", {
      method: "POST", credentials: "same-origin", headers: headers, body: JSON.stringify(item.body)
    }).then(function (response) {
      if (response.ok) return "stored";
      if (response.status < 400 || response.status >= 500 || [401, 403, 408, 425, 429].indexOf(response.status) !== -1) return "stop";
      return response.json().catch(function () { return {}; }).then(function (body) {
        var message = body && body.error && body.error.message;
        update(item.key, function (it) { it.state = "refused"; it.error = message || "The server refused it (" + response.status + ")."; });
        return "refused";
      });
    }, function () { return "stop"; });
  }

  function flush() {
    if (syncing || !navigator.onLine) return;
    if (!queued().some(function (it) { return it.state !== "refused"; })) return;
    syncing = true;
    var synced = 0, refused = 0;
    function next(token) {
      var item = queued().filter(function (it) { return it.state !== "refused"; })[0];
      if (!item) return null;
      return send(item, token).then(function (outcome) {
        if (outcome === "stored") { save(queued().filter(function (it) { return it.key !== item.key; })); synced += 1; }
        if (outcome === "refused") refused += 1;
        return outcome === "stop" ? null : next(token);
      });
    }
    csrfToken().catch(function () { return null; }).then(next).catch(function () { /* try again later */ })
      .then(function () {
        syncing = false;
        if (synced || refused) announce(synced, refused);
        // "kept on this device" notes are out of date once their entries are sent
        if (synced) document.querySelectorAll("[data-queued-note]").forEach(function (n) { n.remove(); });
        render();
      });
  }

  function queueForm(form) {
    var shell = !!form.closest("[data-offline-shell]");
    form.addEventListener("input", function () { form.removeAttribute("data-queued-key"); });
    form.addEventListener("change", function () { form.removeAttribute("data-queued-key"); });
    form.addEventListener("submit", function (event) {
      if (!shell && navigator.onLine) return;  // Today online: the server takes the form
      event.preventDefault();
      var last = Number(form.getAttribute("data-queued-at") || 0);
      if (form.getAttribute("data-queued-key") && Date.now() - last < REPEAT_MS) return;  // a double tap
      var body = bodyOf(form);
      var problem = checked(body);
      showError(form, problem);
      if (problem) return;
      body.at = new Date().toISOString();
      var item = { key: newKey(), state: "waiting", body: body };
      if (!save(queued().concat([item]))) {
        showError(form, { field: MAIN_FIELD[body.kind] || "score", message: "This device has no room left to keep the entry." });
        return;
      }
      form.setAttribute("data-queued-key", item.key);
      form.setAttribute("data-queued-at", String(Date.now()));
      var note = form.querySelector("[data-queued-note]") || form.appendChild(el("p", { "class": "notice info", role: "status", "data-queued-note": "" }));
      note.textContent = "Kept on this device: " + describe(item) + ". It is sent when you are back online.";
      render();
      flush();
    });
  }

  function offlineQueue() {
    migrateOldQueue();
    // Today online remembers its product names, so the offline dose form can offer them.
    var products = document.querySelector("#quick-product:not([data-offline-products])");
    if (products) {
      var names = Array.prototype.map.call(products.options, function (o) { return o.value; }).filter(Boolean);
      try { localStorage.setItem(PRODUCTS, JSON.stringify(names)); } catch (e) { /* full */ }
    }
    document.querySelectorAll("[data-offline-products]").forEach(function (s) { fillProducts(s, null); });
    document.querySelectorAll("[data-offline-queue]").forEach(queueForm);
    window.addEventListener("online", function () { render(); flush(); });
    window.addEventListener("offline", render);
    render();
    flush();
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

  // First run: the device's zone fills an empty zone field, shown for the person to
  // confirm or change (saved only when they press Continue). Its own listener, so that
  // nothing else failing on the page can leave the field empty.
  function deviceZone() {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { return ""; }
  }

  ready(function () {
    document.querySelectorAll("[data-device-zone]").forEach(function (input) {
      if (!input.value) input.value = deviceZone();
    });
  });

  ready(function () {
    notifyDue(Array.prototype.slice.call(document.querySelectorAll("[data-due]")));
    document.querySelectorAll("[data-notify-permission]").forEach(notifyButton);
    document.querySelectorAll("form[data-steps]").forEach(steppedForm);
    document.querySelectorAll("[data-theme-toggle]").forEach(themeToggle);
    document.querySelectorAll(".chart-box").forEach(chartBox);
    document.querySelectorAll("[data-copy]").forEach(copyButton);
    offlineQueue();
    document.querySelectorAll("[data-import-job]").forEach(importJob);
    document.querySelectorAll("[data-browser-zone]").forEach(function (input) {
      input.value = deviceZone();  // sign-up: the account's zone, changeable in Settings
    });
    if ("serviceWorker" in navigator && location.pathname.indexOf("/s/") !== 0) {
      navigator.serviceWorker.register("/sw.js").catch(function () { /* not essential */ });
    }
  });
})();
