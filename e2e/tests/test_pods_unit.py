#!/usr/bin/python3
"""Self-check of pods.py's Kubernetes semantics without any OpenStack service (root needed):
env expansion and fieldRefs, secret/configMap/projected/emptyDir/claim volumes with items, subPath
and modes, per-pod /etc/hosts and hostname, hidden Debian glance-api.conf, read-only root,
readiness, claim persistence across restarts, process-group stop; multi-container pods (own mounts per
container, localhost = pod IP, shared emptyDir, every readiness probe incl. HTTPS, per-container logs,
--env overrides), and `pods.py job` (init containers, pvc claims, failure); runAsUser/runAsGroup/fsGroup (volume
group and modes, log file owner, /dev/stderr reopened) and the preStop hook of `delete` (same user, mount namespace,
working directory, env), on the host (E2E_RUN_AS=1) and chrooted in the root of glance-root.sh when it exists
(skipped otherwise; ~7 s in all).  Prints "N passed, N failed"."""
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

E2E = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PY = '/usr/bin/python3'
# PodsUnit and MultiContainerAndJobs check the host mode (run.sh exports E2E_GLANCE_ROOT); RootModeAndUsers the rest
HOST_ENV = dict({k: v for k, v in os.environ.items() if k != 'E2E_RUN_AS'}, E2E_GLANCE_ROOT='host')
PROBE = r'''
import json, os, socket, subprocess
r = {"env": {k: os.environ.get(k) for k in ("POD_NAME","POD_NAMESPACE","POD_IP","SELF","ESC","UNDEF","FROM_SECRET","FROM_CM","P_KEY")},
     "hostname": socket.gethostname(), "hosts": open("/etc/hosts").read(),
     "resolve": socket.gethostbyname("demo-1.demo-hl.ns1.svc"),
     "svc": socket.gethostbyname("demo.ns1.svc"),
     "conf": sorted(os.listdir("/etc/demo/conf.d")),
     "conf_a": open("/etc/demo/conf.d/a.conf").read(),
     "conf_mode": oct(os.stat("/etc/demo/conf.d/a.conf").st_mode & 0o777),
     "sub": open("/etc/demo/only-b.conf").read(),
     "renamed": open("/etc/ceph-x/ceph.client.glance.keyring").read(),
     "glance_api_conf": open("/etc/glance/glance-api.conf").read() if os.path.exists("/etc/glance/glance-api.conf") else None,
     "argv_ok": True}
def writable(p):
    try:
        open(p, "w").close(); os.unlink(p); return True
    except OSError:
        return False
r["w_root"] = writable("/etc/demo-ro-probe")
r["w_conf"] = writable("/etc/demo/conf.d/x")
r["w_claim"] = writable("/var/lib/glance/probe")
r["w_tmp"] = writable("/tmp/probe")
prev = os.path.exists("/var/lib/glance/boot-count") and int(open("/var/lib/glance/boot-count").read()) or 0
open("/var/lib/glance/boot-count", "w").write(str(prev + 1))
r["boots"] = prev + 1
json.dump(r, open("/var/lib/glance/report.json", "w"))
subprocess.Popen(["sleep", "1000"])   # a child in the pod's process group
import http.server
http.server.HTTPServer((os.environ["POD_IP"], 8088), http.server.SimpleHTTPRequestHandler).serve_forever()
'''


def b64(s):
    return base64.b64encode(s.encode()).decode()


def objects():
    c = {
        'name': 'glance-api', 'command': [PY, '-c'], 'args': [PROBE],
        'env': [
            {'name': 'POD_NAME', 'valueFrom': {'fieldRef': {'fieldPath': 'metadata.name'}}},
            {'name': 'SELF', 'value': 'http://$(POD_NAME).demo-hl.$(POD_NAMESPACE).svc:8088'},  # NS not yet defined
            {'name': 'POD_NAMESPACE', 'valueFrom': {'fieldRef': {'fieldPath': 'metadata.namespace'}}},
            {'name': 'POD_IP', 'valueFrom': {'fieldRef': {'fieldPath': 'status.podIP'}}},
            {'name': 'ESC', 'value': '$$(POD_NAME)-$(POD_NAME)'},
            {'name': 'UNDEF', 'value': '$(NOPE)'},
            {'name': 'FROM_SECRET', 'valueFrom': {'secretKeyRef': {'name': 's1', 'key': 'k'}}},
            {'name': 'FROM_CM', 'valueFrom': {'configMapKeyRef': {'name': 'cm1', 'key': 'a.conf'}}},
        ],
        'envFrom': [{'prefix': 'P_', 'secretRef': {'name': 'envsec'}}],
        'ports': [{'name': 'web', 'containerPort': 8088}],
        'readinessProbe': {'httpGet': {'path': '/', 'port': 'web'}},
        'securityContext': {'readOnlyRootFilesystem': True},
        'volumeMounts': [
            {'name': 'conf', 'mountPath': '/etc/demo/conf.d', 'readOnly': True},
            {'name': 'cmv', 'mountPath': '/etc/demo/only-b.conf', 'subPath': 'b.conf'},
            {'name': 'ceph', 'mountPath': '/etc/ceph-x'},
            {'name': 'staging', 'mountPath': '/var/lib/glance'},
            {'name': 'tmp', 'mountPath': '/tmp'},
        ]}
    sts = {'apiVersion': 'apps/v1', 'kind': 'StatefulSet', 'metadata': {'name': 'demo', 'namespace': 'ns1'},
           'spec': {'replicas': 2, 'serviceName': 'demo-hl', 'template': {'spec': {
               'containers': [c],
               'volumes': [
                   {'name': 'conf', 'projected': {'defaultMode': 0o440, 'sources': [
                       {'configMap': {'name': 'cm1', 'items': [{'key': 'a.conf', 'path': 'a.conf'}]}},
                       {'secret': {'name': 's1'}}]}},
                   {'name': 'cmv', 'configMap': {'name': 'cm1'}},
                   {'name': 'ceph', 'secret': {'secretName': 's1', 'items': [
                       {'key': 'k', 'path': 'ceph.client.glance.keyring'}]}},
                   {'name': 'tmp', 'emptyDir': {}}]}},
               'volumeClaimTemplates': [{'metadata': {'name': 'staging'}}]}}
    return {'apiVersion': 'v1', 'kind': 'List', 'items': [
        sts,
        {'kind': 'Service', 'metadata': {'name': 'demo', 'namespace': 'ns1'}},
        {'kind': 'ConfigMap', 'metadata': {'name': 'cm1', 'namespace': 'ns1'},
         'data': {'a.conf': '[a]\nx = 1\n', 'b.conf': '[b]\n'}},
        {'kind': 'Secret', 'metadata': {'name': 's1', 'namespace': 'ns1'}, 'data': {'k': b64('secret-k')}},
        {'kind': 'Secret', 'metadata': {'name': 'envsec', 'namespace': 'ns1'}, 'data': {'KEY': b64('v')}}]}


class PodsUnit(unittest.TestCase):
    MOUNT_POINTS = ['/etc/demo', '/etc/ceph-x']   # created on the host by the bind mounts

    @classmethod
    def setUpClass(cls):
        cls.created = [p for p in cls.MOUNT_POINTS if not os.path.exists(p)]
        cls.run_dir = tempfile.mkdtemp(prefix='pods-unit.')
        cls.obj = os.path.join(cls.run_dir, 'objects.json')
        json.dump(objects(), open(cls.obj, 'w'))

    @classmethod
    def tearDownClass(cls):
        subprocess.run([PY, os.path.join(E2E, 'pods.py'), 'down', cls.run_dir], capture_output=True, env=HOST_ENV)
        shutil.rmtree(cls.run_dir, ignore_errors=True)
        for p in cls.created:   # empty mount points this test created on the host
            shutil.rmtree(p, ignore_errors=True)

    def pods(self, *a):
        r = subprocess.run([PY, os.path.join(E2E, 'pods.py')] + list(a), capture_output=True, env=HOST_ENV, text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        return r.stdout

    def report(self, i):
        return json.load(open(os.path.join(self.run_dir, 'pvc', 'staging-demo-%d' % i, 'report.json')))

    def test_pods(self):
        self.pods('up', self.run_dir, self.obj)
        r0, r1 = self.report(0), self.report(1)
        e = r1['env']
        self.assertEqual(e['POD_NAME'], 'demo-1')
        self.assertEqual(e['POD_NAMESPACE'], 'ns1')
        self.assertEqual(e['POD_IP'], '127.0.1.2')
        self.assertEqual(e['SELF'], 'http://demo-1.demo-hl.$(POD_NAMESPACE).svc:8088')  # defined later: verbatim
        self.assertEqual(e['ESC'], '$(POD_NAME)-demo-1')
        self.assertEqual(e['UNDEF'], '$(NOPE)')
        self.assertEqual(e['FROM_SECRET'], 'secret-k')
        self.assertEqual(e['FROM_CM'], '[a]\nx = 1\n')
        self.assertEqual(e['P_KEY'], 'v')
        self.assertEqual(r1['hostname'], 'demo-1')
        self.assertEqual(r0['resolve'], '127.0.1.2')
        self.assertEqual(r0['svc'], '127.0.1.1')
        self.assertEqual(r0['conf'], ['a.conf', 'k'])
        self.assertEqual(r0['conf_mode'], '0o440')
        self.assertEqual(r0['sub'], '[b]\n')
        self.assertEqual(r0['renamed'], 'secret-k')
        if os.path.exists('/etc/glance/glance-api.conf'):
            self.assertEqual(r0['glance_api_conf'], '')
        self.assertEqual((r0['w_root'], r0['w_conf'], r0['w_claim'], r0['w_tmp']), (False, False, True, True))
        self.assertEqual(r0['boots'], 1)
        # restart pod 1 only: the claim persists, pod 0 keeps running
        pid0 = open(os.path.join(self.run_dir, 'pods', 'demo-0', 'pid')).read()
        self.pods('up', self.run_dir, self.obj, '--only', '1')
        self.assertEqual(self.report(1)['boots'], 2)
        self.assertTrue(os.path.exists('/proc/' + pid0))
        pgids = [int(open(os.path.join(self.run_dir, 'pods', 'demo-%d' % i, 'pid')).read()) for i in (0, 1)]
        self.pods('down', self.run_dir)
        left = subprocess.run(['pgrep', '-g', ','.join(map(str, pgids))], capture_output=True, text=True).stdout.split()
        left = [p for p in left if open('/proc/%s/stat' % p).read().rsplit(')', 1)[1].split()[0] != 'Z']
        self.assertEqual(left, [], 'processes left in the pods\' process groups')


# ----------------------------------------------------------------------------- multi-container pods, jobs
MAIN = r"""
import json, os, socket, http.server
r = {"hosts": open("/etc/hosts").read(), "localhost": socket.gethostbyname("localhost"),
     "addrs": sorted({a[4][0] for a in socket.getaddrinfo("localhost", 8099)}),
     "own_mount": os.path.exists("/etc/mc/a/a.txt"), "side_mount": os.path.exists("/etc/mc/b/tls.crt"),
     "tag": os.environ.get("TAG"), "hostname": socket.gethostname()}
json.dump(r, open("/var/lib/glance/main.json", "w"))
open("/shared/from-main", "w").write(os.environ["POD_NAME"])
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        b = ("main of " + os.environ["POD_NAME"]).encode()
        self.send_response(200); self.send_header("Content-Length", str(len(b))); self.end_headers(); self.wfile.write(b)
    def log_message(self, *a):
        pass
http.server.HTTPServer(("localhost", 8099), H).serve_forever()   # the pod's "loopback"
"""
SIDE = r"""
import json, os, socket, ssl, time, urllib.request, http.server
print("side starting", flush=True)
for _ in range(100):
    try:
        body = urllib.request.urlopen("http://localhost:8099/", timeout=2).read().decode(); break
    except OSError:
        time.sleep(0.1)
r = {"via_localhost": body, "own_mount": os.path.exists("/etc/mc/b/tls.crt"), "main_mount": os.path.exists("/etc/mc/a/a.txt"),
     "shared": open("/shared/from-main").read(), "ovr": os.environ.get("OVR"), "hostname": socket.gethostname()}
json.dump(r, open("/shared/side.json", "w"))
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain("/etc/mc/b/tls.crt", "/etc/mc/b/tls.key")
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200 if os.path.exists("/shared/ready") else 503); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *a):
        pass
srv = http.server.HTTPServer((os.environ["POD_IP"], 8443), H)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
srv.serve_forever()
"""
JOB_INIT = r"""
import os, socket
open("/mcwork/init.txt", "w").write(socket.gethostbyname("localhost") + " " + socket.gethostname())
"""
JOB_MAIN = r"""
import json, os, socket
r = {"init": open("/mcwork/init.txt").read(), "sts_claim": sorted(os.listdir("/claim0")),
     "resolve": socket.gethostbyname("mc-1.mc-hl.ns2.svc"), "cfg": os.path.exists("/etc/mcjob/k"),
     "ovr": os.environ.get("OVR")}
json.dump(r, open("/mcwork/job.json", "w"))
"""


def mc_objects(cert, key):
    main = {'name': 'main', 'command': [PY, '-c', MAIN],
            'env': [{'name': 'POD_NAME', 'valueFrom': {'fieldRef': {'fieldPath': 'metadata.name'}}},
                    {'name': 'TAG', 'value': 'from-list'}],
            'ports': [{'name': 'http', 'containerPort': 8099}],
            'readinessProbe': {'httpGet': {'path': '/', 'port': 'http'}},
            'volumeMounts': [{'name': 'cfg', 'mountPath': '/etc/mc/a'}, {'name': 'staging', 'mountPath': '/var/lib/glance'},
                             {'name': 'shared', 'mountPath': '/shared'}]}
    side = {'name': 'side', 'command': [PY, '-c', SIDE],
            'env': [{'name': 'POD_IP', 'valueFrom': {'fieldRef': {'fieldPath': 'status.podIP'}}}],
            'ports': [{'name': 'https', 'containerPort': 8443}],
            'readinessProbe': {'httpGet': {'path': '/', 'port': 'https', 'scheme': 'HTTPS'}},
            'volumeMounts': [{'name': 'tls', 'mountPath': '/etc/mc/b', 'readOnly': True},
                             {'name': 'shared', 'mountPath': '/shared'}]}
    sts = {'apiVersion': 'apps/v1', 'kind': 'StatefulSet', 'metadata': {'name': 'mc', 'namespace': 'ns2'},
           'spec': {'replicas': 2, 'serviceName': 'mc-hl', 'template': {'spec': {
               'containers': [main, side],
               'volumes': [{'name': 'cfg', 'configMap': {'name': 'mc-cfg'}},
                           {'name': 'tls', 'secret': {'secretName': 'mc-tls'}},
                           {'name': 'shared', 'emptyDir': {}}]}},
               'volumeClaimTemplates': [{'metadata': {'name': 'staging'}}]}}

    def jc(name, code, rc=0):
        return {'name': name, 'command': [PY, '-c', code + ('\nraise SystemExit(%d)' % rc if rc else '')],
                'securityContext': {'readOnlyRootFilesystem': True},
                'volumeMounts': [{'name': 'work', 'mountPath': '/mcwork'}, {'name': 'claim0', 'mountPath': '/claim0'},
                                 {'name': 'cfg', 'mountPath': '/etc/mcjob'}]}
    job_vols = [{'name': 'work', 'persistentVolumeClaim': {'claimName': 'mc-job-work'}},
                {'name': 'claim0', 'persistentVolumeClaim': {'claimName': 'staging-mc-0'}},
                {'name': 'cfg', 'configMap': {'name': 'mc-cfg'}}]
    cron = {'apiVersion': 'batch/v1', 'kind': 'CronJob', 'metadata': {'name': 'mc-cron', 'namespace': 'ns2'},
            'spec': {'schedule': '* * * * *', 'jobTemplate': {'spec': {'template': {'spec': {
                'initContainers': [jc('init', JOB_INIT)], 'containers': [jc('work', JOB_MAIN)],
                'volumes': job_vols, 'restartPolicy': 'OnFailure'}}}}}}
    bad = {'apiVersion': 'batch/v1', 'kind': 'Job', 'metadata': {'name': 'mc-bad', 'namespace': 'ns2'},
           'spec': {'template': {'spec': {'initContainers': [jc('init', JOB_INIT, rc=3)],
                                          'containers': [jc('work', JOB_MAIN)], 'volumes': job_vols}}}}
    return {'apiVersion': 'v1', 'kind': 'List', 'items': [
        sts, cron, bad,
        {'kind': 'Service', 'metadata': {'name': 'mc-hl', 'namespace': 'ns2'},   # its targetPort picks the URL
         'spec': {'clusterIP': 'None', 'ports': [{'name': 'https', 'port': 443, 'targetPort': 'https'}]}},
        {'kind': 'ConfigMap', 'metadata': {'name': 'mc-cfg', 'namespace': 'ns2'}, 'data': {'a.txt': 'a', 'k': 'v'}},
        {'kind': 'Secret', 'metadata': {'name': 'mc-tls', 'namespace': 'ns2'},
         'data': {'tls.crt': b64(cert), 'tls.key': b64(key)}}]}


class MultiContainerAndJobs(unittest.TestCase):
    MOUNT_POINTS = ['/etc/mc', '/etc/mcjob', '/shared', '/mcwork', '/claim0']

    @classmethod
    def setUpClass(cls):
        cls.created = [p for p in cls.MOUNT_POINTS if not os.path.exists(p)]
        cls.run_dir = tempfile.mkdtemp(prefix='pods-unit-mc.')
        d = cls.run_dir
        subprocess.run(['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
                        '-nodes', '-days', '1', '-subj', '/CN=mc', '-keyout', d + '/k', '-out', d + '/c'],
                       check=True, capture_output=True)
        cls.obj = os.path.join(d, 'objects.json')
        json.dump(mc_objects(open(d + '/c').read(), open(d + '/k').read()), open(cls.obj, 'w'))

    @classmethod
    def tearDownClass(cls):
        subprocess.run([PY, os.path.join(E2E, 'pods.py'), 'down', cls.run_dir], capture_output=True, env=HOST_ENV)
        shutil.rmtree(cls.run_dir, ignore_errors=True)
        for p in cls.created:
            shutil.rmtree(p, ignore_errors=True)

    def pods(self, *a, rc=0):
        r = subprocess.run([PY, os.path.join(E2E, 'pods.py')] + list(a), capture_output=True, env=HOST_ENV, text=True)
        if rc is not None:
            self.assertEqual(r.returncode, rc, r.stdout + r.stderr)
        return r

    def pod_file(self, i, *p):
        return os.path.join(self.run_dir, 'pods', 'mc-%d' % i, *p)

    def test_multi_container_pod_and_jobs(self):
        import threading
        # the side container answers 503 until /shared/ready exists: `up` must wait for EVERY probe
        res = {}
        th = threading.Thread(target=lambda: res.update(r=self.pods('up', self.run_dir, self.obj, '--env', 'main:TAG=over',
                                                                      '--env', 'side:OVR=added', rc=None)))
        th.start()
        for _ in range(300):
            if all(os.path.exists(self.pod_file(i, 'volumes', 'shared', 'side.json')) for i in (0, 1)):
                break
            time.sleep(0.05)
        time.sleep(0.6)
        self.assertTrue(th.is_alive(), '`up` returned before the HTTPS readiness probe passed: %s' % res)
        for i in (0, 1):
            open(self.pod_file(i, 'volumes', 'shared', 'ready'), 'w').close()
        th.join(60)
        self.assertEqual(res['r'].returncode, 0, res['r'].stdout + res['r'].stderr)
        for i in (0, 1):
            ip = '127.0.1.%d' % (i + 1)
            m = json.load(open(os.path.join(self.run_dir, 'pvc', 'staging-mc-%d' % i, 'main.json')))
            s = json.load(open(self.pod_file(i, 'volumes', 'shared', 'side.json')))
            self.assertEqual((m['localhost'], m['addrs']), (ip, [ip]), 'localhost must be the pod IP only')
            self.assertNotRegex(m['hosts'], r'(?m)^::1\s(.*\s)?localhost(\s|$)')
            self.assertEqual((m['own_mount'], m['side_mount']), (True, False), 'each container has its own mounts')
            self.assertEqual((s['own_mount'], s['main_mount']), (True, False))
            self.assertEqual(s['via_localhost'], 'main of mc-%d' % i, 'containers of a pod meet on localhost')
            self.assertEqual(s['shared'], 'mc-%d' % i, 'emptyDir shared by the containers of a pod')
            self.assertEqual((m['hostname'], s['hostname']), ('mc-%d' % i, 'mc-%d' % i))
            self.assertEqual((m['tag'], s['ovr']), ('over', 'added'), '--env override / addition')
            self.assertTrue(os.path.exists(self.pod_file(i, 'container.log')))
            self.assertIn('side starting', open(self.pod_file(i, 'side.log')).read())
            self.assertEqual(sorted(f for f in os.listdir(self.pod_file(i)) if f.startswith('pid')), ['pid', 'pid.side'])
        info = json.load(open(os.path.join(self.run_dir, 'pods', 'info.json')))
        p1 = info['pods'][1]
        self.assertEqual((p1['scheme'], p1['port'], p1['url']), ('https', 8443, 'https://127.0.1.2:8443'))
        self.assertEqual(p1['dns_url'], 'https://mc-1.mc-hl.ns2.svc:8443')
        self.assertEqual(sorted(p1['logs']), ['main', 'side'])
        # bad --env container name is refused
        r = self.pods('up', self.run_dir, self.obj, '--only', '1', '--env', 'nope:X=1', rc=None)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("'nope'", r.stderr)
        # job: init then main container, each with its mounts, pvc = RUNDIR/pvc/<claimName> (shared with the sts claim)
        r = self.pods('job', self.run_dir, self.obj, '--cronjob', 'mc-cron', '--env', 'work:OVR=j')
        self.assertRegex(r.stdout, r'job mc-cron: init:init rc=0 .*, work rc=0 .*succeeded')
        j = json.load(open(os.path.join(self.run_dir, 'pvc', 'mc-job-work', 'job.json')))
        self.assertEqual(j['init'], '127.0.2.1 mc-cron-e2e')
        self.assertIn('main.json', j['sts_claim'])
        self.assertEqual((j['resolve'], j['cfg'], j['ovr']), ('127.0.1.2', True, 'j'))
        self.assertTrue(os.path.exists(os.path.join(self.run_dir, 'jobs', 'mc-cron', 'init.log')))
        self.assertTrue(os.path.exists(os.path.join(self.run_dir, 'jobs', 'mc-cron', 'work.log')))
        r = self.pods('job', self.run_dir, self.obj, '--job', 'mc-bad', rc=1)
        self.assertRegex(r.stdout, r'job mc-bad: init:init rc=3 .*FAILED')
        self.assertNotIn('work rc', r.stdout, 'containers must not run after a failed init container')
        r = self.pods('job', self.run_dir, self.obj, '--cronjob', 'absent', rc=None)
        self.assertNotEqual(r.returncode, 0)
        # down stops every container of every pod
        pgids = [int(open(self.pod_file(i, f)).read()) for i in (0, 1) for f in ('pid', 'pid.side')]
        self.pods('down', self.run_dir)
        left = subprocess.run(['pgrep', '-g', ','.join(map(str, pgids))], capture_output=True, text=True).stdout.split()
        left = [p for p in left if open('/proc/%s/stat' % p).read().rsplit(')', 1)[1].split()[0] != 'Z']
        self.assertEqual(left, [], 'processes left in the containers\' process groups')
        self.assertEqual([f for i in (0, 1) for f in os.listdir(self.pod_file(i)) if f.startswith('pid')], [])


# ----------------------------------------------------------------------------- root mode, runAsUser / fsGroup
RU_MAIN = r"""
import json, os, socket, sys, http.server
def writable(p):
    try:
        open(p, "w").close(); os.unlink(p); return True
    except OSError:
        return False
open("/var/lib/glance/by-main", "w").write("x")
err = open("/dev/stderr", "w"); err.write("reopened stderr\n"); err.close()   # what httpd's ErrorLog /dev/stderr does
r = {"ids": [os.getuid(), os.getgid(), sorted(os.getgroups())], "py": list(sys.version_info[:2]),
     "secret": open("/etc/ceph/key").read(), "secret_mode": oct(os.stat("/etc/ceph/key").st_mode & 0o7777),
     "w_root": writable("/etc/ru-probe"), "w_tmp": writable("/tmp/probe"), "home": os.environ["HOME"],
     "cwd": os.getcwd(), "mnt": os.readlink("/proc/self/ns/mnt"), "hostname": socket.gethostname(),
     "resolve": socket.gethostbyname("ru-0.ru-hl.ns3.svc")}
json.dump(r, open("/var/lib/glance/main.json", "w"))
http.server.HTTPServer((os.environ["POD_IP"], 8097), http.server.SimpleHTTPRequestHandler).serve_forever()
"""
RU_HOOK = r"""
import json, os, sys
json.dump({"ids": [os.getuid(), os.getgid(), sorted(os.getgroups())], "py": list(sys.version_info[:2]),
           "cwd": os.getcwd(), "mnt": os.readlink("/proc/self/ns/mnt"), "pod_ip": os.environ.get("POD_IP")},
          open("/var/lib/glance/hook.json", "w"))
print("hook ran")
"""


def ru_objects(run_as_user=42415, non_root=True):
    c = {'name': 'main', 'command': ['python3', '-c', RU_MAIN], 'workingDir': '/var/lib/glance',
         'env': [{'name': 'POD_IP', 'valueFrom': {'fieldRef': {'fieldPath': 'status.podIP'}}}],
         'ports': [{'name': 'http', 'containerPort': 8097}],
         'readinessProbe': {'tcpSocket': {'port': 'http'}},
         'securityContext': {'readOnlyRootFilesystem': True, 'runAsNonRoot': non_root},
         'lifecycle': {'preStop': {'exec': {'command': ['python3', '-c', RU_HOOK]}}},
         'volumeMounts': [{'name': 'key', 'mountPath': '/etc/ceph', 'readOnly': True},
                          {'name': 'staging', 'mountPath': '/var/lib/glance'}, {'name': 'tmp', 'mountPath': '/tmp'}]}
    sts = {'apiVersion': 'apps/v1', 'kind': 'StatefulSet', 'metadata': {'name': 'ru', 'namespace': 'ns3'},
           'spec': {'replicas': 1, 'serviceName': 'ru-hl', 'template': {'spec': {
               'securityContext': {'runAsUser': run_as_user, 'runAsGroup': 42415, 'fsGroup': 42415},
               'terminationGracePeriodSeconds': 10, 'containers': [c],
               'volumes': [{'name': 'key', 'secret': {'secretName': 'ru-key', 'defaultMode': 0o400}},
                           {'name': 'tmp', 'emptyDir': {}}]}},
               'volumeClaimTemplates': [{'metadata': {'name': 'staging'}}]}}
    return {'apiVersion': 'v1', 'kind': 'List', 'items': [
        sts, {'kind': 'Secret', 'metadata': {'name': 'ru-key', 'namespace': 'ns3'}, 'data': {'key': b64('k1')}}]}


DEFAULT_ROOT = '/var/cache/glance-import-e2e/root-trixie'


def home_of(uid, root):
    """HOME as the runtime sets it: the uid's passwd entry in the image, else /"""
    for line in open(os.path.join(root, 'etc/passwd')):
        p = line.split(':')
        if len(p) > 5 and p[2] == str(uid):
            return p[5]
    return '/'


class RootModeAndUsers(unittest.TestCase):
    """runAsUser/runAsGroup/fsGroup in host mode (E2E_RUN_AS=1) and, when a root made by glance-root.sh is there
    (E2E_GLANCE_ROOT, else the default one), in root mode; `delete` runs the preStop hook in the same root, as the
    same user, in the same mount namespace."""

    def setUp(self):
        self.run_dir = tempfile.mkdtemp(prefix='pods-unit-ru.')
        self.obj = os.path.join(self.run_dir, 'objects.json')
        json.dump(ru_objects(), open(self.obj, 'w'))

    def tearDown(self):
        subprocess.run([PY, os.path.join(E2E, 'pods.py'), 'down', self.run_dir], capture_output=True)
        shutil.rmtree(self.run_dir, ignore_errors=True)

    def pods(self, env, *a, rc=0):
        r = subprocess.run([PY, os.path.join(E2E, 'pods.py')] + list(a), capture_output=True, text=True,
                           env=dict(os.environ, **env))
        if rc is not None:
            self.assertEqual(r.returncode, rc, r.stdout + r.stderr)
        return r

    def check(self, env, py, home):
        self.pods(env, 'up', self.run_dir, self.obj)
        claim = os.path.join(self.run_dir, 'pvc', 'staging-ru-0')
        m = json.load(open(os.path.join(claim, 'main.json')))
        self.assertEqual(m['ids'], [42415, 42415, [42415]])
        self.assertEqual(m['py'], py, 'the python of the root, not the host\'s (or the reverse)')
        self.assertEqual((m['secret'], m['secret_mode']), ('k1', '0o440'), 'secret file group-readable for fsGroup')
        self.assertEqual((m['w_root'], m['w_tmp'], m['home'], m['cwd']), (False, True, home, '/var/lib/glance'))
        self.assertEqual((m['hostname'], m['resolve']), ('ru-0', '127.0.1.1'))
        st = os.stat(os.path.join(claim, 'by-main'))
        self.assertEqual((st.st_uid, st.st_gid), (42415, 42415))
        self.assertTrue(os.stat(claim).st_mode & 0o2070 == 0o2070, 'claim dir g+rwx and setgid')
        log = os.path.join(self.run_dir, 'pods', 'ru-0', 'container.log')
        self.assertIn('reopened stderr', open(log).read())
        self.assertEqual(os.stat(log).st_uid, 42415)
        r = self.pods(env, 'delete', self.run_dir, self.obj, '--only', '0')
        stop = json.loads([x for x in r.stdout.splitlines() if x.startswith('{')][0])
        self.assertEqual((stop['preStop']['output'], stop['sigkilled']), ('hook ran', False), r.stdout + r.stderr)
        h = json.load(open(os.path.join(claim, 'hook.json')))
        self.assertEqual((h['ids'], h['py'], h['cwd'], h['mnt'], h['pod_ip']),
                         (m['ids'], py, '/var/lib/glance', m['mnt'], '127.0.1.1'), 'the hook runs inside the container')
        # runAsNonRoot with uid 0: refused, as the kubelet does
        json.dump(ru_objects(run_as_user=0), open(self.obj, 'w'))
        r = self.pods(env, 'up', self.run_dir, self.obj, rc=None)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('runAsNonRoot', r.stderr)

    def test_host_mode_run_as(self):
        self.check({'E2E_GLANCE_ROOT': 'host', 'E2E_RUN_AS': '1'}, list(sys.version_info[:2]), home_of(42415, '/'))

    def test_root_mode(self):
        root = os.environ.get('E2E_GLANCE_ROOT', DEFAULT_ROOT)
        if root == 'host' or not os.path.exists(os.path.join(root, '.glance-root.stamp')):
            self.skipTest('no root made by e2e/glance-root.sh at %s' % root)
        py = subprocess.run(['chroot', root, 'python3', '-c', 'import sys; print(*sys.version_info[:2])'],
                            capture_output=True, text=True, check=True).stdout.split()
        # glance-root.sh gives the root's glance user the image's uid 42415, home /var/lib/glance
        self.check({'E2E_GLANCE_ROOT': root}, [int(x) for x in py], home_of(42415, root))


if __name__ == '__main__':
    suite = unittest.TestSuite([unittest.defaultTestLoader.loadTestsFromTestCase(c)
                                for c in (PodsUnit, MultiContainerAndJobs, RootModeAndUsers)])
    res = unittest.TextTestRunner(verbosity=2).run(suite)
    bad = len(res.failures) + len(res.errors)
    print('%d passed, %d failed' % (res.testsRun - bad, bad))
    sys.exit(1 if bad else 0)
