#!/bin/bash
# Backing services for the e2e harness, all on 127.0.0.1, all state under RUNDIR/svc:
#   MariaDB (3307; offers TLS, certificate for 127.0.0.1 from the test CA in RUNDIR/db-tls), memstore Ceph (1 mon on 3300/6789 + 1 osd, cephx, pools images + images-fast for client.glance,
#   images-edge for client.glance2: a second Ceph configuration, its own ceph.conf + keyring), radosgw on 127.0.0.1:7480
#   (S3 + Swift v1 auth; user glance with an S3 key pair, subuser glance:swift),
#   real Keystone under uwsgi (5000; service project, glance user admin@service, demo member user; no image service:
#   the operator registers it, spec.keystoneRegistration), memcached (11211, keystonemiddleware's token cache), glance DB created and `glance-manage db_sync`ed: by the Glance of E2E_GLANCE_ROOT (a root
#   made by glance-root.sh, the pods' Glance) when it is set, else (unset or `host`) by the host's.
# Writes RUNDIR/secrets.json: the data of the user Secrets the operator consumes (db, keystone, ceph, ceph_edge,
# s3, swift, tls) as plain strings, plus the radosgw endpoints, demo/admin credentials and local paths.
# Credentials are FIXED test values (loopback only) so an operator dump rendered in advance
# matches; override with E2E_DB_PASSWORD, E2E_GLANCE_PASSWORD, E2E_DEMO_PASSWORD, E2E_CEPH_GLANCE_KEY.
#
# usage: services.sh up RUNDIR | down RUNDIR
set -euo pipefail
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
PY=/usr/bin/python3
HERE=$(cd "$(dirname "$0")" && pwd)
ACTION=${1:?usage: services.sh up|down RUNDIR}
RUNDIR=$(mkdir -p "${2:?usage: services.sh up|down RUNDIR}" && cd "$2" && pwd)
S=$RUNDIR/svc
DB_PORT=${E2E_DB_PORT:-3307}
KS_PORT=5000
KS_URL=http://127.0.0.1:$KS_PORT
DB_PASSWORD=${E2E_DB_PASSWORD:-glance-db-secret}
KS_DB_PASSWORD=keystone-db-secret
ADMIN_PASSWORD=${E2E_ADMIN_PASSWORD:-admin-secret}
GLANCE_PASSWORD=${E2E_GLANCE_PASSWORD:-glance-secret}
DEMO_PASSWORD=${E2E_DEMO_PASSWORD:-demo-secret}
CEPH_GLANCE_KEY=${E2E_CEPH_GLANCE_KEY:-AQAA8VNlAAAAABAA3KgVe5io/GVmw9fV1j71vw==}
# the "second Ceph cluster": only one Ceph runs here, so a second client with its own key, its own pool and its own
# ceph.conf (v1 mon address only) stands for it; client.glance has no caps on that pool and client.glance2 none on the others
CEPH_EDGE_USER=glance2
CEPH_EDGE_POOL=images-edge
CEPH_EDGE_KEY=${E2E_CEPH_EDGE_KEY:-AQBJ9lNlAAAAABAAm3a8dJ7kR1sXoVqgC2n4Ew==}
# radosgw (Ceph's object gateway, S3 + Swift) as the object stores; fixed test keys
RGW_PORT=7480
MEMCACHED_PORT=11211
RGW_URL=http://127.0.0.1:$RGW_PORT
RGW_ACCESS_KEY=${E2E_S3_ACCESS_KEY:-GLANCEE2EACCESSKEY01}
RGW_SECRET_KEY=${E2E_S3_SECRET_KEY:-glance-e2e-s3-secret-key-0123456789abcd}
RGW_SWIFT_KEY=${E2E_SWIFT_KEY:-glance-e2e-swift-secret}
CEPH_POOLS=(images images-fast)          # rbd pools; client.glance gets `profile rbd` on each
GLANCE_OSD_CAPS=$(printf 'profile rbd pool=%s, ' "${CEPH_POOLS[@]}"); GLANCE_OSD_CAPS=${GLANCE_OSD_CAPS%, }
# TLS for the glance-tls GlanceAPI: a CA and one server certificate for its per-pod and service names
TLS_NAME=${E2E_TLS_NAME:-glance-tls}; TLS_NS=${E2E_TLS_NAMESPACE:-openstack}

T0=$(date +%s.%N)
ts() { printf "[services %6.2fs] %s\n" "$(awk -v a="$(date +%s.%N)" -v b="$T0" "BEGIN{print a-b}")" "$*"; }
alive() { [ -e /proc/$1 ] && [ "$(awk '{print $3}' /proc/$1/stat 2>/dev/null)" != Z ]; }
stop_pidfiles() {  # label:pidfile ... -> TERM (whole process group when it leads one), wait, KILL
  local item f p pids=() labels=()
  for item in "$@"; do
    f=${item#*:}; [ -f "$f" ] || continue
    p=$(cat "$f" 2>/dev/null || true); rm -f "$f"
    [ -n "$p" ] && alive "$p" || continue
    if [ "$(ps -o pgid= -p "$p" | tr -d ' ')" = "$p" ]; then kill -TERM -- "-$p" 2>/dev/null || true
    else kill -TERM "$p" 2>/dev/null || true; fi
    pids+=("$p"); labels+=("${item%%:*}")
  done
  for _ in $(seq 1 200); do
    local any=0; for p in "${pids[@]}"; do alive "$p" && any=1; done
    [ $any = 0 ] && break; sleep 0.05
  done
  for i in "${!pids[@]}"; do
    p=${pids[$i]}
    if alive "$p"; then echo "${labels[$i]} ($p) still alive, SIGKILL"; kill -KILL -- "-$p" 2>/dev/null || kill -KILL "$p" 2>/dev/null || true; fi
    echo "stopped ${labels[$i]} (pid $p)"
  done
}

down() {
  [ -d "$RUNDIR/pods" ] && $PY "$HERE/pods.py" down "$RUNDIR" || true
  [ -d "$S" ] || return 0
  [ -f "$S/bg.pids" ] && for p in $(cat "$S/bg.pids"); do kill "$p" 2>/dev/null || true; done
  stop_pidfiles "keystone:$S/keystone/uwsgi.pid" "radosgw:$S/ceph/run/radosgw.pid" "memcached:$S/memcached.pid"
  stop_pidfiles "ceph-osd.0:$S/ceph/run/osd.0.pid"
  stop_pidfiles "ceph-mon.a:$S/ceph/run/mon.a.pid"
  stop_pidfiles "mariadbd:$S/mysqld.pid"
}

if [ "$ACTION" = down ]; then down; exit 0; fi
[ "$ACTION" = up ] || { echo "usage: services.sh up|down RUNDIR" >&2; exit 2; }

# ------------------------------------------------------------------ preflight
if [ -d "$S" ]; then down >/dev/null 2>&1 || true; rm -rf "$S"; fi
for p in $DB_PORT 3300 6789 $KS_PORT $RGW_PORT $MEMCACHED_PORT; do
  if ss -Hltn "sport = :$p" | grep -q .; then echo "port $p already in use" >&2; exit 1; fi
done
mkdir -p "$S"/{ceph/run,ceph/log,ceph/mon.a,ceph/osd.0,keystone}
: >"$S/bg.pids"
trap 'rc=$?; if [ $rc -ne 0 ]; then echo "services up FAILED (rc=$rc), stopping what was started" >&2; down >/dev/null 2>&1 || true; fi' EXIT
mysql_() { mariadb --no-defaults --socket="$S/mysql.sock" -uroot "$@"; }

# ------------------------------------------------------------------ database TLS: a CA, MariaDB's certificate for
# 127.0.0.1 and a CA that did not issue it (EC P-256, 3 days). MariaDB offers TLS; the live test E2eDatabaseTls turns
# require_secure_transport on for its own run. Keystone connects over TLS, so that it keeps working meanwhile
DBTLS=$RUNDIR/db-tls
rm -rf "$DBTLS"; mkdir -p "$DBTLS"
( set -e; cd "$DBTLS"
  for ca in ca other-ca; do
    # keyUsage: Python 3.13's ssl (Glance 30 in the trixie root) refuses a CA without it (VERIFY_X509_STRICT)
    openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3 -subj "/CN=e2e database $ca" \
      -keyout $ca.key -out $ca.crt -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
  done
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=127.0.0.1" -keyout server.key -out server.csr
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1\n' \
    >server.ext
  openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3 -extfile server.ext -out server.crt
  chmod 600 ca.key other-ca.key server.key ) >"$S/db-tls.log" 2>&1 || { cat "$S/db-tls.log"; exit 1; }

# ------------------------------------------------------------------ MariaDB (private datadir)
mariadb-install-db --no-defaults --user=root --datadir="$S/mysql" --skip-test-db \
  --auth-root-authentication-method=socket >"$S/mysql-install.log" 2>&1
setsid mariadbd --no-defaults --user=root --datadir="$S/mysql" --socket="$S/mysql.sock" \
  --port=$DB_PORT --bind-address=127.0.0.1 --skip-name-resolve \
  --pid-file="$S/mysqld.pid" --log-error="$S/mysqld.err" --skip-log-bin \
  --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
  --innodb-buffer-pool-size=128M --innodb-flush-log-at-trx-commit=2 \
  --max-connections=500 --ssl-ca="$DBTLS/ca.crt" --ssl-cert="$DBTLS/server.crt" --ssl-key="$DBTLS/server.key" \
  </dev/null >/dev/null 2>&1 &
echo $! >"$S/mysqld.pid"
ts "mariadbd launched"

# ------------------------------------------------------------------ Ceph (1 mon + 1 memstore osd, cephx)
C=$S/ceph; CONF=$C/ceph.conf
FSID=$(uuidgen); OSD_UUID=$(uuidgen)
cat >"$CONF" <<CEPH
[global]
fsid = $FSID
mon host = [v2:127.0.0.1:3300,v1:127.0.0.1:6789]
public addr = 127.0.0.1
cluster addr = 127.0.0.1
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
keyring = $C/\$name.keyring
run dir = $C/run
admin socket = $C/run/\$name.asok
pid file = $C/run/\$name.pid
log file = $C/log/\$name.log
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
mon allow pool delete = true
paxos propose interval = 0.05
mon data = $C/mon.\$id
[mon]
keyring = $C/mon.keyring
[osd]
osd data = $C/osd.\$id
osd objectstore = memstore
memstore device bytes = 4294967296
osd heartbeat grace = 60
[client.glance]
keyring = $C/client.glance.keyring
[client.$CEPH_EDGE_USER]
keyring = $C/client.$CEPH_EDGE_USER.keyring
CEPH
(
  cd "$C"
  ceph-authtool mon.keyring --create-keyring --gen-key -n mon. --cap mon 'allow *' >/dev/null
  ceph-authtool client.admin.keyring --create-keyring --gen-key -n client.admin \
    --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' --cap mds 'allow *' >/dev/null
  ceph-authtool client.glance.keyring --create-keyring --add-key "$CEPH_GLANCE_KEY" -n client.glance \
    --cap mon 'profile rbd' --cap osd "$GLANCE_OSD_CAPS" >/dev/null
  ceph-authtool osd.0.keyring --create-keyring --gen-key -n osd.0 \
    --cap mon 'allow profile osd' --cap osd 'allow *' --cap mgr 'allow profile osd' >/dev/null
  ceph-authtool client.$CEPH_EDGE_USER.keyring --create-keyring --add-key "$CEPH_EDGE_KEY" -n client.$CEPH_EDGE_USER \
    --cap mon 'profile rbd' --cap osd "profile rbd pool=$CEPH_EDGE_POOL" >/dev/null
  for k in client.admin client.glance client.$CEPH_EDGE_USER osd.0; do ceph-authtool mon.keyring --import-keyring $k.keyring >/dev/null; done
  monmaptool --create --fsid "$FSID" --addv a '[v2:127.0.0.1:3300,v1:127.0.0.1:6789]' monmap >/dev/null
  ceph-mon --conf "$CONF" --mkfs -i a --monmap monmap --keyring mon.keyring
  ceph-mon --conf "$CONF" -i a
  $PY "$HERE/lib/ceph_setup.py" "$CONF" "$OSD_UUID" pre "${CEPH_POOLS[@]}" "$CEPH_EDGE_POOL"
  ceph-osd --conf "$CONF" -i 0 --mkfs --osd-uuid "$OSD_UUID" >"$C/log/osd-mkfs.out" 2>&1
  ceph-osd --conf "$CONF" -i 0 2>"$C/log/osd-start.err"
  timeout 90 $PY "$HERE/lib/ceph_setup.py" "$CONF" "$OSD_UUID" wait "${CEPH_POOLS[@]}" "$CEPH_EDGE_POOL"
  echo "ceph pools writable"
  : >"$C/ready"
) >"$C/setup.log" 2>&1 &
CEPH_JOB=$!; echo $CEPH_JOB >>"$S/bg.pids"

# ------------------------------------------------------------------ radosgw (S3 + Swift on the same Ceph)
# once Ceph is writable: radosgw creates its pools (.rgw.root, default.rgw.*) itself; the users are made with
# radosgw-admin after it answers (both would otherwise race to create the default zone)
(
  for _ in $(seq 1 900); do [ -e "$C/ready" ] && break; sleep 0.1; done
  [ -e "$C/ready" ] || { echo "ceph never became ready"; exit 1; }
  mkdir -p "$C/rgw"
  setsid radosgw -f --conf "$CONF" -n client.admin --keyring "$C/client.admin.keyring" \
    --rgw-frontends "beast endpoint=127.0.0.1:$RGW_PORT" --rgw-data "$C/rgw" \
    --rgw-enable-apis "s3, swift, swift_auth, admin" \
    --rgw-swift-url "$RGW_URL" --rgw-swift-auth-url "$RGW_URL/auth/1.0" \
    --log-file "$C/log/radosgw.log" --admin-socket "$C/run/radosgw.asok" --pid-file "$C/run/radosgw.pid.daemon" \
    </dev/null >"$C/log/radosgw.out" 2>&1 &
  echo $! >"$C/run/radosgw.pid"
  for _ in $(seq 1 600); do curl -s -o /dev/null "$RGW_URL/" && break; sleep 0.1; done
  curl -s -o /dev/null "$RGW_URL/" || { echo "radosgw does not answer on $RGW_URL"; tail -20 "$C/log/radosgw.out"; exit 1; }
  echo "radosgw answers"
  RA=(radosgw-admin --conf "$CONF" -n client.admin --keyring "$C/client.admin.keyring" --log-file "$C/log/radosgw-admin.log"
      --admin-socket "$C/run/radosgw-admin.asok")
  "${RA[@]}" user create --uid=glance --display-name=glance --access-key="$RGW_ACCESS_KEY" --secret="$RGW_SECRET_KEY" >/dev/null
  "${RA[@]}" subuser create --uid=glance --subuser=glance:swift --access=full --key-type=swift --secret="$RGW_SWIFT_KEY" >/dev/null
  echo "radosgw users glance (S3) and glance:swift (Swift) created"
) >"$C/rgw-setup.log" 2>&1 &
RGW_JOB=$!; echo $RGW_JOB >>"$S/bg.pids"

# ------------------------------------------------------------------ TLS (CA + server cert, EC P-256, 3 days)
# E2E_TLS_FROM=DIR reuses a CA and certificate made earlier (a List rendered in another run carries them)
TLS=$RUNDIR/tls
if [ -n "${E2E_TLS_FROM:-}" ] && [ "$(readlink -f "${E2E_TLS_FROM}")" != "$(readlink -f "$TLS")" ]; then
  rm -rf "$TLS"; cp -r "$E2E_TLS_FROM" "$TLS"
fi
[ -n "${E2E_TLS_FROM:-}" ] || { rm -rf "$TLS"; mkdir -p "$TLS"; }
(
  set -e; cd "$TLS"
  [ -z "${E2E_TLS_FROM:-}" ] || exit 0
  HL=$TLS_NAME-headless.$TLS_NS.svc; SV=$TLS_NAME.$TLS_NS.svc
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3 \
    -subj "/CN=glance-e2e-ca" -keyout ca.key -out ca.crt \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -subj "/CN=$SV" -keyout tls.key -out tls.csr
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:*.%s,DNS:*.%s.cluster.local,DNS:%s,DNS:%s.cluster.local\n' \
    "$HL" "$HL" "$SV" "$SV" >tls.ext
  openssl x509 -req -in tls.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3 -extfile tls.ext -out tls.crt
  chmod 600 ca.key tls.key
) >"$S/tls.log" 2>&1 &
TLS_JOB=$!; echo $TLS_JOB >>"$S/bg.pids"

# ------------------------------------------------------------------ databases
for _ in $(seq 1 300); do [ -S "$S/mysql.sock" ] && mysql_ -e 'select 1' >/dev/null 2>&1 && break; sleep 0.1; done
mysql_ -e "CREATE DATABASE glance; CREATE USER 'glance'@'127.0.0.1' IDENTIFIED BY '$DB_PASSWORD';
  CREATE USER 'glance'@'localhost' IDENTIFIED BY '$DB_PASSWORD';
  GRANT ALL PRIVILEGES ON glance.* TO 'glance'@'127.0.0.1'; GRANT ALL PRIVILEGES ON glance.* TO 'glance'@'localhost';
  CREATE DATABASE keystone; CREATE USER 'keystone'@'127.0.0.1' IDENTIFIED BY '$KS_DB_PASSWORD';
  GRANT ALL PRIVILEGES ON keystone.* TO 'keystone'@'127.0.0.1';"
ts "mariadb up, glance + keystone databases created"

# glance db_sync in the background, with its own config (the operator's job is a later feature)
printf '[DEFAULT]\nlog_file = %s\n[database]\nconnection = mysql+pymysql://glance:%s@127.0.0.1:%s/glance\n' \
  "$S/glance-manage.log" "$DB_PASSWORD" "$DB_PORT" >"$S/glance-manage.conf"
# Schema cache: the first run does the real db_syncs and dumps the resulting (credential-free)
# schemas; later runs with the same package versions load the dumps (db_sync costs 6-16 s of CPU).
# E2E_NO_SCHEMA_CACHE=1 always runs db_sync.
CACHE_DIR=${E2E_CACHE_DIR:-/var/tmp/glance-e2e-cache}
CACHE_KEY=$(dpkg-query -W -f='${Package}=${Version}\n' keystone python3-keystone python3-glance glance-api mariadb-server 2>/dev/null | md5sum | cut -c1-16)
GLANCE_ROOT=${E2E_GLANCE_ROOT:-}; [ "$GLANCE_ROOT" = host ] && GLANCE_ROOT=
GLANCE_KEY=$CACHE_KEY
if [ -n "$GLANCE_ROOT" ]; then
  GLANCE_ROOT=$(readlink -f "$GLANCE_ROOT")
  [ -f "$GLANCE_ROOT/.glance-root.stamp" ] || { echo "E2E_GLANCE_ROOT=$GLANCE_ROOT: no .glance-root.stamp (run e2e/glance-root.sh)" >&2; exit 1; }
  # the root's package versions (stamp lines 3-), not its build time: a Glance 25 schema is never loaded for 30
  GLANCE_KEY=$( (dpkg-query -W -f='${Package}=${Version}\n' mariadb-server; tail -n +3 "$GLANCE_ROOT/.glance-root.stamp") \
    | md5sum | cut -c1-16)
fi
key_of() { if [ "$1" = glance ]; then echo "$GLANCE_KEY"; else echo "$CACHE_KEY"; fi; }
use_cache() { [ "${E2E_NO_SCHEMA_CACHE:-0}" != 1 ] && [ -s "$CACHE_DIR/$1-$(key_of "$1").sql.gz" ]; }
load_cache() { zcat "$CACHE_DIR/$1-$(key_of "$1").sql.gz" | mysql_ "$1"; }
save_cache() {  # $1 = database [$2 = cache name]; written atomically, never fatal
  [ "${E2E_NO_SCHEMA_CACHE:-0}" = 1 ] && return 0
  local name=${2:-$1-$(key_of "$1")}
  mkdir -p "$CACHE_DIR" && mariadb-dump --no-defaults --socket="$S/mysql.sock" -uroot --single-transaction \
    --skip-comments "$1" 2>/dev/null | gzip >"$CACHE_DIR/.$name.$$" \
    && mv "$CACHE_DIR/.$name.$$" "$CACHE_DIR/$name.sql.gz" || rm -f "$CACHE_DIR/.$name.$$"
  return 0
}
glance_db_sync() {
  if [ -z "$GLANCE_ROOT" ]; then glance-manage --config-file "$S/glance-manage.conf" db_sync; return; fi
  # the root's glance-manage, in a mount namespace of its own: the config (logging to stderr, the run dir is not in
  # the root) bound at the root's /mnt, /proc and /dev bound; nothing is left mounted in the shared root
  grep -v '^log_file' "$S/glance-manage.conf" >"$S/glance-manage-root.conf"
  unshare --mount --propagation private /bin/bash -ec '
    R=$1
    mount --bind "$2" "$R/mnt"; mount --rbind /proc "$R/proc"; mount --rbind /dev "$R/dev"
    chroot "$R" glance-manage --config-file /mnt/glance-manage-root.conf db_sync' _ "$GLANCE_ROOT" "$S"
}
if use_cache glance; then
  ( load_cache glance && echo "loaded cached glance schema $GLANCE_KEY${GLANCE_ROOT:+ (Glance of $GLANCE_ROOT)}" ) >"$S/glance-db-sync.out" 2>&1 &
else
  ( glance_db_sync && save_cache glance && echo "glance db_sync done${GLANCE_ROOT:+ by the Glance of $GLANCE_ROOT}" ) \
    >"$S/glance-db-sync.out" 2>&1 &
fi
GDB_JOB=$!; echo $GDB_JOB >>"$S/bg.pids"

# ------------------------------------------------------------------ memcached (token cache; 64 MB, loopback only)
if command -v memcached >/dev/null; then
  memcached -d -u root -l 127.0.0.1 -p $MEMCACHED_PORT -U 0 -m 64 -P "$S/memcached.pid" >"$S/memcached.log" 2>&1
  ts "memcached launched on 127.0.0.1:$MEMCACHED_PORT"
else
  echo "memcached not installed (e2e/install.sh): the token cache test will fail" >&2
fi

# ------------------------------------------------------------------ keystone
K=$S/keystone
cat >"$K/keystone.conf" <<KS
[DEFAULT]
log_file = $K/keystone.log
[database]
connection = mysql+pymysql://keystone:$KS_DB_PASSWORD@127.0.0.1:$DB_PORT/keystone?ssl_ca=$DBTLS/ca.crt
[token]
provider = fernet
expiration = 7200
[fernet_tokens]
key_repository = $K/fernet-keys
[fernet_receipts]
key_repository = $K/fernet-keys
[credential]
key_repository = $K/credential-keys
[identity]
password_hash_rounds = 4
max_password_length = 72
[cache]
enabled = true
backend = dogpile.cache.memory
KS
KM=(keystone-manage --config-file "$K/keystone.conf" --log-file "$K/keystone-manage.log")
# fernet token + credential key repositories, as `keystone-manage fernet_setup/credential_setup`
# create them (keys 0 = staged and 1 = primary, Fernet.generate_key(), dirs 0700, files 0600),
# without paying two keystone-manage start-ups (2-9 s of CPU on this machine).
$PY - "$K" >"$K/keys.out" 2>&1 <<'PYKEYS' &
import base64, os, sys
for d in ('fernet-keys', 'credential-keys'):
    p = os.path.join(sys.argv[1], d)
    os.makedirs(p, mode=0o700, exist_ok=True)
    for n in ('0', '1'):
        fd = os.open(os.path.join(p, n), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.write(fd, base64.urlsafe_b64encode(os.urandom(32)))
        os.close(fd)
PYKEYS
KEYS_JOB=$!; echo $KEYS_JOB >>"$S/bg.pids"
# keystone-full: the keystone DB after bootstrap + ks_setup (only password hashes, no keys: the
# fernet/credential keys are fresh each run and no credentials are stored), keyed also by the
# passwords and URLs.  ks_setup.py still runs (idempotent) and proves every object exists.
FULL=keystone-full-$(printf '%s|' "$CACHE_KEY" "$ADMIN_PASSWORD" "$GLANCE_PASSWORD" "$DEMO_PASSWORD" \
  "no-image-service" "$KS_URL" | md5sum | cut -c1-16)
KS_FROM_FULL=0
if [ "${E2E_NO_SCHEMA_CACHE:-0}" != 1 ] && [ -s "$CACHE_DIR/$FULL.sql.gz" ]; then
  zcat "$CACHE_DIR/$FULL.sql.gz" | mysql_ keystone
  KS_FROM_FULL=1
  ts "keystone DB (bootstrapped) loaded from cache ($CACHE_DIR/$FULL.sql.gz)"
elif use_cache keystone; then
  load_cache keystone
  ts "keystone schema loaded from cache ($CACHE_DIR, key $CACHE_KEY)"
else
  "${KM[@]}" db_sync >"$K/db_sync.out" 2>&1
  save_cache keystone
  ts "keystone db_sync done"
fi
wait $KEYS_JOB || { cat "$K/keys.out"; exit 1; }
ts "keystone fernet/credential keys done"
cat >"$K/uwsgi.ini" <<UW
[uwsgi]
plugins = python3
http-socket = 127.0.0.1:$KS_PORT
wsgi-file = /usr/bin/keystone-wsgi-public
env = OS_KEYSTONE_CONFIG_DIR=$K
chdir = $K
master = true
processes = ${E2E_KS_PROCESSES:-1}
threads = ${E2E_KS_THREADS:-4}
enable-threads = true
lazy-apps = true
thunder-lock = true
die-on-term = true
no-orphans = true
buffer-size = 65535
; uwsgi's http-socket closes after each response without saying so -> ECONNRESET in clients
add-header = Connection: close
listen = 100
name = keystone-api
logto = $K/uwsgi.log
UW
setsid uwsgi --ini "$K/uwsgi.ini" </dev/null >/dev/null 2>&1 &
echo $! >"$K/uwsgi.pid"
ts "keystone uwsgi launched (pid $(cat $K/uwsgi.pid))"
if [ $KS_FROM_FULL = 0 ]; then
  "${KM[@]}" bootstrap --bootstrap-password "$ADMIN_PASSWORD" --bootstrap-username admin \
    --bootstrap-project-name admin --bootstrap-role-name admin --bootstrap-region-id RegionOne \
    --bootstrap-admin-url "$KS_URL/v3" --bootstrap-internal-url "$KS_URL/v3" \
    --bootstrap-public-url "$KS_URL/v3" >"$K/bootstrap.out" 2>&1
  ts "keystone bootstrap done"
fi
$PY "$HERE/lib/ks_setup.py" "$KS_URL" "$ADMIN_PASSWORD" "$GLANCE_PASSWORD" "$DEMO_PASSWORD"
[ $KS_FROM_FULL = 0 ] && save_cache keystone "$FULL"
ts "keystone ready (service project, glance + demo users, no image service)"

wait $GDB_JOB || { echo "glance-manage db_sync failed:"; tail -20 "$S/glance-db-sync.out"; exit 1; }
ts "glance schema ready ($(tail -1 "$S/glance-db-sync.out" | cut -c1-60))"
wait $CEPH_JOB || { echo "ceph set-up failed:"; tail -20 "$C/setup.log"; exit 1; }
ts "ceph up (pools ${CEPH_POOLS[*]} $CEPH_EDGE_POOL writable)"
wait $RGW_JOB || { echo "radosgw set-up failed:"; tail -20 "$C/rgw-setup.log"; exit 1; }
ts "radosgw up on $RGW_URL (S3 user glance, Swift user glance:swift)"
wait $TLS_JOB || { echo "TLS certificate generation failed:"; tail -20 "$S/tls.log"; exit 1; }
: >"$S/bg.pids"

# ------------------------------------------------------------------ secrets.json
export DBTLS DB_PORT DB_PASSWORD KS_URL GLANCE_PASSWORD DEMO_PASSWORD ADMIN_PASSWORD CEPH_GLANCE_KEY S RUNDIR GLANCE_OSD_CAPS TLS
export MEMCACHED_PORT CEPH_EDGE_USER CEPH_EDGE_POOL CEPH_EDGE_KEY RGW_URL RGW_ACCESS_KEY RGW_SECRET_KEY RGW_SWIFT_KEY
export CEPH_POOLS_LIST="${CEPH_POOLS[*]}"
$PY - <<'PYEOF'
import json, os
e = os.environ
S = e['S']
ceph_conf = ('[global]\nmon_host = [v2:127.0.0.1:3300,v1:127.0.0.1:6789]\n'
             'auth_cluster_required = cephx\nauth_service_required = cephx\nauth_client_required = cephx\n')
keyring = ('[client.glance]\n\tkey = %s\n\tcaps mon = "profile rbd"\n\tcaps osd = "%s"\n'
           % (e['CEPH_GLANCE_KEY'], e['GLANCE_OSD_CAPS']))
# the second Ceph configuration: its own file (v1 mon address only) and its own client
ceph_edge_conf = ('[global]\n# second Ceph configuration (stands for a second cluster)\nmon_host = v1:127.0.0.1:6789\n'
                  'auth_cluster_required = cephx\nauth_service_required = cephx\nauth_client_required = cephx\n')
edge_keyring = ('[client.%s]\n\tkey = %s\n\tcaps mon = "profile rbd"\n\tcaps osd = "profile rbd pool=%s"\n'
                % (e['CEPH_EDGE_USER'], e['CEPH_EDGE_KEY'], e['CEPH_EDGE_POOL']))
tls = {k: open(os.path.join(e['TLS'], f)).read() for k, f in (('tls.crt', 'tls.crt'), ('tls.key', 'tls.key'),
                                                               ('ca.crt', 'ca.crt'))}
ks = e['KS_URL']
out = {
  'secrets': {
    'db': {'host': '127.0.0.1', 'port': e['DB_PORT'], 'database': 'glance',
           'username': 'glance', 'password': e['DB_PASSWORD']},
    'keystone': {'auth_url': ks + '/v3', 'username': 'glance', 'password': e['GLANCE_PASSWORD'],
                 'project_name': 'service', 'user_domain_name': 'Default', 'project_domain_name': 'Default'},
    'ceph': {'ceph.conf': ceph_conf, 'keyring': keyring},
    'ceph_edge': {'ceph.conf': ceph_edge_conf, 'keyring': edge_keyring},
    's3': {'access_key': e['RGW_ACCESS_KEY'], 'secret_key': e['RGW_SECRET_KEY']},
    'swift': {'user': 'glance:swift', 'key': e['RGW_SWIFT_KEY']},
    'tls': tls,
    # spec.databaseTLS: the CA of MariaDB's certificate, and one that did not issue it
    'db_ca': {'ca.crt': open(os.path.join(e['DBTLS'], 'ca.crt')).read()},
    'db_other_ca': {'ca.crt': open(os.path.join(e['DBTLS'], 'other-ca.crt')).read()},
  },
  # where the object stores are (GlanceAPI fields, not Secret keys)
  'rgw': {'endpoint': e['RGW_URL'], 's3_bucket': 'glance-images', 'swift_auth_address': e['RGW_URL'] + '/auth/1.0',
          'swift_auth_version': '1', 'swift_container': 'glance'},
  'ceph_edge': {'user': e['CEPH_EDGE_USER'], 'pool': e['CEPH_EDGE_POOL']},
  'ceph_pool': 'images', 'ceph_pools': e['CEPH_POOLS_LIST'].split(), 'ceph_user': 'glance',
  'demo': {'auth_url': ks + '/v3', 'username': 'demo', 'password': e['DEMO_PASSWORD'], 'project_name': 'demo',
           'user_domain_name': 'Default', 'project_domain_name': 'Default'},
  'memcached': {'servers': ['127.0.0.1:' + e['MEMCACHED_PORT']]},
  'admin': {'auth_url': ks + '/v3', 'username': 'admin', 'password': e['ADMIN_PASSWORD'], 'project_name': 'admin',
            'user_domain_name': 'Default', 'project_domain_name': 'Default'},
  'local': {'ceph_conf': S + '/ceph/ceph.conf', 'ceph_admin_keyring': S + '/ceph/client.admin.keyring',
            'ceph_glance_keyring': S + '/ceph/client.glance.keyring',
            'ceph_edge_keyring': S + '/ceph/client.' + e['CEPH_EDGE_USER'] + '.keyring', 'mysql_socket': S + '/mysql.sock',
            'tls_dir': e['TLS'], 'ca_crt': e['TLS'] + '/ca.crt'},
}
path = os.path.join(e['RUNDIR'], 'secrets.json')
with open(path, 'w') as f:
    json.dump(out, f, indent=1)
os.chmod(path, 0o600)
PYEOF
ts "services up; wrote $RUNDIR/secrets.json"
trap - EXIT
