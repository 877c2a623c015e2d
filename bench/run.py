"""`make bench`: every staff page, the API, intake, the status check, statistics, the admin, a PDF and the reminder
sweep timed on PostgreSQL at 10k, 100k and 1M cases, each against a floor measured in the same run.

For each size it makes (or reuses) the database ``<BENCH_DATABASE_PREFIX>_<size>``, migrates it, seeds it with
``seed_benchmark`` when it does not hold exactly that many cases, vacuums it, and then measures in a child process
(``--measure``) with ``DEBUG=False`` (the production template loader, no query log) through Django's test client:
the whole request (middleware, session, template), as a user would cause it. Each scenario runs interleaved with
its floor (project, floor, project, floor, ...) after one warm-up, so both see the same machine load; the table
gives medians, the project's p95, the ratio of the medians and the project's query count (from one more run).

Floors: the same rows fetched by one raw SQL query and rendered by a minimal template (lists), the same case read by
its unique index (status check), WeasyPrint writing the same HTML (PDF). Pages without a natural floor have an
absolute target (ms). Results: the terminal and ``bench/results/latest.md`` (not in git).

    make bench                          # 10k, 100k and 1M
    make bench BENCH_SIZES=100000       # one size
    BENCH_REPEAT=15 make bench          # more runs per scenario
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
DEFAULT_SIZES = "10000,100000,1000000"
DEFAULT_PREFIX = "postgres://postgres@127.0.0.1:5432/redress_bench"


# --- the orchestrating process -------------------------------------------------------------------------------------


def _label(size: int) -> str:
    return f"{size // 1_000_000}M" if size >= 1_000_000 and size % 1_000_000 == 0 else f"{size // 1000}k"


def redis_url() -> str | None:
    """Redis as a deployment has it (the cache, the throttles, the status check's limiter): REDIS_URL, else the local
    server when one answers, else none (the embedded database cache: a few more queries per request)."""
    if "REDIS_URL" in os.environ:
        return os.environ["REDIS_URL"] or None
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return "redis://127.0.0.1:6379/14"
    except OSError:
        return None


def _env(url: str, **extra) -> dict:
    env = dict(os.environ, DATABASE_URL=url, **extra)
    env.pop("REDIS_URL", None)
    if redis := redis_url():
        env["REDIS_URL"] = redis
    return env


def _manage(url: str, *args: str, quiet: bool = True) -> str:
    done = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [PYTHON, str(ROOT / "manage.py"), *args],
        env=_env(url),
        cwd=ROOT,
        check=True,
        capture_output=quiet,
        text=True,
    )
    return done.stdout or ""


def _psql_scalar(url: str, sql: str) -> str:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        return str(connection.execute(sql).fetchone()[0])


def prepare(url: str, size: int) -> None:
    """The database at ``url`` exists, is migrated and holds ``size`` benchmark cases, vacuumed."""
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
            print(f"  created database {name}", flush=True)
    _manage(url, "migrate", "--verbosity=0")
    cases = int(_psql_scalar(url, "SELECT COUNT(*) FROM cases_case"))
    if cases != size:
        print(f"  seeding {size:,} cases (the database holds {cases:,}) ...", flush=True)
        started = time.perf_counter()
        _manage(url, "seed_benchmark", "--cases", str(size), "--reset")
        print(f"  seeded in {time.perf_counter() - started:.0f} s; vacuuming ...", flush=True)
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("VACUUM (ANALYZE)")
    else:
        print(f"  reusing {size:,} cases", flush=True)
    if _psql_scalar(url, "SELECT COUNT(*) FROM cases_statrefresh WHERE refreshed_at IS NOT NULL") == "0":
        # The dashboard reads the summary tables: build them as beat would (the full rebuild; ~1 min at 1M cases).
        print("  building the statistics summary ...", flush=True)
        started = time.perf_counter()
        _manage(url, "shell", "-c", "from cases.statistics.refresh import statistics_refresh; statistics_refresh()")
        print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)


def measure(url: str, size: int, repeat: int) -> dict:
    out = RESULTS / f"raw-{size}.json"
    subprocess.run(  # noqa: S603
        [PYTHON, str(Path(__file__)), "--measure", "--size", str(size), "--repeat", str(repeat), "--out", str(out)],
        env=_env(url, DEBUG="false", ALLOWED_HOSTS="testserver"),
        cwd=ROOT,
        check=True,
    )
    return json.loads(out.read_text())


def _ms(value: float | None) -> str:
    return "" if value is None else (f"{value:.1f}" if value < 100 else f"{value:.0f}")


def table(results: dict) -> list[str]:
    lines = [
        "| scenario | median ms | p95 ms | floor ms | ratio | queries | target | met |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for row in results["rows"]:
        ratio = f"{row['ratio']:.2f}x" if row.get("ratio") is not None else ""
        met = {True: "yes", False: "**no**", None: ""}[row.get("met")]
        lines.append(
            f"| {row['name']} | {_ms(row['median'])} | {_ms(row['p95'])} | {_ms(row.get('floor'))} | {ratio} "
            f"| {row['queries']} | {row.get('target', '')} | {met} |"
        )
    return lines


def growth(all_results: dict[int, dict]) -> list[str]:
    sizes = sorted(all_results)
    if len(sizes) < 2:
        return []
    by_name: dict[str, dict[int, dict]] = {}
    for size in sizes:
        for row in all_results[size]["rows"]:
            by_name.setdefault(row["name"], {})[size] = row
    head = " | ".join(_label(size) for size in sizes)
    lines = [
        f"| scenario | {head} | {_label(sizes[-1])} / {_label(sizes[0])} | queries |",
        "|---|" + "---:|" * len(sizes) + "---:|---|",
    ]
    for name, rows in by_name.items():
        medians = [rows[size]["median"] if size in rows else None for size in sizes]
        first, last = medians[0], medians[-1]
        grown = f"{last / first:.2f}x" if first and last else ""
        queries = sorted({rows[size]["queries"] for size in rows})
        lines.append(
            f"| {name} | " + " | ".join(_ms(m) for m in medians) + f" | {grown} | {'/'.join(map(str, queries))} |"
        )
    return lines


def orchestrate(args) -> int:
    prefix = os.environ.get("BENCH_DATABASE_PREFIX", DEFAULT_PREFIX)
    sizes = [int(size) for size in args.sizes.split(",") if size]
    RESULTS.mkdir(parents=True, exist_ok=True)
    _manage(f"{prefix}_{sizes[0]}", "collectstatic", "--noinput", "--verbosity=0")
    all_results = {}
    for size in sizes:
        url = f"{prefix}_{size}"
        print(f"\n== {size:,} cases ({url.rsplit('/', 1)[1]})", flush=True)
        prepare(url, size)
        all_results[size] = measure(url, size, args.repeat)
        print("\n".join(table(all_results[size])), flush=True)
    report = [
        "# make bench",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, load average "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} at the end, {args.repeat} runs per scenario (medians), "
        f"cache and limiter: {'Redis' if redis_url() else 'the database (no Redis)'}.",
        "",
    ]
    for size in sizes:
        report += [f"## {size:,} cases", "", *table(all_results[size]), ""]
    if len(sizes) > 1:
        report += ["## Growth (median ms)", "", *growth(all_results), ""]
    unmet = [row["name"] for row in all_results[sizes[-1]]["rows"] if row.get("met") is False]
    report.append(f"Targets not met at {sizes[-1]:,} cases: {', '.join(unmet) if unmet else 'none'}.")
    (RESULTS / "latest.md").write_text("\n".join(report) + "\n")
    if len(sizes) > 1:
        print("\n## Growth (median ms)\n" + "\n".join(growth(all_results)))
    print(f"\n{report[-1]}\nWritten to {RESULTS / 'latest.md'}")
    return 0


# --- the measuring process -----------------------------------------------------------------------------------------


def run_measure(args) -> int:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    import scenarios

    rows = scenarios.run_all(repeat=args.repeat, size=args.size)
    Path(args.out).write_text(json.dumps({"size": args.size, "rows": rows}, indent=1))
    return 0


def summarise(name: str, project: list[float], floor: list[float] | None, queries: int, target: dict) -> dict:
    median = statistics.median(project)
    p95 = sorted(project)[max(0, round(0.95 * len(project)) - 1)]
    row = {"name": name, "median": median, "p95": p95, "queries": queries}
    if floor:
        row["floor"] = statistics.median(floor)
        row["ratio"] = median / row["floor"] if row["floor"] else None
    if "ratio" in target and row.get("ratio") is not None:
        row["target"] = f"<= {target['ratio']}x floor"
        row["met"] = row["ratio"] <= target["ratio"]
    elif "ms" in target:
        row["target"] = f"<= {target['ms']} ms"
        row["met"] = median <= target["ms"]
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", DEFAULT_SIZES))
    parser.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", "9")))
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    return run_measure(args) if args.measure else orchestrate(args)


if __name__ == "__main__":
    sys.exit(main())
