"""What the e2e test modules share: driving pods.py, the replica count the tests need, and the
runner that prints "N passed, N failed" (a failed module set-up fails every test)."""
import atexit
import os
import signal
import subprocess
import sys
import time
import unittest

PY = '/usr/bin/python3'
E2E = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def pods(*args, check=True):
    """Runs pods.py; with check, raises on failure and returns the seconds it took, else the result."""
    t0 = time.time()
    r = subprocess.run([PY, os.path.join(E2E, 'pods.py')] + list(args), capture_output=True, text=True)
    sys.stderr.write(r.stdout + r.stderr)
    if check and r.returncode != 0:
        raise RuntimeError('pods.py %s failed (rc %s)' % (args[0], r.returncode))
    return r if not check else time.time() - t0


def pods_up_with_images(run_dir, objects, sts, specs, images):
    """Starts the List's pods (pods.py up, 3 of them) while the test images are made, in RUN/images: specs maps a name to
    (virtual MiB, data MiB, seed) of a qcow2; `images` gets name -> path. Returns the seconds the pods took."""
    import threading
    sys.path.insert(0, E2E)
    from glance_ops import make_qcow2
    os.makedirs(os.path.join(run_dir, 'images'), exist_ok=True)

    def work():
        for name, (virtual, data, seed) in specs.items():
            p = os.path.join(run_dir, 'images', name + '.qcow2')
            if os.path.exists(p):
                os.unlink(p)
            make_qcow2(p, virtual, data, seed)
            images[name] = p
    th = threading.Thread(target=work)
    th.start()
    try:
        dt = pods('up', run_dir, objects, *replicas_args(sts))
        sys.stderr.write('[test] pods up in %.1fs\n' % dt)
        return dt
    finally:
        th.join()


def container_pids(run_dir, pod):
    """The processes of a pod's first container: the process group of its main process (RUN/pods/POD/pid)."""
    sys.path.insert(0, E2E)
    import pods as pods_mod
    return pods_mod.group_pids(int(open(os.path.join(run_dir, 'pods', pod, 'pid')).read().strip()))


def access_log_line(method, path, status):
    """A regex for one request in glance-api's access log: eventlet's and httpd's "METHOD PATH HTTP/1.1" STATUS, or
    uWSGI's METHOD PATH => generated ... (HTTP/1.1 STATUS)."""
    return r'"%s %s HTTP/1\.1" %d|%s %s => generated .*\(HTTP/1\.1 %d\)' % (method, path, status, method, path, status)


def pods_down(run_dir):
    """A module's tearDownModule: every pod stopped, whatever happened."""
    try:
        pods('down', run_dir)
    except Exception as e:  # pragma: no cover
        sys.stderr.write('pods down: %s\n' % e)


def replicas_args(sts):
    """The tests need pods 0, 1 and 2: a StatefulSet with fewer replicas runs with --replicas 3
    (E2E_REPLICAS overrides)."""
    if os.environ.get('E2E_REPLICAS'):
        return ['--replicas', os.environ['E2E_REPLICAS']]
    n = int(sts['spec'].get('replicas', 1))
    if n < 3:
        sys.stderr.write('[test] the List has replicas=%d; the tests need 3 pods: --replicas 3\n' % n)
        return ['--replicas', '3']
    return []


def _on_signal(signum, frame):
    raise KeyboardInterrupt('signal %d' % signum)


def main(case, run_dir):
    """Runs the test_* methods of `case` (E2E_TESTS=substring,... selects), stopping every pod at exit."""
    signal.signal(signal.SIGTERM, _on_signal)
    atexit.register(lambda: run_dir and subprocess.run([PY, os.path.join(E2E, 'pods.py'), 'down', run_dir],
                                                       capture_output=True))
    names = sorted(n for n in dir(case) if n.startswith('test_'))
    only = os.environ.get('E2E_TESTS')
    if only:
        names = [n for n in names if any(o in n for o in only.split(','))]
    suite = unittest.TestSuite([case(n) for n in names])
    t0 = time.time()
    res = unittest.TextTestRunner(verbosity=2, stream=sys.stderr).run(suite)
    # count tests, not subtests; a failed module set-up fails every test
    bad = {getattr(t, 'test_case', t).id() for t, _ in res.failures + res.errors}
    bad |= {t.id() for t in res.unexpectedSuccesses}
    setup_failed = any('setUpModule' in i or 'tearDownModule' in i for i in bad)
    bad = {i for i in bad if i.startswith('__main__.' + case.__name__ + '.')}
    failed = len(names) if setup_failed and not res.testsRun else len(bad) + (1 if setup_failed and res.testsRun else 0)
    passed = max(res.testsRun - len(bad) - len(res.skipped), 0) if not (setup_failed and not res.testsRun) else 0
    sys.stderr.flush()
    print('tests took %.1fs' % (time.time() - t0))
    print('%d passed, %d failed' % (passed, failed))
    return 0 if failed == 0 and passed > 0 else 1
