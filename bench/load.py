"""
Load benchmark: gunicorn on loopback, wrk as the client, every page measured against the floor.

Run by hand (not in CI), after generating data, e.g. with 1M claims in PostgreSQL:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fc_bench .venv/bin/python bench/load.py

It reports requests/s and p50/p95/p99 for each page, each as a ratio to the floor (a bare
Django view rendering 25 rows), the memory of each worker, and a soak of 200 concurrent
readers. Needs Debian's wrk (apt-get install wrk).
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
LUA = BASE_DIR / "bench" / "wrk_report.lua"


def gunicorn(args, env) -> subprocess.Popen:
    command = [
        str(Path(PYTHON).parent / "gunicorn"),
        "factcheck.wsgi",
        "--bind",
        f"127.0.0.1:{args.port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(args.threads),
        "--log-level",
        "warning",
        "--timeout",
        "60",
    ]
    return subprocess.Popen(command, cwd=BASE_DIR, env=env, start_new_session=True)


def wait_until_up(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer {url} within {timeout} s")


def wrk(url: str, *, connections: int, seconds: int, threads: int = 2) -> dict:
    result = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(LUA),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    line = [line for line in result.stdout.splitlines() if line.startswith("{")][-1]
    stats = json.loads(line)
    stats["rps"] = stats["requests"] / (stats["duration_us"] / 1e6)
    return stats


def worker_memory_mb(master_pid: int) -> list[float]:
    children = subprocess.run(
        ["ps", "--ppid", str(master_pid), "-o", "rss="], capture_output=True, text=True, check=False
    ).stdout.split()
    return [int(kb) / 1024 for kb in children]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--soak-connections", type=int, default=200)
    parser.add_argument("--soak-seconds", type=int, default=60)
    parser.add_argument("--pages", help="JSON list of [name, path] pairs to measure")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")

    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-" + "k" * 60),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "PYTHONPATH": str(BASE_DIR),
    }
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )
    base = f"http://127.0.0.1:{args.port}"
    pages = json.loads(args.pages) if args.pages else default_pages(env)
    server = gunicorn(args, env)
    try:
        wait_until_up(base + "/bench/floor/")
        results = {}
        for name, path in [("floor", "/bench/floor/"), *pages]:
            wrk(base + path, connections=args.connections, seconds=2)  # warm caches and pools
            results[name] = wrk(base + path, connections=args.connections, seconds=args.seconds)
        memory = worker_memory_mb(server.pid)
        soak = (
            wrk(
                base + "/claims/",
                connections=args.soak_connections,
                seconds=args.soak_seconds,
                threads=4,
            )
            if args.soak_seconds
            else None
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    report(results, memory, soak, args)


def default_pages(env) -> list[tuple[str, str]]:
    """The reader pages, with a real claim slug and query term from the database."""
    code = (
        "import django; django.setup(); from claims.models import Claim; "
        "c = Claim.objects.visible().with_denials().order_by('-pk').first(); "
        "print(c.slug); print(c.text.split()[0])"
    )
    out = subprocess.run(
        [PYTHON, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    slug, word = out[0], out[1]
    return [
        ("home", "/"),
        ("list", "/claims/"),
        ("filtered list", "/claims/?position=denied"),
        ("search", f"/claims/?q={word}"),
        ("claim page", f"/claims/{slug}/"),
        ("feed", "/feeds/denied.rss"),
    ]


def report(results: dict, memory: list[float], soak: dict | None, args) -> None:
    floor = results["floor"]
    print(
        f"\n{args.workers} gunicorn workers x {args.threads} threads, {args.connections} "
        f"connections, {args.seconds} s per page, wrk on the same 2-core machine\n"
    )
    print("| page | req/s | ratio to floor | p50 ms | p95 ms | p99 ms | errors |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, stats in results.items():
        print(
            f"| {name} | {stats['rps']:.0f} | {stats['rps'] / floor['rps']:.0%} | "
            f"{stats['p50'] / 1000:.1f} | {stats['p95'] / 1000:.1f} | {stats['p99'] / 1000:.1f} | "
            f"{stats['errors']} |"
        )
    print(f"\nworker memory (RSS): {', '.join(f'{mb:.0f} MB' for mb in memory)}")
    if soak:
        print(
            f"soak: {args.soak_connections} connections for {args.soak_seconds} s on /claims/: "
            f"{soak['requests']} requests, {soak['errors']} errors ({soak['non_2xx']} non-2xx), "
            f"p99 {soak['p99'] / 1000:.0f} ms"
        )
    out = BASE_DIR / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "load.json").write_text(
        json.dumps({"results": results, "memory_mb": memory, "soak": soak}, indent=2)
    )


if __name__ == "__main__":
    main()
