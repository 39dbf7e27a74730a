#!/usr/bin/env bash
# Start (or stop) Gelar scaled out on one machine, without containers: N gunicorn instances
# (deploy/gunicorn.conf.py), Debian's nginx in front (deploy/nginx-gelar.conf, run with its
# own prefix and config in the run folder, never the system site), and the mail worker.
#
#   deploy/run-local.sh start     # migrate, start everything, wait until /ready answers
#   deploy/run-local.sh stop      # stop what `start` started (by the pid files)
#
# Settings (environment): GELAR_DATABASE_URL, GELAR_REDIS_URL, GELAR_SECRET_KEY (required
# for more than one instance: every instance must sign cookies alike), and
#   RUN_DIR (default ./run-local)   INSTANCES (2)   BASE_PORT (8001)   NGINX_PORT (8080)
#   WORKERS (2 per instance)        MAIL_WORKER (1: start it when Redis is configured)
#   NGINX_BIN (/usr/sbin/nginx)     VENV (.venv)
# Pid files: $RUN_DIR/gunicorn-<port>.pid (each instance's master), nginx.pid, mail.pid.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUN_DIR="$(mkdir -p "${RUN_DIR:-$ROOT/run-local}" && cd "${RUN_DIR:-$ROOT/run-local}" && pwd)"
INSTANCES="${INSTANCES:-2}"
BASE_PORT="${BASE_PORT:-8001}"
NGINX_PORT="${NGINX_PORT:-8080}"
WORKERS="${WORKERS:-2}"
MAIL_WORKER="${MAIL_WORKER:-1}"
NGINX="${NGINX_BIN:-/usr/sbin/nginx}"
VENV="${VENV:-$ROOT/.venv}"

stop() {
  for pidfile in "$RUN_DIR"/gunicorn-*.pid; do
    [ -f "$pidfile" ] || continue
    kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  done
  if [ -f "$RUN_DIR/mail.pid" ]; then
    # The worker leads its own process group (with RQ's scheduler, a child of it): a warm
    # shut-down first, then whatever is left of the group is killed.
    local pid; pid="$(cat "$RUN_DIR/mail.pid")"
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
    rm -f "$RUN_DIR/mail.pid"
  fi
  if [ -f "$RUN_DIR/nginx.pid" ]; then
    "$NGINX" -p "$RUN_DIR/nginx" -c "$RUN_DIR/nginx/nginx.conf" -s quit 2>/dev/null || true
  fi
}

wait_for() {  # wait_for URL SECONDS
  local url="$1" tries=$(( $2 * 10 ))
  for _ in $(seq "$tries"); do
    if curl -fsS -o /dev/null "$url" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "run-local: $url did not answer" >&2
  return 1
}

nginx_conf() {  # the full nginx.conf around deploy/nginx-gelar.conf
  local upstreams="" port
  for n in $(seq 0 $(( INSTANCES - 1 ))); do
    port=$(( BASE_PORT + n ))
    upstreams+="    server 127.0.0.1:${port} max_fails=1 fail_timeout=5s;\n"
  done
  cat <<CONF
worker_processes 2;
pid $RUN_DIR/nginx.pid;
error_log $RUN_DIR/nginx/error.log warn;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    access_log $RUN_DIR/nginx/access.log;
    client_body_temp_path $RUN_DIR/nginx/tmp/body;
    proxy_temp_path $RUN_DIR/nginx/tmp/proxy;
    fastcgi_temp_path $RUN_DIR/nginx/tmp/fastcgi;
    uwsgi_temp_path $RUN_DIR/nginx/tmp/uwsgi;
    scgi_temp_path $RUN_DIR/nginx/tmp/scgi;
CONF
  # The site file, with this run's instances and port.
  awk -v ups="$upstreams" -v port="$NGINX_PORT" '
    /# gelar-instance/ { if (!done) { printf "%s", ups; done = 1 } next }
    /# gelar-listen/ { print "    listen 127.0.0.1:" port ";"; next }
    { print }
  ' "$ROOT/deploy/nginx-gelar.conf"
  echo "}"
}

start() {
  : "${GELAR_DATABASE_URL:?set GELAR_DATABASE_URL}"
  if [ "$INSTANCES" -gt 1 ] && [ -z "${GELAR_SECRET_KEY:-}" ]; then
    echo "run-local: set GELAR_SECRET_KEY (all instances must share it)" >&2
    exit 1
  fi
  export GELAR_PROXY_COUNT=1 GELAR_INSTANCE_PATH="${GELAR_INSTANCE_PATH:-$RUN_DIR/instance}"
  "$VENV/bin/gelar" db upgrade >"$RUN_DIR/upgrade.log" 2>&1
  for n in $(seq 0 $(( INSTANCES - 1 ))); do
    local port=$(( BASE_PORT + n ))
    mkdir -p "$RUN_DIR/metrics-$port"
    rm -f "$RUN_DIR/metrics-$port"/*
    GELAR_BIND="127.0.0.1:$port" GELAR_WORKERS="$WORKERS" \
      PROMETHEUS_MULTIPROC_DIR="$RUN_DIR/metrics-$port" \
      "$VENV/bin/gunicorn" -c "$ROOT/deploy/gunicorn.conf.py" --chdir "$ROOT" \
      --pid "$RUN_DIR/gunicorn-$port.pid" --daemon \
      --error-logfile "$RUN_DIR/gunicorn-$port.log"
  done
  mkdir -p "$RUN_DIR/nginx/tmp"
  nginx_conf >"$RUN_DIR/nginx/nginx.conf"
  "$NGINX" -p "$RUN_DIR/nginx" -c "$RUN_DIR/nginx/nginx.conf" -e "$RUN_DIR/nginx/error.log"
  if [ "$MAIL_WORKER" = "1" ] && [ -n "${GELAR_REDIS_URL:-}" ]; then
    setsid "$VENV/bin/gelar" mail worker >"$RUN_DIR/mail.log" 2>&1 </dev/null &
    echo $! >"$RUN_DIR/mail.pid"
  fi
  for n in $(seq 0 $(( INSTANCES - 1 ))); do
    wait_for "http://127.0.0.1:$(( BASE_PORT + n ))/ready" 60
  done
  wait_for "http://127.0.0.1:$NGINX_PORT/ready" 10
  echo "run-local: $INSTANCES instance(s) behind http://127.0.0.1:$NGINX_PORT/ ($RUN_DIR)"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
