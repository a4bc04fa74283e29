#include "admin/dashboard.hpp"

namespace cachet::admin {
namespace {

constexpr std::string_view kPage = R"html(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>cachet</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 24px; background: #f7f7f5; color: #222; }
h1 { font-size: 20px; margin: 0 0 4px; }
#status { color: #666; margin-bottom: 16px; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 12px; }
.card { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 12px; }
.label { color: #666; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.value { font-size: 26px; font-variant-numeric: tabular-nums; margin-top: 4px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
td { padding: 2px 4px; } td.n { text-align: right; }
td.key { font-family: ui-monospace, monospace; word-break: break-all; }
.bar { height: 8px; background: #eee; border-radius: 4px; margin-top: 8px; overflow: hidden; }
.bar > div { height: 100%; background: #3a7bd5; width: 0; }
canvas { width: 100%; height: 120px; }
</style>
</head>
<body>
<h1>cachet</h1>
<div id="status">connecting to /stats ...</div>
<div class="grid">
  <div class="card"><div class="label">requests/s (last 5 s)</div><div class="value" id="rps">-</div></div>
  <div class="card"><div class="label">hit ratio (last 5 s)</div><div class="value" id="hit_ratio">-</div></div>
  <div class="card"><div class="label">origin latency p50 / p99, servers in rotation</div>
    <table id="origins"></table></div>
  <div class="card"><div class="label">memory (resident) / budget</div><div class="value" id="memory">-</div>
    <div class="bar"><div id="memory_bar"></div></div></div>
  <div class="card"><div class="label">store bytes / budget</div><div class="value" id="store">-</div>
    <div class="bar"><div id="store_bar"></div></div></div>
  <div class="card"><div class="label">entries</div><div class="value" id="entries">-</div></div>
  <div class="card"><div class="label">evictions</div><div class="value" id="evictions">-</div></div>
  <div class="card"><div class="label">requests/s by cache status (last 5 s)</div>
    <table id="by_status"></table></div>
</div>
<div class="card" style="margin-top:12px"><div class="label">requests/s, last 2 minutes</div>
  <canvas id="chart" width="800" height="120"></canvas></div>
<div class="card" style="margin-top:12px"><div class="label">top keys by hits (estimated from
  one hit in 16, since start)</div><table id="top_keys"></table></div>
<script>
"use strict";
const statuses = ["hit", "stale", "miss", "revalidated", "pass", "error", "refused"];
// Rates over the last five seconds: the readings kept, oldest first.
let readings = [], history = [], updates = 0;
function mib(n) { return (n / 1048576).toFixed(1) + " MiB"; }
function ms(s) { return (s * 1000).toFixed(1) + " ms"; }
function set(id, text) { document.getElementById(id).textContent = text; }
// Names from the configuration, escaped before they join markup.
function text(t) { const d = document.createElement("div"); d.textContent = t; return d.innerHTML; }
function draw() {
  const c = document.getElementById("chart"), g = c.getContext("2d");
  g.clearRect(0, 0, c.width, c.height);
  const max = Math.max(1, ...history);
  g.strokeStyle = "#3a7bd5"; g.lineWidth = 2; g.beginPath();
  history.forEach((v, i) => {
    const x = c.width - (history.length - 1 - i) * (c.width / 120), y = c.height - v / max * (c.height - 4) - 2;
    if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
  });
  g.stroke();
}
async function update() {
  try {
    const r = await fetch("/stats", {cache: "no-store"});
    const s = await r.json();
    const now = performance.now();
    const previous = readings.length > 0 ? readings[0] : null;
    if (previous) {
      const dt = (now - previous.at) / 1000;
      let total = 0, rows = "";
      const rate = {};
      for (const k of statuses) {
        rate[k] = Math.max(0, s.requests[k] - previous.stats.requests[k]) / dt;
        total += rate[k];
        rows += "<tr><td>" + k + "</td><td class=n id=rate_" + k + ">" + rate[k].toFixed(1) + "</td></tr>";
      }
      document.getElementById("by_status").innerHTML = rows;
      set("rps", total.toFixed(1));
      const looked = rate.hit + rate.stale + rate.miss + rate.revalidated;
      set("hit_ratio", looked > 0 ? (100 * (rate.hit + rate.stale) / looked).toFixed(1) + " %" : "-");
      history.push(total); if (history.length > 120) history.shift();
      draw();
    }
    let origin_rows = "";
    for (const o of s.origins) {
      const up = o.servers.filter(v => v.up).length;
      origin_rows += "<tr><td>" + text(o.name) + "</td><td class=n>" + ms(o.response_seconds_p50) +
        " / " + ms(o.response_seconds_p99) + "</td><td class=n>" + up + "/" + o.servers.length + "</td></tr>";
    }
    document.getElementById("origins").innerHTML = origin_rows;
    set("memory", mib(s.resident_memory_bytes) + " / " + mib(s.store.budget_bytes));
    document.getElementById("memory_bar").style.width =
      Math.min(100, 100 * s.resident_memory_bytes / s.store.budget_bytes) + "%";
    set("store", mib(s.store.bytes) + " / " + mib(s.store.budget_bytes));
    document.getElementById("store_bar").style.width =
      Math.min(100, 100 * s.store.bytes / s.store.budget_bytes) + "%";
    const keys = s.top_keys.map(k => {
      const row = document.createElement("tr"), key = document.createElement("td"),
            hits = document.createElement("td");
      key.className = "key"; key.textContent = k.key;
      hits.className = "n"; hits.textContent = "~" + k.hits;
      row.append(key, hits);
      return row;
    });
    if (keys.length === 0) {
      const row = document.createElement("tr"), none = document.createElement("td");
      none.textContent = "no hits sampled yet";
      row.append(none);
      keys.push(row);
    }
    document.getElementById("top_keys").replaceChildren(...keys);
    document.body.dataset.topKeys = String(s.top_keys.length);
    set("entries", String(s.store.entries));
    set("evictions", String(s.store.evictions));
    updates += 1;
    set("status", (s.ready ? "ready" : "NOT READY") + ", " + s.workers + " workers, " +
        s.origins.length + (s.origins.length === 1 ? " origin, " : " origins, ") +
        s.requests_total + " requests in all; updates: " + updates);
    document.body.dataset.updates = String(updates);
    document.body.dataset.requestsTotal = String(s.requests_total);
    readings.push({at: now, stats: s});
    if (readings.length > 6) readings.shift();
  } catch (e) {
    set("status", "cannot read /stats: " + e);
  }
}
update();
setInterval(update, 1000);
</script>
</body>
</html>
)html";

}  // namespace

std::string_view dashboard_html() noexcept { return kPage; }

}  // namespace cachet::admin
