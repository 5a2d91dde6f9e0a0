#!/usr/bin/python3
"""Self-check of pods.py's Kubernetes semantics without any OpenStack service (~3 s, root needed):
env expansion and fieldRefs, secret/configMap/projected/emptyDir/claim volumes with items, subPath
and modes, per-pod /etc/hosts and hostname, hidden Debian glance-api.conf, read-only root,
readiness, claim persistence across restarts, process-group stop.  Prints "N passed, N failed"."""
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

E2E = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PY = '/usr/bin/python3'
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
        subprocess.run([PY, os.path.join(E2E, 'pods.py'), 'down', cls.run_dir], capture_output=True)
        shutil.rmtree(cls.run_dir, ignore_errors=True)
        for p in cls.created:   # empty mount points this test created on the host
            shutil.rmtree(p, ignore_errors=True)

    def pods(self, *a):
        r = subprocess.run([PY, os.path.join(E2E, 'pods.py')] + list(a), capture_output=True, text=True)
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


if __name__ == '__main__':
    res = unittest.TextTestRunner(verbosity=2).run(unittest.defaultTestLoader.loadTestsFromTestCase(PodsUnit))
    bad = len(res.failures) + len(res.errors)
    print('%d passed, %d failed' % (res.testsRun - bad, bad))
    sys.exit(1 if bad else 0)
