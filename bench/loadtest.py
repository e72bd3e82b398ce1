"""Serve the site as production does and load it: `make loadtest`.

gunicorn (2 sync workers, production settings: DJANGO_DEBUG unset, a random
DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS=127.0.0.1, DJANGO_SECURE_SSL_REDIRECT=0,
static files collected first) on 127.0.0.1 and a free port, over a database of its
own holding 10,000 synthetic agreements: bench/bench.sqlite3, or the PostgreSQL
database DATABASE_URL names (its public schema), seeded the first time and kept for
the next runs. It logs
in as a real client does (the login form, its CSRF token, the right password: django-axes
locks out after failures), then drives the floor view, the status page and one agreement
page with wrk: 32 connections, 2 threads, 30 s each, after a 3 s warm-up; wrk's
timeout is the run's length, so that queueing behind the two workers shows as latency,
and before each run the server is left to drain what the previous one queued. Throughput,
p50 and p99 latency and the answers that are not 2xx are printed and appended to
bench/RESULTS.md, with each target met or missed. The exit status is 1 when a request
failed; a missed target is reported, not failed. wrk is installed with apt-get when it
is missing; it only ever connects to 127.0.0.1.

    .venv/bin/python bench/loadtest.py [--duration 30] [--connections 32]
"""

import argparse
import datetime
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
BIN = Path(sys.executable).parent
RESULTS = BENCH / "RESULTS.md"
LUA = BENCH / "wrk_report.lua"
LOG = BENCH / "gunicorn.log"
SIZE = 10_000
HOST = "127.0.0.1"
USERNAME = "bench-loadtest"
TARGET_P99_MS = 300  # each page
TARGET_STATUS_SHARE = 0.25  # the status page's throughput against the floor's


def ensure_wrk():
    if shutil.which("wrk"):
        return shutil.which("wrk")
    if os.geteuid() != 0:
        sys.exit("wrk is missing: install it (apt-get install -y wrk) and run again.")
    print("Installing wrk (apt-get install -y wrk)…", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run(["apt-get", "install", "-y", "wrk"], env=env).returncode != 0:
        subprocess.run(["apt-get", "update"], env=env, check=True)
        subprocess.run(["apt-get", "install", "-y", "wrk"], env=env, check=True)
    return shutil.which("wrk") or sys.exit("wrk could not be installed.")


def database_url():
    return os.environ.get("DATABASE_URL") or f"sqlite:///{BENCH / 'bench.sqlite3'}"


def prepare(password):
    """The database at 10,000 agreements, and the load test's user; what run.py says of it."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "BENCH_USER": USERNAME,
        "BENCH_PASSWORD": password,
    }
    result = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--prepare", str(SIZE)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def production_env():
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key != "DATABASE_URL"
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url(),
        "PYTHONPATH": str(ROOT),
    }
    return env


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def request(port, method, path, body=None, headers=None):
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


def cookies_of(headers):
    jar = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            pair = value.split(";", 1)[0]
            key, _, val = pair.partition("=")
            jar[key.strip()] = val.strip()
    return jar


def wait_until_up(port, server, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped (exit {server.returncode}); see {LOG}.")
        try:
            status, _, _ = request(port, "GET", "/healthz")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    sys.exit(f"gunicorn did not answer /healthz within {seconds} s; see {LOG}.")


def drain(port, seconds=120):
    """Wait until the workers have served what wrk left queued (a sync worker still answers
    requests whose client has gone), so that one target's backlog does not slow the next."""
    deadline = time.monotonic() + seconds
    quick = 0
    while time.monotonic() < deadline and quick < 3:
        started = time.monotonic()
        request(port, "GET", "/healthz")
        quick = quick + 1 if time.monotonic() - started < 0.05 else 0
        time.sleep(0.1)


def log_in(port, password):
    """POST the login form as a browser would; return the session cookie header."""
    status, headers, body = request(port, "GET", "/accounts/login/")
    if status != 200:
        sys.exit(f"The login page answered {status}.")
    csrf_cookie = cookies_of(headers)["csrftoken"]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urllib.parse.urlencode(
        {
            "username": USERNAME,
            "password": password,
            "csrfmiddlewaretoken": token,
            "next": "/agreements/",
        }
    )
    status, headers, body = request(
        port,
        "POST",
        "/accounts/login/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie}",
        },
    )
    session = cookies_of(headers).get("sessionid")
    if status != 302 or not session:
        sys.exit(f"Logging in failed: {status} {body[:300]!r}")
    return f"sessionid={session}; csrftoken={csrf_cookie}"


def run_wrk(wrk, url, cookie, seconds, connections):
    result = subprocess.run(
        [
            wrk,
            "--threads",
            "2",
            "--connections",
            str(connections),
            "--duration",
            f"{seconds}s",
            "--timeout",
            f"{seconds}s",
            "--latency",
            "--script",
            str(LUA),
            "--header",
            f"Cookie: {cookie}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    )
    line = next(x for x in result.stdout.splitlines() if x.startswith("WRK_RESULT"))
    figures = {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", line)}
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    figures["socket_errors"] = sum(figures[k] for k in ("connect", "read", "write", "timeout"))
    figures["raw"] = result.stdout
    return figures


def verdicts(results, floor):
    """Each target, met or missed, with the figure it was judged on."""
    said = []
    for name, figures in results.items():
        errors = figures["non2xx"] + figures["socket_errors"]
        said.append(f"{name}: {'ok' if not errors else 'MISSED'} no errors ({errors:,})")
        if name != "floor":
            p99 = figures["p99_us"] / 1000
            ok = p99 <= TARGET_P99_MS
            verdict = "ok" if ok else "MISSED"
            said.append(f"{name}: {verdict} p99 ≤{TARGET_P99_MS} ms ({p99:,.0f} ms)")
    share = results["status page"]["rps"] / floor
    ok = share >= TARGET_STATUS_SHARE
    said.append(
        f"status page: {'ok' if ok else 'MISSED'} ≥{TARGET_STATUS_SHARE:.0%} of the floor's "
        f"throughput ({share:.1%})"
    )
    return said


def milliseconds(microseconds):
    return f"{microseconds / 1000:,.1f} ms"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=30, help="seconds per target")
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()

    wrk = ensure_wrk()
    password = secrets.token_urlsafe(18)
    print(f"Preparing the benchmark database ({SIZE:,} agreements)…", flush=True)
    info = prepare(password)
    env = production_env()
    print("Collecting static files…", flush=True)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = free_port()
    with LOG.open("w") as log:
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "cooperation.wsgi:application",
                "--workers",
                "2",
                "--bind",
                f"{HOST}:{port}",
                "--chdir",
                str(ROOT),
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    results = {}
    load_before = os.getloadavg()
    try:
        wait_until_up(port, server)
        cookie = log_in(port, password)
        targets = [
            ("floor", "/bench/floor"),
            ("status page", "/agreements/"),
            (f"agreement ({info['events']} events)", f"/agreements/{info['agreement']}/"),
        ]
        for _, path in targets:
            status, _, _ = request(port, "GET", path, headers={"Cookie": cookie})
            if status != 200:
                sys.exit(f"{path} answered {status} with the session cookie.")
        for name, path in targets:
            url = f"http://{HOST}:{port}{path}"
            print(f"wrk: {name} ({url}), {args.duration} s…", flush=True)
            drain(port)
            run_wrk(wrk, url, cookie, 3, args.connections)  # warm-up, not counted
            drain(port)
            results[name] = run_wrk(wrk, url, cookie, args.duration, args.connections)
            print(results[name]["raw"], flush=True)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    load_after = os.getloadavg()
    floor = results["floor"]["rps"]
    lines = [
        "",
        "## Load test",
        "",
        f"Run {datetime.datetime.now():%Y-%m-%d %H:%M} by `make loadtest` (bench/loadtest.py) "
        f"on {info['code']}. "
        f"Machine: {info['machine']}; Python {info['python']}; database {info['database']}, "
        f"{info['agreements']:,} agreements. gunicorn, 2 sync workers, production settings "
        "(DEBUG off, DJANGO_SECURE_SSL_REDIRECT=0, static files collected), on 127.0.0.1; "
        f"wrk on the same machine: 2 threads, {args.connections} connections, "
        f"{args.duration} s a target after 3 s of warm-up, logged in through the login form "
        "(session cookie). Non-2xx counts every answer that is not 2xx (a redirect to the "
        "login page included); socket errors are wrk's connect, read, write and timeout errors "
        f"(its timeout is the run's length, {args.duration} s, so that queueing shows as "
        "latency); before each run the workers drain what the one before left queued. "
        "Load average (1, 5, 15 min) before: "
        f"{', '.join(f'{x:.2f}' for x in load_before)}; after: "
        f"{', '.join(f'{x:.2f}' for x in load_after)}.",
        "",
        "| target | requests/s | × floor | p50 | p99 | max | requests | non-2xx | socket errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, figures in results.items():
        lines.append(
            f"| {name} | {figures['rps']:,.1f} | {figures['rps'] / floor:.3f} "
            f"| {milliseconds(figures['p50_us'])} | {milliseconds(figures['p99_us'])} "
            f"| {milliseconds(figures['max_us'])} | {figures['requests']:,} "
            f"| {figures['non2xx']:,} | {figures['socket_errors']:,} |"
        )
    lines += ["", "Targets: " + "; ".join(verdicts(results, floor)) + ".", ""]
    lines.append(
        f"With {args.connections} connections always open, a request's mean latency is "
        f"{args.connections} divided by the throughput (Little's law). Latencies as even as "
        f"these put the p99 above the mean, so a p99 of {TARGET_P99_MS} ms needs "
        f"{args.connections / (TARGET_P99_MS / 1000):.0f} requests/s or more."
    )
    text = "\n".join(lines) + "\n"
    print(text)
    with RESULTS.open("a") as results_file:
        results_file.write(text)
    print(f"Appended to {RESULTS.relative_to(ROOT)}.")
    failed = sum(f["non2xx"] + f["socket_errors"] for f in results.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
