#!/bin/bash
# Idempotent, non-interactive install of everything the e2e harness needs (Debian 12).
# Skips apt entirely when every package is already installed.
set -euo pipefail
PKGS=(glance-api python3-glanceclient qemu-utils mariadb-server mariadb-client python3-pymysql
      ceph-mon ceph-osd ceph-common python3-rbd python3-rados radosgw python3-boto3 python3-swiftclient
      keystone python3-openstackclient python3-keystoneauth1 uwsgi-core uwsgi-plugin-python3
      util-linux procps iproute2 curl uuid-runtime openssl haproxy prometheus python3-matplotlib
      memcached   # the token cache of spec.memcached (E2eKeystone); Debian's service is never started
      debootstrap)   # glance-root.sh builds the pods' root (Glance 30) with it
# Debian's haproxy service (bound to *:80/443 by nothing, but it would hold its pidfile and run
# /etc/haproxy/haproxy.cfg) is never needed (nor Debian's prometheus service: make e2e runs its own): the pods run their own haproxy -W -db -f <their cfg>.
# policy-rc.d keeps postinst from starting it; stop it anyway if something did.
stop_distro_haproxy() {
  local p
  p=$(cat /run/haproxy.pid 2>/dev/null || true)
  if [ -n "$p" ] && [ -e "/proc/$p" ]; then
    echo "install.sh: stopping Debian's haproxy service (pid $p)"
    invoke-rc.d haproxy stop >/dev/null 2>&1 || kill "$p" 2>/dev/null || true
  fi
}
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then stop_distro_haproxy; echo "install.sh: all ${#PKGS[@]} packages present"; exit 0; fi
echo "install.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# no daemon may be started by postinst scripts (no systemd here anyway)
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; CREATED_POLICY=1
fi
apt-get update -qq
apt-get install -y -qq -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
  --no-install-recommends "${missing[@]}" >/tmp/e2e-apt-install.log 2>&1 || {
  tail -30 /tmp/e2e-apt-install.log; exit 1; }
[ "${CREATED_POLICY:-0}" = 1 ] && rm -f /usr/sbin/policy-rc.d
stop_distro_haproxy
echo "install.sh: done"
