"""How the pages hold up at 100, 1,000 and 10,000 agreements: `make bench`.

Each size has its own database, (re)created, migrated and seeded with
bench.seed. Then each page is requested in this process with django.test.Client,
as a logged-in analyst (the admin changelist as embassy staff), in rounds: each round
requests the page a few times at every size in turn, so that the machine's speed,
which drifts over minutes, weighs on every size alike. For each page: the SQL queries
it makes, and the median and 95th percentile of its time over all rounds. Then the
ratios to the floor (a view that does nothing behind the same middleware) and of
10,000 to 100, checked against the targets; the CSV export's rows per second, and the
growth of peak RSS while it streams, measured in a fresh process. The table goes to
stdout and to bench/RESULTS.md. The other lists of the site and the admin's list of
every kind of record are not timed, but their queries are counted at each size too.
The exit status is 1 when a page's query count changes with the size (the CSV export
excepted: it fetches in chunks of 500 rows, two more queries a chunk, and is checked
for exactly that).

The databases are bench/bench-N.sqlite3 for N agreements, or, when DATABASE_URL names
a PostgreSQL database, its schemas bench_N. They are dropped and made again, so a
PostgreSQL database must be one for benchmarks (its name contains "bench", or
BENCH_RESET_DATABASE=1).

    .venv/bin/python bench/run.py [--sizes 100,1000,10000] [--reps 30] [--seed 1]
"""

import argparse
import copy
import datetime
import json
import math
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
SQLITE_FILE = BENCH / "bench.sqlite3"
RESULTS = BENCH / "RESULTS.md"

sys.path.insert(0, str(ROOT))
os.environ["DJANGO_DEBUG"] = "1"
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ.setdefault("DATABASE_URL", f"sqlite:///{SQLITE_FILE}")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib import admin  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import DatabaseError, connection, connections  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.db.utils import load_backend  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from agreements.models import Agreement  # noqa: E402
from agreements.rows import CHUNK as CSV_CHUNK  # noqa: E402
from agreements.views import PAGE_SIZE  # noqa: E402
from bench.seed.writing import seed_database  # noqa: E402
from cooperation.models import Organization  # noqa: E402
from cooperation.roles import ANALYSTS, EMBASSY_STAFF  # noqa: E402
from meetings.models import Meeting  # noqa: E402

SIZES = (100, 1_000, 10_000)
ROUNDS = 5  # each page is requested at every size in turn, this many times
WARMUPS = 3
CSV_REPS = 5
PAGE_BUDGET_SECONDS = 25  # stop repeating a slow page after this long, with 5 samples at least
MIN_REPS = 5
CSV_QUERIES_PER_CHUNK = 2  # parties, open follow-ups

TARGET_SIZE_RATIO = 1.5  # each page at the largest size, against the smallest
TARGET_FLOOR_RATIO = 5  # status page against the floor
TARGET_CSV_ROWS_PER_SECOND = 10_000
TARGET_CSV_MEMORY_MB = 30

STATUS_PAGES = ("status page", "status page, filtered", "status page, last page", "status as of")


def is_sqlite():
    return connection.vendor == "sqlite"


CONNECTIONS_BY_SIZE = {None: connections["default"]}


def use_database(size):
    """Point the default connection, in this thread, at the database of `size` agreements.

    None is the database as DATABASE_URL names it (the load test's); a size has a file
    of its own beside it (SQLite) or a schema of its own in it (PostgreSQL). Each keeps
    its connection open while another is in use, so switching costs nothing. All are
    migrated alike, so that the ids Django caches (content types) hold in each.
    """
    if size not in CONNECTIONS_BY_SIZE:
        wanted = copy.deepcopy(connections.settings["default"])
        if wanted["ENGINE"] == "django.db.backends.sqlite3":
            wanted["NAME"] = str(sized_file(wanted["NAME"], size))
        else:
            options = wanted["OPTIONS"].get("options", "")
            wanted["OPTIONS"]["options"] = f"{options} -c search_path={schema(size)}".strip()
        backend = load_backend(wanted["ENGINE"])
        CONNECTIONS_BY_SIZE[size] = backend.DatabaseWrapper(wanted, "default")
    connections["default"] = CONNECTIONS_BY_SIZE[size]


def sized_file(name, size):
    """The SQLite file for `size` agreements, beside `name`: bench.sqlite3 → bench-N.sqlite3."""
    name = Path(name)
    return name.with_name(f"{name.stem}-{size}{name.suffix}")


def schema(size):
    return "public" if size is None else f"bench_{size}"


def reset_database(size):
    """Drop everything in the database of `size` agreements, and migrate it again."""
    use_database(size)
    if is_sqlite():
        connection.close()
        name = Path(connection.settings_dict["NAME"])
        for path in (name, *(name.with_name(name.name + s) for s in ("-journal", "-wal", "-shm"))):
            path.unlink(missing_ok=True)
    else:
        name = connection.settings_dict["NAME"]
        if "bench" not in name and os.environ.get("BENCH_RESET_DATABASE") != "1":
            sys.exit(
                f"Refusing to drop the tables of the database {name!r}: its name does not say "
                "it is for benchmarks. Name one with 'bench' in it, or set BENCH_RESET_DATABASE=1."
            )
        quoted = connection.ops.quote_name(schema(size))
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {quoted} CASCADE")
            cursor.execute(f"CREATE SCHEMA {quoted}")
    call_command("migrate", verbosity=0, interactive=False)


def bench_users():
    User = get_user_model()
    users = {}
    for username, group in (("bench-analyst", ANALYSTS), ("bench-staff", EMBASSY_STAFF)):
        user, _ = User.objects.get_or_create(username=username, defaults={"is_staff": True})
        user.set_unusable_password()
        user.save()
        user.groups.set([Group.objects.get(name=group)])
        users[group] = user
    return users


def clients():
    users = bench_users()
    analyst, staff = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
    analyst.force_login(users[ANALYSTS])
    staff.force_login(users[EMBASSY_STAFF])
    return analyst, staff


def pages():
    """(name, URL, which client, what was picked): the same choice at every size."""
    total = Agreement.objects.count()
    last_page = max(1, math.ceil(total / PAGE_SIZE))
    # A filter that fills most of a page at every size, so that sizes compare the same work.
    stalled = Agreement.objects.with_status().stalled(days=365).count()
    # Pages of the same shape at every size: a page reads the citations of each kind of
    # row it shows, and reads none for a kind it has no rows of (an agreement with no
    # follow-up reads no follow-up's citations), so each has every kind of row.
    agreement = (
        Agreement.objects.filter(follow_ups__isnull=False, events__meeting__isnull=False)
        .annotate(
            n=Count("events", distinct=True), meetings=Count("events__meeting", distinct=True)
        )
        .order_by("-n", "pk")
        .values("pk", "n", "meetings")
        .first()
    )
    meeting = (
        Meeting.objects.filter(agreement_events__isnull=False, outcomes__isnull=False)
        .annotate(n=Count("participants", distinct=True))
        .order_by("-n", "pk")
        .values("pk", "n")
        .first()
    )
    organizations = list(
        Organization.objects.annotate(n=Count("agreement_links"))
        .filter(n__gt=0)
        .order_by("-n", "pk")
        .values("slug", "n")
    )
    busiest = organizations[0]
    typical = organizations[len(organizations) // 2]
    return [
        ("floor", "/bench/floor", "analyst", ""),
        ("status page", "/agreements/", "analyst", ""),
        (
            "status page, filtered",
            "/agreements/?stalled=365",
            "analyst",
            f"{stalled:,} stalled",
        ),
        (
            "status page, last page",
            f"/agreements/?page={last_page}",
            "analyst",
            f"page {last_page}",
        ),
        ("status as of", "/agreements/?as_of=2015-06-01", "analyst", ""),
        (
            "agreement",
            f"/agreements/{agreement['pk']}/",
            "analyst",
            f"most events: {agreement['n']}, at {agreement['meetings']} meeting(s)",
        ),
        ("meeting", f"/meetings/{meeting['pk']}/", "analyst", f"most participants: {meeting['n']}"),
        (
            "organization, typical",
            f"/organizations/{typical['slug']}/",
            "analyst",
            f"party to {typical['n']} (median)",
        ),
        (
            "organization, busiest",
            f"/organizations/{busiest['slug']}/",
            "analyst",
            f"party to {busiest['n']}",
        ),
        ("admin agreement list", "/admin/agreements/agreement/", "staff", ""),
        ("CSV export", "/agreements/?format=csv", "analyst", f"{total:,} rows"),
    ]


def other_pages():
    """(name, URL, which client) of the pages not timed, whose queries are counted too:
    the other lists of the site, and the admin's list of every kind of record."""
    listed = [
        ("meetings", "/meetings/", "analyst"),
        ("organizations", "/organizations/", "analyst"),
    ]
    for model in sorted(admin.site._registry, key=lambda model: model._meta.label):
        if model._meta.app_label in ("cooperation", "meetings", "agreements"):
            meta = model._meta
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
            listed.append((f"admin list of {meta.verbose_name_plural}", url, "staff"))
    return listed


def fetch(client, url):
    """Request `url` and read the whole body; return the number of bytes."""
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    if response.streaming:
        size = sum(len(chunk) for chunk in response.streaming_content)
        response.close()
        return size
    return len(response.content)


class SqlTimer:
    """Time spent in the database's execute() calls (rows fetched later are not counted)."""

    def __init__(self):
        self.total, self.queries = 0.0, []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - started
            self.total += spent
            self.queries.append((spent, sql))


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def sql_of(client, url):
    """The queries of one request to `url`: how many, their time, the slowest three."""
    timer = SqlTimer()
    with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(timer):
        size = fetch(client, url)
    return {
        "queries": len(queries),
        "sql": timer.total,
        "slowest": sorted(timer.queries, reverse=True)[:3],
        "bytes": size,
    }


def csv_memory(size):
    """Memory while the CSV streams, in a fresh process: {rss_mb, traced_mb, rows, how}."""
    result = subprocess.run(
        [sys.executable, __file__, "--csv-memory", str(size)],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ,
    )
    rss_kb, traced_bytes, rows, how = result.stdout.split(maxsplit=3)
    return {
        "rss_mb": int(rss_kb) / 1024,
        "traced_mb": int(traced_bytes) / 2**20,
        "rows": int(rows),
        "how": how.strip(),
    }


def memory_kb(field):
    """VmRSS (now) or VmHWM (peak) of this process, from /proc/self/status."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise LookupError(field)


def export_csv(client):
    response = client.get("/agreements/?format=csv")
    rows = -1  # the header
    for chunk in response.streaming_content:
        rows += chunk.count(b"\r\n")
    response.close()
    return rows


def csv_memory_child(size):
    """In a fresh process: warm up with an empty export, then stream the full one, twice.

    First the growth of the peak resident set: the kernel's high-water mark (what
    ru_maxrss reports) is reset through /proc/self/clear_refs, and read from VmHWM after
    the export, less VmRSS before it. (ru_maxrss itself cannot be used here: a child
    process starts with its parent's peak, which the seeding made large.) Where /proc
    is missing, ru_maxrss before and after. Then, as a second opinion, the peak of
    Python allocations under tracemalloc.
    """
    settings.DEBUG = False
    use_database(size)
    analyst, _ = clients()
    fetch(analyst, "/agreements/?format=csv&q=no-such-agreement-anywhere")
    try:
        Path("/proc/self/clear_refs").write_text("5")
        before, how = memory_kb("VmRSS"), "VmHWM-after-minus-VmRSS-before"
    except OSError:
        before, how = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "ru_maxrss"
    rows = export_csv(analyst)
    if how == "ru_maxrss":
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    else:
        peak = memory_kb("VmHWM")
    tracemalloc.start()
    export_csv(analyst)
    traced_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(peak - before, traced_peak, rows, how)


def prepare(size, seed):
    """For the load test: N agreements of seed S in the database, and a user to log in as."""
    reason = f"Synthetic data (seed {seed})"
    try:
        ready = (
            Agreement.objects.count() == size
            and Agreement.history.filter(history_change_reason=reason).count() == size
        )
    except DatabaseError:  # not migrated yet
        ready = False
    if not ready:
        reset_database(None)
        settings.DEBUG = True
        print(seed_database(size, seed), file=sys.stderr)  # stdout is for the JSON
    username, password = os.environ["BENCH_USER"], os.environ["BENCH_PASSWORD"]
    User = get_user_model()
    user, _ = User.objects.get_or_create(username=username, defaults={"is_staff": True})
    user.set_password(password)
    user.save()
    user.groups.set([Group.objects.get(name=ANALYSTS)])
    agreement = (
        Agreement.objects.annotate(n=Count("events")).order_by("-n", "pk").values("pk", "n").first()
    )
    print(
        json.dumps(
            {
                "agreements": size,
                "reseeded": not ready,
                "agreement": agreement["pk"],
                "events": agreement["n"],
                "database": machine()["database"],
                "machine": machine()["machine"],
                "python": machine()["python"],
                "code": code_version(),
            }
        )
    )


def code_version():
    """The commit measured, and the tracked files changed since, if any."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "diff", "--name-only", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.split()
    except OSError:
        return "unknown"
    if not commit:
        return "unknown"
    if changed:
        return f"commit {commit} with uncommitted changes to {', '.join(changed)}"
    return f"commit {commit}"


def machine(per_size=False):
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    if is_sqlite():
        import sqlite3

        name = Path(os.path.relpath(connection.settings_dict["NAME"], ROOT))
        where = f"file {name}"
        if per_size:
            where = f"file {sized_file(name, 'N')} for N agreements"
        database = f"SQLite {sqlite3.sqlite_version} ({where})"
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        where = connection.settings_dict["NAME"]
        if per_size:
            where += f", schema {schema('N')} for N agreements"
        database = f"PostgreSQL {version} ({where})"
    return {
        "code": code_version(),
        "date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "machine": f"{os.cpu_count()} cores, {cpu or platform.machine()}, "
        f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": database,
    }


def seed(size, seed_number):
    """Seed the database of `size` agreements afresh; what it took, and what to request."""
    print(f"Seeding {size:,} agreements", flush=True)
    started = time.perf_counter()
    reset_database(size)
    migrated = time.perf_counter()
    settings.DEBUG = True  # bench.seed is for development: it wants DEBUG
    print(seed_database(size, seed_number))
    seeded = time.perf_counter()
    # Measured as production runs: no SQL kept per query, no template debugging.
    settings.DEBUG = False
    result = {
        "migrate": migrated - started,
        "seed": seeded - migrated,
        "csv_rows": Agreement.objects.count(),
        "pages": {name: (url, who, note) for name, url, who, note in pages()},
        "other_pages": other_pages(),
        "clients": dict(zip(("analyst", "staff"), clients(), strict=True)),
    }
    if is_sqlite():
        result["database_mb"] = Path(connection.settings_dict["NAME"]).stat().st_size / 2**20
    return result


def measure_all(sizes, seeded, reps):
    """Every page at every size, in rounds that visit each size in turn: {size: results}."""
    by_size = {size: {"pages": {}, "notes": {}} for size in sizes}
    times = {size: {} for size in sizes}
    spent = {size: {} for size in sizes}
    for round_number in range(ROUNDS):
        print(f"Round {round_number + 1} of {ROUNDS}", flush=True)
        for name in seeded[sizes[0]]["pages"]:
            wanted = CSV_REPS if name == "CSV export" else reps
            # The repetitions shared out over the rounds, the first ones taking the rest.
            in_this_round = wanted // ROUNDS + (round_number < wanted % ROUNDS)
            for size in sizes:
                url, who, _ = seeded[size]["pages"][name]
                client = seeded[size]["clients"][who]
                use_database(size)
                if round_number == 0:
                    for _ in range(WARMUPS if wanted > CSV_REPS else 1):
                        fetch(client, url)
                samples = times[size].setdefault(name, [])
                if spent[size].get(name, 0) > PAGE_BUDGET_SECONDS and len(samples) >= MIN_REPS:
                    continue
                for _ in range(in_this_round):
                    started = time.perf_counter()
                    fetch(client, url)
                    samples.append(time.perf_counter() - started)
                    spent[size][name] = spent[size].get(name, 0) + samples[-1]
    for size in sizes:
        use_database(size)
        by_size[size]["other_queries"] = {
            name: sql_of(seeded[size]["clients"][who], url)["queries"]
            for name, url, who in seeded[size]["other_pages"]
        }
        print(f"\n== {size:,} agreements ==", flush=True)
        for name, (url, who, note) in seeded[size]["pages"].items():
            figures = sql_of(seeded[size]["clients"][who], url)
            samples = times[size][name]
            figures |= {
                "url": url,
                "median": statistics.median(samples),
                "p95": percentile(samples, 0.95),
                "reps": len(samples),
            }
            by_size[size]["pages"][name] = figures
            by_size[size]["notes"][name] = note
            print(
                f"  {name:<24} {figures['queries']:>3} queries  median {ms(figures['median']):>8}"
                f"  p95 {ms(figures['p95']):>8}  ({figures['reps']} reps)  {note}",
                flush=True,
            )
    return by_size


def run(sizes, seed_number, reps):
    seeded = {size: seed(size, seed_number) for size in sizes}
    # The seeding leaves the database files' pages to be written to disk; without
    # waiting for that here, the kernel writes them while the first pages are timed.
    os.sync()
    by_size = measure_all(sizes, seeded, reps)
    # This process alone keeps one core busy: about 1.0 when nothing else runs.
    load = os.getloadavg()
    for size in sizes:
        results = by_size[size]
        results |= {key: seeded[size][key] for key in ("migrate", "seed", "csv_rows")}
        results["load"] = load
        if "database_mb" in seeded[size]:
            results["database_mb"] = seeded[size]["database_mb"]
        memory = csv_memory(size)
        rows = results["csv_rows"]
        if memory["rows"] != rows:
            raise SystemExit(f"The CSV export had {memory['rows']} rows, not {rows}.")
        results["csv_memory_mb"] = memory["rss_mb"]
        results["csv_traced_mb"] = memory["traced_mb"]
        print(
            f"  {size:,}: CSV {rows / results['pages']['CSV export']['median']:,.0f} rows/s, "
            f"peak RSS growth {results['csv_memory_mb']:.1f} MB (tracemalloc peak "
            f"{results['csv_traced_mb']:.1f} MB); seeded in {results['seed']:.1f} s",
            flush=True,
        )
    return by_size


def ms(seconds):
    if seconds < 0.001:
        return f"{seconds * 1000:.2f} ms"
    return f"{seconds * 1000:,.1f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def expected_csv_queries(base_queries, base_lines, lines):
    """The export's queries for `lines` CSV lines, the header line among them."""
    chunks = max(1, math.ceil((lines - 1) / CSV_CHUNK))
    base_chunks = max(1, math.ceil((base_lines - 1) / CSV_CHUNK))
    return base_queries + CSV_QUERIES_PER_CHUNK * (chunks - base_chunks)


def report(info, sizes, by_size):
    small, large = sizes[0], sizes[-1]
    pages = list(by_size[small]["pages"])
    floor = {size: by_size[size]["pages"]["floor"]["median"] for size in sizes}
    header_sizes = " / ".join(f"{s:,}" for s in sizes)
    lines = [
        "# Benchmarks",
        "",
        f"Run {info['date']} by `make bench` (bench/run.py) on {info['code']}. "
        f"Machine: {info['machine']}; "
        f"Python {info['python']}, Django {info['django']}; database {info['database']}.",
        "",
        "In-process with django.test.Client, logged in (analyst; embassy staff for the "
        "admin), through the whole middleware stack; settings.DEBUG switched off after "
        "seeding so that no SQL is kept per query. Time is the server's, per request, "
        f"median and 95th percentile over {WARMUPS} warm-ups then up to the repetitions "
        f"shown (a page stops repeating after {PAGE_BUDGET_SECONDS} s with {MIN_REPS} at "
        f"least; the CSV export {CSV_REPS} after 1 warm-up). The repetitions are made in "
        f"{ROUNDS} rounds, and each round requests the page at every size in turn, so that "
        "a drift in the machine's speed weighs on every size alike. Data: `python -m bench.seed "
        "--seed 1`.",
        "",
        "## Seeding",
        "",
        "| agreements | migrate | bench.seed | database file |",
        "| ---: | ---: | ---: | ---: |",
    ]
    for size in sizes:
        result = by_size[size]
        file_size = f"{result['database_mb']:.0f} MB" if "database_mb" in result else "n/a"
        lines.append(
            f"| {size:,} | {result['migrate']:.1f} s | {result['seed']:.1f} s | {file_size} |"
        )
    load = ", ".join(f"{x:.2f}" for x in by_size[large]["load"])
    lines += [
        "",
        f"Load average (1, 5, 15 min) when the pages had been measured: {load}. The "
        "benchmark keeps one core busy, so about 1 means nothing else competed for the "
        f"{os.cpu_count()} cores.",
        "",
        f"## Pages ({header_sizes} agreements)",
        "",
        f"| page | queries | median | p95 | reps | SQL at {large:,} | × floor at {large:,} | "
        f"{large:,} / {small:,} | targets |",
        "| --- | --- | --- | --- | --- | ---: | ---: | ---: | --- |",
    ]
    misses, budget_failures = [], []
    for name in pages:
        figures = [by_size[size]["pages"][name] for size in sizes]
        queries = [f["queries"] for f in figures]
        if name == "CSV export":
            expected = [
                expected_csv_queries(queries[0], by_size[small]["csv_rows"], by_size[s]["csv_rows"])
                for s in sizes
            ]
            budget_ok = queries == expected
        else:
            budget_ok = len(set(queries)) == 1
        if not budget_ok:
            budget_failures.append(f"{name}: {' / '.join(map(str, queries))}")
        size_ratio = figures[-1]["median"] / figures[0]["median"]
        floor_ratio = figures[-1]["median"] / floor[large]
        verdicts = []
        # The export writes every row, so it grows with the size by design: its targets
        # are rows per second and memory, in the CSV table below.
        if name not in ("floor", "CSV export"):
            ok = size_ratio <= TARGET_SIZE_RATIO
            verdicts.append(f"{'ok' if ok else 'MISSED'} ≤{TARGET_SIZE_RATIO}× size")
            if not ok:
                misses.append(f"{name}: {size_ratio:.2f}× from {small:,} to {large:,}")
        if name in STATUS_PAGES:
            ok = floor_ratio <= TARGET_FLOOR_RATIO
            verdicts.append(f"{'ok' if ok else 'MISSED'} ≤{TARGET_FLOOR_RATIO}× floor")
            if not ok:
                misses.append(f"{name}: {floor_ratio:.1f}× the floor at {large:,}")
        if not budget_ok:
            verdicts.append("QUERIES GROW")
        note = by_size[large]["notes"][name]
        lines.append(
            f"| {name}{f' ({note} at {large:,})' if note else ''} "
            f"| {' / '.join(map(str, queries))} "
            f"| {' / '.join(ms(f['median']) for f in figures)} "
            f"| {' / '.join(ms(f['p95']) for f in figures)} "
            f"| {' / '.join(str(f['reps']) for f in figures)} "
            f"| {ms(figures[-1]['sql'])} | {floor_ratio:.1f} | {size_ratio:.2f} "
            f"| {'; '.join(verdicts)} |"
        )
    lines += [
        "",
        "## CSV export (streamed, consumed in full)",
        "",
        "| agreements | rows/s | median time | peak RSS growth | tracemalloc peak | targets |",
        "| ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for size in sizes:
        result = by_size[size]
        rate = result["csv_rows"] / result["pages"]["CSV export"]["median"]
        verdicts = []
        if size == large:
            ok = rate >= TARGET_CSV_ROWS_PER_SECOND
            verdicts.append(f"{'ok' if ok else 'MISSED'} ≥{TARGET_CSV_ROWS_PER_SECOND:,} rows/s")
            if not ok:
                misses.append(f"CSV export: {rate:,.0f} rows/s at {large:,}")
            ok = result["csv_memory_mb"] < TARGET_CSV_MEMORY_MB
            verdicts.append(f"{'ok' if ok else 'MISSED'} <{TARGET_CSV_MEMORY_MB} MB")
            if not ok:
                misses.append(f"CSV export: peak RSS grew {result['csv_memory_mb']:.1f} MB")
        lines.append(
            f"| {size:,} | {rate:,.0f} | {ms(result['pages']['CSV export']['median'])} "
            f"| {result['csv_memory_mb']:.1f} MB | {result['csv_traced_mb']:.1f} MB "
            f"| {'; '.join(verdicts)} |"
        )
    lines += [
        "",
        "Peak RSS growth: in a fresh process (`bench/run.py --csv-memory`) that has already "
        "served an empty export, the kernel's peak-RSS mark (the one `ru_maxrss` reports) "
        "is reset through `/proc/self/clear_refs`; the growth is VmHWM after the full export "
        "less VmRSS just before it, from `/proc/self/status`. `ru_maxrss` itself is not "
        "usable in a child process: it starts at the parent's peak (here the seeding's). "
        "The tracemalloc peak is of a second full export in the same process: Python "
        "allocations only.",
        "",
        f"## Queries of the other pages ({header_sizes} agreements)",
        "",
        "Not timed: the query count of one request to each.",
        "",
        "| page | queries | |",
        "| --- | --- | --- |",
    ]
    for name in by_size[small]["other_queries"]:
        queries = [by_size[size]["other_queries"][name] for size in sizes]
        same = len(set(queries)) == 1
        if not same:
            budget_failures.append(f"{name}: {' / '.join(map(str, queries))}")
        verdict = "the same" if same else "GROW"
        lines.append(f"| {name} | {' / '.join(map(str, queries))} | {verdict} |")
    lines += ["", "## Verdict", ""]
    lines.append(
        "Query counts: "
        + (
            "the same at every size (the CSV export: 2 more per 500-row chunk, as designed)."
            if not budget_failures
            else "GROW with the size: " + "; ".join(budget_failures) + "."
        )
    )
    lines.append("")
    lines.append("Targets missed: " + ("; ".join(misses) + "." if misses else "none."))
    lines += [
        "",
        f"## Slowest queries at {large:,} (execute time, one request)",
        "",
    ]
    for name in pages:
        slowest = by_size[large]["pages"][name]["slowest"]
        lines.append(f"- {name}:")
        for spent, sql in slowest:
            sql = re.sub(r'"(\w+)"\."\w+"(?:, "\1"\."\w+")+', r'"\1".*', " ".join(sql.split()))
            sql = re.sub(r"(?:%s, ){3,}%s", "%s, …", sql)
            lines.append(f"  - {ms(spent)}: `{sql[:600]}{' …' if len(sql) > 600 else ''}`")
    return "\n".join(lines) + "\n", budget_failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--results", type=Path, default=RESULTS, help="where to write the table")
    parser.add_argument("--csv-memory", type=int, metavar="N", help=argparse.SUPPRESS)
    parser.add_argument(
        "--prepare",
        type=int,
        metavar="N",
        help="Only make sure the database holds N synthetic agreements (seed it afresh "
        "otherwise), and give the user BENCH_USER the password BENCH_PASSWORD; print JSON.",
    )
    args = parser.parse_args()
    if args.csv_memory:
        csv_memory_child(args.csv_memory)
        return 0
    if args.prepare:
        prepare(args.prepare, args.seed)
        return 0
    sizes = [int(size) for size in args.sizes.split(",")]
    info = machine(per_size=True)
    print(f"{info['machine']}; Python {info['python']}; {info['database']}")
    by_size = run(sizes, args.seed, args.reps)
    text, budget_failures = report(info, sizes, by_size)
    args.results.write_text(text)
    print("\n" + text)
    print(f"Written to {args.results}.")
    if budget_failures:
        print("Query counts grow with the size: " + "; ".join(budget_failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
