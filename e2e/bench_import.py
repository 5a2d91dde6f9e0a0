#!/usr/bin/python3
"""Import benchmark (not for CI).

    bench_import.py [OBJECTS.json] [--run DIR] [--images 6] [--virtual-mib 256[,1024]] [--data-mib 64]
                    [--workers 1,2] [--settings OPT=V[,OPT=V...]] [--settings-images 3] [--pod-env NAME=V]
                    [--settings-only] [--repeat 1] [--servers LIST.json,LIST.json...]
                    [--out bench.json]

Brings up the services and the pods of OBJECTS (default: the fixture), then measures
  spread:  N qcow2 images, image k staged on pod k%3, imported through pod (k+1)%3, all imports
           concurrent -> wall time from the first import call to the last image active;
  single:  the same N images all staged on pod 0, imported through pods 1 and 2 (all proxied
           back to pod 0, so pod 0 does every conversion);
  serial:  per image, import call -> active (one at a time, staged on pod 0, imported via pod 1)
           vs a bare `qemu-img convert -O raw` of the same file on this machine.
  workers: per --virtual-mib and per --workers count (glance-api restarted with OS_DEFAULT__WORKERS, the
           process count checked), the N images all staged on pod 0 and imported through pod 0: imports
           per minute of one pod, side by side, with the ratio to the first count.
  servers: per List of --servers (the same GlanceAPI rendered by the operator with each spec.apiServer: httpd, uwsgi,
           eventlet), per --virtual-mib, the N images all staged on pod 0 and imported through pod 0 (imports per
           minute of one pod, ratio to the first List), then one image of the largest size alone (import call ->
           active); the command pod 0 runs is checked to be the List's.
  settings: per --virtual-mib, the rendered config, then each --settings entry on its own (glance-api
           restarted with that one option as OS_<SECTION>__<OPTION>; rbd_* options go to the default
           store's section), then all entries that beat the rendered config together: per image,
           stage and import on pod 0, poll through pod 1, import call -> active, one at a time. Each
           result is checked to carry its setting (os_hash_algo, the RBD object order, the number of
           RADOS objects written), else the run fails. Median per variant and its ratio to the rendered config.
  hashing: before anything starts, MiB/s of md5, sha256 and sha512 (Python's hashlib, i.e. OpenSSL, as glance_store
           hashes: os_hash_value with hashing_algorithm, plus the md5 checksum) over an in-memory buffer, best of 3,
           with the CPU's SHA instructions and with them hidden from OpenSSL (OPENSSL_ia32cap, as --pod-env can do
           for glance-api); --hashing-only measures this alone, without services.
Prints a table and writes JSON.  Everything started is stopped at the end (also on failure)."""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from glance_ops import GlanceOps, make_qcow2  # noqa: E402

PY = '/usr/bin/python3'


# OpenSSL ignores the CPU's SHA extensions (x86 CPUID bit): how an older CPU (e.g. Skylake, Cascade Lake) hashes
HIDE_SHA_EXTENSIONS = {'OPENSSL_ia32cap': ':~0x20000000'}
HASH_SNIPPET = r"""
import hashlib, json, os, sys, time
buf = os.urandom(int(sys.argv[1]) << 20)
rounds, best = int(sys.argv[2]), {}
for algo in ('md5', 'sha256', 'sha512'):
    for _ in range(int(sys.argv[3])):
        h, t = hashlib.new(algo), time.perf_counter()
        for _ in range(rounds):
            h.update(buf)
        s = time.perf_counter() - t
        best[algo] = max(best.get(algo, 0), round(len(buf) * rounds / s / (1 << 20), 1))
print(json.dumps(best))
"""


def hashing_speeds(buffer_mib=32, rounds=8, repeat=3):
    """MiB/s per algorithm, best of `repeat` passes over `rounds` x `buffer_mib` MiB, each in a fresh interpreter:
    as the CPU runs it, and with its SHA instructions hidden from OpenSSL."""
    def run(extra_env):
        env = dict(os.environ, **extra_env)
        out = subprocess.run([sys.executable, '-c', HASH_SNIPPET, str(buffer_mib), str(rounds), str(repeat)], env=env,
                             check=True, capture_output=True, text=True).stdout
        return json.loads(out)
    flags = set()
    with open('/proc/cpuinfo') as f:
        for line in f:
            if line.startswith(('flags', 'Features')):
                flags.update(line.split(':', 1)[1].split())
    import ssl
    res = {'cpu_sha_extensions': bool(flags & {'sha_ni', 'sha2'}), 'openssl': ssl.OPENSSL_VERSION,
           'bytes_per_pass_mib': buffer_mib * rounds, 'passes': repeat, 'mib_per_s': run({})}
    if 'sha_ni' in flags:
        res['mib_per_s_sha_extensions_hidden'] = run(HIDE_SHA_EXTENSIONS)
    return res


def print_hashing(h):
    print('\nhashing (hashlib/%s, %d MiB per pass, best of %d; CPU SHA extensions: %s)'
          % (h['openssl'], h['bytes_per_pass_mib'], h['passes'], 'yes' if h['cpu_sha_extensions'] else 'no'))
    print('%-8s %14s %26s' % ('algo', 'MiB/s', 'MiB/s, SHA ext. hidden'))
    hidden = h.get('mib_per_s_sha_extensions_hidden', {})
    for algo, v in h['mib_per_s'].items():
        print('%-8s %14.1f %26s' % (algo, v, hidden.get(algo, '-')))


def sh(*a, **kw):
    subprocess.run(list(a), check=True, **kw)


def run_batch(ops, files, stage_pod, import_pod, label):
    ids = []
    for k, f in enumerate(files):
        sp = stage_pod(k)
        iid = ops.create_image(ops.pod_url(sp), '%s-%d' % (label, k))
        if ops.stage(ops.pod_url(sp), iid, f) != 204:
            raise RuntimeError('stage failed')
        ids.append(iid)
    done = {}
    t0 = time.time()

    def one(k):
        ip = import_pod(k)
        st, body = ops.import_image(ops.pod_url(ip), ids[k])
        if st != 202:
            done[k] = ('import-%s' % st, None)
            return
        state, _ = ops.wait_final(ops.pod_url(ip), ids[k], 600, poll=0.5)
        done[k] = (state, time.time() - t0)
    ths = [threading.Thread(target=one, args=(k,)) for k in range(len(files))]
    [t.start() for t in ths]
    [t.join() for t in ths]
    wall = time.time() - t0
    ok = sum(1 for s, _ in done.values() if s == 'active')
    for iid in ids:
        ops.delete_image(ops.pod_url(0), iid)
    return {'wall_s': round(wall, 2), 'active': ok, 'n': len(files),
            'per_image_done_s': [round(done[k][1] or -1, 2) for k in range(len(files))]}


def pod_pids(run, pod):
    """The processes of a pod's first container: the process group of its main process."""
    sys.path.insert(0, HERE)
    import pods as pods_mod
    return pods_mod.group_pids(int(open(os.path.join(run, 'pods', pod, 'pid')).read().strip()))


def worker_processes(run, pod):
    """glance-api processes of a pod's first container, less the parent: its workers."""
    procs = []
    for pid in pod_pids(run, pod):
        try:
            cmd = open('/proc/%d/cmdline' % pid, 'rb').read().split(b'\0')[:2]
        except OSError:
            continue
        if any(b'glance-api' in c for c in cmd):
            procs.append(pid)
    return len(procs) - 1


def pods_up(run, objects, workers=None, env=()):
    over = [('OS_DEFAULT__WORKERS', str(workers))] if workers else []
    args = [x for name, value in over + list(env) for x in ('--env', 'glance-api:%s=%s' % (name, value))]
    sh(PY, os.path.join(HERE, 'pods.py'), 'up', run, objects, *args, stdout=subprocess.DEVNULL)


def rendered_ini(objects, key):
    """00-glance-api.conf of the List, parsed: what the operator rendered."""
    import configparser
    for o in json.load(open(objects))['items']:
        if o['kind'] == 'ConfigMap' and key in o.get('data', {}):
            ini = configparser.ConfigParser(interpolation=None)
            ini.read_string(o['data'][key])
            return ini
    raise RuntimeError('no ConfigMap with %s in %s' % (key, objects))


class Variant:
    """A set of glance-api options overriding the rendered config through oslo.config's environment."""

    def __init__(self, name, options, store):
        self.name, self.options, self.store = name, dict(options), store

    def section(self, option):
        """rbd_* options belong to the default store's section, the others to [DEFAULT]"""
        return self.store if option.startswith('rbd_') else 'DEFAULT'

    def env(self):
        return [('OS_%s__%s' % (self.section(k).upper(), k.upper()), v) for k, v in self.options.items()]

    def effective(self, ini, option):
        if option in self.options:
            return self.options[option]
        return ini.get(self.section(option), option, fallback=GLANCE_DEFAULTS[option])


# Glance 25 / glance_store 4 defaults of the options compared, where the operator renders none
GLANCE_DEFAULTS = {'hashing_algorithm': 'sha512', 'rbd_store_chunk_size': '8', 'rbd_thin_provisioning': 'false'}


def check_applied(ops, variant, ini, image, virtual_mib, data_mib):
    """The stored image shows the variant's settings: hash algorithm, RBD object size, objects written."""
    algo = variant.effective(ini, 'hashing_algorithm')
    if image.get('os_hash_algo') != algo:
        raise RuntimeError('%s: image hashed with %s, expected %s' % (variant.name, image.get('os_hash_algo'), algo))
    info = ops.rbd_info(image['id'])
    chunk_mib = int(variant.effective(ini, 'rbd_store_chunk_size'))
    if info is None or info['order'] != 20 + int(chunk_mib).bit_length() - 1:
        raise RuntimeError('%s: RBD image %s, expected %d MiB objects' % (variant.name, info, chunk_mib))
    written = ops.rados_objects(info['block_name_prefix'])
    thin = variant.effective(ini, 'rbd_thin_provisioning').lower() == 'true'
    # data at offset 0 and 1 MiB near the end (make_qcow2): thin writes only the chunks holding data
    expect = (-(-data_mib // chunk_mib) + 1) if thin else -(-virtual_mib // chunk_mib)
    if abs(written - expect) > 1:
        raise RuntimeError('%s: %d RADOS objects written, expected about %d' % (variant.name, written, expect))
    return written


def serial_imports(ops, variant, ini, files, virtual_mib, data_mib, label):
    times, objects = [], []
    for k, f in enumerate(files):
        iid = ops.create_image(ops.pod_url(0), '%s-%d' % (label, k))
        if ops.stage(ops.pod_url(0), iid, f) != 204:
            raise RuntimeError('stage failed')
        t = time.time()
        st, _ = ops.import_image(ops.pod_url(0), iid)
        # polled through pod 1: a busy pod 0 worker would delay its own answers, not the import
        state, img = ops.wait_final(ops.pod_url(1), iid, 600, poll=0.2)
        if st != 202 or state != 'active':
            raise RuntimeError('%s: import %s, image %s' % (variant.name, st, state))
        times.append(time.time() - t)
        objects.append(check_applied(ops, variant, ini, img, virtual_mib, data_mib))
        ops.delete_image(ops.pod_url(0), iid)
    return {'variant': variant.name, 'options': variant.options, 'virtual_mib': virtual_mib,
            'import_s': [round(x, 2) for x in times], 'median_s': round(statistics.median(times), 2),
            'rados_objects': objects}


def compare_settings(ops, run, objects, sizes, settings, n, data_mib, pod_env=()):
    ini = rendered_ini(objects, '00-glance-api.conf')
    store = ini.get('glance_store', 'default_backend')
    rendered = Variant('rendered', {}, store)
    singles = [Variant(kv, [kv.split('=', 1)], store) for kv in settings]
    out = []
    for size in sizes:
        files = [make_qcow2(os.path.join(run, 'images', 's%d-%d.qcow2' % (size, k)), size, min(data_mib, size), k)
                 for k in range(n)]
        rows = []
        for v in [rendered] + singles:
            pods_up(run, objects, env=v.env() + list(pod_env))
            rows.append(serial_imports(ops, v, ini, files, size, data_mib, 's%d' % size))
        base = rows[0]['median_s']
        # the fastest value of each option that beat the rendered config, combined
        fastest = {}
        for v, r in zip(singles, rows[1:]):
            (k, _), = v.options.items()
            if r['median_s'] < base and (k not in fastest or r['median_s'] < fastest[k][1]):
                fastest[k] = (v, r['median_s'])
        if len(fastest) > 1:
            better = [v for v, _ in fastest.values()]
            best = Variant('+'.join(v.name for v in better), [kv for v in better for kv in v.options.items()], store)
            pods_up(run, objects, env=best.env() + list(pod_env))
            rows.append(serial_imports(ops, best, ini, files, size, data_mib, 's%d' % size))
        for r in rows:
            r['ratio_to_rendered'] = round(r['median_s'] / base, 3)
        out += rows
        for f in files:
            os.unlink(f)
    pods_up(run, objects)
    return out


def compare_workers(ops, run, objects, sizes, counts, images, data_mib):
    rows = []
    for size in sizes:
        sized = [make_qcow2(os.path.join(run, 'images', 'w%d-%d.qcow2' % (size, k)), size, min(data_mib, size), k)
                 for k in range(images)]
        for n in counts:
            pods_up(run, objects, n)
            seen = worker_processes(run, ops.pod(0)['name'])
            if seen != n:
                raise RuntimeError('pod 0 runs %d workers, asked for %d' % (seen, n))
            ops.http('GET', ops.pod_url(0) + '/v2/images?limit=1', ops.token())
            r = run_batch(ops, sized, lambda k: 0, lambda k: 0, 'w%d-%d' % (size, n))
            r.update({'virtual_mib': size, 'workers': n,
                      'imports_per_minute_per_pod': round(60.0 * r['active'] / r['wall_s'], 2)})
            rows.append(r)
        for f in sized:
            os.unlink(f)
    return rows


def server_of(objects):
    """The program of the List's glance-api container: httpd, uwsgi or glance-api (eventlet)."""
    for o in json.load(open(objects))['items']:
        if o['kind'] == 'StatefulSet':
            return o['spec']['template']['spec']['containers'][0]['command'][0]
    raise RuntimeError('no StatefulSet in %s' % objects)


def pod_runs(run, pod, program):
    """Whether a process of pod's first container runs `program` (its executable's name)."""
    for pid in pod_pids(run, pod):
        try:
            exe = os.path.basename(os.readlink('/proc/%d/exe' % pid))
        except OSError:
            continue
        if exe == program or (program == 'httpd' and exe == 'apache2') or (program == 'uwsgi' and exe.startswith('uwsgi')) \
                or (program == 'glance-api' and exe.startswith('python3')):
            return True
    return False


def compare_servers(ops, run, lists, sizes, images, data_mib):
    rows = []
    files = {size: [make_qcow2(os.path.join(run, 'images', 's%d-%d.qcow2' % (size, k)), size, min(data_mib, size), k)
                    for k in range(images)] for size in sizes}
    for objects in lists:
        program = server_of(objects)
        subprocess.run([PY, os.path.join(HERE, 'pods.py'), 'down', run], stdout=subprocess.DEVNULL)
        pods_up(run, objects)
        if not pod_runs(run, ops.pod(0)['name'], program):
            raise RuntimeError('pod 0 does not run %s' % program)
        ops.http('GET', ops.pod_url(0) + '/v2/images?limit=1', ops.token())
        for size in sizes:
            r = run_batch(ops, files[size], lambda k: 0, lambda k: 0, 'srv-%s-%d' % (program, size))
            r.update({'server': program, 'virtual_mib': size,
                      'imports_per_minute_per_pod': round(60.0 * r['active'] / r['wall_s'], 2)})
            rows.append(r)
        big = max(sizes)
        iid = ops.create_image(ops.pod_url(0), 'srv-%s-alone' % program)
        ops.stage(ops.pod_url(0), iid, files[big][0])
        t = time.time()
        ops.import_image(ops.pod_url(0), iid)
        state, _ = ops.wait_final(ops.pod_url(0), iid, 900, poll=0.2)
        rows.append({'server': program, 'virtual_mib': big, 'alone_s': round(time.time() - t, 2), 'state': state})
        ops.delete_image(ops.pod_url(0), iid)
    for fs in files.values():
        for f in fs:
            os.unlink(f)
    return rows


def compare_scenarios(ops, run, objects, size, images, data_mib, repeat):
    pods_up(run, objects)
    files = [make_qcow2(os.path.join(run, 'images', 'b%d.qcow2' % k), size, data_mib, k)
             for k in range(images)]
    # warm-up: first authenticated request per pod costs version discovery + service auth
    for i in range(3):
        ops.http('GET', ops.pod_url(i) + '/v2/images?limit=1', ops.token())
    res = {'spread': [], 'single': []}
    for r in range(repeat):
        res['spread'].append(run_batch(ops, files, lambda k: k % 3, lambda k: (k + 1) % 3, 'spread%d' % r))
        res['single'].append(run_batch(ops, files, lambda k: 0, lambda k: 1 + k % 2, 'single%d' % r))
    serial = []
    for k, f in enumerate(files):
        iid = ops.create_image(ops.pod_url(0), 'serial-%d' % k)
        ops.stage(ops.pod_url(0), iid, f)
        t = time.time()
        ops.import_image(ops.pod_url(1), iid)
        state, _ = ops.wait_final(ops.pod_url(1), iid, 600, poll=0.2)
        glance_s = time.time() - t
        out = f + '.raw'
        t = time.time()
        sh('qemu-img', 'convert', '-O', 'raw', f, out)
        conv_s = time.time() - t
        # the same data path without Glance: convert + sparse `rbd import` as client.glance
        t = time.time()
        sh(*ops.ceph_cmd('rbd', 'import', out, 'bench-bare-%d' % k, timeout=120, pool='images'),
           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        rbd_s = time.time() - t
        sh(*ops.ceph_cmd('rbd', 'rm', 'bench-bare-%d' % k, timeout=120, pool='images'),
           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.unlink(out)
        ops.delete_image(ops.pod_url(0), iid)
        serial.append({'image': k, 'state': state, 'glance_import_s': round(glance_s, 2),
                       'qemu_img_convert_s': round(conv_s, 2), 'rbd_import_s': round(rbd_s, 2),
                       'bare_pipeline_s': round(conv_s + rbd_s, 2)})
    res['serial'] = serial
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('objects', nargs='?', default=os.path.join(HERE, 'fixtures', 'glance-rbd-3.template.json'))
    ap.add_argument('--run')
    ap.add_argument('--images', type=int, default=6)
    ap.add_argument('--virtual-mib', default='256', help='one size, or several: 256,1024')
    ap.add_argument('--workers', default='1,2', help='worker counts to compare, one pod importing')
    ap.add_argument('--data-mib', type=int, default=64)
    ap.add_argument('--settings', default='', help='store options to try against the rendered config: '
                    'rbd_store_chunk_size=16,hashing_algorithm=sha256,rbd_thin_provisioning=false')
    ap.add_argument('--settings-images', type=int, default=3, help='serial imports per variant and size')
    ap.add_argument('--settings-only', action='store_true', help='compare the settings, nothing else')
    ap.add_argument('--pod-env', action='append', default=[], metavar='NAME=VALUE',
                    help='glance-api environment for every settings variant, e.g. OPENSSL_ia32cap=:~0x20000000 '
                         '(OpenSSL ignores the CPU\'s SHA extensions: an older CPU\'s hashing speed)')
    ap.add_argument('--repeat', type=int, default=1)
    ap.add_argument('--servers', default='', help='Lists of the same GlanceAPI on each spec.apiServer, compared on one pod')
    ap.add_argument('--hashing-only', action='store_true', help='measure the hashing speeds alone (no services, no pods)')
    ap.add_argument('--out', default='bench_import.json')
    a = ap.parse_args()
    if a.hashing_only:
        res = {'params': vars(a), 'started': time.strftime('%Y-%m-%dT%H:%M:%S'),
               'loadavg_before': open('/proc/loadavg').read().split()[:3], 'hashing': hashing_speeds()}
        with open(a.out, 'w') as f:
            json.dump(res, f, indent=1)
        print_hashing(res['hashing'])
        print('JSON: %s' % os.path.abspath(a.out))
        return
    run = os.path.abspath(a.run or tempfile.mkdtemp(prefix='glance-bench.'))
    res = {'params': vars(a), 'started': time.strftime('%Y-%m-%dT%H:%M:%S'),
           'loadavg_before': open('/proc/loadavg').read().split()[:3]}
    # before the services start, so that nothing else runs on the CPUs
    res['hashing'] = hashing_speeds()
    try:
        t = time.time()
        sh(os.path.join(HERE, 'services.sh'), 'up', run, stdout=subprocess.DEVNULL)
        res['services_up_s'] = round(time.time() - t, 1)
        sh(PY, os.path.join(HERE, 'fixtures', 'fill.py'), a.objects, os.path.join(run, 'secrets.json'),
           os.path.join(run, 'objects.json'), stdout=subprocess.DEVNULL)
        t = time.time()
        objects = os.path.join(run, 'objects.json')
        pods_up(run, objects)
        res['pods_up_s'] = round(time.time() - t, 1)
        ops = GlanceOps(run)
        os.makedirs(os.path.join(run, 'images'), exist_ok=True)
        sizes = [int(x) for x in a.virtual_mib.split(',')]
        lists = []
        if a.servers:
            for k, path in enumerate(a.servers.split(',')):
                filled = os.path.join(run, 'objects-server-%d.json' % k)
                sh(PY, os.path.join(HERE, 'fixtures', 'fill.py'), path, os.path.join(run, 'secrets.json'), filled,
                   stdout=subprocess.DEVNULL)
                lists.append(filled)
            res['servers'] = compare_servers(ops, run, lists, sizes, a.images, a.data_mib)
            subprocess.run([PY, os.path.join(HERE, 'pods.py'), 'down', run], stdout=subprocess.DEVNULL)
            pods_up(run, objects)
        # OS_DEFAULT__WORKERS sets the eventlet server's processes; a WSGI server's come from its own configuration
        eventlet = [p for p in [objects] + lists if server_of(p) == 'glance-api']
        if not a.settings_only and eventlet:
            res['workers'] = compare_workers(ops, run, eventlet[0], sizes, [int(x) for x in a.workers.split(',')],
                                             a.images, a.data_mib)
        if a.settings:
            res['settings'] = compare_settings(ops, run, objects, sizes, a.settings.split(','), a.settings_images,
                                               a.data_mib, [kv.split('=', 1) for kv in a.pod_env])
        if not a.settings_only:
            res.update(compare_scenarios(ops, run, objects, sizes[0], a.images, a.data_mib, a.repeat))
    finally:
        subprocess.run([PY, os.path.join(HERE, 'pods.py'), 'down', run], stdout=subprocess.DEVNULL)
        subprocess.run([os.path.join(HERE, 'services.sh'), 'down', run], stdout=subprocess.DEVNULL)
        subprocess.run(['rm', '-rf', os.path.join(run, 'images')])
    res['loadavg_after'] = open('/proc/loadavg').read().split()[:3]
    with open(a.out, 'w') as f:
        json.dump(res, f, indent=1)
    med = lambda xs: round(statistics.median(xs), 2)  # noqa: E731
    print('\n%d qcow2 images, %s MiB virtual / %d MiB data each; services up %ss, pods up %ss'
          % (a.settings_images if a.settings_only and not a.servers else a.images, a.virtual_mib, a.data_mib, res['services_up_s'],
             res['pods_up_s']))
    if res.get('workers'):
        print('\n%-12s %8s %10s %8s %22s %10s' % ('virtual MiB', 'workers', 'wall (s)', 'active', 'imports/min, one pod',
                                             'ratio'))
    for r in res.get('workers', []):
        base = [b for b in res['workers'] if b['virtual_mib'] == r['virtual_mib']][0]
        print('%-12d %8d %10.2f %5d/%d %22.2f %10.2f' % (r['virtual_mib'], r['workers'], r['wall_s'], r['active'], r['n'],
                                                       r['imports_per_minute_per_pod'],
                                                       r['imports_per_minute_per_pod'] / base['imports_per_minute_per_pod']))
    if res.get('servers'):
        print('\n%-12s %-12s %10s %8s %22s %10s %16s' % ('virtual MiB', 'server', 'wall (s)', 'active',
                                                      'imports/min, one pod', 'ratio', 'alone (s)'))
        for r in res['servers']:
            if 'alone_s' in r:
                print('%-12d %-12s %68.2f %s' % (r['virtual_mib'], r['server'], r['alone_s'], r['state']))
                continue
            base = [b for b in res['servers'] if b['virtual_mib'] == r['virtual_mib'] and 'alone_s' not in b][0]
            print('%-12d %-12s %10.2f %5d/%d %22.2f %10.2f' % (r['virtual_mib'], r['server'], r['wall_s'], r['active'],
                                                             r['n'], r['imports_per_minute_per_pod'],
                                                             r['imports_per_minute_per_pod'] / base['imports_per_minute_per_pod']))
    if res.get('settings'):
        print('\n%-12s %-52s %12s %10s %14s' % ('virtual MiB', 'variant (one pod, serial imports)', 'median (s)',
                                                'ratio', 'RADOS objects'))
        for r in res['settings']:
            print('%-12d %-52s %12.2f %10.3f %14s' % (r['virtual_mib'], r['variant'], r['median_s'],
                                                    r['ratio_to_rendered'], r['rados_objects'][0]))
    if 'serial' in res:
        print('%-44s %10s %8s' % ('scenario', 'wall (s)', 'active'))
        for key, label in (('spread', 'staged across 3 pods, imported via others'),
                           ('single', 'all staged on pod 0, imported via pods 1,2')):
            for r in res[key]:
                print('%-44s %10.2f %5d/%d' % (label, r['wall_s'], r['active'], r['n']))
        print('\n%-6s %-7s %14s %16s %15s %20s' % ('image', 'state', 'glance import', 'qemu-img convert',
                                                    'rbd import', 'convert+rbd import'))
        for s in res['serial']:
            print('%-6d %-7s %13.2fs %15.2fs %14.2fs %19.2fs' % (s['image'], s['state'], s['glance_import_s'],
                                                               s['qemu_img_convert_s'], s['rbd_import_s'],
                                                               s['bare_pipeline_s']))
        print('median: glance import %ss, qemu-img convert %ss, convert + rbd import %ss'
              % (med([s['glance_import_s'] for s in res['serial']]), med([s['qemu_img_convert_s'] for s in res['serial']]),
                 med([s['bare_pipeline_s'] for s in res['serial']])))
    print_hashing(res['hashing'])
    print('JSON: %s' % os.path.abspath(a.out))


if __name__ == '__main__':
    main()
