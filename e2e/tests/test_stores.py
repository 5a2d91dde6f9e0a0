#!/usr/bin/python3
"""End-to-end tests of every store type, on the pods materialised from the operator's rendered List of GlanceAPI
glance-stores (real glance-api, Ceph, radosgw, MariaDB, Keystone): a file store on a claim every pod mounts
(`file`), rbd on the first Ceph configuration (`ceph`, the default), rbd on a second one (`ceph-edge`: its own Secret,
ceph.conf, client and pool), S3 (`objects`) and Swift (`swift`) on radosgw.

env: E2E_OBJECTS = path of the Kubernetes List (JSON; e.g. RUNDIR/objects-stores.json),
     E2E_RUN = run dir of services.sh up (its secrets.json has the radosgw users and the second Ceph client).
The module starts 3 pods once and stops them at the end, also on failure.  Each store is checked the same way: a
qcow2 staged through pod 0, imported through pod 1 into that store (pod 1 proxies to pod 0), downloaded through
pod 2 with the checksum of the data Glance stored (raw when the List converts), found where that store keeps it, and
gone from there once the image is deleted.  Prints "N passed, N failed", exits non-zero on failure."""
import hashlib
import json
import os
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
E2E = os.path.dirname(HERE)
sys.path.insert(0, E2E)
import suite  # noqa: E402
from glance_ops import GlanceOps, raw_digest  # noqa: E402

OBJECTS = os.environ.get('E2E_OBJECTS')
RUN = os.environ.get('E2E_RUN')
TIMEOUT = float(os.environ.get('E2E_IMPORT_TIMEOUT', '180'))
FILE, CEPH, EDGE, S3, SWIFT = 'file', 'ceph', 'ceph-edge', 'objects', 'swift'
STORE_TYPES = {FILE: 'file', CEPH: 'rbd', EDGE: 'rbd', S3: 's3', SWIFT: 'swift'}
ops = None
IMG = {}      # name -> qcow2 path
STS = {}
CONF = {}     # glance-api ini sections of the rendered ConfigMap: section -> {key: value}
IMPORTED = {}  # store -> image id imported into it (test_3..6), for test_8
COPIED = {}   # 'copy' -> image id in ceph, objects and ceph-edge (test_7), for test_8


def setUpModule():
    global ops
    if not OBJECTS or not RUN:
        raise RuntimeError('set E2E_OBJECTS and E2E_RUN')
    items = json.load(open(OBJECTS))['items']
    STS.update([o for o in items if o.get('kind') == 'StatefulSet'][0])
    for cm in (o for o in items if o.get('kind') == 'ConfigMap'):
        for key, text in sorted((cm.get('data') or {}).items()):
            if key.endswith('.conf'):
                CONF.update(parse_ini(text))
    specs = {'file-2pods': (24, 4, 31), FILE: (32, 6, 32), S3: (32, 6, 33), SWIFT: (32, 6, 34), EDGE: (32, 6, 35),
             'copy': (32, 6, 36)}
    suite.pods_up_with_images(RUN, OBJECTS, STS, specs, IMG)
    ops = GlanceOps(RUN)


def tearDownModule():
    suite.pods_down(RUN)


def parse_ini(text):
    out, sec = {}, None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith('[') and line.endswith(']'):
            sec = out.setdefault(line[1:-1], {})
        elif sec is not None and '=' in line and not line.startswith('#'):
            k, v = line.split('=', 1)
            sec[k.strip()] = v.strip()
    return out


def converts():
    """the List's import config converts imports to raw (image_conversion plugin, output_format raw)"""
    return ('image_conversion' in CONF.get('image_import_opts', {}).get('image_import_plugins', '')
            and CONF.get('image_conversion', {}).get('output_format') == 'raw')


def expected(qcow2):
    """(disk_format, md5) of what Glance must store for this qcow2"""
    if converts():
        return 'raw', raw_digest(qcow2)
    with open(qcow2, 'rb') as f:
        return 'qcow2', hashlib.md5(f.read()).hexdigest()


def rgw():
    return ops.sec['rgw']


def s3_client():
    import boto3
    from botocore.config import Config
    s = ops.sec['secrets']['s3']
    return boto3.client('s3', endpoint_url=rgw()['endpoint'], aws_access_key_id=s['access_key'],
                        aws_secret_access_key=s['secret_key'], region_name='us-east-1',
                        config=Config(s3={'addressing_style': 'path'}, retries={'max_attempts': 1}))


def s3_object(key):
    """(size, md5) of the object in the S3 store's bucket, or None"""
    import botocore.exceptions
    try:
        body = s3_client().get_object(Bucket=rgw()['s3_bucket'], Key=key)['Body'].read()
    except botocore.exceptions.ClientError as e:
        if e.response.get('Error', {}).get('Code') in ('NoSuchKey', '404', 'NoSuchBucket'):
            return None
        raise
    return len(body), hashlib.md5(body).hexdigest()


def swift_conn():
    import swiftclient
    s = ops.sec['secrets']['swift']
    return swiftclient.Connection(authurl=rgw()['swift_auth_address'], user=s['user'], key=s['key'],
                                  auth_version=rgw().get('swift_auth_version', '1'), retries=0)


def swift_object(name):
    """(size, md5) of the object in the Swift store's container (a large image's manifest is followed), or None"""
    import swiftclient
    try:
        _h, body = swift_conn().get_object(rgw()['swift_container'], name)
    except swiftclient.ClientException as e:
        if e.http_status == 404:
            return None
        raise
    return len(body), hashlib.md5(body).hexdigest()


def file_store_claim():
    """claimName of the persistentVolumeClaim volume the pods mount at the file store's directory"""
    datadir = CONF[FILE]['filesystem_store_datadir'].rstrip('/')
    pod = STS['spec']['template']['spec']
    vols = {v['name']: v for v in pod.get('volumes', [])}
    for c in pod['containers']:
        for m in c.get('volumeMounts', []):
            v = vols.get(m['name'], {})
            if m['mountPath'].rstrip('/') == datadir and 'persistentVolumeClaim' in v:
                return v['persistentVolumeClaim']['claimName']
    raise AssertionError('no persistentVolumeClaim volume is mounted at the file store directory %s' % datadir)


def file_store_dir():
    """the shared claim's directory: RUNDIR/pvc/<claimName> (pods.py binds it into every pod)"""
    return os.path.join(RUN, 'pvc', file_store_claim())


def in_pool(iid, pool):
    ls = ops.rbd_ls(pool)
    if ls is None:
        raise AssertionError('rbd ls -p %s failed' % pool)
    return iid in ls


def wait_copied(url, iid, store, timeout):
    """-> (True, image) once `store` is in the image's stores, (False, image) once the copy failed or on timeout"""
    t0 = time.time()
    img = {}
    while time.time() - t0 < timeout:
        img = ops.get_image(url, iid)
        locked = bool(img.get('os_glance_import_task'))
        if store in (img.get('stores') or '').split(',') and not locked:
            return True, img
        if store in (img.get('os_glance_failed_import') or '').split(',') and not locked:
            return False, img
        time.sleep(0.5)
    return False, img


def edge_pool():
    return CONF[EDGE]['rbd_store_pool']


class T(unittest.TestCase):
    maxDiff = None

    def import_into(self, store, qcow2, name, stage_pod=0, import_pod=1):
        """staged through stage_pod, imported through import_pod into `store` -> (id, image)"""
        us, ui = ops.pod_url(stage_pod), ops.pod_url(import_pod)
        iid = ops.create_image(us, name)
        self.assertEqual(ops.stage(us, iid, qcow2), 204)
        st, body = ops.import_image(ui, iid, stores=[store] if store else None)
        self.assertEqual(st, 202, body)
        state, img = ops.wait_final(ui, iid, TIMEOUT)
        self.assertEqual(state, 'active', '%s: %s' % (store, json.dumps(img)[:600]))
        return iid, img

    def check_download(self, iid, img, qcow2, pod=2):
        fmt, md5 = expected(qcow2)
        self.assertEqual(img['disk_format'], fmt, 'disk_format Glance reports')
        self.assertEqual(img.get('checksum'), md5, 'Glance checksum != md5 of the %s data' % fmt)
        st, dl_md5, n, _h = ops.download(ops.pod_url(pod), iid)
        self.assertEqual(st, 200, 'download through pod %d: HTTP %s (%d bytes)' % (pod, st, n))
        self.assertEqual(n, img['size'])
        self.assertEqual(dl_md5, md5, 'downloaded bytes differ from the %s data' % fmt)
        return md5

    def store_round_trip(self, store, find):
        """import into `store` across pods, download through pod 2, then find(id) -> (size, md5) where the store
        keeps the image"""
        t0 = time.time()
        q = IMG[store]
        iid, img = self.import_into(store, q, 'e2e-store-' + store)
        IMPORTED[store] = iid
        self.assertEqual(ops.image_stores(ops.pod_url(2), iid), [store])
        md5 = self.check_download(iid, img, q)
        where = find(iid)
        self.assertIsNotNone(where, 'image %s not found in store %s' % (iid, store))
        self.assertEqual(where, (img['size'], md5), 'what store %s holds differs from the image' % store)
        print('    [%s] staged on pod 0, imported via pod 1, %s %d bytes, downloaded via pod 2 with md5 %s, found in the '
              'store; %.1fs' % (store, img['disk_format'], img['size'], md5, time.time() - t0), file=sys.stderr)

    # ------------------------------------------------------------------ 1
    def test_1_stores_listed(self):
        stores = {s['id']: s for s in ops.stores_info(ops.pod_url(0))}
        self.assertEqual(set(stores), set(STORE_TYPES), stores)
        self.assertEqual(stores[CEPH].get('default'), 'true', stores)
        backends = dict(x.strip().split(':') for x in CONF['DEFAULT']['enabled_backends'].split(','))
        self.assertEqual(backends, STORE_TYPES)
        # the object stores' credentials stay in Secrets: no ConfigMap of the List holds them
        creds = [ops.sec['secrets']['s3']['secret_key'], ops.sec['secrets']['swift']['key']]
        for cm in (o for o in json.load(open(OBJECTS))['items'] if o.get('kind') == 'ConfigMap'):
            for key, text in (cm.get('data') or {}).items():
                for c in creds:
                    self.assertNotIn(c, text, 'ConfigMap %s/%s holds an object store credential' % (cm['metadata']['name'], key))
        print('    [1] /v2/info/stores: %s' % sorted(stores), file=sys.stderr)

    # ------------------------------------------------------------------ 2
    def test_2_file_store_two_pods(self):
        """the shared file store: imported through pod 0, the same bytes download through pod 1 (not 204 empty)"""
        q = IMG['file-2pods']
        iid, img = self.import_into(FILE, q, 'e2e-file-2pods', stage_pod=0, import_pod=0)
        self.assertEqual(ops.image_stores(ops.pod_url(0), iid), [FILE])
        md5 = self.check_download(iid, img, q, pod=1)
        self.assertEqual(file_store_claim(), 'glance-stores-images')
        self.assertTrue(os.path.isfile(os.path.join(file_store_dir(), iid)), 'not in the shared claim %s' % file_store_dir())
        print('    [2] file store: imported via pod 0, downloaded via pod 1: 200, %d bytes, md5 %s'
              % (img['size'], md5), file=sys.stderr)

    # ------------------------------------------------------------------ 3-6: one store each
    def test_3_file_store(self):
        def find(iid):
            p = os.path.join(file_store_dir(), iid)
            if not os.path.isfile(p):
                return None
            with open(p, 'rb') as f:
                return os.path.getsize(p), hashlib.md5(f.read()).hexdigest()
        self.store_round_trip(FILE, find)

    def test_4_s3_store(self):
        self.store_round_trip(S3, s3_object)

    def test_5_swift_store(self):
        self.store_round_trip(SWIFT, swift_object)

    def test_6_second_ceph_configuration(self):
        self.assertIn(EDGE, CONF, 'no [%s] section in the rendered config' % EDGE)
        self.assertEqual(CONF[EDGE].get('rbd_store_user'), ops.sec['ceph_edge']['user'])

        def find(iid):
            pool = edge_pool()
            if not in_pool(iid, pool):
                return None
            return ops.rbd_info(iid, pool)['size'], ops.rbd_md5(iid, pool)
        self.store_round_trip(EDGE, find)
        # in the second configuration's pool only, read with the second configuration's own ceph.conf
        self.assertFalse(in_pool(IMPORTED[EDGE], CONF[CEPH]['rbd_store_pool']))
        self.assertNotEqual(CONF[EDGE].get('rbd_store_ceph_conf'), CONF[CEPH].get('rbd_store_ceph_conf'),
                            'stores ceph and ceph-edge read the same ceph.conf: the second Secret\'s is not used')

    # ------------------------------------------------------------------ 7
    def test_7_copy_image_from_ceph_to_objects_and_ceph_edge(self):
        t0 = time.time()
        q = IMG['copy']
        iid, img = self.import_into(None, q, 'e2e-store-copy')   # the default store: ceph
        COPIED['copy'] = iid
        u = ops.pod_url(2)
        self.assertEqual(ops.image_stores(u, iid), [CEPH])
        md5 = self.check_download(iid, img, q)
        for target in (S3, EDGE):
            with self.subTest(copy_to=target):
                st, body = ops.copy_image(u, iid, [target])
                self.assertEqual(st, 202, body)
                ok, img2 = wait_copied(u, iid, target, TIMEOUT)
                self.assertTrue(ok, 'copy-image of %s to %s: stores %r, failed %r' % (
                    iid, target, img2.get('stores'), img2.get('os_glance_failed_import')))
                self.assertEqual(img2['status'], 'active')
        have = set(ops.image_stores(u, iid))
        self.assertEqual(have, {CEPH, S3, EDGE})
        self.assertEqual(s3_object(iid), (img['size'], md5), 'the S3 copy differs')
        self.assertEqual(ops.rbd_md5(iid, edge_pool()), md5, 'the ceph-edge copy differs')
        self.assertEqual(ops.rbd_md5(iid, CONF[CEPH]['rbd_store_pool']), md5)
        print('    [7] copy-image ceph -> objects, ceph -> ceph-edge: stores %s, same md5 in both; %.1fs'
              % (sorted(have), time.time() - t0), file=sys.stderr)

    # ------------------------------------------------------------------ 8
    def test_8_delete_removes_the_data(self):
        gone = {
            FILE: lambda iid: not os.path.exists(os.path.join(file_store_dir(), iid)),
            S3: lambda iid: s3_object(iid) is None,
            SWIFT: lambda iid: swift_object(iid) is None,
            EDGE: lambda iid: not in_pool(iid, edge_pool()),
        }
        u = ops.pod_url(2)
        for store, check in gone.items():
            with self.subTest(store=store):
                iid = IMPORTED.get(store)
                self.assertIsNotNone(iid, 'no image was imported into %s (its test failed)' % store)
                self.assertFalse(check(iid), 'image %s not in store %s before the delete' % (iid, store))
                self.assertEqual(ops.delete_image(u, iid), 204)
                self.assertTrue(wait(lambda: check(iid)), 'store %s still holds %s after the delete' % (store, iid))
                print('    [8] deleted %s: gone from %s' % (iid, store), file=sys.stderr)
        with self.subTest(store='copy'):
            iid = COPIED.get('copy')
            self.assertIsNotNone(iid, 'test_7 made no image')
            self.assertEqual(ops.delete_image(u, iid), 204)
            ceph_pool = CONF[CEPH]['rbd_store_pool']
            self.assertTrue(wait(lambda: not in_pool(iid, ceph_pool)), 'still in rbd pool %s' % ceph_pool)
            self.assertTrue(wait(lambda: gone[EDGE](iid)), 'still in rbd pool %s' % edge_pool())
            self.assertTrue(wait(lambda: gone[S3](iid)), 'still in the S3 bucket')
            print('    [8] deleted the copied image %s: gone from ceph, ceph-edge and objects' % iid, file=sys.stderr)


def wait(cond, timeout=30, poll=0.5):
    t0 = time.time()
    while time.time() - t0 < timeout:
        if cond():
            return True
        time.sleep(poll)
    return cond()


if __name__ == '__main__':
    sys.exit(suite.main(T, RUN))
