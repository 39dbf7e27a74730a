"""gunicorn settings for one Gelar instance (``gunicorn -c deploy/gunicorn.conf.py``).

Environment: ``GELAR_BIND`` (default 127.0.0.1:8001), ``GELAR_WORKERS`` (default 2 x CPU
+ 1), ``GELAR_TIMEOUT`` (seconds, default 60).  Gelar itself reads ``GELAR_DATABASE_URL``,
``GELAR_REDIS_URL``, ``GELAR_SECRET_KEY`` and ``GELAR_PROXY_COUNT=1`` behind nginx.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import sys
from typing import Any

wsgi_app = "core:create_app()"
bind = os.environ.get("GELAR_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("GELAR_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"  # requests are short; nginx buffers slow clients
timeout = int(os.environ.get("GELAR_TIMEOUT", "60"))
graceful_timeout = 20
keepalive = 5
max_requests = 20000  # recycle workers now and then (memory), staggered by the jitter
max_requests_jitter = 2000
accesslog = None  # nginx logs requests; Gelar's JSON logs (GELAR_LOG_JSON) carry the ids
errorlog = "-"
loglevel = os.environ.get("GELAR_GUNICORN_LOG_LEVEL", "info")
# X-Forwarded-* from nginx on this host only (Gelar's PROXY_COUNT decides what it trusts).
forwarded_allow_ips = "127.0.0.1"


PR_SET_PDEATHSIG = 1


def post_fork(server: Any, worker: Any) -> None:
    """A worker dies with its master (Linux): a killed instance is gone at once.

    Without this, the workers of a master killed with ``kill -9`` live on until they next
    wake (up to ``timeout / 2`` when idle), holding the listening socket: a request nginx
    sends there meanwhile is accepted and then dropped (502) instead of being refused and
    passed to the next instance.
    """
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def child_exit(server: Any, worker: Any) -> None:
    """Drop a dead worker's live metrics (Prometheus multiprocess mode)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
