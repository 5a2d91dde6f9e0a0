#!/bin/bash
# Builds, once, a Debian root with a current Glance for the e2e pods (Glance under WSGI: uWSGI or
# httpd + mod_wsgi), outside any checkout, so that a fresh clone on the same machine reuses it.
#
#   e2e/glance-root.sh [--suite trixie] [--no-apache] [DIR]
#
# DIR defaults to /var/cache/glance-import-e2e/root-SUITE. The root is complete when DIR/.glance-root.stamp
# exists (package versions, one per line, after a header naming the package set); it is built in
# DIR.new and renamed to DIR only once the stamp is written, so a half-built root is never used: a
# leftover DIR.new is removed and built again. A DIR without a stamp, or one whose stamp names another
# package set, is rebuilt. A complete root is reused as it is (no apt, about 0.1 s).
#
# Steps: debootstrap --variant=minbase SUITE from the mirror apt already uses here (override with
# GLANCE_ROOT_MIRROR=URI), then in the chroot, with /proc mounted only while installing and a
# policy-rc.d that exits 101 (no postinst starts a daemon; it stays in the root),
# apt-get install --no-install-recommends of PKGS (and APACHE_PKGS unless --no-apache).
# Then, also on a cached root: the pods' mount points, /usr/sbin/httpd -> apache2, glance user/group = 42415.
# Prints the Glance version (package and python), the size and the time taken.
# Needs root and debootstrap (apt-get install debootstrap). Heavy steps run under nice -n 10.
set -euo pipefail

SUITE=trixie
APACHE=1
DIR=
while [ $# -gt 0 ]; do
  case "$1" in
    --suite) SUITE=${2:?--suite needs a value}; shift 2 ;;
    --suite=*) SUITE=${1#--suite=}; shift ;;
    --no-apache) APACHE=0; shift ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "glance-root.sh: unknown option $1" >&2; exit 2 ;;
    *) [ -z "$DIR" ] || { echo "glance-root.sh: one DIR only" >&2; exit 2; }; DIR=$1; shift ;;
  esac
done
DIR=${DIR:-/var/cache/glance-import-e2e/root-$SUITE}
DIR=${DIR%/}

PKGS=(glance-api python3-rbd python3-rados python3-boto3 python3-swiftclient
      uwsgi-core uwsgi-plugin-python3 qemu-utils haproxy)
APACHE_PKGS=(apache2 libapache2-mod-wsgi-py3)
ALL=("${PKGS[@]}")
[ "$APACHE" = 1 ] && ALL+=("${APACHE_PKGS[@]}")
STAMP=.glance-root.stamp
HEADER="glance-root suite=$SUITE packages=${ALL[*]}"

glance_version() {  # $1 = root
  local deb py
  deb=$(chroot "$1" dpkg-query -W -f='${Version}' glance-api 2>/dev/null || echo '?')
  py=$(chroot "$1" /usr/bin/python3 -c 'import glance.version as v; print(v.version_info.release_string())' 2>/dev/null || echo '?')
  echo "glance-root.sh: $1: Glance $py (Debian glance-api $deb, suite $SUITE)"
}

# Mount points of the pods' volumes (GlancePaths), so that a harness can bind them without writing to the root.
MOUNT_POINTS=(etc/glance/glance.conf.d etc/glance/tls-proxy etc/glance/tls-ca etc/ceph var/lib/glance
              var/lib/glance-stores var/cache/glance)
# Also (on a cached root too), as in the default operand image (podified CentOS, kolla users): `httpd`, the binary's
# name there, which the operator renders as the command (httpd -DFOREGROUND -f ...), Debian calls it apache2; and the
# glance user and group with the image's id 42415 (the pods' runAsUser), not Debian's 64062: /etc/glance is
# glance:glance 0750, so the pods' user could not even reach its mount point /etc/glance/glance.conf.d.
GLANCE_ID=42415
mount_points() {
  local m uid gid
  for m in "${MOUNT_POINTS[@]}"; do mkdir -p "$1/$m"; done
  if [ -e "$1/usr/sbin/apache2" ] && [ ! -e "$1/usr/sbin/httpd" ]; then ln -s apache2 "$1/usr/sbin/httpd"; fi
  uid=$(awk -F: '$1 == "glance" {print $3}' "$1/etc/passwd")
  gid=$(awk -F: '$1 == "glance" {print $3}' "$1/etc/group")
  if [ -n "$uid" ] && [ -n "$gid" ] && [ "$uid:$gid" != "$GLANCE_ID:$GLANCE_ID" ]; then
    chroot "$1" groupmod -g "$GLANCE_ID" glance
    chroot "$1" usermod -u "$GLANCE_ID" -g "$GLANCE_ID" glance
    find "$1" -xdev -uid "$uid" -exec chown -h "$GLANCE_ID" {} +
    find "$1" -xdev -gid "$gid" -exec chgrp -h "$GLANCE_ID" {} +
    echo "glance-root.sh: $1: user and group glance renumbered $uid:$gid -> $GLANCE_ID:$GLANCE_ID (the image's)"
  fi
}

if [ -f "$DIR/$STAMP" ] && [ "$(head -1 "$DIR/$STAMP")" = "$HEADER" ]; then
  [ "$(id -u)" != 0 ] || mount_points "$DIR"
  glance_version "$DIR"
  exit 0
fi

[ "$(id -u)" = 0 ] || { echo "glance-root.sh: needs root (debootstrap, chroot)" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "glance-root.sh: apt-get install debootstrap first" >&2; exit 1; }

mkdir -p "$(dirname "$DIR")"
# One builder at a time per DIR; a second caller waits and then finds the stamp.
exec 9>"$DIR.lock"
flock 9
if [ -f "$DIR/$STAMP" ] && [ "$(head -1 "$DIR/$STAMP")" = "$HEADER" ]; then
  mount_points "$DIR"; glance_version "$DIR"; exit 0
fi

MIRROR=${GLANCE_ROOT_MIRROR:-}
if [ -z "$MIRROR" ]; then
  # the first Debian archive URI apt uses (not -security, not -updates, not a third-party repo)
  MIRROR=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 2>/dev/null \
    | awk '$2 !~ /-(security|updates|backports)$/ && $1 ~ /\/debian\/?$/ {print $1; exit}')
fi
MIRROR=${MIRROR:-http://deb.debian.org/debian}

NEW="$DIR.new"
cleanup() {
  # never leave /proc mounted in a root (also on failure or ^C)
  local m
  for m in "$NEW/proc" "$DIR/proc"; do
    mountpoint -q "$m" 2>/dev/null && umount -l "$m" || true
  done
}
trap cleanup EXIT
rm_root() {  # refuses to delete through a mount point
  local d=$1
  [ -e "$d" ] || return 0
  if grep -q " $(readlink -f "$d")/" /proc/mounts; then
    echo "glance-root.sh: something is mounted under $d; unmount it first" >&2; exit 1
  fi
  rm -rf --one-file-system "$d"
}

t0=$(date +%s)
cleanup
rm_root "$NEW"
if [ -e "$DIR" ]; then
  echo "glance-root.sh: $DIR has no matching stamp; rebuilding it"
fi
echo "glance-root.sh: debootstrap --variant=minbase $SUITE from $MIRROR into $NEW"
LOG="$(dirname "$DIR")/$(basename "$DIR").log"
: >"$LOG"
nice -n 10 debootstrap --variant=minbase "$SUITE" "$NEW" "$MIRROR" >>"$LOG" 2>&1 || {
  tail -20 "$LOG"; echo "glance-root.sh: debootstrap failed (log: $LOG)" >&2; exit 1; }
t1=$(date +%s)
size_base=$(du -sm --one-file-system "$NEW" | cut -f1)

printf '#!/bin/sh\nexit 101\n' >"$NEW/usr/sbin/policy-rc.d"
chmod 755 "$NEW/usr/sbin/policy-rc.d"
cp -L /etc/resolv.conf "$NEW/etc/resolv.conf" 2>/dev/null || true
mount -t proc proc "$NEW/proc"
in_root() { DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 nice -n 10 chroot "$NEW" "$@" >>"$LOG" 2>&1; }
APT_OPTS=(-y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold --no-install-recommends)
echo "glance-root.sh: apt-get install ${PKGS[*]}"
in_root apt-get update -q || { tail -20 "$LOG"; exit 1; }
in_root apt-get install "${APT_OPTS[@]}" "${PKGS[@]}" || {
  tail -30 "$LOG"; echo "glance-root.sh: apt-get install failed (log: $LOG)" >&2; exit 1; }
in_root apt-get clean
t2=$(date +%s)
size_glance=$(du -sm --one-file-system --exclude=proc "$NEW" | cut -f1)
t3=$t2
size_apache=$size_glance
if [ "$APACHE" = 1 ]; then
  echo "glance-root.sh: apt-get install ${APACHE_PKGS[*]}"
  in_root apt-get install "${APT_OPTS[@]}" "${APACHE_PKGS[@]}" || {
    tail -30 "$LOG"; echo "glance-root.sh: apt-get install failed (log: $LOG)" >&2; exit 1; }
  in_root apt-get clean
  t3=$(date +%s)
  size_apache=$(du -sm --one-file-system --exclude=proc "$NEW" | cut -f1)
fi
umount "$NEW/proc"
rm -rf "$NEW/var/lib/apt/lists/"* 2>/dev/null || true   # re-fetched by apt-get update if ever needed

{
  echo "$HEADER"
  echo "mirror=$MIRROR built=$(date -u +%Y-%m-%dT%H:%M:%SZ) debootstrap_s=$((t1 - t0)) glance_s=$((t2 - t1)) apache_s=$((t3 - t2)) size_mb_base=$size_base size_mb_glance=$size_glance size_mb_all=$size_apache"
  chroot "$NEW" dpkg-query -W -f='${Package} ${Version}\n' "${ALL[@]}" python3 python3-oslo.config python3-glance-store
} >"$NEW/$STAMP.tmp"
mount_points "$NEW"
mv "$NEW/$STAMP.tmp" "$NEW/$STAMP"

rm_root "$DIR"
mv "$NEW" "$DIR"
t4=$(date +%s)
size=$(du -sh --one-file-system "$DIR" | cut -f1)
glance_version "$DIR"
echo "glance-root.sh: built in $((t4 - t0)) s (debootstrap $((t1 - t0)) s, glance $((t2 - t1)) s, apache $((t3 - t2)) s); size $size (base ${size_base} MB, with glance ${size_glance} MB, with apache ${size_apache} MB); log $LOG"
