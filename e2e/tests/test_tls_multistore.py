#!/usr/bin/python3
"""End-to-end tests of a GlanceAPI with TLS (haproxy sidecar), two Ceph RBD stores and an image
cache, against the pods materialised from the operator's rendered List (real glance-api, haproxy,
Ceph, MariaDB, Keystone).

env: E2E_OBJECTS = path of the Kubernetes List (JSON; e.g. RUNDIR/objects-tls.json),
     E2E_RUN = run dir of services.sh up (its tls/ca.crt signed the serving certificate).
The module starts the pods once (pods.py up, 3 pods); test 3 restarts pod 2 twice; every pod is
stopped at the end, also on failure.  Prints "N passed, N failed", exits non-zero on failure."""
import http.client
import json
import os
import re
import socket
import sqlite3
import ssl
import subprocess
import sys
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
E2E = os.path.dirname(HERE)
sys.path.insert(0, E2E)
import glance_ops  # noqa: E402
import suite  # noqa: E402
from suite import pods  # noqa: E402
from glance_ops import GlanceOps, qemu_info, raw_digest  # noqa: E402

PY = '/usr/bin/python3'
OBJECTS = os.environ.get('E2E_OBJECTS')
RUN = os.environ.get('E2E_RUN')
TIMEOUT = float(os.environ.get('E2E_IMPORT_TIMEOUT', '180'))
SYSTEM_BUNDLE = '/etc/ssl/certs/ca-certificates.crt'   # Debian's bundle: does not hold the run's CA
DEFAULT_STORE, SECOND_STORE = 'ceph', 'ceph-fast'
POOLS = {DEFAULT_STORE: 'images', SECOND_STORE: 'images-fast'}
ops = None
IMG = {}
STS = {}


def setUpModule():
    global ops
    if not OBJECTS or not RUN:
        raise RuntimeError('set E2E_OBJECTS and E2E_RUN')
    items = json.load(open(OBJECTS))['items']
    STS.update([o for o in items if o.get('kind') == 'StatefulSet'][0])
    specs = {'tls-main': (48, 12, 21), 'tls-neg': (32, 4, 22), 'tls-copy': (32, 6, 23), 'tls-cache': (24, 4, 24),
             'tls-term': (1024, 256, 25)}
    suite.pods_up_with_images(RUN, OBJECTS, STS, specs, IMG)
    ops = GlanceOps(RUN)


def tearDownModule():
    suite.pods_down(RUN)


def X():
    return STS['metadata']['name']


def import_active(test, stage_pod, import_pod, qcow2, name):
    """create + stage on stage_pod, import via import_pod (glance-direct) -> (id, image)"""
    us, ui = ops.pod_url(stage_pod), ops.pod_url(import_pod)
    iid = ops.create_image(us, name)
    test.assertEqual(ops.stage(us, iid, qcow2), 204)
    st, body = ops.import_image(ui, iid)
    test.assertEqual(st, 202, body)
    state, img = ops.wait_final(ui, iid, TIMEOUT)
    test.assertEqual(state, 'active', img)
    return iid, img


def handshake(ip, port, server_hostname, cafile):
    """TLS handshake with verification -> peer certificate (dict); raises ssl.SSLError"""
    ctx = ssl.create_default_context(cafile=cafile)
    with socket.create_connection((ip, port), timeout=10) as s:
        with ctx.wrap_socket(s, server_hostname=server_hostname) as t:
            return t.getpeercert()


def cache_hits(claim, iid, pod):
    """(hits,) of the image in pod's cache index: cache.db on the claim (Glance 29 and older), else Glance's database,
    keyed by the pod's worker_self_reference_url (centralized_db, Glance 30 and later)."""
    path = os.path.join(claim, 'cache.db')
    if os.path.exists(path):
        db = sqlite3.connect('file:%s?mode=ro' % path, uri=True)
        try:
            return db.execute('SELECT hits FROM cached_images WHERE image_id=?', (iid,)).fetchone()
        finally:
            db.close()
    db = ops.db()
    try:
        with db.cursor() as c:
            c.execute('SELECT i.hits FROM cached_images i JOIN node_reference n ON n.node_reference_id = i.node_reference_id '
                      'WHERE i.image_id = %s AND n.node_reference_url = %s', (iid, ops.pod(pod)['dns_url']))
            return c.fetchone()
    finally:
        db.close()


class T(unittest.TestCase):
    maxDiff = None

    def check_raw_in_pool(self, iid, qcow2, pool):
        vsize = qemu_info(qcow2)['virtual-size']
        info = ops.rbd_info(iid, pool)
        self.assertIsNotNone(info, 'rbd -p %s info %s failed: image not in pool %s' % (pool, iid, pool))
        self.assertEqual(info['size'], vsize, 'RBD image size != qcow2 virtual size')
        return info

    # ------------------------------------------------------------------ 1
    def test_1_https_per_pod_certificate(self):
        ca = ops.ca_file()
        self.assertTrue(os.path.exists(ca), ca)
        for i in range(3):
            p = ops.pod(i)
            with self.subTest(pod=i):
                self.assertEqual(p['scheme'], 'https', 'pod %d does not serve https (probe/port scheme)' % i)
                headless = '%s.%s.svc' % (STS['spec']['serviceName'], STS['metadata'].get('namespace') or 'default')
                self.assertEqual(p['dns_name'], '%s-%d.%s' % (X(), i, headless))
                cert = handshake(p['ip'], p['port'], p['dns_name'], ca)
                sans = [v for k, v in cert.get('subjectAltName', ()) if k == 'DNS']
                self.assertIn('*.' + headless, sans)
                r = ops.http('GET', p['url'] + '/healthcheck')
                self.assertEqual((r.status, r.body), (200, b'OK'))
                # verification is real: wrong name, and the system bundle (no run CA), both refused
                with self.assertRaises(ssl.SSLCertVerificationError):
                    handshake(p['ip'], p['port'], '%s-%d.elsewhere.svc' % (X(), i), ca)
                with self.assertRaises(ssl.SSLCertVerificationError):
                    handshake(p['ip'], p['port'], p['dns_name'], SYSTEM_BUNDLE)
                # plain http on the https port does not work
                plain = 'http://%s:%d/healthcheck' % (p['ip'], p['port'])
                try:
                    st = glance_ops.http('GET', plain, timeout=10).status
                except Exception as e:   # haproxy closes the connection: RemoteDisconnected / reset
                    st = type(e).__name__
                self.assertNotEqual(st, 200, 'plain http answered on %s' % plain)
                print('    [1] pod %d: https %s verified for %s; plain http -> %s'
                      % (i, p['url'], p['dns_name'], st), file=sys.stderr)

    # ------------------------------------------------------------------ 2
    def test_2_tls_cross_pod_import(self):
        t0 = time.time()
        q = IMG['tls-main']
        u0, u2 = ops.pod_url(0), ops.pod_url(2)
        iid = ops.create_image(u0, 'e2e-tls-main')
        self.assertEqual(ops.stage(u0, iid, q), 204)
        host = ops.stage_host(iid)
        self.assertTrue(host and host.startswith('https://%s-0.' % X()), host)
        self.assertEqual(host, ops.pod(0)['dns_url'])
        st, body = ops.import_image(u2, iid)
        self.assertEqual(st, 202, body)
        state, img = ops.wait_final(u2, iid, TIMEOUT)
        self.assertEqual(state, 'active', img)
        self.assertEqual(img['disk_format'], 'raw')
        self.assertEqual(img.get('stores'), DEFAULT_STORE)
        self.check_raw_in_pool(iid, q, POOLS[DEFAULT_STORE])
        self.assertEqual(ops.rbd_md5(iid, POOLS[DEFAULT_STORE]), raw_digest(q))
        self.assertRegex(ops.pod_log(2), r'Proxying POST request to host %s which has image staged'
                         % re.escape(host))
        self.assertRegex(ops.pod_log(0), suite.access_log_line('POST', '/v2/images/%s/import' % iid, 202),
                         'the proxied import did not reach pod 0')
        print('    [2] staged on pod 0 (%s), imported via pod 2: active raw in pool %s, %.1fs'
              % (host, POOLS[DEFAULT_STORE], time.time() - t0), file=sys.stderr)

    # ------------------------------------------------------------------ 3 (restarts pod 2 twice)
    def test_3_peer_certificate_is_verified(self):
        q = IMG['tls-neg']
        bad = 'glance-api:REQUESTS_CA_BUNDLE=%s' % SYSTEM_BUNDLE
        sys.stderr.write('[test] restarting pod 2 with --env %s\n' % bad)
        u0, u2 = ops.pod_url(0), ops.pod_url(2)
        pods('up', RUN, OBJECTS, '--only', '2', '--env', bad, *suite.replicas_args(STS))
        try:
            iid = ops.create_image(u0, 'e2e-tls-negative')
            self.assertEqual(ops.stage(u0, iid, q), 204)
            bad_st, body = ops.import_image(u2, iid)
            self.assertGreaterEqual(bad_st, 500, 'import via a pod that cannot verify pod 0 must fail: %s %s'
                                    % (bad_st, body[:200]))
            log2 = ops.pod_log(2)
            self.assertIn('CERTIFICATE_VERIFY_FAILED', log2, 'pod 2 log has no certificate verification error')
            self.assertRegex(log2, r'Proxying POST request to host https://')
            self.assertEqual(ops.get_image(u0, iid)['status'], 'uploading', 'a failed proxy must not lose the stage')
        finally:
            sys.stderr.write('[test] restarting pod 2 with the List unchanged\n')
            pods('up', RUN, OBJECTS, '--only', '2', *suite.replicas_args(STS))
        st, body = ops.import_image(u2, iid)
        self.assertEqual(st, 202, body)
        state, img = ops.wait_final(u2, iid, TIMEOUT)
        self.assertEqual(state, 'active', img)
        self.check_raw_in_pool(iid, q, POOLS[DEFAULT_STORE])
        print('    [3] with the system CA bundle: import -> %s, CERTIFICATE_VERIFY_FAILED in pod 2 log; '
              'after restart with the run CA: active' % bad_st, file=sys.stderr)

    # ------------------------------------------------------------------ 4
    def test_4_copy_image_to_second_store(self):
        t0 = time.time()
        q = IMG['tls-copy']
        u0, u1 = ops.pod_url(0), ops.pod_url(1)
        stores = {s['id']: s for s in ops.stores_info(u1)}
        self.assertEqual(set(stores), {DEFAULT_STORE, SECOND_STORE}, stores)
        self.assertEqual(stores[DEFAULT_STORE].get('default'), 'true', stores)
        self.assertNotIn('default', stores[SECOND_STORE])
        iid, img = import_active(self, 1, 1, q, 'e2e-tls-copy')
        self.assertEqual(ops.image_stores(u1, iid), [DEFAULT_STORE])
        self.assertNotIn(iid, ops.rbd_ls(POOLS[SECOND_STORE]))
        st, body = ops.copy_image(u0, iid, [SECOND_STORE], who='demo')
        self.assertEqual(st, 403, 'copy-image must be admin-only: %s %s' % (st, body[:200]))
        st, body = ops.copy_image(u0, iid, [SECOND_STORE])
        self.assertEqual(st, 202, body)
        ok, img = ops.wait_stores(u0, iid, [DEFAULT_STORE, SECOND_STORE], TIMEOUT)
        self.assertTrue(ok, 'stores of %s after copy-image: %r' % (iid, img.get('stores')))
        self.assertEqual(img['status'], 'active')
        self.assertIn(iid, ops.rbd_ls(POOLS[SECOND_STORE]))
        self.check_raw_in_pool(iid, q, POOLS[SECOND_STORE])
        self.assertEqual(ops.rbd_md5(iid, POOLS[SECOND_STORE]), ops.rbd_md5(iid, POOLS[DEFAULT_STORE]))
        print('    [4] copy-image %s -> %s: stores %s, rbd -p %s has it, %.1fs'
              % (DEFAULT_STORE, SECOND_STORE, img['stores'], POOLS[SECOND_STORE], time.time() - t0),
              file=sys.stderr)

    # ------------------------------------------------------------------ 5
    def test_5_image_cache_and_cache_cronjob(self):
        q = IMG['tls-cache']
        u1 = ops.pod_url(1)
        iid, img = import_active(self, 1, 1, q, 'e2e-tls-cache')
        cache = ops.pod(1)['claims'].get('image-cache')
        self.assertEqual(cache, os.path.join(ops.rundir, 'pvc', 'image-cache-%s-1' % X()))
        md5s = []
        for _ in range(2):
            st, md5, n, _h = ops.download(u1, iid)
            self.assertEqual((st, n), (200, img['size']))
            md5s.append(md5)
        self.assertEqual(md5s[0], md5s[1])
        self.assertEqual(md5s[0], raw_digest(q))
        cached = os.path.join(cache, iid)
        self.assertTrue(os.path.isfile(cached), 'no %s in pod 1 image-cache claim: %s' % (iid, os.listdir(cache)))
        self.assertEqual(os.path.getsize(cached), img['size'])
        for other in (0, 2):
            oc = ops.pod(other)['claims'].get('image-cache')
            self.assertFalse(os.path.exists(os.path.join(oc, iid)), 'cached in pod %d claim too' % other)
        hits = cache_hits(cache, iid, 1)
        self.assertIsNotNone(hits, 'image not in the cache index')
        self.assertGreaterEqual(hits[0], 1, 'second download was not served from the cache')
        cj = '%s-cache-1' % X()
        r = pods('job', RUN, OBJECTS, '--cronjob', cj, check=False)
        self.assertEqual(r.returncode, 0, 'pods.py job --cronjob %s failed:\n%s' % (cj, r.stdout + r.stderr))
        self.assertTrue(os.path.isfile(cached), 'the pruner removed an image while under image_cache_max_size')
        # the pruner really works on this claim: with a 1-byte limit it evicts the image
        r = pods('job', RUN, OBJECTS, '--cronjob', cj, '--env', 'cache-pruner:OS_DEFAULT__IMAGE_CACHE_MAX_SIZE=1',
                 check=False)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertFalse(os.path.exists(cached), 'the pruner with image_cache_max_size=1 left %s' % cached)
        print('    [5] cached %s in %s (hits %d); cronjob %s ok, pruner evicts at max size 1'
              % (iid, cache, hits[0], cj), file=sys.stderr)

    # ------------------------------------------------------------------ 6
    def test_6_db_purge_cronjob(self):
        cj = '%s-db-purge' % X()
        r = pods('job', RUN, OBJECTS, '--cronjob', cj, check=False)
        self.assertEqual(r.returncode, 0, 'pods.py job --cronjob %s failed:\n%s' % (cj, r.stdout + r.stderr))
        logs = [os.path.join(RUN, 'jobs', cj, f) for f in os.listdir(os.path.join(RUN, 'jobs', cj)) if f.endswith('.log')]
        text = ''.join(open(p, errors='replace').read() for p in logs)
        self.assertRegex(text, r'Purging deleted rows older than 30 day')
        print('    [6] cronjob %s ok against the real MariaDB' % cj, file=sys.stderr)



    # ------------------------------------------------------------------ 7
    def test_7_pod_stop_under_uwsgi_waits_for_the_running_import(self):
        """A pod whose glance-api runs under uWSGI is stopped (pods.py delete: the preStop hook, then SIGTERM) while it
        imports: the hook holds SIGTERM back until the import is done. uWSGI itself would not wait: on Glance 30.0.0 a
        worker SIGTERMed (--die-on-term) mid-import exited 1.2 s later and left the image importing (docs/glance-servers.md)."""
        program = STS['spec']['template']['spec']['containers'][0]['command'][0]
        if program != 'uwsgi':
            self.skipTest('the List runs %s, not uwsgi' % program)
        u2 = ops.pod_url(2)
        iid = ops.create_image(u2, 'e2e-tls-term')
        self.assertEqual(ops.stage(u2, iid, IMG['tls-term']), 204)
        st, body = ops.import_image(u2, iid)
        self.assertEqual(st, 202, body)
        t0 = time.time()
        while 'os_glance_staging_store/%s.raw' % iid not in ops.staging_files(2):
            self.assertLess(time.time() - t0, 60, 'the import did not start on pod 2')
            time.sleep(0.2)
        r = pods('delete', RUN, OBJECTS, '--only', '2', check=False)
        try:
            self.assertEqual(r.returncode, 0, r.stderr[-2000:])
            stop = [json.loads(x) for x in r.stdout.splitlines() if x.startswith('{')][0]
            self.assertTrue(stop['preStop']['output'].startswith('import drain: imports finished'), stop)
            self.assertFalse(stop['sigkilled'], stop)
            state, img = ops.wait_final(ops.pod_url(0), iid, TIMEOUT)
            self.assertEqual(state, 'active', img)
            self.assertEqual(img['size'], qemu_info(IMG['tls-term'])['virtual-size'])
            ops.delete_image(ops.pod_url(0), iid)
        finally:
            pods('up', RUN, OBJECTS, '--only', '2', *suite.replicas_args(STS))
        print('    [7] %s: pod 2 (uWSGI) deleted mid-import, its preStop waited %.1fs, gone %.1fs after the delete; image '
              'active' % (iid, stop['preStop']['seconds'], stop['seconds']), file=sys.stderr)
    # ------------------------------------------------------------------ 8
    def test_8_api_timeout_bounds_a_silent_upload(self):
        """spec.apiTimeout on every hop of an upload through the TLS proxy: a client that stops sending for 70 s (beyond
        the 60 s that httpd and uWSGI allowed before apiTimeout) stages its image with apiTimeout 90; on a pod rendered
        with apiTimeout 10, a 20 s pause is cut by the proxy after 10 s of silence (it answers 400, logs the client
        timeout, and closes; a client still sending sees the connection closed), and no partial image is left to import."""
        short = os.path.join(RUN, 'rendered-tls-short.json')
        if not os.path.exists(short):
            self.skipTest('no %s: the List was not rendered by the operator' % short)
        timeout = lambda objects: int(re.search(r'timeout client (\d+)s', [o for o in json.load(open(objects))['items']
                                          if o.get('kind') == 'ConfigMap' and 'haproxy.cfg' in o.get('data', {})][0]
                                          ['data']['haproxy.cfg']).group(1))
        self.assertEqual((timeout(OBJECTS), timeout(short)), (90, 10))
        data = os.path.getsize(IMG['tls-neg'])
        u0 = ops.pod_url(0)
        iid = ops.create_image(u0, 'e2e-tls-slow')
        t0 = time.time()
        status, _ = stalled_stage(u0, iid, IMG['tls-neg'], 70)
        self.assertEqual(status, 204, 'a 70 s pause under apiTimeout 90 was cut')
        slow = time.time() - t0
        self.assertEqual(ops.get_image(u0, iid)['status'], 'uploading')
        self.assertEqual(ops.staging_files(0).get('os_glance_staging_store/%s' % iid), data)
        ops.delete_image(u0, iid)

        suite.pods('delete', RUN, OBJECTS, '--only', '1')
        try:
            suite.pods('up', RUN, short, '--only', '1', *suite.replicas_args(STS))
            u1 = ops.pod_url(1)
            iid = ops.create_image(u1, 'e2e-tls-cut')
            t0 = time.time()
            status, detail = stalled_stage(u1, iid, IMG['tls-neg'], 20)
            cut = time.time() - t0
            self.assertNotIn(status, (200, 201, 204), 'a 20 s pause under apiTimeout 10 was not cut: %s' % detail)
            self.assertLess(cut, 20 + 15, 'cut by something other than apiTimeout: %.1fs' % cut)
            # who cut it, as the proxy logs it (its termination state) and what Glance said of it
            proxy = open(ops.pod(1)['logs']['tls-proxy'], errors='replace').read()
            cutter = [line for line in proxy.splitlines() if '/stage' in line][-1:]
            glance = [line for line in ops.pod_log(1).splitlines() if iid in line and re.search('(?i)error|fail|timeout', line)]
            # e.g. "... 0/0/0/-1/10006 400 206 - - cH-- ...": the client's timeout, struck after apiTimeout of silence
            m = re.search(r' -?\d+/-?\d+/-?\d+/-?\d+/(\d+) (\d{3}) \d+ - - (c\w)', cutter[0] if cutter else '')
            self.assertTrue(m, 'the proxy did not log the upload as cut by the client timeout: %s' % cutter)
            self.assertTrue(10000 <= int(m.group(1)) < 15000, 'cut after %s ms, not apiTimeout (10 s)' % m.group(1))
            image = ops.get_image(u1, iid)
            self.assertEqual(image['status'], 'queued', 'a cut upload leaves nothing to import: %s' % image)
            st, body = ops.import_image(u1, iid)
            self.assertNotEqual(st, 202, 'an import of a cut upload was accepted: %s' % body)
            ops.delete_image(u1, iid)
        finally:
            suite.pods('delete', RUN, short, '--only', '1', check=False)
            suite.pods('up', RUN, OBJECTS, '--only', '1', *suite.replicas_args(STS))
        print('    [8] a 70 s pause in an upload passed under apiTimeout 90 (%.1fs in all); a 20 s pause under apiTimeout 10 '
              'was cut after %.1fs: the client saw %s; the proxy logged %s; glance-api %s; the image stayed queued'
              % (slow, cut, detail, cutter, glance[-2:]), file=sys.stderr)

    # ------------------------------------------------------------------ 9
    def test_9_a_10_gib_upload_under_the_default_probes(self):
        """A 10 GiB upload through the TLS proxy while /healthcheck is asked as the default probes ask it (every 10 s
        for readiness, 5 s timeout): every answer comes within the timeout, so no probe fails, and the image arrives
        whole."""
        size = 10 << 30
        u0 = ops.pod_url(0)
        iid = ops.create_image(u0, 'e2e-tls-10g', disk_format='raw')
        result, answers = {}, []

        def upload():
            result['status'], result['detail'] = stalled_stage(u0, iid, None, 0, size=size)

        t = threading.Thread(target=upload)
        t0 = time.time()
        t.start()
        while t.is_alive():
            a = time.time()
            try:
                ok = ops.http('GET', u0 + '/healthcheck', timeout=5).status == 200
            except OSError:
                ok = False
            answers.append((ok, time.time() - a))
            t.join(timeout=2)
        took = time.time() - t0
        self.assertEqual(result.get('status'), 204, result)
        self.assertEqual(ops.staging_files(0).get('os_glance_staging_store/%s' % iid), size)
        self.assertTrue(answers and all(ok for ok, _ in answers), 'a healthcheck failed during the upload: %s' % answers)
        slowest = max(s for _, s in answers)
        self.assertLess(slowest, 5, 'a probe with the default 5 s timeout would have failed')
        ops.delete_image(u0, iid)
        print('    [9] 10 GiB uploaded through the TLS proxy in %.1fs (%.0f MiB/s); %d healthchecks meanwhile, all 200, '
              'slowest %.2fs (probe timeout 5 s)' % (took, size / took / (1 << 20), len(answers), slowest), file=sys.stderr)


class StalledBody:
    """An upload that sends its first MiB, then nothing for `pause` seconds, then the rest: of the file at `path`, or
    without one `size` bytes of one random MiB repeated."""

    def __init__(self, path, pause, size=None):
        self.f = open(path, 'rb') if path else None
        self.size = os.path.getsize(path) if path else size
        self.block = None if path else os.urandom(glance_ops.CHUNK)
        self.pause, self.sent, self.paused = pause, 0, pause <= 0

    def read(self, n=-1):
        if self.sent >= glance_ops.CHUNK and not self.paused:
            self.paused = True
            time.sleep(self.pause)
        n = min(n if n > 0 else glance_ops.CHUNK, glance_ops.CHUNK)
        chunk = self.f.read(n) if self.f else self.block[:min(n, self.size - self.sent)]
        self.sent += len(chunk)
        return chunk

    def close(self):
        if self.f:
            self.f.close()


def stalled_stage(url, iid, path, pause, size=None):
    """PUT .../stage pausing `pause` s after the first MiB -> (HTTP status or None, what the client saw)"""
    body = StalledBody(path, pause, size)
    try:
        r = ops.http('PUT', '%s/v2/images/%s/stage' % (url, iid), ops.token(), data=body, timeout=pause + 120,
                     headers={'Content-Type': 'application/octet-stream', 'Content-Length': str(body.size)})
        return r.status, 'HTTP %s %s' % (r.status, r.body[:200].decode(errors='replace').strip())
    except (OSError, http.client.HTTPException) as e:
        return None, '%s: %s' % (type(e).__name__, e)
    finally:
        body.close()


if __name__ == '__main__':
    sys.exit(suite.main(T, RUN))
