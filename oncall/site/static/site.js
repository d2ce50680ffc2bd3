/* oncall site: works out "now" in the reader's browser and time zone.
   The Now page's cards are filled from the shifts in data.js; timelines move their "now" line.
   Without this script every page still shows the answer of the moment it was built. */
(function () {
  "use strict";
  var D = window.ONCALL_DATA;
  var format = new Intl.DateTimeFormat(undefined, {
    weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
    hourCycle: "h23", timeZoneName: "short"
  });

  function el(name, text, attrs) {
    var node = document.createElement(name);
    if (text) node.textContent = text;
    for (var key in attrs || {}) node.setAttribute(key, attrs[key]);
    return node;
  }
  function time(t) {
    return el("time", format.format(new Date(t * 1000)), { datetime: new Date(t * 1000).toISOString() });
  }
  function length(seconds) {
    var minutes = Math.floor(Math.max(seconds, 0) / 60), parts = [];
    var units = [[Math.floor(minutes / 1440), "d"], [Math.floor(minutes % 1440 / 60), "h"], [minutes % 60, "m"]];
    units.forEach(function (u) { if (u[0]) parts.push(u[0] + u[1]); });
    return parts.slice(0, 2).join(" ") || "0m";
  }
  function fill(slot, nodes) {
    if (!slot) return;
    while (slot.firstChild) slot.removeChild(slot.firstChild);
    nodes.forEach(function (n) { slot.appendChild(typeof n === "string" ? document.createTextNode(n) : n); });
  }

  // Segments of one schedule: bounds b[0..n], persons p[0..n-1] (-1: nobody on call).
  function segments(s) {
    var b = [s.t[0]];
    for (var i = 1; i < s.t.length; i++) b.push(b[i - 1] + s.t[i]);
    return b;
  }

  // The answer for one schedule at `now`, as `oncall whois` gives it.
  function answerAt(s, now) {
    var b = segments(s), n = s.p.length;
    if (!n || now < b[0] || now >= b[n]) return null;
    var lo = 0, hi = n - 1;
    while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (b[mid] <= now) lo = mid; else hi = mid - 1; }
    var i = lo, next = null, gap = null;
    for (var j = i + 1; j < n; j++) { if (s.p[j] >= 0) { next = [s.p[j], b[j]]; break; } }
    if (!next && s.after) next = s.after;
    for (var k = i + 1; k < n; k++) { if (s.p[k] < 0) { gap = [b[k], b[k + 1]]; break; } }
    return {
      person: s.p[i] >= 0 ? s.p[i] : null,
      since: i === 0 ? s.lo : b[i],
      until: i === n - 1 ? s.hi : b[i + 1],
      next: next, gap: gap
    };
  }

  function personLink(index) {
    var who = D.people[index];
    return el("a", who[1], { "class": "person", href: who[2] });
  }

  function renderCards(now) {
    var byId = {};
    D.schedules.forEach(function (s) { byId[s.id] = s; });
    Array.prototype.forEach.call(document.querySelectorAll("article.card[data-schedule]"), function (card) {
      var s = byId[card.getAttribute("data-schedule")];
      var a = s ? answerAt(s, now) : null;
      var state = !a ? "unknown" : a.person === null ? "gap" : "on";
      Array.prototype.forEach.call(card.querySelectorAll("[data-show]"), function (part) {
        part.hidden = part.getAttribute("data-show").split(" ").indexOf(state) < 0;
      });
      if (!a) return;
      var slot = function (name) { return card.querySelector('[data-slot="' + name + '"]'); };
      if (a.person !== null) fill(slot("person"), [personLink(a.person)]);
      fill(slot("since"), a.since === null ? ["not known"] : [time(a.since), " (" + length(now - a.since) + " ago)"]);
      fill(slot("until"), a.until === null ? ["not known"] : [time(a.until), " (in " + length(a.until - now) + ")"]);
      fill(slot("next"), a.next ? [personLink(a.next[0]), " from ", time(a.next[1])] : ["nobody scheduled"]);
      var gap = slot("gap");
      fill(gap, a.gap ? [time(a.gap[0]), " – ", time(a.gap[1]), " (" + length(a.gap[1] - a.gap[0]) + ")"]
                      : ["none until ", time(D.to)]);
      gap.className = a.gap ? "gap" : "";
    });
  }

  function renderClock(now) {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    fill(document.getElementById("asof"), ["Now: ", time(now), " (your time zone: " + zone + ")."]);
    var horizon = document.getElementById("horizon");
    if (!horizon) return;
    if (now >= D.to) {
      horizon.className = "horizon warn";
      horizon.setAttribute("role", "alert");
      fill(horizon, ["This page knows shifts only until ", time(D.to),
                     ", which has passed: rebuild it to see who is on call."]);
    } else if (now < D.from) {
      horizon.className = "horizon warn";
      fill(horizon, ["This page knows shifts from ", time(D.from), " until ", time(D.to),
                     ": it does not know about now."]);
    } else {
      horizon.className = "horizon";
      fill(horizon, ["This page knows shifts until ", time(D.to), "; rebuild it to see further."]);
    }
  }

  // Timelines: one "now" line per day row; show the one whose day holds now.
  function moveNowLines(now) {
    Array.prototype.forEach.call(document.querySelectorAll("svg.timeline"), function (svg) {
      var lane = (svg.getAttribute("data-lane") || "0 100").split(" ").map(Number);
      Array.prototype.forEach.call(svg.querySelectorAll("line.now"), function (line) {
        var t0 = Number(line.getAttribute("data-t0")), t1 = Number(line.getAttribute("data-t1"));
        if (now >= t0 && now < t1) {
          var x = (lane[0] + (now - t0) * lane[1] / (t1 - t0)).toFixed(3) + "%";
          line.setAttribute("x1", x);
          line.setAttribute("x2", x);
          line.setAttribute("visibility", "visible");
        } else {
          line.setAttribute("visibility", "hidden");
        }
      });
    });
  }

  function render() {
    var now = Math.floor(Date.now() / 1000);
    moveNowLines(now);
    if (D) {
      renderClock(now);
      renderCards(now);
    }
    setTimeout(render, 60000 - Date.now() % 60000);
  }
  render();
})();
