#!/usr/bin/python3
"""Small client library + CLI for the e2e tests (stdlib + Debian's python3-pymysql).

Library:  ops = GlanceOps(RUNDIR)  (reads RUNDIR/secrets.json and RUNDIR/pods/info.json)
  ops.token(who='demo')               keystone token of demo | admin (cached, password auth)
  ops.pod_url(i)                      http[s]://<pod i IP>:<port> (https when the pod serves TLS, see
                                      pods.py info; requests to it verify RUNDIR/tls/ca.crt for the
                                      pod's DNS name <pod>.<headless>.<ns>.svc)
  ops.http(method, url, token, ...)   one request (TLS pinned as above); module http() is the raw one
  ops.create_image(url, name)         -> id (disk_format qcow2, container_format bare)
  ops.stage(url, id, path)            PUT /v2/images/<id>/stage -> HTTP status
  ops.import_image(url, id[, stores=[..]])  POST /v2/images/<id>/import glance-direct [into those stores] -> (status, body)
  ops.get_image(url, id), ops.tasks(url, id)
  ops.wait_final(url, id, timeout)    -> (state, image): active | killed | failed | timeout
  ops.wait_task_failure(url, id, t)   -> task dict once an import task of the image has failed
  ops.stage_host(id)                  os_glance_stage_host from the image_properties table
  ops.copy_image(url, id, stores)     POST /import copy-image to stores, as admin -> (status, body)
  ops.image_stores(url, id), ops.wait_stores(url, id, stores, timeout), ops.stores_info(url)
  ops.download(url, id)               GET /file -> (status, md5, length, headers)
  ops.rbd_info(id, pool=None)         `rbd -p POOL info --format json` (timeout-wrapped) or None
  ops.rbd_ls(pool=None), ops.rbd_md5(id, pool=None), ops.rados_objects(prefix, pool=None)   (pool default: images)
  ops.ceph_cmd(tool, *args, timeout=30, pool=None)   argv of rbd/rados as client.glance (client.glance2 on images-edge)
  ops.staging_files(i)                files under pod i's staging claim dir (relative path -> size)
  make_qcow2(path, virtual_mib, data_mib, seed), qemu_info(path), raw_digest(path, algo)
CLI:  glance_ops.py RUNDIR token | pods | create POD NAME | stage POD ID FILE | import POD ID |
      wait POD ID [TIMEOUT] | status POD ID (image status, or the HTTP code) | delete POD ID (the HTTP code) | stage-host ID | rbd-info ID [POOL] | rbd-ls [POOL] | staging-ls POD |
      copy POD ID STORE[,STORE] | stores POD | make-qcow2 PATH VMIB DMIB |
      demo STAGE_POD IMPORT_POD FILE        (POD = pod index)
"""
import functools
import hashlib
import http.client
import json
import os
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

CHUNK = 1 << 20


class HTTPResult:
    def __init__(self, status, body, headers):
        self.status, self.body, self.headers = status, body, headers

    def json(self):
        return json.loads(self.body) if self.body else {}


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Connects to the URL's host (a pod IP) but verifies the certificate for `server_hostname`
    (the pod's DNS name), which is also sent as SNI, as a client resolving that name would."""

    def __init__(self, host, server_hostname=None, **kw):
        super().__init__(host, **kw)
        self._sni = server_hostname

    def connect(self):
        sock = socket.create_connection((self.host, self.port), self.timeout, self.source_address)
        self.sock = self._context.wrap_socket(sock, server_hostname=self._sni or self.host)


class _PinnedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, context, server_hostname):
        super().__init__(context=context)
        self._ctx, self._sni = context, server_hostname

    def https_open(self, req):
        return self.do_open(functools.partial(_PinnedHTTPSConnection, server_hostname=self._sni), req,
                            context=self._ctx)


def tls_context(cafile=None):
    """verifying context: the run's CA (cafile) or, without one, the system bundle"""
    return ssl.create_default_context(cafile=cafile)


def http(method, url, token=None, body=None, data=None, headers=None, timeout=120, cafile=None,
         server_hostname=None):
    """One request.  https: the certificate must verify against `cafile` for `server_hostname`
    (default: the URL's host); ssl.SSLError / URLError propagate."""
    h = {'Connection': 'close'}
    if headers:
        h.update(headers)
    if token:
        h['X-Auth-Token'] = token
    if body is not None:
        data = json.dumps(body).encode()
        h.setdefault('Content-Type', 'application/json')
    r = urllib.request.Request(url, data=data, method=method, headers=h)
    if url.startswith('https:'):
        opener = urllib.request.build_opener(_PinnedHTTPSHandler(tls_context(cafile), server_hostname))
    else:
        opener = urllib.request.build_opener()
    try:
        with opener.open(r, timeout=timeout) as resp:
            return HTTPResult(resp.status, resp.read(), resp.headers)
    except urllib.error.HTTPError as e:
        return HTTPResult(e.code, e.read(), e.headers)


class GlanceOps:
    def __init__(self, rundir):
        self.rundir = os.path.abspath(rundir)
        with open(os.path.join(self.rundir, 'secrets.json')) as f:
            self.sec = json.load(f)
        self._tok = {}
        self._info = None

    # ---------------------------------------------------------------- transport
    def ca_file(self):
        return self.sec.get('local', {}).get('ca_crt') or os.path.join(self.rundir, 'tls', 'ca.crt')

    def tls_for(self, url):
        """(cafile, server_hostname) for an https URL of a pod: its per-pod DNS name"""
        netloc = urllib.parse.urlsplit(url).netloc
        for p in self.info['pods']:
            if urllib.parse.urlsplit(p['url']).netloc == netloc:
                return self.ca_file(), p.get('dns_name')
        return self.ca_file(), None

    def http(self, method, url, token=None, **kw):
        if url.startswith('https:'):
            cafile, sni = self.tls_for(url)
            kw.setdefault('cafile', cafile)
            kw.setdefault('server_hostname', sni)
        return http(method, url, token, **kw)

    # ---------------------------------------------------------------- pods
    @property
    def info(self):
        # re-read each time pods are restarted
        with open(os.path.join(self.rundir, 'pods', 'info.json')) as f:
            return json.load(f)

    def pod(self, i):
        return self.info['pods'][i]

    def pod_url(self, i):
        return self.pod(i)['url']

    def pod_log(self, i):
        with open(self.pod(i)['log'], errors='replace') as f:
            return f.read()

    def staging_claim_dir(self, i):
        p = self.pod(i)
        # the claim mounted where glance keeps its staging store (/var/lib/glance), else 'staging'
        claims = p['claims']
        if 'staging' in claims:
            return claims['staging']
        for mp, vol in p['mounts'].items():
            if mp.rstrip('/') == '/var/lib/glance' and vol in claims:
                return claims[vol]
        raise KeyError('pod %d has no staging claim: %s' % (i, claims))

    def staging_files_of(self, pod_name):
        return self.staging_files([p['index'] for p in self.info['pods'] if p['name'] == pod_name][0])

    def staging_files(self, i):
        root = self.staging_claim_dir(i)
        out = {}
        for d, _, files in os.walk(root):
            for fn in files:
                p = os.path.join(d, fn)
                try:
                    out[os.path.relpath(p, root)] = os.path.getsize(p)
                except FileNotFoundError:
                    pass
        return out

    # ---------------------------------------------------------------- keystone
    def token(self, who='demo', fresh=False):
        c = self.sec[who]
        if not fresh and who in self._tok and self._tok[who][1] > time.time() + 120:
            return self._tok[who][0]
        body = {'auth': {'identity': {'methods': ['password'], 'password': {'user': {
            'name': c['username'], 'domain': {'name': c['user_domain_name']}, 'password': c['password']}}},
            'scope': {'project': {'name': c['project_name'], 'domain': {'name': c['project_domain_name']}}}}}
        r = self.http('POST', c['auth_url'].rstrip('/') + '/auth/tokens', body=body)
        if r.status != 201:
            raise RuntimeError('keystone auth for %s: HTTP %s %s' % (who, r.status, r.body[:200]))
        tok = r.headers['X-Subject-Token']
        self._tok[who] = (tok, time.time() + 3000)
        return tok

    # ---------------------------------------------------------------- glance API
    def create_image(self, url, name, disk_format='qcow2', container_format='bare', **props):
        body = dict(name=name, disk_format=disk_format, container_format=container_format, **props)
        r = self.http('POST', url + '/v2/images', self.token(), body=body)
        if r.status != 201:
            raise RuntimeError('create image on %s: HTTP %s %s' % (url, r.status, r.body[:300]))
        return r.json()['id']

    def stage(self, url, image_id, path):
        size = os.path.getsize(path)
        with open(path, 'rb') as f:
            r = self.http('PUT', '%s/v2/images/%s/stage' % (url, image_id), self.token(), data=f,
                     headers={'Content-Type': 'application/octet-stream', 'Content-Length': str(size)},
                     timeout=300)
        return r.status

    def import_image(self, url, image_id, method='glance-direct', stores=None):
        body = {'method': {'name': method}}
        if stores:
            body['stores'] = list(stores)
        r = self.http('POST', '%s/v2/images/%s/import' % (url, image_id), self.token(), body=body)
        return r.status, r.body.decode(errors='replace')

    def get_image(self, url, image_id, who='demo'):
        r = self.http('GET', '%s/v2/images/%s' % (url, image_id), self.token(who))
        if r.status != 200:
            raise RuntimeError('GET image %s: HTTP %s' % (image_id, r.status))
        return r.json()

    def delete_image(self, url, image_id, who='demo'):
        return self.http('DELETE', '%s/v2/images/%s' % (url, image_id), self.token(who)).status

    def tasks(self, url, image_id):
        r = self.http('GET', '%s/v2/images/%s/tasks' % (url, image_id), self.token())
        return r.json().get('tasks', []) if r.status == 200 else []

    def wait_final(self, url, image_id, timeout=180, poll=0.5):
        """active | killed | failed (os_glance_failed_import set and lock released, or an import task
        of the image failed while it is still importing) | timeout"""
        t0 = time.time()
        img = {}
        while time.time() - t0 < timeout:
            img = self.get_image(url, image_id)
            locked = bool(img.get('os_glance_import_task'))
            if img['status'] == 'active' and not locked:
                return 'active', img
            if img['status'] == 'killed':
                return 'killed', img
            if img.get('os_glance_failed_import') and not locked:
                return 'failed', img
            if img['status'] == 'importing' and any(t.get('status') == 'failure' for t in self.tasks(url, image_id)):
                return 'failed', img    # e.g. wrong stage host: the lock is never released
            time.sleep(poll)
        return 'timeout', img

    def copy_image(self, url, image_id, stores, who='admin', all_stores_must_succeed=True):
        """POST /import with method copy-image to `stores` (copy_image is admin-only by default
        policy: the admin user of secrets.json) -> (status, body)"""
        r = self.http('POST', '%s/v2/images/%s/import' % (url, image_id), self.token(who),
                      body={'method': {'name': 'copy-image'}, 'stores': list(stores),
                            'all_stores_must_succeed': all_stores_must_succeed})
        return r.status, r.body.decode(errors='replace')

    def image_stores(self, url, image_id, who='demo'):
        """the image's `stores` field as a list"""
        return [x for x in (self.get_image(url, image_id, who).get('stores') or '').split(',') if x]

    def wait_stores(self, url, image_id, stores, timeout=120, poll=0.5):
        """-> (True, image) once every store in `stores` is in the image's stores (and no import
        task holds the lock), (False, image) on timeout"""
        t0 = time.time()
        img = {}
        while time.time() - t0 < timeout:
            img = self.get_image(url, image_id)
            have = set((img.get('stores') or '').split(','))
            if set(stores) <= have and not img.get('os_glance_import_task'):
                return True, img
            time.sleep(poll)
        return False, img

    def stores_info(self, url, who='demo'):
        """GET /v2/info/stores -> [{'id', 'description', 'default'?}, ...]"""
        r = self.http('GET', url + '/v2/info/stores', self.token(who))
        if r.status != 200:
            raise RuntimeError('GET /v2/info/stores: HTTP %s %s' % (r.status, r.body[:200]))
        return r.json().get('stores', [])

    def download(self, url, image_id, who='demo'):
        """GET /v2/images/<id>/file -> (status, md5 of the body, length, headers)"""
        r = self.http('GET', '%s/v2/images/%s/file' % (url, image_id), self.token(who), timeout=300)
        return r.status, hashlib.md5(r.body).hexdigest(), len(r.body), r.headers

    def wait_task_failure(self, url, image_id, timeout=60, poll=0.5):
        t0 = time.time()
        while time.time() - t0 < timeout:
            for t in self.tasks(url, image_id):
                if t.get('status') == 'failure':
                    return t
            time.sleep(poll)
        return None

    # ---------------------------------------------------------------- DB
    def db(self):
        import pymysql
        d = self.sec['secrets']['db']
        return pymysql.connect(host=d['host'], port=int(d['port']), user=d['username'],
                               password=d['password'], database=d['database'], connect_timeout=10)

    def stage_host(self, image_id):
        """os_glance_stage_host is hidden from the API; read it from image_properties."""
        c = self.db()
        try:
            with c.cursor() as cur:
                cur.execute("SELECT value FROM image_properties WHERE image_id=%s AND "
                            "name='os_glance_stage_host' AND deleted=0", (image_id,))
                row = cur.fetchone()
                return row[0] if row else None
        finally:
            c.close()

    # ---------------------------------------------------------------- Ceph
    def ceph_cmd(self, tool, *args, timeout=30, pool=None):
        """argv of a Ceph CLI (rbd, rados) as client.glance on POOL (default: images), under `timeout`; on the second
        Ceph configuration's pool (secrets.json ceph_edge, images-edge) as its own client (client.glance2)"""
        loc = self.sec['local']
        pool = pool or self.sec.get('ceph_pool', 'images')
        user, keyring = self.sec.get('ceph_user', 'glance'), loc['ceph_glance_keyring']
        edge = self.sec.get('ceph_edge')
        if edge and pool == edge['pool']:
            user, keyring = edge['user'], loc['ceph_edge_keyring']
        return ['timeout', str(timeout), tool, '--conf', loc['ceph_conf'], '--id', user,
                '--keyring', keyring, '-p', pool] + list(args)

    def _rbd(self, *args, timeout=30, pool=None):
        return subprocess.run(self.ceph_cmd('rbd', *args, timeout=timeout, pool=pool), capture_output=True,
                              timeout=timeout + 5)

    def rados_objects(self, prefix, pool=None):
        """How many RADOS objects of POOL are named PREFIX.*: an RBD image's written data objects, given its
        block_name_prefix"""
        out = subprocess.run(self.ceph_cmd('rados', 'ls', timeout=60, pool=pool), check=True, capture_output=True,
                             text=True).stdout
        return sum(1 for line in out.splitlines() if line.startswith(prefix + '.'))

    def rbd_info(self, image_id, pool=None):
        """`rbd -p POOL info` (default pool: images) as client.glance, or None"""
        r = self._rbd('info', image_id, '--format', 'json', pool=pool)
        if r.returncode != 0:
            return None
        return json.loads(r.stdout)

    def rbd_ls(self, pool=None):
        r = self._rbd('ls', '--format', 'json', pool=pool)
        return json.loads(r.stdout) if r.returncode == 0 else None

    def rbd_md5(self, image_id, pool=None):
        cmd = self.ceph_cmd('rbd', 'export', image_id, '-', timeout=60, pool=pool)
        h = hashlib.md5()
        with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as p:
            for b in iter(lambda: p.stdout.read(CHUNK), b''):
                h.update(b)
        return h.hexdigest() if p.returncode == 0 else None


# -------------------------------------------------------------------- images
def make_qcow2(path, virtual_mib=32, data_mib=8, seed=0):
    """qcow2 of `virtual_mib` MiB with `data_mib` MiB of pattern data at offset 0 and 1 MiB of
    another pattern near the end (so the raw result is not all zeros and not all one byte)."""
    subprocess.run(['qemu-img', 'create', '-q', '-f', 'qcow2', path, '%dM' % virtual_mib], check=True)
    pat1, pat2 = 0x11 + (seed * 7) % 200, 0xA0 + (seed * 3) % 90
    cmds = ['write -P %d 0 %dM' % (pat1, data_mib), 'write -P %d %dM 1M' % (pat2, virtual_mib - 2)]
    args = ['qemu-io', '-f', 'qcow2']
    for c in cmds:
        args += ['-c', c]
    subprocess.run(args + [path], check=True, capture_output=True)
    return path


def qemu_info(path):
    return json.loads(subprocess.run(['qemu-img', 'info', '--output', 'json', path],
                                     check=True, capture_output=True).stdout)


def raw_digest(qcow2_path, algo='md5'):
    """Digest (md5 unless algo names another hashlib algorithm) of the raw conversion of a qcow2: what Glance's
    image_conversion must produce."""
    out = qcow2_path + '.raw-digest.tmp'
    try:
        subprocess.run(['qemu-img', 'convert', '-f', 'qcow2', '-O', 'raw', qcow2_path, out], check=True)
        h = hashlib.new(algo)
        with open(out, 'rb') as f:
            for b in iter(lambda: f.read(CHUNK), b''):
                h.update(b)
        return h.hexdigest()
    finally:
        if os.path.exists(out):
            os.unlink(out)


# -------------------------------------------------------------------- CLI
def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    ops = GlanceOps(argv[0])
    cmd, a = argv[1], argv[2:]
    pu = lambda x: ops.pod_url(int(x))  # noqa: E731
    if cmd == 'token':
        print(ops.token())
    elif cmd == 'pods':
        print(json.dumps(ops.info, indent=1))
    elif cmd == 'create':
        print(ops.create_image(pu(a[0]), a[1]))
    elif cmd == 'stage':
        print(ops.stage(pu(a[0]), a[1], a[2]))
    elif cmd == 'import':
        print(*ops.import_image(pu(a[0]), a[1]))
    elif cmd == 'wait':
        st, img = ops.wait_final(pu(a[0]), a[1], float(a[2]) if len(a) > 2 else 180)
        print(st, json.dumps({k: img.get(k) for k in ('status', 'disk_format', 'size', 'virtual_size')}))
    elif cmd == 'status':
        r = ops.http('GET', '%s/v2/images/%s' % (pu(a[0]), a[1]), ops.token())
        print(r.json().get('status') if r.status == 200 else r.status)
    elif cmd == 'delete':
        print(ops.delete_image(pu(a[0]), a[1]))
    elif cmd == 'stage-host':
        print(ops.stage_host(a[0]))
    elif cmd == 'rbd-info':
        print(json.dumps(ops.rbd_info(a[0], a[1] if len(a) > 1 else None), indent=1))
    elif cmd == 'rbd-ls':
        print(json.dumps(ops.rbd_ls(a[0] if a else None)))
    elif cmd == 'copy':
        print(*ops.copy_image(pu(a[0]), a[1], a[2].split(',')))
    elif cmd == 'stores':
        print(json.dumps(ops.stores_info(pu(a[0])), indent=1))
    elif cmd == 'staging-ls':
        print(json.dumps(ops.staging_files(int(a[0])), indent=1))
    elif cmd == 'make-qcow2':
        make_qcow2(a[0], int(a[1]), int(a[2]))
        print(a[0])
    elif cmd == 'demo':
        t0 = time.time()
        iid = ops.create_image(pu(a[0]), 'demo-%s-%s' % (a[0], a[1]))
        print('created', iid, 'stage ->', ops.stage(pu(a[0]), iid, a[2]))
        print('stage host', ops.stage_host(iid))
        print('import via pod', a[1], '->', ops.import_image(pu(a[1]), iid))
        st, img = ops.wait_final(pu(a[1]), iid)
        print(st, img.get('disk_format'), img.get('size'), 'in %.1fs' % (time.time() - t0))
        print('rbd', json.dumps(ops.rbd_info(iid)))
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
