#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""API tests for `parley serve` (docs/api.md): every endpoint, malformed
requests answered 4xx while the server keeps serving, and a bounded loopback
load test. Usage: api_test.py PARLEY SCENARIO OUTDIR [N_LOAD]. Standard
library only; talks to 127.0.0.1 only; the server stops itself
(--max-seconds) even if this script dies."""
import http.client
import json
import os
import re
import subprocess
import sys
import time

parley, scenario, outdir = sys.argv[1], sys.argv[2], sys.argv[3]
n_load = int(sys.argv[4]) if len(sys.argv) > 4 else 10000
os.makedirs(outdir, exist_ok=True)
fails = []


def check(cond, what):
    if not cond:
        fails.append(what)
        print("FAIL:", what, flush=True)


srv = subprocess.Popen([parley, "serve", scenario, "--port", "0", "--max-seconds", "240",
                        "--test-mode"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
line = srv.stdout.readline()
m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
if not m:
    print("server did not start:", line, srv.stderr.read())
    sys.exit(1)
port = int(m.group(1))
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)


def req(method, path, body=None, headers=None):
    global conn
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        data = r.read()
    except (http.client.HTTPException, OSError):
        # The server may close a connection after an error; reconnect once.
        conn.close()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        data = r.read()
    return r.status, r.getheader("Content-Type") or "", data


def jget(path):
    st, ct, data = req("GET", path)
    check(st == 200, f"GET {path} -> {st}")
    check(ct.startswith("application/json"), f"GET {path} content type {ct}")
    return json.loads(data)


# -- every endpoint ----------------------------------------------------------
st, ct, page = req("GET", "/")
check(st == 200 and ct.startswith("text/html") and b"/app.js" in page, "GET / serves the app")
for path in ("/app.js", "/app.css"):
    st, ct, body = req("GET", path)
    check(st == 200 and len(body) > 100, f"GET {path}")
    check(b"http://" not in body and b"https://" not in body, f"{path} loads nothing remote")
check("version" in json.dumps(jget("/api/version")), "version")
scn = jget("/api/scenario")
check("actors" in scn or "scenario" in scn, "scenario json")
ev = jget("/api/evaluate")
check("proposals" in ev, "evaluate json")
z = jget("/api/zopa")
check("count" in z, "zopa json")
check("packages" in jget("/api/pareto"), "pareto json")
check("packages" in jget("/api/solve"), "solve json")
check("bridges" in jget("/api/bridge"), "bridge json")
check("steps" in jget("/api/timeline"), "timeline json")
ctl = jget("/api/controls")
check(len(ctl["actors"]) >= 2, "controls list actors")
state = jget("/api/state")
check(set(state) >= {"evaluate", "zopa", "bridges", "controls", "compute_ms"}, "state keys")
check(state["bridges"] is not None, "state has the bridges")
st, ct, rep = req("GET", "/api/report")
check(st == 200 and rep.startswith(b"<!DOCTYPE html>"), "report html")
st, ct, yml = req("GET", "/api/yaml")
check(st == 200 and b"parley:" in yml, "yaml download")

# -- live editing: a reservation drop changes the ZOPA count ----------------
veto = [a for a in ctl["actors"] if a["veto"]]
a0 = veto[0]
count0 = z["count"]
times = []
changed = False
for delta in (-5, -10, -20, -40, 10, 20):
    t = time.perf_counter()
    st, ct, body = req("POST", "/api/edit", json.dumps(
        {"op": "set_reservation", "actor": a0["id"], "value": a0["reservation"] + delta}))
    times.append((time.perf_counter() - t) * 1000)
    check(st == 200, f"set_reservation -> {st} {body[:200]!r}")
    s = json.loads(body)
    if s["zopa"]["count"] != count0:
        changed = True
check(changed, "changing a reservation value changes the ZOPA count")
w = [x for x in a0["weights"] if x["raw"] > 0][0]
st, _, body = req("POST", "/api/edit", json.dumps(
    {"op": "set_weight", "actor": a0["id"], "issue": w["issue"], "value": w["raw"] + 1}))
check(st == 200, f"set_weight -> {st}")
rls = [(a, r) for a in veto for r in a["red_lines"]]
if rls:
    a, r = rls[0]
    st, _, body = req("POST", "/api/edit", json.dumps(
        {"op": "set_red_line", "actor": a["id"], "red_line": r["id"], "active": False}))
    check(st == 200, f"set_red_line -> {st}")
    s = json.loads(body)
    act = [x for x in s["controls"]["actors"] if x["id"] == a["id"]][0]
    check(not [x for x in act["red_lines"] if x["id"] == r["id"]][0]["active"], "red line off")
st, _, yml2 = req("GET", "/api/yaml")
check(st == 200 and yml2 != yml, "edited yaml differs")
with open(os.path.join(outdir, "edited.yaml"), "wb") as f:
    f.write(yml2)
chk = subprocess.run([parley, "check", os.path.join(outdir, "edited.yaml")],
                     capture_output=True, text=True)
check(chk.returncode == 0, "the saved YAML loads: " + chk.stdout + chk.stderr)
st, _, body = req("POST", "/api/reset", b"{}")
check(st == 200 and json.loads(body)["zopa"]["count"] == count0, "reset restores")

# -- malformed requests: 4xx, and the server keeps serving -----------------
bad = [
    ("POST", "/api/edit", b"{not json", 400),
    ("POST", "/api/edit", b"[1,2]", 400),
    ("POST", "/api/edit", b"", 400),
    ("POST", "/api/edit", json.dumps({"op": "nope", "actor": a0["id"]}).encode(), 400),
    ("POST", "/api/edit", json.dumps({"op": "set_reservation", "actor": "ghost", "value": 1}).encode(), 404),
    ("POST", "/api/edit", json.dumps({"op": "set_reservation", "actor": a0["id"], "value": "x"}).encode(), 400),
    ("POST", "/api/edit", json.dumps({"op": "set_weight", "actor": a0["id"], "issue": "ghost", "value": 1}).encode(), 404),
    ("POST", "/api/edit", json.dumps({"op": "set_weight", "actor": a0["id"], "issue": w["issue"], "value": -3}).encode(), 422),
    ("POST", "/api/edit", b"x" * (200 * 1024), 413),
    ("GET", "/api/edit", None, 405),
    ("POST", "/api/state", b"{}", 405),
    ("GET", "/api/nope", None, 404),
    ("GET", "/nope.html", None, 404),
    ("GET", "/api/../etc/passwd", None, 400),
    ("GET", "/../../etc/passwd", None, 400),
    ("GET", "/%2e%2e/etc/passwd", None, 400),
    ("DELETE", "/api/state", None, 405),
]
for method, path, body, want in bad:
    st, ct, data = req(method, path, body)
    check(st == want, f"{method} {path} {str(body)[:30]} -> {st}, want {want}")
    check(400 <= st < 500, f"{method} {path} is a 4xx")
    st2, _, _ = req("GET", "/api/version")
    check(st2 == 200, f"still serving after {method} {path}")

# -- bounded load test on loopback ------------------------------------------
t0 = time.perf_counter()
errors = 0
lat = []
for k in range(n_load):
    path = ("/api/version", "/app.css", "/api/controls", "/api/evaluate")[k % 4]
    t = time.perf_counter()
    try:
        st, _, _ = req("GET", path)
        if st != 200:
            errors += 1
    except Exception:  # noqa: BLE001 - any failure counts as an error
        errors += 1
    lat.append((time.perf_counter() - t) * 1000)
el = time.perf_counter() - t0
lat.sort()
check(errors == 0, f"load test: {errors} errors in {n_load} requests")

# -- live-edit latency on this scenario -------------------------------------
edit_lat = []
for k in range(20):
    t = time.perf_counter()
    st, _, body = req("POST", "/api/edit", json.dumps(
        {"op": "set_reservation", "actor": a0["id"], "value": a0["reservation"] - (k % 5)}))
    edit_lat.append((time.perf_counter() - t) * 1000)
edit_lat.sort()
summary = {
    "load_requests": n_load, "load_errors": errors, "load_seconds": round(el, 3),
    "load_p50_ms": round(lat[len(lat) // 2], 3), "load_p99_ms": round(lat[int(len(lat) * .99)], 3),
    "edit_p50_ms": round(edit_lat[10], 2), "edit_max_ms": round(edit_lat[-1], 2),
    "server_compute_ms": json.loads(body)["compute_ms"],
}
print(json.dumps(summary), flush=True)
with open(os.path.join(outdir, "api_summary.json"), "w") as f:
    json.dump(summary, f, indent=2)

st, _, _ = req("POST", "/api/shutdown", b"")
check(st == 200, "shutdown")
try:
    srv.wait(timeout=10)
except subprocess.TimeoutExpired:
    srv.kill()
    check(False, "server did not stop")
check(srv.returncode == 0, f"server exit status {srv.returncode}")
print("api tests:", "FAILED " + str(len(fails)) if fails else "ok")
sys.exit(1 if fails else 0)
