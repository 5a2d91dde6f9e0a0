#!/usr/bin/python3
"""A burst of imports as a migration script makes them: N images, C clients; each client takes the next image,
creates it, uploads it to the staging area of a pod and asks for its import, then waits for it to be active.

    burst.py RUNDIR --images 12 [--clients 4] [--virtual-mib 32] [--data-mib 8] [--name burst] [--timeout 600]
             [--out FILE] [--cleanup]

Each upload goes to the next pod that accepts connections, in turn, as the GlanceAPI's Service spreads them over its
ready pods; pods that appear during the burst (autoscaling) get their share from then on. The import call goes to the
same pod (Glance forwards it to the stage host anyway); the wait polls pod 0, which a scale-down never removes.
Prints one line per image and a JSON summary (stdout's last line; also --out): seconds from the first create to the
last image active, imports per minute, the uploads per pod, and every image's final state. --cleanup deletes the
images afterwards (the test Ceph keeps objects in memory: back-to-back bursts would otherwise fill it)."""
import argparse
import itertools
import json
import os
import queue
import socket
import sys
import threading
import time
from urllib.parse import urlparse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from glance_ops import GlanceOps, make_qcow2  # noqa: E402


def accepting(url):
    u = urlparse(url)
    try:
        with socket.create_connection((u.hostname, u.port), timeout=0.5):
            return True
    except OSError:
        return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('rundir')
    ap.add_argument('--images', type=int, default=12)
    ap.add_argument('--clients', type=int, default=4)
    ap.add_argument('--virtual-mib', type=int, default=32)
    ap.add_argument('--data-mib', type=int, default=8)
    ap.add_argument('--name', default='burst')
    ap.add_argument('--timeout', type=int, default=600)
    ap.add_argument('--out')
    ap.add_argument('--cleanup', action='store_true')
    a = ap.parse_args()
    ops = GlanceOps(a.rundir)
    path = os.path.join(a.rundir, 'images', '%s-%d-%d.qcow2' % (a.name, a.virtual_mib, a.data_mib))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if not os.path.exists(path):
        make_qcow2(path, a.virtual_mib, a.data_mib)
    pods = len(ops.info['pods'])
    turn = itertools.count()
    lock = threading.Lock()
    work = queue.Queue()
    for k in range(a.images):
        work.put(k)
    results = []
    t0 = time.time()

    def next_pod():
        with lock:
            for _ in range(pods * 2):
                i = next(turn) % pods
                if accepting(ops.pod_url(i)):
                    return i
        return 0

    def client():
        while True:
            try:
                k = work.get_nowait()
            except queue.Empty:
                return
            started = time.time()
            pod = next_pod()
            url = ops.pod_url(pod)
            rec = {'image': '%s-%d' % (a.name, k), 'pod': pod}
            try:
                rec['id'] = ops.create_image(url, rec['image'])
                rec['stage'] = ops.stage(url, rec['id'], path)
                rec['import'] = ops.import_image(url, rec['id'])[0]
                state, _ = ops.wait_final(ops.pod_url(0), rec['id'], timeout=a.timeout)
                rec['state'] = state
            except Exception as e:  # noqa: BLE001 - reported per image, the run goes on
                rec['state'] = 'error: %s' % e
            rec['seconds'] = round(time.time() - started, 1)
            rec['active_at'] = round(time.time() - t0, 1)
            with lock:
                results.append(rec)
            print('[burst] %s on pod %d: %s after %.1fs' % (rec['image'], pod, rec['state'], rec['seconds']), flush=True)

    threads = [threading.Thread(target=client) for _ in range(a.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.time() - t0
    per_pod = {}
    for r in results:
        per_pod[str(r['pod'])] = per_pod.get(str(r['pod']), 0) + 1
    active = sum(1 for r in results if r['state'] == 'active')
    summary = {'images': a.images, 'clients': a.clients, 'virtual_mib': a.virtual_mib, 'data_mib': a.data_mib,
               'active': active, 'seconds_to_last_active': round(wall, 1),
               'imports_per_minute': round(active * 60.0 / wall, 2) if wall > 0 else 0,
               'uploads_per_pod': per_pod, 'results': sorted(results, key=lambda r: r['image'])}
    if a.cleanup:
        for r in results:
            if r.get('id'):
                ops.delete_image(ops.pod_url(0), r['id'])
    if a.out:
        with open(a.out, 'w') as f:
            json.dump(summary, f, indent=1)
    print(json.dumps(summary))
    return 0 if active == a.images else 1


if __name__ == '__main__':
    sys.exit(main())
