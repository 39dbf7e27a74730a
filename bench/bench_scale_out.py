"""Benchmark: votes/s from one gunicorn instance to N instances behind nginx (issue 17).

Steps measured with the same client threads; step 0 on its own SQLite file, the others on
one PostgreSQL and Redis, each with ``--workers`` gunicorn workers per instance:

0. ``make run``: the development server (``gelar run``, threaded) on SQLite, no Redis;
1. one gunicorn instance, clients straight to it (the README's single-server set-up);
2. nginx in front of one instance (``deploy/run-local.sh`` with INSTANCES=1);
3. nginx in front of ``--instances`` instances (INSTANCES=N).

The four run side by side and are timed in alternating rounds (the order rotated each
round, so a noisy machine's drift falls on all alike), each vote with a fresh pass; the
script prints votes/s, p50/p99 and the ratio to step 1 (overall and the per-round median),
and checks every acknowledged vote was stored.  On one machine the instances
share its cores: the gain shows what a second host would add only where the CPU is not
already saturated — run it on the target hardware before planning an event.

    .venv/bin/python bench/bench_scale_out.py --database-url URL --redis-url URL
        [--votes 1500] [--threads 16] [--workers 2] [--instances 2] [--rounds 6]

The PostgreSQL URL must name a scratch database (its ``public`` schema is dropped).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_voting_throughput import SLUG, prepare, rate, send, summarize  # noqa: E402
from servers import count, free_port, start_gunicorn, wait_for_port, warm_up  # noqa: E402

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


def start_dev_server(port: int, env: dict[str, str]) -> Any:
    """``make run``'s server: ``gelar run`` (Flask's threaded development server)."""
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("gelar")), "run", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for_port(port, process)
    return process


def main() -> None:
    """Start the four set-ups side by side, then time them in alternating rounds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis-url", required=True)
    parser.add_argument("--votes", type=int, default=1500)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--instances", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    warmup = 200
    innovation_ids, codes = prepare(args.database_url, (args.votes + warmup) * 3)
    votes = [
        (f"/api/v1/events/{SLUG}/innovations/{innovation_ids[n % 20]}/votes", {"pass": code})
        for n, code in enumerate(codes)
    ]
    dev = "make run (SQLite)"
    names = ["1 gunicorn instance", "nginx + 1 instance", f"nginx + {args.instances} instances"]
    share = {name: votes[n :: len(names)] for n, name in enumerate(names)}
    with tempfile.TemporaryDirectory() as folder:
        sqlite_url = f"sqlite:///{Path(folder) / 'dev.db'}"
        dev_ids, dev_codes = prepare(sqlite_url, args.votes + warmup)
        share[dev] = [
            (f"/api/v1/events/{SLUG}/innovations/{dev_ids[n % 20]}/votes", {"pass": code})
            for n, code in enumerate(dev_codes)
        ]
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
        ports = {names[0]: free_port(), dev: free_port()}
        process = start_gunicorn("core:create_app()", ports[names[0]], args.workers, env)
        dev_env = {k: v for k, v in env.items() if k != "GELAR_REDIS_URL"}
        dev_env.update(
            GELAR_DATABASE_URL=sqlite_url,
            GELAR_INSTANCE_PATH=str(Path(folder) / "dev-instance"),
        )
        dev_process = start_dev_server(ports[dev], dev_env)
        names = [dev, *names]
        runs: list[dict[str, str]] = []
        try:
            for step, instances in ((1, 1), (2, args.instances)):
                run_dir = Path(folder) / f"run-{step}"
                run_dir.mkdir()
                ports[names[step + 1]] = free_port()
                runs.append(
                    {
                        **env,
                        "RUN_DIR": str(run_dir),
                        "INSTANCES": str(instances),
                        "BASE_PORT": str(20000 + 1000 * step + free_port() % 500),
                        "NGINX_PORT": str(ports[names[step + 1]]),
                    }
                )
                run_local("start", runs[-1])
            for name in names:  # untimed: every worker warm
                warm_up(ports[name], 8)
                send(ports[name], share[name][:warmup], args.threads)
            rounds: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
            for number in range(args.rounds):
                turn = number % len(names)
                order = names[turn:] + names[:turn]  # drift falls on all alike
                for name in order:
                    chunk = share[name][warmup + number :: args.rounds]
                    rounds[name].append(send(ports[name], chunk, args.threads))
        finally:
            for server in (process, dev_process):
                server.terminate()
                server.wait(timeout=30)
            for run in runs:
                run_local("stop", run)
        stored_dev = count(sqlite_url, "SELECT COUNT(*) FROM voting_votes")
    stored = count(args.database_url, "SELECT COUNT(*) FROM voting_votes")
    results = {name: summarize(rounds[name]) for name in names}
    acknowledged = sum(r["statuses"].get(201, 0) for n, r in results.items() if n != dev)
    acknowledged += warmup * 3
    base = names[1]
    base_rate = results[base]["rate"]
    print(
        f"workers per instance: {args.workers}, client threads: {args.threads}, "
        f"votes: {len(votes) - 3 * warmup} in {args.rounds} alternating rounds "
        f"(after {warmup} untimed each), cores: {os.cpu_count()}"
    )
    for name in names:
        result = results[name]
        per_round = [
            rate(mine) / rate(first) for mine, first in zip(rounds[name], rounds[base], strict=True)
        ]
        print(
            f"{name:24s} {result['rate']:8.1f} votes/s  x{result['rate'] / base_rate:4.2f} "
            f"(per-round median x{statistics.median(per_round):4.2f})  "
            f"p50 {result['p50']:6.1f} ms  p99 {result['p99']:6.1f} ms  "
            f"statuses {result['statuses']}"
        )
    print(f"final count: {stored} votes stored, {acknowledged} acknowledged (incl. warm-up)")
    dev_acknowledged = results[dev]["statuses"].get(201, 0) + warmup
    print(f"make run: {stored_dev} votes stored in SQLite, {dev_acknowledged} acknowledged")


if __name__ == "__main__":
    main()
