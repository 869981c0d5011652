// marketdesk console: the live unread badge, the red-alert pop-up, deadline countdowns
// and times in the viewer's own zone. Pages work without this file; it only adds.
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]');
  var token = csrf ? csrf.getAttribute("content") : null;

  function badge(delta) {
    var b = document.getElementById("unread-badge");
    if (!b) return;
    var n = Math.max(0, (parseInt(b.firstChild.nodeValue, 10) || 0) + delta);
    b.firstChild.nodeValue = String(n);
    b.classList.toggle("empty", n === 0);
  }

  // Red messages wait their turn: a takedown sends the notice and the report together,
  // and each one is shown and acknowledged on its own. Those still waiting when the
  // reader follows one to its page come up again there (kept for this tab only).
  var SAVED = "marketdesk.redAlerts";
  var waiting = [];
  var leaving = false;
  function showAlert(m) {
    var d = document.getElementById("red-alert");
    if (!d) return;
    if (d.open) { waiting.push(m); return; }
    document.getElementById("red-alert-title").textContent = m.title;
    document.getElementById("red-alert-body").textContent = m.body;
    document.getElementById("red-alert-open").setAttribute("href", m.href);
    d.dataset.message = m.id;
    d.showModal();
    document.getElementById("red-alert-ack").focus();
  }

  function markRead(id) {
    if (!id || !token) return;
    fetch("/inbox/" + encodeURIComponent(id) + "/read", {
      method: "POST",
      headers: { "X-CSRF-Token": token, "Content-Type": "application/x-www-form-urlencoded" },
      body: "",
      credentials: "same-origin",
      keepalive: true
    }).then(function (r) { if (r.ok) badge(-1); });
  }

  function acknowledge() {
    var d = document.getElementById("red-alert");
    var id = d.dataset.message;
    delete d.dataset.message;
    d.close();
    markRead(id);
  }

  function openIt() {
    leaving = true;
    try { sessionStorage.setItem(SAVED, JSON.stringify(waiting)); } catch (_) { /* private mode */ }
    acknowledge();
  }

  var dialog = document.getElementById("red-alert");
  if (dialog) {
    // Escape closes without acknowledging; either way the next one waiting comes up.
    dialog.addEventListener("close", function () {
      if (!leaving && waiting.length) showAlert(waiting.shift());
    });
  }

  if (token && window.EventSource) {
    var ack = document.getElementById("red-alert-ack");
    if (ack) ack.addEventListener("click", acknowledge);
    var open = document.getElementById("red-alert-open");
    if (open) open.addEventListener("click", openIt);
    var saved = [];
    try { saved = JSON.parse(sessionStorage.getItem(SAVED) || "[]"); sessionStorage.removeItem(SAVED); } catch (_) { saved = []; }
    saved.forEach(showAlert);
    var es = new EventSource("/events");
    es.addEventListener("message", function (e) {
      var m;
      try { m = JSON.parse(e.data); } catch (_) { return; }
      badge(1);
      if (m.severity === "red") showAlert(m);
    });
    document.body.dataset.live = "1";
    es.addEventListener("open", function () { document.body.dataset.liveOpen = "1"; });
  }

  document.body.addEventListener("htmx:afterRequest", function (e) {
    var el = e.detail && e.detail.elt;
    if (el && el.hasAttribute && el.hasAttribute("data-mark-read") && e.detail.successful) badge(-1);
  });

  // Countdowns: "2 d 03:04:05" left, or the page's words for a passed deadline.
  var units = null;
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var due = Date.parse(el.getAttribute("data-countdown"));
      var left = Math.floor((due - now) / 1000);
      if (left <= 0) { el.textContent = el.getAttribute("data-passed"); return; }
      units = units || (el.getAttribute("data-units") || "d").trim();
      var d = Math.floor(left / 86400), h = Math.floor(left % 86400 / 3600);
      var m = Math.floor(left % 3600 / 60), s = left % 60;
      var two = function (n) { return (n < 10 ? "0" : "") + n; };
      el.textContent = (d > 0 ? d + " " + units + " " : "") + two(h) + ":" + two(m) + ":" + two(s);
    });
  }
  if (document.querySelector("[data-countdown]")) { tick(); setInterval(tick, 1000); }

  // The viewer's own zone, beside the site's.
  var lang = document.documentElement.getAttribute("lang") || "en";
  document.querySelectorAll("[data-local-time]").forEach(function (el) {
    var t = new Date(el.getAttribute("data-local-time"));
    if (isNaN(t)) return;
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    el.textContent = t.toLocaleString(lang, { dateStyle: "medium", timeStyle: "short" }) + " (" + zone + ")";
  });
})();
