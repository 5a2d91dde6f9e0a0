#!/bin/bash
# End-to-end run on a rendered Kubernetes List:
#   install -> services up -> fill user Secrets -> tests (pods up/down inside) -> services down.
# usage: e2e/run.sh OBJECTS.json [TLS_OBJECTS.json [STORES_OBJECTS.json]]
#                                         (env: E2E_RUN=run dir to use, default a fresh /tmp dir;
#                                          E2E_SKIP_INSTALL=1; E2E_TESTS=substring,... to select tests)
#        e2e/run.sh --render              the real operator renders the Lists once the services are up:
#                                          $E2E_RENDER runs with RUNDIR/secrets.json present and must write
#                                          RUNDIR/rendered.json, RUNDIR/rendered-tls.json and RUNDIR/rendered-stores.json
#                                          (make e2e sets it);
#                                          those Lists are used unchanged
# The plain List runs tests/test_distributed_import.py, then tests/test_planned_stops.py (pods deleted mid-import as a
# roll, a scale-down and a config change delete them); the TLS List (glance-tls: TLS proxy, two rbd
# stores, image cache, CronJobs) runs tests/test_tls_multistore.py afterwards, on objects-tls.json; the stores List
# (glance-stores: a shared file store, rbd on two Ceph configurations, S3 and Swift on radosgw) runs tests/test_stores.py
# on objects-stores.json.
# The pods run the Glance of a Debian trixie root (glance-root.sh, built once and cached; E2E_GLANCE_ROOT=DIR picks
# another root) chrooted, as their runAsUser; E2E_GLANCE_ROOT=host runs the host's Glance as root instead.
# Exit status = the tests' status.  Every process started is stopped on exit, also on failure/^C.
set -uo pipefail
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
PY=/usr/bin/python3
HERE=$(cd "$(dirname "$0")" && pwd)
RUNDIR=${E2E_RUN:-$(mktemp -d /tmp/glance-e2e.XXXXXX)}
mkdir -p "$RUNDIR"; RUNDIR=$(readlink -f "$RUNDIR")
RENDER=0
if [ "${1:-}" = --render ]; then
  RENDER=1
  [ -n "${E2E_RENDER:-}" ] || { echo "--render needs E2E_RENDER" >&2; exit 2; }
  OBJECTS=$RUNDIR/rendered.json
  TLS_OBJECTS=$RUNDIR/rendered-tls.json
  STORES_OBJECTS=$RUNDIR/rendered-stores.json
  rm -f "$OBJECTS" "$TLS_OBJECTS" "$STORES_OBJECTS"
else
  OBJECTS=$(readlink -f "${1:?usage: run.sh OBJECTS.json [TLS_OBJECTS.json [STORES_OBJECTS.json]] | --render}")
  [ -f "$OBJECTS" ] || { echo "no such file: $1" >&2; exit 2; }
  TLS_OBJECTS=
  if [ -n "${2:-}" ]; then
    TLS_OBJECTS=$(readlink -f "$2"); [ -f "$TLS_OBJECTS" ] || { echo "no such file: $2" >&2; exit 2; }
  fi
  STORES_OBJECTS=
  if [ -n "${3:-}" ]; then
    STORES_OBJECTS=$(readlink -f "$3"); [ -f "$STORES_OBJECTS" ] || { echo "no such file: $3" >&2; exit 2; }
  fi
fi
T0=$(date +%s.%N)
# a real Prometheus for the live step: it scrapes the live tests' operator (quarkus.http.test-port 18181) and loads the
# shipped rules; the live tests ask it at 127.0.0.1:19090 (the Makefile's E2E_LIVE says -De2e.prometheus)
PROM_PORT=19090
OPERATOR_METRICS=127.0.0.1:18181
start_prometheus() {
  local d=$RUNDIR/prometheus
  rm -rf "$d"; mkdir -p "$d"
  # the shipped rules; only GlanceImportImagesStranded's `for` is shortened (15m -> 10s) so that it fires within the
  # test: AlertRulesTest runs promtool on the production periods
  sed '/alert: GlanceImportImagesStranded/,/for:/ s/for: 15m/for: 10s/' "$HERE/../src/main/monitoring/prometheus-rules.yaml" \
    >"$d/rules.yaml"
  grep -q 'for: 10s' "$d/rules.yaml" || { echo "[run] could not shorten GlanceImportImagesStranded's for"; return 1; }
  cat >"$d/prometheus.yml" <<EOC
global: {scrape_interval: 1s, evaluation_interval: 1s}
rule_files: [$d/rules.yaml]
scrape_configs:
- job_name: glance-import-operator
  metrics_path: /q/metrics
  static_configs: [{targets: ['$OPERATOR_METRICS']}]
EOC
  /usr/bin/prometheus --config.file="$d/prometheus.yml" --storage.tsdb.path="$d/data" \
    --web.listen-address=127.0.0.1:$PROM_PORT >"$d/prometheus.log" 2>&1 &
  echo $! >"$d/pid"
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$PROM_PORT/-/ready" >/dev/null && return 0
    sleep 0.2
  done
  tail -20 "$d/prometheus.log"; return 1
}
stop_prometheus() {
  [ -f "$RUNDIR/prometheus/pid" ] && kill "$(cat "$RUNDIR/prometheus/pid")" 2>/dev/null
  rm -f "$RUNDIR/prometheus/pid"
}
el() { awk -v a="$(date +%s.%N)" -v b="$1" 'BEGIN{printf "%.1f", a-b}'; }
CLEANED=0
cleanup() {
  [ $CLEANED = 1 ] && return; CLEANED=1
  local t=$(date +%s.%N)
  $PY "$HERE/pods.py" down "$RUNDIR" >/dev/null 2>&1 || true
  stop_prometheus || true
  "$HERE/services.sh" down "$RUNDIR" >"$RUNDIR/services-down.log" 2>&1 || true
  rm -rf "$RUNDIR/images"
  # keep logs, configs and claims; drop the ~180 MB MariaDB datadir unless E2E_KEEP_DATA=1
  [ "${E2E_KEEP_DATA:-0}" = 1 ] || rm -rf "$RUNDIR/svc/mysql"
  echo "[run] cleanup (pods + services down) $(el $t)s; logs kept in $RUNDIR"
  echo "[run] total wall time $(el $T0)s"
}
trap cleanup EXIT
trap 'echo "[run] interrupted"; exit 130' INT TERM

echo "[run] objects: $OBJECTS, run dir: $RUNDIR"
if [ "${E2E_SKIP_INSTALL:-0}" != 1 ]; then
  t=$(date +%s.%N); "$HERE/install.sh" || exit 1; echo "[run] install $(el $t)s"
fi
t=$(date +%s.%N)
$PY "$HERE/tests/test_pods_unit.py" >"$RUNDIR/pods-unit.log" 2>&1 \
  || { cat "$RUNDIR/pods-unit.log"; echo "[run] pods.py self-check FAILED"; exit 1; }
echo "[run] pods.py self-check ($(tail -1 "$RUNDIR/pods-unit.log")) $(el $t)s"
if [ "${E2E_GLANCE_ROOT:-}" = host ]; then
  echo "[run] Glance: the host's, glance-api $(dpkg-query -W -f='${Version}' glance-api 2>/dev/null) (E2E_GLANCE_ROOT=host)"
else
  t=$(date +%s.%N)
  GLANCE_ROOT=${E2E_GLANCE_ROOT:-/var/cache/glance-import-e2e/root-trixie}
  nice -n 10 "$HERE/glance-root.sh" "$GLANCE_ROOT" >"$RUNDIR/glance-root.log" 2>&1 \
    || { tail -20 "$RUNDIR/glance-root.log"; echo "[run] glance-root.sh FAILED"; exit 1; }
  export E2E_GLANCE_ROOT=$(readlink -f "$GLANCE_ROOT")
  echo "[run] Glance: $(grep '^glance-api ' "$E2E_GLANCE_ROOT/.glance-root.stamp") in the root $E2E_GLANCE_ROOT ($(el $t)s)"
fi
t=$(date +%s.%N)
"$HERE/services.sh" up "$RUNDIR" || { echo "[run] services up FAILED"; exit 1; }
echo "[run] services up $(el $t)s"
rc=0
# E2E_LIVE_ONLY=1: only the live step (make bench-import's autoscaling comparison), no List rendered, no module run
if [ "${E2E_LIVE_ONLY:-0}" != 1 ]; then
if [ $RENDER = 1 ]; then
  t=$(date +%s.%N)
  (cd "$HERE/.." && eval "$E2E_RENDER") || { echo "[run] operator render FAILED"; exit 1; }
  [ -s "$OBJECTS" ] || { echo "[run] operator render wrote no $OBJECTS"; exit 1; }
  echo "[run] operator rendered $OBJECTS $(el $t)s"
  cp "$OBJECTS" "$RUNDIR/objects.json"   # the operator's output, unchanged
  [ -s "$TLS_OBJECTS" ] && cp "$TLS_OBJECTS" "$RUNDIR/objects-tls.json"
  [ -s "$STORES_OBJECTS" ] && cp "$STORES_OBJECTS" "$RUNDIR/objects-stores.json"
else
  $PY "$HERE/fixtures/fill.py" "$OBJECTS" "$RUNDIR/secrets.json" "$RUNDIR/objects.json" || exit 1
  if [ -n "$TLS_OBJECTS" ]; then
    $PY "$HERE/fixtures/fill.py" "$TLS_OBJECTS" "$RUNDIR/secrets.json" "$RUNDIR/objects-tls.json" || exit 1
  fi
  # a saved glance-stores List runs as it is: it carries the fixed test credentials of services.sh (fill.py would
  # give both Ceph Secrets the first configuration's data)
  [ -n "$STORES_OBJECTS" ] && cp "$STORES_OBJECTS" "$RUNDIR/objects-stores.json"
fi
# run_module LABEL OBJECTS MODULE LOG: one test module on a List, its status folded into rc; its pods stopped after it
# (the next module runs pods on the same pod IPs)
run_module() {
  local t=$(date +%s.%N) mrc
  E2E_OBJECTS=$RUNDIR/$2 E2E_RUN=$RUNDIR $PY "$HERE/tests/$3" 2>&1 | tee "$RUNDIR/$4"
  mrc=${PIPESTATUS[0]}
  echo "[run] $1 $(el $t)s (rc=$mrc)"
  [ $mrc = 0 ] || rc=$mrc
  $PY "$HERE/pods.py" down "$RUNDIR" >/dev/null 2>&1
}
# run_rendered LABEL SOURCE OBJECTS MODULE LOG WHAT: as run_module when SOURCE was given or rendered; a render that wrote
# none fails, naming WHAT it should have held
run_rendered() {
  if [ $RENDER = 1 ] && [ ! -s "$2" ]; then
    echo "[run] FAILED: the operator render wrote no $2 ($6); tests/$4 cannot run"
    rc=1
  elif [ -n "$2" ]; then
    run_module "$1" "$3" "$4" "$5"
  fi
}
run_module tests objects.json test_distributed_import.py tests.log
run_module "planned-stop tests" objects.json test_planned_stops.py tests-planned-stops.log
run_rendered "TLS/multistore tests" "$TLS_OBJECTS" objects-tls.json test_tls_multistore.py tests-tls.log \
  "the glance-tls List: TLS proxy, stores ceph + ceph-fast, image cache, CronJobs"
run_rendered "store tests" "$STORES_OBJECTS" objects-stores.json test_stores.py tests-stores.log \
  "the glance-stores List: shared file store, rbd on two Ceph configurations, s3 and swift on radosgw; E2eRender says why above"
fi
if [ -n "${E2E_LIVE:-}" ]; then
  # the live operator against the same services: the scale-down hold asks real Glance which images are staged where
  t=$(date +%s.%N)
  start_prometheus || { echo "[run] Prometheus did not start"; rc=1; }
  live_start=$(date +%s)
  (cd "$HERE/.." && eval "$E2E_LIVE") 2>&1 | tee "$RUNDIR/live.log" | grep -E '^\[keystone\]|^\[token-cache\]|^\[autoscale\]|^\[burst\]|^\[hold\]|^\[stranded\]|^\[interrupted\]|^\[prometheus\]|^\[pods\]|Tests run:|FAIL|ERROR\]'
  lrc=${PIPESTATUS[0]}
  echo "[run] live operator tests $(el $t)s (rc=$lrc)"
  [ $lrc = 0 ] || rc=$lrc
  # the dashboard's main panels, drawn from what that Prometheus recorded during the live tests
  $PY "$HERE/dashboard_png.py" "http://127.0.0.1:$PROM_PORT" "$HERE/../src/main/monitoring/grafana-dashboard.json" \
    "$RUNDIR/dashboard.png" --start "$live_start" --end "$(date +%s)" \
    || { echo "[run] dashboard PNG FAILED"; rc=1; }
  stop_prometheus
fi
exit $rc
