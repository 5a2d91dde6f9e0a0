#!/usr/bin/python3
"""Mon-side Ceph set-up in ONE librados process (each `ceph` CLI call costs ~0.3 s).
usage: ceph_setup.py CEPH_CONF OSD_UUID pre|wait [POOL ...]   (default pool: images)"""
import json
import sys
import time

import rados

conf, osd_uuid, phase = sys.argv[1:4]
POOLS = sys.argv[4:] or ['images']
r = rados.Rados(conffile=conf, name='client.admin')
r.connect(timeout=20)


def cmd(**kw):
    ret, out, err = r.mon_command(json.dumps(kw), b'', timeout=20)
    if ret != 0:
        raise SystemExit('mon_command %s failed: %s %s' % (kw, ret, err))
    return out


if phase == 'pre':
    cmd(prefix='osd new', uuid=osd_uuid, id=0)
    for pool in POOLS:
        cmd(prefix='osd pool create', pool=pool, pg_num=8, pgp_num=8)
        cmd(prefix='osd pool application enable', pool=pool, app='rbd')
else:
    # no mgr -> no `pg stat`; wait for osd.0 up, then a real write (blocks until the PG peered)
    t0 = time.time()
    while not any(o['osd'] == 0 and o['up'] for o in json.loads(cmd(prefix='osd dump', format='json'))['osds']):
        if time.time() - t0 > 60:
            raise SystemExit('osd.0 not up after 60s')
        time.sleep(0.05)
    for pool in POOLS:
        io = r.open_ioctx(pool)
        io.write_full('e2e-startup-probe', b'x')
        io.remove_object('e2e-startup-probe')
        io.close()
r.shutdown()
