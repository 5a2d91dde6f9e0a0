#!/usr/bin/python3
"""End-to-end tests of distributed image import against the pods materialised from the
operator's rendered List (real glance-api, Ceph, MariaDB, Keystone).

env: E2E_OBJECTS = path of the Kubernetes List (JSON), E2E_RUN = run dir of services.sh up.
The module starts the pods once (pods.py up), the negative control restarts them with a shared
worker_self_reference_url; every pod is stopped at the end, also on failure.
Prints a closing line "N passed, N failed" and exits non-zero on failure."""
import copy
import json
import os
import re
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
SELFREF_ENV = 'OS_DEFAULT__WORKER_SELF_REFERENCE_URL'
TIMEOUT = float(os.environ.get('E2E_IMPORT_TIMEOUT', '180'))
ops = None
IMG = {}


def statefulset():
    return [o for o in json.load(open(OBJECTS))['items'] if o.get('kind') == 'StatefulSet'][0]


def rendered_conf():
    """The 00-glance-api.conf the operator rendered."""
    return [o for o in json.load(open(OBJECTS))['items'] if o.get('kind') == 'ConfigMap'
            and '00-glance-api.conf' in (o.get('data') or {})][0]['data']['00-glance-api.conf']


def rendered_file(key):
    """A file of the operator's ConfigMap."""
    return [o for o in json.load(open(OBJECTS))['items'] if o.get('kind') == 'ConfigMap'
            and key in (o.get('data') or {})][0]['data'][key]


def setUpModule():
    global ops
    if not OBJECTS or not RUN:
        raise RuntimeError('set E2E_OBJECTS and E2E_RUN')
    # test images (qcow2, data written with qemu-io) while the pods start
    specs = {'main': (48, 12, 1), 'stage': (32, 8, 2), 'neg': (32, 4, 3)}
    specs.update({'conc%d' % k: (32, 4, 10 + k) for k in range(10)})
    suite.pods_up_with_images(RUN, OBJECTS, statefulset(), specs, IMG)
    ops = GlanceOps(RUN)


def tearDownModule():
    suite.pods_down(RUN)


def expected_stage_url(i):
    """What the operator's env renders for pod i: the per-pod headless-service URL."""
    return ops.pod(i)['dns_url']


class T(unittest.TestCase):
    maxDiff = None

    def check_raw_in_ceph(self, iid, qcow2, url, img=None):
        img = img or ops.get_image(url, iid)
        vsize = qemu_info(qcow2)['virtual-size']
        self.assertEqual(img['status'], 'active')
        self.assertEqual(img['disk_format'], 'raw', 'image_conversion did not convert to raw')
        self.assertEqual(img['size'], vsize)
        info = ops.rbd_info(iid)
        self.assertIsNotNone(info, 'rbd info %s failed: image not in pool images' % iid)
        self.assertEqual(info['size'], vsize, 'RBD image size != qcow2 virtual size')
        return info

    # ------------------------------------------------------------------ 1
    def test_0_workers_per_pod(self):
        """Every pod runs the processes the operator rendered for its server: eventlet's [DEFAULT] workers (a parent
        plus N), uWSGI's --processes (a master plus N), httpd's WSGIDaemonProcess processes (N daemon processes named
        wsgi:glance-api, beside httpd's own), all sharing the pod's claim and URL; prints each one's RSS (the memory per
        worker in docs/performance.md)."""
        container = [o for o in json.load(open(OBJECTS))['items'] if o.get('kind') == 'StatefulSet'][0]['spec'][
            'template']['spec']['containers'][0]
        program, args = container['command'][0], container.get('args') or []
        if program == 'glance-api':
            m = re.search(r'^workers\s*=\s*(\d+)', rendered_conf(), re.M)
            self.assertIsNotNone(m, 'no [DEFAULT] workers in the rendered glance-api.conf')
            workers = int(m.group(1))
            worker = lambda cmd: any(b'glance-api' in c for c in cmd[:2])  # noqa: E731
        elif program == 'uwsgi':
            workers = int(args[args.index('--processes') + 1])
            worker = lambda cmd: cmd[0].endswith(b'uwsgi')  # noqa: E731
        else:
            self.assertEqual(program, 'httpd')
            m = re.search(r'^WSGIDaemonProcess glance-api processes=(\d+)', rendered_file('httpd.cfg'), re.M)
            self.assertIsNotNone(m, 'no WSGIDaemonProcess in the rendered httpd.cfg')
            workers = int(m.group(1))
            # display-name=glance-api: mod_wsgi writes it over argv[0] in place, cut to its length ('httpd' -> 'glanc')
            worker = lambda cmd: cmd[0].strip(b' \0') != b'' and b'glance-api'.startswith(cmd[0].strip(b' \0'))  # noqa: E731
        self.assertGreaterEqual(workers, 2, 'samples/scaled.yaml is sized for 2 workers per pod')
        for i in range(len(ops.info['pods'])):
            procs = []
            for pid in suite.container_pids(RUN, ops.pod(i)['name']):
                try:
                    cmd = open('/proc/%d/cmdline' % pid, 'rb').read().split(b'\0')
                    status = open('/proc/%d/status' % pid).read()
                except OSError:
                    continue
                if worker(cmd):
                    rss = int(re.search(r'VmRSS:\s+(\d+) kB', status).group(1)) // 1024
                    ppid = int(re.search(r'PPid:\s+(\d+)', status).group(1))
                    procs.append((pid, ppid, rss))
            if program == 'httpd':
                parents, children = [], procs
            else:
                parents = [p for p in procs if p[1] not in {q[0] for q in procs}]
                children = [p for p in procs if p not in parents]
                self.assertEqual(len(parents), 1, procs)
            self.assertEqual(len(children), workers, 'pod %d runs %d workers, rendered %d' % (i, len(children), workers))
            print('    [0] pod %d (%s): parent %s MiB, %d workers %s MiB RSS'
                  % (i, program, parents[0][2] if parents else '-', len(children), [c[2] for c in children]),
                  file=sys.stderr)

    def test_1_stage_on_pod0_import_via_pod2(self):
        t0 = time.time()
        q = IMG['main']
        u0, u2 = ops.pod_url(0), ops.pod_url(2)
        iid = ops.create_image(u0, 'e2e-main')
        self.assertEqual(ops.stage(u0, iid, q), 204)
        self.assertEqual(ops.get_image(u2, iid)['status'], 'uploading')
        self.assertEqual(ops.stage_host(iid), expected_stage_url(0),
                         'os_glance_stage_host must be pod 0 per-pod URL (worker_self_reference_url)')
        st, body = ops.import_image(u2, iid)
        self.assertEqual(st, 202, body)
        state, img = ops.wait_final(u2, iid, TIMEOUT)
        self.assertEqual(state, 'active', img)
        info = self.check_raw_in_ceph(iid, q, u2, img)
        self.assertGreaterEqual(info.get('snapshot_count', 1), 1)
        self.assertEqual(ops.rbd_md5(iid), raw_digest(q), 'RBD content != raw conversion of the qcow2')
        # the rendered hashing_algorithm is what Glance used, over the converted bytes (os_hash_value)
        algo = re.search(r'^hashing_algorithm\s*=\s*(\S+)', rendered_conf(), re.M)
        self.assertIsNotNone(algo, 'no [DEFAULT] hashing_algorithm in the rendered glance-api.conf')
        self.assertEqual(img.get('os_hash_algo'), algo.group(1))
        self.assertEqual(img.get('os_hash_value'), raw_digest(q, algo.group(1)))
        log2, log0 = ops.pod_log(2), ops.pod_log(0)
        self.assertRegex(log2, r'Proxying POST request to host %s which has image staged'
                         % re.escape(expected_stage_url(0)))
        self.assertRegex(log0, suite.access_log_line('POST', '/v2/images/%s/import' % iid, 202),
                         'the proxied import did not reach pod 0')
        print('    [1] %s active raw %d bytes, rbd %s objects, %.1fs' % (iid, img['size'], info['objects'],
                                                                         time.time() - t0), file=sys.stderr)

    # ------------------------------------------------------------------ 2
    def test_2_concurrent_cross_pod_imports(self):
        t0 = time.time()
        n = 10
        plan = []
        for k in range(n):
            sp = k % 3
            ip = (sp + 1 + (k // 3) % 2) % 3      # by turns via the next pod and via the one after
            self.assertNotEqual(sp, ip)
            plan.append((k, sp, ip, IMG['conc%d' % k]))
        ids = {}
        for k, sp, ip, q in plan:
            iid = ops.create_image(ops.pod_url(sp), 'e2e-conc-%d' % k)
            ids[k] = iid
        errs = []

        def stage(k, sp, q):
            c = ops.stage(ops.pod_url(sp), ids[k], q)
            if c != 204:
                errs.append('stage %d: %s' % (k, c))
        ths = [threading.Thread(target=stage, args=(k, sp, q)) for k, sp, ip, q in plan]
        [t.start() for t in ths]
        [t.join() for t in ths]
        self.assertEqual(errs, [])
        for k, sp, ip, q in plan:
            self.assertEqual(ops.stage_host(ids[k]), expected_stage_url(sp))
        t1 = time.time()
        res = {}

        def imp(k, ip):
            res[k] = ops.import_image(ops.pod_url(ip), ids[k])
        ths = [threading.Thread(target=imp, args=(k, ip)) for k, sp, ip, q in plan]
        [t.start() for t in ths]
        [t.join() for t in ths]
        for k in range(n):
            self.assertEqual(res[k][0], 202, res[k])
        finals = {}

        def wait(k, ip):
            finals[k] = ops.wait_final(ops.pod_url(ip), ids[k], TIMEOUT, poll=1.0)
        ths = [threading.Thread(target=wait, args=(k, ip)) for k, sp, ip, q in plan]
        [t.start() for t in ths]
        [t.join() for t in ths]
        t2 = time.time()
        for k, sp, ip, q in plan:
            with self.subTest(image=k, staged_on=sp, imported_via=ip):
                self.assertEqual(finals[k][0], 'active', finals[k][1])
                self.check_raw_in_ceph(ids[k], q, ops.pod_url(ip), finals[k][1])
                self.assertEqual(ops.rbd_md5(ids[k]), raw_digest(q))
        proxied = sum(len(re.findall('Proxying POST request', ops.pod_log(i))) for i in range(3))
        self.assertGreaterEqual(proxied, n, 'every cross-pod import must be proxied to its stage host')
        for i in range(3):
            self.assertFalse([f for f in ops.staging_files(i) if any(v in f for v in ids.values())],
                             'staged data left behind on pod %d' % i)
        print('    [2] %d concurrent cross-pod imports active+raw: imports->all active %.1fs (total %.1fs)'
              % (n, t2 - t1, time.time() - t0), file=sys.stderr)

    # ------------------------------------------------------------------ 3
    def test_3_staging_data_in_own_claim(self):
        q = IMG['stage']
        u1, u0 = ops.pod_url(1), ops.pod_url(0)
        iid = ops.create_image(u1, 'e2e-staging')
        self.assertEqual(ops.stage(u1, iid, q), 204)
        mine = {f: s for f, s in ops.staging_files(1).items() if iid in f}
        self.assertEqual(list(mine), ['os_glance_staging_store/' + iid],
                         'staged file must be in pod 1 claim under os_glance_staging_store')
        self.assertEqual(mine['os_glance_staging_store/' + iid], os.path.getsize(q))
        for other in (0, 2):
            self.assertFalse([f for f in ops.staging_files(other) if iid in f],
                             'staged data visible in pod %d claim' % other)
        self.assertFalse(os.path.exists('/var/lib/glance/os_glance_staging_store/' + iid),
                         'staging landed on the host /var/lib/glance, not in the claim')
        st, body = ops.import_image(u0, iid)
        self.assertEqual(st, 202, body)
        state, img = ops.wait_final(u0, iid, TIMEOUT)
        self.assertEqual(state, 'active', img)
        self.check_raw_in_ceph(iid, q, u0, img)
        left = [f for i in range(3) for f in ops.staging_files(i) if iid in f]
        self.assertEqual(left, [], 'staging data left after a successful import')

    # ------------------------------------------------------------------ 3b
    def test_3b_plain_upload_cannot_bypass_conversion(self):
        """With rbd (conversion on) the operator renders upload_image as admin-only: a member's
        PUT /file, which would skip image_conversion and store qcow2 in RBD, is refused."""
        q = IMG['stage']
        u = ops.pod_url(0)
        iid = ops.create_image(u, 'e2e-plain-upload')
        # the first KiB of the qcow2 is enough: Glance refuses before reading the body, and a large
        # body would still be on its way when it closes the connection
        with open(q, 'rb') as f:
            head = f.read(1024)
        r = glance_ops.http('PUT', '%s/v2/images/%s/file' % (u, iid), ops.token(), data=head,
                            headers={'Content-Type': 'application/octet-stream', 'Content-Length': str(len(head))})
        self.assertEqual(r.status, 403, r.body[:300])
        self.assertEqual(ops.get_image(u, iid)['status'], 'queued')
        self.assertNotIn(iid, ops.rbd_ls(), 'nothing may reach Ceph through a plain upload')
        # the import path still works for the same user and file
        self.assertEqual(ops.stage(u, iid, q), 204)
        st, body = ops.import_image(u, iid)
        self.assertEqual(st, 202, body)
        state, img = ops.wait_final(u, iid, TIMEOUT)
        self.assertEqual((state, img.get('disk_format')), ('active', 'raw'), img)

    # ------------------------------------------------------------------ 4 (restarts the pods)
    def test_4_negative_control_shared_self_reference_url(self):
        objs = json.load(open(OBJECTS))
        sts = [o for o in objs['items'] if o.get('kind') == 'StatefulSet'][0]
        x, ns = sts['metadata']['name'], sts['metadata'].get('namespace') or 'default'
        c = sts['spec']['template']['spec']['containers'][0]
        port = (c.get('ports') or [{'containerPort': 9292}])[0]['containerPort']
        shared = 'http://%s.%s.svc:%d' % (x, ns, port)   # what a load-balancer URL would look like
        neg = copy.deepcopy(objs)
        nsts = [o for o in neg['items'] if o.get('kind') == 'StatefulSet'][0]
        env = nsts['spec']['template']['spec']['containers'][0].setdefault('env', [])
        hit = [e for e in env if e['name'] == SELFREF_ENV]
        if hit:
            hit[0].pop('valueFrom', None)
            hit[0]['value'] = shared
        else:   # operator put it in the config file: the env var overrides it (oslo.config)
            env.append({'name': SELFREF_ENV, 'value': shared})
        path = os.path.join(RUN, 'objects-shared-selfref.json')
        json.dump(neg, open(path, 'w'), indent=1)
        sys.stderr.write('[test] restarting pods 1 and 2 with one shared %s=%s\n' % (SELFREF_ENV, shared))
        pods('up', RUN, path, '--only', '1,2', *suite.replicas_args(statefulset()))   # the control only involves pods 1 and 2
        q = IMG['neg']
        u1, u2 = ops.pod_url(1), ops.pod_url(2)
        iid = ops.create_image(u1, 'e2e-negative')
        self.assertEqual(ops.stage(u1, iid, q), 204)
        self.assertEqual(ops.stage_host(iid), shared)
        st, body = ops.import_image(u2, iid)
        self.assertEqual(st, 202, body)
        task = ops.wait_task_failure(u2, iid, 90)
        self.assertIsNotNone(task, 'cross-pod import with a shared self-reference URL did not fail')
        img = ops.get_image(u2, iid)
        self.assertNotEqual(img['status'], 'active')
        self.assertIsNone(ops.rbd_info(iid), 'image data must not be in Ceph')
        self.assertNotIn('Proxying POST', ops.pod_log(2), 'pod 2 must not proxy (same URL as its own)')
        self.assertRegex(ops.pod_log(2), 'No such file or directory: .*%s' % iid)
        self.assertTrue([f for f in ops.staging_files(1) if iid in f], 'staged file should be orphaned on pod 1')
        print('    [4] shared URL: task %s, image stays %s; staged file orphaned on pod 1: %s'
              % (task['status'], img['status'], task.get('message')), file=sys.stderr)


    def test_5_config_from_secrets_and_extra_mounts(self):
        """extraMounts: a policy file from a ConfigMap in /etc/glance/policy.d lets a member make an image public, which
        Glance's default policy keeps for admins. customServiceConfigSecrets: the notification settings from a Secret
        take effect (the log driver logs image.create), and their transport password is in no ConfigMap and no pod's
        log, only in the operator's Secret."""
        objs = json.load(open(OBJECTS))['items']
        spec_mounts = [m for m in statefulset()['spec']['template']['spec']['containers'][0].get('volumeMounts', [])
                       if m['mountPath'] == '/etc/glance/policy.d']
        if not spec_mounts:
            self.skipTest('the List mounts no policy directory')
        u0 = ops.pod_url(0)
        iid = ops.create_image(u0, 'e2e-policy', visibility='public')   # raises on 403: the policy was not read
        self.assertEqual(ops.get_image(u0, iid)['visibility'], 'public')
        t0 = time.time()
        while 'image.create' not in ops.pod_log(0):
            self.assertLess(time.time() - t0, 30, 'no image.create notification in the log: the Secret\'s settings were not read')
            time.sleep(0.5)
        ops.delete_image(u0, iid)
        password = 'e2e-notify-pw-3141'
        for o in objs:
            if o.get('kind') == 'ConfigMap':
                self.assertNotIn(password, json.dumps(o), 'ConfigMap %s holds the transport password' % o['metadata']['name'])
        secret = [o for o in objs if o.get('kind') == 'Secret' and '40-notifications.conf' in o.get('data', {})]
        self.assertEqual(len(secret), 1, 'the operator\'s Secret carries the settings')
        self.assertNotIn('41-notifications.conf', secret[0]['data'], 'one Secret listed, one file')
        logs = [os.path.join(d, f) for d, _, fs in os.walk(os.path.join(RUN, 'pods')) for f in fs if f.endswith('.log')]
        for path in logs:
            self.assertNotIn(password, open(path, errors='replace').read(), '%s logs the transport password' % path)
        print('    [5] policy.d from a ConfigMap: a member made an image public; notifications from a Secret: image.create logged; the '
              'password in the operator\'s Secret only (%d ConfigMaps, %d logs scanned)'
              % (len([o for o in objs if o.get('kind') == 'ConfigMap']), len(logs)), file=sys.stderr)


if __name__ == '__main__':
    sys.exit(suite.main(T, RUN))
