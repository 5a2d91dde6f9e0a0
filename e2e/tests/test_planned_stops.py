#!/usr/bin/python3
"""Planned stops of pods that run imports (issue: no import lost when a pod stops), on the pods materialised from the
operator's rendered List: real glance-api, Ceph, MariaDB, Keystone.

A pod is stopped as the kubelet stops a deleted pod (pods.py delete): the glance-api container's preStop hook, as
rendered, runs inside the container; glance-api gets SIGTERM when it returns; whatever still runs at
terminationGracePeriodSeconds is SIGKILLed. A roll re-creates the pod on its claim (pods.py up --only i), a scale-down
does not. Every image must end active with no user action.
Test 4 is the operator upgrade that moves pods from Glance's eventlet server to the default WSGI server (httpd): pods
start from the same GlanceAPI rendered with apiServer: eventlet (RUN/rendered-eventlet.json, written by make e2e's
render; skipped without it), and the roll re-creates each on the List under test while its imports run.

env: E2E_OBJECTS, E2E_RUN as for test_distributed_import.py. Prints "N passed, N failed"."""
import json
import os
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
E2E = os.path.dirname(HERE)
sys.path.insert(0, E2E)
import suite  # noqa: E402
from suite import pods  # noqa: E402
from glance_ops import GlanceOps, qemu_info  # noqa: E402

OBJECTS = os.environ.get('E2E_OBJECTS')
RUN = os.environ.get('E2E_RUN')
EVENTLET_OBJECTS = os.path.join(RUN or '', 'rendered-eventlet.json')
TIMEOUT = float(os.environ.get('E2E_IMPORT_TIMEOUT', '300'))
# Images of 1 GiB virtual, 256 MiB of data: their conversion and copy to Ceph take long enough to stop a pod in the
# middle. conf-b is three times that: it must still run on pod 1 once the roll has waited for conf-a on pod 2.
ops = None
IMG = {}


def statefulset():
    return [o for o in json.load(open(OBJECTS))['items'] if o.get('kind') == 'StatefulSet'][0]


def setUpModule():
    global ops
    if not OBJECTS or not RUN:
        raise RuntimeError('set E2E_OBJECTS and E2E_RUN')
    specs = {'stop-roll': (1024, 256, 40), 'stop-scale': (1024, 256, 41), 'stop-conf-a': (1024, 256, 42),
             'stop-conf-b': (2048, 768, 43), 'stop-up-a': (1024, 256, 44), 'stop-up-b': (2048, 768, 45)}
    images = {}
    suite.pods_up_with_images(RUN, OBJECTS, statefulset(), specs, images)
    IMG.update({name[len('stop-'):]: path for name, path in images.items()})
    ops = GlanceOps(RUN)


def tearDownModule():
    suite.pods_down(RUN)


def delete_pod(i, objects=None):
    """pods.py delete: the pod's stop as the kubelet does it (hook and grace period of `objects`); its JSON line."""
    r = pods('delete', RUN, objects or OBJECTS, '--only', str(i), check=False)
    if r.returncode != 0:
        raise RuntimeError('pods.py delete failed: %s' % r.stderr[-2000:])
    lines = [json.loads(x) for x in r.stdout.splitlines() if x.startswith('{')]
    if len(lines) != 1:
        raise RuntimeError('pods.py delete printed %r' % r.stdout)
    return lines[0]


def recreate_pod(i, *env, objects=None):
    pods('up', RUN, objects or OBJECTS, '--only', str(i), *suite.replicas_args(statefulset()),
         *[a for e in env for a in ('--env', e)])


def program(objects):
    return [o for o in json.load(open(objects))['items'] if o.get('kind') == 'StatefulSet'][0]['spec']['template'][
        'spec']['containers'][0]['command'][0]


def runs(i, name):
    """Whether a process of pod i's glance-api container runs `name` (its executable's name starts so: python3.13,
    uwsgi-core), and the executables seen."""
    exes = set()
    for pid in suite.container_pids(RUN, ops.pod(i)['name']):
        try:
            exes.add(os.path.basename(os.readlink('/proc/%d/exe' % pid)))
        except OSError:
            pass
    return any(e.startswith(name) for e in exes), sorted(exes)


class T(unittest.TestCase):
    maxDiff = None

    def start_import(self, name, stage_on, via):
        """Stages image `name` on pod `stage_on`, asks the import through pod `via`, and returns once the import runs
        on the stage host: the image is importing and its conversion has begun writing <id>.raw there."""
        iid = ops.create_image(ops.pod_url(stage_on), 'e2e-stop-' + name)
        self.assertEqual(ops.stage(ops.pod_url(stage_on), iid, IMG[name]), 204)
        st, body = ops.import_image(ops.pod_url(via), iid)
        self.assertEqual(st, 202, body)
        t0 = time.time()
        while time.time() - t0 < 60:
            if ops.get_image(ops.pod_url(via), iid)['status'] == 'importing' and \
                    'os_glance_staging_store/%s.raw' % iid in ops.staging_files(stage_on):
                return iid
            time.sleep(0.2)
        self.fail('the import of %s did not start on pod %d' % (iid, stage_on))

    def assert_imported(self, iid, name, via):
        state, img = ops.wait_final(ops.pod_url(via), iid, TIMEOUT)
        self.assertEqual(state, 'active', img)
        self.assertEqual(img['disk_format'], 'raw')
        self.assertEqual(img['size'], qemu_info(IMG[name])['virtual-size'])
        self.assertEqual(ops.rbd_info(iid)['size'], img['size'])

    def assert_waited_for_the_import(self, stop, iid):
        hook = stop.get('preStop') or {}
        self.assertTrue(hook.get('output', '').startswith('import drain: imports finished after'), stop)
        self.assertFalse(stop['sigkilled'], 'glance-api had to be SIGKILLed: %s' % stop)
        # the import ended before glance-api got SIGTERM: nothing of it is left in the staging area
        self.assertEqual([f for f in ops.staging_files_of(stop['pod']) if iid in f], [], stop)

    # ------------------------------------------------------------------ 0
    def test_0_roll_of_three_pods_with_no_import_running(self):
        """The wait the hook adds to a roll when no import runs: each pod, as a roll stops it (2, 1, 0)."""
        for i in (2, 1, 0):
            staged = sorted(ops.staging_files(i))
            stop = delete_pod(i)
            recreate_pod(i)
            hook = stop.get('preStop') or {}
            self.assertFalse(stop['sigkilled'], stop)
            self.assertTrue(hook.get('output', '').startswith('import drain: '), stop)
            print('    [0] pod %d: preStop %.2fs (%s), pod gone %.2fs after the delete; %d file(s) in its staging claim'
                  % (i, hook['seconds'], hook['output'], stop['seconds'], len(staged)), file=sys.stderr)

    # ------------------------------------------------------------------ 1
    def test_1_roll_deletes_the_pod_running_an_import(self):
        """Pod 1 runs a 1 GiB-virtual import (staged on it, asked through pod 0) when a roll deletes it."""
        iid = self.start_import('roll', stage_on=1, via=0)
        t0 = time.time()
        stop = delete_pod(1)
        self.assert_waited_for_the_import(stop, iid)
        recreate_pod(1)
        self.assert_imported(iid, 'roll', via=0)
        print('    [1] %s: pod 1 deleted mid-import, its preStop waited %.1fs, re-created; image active %.1fs after the '
              'delete' % (iid, stop['preStop']['seconds'], time.time() - t0), file=sys.stderr)

    # ------------------------------------------------------------------ 2
    def test_2_scale_down_removes_the_pod_running_an_import(self):
        """A scale-down from 3 to 2 deletes pod 2 while it imports; pod 2 does not come back."""
        iid = self.start_import('scale', stage_on=2, via=0)
        stop = delete_pod(2)
        try:
            self.assert_waited_for_the_import(stop, iid)
            self.assert_imported(iid, 'scale', via=0)
            print('    [2] %s: pod 2 removed mid-import, its preStop waited %.1fs; image active'
                  % (iid, stop['preStop']['seconds']), file=sys.stderr)
        finally:
            recreate_pod(2)   # back to 3 for the next test

    # ------------------------------------------------------------------ 3
    def test_3_config_change_rolls_every_pod_while_two_imports_run(self):
        """Two imports run (on pods 2 and 1) while a configuration change rolls pods 2, 1, 0 one at a time: the roll
        reaches each of those pods while its import still runs, and waits for it."""
        a = self.start_import('conf-a', stage_on=2, via=0)
        b = self.start_import('conf-b', stage_on=1, via=0)
        waited = {}
        for i in (2, 1, 0):
            stop = delete_pod(i)
            self.assertFalse(stop['sigkilled'], stop)
            if i in (2, 1):
                self.assertTrue(stop['preStop']['output'].startswith('import drain: imports finished'), stop)
            waited[i] = stop['preStop']['seconds']
            # the new configuration: a setting glance-api reads from its environment
            recreate_pod(i, 'glance-api:OS_DEFAULT__IMAGE_MEMBER_QUOTA=200')
        self.assert_imported(a, 'conf-a', via=0)
        self.assert_imported(b, 'conf-b', via=0)
        print('    [3] %s on pod 2 and %s on pod 1 active after a roll of 2, 1, 0; preStop waits %s'
              % (a, b, waited), file=sys.stderr)


    # ------------------------------------------------------------------ 4
    @unittest.skipUnless(os.path.exists(EVENTLET_OBJECTS), 'no rendered-eventlet.json (make e2e renders it)')
    def test_4_upgrade_rolls_eventlet_pods_onto_the_wsgi_server_while_imports_run(self):
        """Pods on the eventlet server (0.1.0's pods) run two imports when the upgrade's roll moves them, one at a time,
        onto the List under test (the WSGI server): one roll, and no import lost."""
        self.assertEqual(program(EVENTLET_OBJECTS), 'glance-api')
        wsgi = program(OBJECTS)
        self.assertNotEqual(wsgi, 'glance-api', 'the List under test runs a WSGI server')
        suite.pods_down(RUN)
        pods('up', RUN, EVENTLET_OBJECTS, *suite.replicas_args(statefulset()))
        for i in (0, 1, 2):
            self.assertTrue(runs(i, 'python3')[0], runs(i, 'python3')[1])
        a = self.start_import('up-a', stage_on=2, via=0)
        b = self.start_import('up-b', stage_on=1, via=0)
        waited = {}
        for i in (2, 1, 0):
            stop = delete_pod(i, EVENTLET_OBJECTS)
            self.assertFalse(stop['sigkilled'], stop)
            if i in (2, 1):
                self.assertTrue(stop['preStop']['output'].startswith('import drain: imports finished'), stop)
            waited[i] = stop['preStop']['seconds']
            recreate_pod(i)
            on, exes = runs(i, {'httpd': 'apache2'}.get(wsgi, wsgi))
            self.assertTrue(on, 'pod %d runs %s after the roll: %s' % (i, wsgi, exes))
        self.assert_imported(a, 'up-a', via=0)
        self.assert_imported(b, 'up-b', via=0)
        print('    [4] eventlet -> %s: %s on pod 2 and %s on pod 1 active after one roll of 2, 1, 0; preStop waits %s'
              % (wsgi, a, b, waited), file=sys.stderr)
        for iid in (a, b):   # the memstore OSD holds 4 GiB
            ops.delete_image(ops.pod_url(0), iid)

    # ------------------------------------------------------------------ 5
    @unittest.skipUnless(os.path.exists(EVENTLET_OBJECTS), 'no rendered-eventlet.json (make e2e renders it)')
    def test_5_upgrade_from_0_1_0_pods_loses_the_imports_they_run(self):
        """The pods 0.1.0 rendered have no preStop drain and a 60 s grace period (UpgradeFromPreviousReleaseIT measures
        the template difference on a real API server: lifecycle, terminationGracePeriodSeconds, topologySpreadConstraints,
        the config hash); test 4's eventlet pods are this release's and drain. Here the eventlet List without the drain
        (0.1.0's stop behaviour) runs two imports when the upgrade's roll stops its pods (2, 1, 0) as the kubelet does,
        and re-creates them on the List under test, with no operator deciding when: the old pod's own spec decides its
        stop, and the imports are lost (glance-api exits ~3 s after SIGTERM; Glance keeps the import lock). This is the
        negative control of the live E2eUndrainedRoll, where the operator lets such a pod go only once its import is
        done (the StatefulSet's partition). Fails if 0.1.0's pods ever stop keeping their imports from being lost
        without that hold, which would make the hold needless."""
        legacy = os.path.join(RUN, 'rendered-0.1.0-stops.json')
        objects = json.load(open(EVENTLET_OBJECTS))
        for o in objects['items']:
            if o.get('kind') == 'StatefulSet':
                pod = o['spec']['template']['spec']
                pod['terminationGracePeriodSeconds'] = 60
                for c in pod['containers']:
                    c.pop('lifecycle', None)
        json.dump(objects, open(legacy, 'w'))
        wsgi = program(OBJECTS)
        suite.pods_down(RUN)
        pods('up', RUN, legacy, *suite.replicas_args(statefulset()))
        a = self.start_import('up-a', stage_on=2, via=0)
        b = self.start_import('up-b', stage_on=1, via=0)
        stops = {}
        for i in (2, 1, 0):
            stop = delete_pod(i, legacy)
            self.assertFalse(stop.get('preStop'), stop)
            stops[i] = '%.1fs%s' % (stop['seconds'], ' SIGKILL' if stop['sigkilled'] else '')
            recreate_pod(i)
            on, exes = runs(i, {'httpd': 'apache2'}.get(wsgi, wsgi))
            self.assertTrue(on, 'pod %d runs %s after the roll: %s' % (i, wsgi, exes))
        states = {}
        for iid in (a, b):
            state, img = ops.wait_final(ops.pod_url(0), iid, 90)
            states[iid] = '%s (status %s, import task %s)' % (state, img.get('status'), bool(img.get('os_glance_import_task')))
            self.assertNotEqual(state, 'active', 'an import survived the stop of a 0.1.0 pod: %s' % img)
        print('    [5] 0.1.0 stops -> %s: pods stopped %s; %s' % (wsgi, stops, states), file=sys.stderr)
        for iid in (a, b):
            try:
                ops.delete_image(ops.pod_url(0), iid)
            except Exception as e:   # an image Glance still holds: reported, the memstore OSD is reset per run
                print('    [5] %s not deleted: %s' % (iid, e), file=sys.stderr)


if __name__ == '__main__':
    sys.exit(suite.main(T, RUN))
