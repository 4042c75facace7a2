#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""API tests for `parley serve` (docs/api.md): every endpoint, malformed
requests answered 4xx while the server keeps serving, and a bounded loopback
load test; with WAR_SCENARIO (a scenario with a war: section), the background
simulations (POST /api/simulate, GET and DELETE /api/simulate/ID) on a second
server. Usage: api_test.py PARLEY SCENARIO OUTDIR [N_LOAD [WAR_SCENARIO]].
Standard library only; talks to 127.0.0.1 only; the servers stop themselves
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
war_scenario = sys.argv[5] if len(sys.argv) > 5 else None
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
    # The SVG namespace name is an identifier, never fetched.
    body = body.replace(b"http://www.w3.org/2000/svg", b"")
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
check(state.get("bridges_quick") is False, "GET /api/state counts the bridges' zones")
qb = jget("/api/bridge?quick=1")
check("bridges" in qb and len(qb["bridges"]) == len(jget("/api/bridge")["bridges"]),
      "quick bridges: the same bridges")
st, ct, rep = req("GET", "/api/report")
check(st == 200 and rep.startswith(b"<!DOCTYPE html>"), "report html")
st, ct, yml = req("GET", "/api/yaml")
check(st == 200 and b"parley:" in yml, "yaml download")

# -- simulation on a scenario without a war: section -------------------------
sims = jget("/api/simulate")
check(sims["war"] is False and sims["jobs"] == [], "GET /api/simulate without war")
check(ctl.get("war") is False, "controls say there is no war section")
st, _, body = req("POST", "/api/simulate", b'{"runs": 10}')
check(st == 422 and b"war" in body, f"POST /api/simulate without war -> {st} {body[:120]!r}")
st, _, _ = req("GET", "/api/simulate/1")
check(st == 404, f"GET /api/simulate/1 without jobs -> {st}")

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
    check(s.get("bridges_quick") is True and s["bridges"] is not None,
          "an edit answers with the quick bridges")
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


# -- background simulations (a second server, on a scenario with a war) ------
def start_server(path):
    p = subprocess.Popen([parley, "serve", path, "--port", "0", "--max-seconds", "240",
                          "--test-mode"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    mm = re.search(r"http://127\.0\.0\.1:(\d+)/", p.stdout.readline())
    if not mm:
        print("server did not start:", p.stderr.read())
        sys.exit(1)
    return p, int(mm.group(1))


def wait_job(jid, limit=120):
    t = time.time()
    while True:
        j = jget(f"/api/simulate/{jid}")
        if j["state"] != "running" or time.time() - t > limit:
            return j
        time.sleep(0.05)


if war_scenario:
    srv, port = start_server(war_scenario)
    conn.close()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    check(jget("/api/simulate")["war"] is True, "GET /api/simulate with war")
    check(jget("/api/controls")["war"] is True, "controls say there is a war section")
    st, _, body = req("POST", "/api/simulate", json.dumps({"runs": 300, "seed": 7}).encode())
    check(st == 200, f"POST /api/simulate -> {st} {body[:200]!r}")
    job = json.loads(body)
    check(job["state"] in ("running", "done") and job["total"] == 300 and job["result"] is None,
          f"a new job: {job}")
    done = wait_job(job["id"])
    check(done["state"] == "done" and done["done"] == 300, f"job finished: {done['state']}")
    res = done["result"] or {}
    check(len(res.get("deal_by_month", [])) > 0 and res.get("runs") == 300
          and res.get("seed") == 7, "result has deal_by_month, runs and seed")
    st, ct, rep = req("GET", "/api/report?runs=40&tornado_runs=5&seed=2")
    check(st == 200 and b'id="deal"' in rep and b"--runs 40 --seed 2" in rep,
          f"report with runs and seed -> {st}")
    st, ct, rep = req("GET", "/api/report?war=0")
    check(st == 200 and b'id="deal"' not in rep, f"report without war charts -> {st}")
    for q in ("runs=0", "runs=x", "tornado_runs=-1", "seed=-3", "seed="):
        st, _, _ = req("GET", "/api/report?" + q)
        check(st == 400, f"GET /api/report?{q} -> {st}")
    # the same numbers as the command line, seed for seed
    cli = subprocess.run([parley, "simulate", war_scenario, "--runs", "300", "--seed", "7",
                          "--json", "--no-db"], capture_output=True, text=True)
    if cli.returncode == 0:
        check(json.loads(cli.stdout)["deal_by_month"] == res.get("deal_by_month"),
              "the API's result is the CLI's")
    # a horizon, and a float that is a whole number
    st, _, body = req("POST", "/api/simulate", b'{"runs": 20.0, "horizon": 6}')
    check(st == 200, f"POST with horizon -> {st} {body[:200]!r}")
    if st == 200:
        j2 = wait_job(json.loads(body)["id"])
        check(len((j2["result"] or {}).get("deal_by_month", [])) == 6, "horizon 6 gives 6 months")
    jobs = jget("/api/simulate")["jobs"]
    check(len(jobs) == 2 and all("result" not in j or j["result"] is None for j in jobs),
          "GET /api/simulate lists the jobs without results")
    bad = [
        ("POST", "/api/simulate", b"{not json", 400),
        ("POST", "/api/simulate", b"[300]", 400),
        ("POST", "/api/simulate", b"", 400),
        ("POST", "/api/simulate", b'{"runs": 0}', 400),
        ("POST", "/api/simulate", b'{"runs": -5}', 400),
        ("POST", "/api/simulate", b'{"runs": 100001}', 400),
        ("POST", "/api/simulate", b'{"runs": 1e300}', 400),
        ("POST", "/api/simulate", b'{"runs": 2.5}', 400),
        ("POST", "/api/simulate", b'{"runs": "300"}', 400),
        ("POST", "/api/simulate", b'{"seed": -1}', 400),
        ("POST", "/api/simulate", b'{"horizon": 0}', 400),
        ("POST", "/api/simulate", b'{"horizon": 5000}', 400),
        ("POST", "/api/simulate", b'{"runs": 10, "extra": 1}', 400),
        ("POST", "/api/simulate", b"x" * (200 * 1024), 413),
        ("PUT", "/api/simulate", b"{}", 405),
        ("GET", "/api/simulate/999", None, 404),
        ("GET", "/api/simulate/abc", None, 404),
        ("GET", "/api/simulate/", None, 404),
        ("GET", "/api/simulate/1/../../x", None, 400),
        ("POST", "/api/simulate/1", b"{}", 405),
    ]
    for method, path, body, want in bad:
        st, ct, data = req(method, path, body)
        check(st == want, f"{method} {path} {str(body)[:30]} -> {st}, want {want}")
        check(ct.startswith("application/json") and b"error" in data, f"{method} {path} explains")
        st2, _, _ = req("GET", "/api/version")
        check(st2 == 200, f"still serving after {method} {path}")
    # One job at a time: a long one refuses a second (429), then is stopped.
    st, _, body = req("POST", "/api/simulate", b'{"runs": 100000, "horizon": 1200}')
    check(st == 200, f"long job -> {st}")
    if st == 200:
        jid = json.loads(body)["id"]
        st, _, body = req("POST", "/api/simulate", b'{"runs": 10}')
        j = jget(f"/api/simulate/{jid}")
        if j["state"] == "running":
            check(st == 429, f"a second job while one runs -> {st}")
        print(f"long job after the second POST: {j['state']}, {j['done']}/{j['total']}; "
              f"second POST -> {st}", flush=True)
        st, _, body = req("DELETE", f"/api/simulate/{jid}")
        check(st == 200, f"DELETE /api/simulate/{jid} -> {st}")
        j = wait_job(jid, 30)
        check(j["state"] in ("cancelled", "done"), f"stopped job: {j['state']}")
        check(j["state"] != "cancelled" or j["result"] is None, "a stopped job has no result")
    # Stopping the server stops a running job.
    st, _, body = req("POST", "/api/simulate", b'{"runs": 100000, "horizon": 1200}')
    check(st == 200, f"another long job -> {st}")
    t = time.time()
    req("POST", "/api/shutdown", b"")
    try:
        srv.wait(timeout=30)
        print(f"server with a running simulation stopped in {time.time() - t:.2f} s", flush=True)
    except subprocess.TimeoutExpired:
        srv.kill()
        check(False, "the server did not stop while simulating")
    check(srv.returncode == 0, f"war server exit status {srv.returncode}")

print("api tests:", "FAILED " + str(len(fails)) if fails else "ok")
sys.exit(1 if fails else 0)
