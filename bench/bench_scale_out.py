"""Benchmark: votes/s from one gunicorn instance to N instances behind nginx (issue 17).

Steps measured on one PostgreSQL and Redis, each with ``--workers`` gunicorn workers per
instance and the same client threads:

1. one gunicorn instance, clients straight to it (the README's single-server set-up);
2. nginx in front of one instance (``deploy/run-local.sh`` with INSTANCES=1);
3. nginx in front of ``--instances`` instances (INSTANCES=N).

Each step gets its own fresh pass codes; the script prints votes/s, p50/p99 and the ratio
to step 1, and checks every acknowledged vote was stored.  On one machine the instances
share its cores: the gain shows what a second host would add only where the CPU is not
already saturated — run it on the target hardware before planning an event.

    .venv/bin/python bench/bench_scale_out.py --database-url URL --redis-url URL
        [--votes 1500] [--threads 16] [--workers 2] [--instances 2]

The PostgreSQL URL must name a scratch database (its ``public`` schema is dropped).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_voting_throughput import SLUG, prepare, send, summarize  # noqa: E402
from servers import count, free_port, start_gunicorn, warm_up  # noqa: E402

SECRET = "bench-secret-key-that-is-long-enough-0123456789"


def run_local(action: str, env: dict[str, str]) -> None:
    """``deploy/run-local.sh start|stop`` with ``env``; output in the run folder."""
    with open(Path(env["RUN_DIR"]) / f"{action}.log", "w") as log:
        subprocess.run(
            [str(ROOT / "deploy" / "run-local.sh"), action],
            env=env,
            stdout=log,
            stderr=log,
            check=action == "start",
            timeout=180,
        )


def measure(port: int, votes: list[tuple[str, dict[str, str]]], threads: int) -> dict[str, Any]:
    """Warm up, then send the votes in one timed round."""
    warm_up(port, 8)
    send(port, votes[:200], threads)
    return summarize([send(port, votes[200:], threads)])


def main() -> None:
    """Measure the three steps one after the other and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis-url", required=True)
    parser.add_argument("--votes", type=int, default=1500)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--instances", type=int, default=2)
    args = parser.parse_args()
    per_step = args.votes + 200
    innovation_ids, codes = prepare(args.database_url, per_step * 3)
    votes = [
        (f"/api/v1/events/{SLUG}/innovations/{innovation_ids[n % 20]}/votes", {"pass": code})
        for n, code in enumerate(codes)
    ]
    results: list[tuple[str, dict[str, Any]]] = []
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "GELAR_DATABASE_URL": args.database_url,
            "GELAR_REDIS_URL": args.redis_url,
            "GELAR_SECRET_KEY": SECRET,
            "GELAR_INSTANCE_PATH": str(Path(folder) / "instance"),
            "WORKERS": str(args.workers),
            "MAIL_WORKER": "0",
            "VENV": str(Path(sys.executable).parent.parent),
        }
        port = free_port()
        process = start_gunicorn("core:create_app()", port, args.workers, env)
        try:
            results.append(("1 gunicorn instance", measure(port, votes[:per_step], args.threads)))
        finally:
            process.terminate()
            process.wait(timeout=30)
        for step, instances in ((1, 1), (2, args.instances)):
            run_dir = Path(folder) / f"run-{instances}"
            run_dir.mkdir()
            nginx_port, base = free_port(), free_port() + 1000 * step
            step_env = {
                **env,
                "RUN_DIR": str(run_dir),
                "INSTANCES": str(instances),
                "BASE_PORT": str(base),
                "NGINX_PORT": str(nginx_port),
            }
            run_local("start", step_env)
            try:
                chunk = votes[per_step * step : per_step * (step + 1)]
                name = f"nginx + {instances} instance{'s' if instances > 1 else ''}"
                results.append((name, measure(nginx_port, chunk, args.threads)))
            finally:
                run_local("stop", step_env)
    stored = count(args.database_url, "SELECT COUNT(*) FROM voting_votes")
    acknowledged = sum(r["statuses"].get(201, 0) for _n, r in results) + 200 * len(results)
    base_rate = results[0][1]["rate"]
    print(
        f"workers per instance: {args.workers}, client threads: {args.threads}, "
        f"votes per step: {args.votes} (after 200 untimed), cores: {os.cpu_count()}"
    )
    for name, result in results:
        print(
            f"{name:24s} {result['rate']:8.1f} votes/s  x{result['rate'] / base_rate:4.2f}  "
            f"p50 {result['p50']:6.1f} ms  p99 {result['p99']:6.1f} ms  "
            f"statuses {result['statuses']}"
        )
    print(f"final count: {stored} votes stored, {acknowledged} acknowledged (incl. warm-up)")


if __name__ == "__main__":
    main()
