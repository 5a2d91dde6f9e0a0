#!/usr/bin/python3
"""Materialise the pods of a StatefulSet from a Kubernetes `List` (JSON) as local processes.

    pods.py up   RUNDIR OBJECTS.json [--replicas N] [--only i,j] [--sts NAME] [--timeout S]
    pods.py down RUNDIR [--only i,j]
    pods.py info RUNDIR            # JSON: pods, ips, urls, claim dirs, log files

Each pod i of StatefulSet X in namespace NS becomes:
  * its own mount + UTS namespace (`unshare --mount --uts --propagation private`), hostname X-i;
  * its own loopback IP 127.0.1.(i+1) (= status.podIP), every server binds there itself;
  * an /etc/hosts (bind-mounted) resolving X-<j>.<serviceName>.NS.svc[.cluster.local] of every
    replica, every Service of the List (<svc>.NS.svc) to pod 0, and localhost;
  * Debian's /etc/glance/glance-api.conf hidden behind an empty file (a container image has none);
  * the container's volumes materialised from the List (configMap, secret, projected, emptyDir,
    persistentVolumeClaim, volumeClaimTemplates, hostPath) and bind-mounted at their mountPaths
    (subPath, readOnly honoured; configMap/secret/projected always read-only, as in the kubelet);
    claim directories live in RUNDIR/pvc/<claim> and survive pod restarts, like PVCs;
  * the container's env (value with $(VAR) expansion, fieldRef, secretKeyRef, configMapKeyRef,
    envFrom) and `command` + `args` ($(VAR) expanded), exec'd as is;
  * securityContext.readOnlyRootFilesystem: / is remounted read-only in the pod's namespace
    (E2E_IGNORE_READONLY_ROOT=1 turns that off); runAsUser/fsGroup are NOT modelled (root);
  * stdout+stderr in RUNDIR/pods/X-i/container.log; readiness = the container's readinessProbe.
Stdlib only; run with /usr/bin/python3 as root.
"""
import argparse
import base64
import ctypes
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

PY = '/usr/bin/python3'
POD_NET = '127.0.1.'
HIDE_FILES = ['/etc/glance/glance-api.conf']   # Debian debconf values, not in a container image
BASE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'


def log(msg):
    print('[pods] %s' % msg, flush=True)


# ----------------------------------------------------------------------------- List handling
def load_items(path):
    """Items of a Kubernetes List in JSON (also accepted: a single object, a JSON array, or YAML
    documents / a YAML List when python3-yaml is installed)."""
    with open(path) as f:
        text = f.read()
    try:
        docs = [json.loads(text)]
    except ValueError:
        import yaml
        docs = [d for d in yaml.safe_load_all(text) if d]
    items = []
    for d in docs:
        if isinstance(d, list):
            items += d
        elif 'items' in d and (d.get('kind', '').endswith('List') or 'kind' not in d):
            items += d['items']
        else:
            items.append(d)
    return items


class Objects:
    def __init__(self, path):
        self.items = load_items(path)

    def get(self, kind, name, ns=None):
        for o in self.items:
            md = o.get('metadata', {})
            if o.get('kind') == kind and md.get('name') == name and \
                    (ns is None or md.get('namespace', ns) == ns):
                return o
        return None

    def of_kind(self, kind):
        return [o for o in self.items if o.get('kind') == kind]


def cm_data(obj):
    """ConfigMap -> {key: bytes}"""
    out = {k: v.encode() for k, v in (obj.get('data') or {}).items()}
    out.update({k: base64.b64decode(v) for k, v in (obj.get('binaryData') or {}).items()})
    return out


def secret_data(obj):
    """Secret -> {key: bytes} (data is base64, stringData plain)"""
    out = {k: base64.b64decode(v) for k, v in (obj.get('data') or {}).items()}
    out.update({k: v.encode() for k, v in (obj.get('stringData') or {}).items()})
    return out


# ----------------------------------------------------------------------------- $(VAR) expansion
def expand(s, env):
    """Kubernetes third_party/forked/golang/expansion semantics: $(VAR) -> value if VAR is
    defined, else left verbatim; $$ -> $; anything else verbatim."""
    if s is None:
        return s
    out = []
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if c == '$' and i + 1 < n:
            nx = s[i + 1]
            if nx == '$':
                out.append('$')
                i += 2
                continue
            if nx == '(':
                j = s.find(')', i + 2)
                if j < 0:
                    out.append(s[i:])
                    break
                name = s[i + 2:j]
                if name in env:
                    out.append(env[name])
                else:
                    out.append(s[i:j + 1])
                i = j + 1
                continue
        out.append(c)
        i += 1
    return ''.join(out)


# ----------------------------------------------------------------------------- pod model
class PodCtx:
    def __init__(self, objs, sts, index, rundir):
        self.objs, self.sts, self.i, self.rundir = objs, sts, index, rundir
        md = sts['metadata']
        self.sts_name = md['name']
        self.ns = md.get('namespace') or 'default'
        self.name = '%s-%d' % (self.sts_name, index)
        self.ip = POD_NET + str(index + 1)
        self.dir = os.path.join(rundir, 'pods', self.name)
        self.tpl = sts['spec']['template']
        self.pod_spec = self.tpl['spec']
        self.container = self.pod_spec['containers'][0]
        self.labels = dict(self.tpl.get('metadata', {}).get('labels') or {})
        self.labels['statefulset.kubernetes.io/pod-name'] = self.name
        self.labels['apps.kubernetes.io/pod-index'] = str(index)
        self.annotations = dict(self.tpl.get('metadata', {}).get('annotations') or {})

    def ref(self, kind, name, optional=False):
        o = self.objs.get(kind, name, self.ns)
        if o is None and not optional:
            raise SystemExit('%s: %s %s/%s referenced by the pod spec is not in the List'
                             % (self.name, kind, self.ns, name))
        return o

    def field(self, path):
        m = re.match(r"metadata\.(labels|annotations)\['(.+)'\]$", path)
        if m:
            return (self.labels if m.group(1) == 'labels' else self.annotations).get(m.group(2), '')
        return {
            'metadata.name': self.name,
            'metadata.namespace': self.ns,
            'metadata.uid': 'e2e-%s-%s' % (self.ns, self.name),
            'status.podIP': self.ip,
            'status.podIPs': self.ip,
            'status.hostIP': '127.0.0.1',
            'status.hostIPs': '127.0.0.1',
            'spec.nodeName': socket.gethostname(),
            'spec.serviceAccountName': self.pod_spec.get('serviceAccountName', 'default'),
        }.get(path, '')

    def env(self):
        c = self.container
        env = {'PATH': BASE_PATH, 'HOSTNAME': self.name, 'HOME': '/root', 'LANG': 'C.UTF-8'}
        for ef in c.get('envFrom') or []:
            prefix = ef.get('prefix', '')
            if 'configMapRef' in ef:
                r = ef['configMapRef']
                o = self.ref('ConfigMap', r['name'], r.get('optional', False))
                data = cm_data(o) if o else {}
            else:
                r = ef['secretRef']
                o = self.ref('Secret', r['name'], r.get('optional', False))
                data = secret_data(o) if o else {}
            for k, v in data.items():
                env[prefix + k] = v.decode()
        defined = {}   # only vars of the env list itself (and envFrom) take part in $(VAR) expansion
        defined.update({k: v for k, v in env.items() if k not in ('PATH', 'HOSTNAME', 'HOME', 'LANG')})
        for e in c.get('env') or []:
            name = e['name']
            if 'valueFrom' not in e:
                val = expand(e.get('value', ''), defined)
            else:
                vf = e['valueFrom']
                if 'fieldRef' in vf:
                    val = self.field(vf['fieldRef']['fieldPath'])
                elif 'secretKeyRef' in vf:
                    r = vf['secretKeyRef']
                    o = self.ref('Secret', r['name'], r.get('optional', False))
                    d = secret_data(o) if o else {}
                    if r['key'] not in d and not r.get('optional'):
                        raise SystemExit('%s: key %s missing in Secret %s' % (self.name, r['key'], r['name']))
                    val = d.get(r['key'], b'').decode()
                elif 'configMapKeyRef' in vf:
                    r = vf['configMapKeyRef']
                    o = self.ref('ConfigMap', r['name'], r.get('optional', False))
                    d = cm_data(o) if o else {}
                    if r['key'] not in d and not r.get('optional'):
                        raise SystemExit('%s: key %s missing in ConfigMap %s' % (self.name, r['key'], r['name']))
                    val = d.get(r['key'], b'').decode()
                else:   # resourceFieldRef etc.: not modelled
                    val = ''
            defined[name] = val
            env[name] = val
        return env

    def argv(self, env):
        c = self.container
        cmd = c.get('command') or []
        args = c.get('args') or []
        if not cmd:
            raise SystemExit('%s: container %s has no command (no image entrypoint to fall back on)'
                             % (self.name, c.get('name')))
        defined = {k: v for k, v in env.items()}
        return [expand(a, defined) for a in cmd + args]

    # ---- volumes
    def claim_dir(self, claim):
        return os.path.join(self.rundir, 'pvc', claim)

    def _write_items(self, dest, data, items, mode, what):
        if items:
            for it in items:
                if it['key'] not in data:
                    if it.get('optional'):
                        continue
                    raise SystemExit('%s: key %s missing in %s' % (self.name, it['key'], what))
                self._write(dest, it.get('path', it['key']), data[it['key']], it.get('mode', mode))
        else:
            for k, v in data.items():
                self._write(dest, k, v, mode)

    @staticmethod
    def _write(dest, rel, content, mode):
        p = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, 'wb') as f:
            f.write(content)
        os.chmod(p, mode if mode is not None else 0o644)

    def volumes(self):
        """-> {volume name: (host path, always_read_only)}"""
        vols = {}
        vdir = os.path.join(self.dir, 'volumes')
        for v in self.pod_spec.get('volumes') or []:
            name = v['name']
            d = os.path.join(vdir, name)
            if 'emptyDir' in v:
                os.makedirs(d, exist_ok=True)
                os.chmod(d, 0o777)
                vols[name] = (d, False)
            elif 'persistentVolumeClaim' in v:
                c = self.claim_dir(v['persistentVolumeClaim']['claimName'])
                os.makedirs(c, exist_ok=True)
                vols[name] = (c, bool(v['persistentVolumeClaim'].get('readOnly')))
            elif 'hostPath' in v:
                vols[name] = (v['hostPath']['path'], False)
            elif 'configMap' in v:
                s = v['configMap']
                o = self.ref('ConfigMap', s['name'], s.get('optional', False))
                os.makedirs(d, exist_ok=True)
                if o:
                    self._write_items(d, cm_data(o), s.get('items'), s.get('defaultMode', 0o644),
                                      'ConfigMap ' + s['name'])
                vols[name] = (d, True)
            elif 'secret' in v:
                s = v['secret']
                o = self.ref('Secret', s['secretName'], s.get('optional', False))
                os.makedirs(d, exist_ok=True)
                if o:
                    self._write_items(d, secret_data(o), s.get('items'), s.get('defaultMode', 0o644),
                                      'Secret ' + s['secretName'])
                vols[name] = (d, True)
            elif 'projected' in v:
                p = v['projected']
                mode = p.get('defaultMode', 0o644)
                os.makedirs(d, exist_ok=True)
                for src in p.get('sources') or []:
                    if 'configMap' in src:
                        s = src['configMap']
                        o = self.ref('ConfigMap', s['name'], s.get('optional', False))
                        if o:
                            self._write_items(d, cm_data(o), s.get('items'), mode, 'ConfigMap ' + s['name'])
                    elif 'secret' in src:
                        s = src['secret']
                        o = self.ref('Secret', s['name'], s.get('optional', False))
                        if o:
                            self._write_items(d, secret_data(o), s.get('items'), mode, 'Secret ' + s['name'])
                    elif 'downwardAPI' in src:
                        for it in src['downwardAPI'].get('items') or []:
                            if 'fieldRef' in it:
                                self._write(d, it['path'], self.field(it['fieldRef']['fieldPath']).encode(),
                                            it.get('mode', mode))
                    else:
                        raise SystemExit('%s: unsupported projected source %s' % (self.name, list(src)))
                vols[name] = (d, True)
            else:
                raise SystemExit('%s: unsupported volume type in %s' % (self.name, json.dumps(v)))
        # volumeClaimTemplates: template T gives pod i the claim T-<sts>-<i>
        for t in self.sts['spec'].get('volumeClaimTemplates') or []:
            tname = t['metadata']['name']
            c = self.claim_dir('%s-%s' % (tname, self.name))
            os.makedirs(c, exist_ok=True)
            vols[tname] = (c, False)
        return vols

    def mounts(self, vols):
        out = []
        for m in self.container.get('volumeMounts') or []:
            if m['name'] not in vols:
                raise SystemExit('%s: volumeMount %s has no volume' % (self.name, m['name']))
            src, ro = vols[m['name']]
            if m.get('subPath'):
                src = os.path.join(src, m['subPath'])
                if not os.path.exists(src):
                    os.makedirs(src, exist_ok=True)
            out.append({'src': src, 'dst': m['mountPath'], 'ro': bool(ro or m.get('readOnly'))})
        # parents before children
        out.sort(key=lambda x: x['dst'].rstrip('/').count('/'))
        return out

    def readiness(self):
        c = self.container
        probe = c.get('readinessProbe') or c.get('startupProbe') or {}
        ports = {p.get('name'): p['containerPort'] for p in c.get('ports') or [] if p.get('name')}
        if 'httpGet' in probe:
            h = probe['httpGet']
            port = h['port']
            port = ports.get(port, port) if isinstance(port, str) else port
            return {'type': 'http', 'url': '%s://%s:%s%s' % (h.get('scheme', 'HTTP').lower(),
                                                           h.get('host') or self.ip, port, h.get('path', '/'))}
        if 'tcpSocket' in probe:
            port = probe['tcpSocket']['port']
            port = ports.get(port, port) if isinstance(port, str) else port
            return {'type': 'tcp', 'host': self.ip, 'port': int(port)}
        cp = (c.get('ports') or [{}])[0].get('containerPort')
        return {'type': 'tcp', 'host': self.ip, 'port': int(cp)} if cp else {'type': 'none'}


def hosts_file(objs, sts, replicas):
    md = sts['metadata']
    x, ns = md['name'], md.get('namespace') or 'default'
    svc = sts['spec'].get('serviceName') or (x + '-headless')
    lines = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback']
    for j in range(replicas):
        ip = POD_NET + str(j + 1)
        lines.append('%s\t%s-%d.%s.%s.svc %s-%d.%s.%s.svc.cluster.local %s-%d'
                     % (ip, x, j, svc, ns, x, j, svc, ns, x, j))
    names = []
    for s in objs.of_kind('Service'):
        n = s['metadata']['name']
        sns = s['metadata'].get('namespace') or ns
        names += ['%s.%s.svc' % (n, sns), '%s.%s.svc.cluster.local' % (n, sns)]
    if not any(n.startswith('%s.%s.' % (x, ns)) for n in names):
        names += ['%s.%s.svc' % (x, ns), '%s.%s.svc.cluster.local' % (x, ns)]
    lines.append('%s\t%s' % (POD_NET + '1', ' '.join(names)))
    return '\n'.join(lines) + '\n'


# ----------------------------------------------------------------------------- process helpers
def alive(pid):
    try:
        with open('/proc/%d/stat' % pid) as f:
            st = f.read().rsplit(')', 1)[1].split()[0]
        return st not in ('Z', 'X')
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False


def group_pids(pgid):
    out = []
    for d in os.listdir('/proc'):
        if d.isdigit():
            try:
                with open('/proc/%s/stat' % d) as f:
                    fields = f.read().rsplit(')', 1)[1].split()
                if int(fields[2]) == pgid and fields[0] not in ('Z', 'X'):
                    out.append(int(d))
            except (OSError, IndexError, ValueError):
                pass
    return out


def stop_pods(pods, timeout=15):
    """pods = [(pod dir, name)]: SIGTERM every pod's process group at once, wait up to `timeout`
    seconds (state Z counts as gone), then SIGKILL what is left."""
    todo = []
    for pdir, name in pods:
        pf = os.path.join(pdir, 'pid')
        if not os.path.exists(pf):
            continue
        pid = int(open(pf).read().strip())
        # the pod's process group: pgid == leader pid (started with setsid)
        for p in set(group_pids(pid) + ([pid] if alive(pid) else [])):
            try:
                os.kill(p, signal.SIGTERM)
            except ProcessLookupError:
                pass
        todo.append((pf, name, pid))
    t0 = time.time()
    while time.time() - t0 < timeout and any(group_pids(pid) or alive(pid) for _, _, pid in todo):
        time.sleep(0.1)
    for pf, name, pid in todo:
        left = set(group_pids(pid) + ([pid] if alive(pid) else []))
        for p in left:
            try:
                os.kill(p, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if left:
            log('%s: SIGKILLed %s' % (name, sorted(left)))
        os.unlink(pf)
        log('%s stopped (pid %d)' % (name, pid))


def stop_pod(pdir, name, timeout=15):
    stop_pods([(pdir, name)], timeout)


def port_busy(host, port):
    s = socket.socket()
    s.settimeout(0.3)
    try:
        return s.connect_ex((host, port)) == 0
    finally:
        s.close()


def probe_ok(r):
    if r['type'] == 'http':
        try:
            with urllib.request.urlopen(r['url'], timeout=2) as resp:
                return 200 <= resp.status < 400
        except Exception:
            return False
    if r['type'] == 'tcp':
        return port_busy(r['host'], r['port'])
    return True


# ----------------------------------------------------------------------------- commands
def parse_only(s):
    return None if not s else [int(x) for x in s.split(',') if x != '']


def pick_sts(objs, name):
    stss = objs.of_kind('StatefulSet')
    if name:
        stss = [s for s in stss if s['metadata']['name'] == name]
    if len(stss) != 1:
        raise SystemExit('need exactly one StatefulSet in the List (use --sts), found %d' % len(stss))
    return stss[0]


def lint(sts):
    """Warnings (never errors) about what the glance e2e tests rely on."""
    spec = sts['spec']
    c = spec['template']['spec']['containers'][0]
    env = {e['name']: e for e in c.get('env') or []}
    mounts = {m['mountPath'].rstrip('/'): m['name'] for m in c.get('volumeMounts') or []}
    claims = {t['metadata']['name'] for t in spec.get('volumeClaimTemplates') or []}
    warn = []
    if c.get('name') != 'glance-api':
        warn.append('containers[0] is named %r, expected glance-api' % c.get('name'))
    if not spec.get('serviceName'):
        warn.append('spec.serviceName is empty: pods get no per-pod DNS name')
    if 'OS_DEFAULT__WORKER_SELF_REFERENCE_URL' not in env:
        warn.append('no OS_DEFAULT__WORKER_SELF_REFERENCE_URL env (must then come from the config file)')
    if mounts.get('/var/lib/glance') not in claims:
        warn.append('/var/lib/glance is not a volumeClaimTemplate mount: staging is not per pod')
    if not (c.get('readinessProbe') or {}).get('httpGet'):
        warn.append('no httpGet readinessProbe')
    for w in warn:
        log('warning: ' + w)


def cmd_up(a):
    rundir = os.path.abspath(a.rundir)
    objs = Objects(a.objects)
    sts = pick_sts(objs, a.sts)
    lint(sts)
    replicas = a.replicas if a.replicas is not None else int(sts['spec'].get('replicas', 1))
    idx = parse_only(a.only) or list(range(replicas))
    os.makedirs(os.path.join(rundir, 'pods'), exist_ok=True)
    with open(os.path.join(rundir, 'pods', 'hosts'), 'w') as f:
        f.write(hosts_file(objs, sts, replicas))
    empty = os.path.join(rundir, 'pods', 'empty')
    open(empty, 'w').close()
    started = []
    t0 = time.time()
    # a StatefulSet never runs two pods of one identity: stop the old ones first (all at once)
    stop_pods([(PodCtx(objs, sts, i, rundir).dir, PodCtx(objs, sts, i, rundir).name) for i in idx])
    for i in idx:
        ctx = PodCtx(objs, sts, i, rundir)
        # pod sandbox: fresh (emptyDir & rendered volumes are per pod lifetime); claims persist
        if os.path.isdir(ctx.dir):
            shutil.rmtree(ctx.dir)
        os.makedirs(ctx.dir)
        env = ctx.env()
        argv = ctx.argv(env)
        vols = ctx.volumes()
        mounts = ctx.mounts(vols)
        rd = ctx.readiness()
        for p in ctx.container.get('ports') or []:
            if port_busy(ctx.ip, p['containerPort']):
                raise SystemExit('%s: %s:%s already in use' % (ctx.name, ctx.ip, p['containerPort']))
        spec = {'name': ctx.name, 'ip': ctx.ip, 'argv': argv, 'env': env,
                'workdir': ctx.container.get('workingDir') or '/',
                'hosts': os.path.join(rundir, 'pods', 'hosts'), 'empty': empty,
                'hide': HIDE_FILES, 'mounts': mounts, 'readiness': rd,
                'readonly_root': bool((ctx.container.get('securityContext') or {}).get('readOnlyRootFilesystem'))
                and os.environ.get('E2E_IGNORE_READONLY_ROOT') != '1'}
        with open(os.path.join(ctx.dir, 'launch.json'), 'w') as f:
            json.dump(spec, f, indent=1)
        logf = open(os.path.join(ctx.dir, 'container.log'), 'ab')
        p = subprocess.Popen(['unshare', '--mount', '--uts', '--propagation', 'private',
                              PY, os.path.abspath(__file__), '_exec', os.path.join(ctx.dir, 'launch.json')],
                             stdin=subprocess.DEVNULL, stdout=logf, stderr=subprocess.STDOUT,
                             start_new_session=True, close_fds=True)
        logf.close()
        with open(os.path.join(ctx.dir, 'pid'), 'w') as f:
            f.write(str(p.pid))
        started.append((ctx, p, rd))
        log('%s launched pid %d ip %s: %s' % (ctx.name, p.pid, ctx.ip, ' '.join(argv)))
    try:
        wait_ready(started, t0, a.timeout)
    except BaseException:
        stop_pods([(ctx.dir, ctx.name) for ctx, _, _ in started])
        raise
    write_info(objs, sts, rundir, replicas)
    log('%d pod(s) ready in %.1fs' % (len(started), time.time() - t0))


def wait_ready(started, t0, timeout):
    pending = list(started)
    while pending:
        for item in list(pending):
            ctx, p, rd = item
            if p.poll() is not None:
                tail = open(os.path.join(ctx.dir, 'container.log'), errors='replace').read()[-3000:]
                raise SystemExit('%s exited with %s before becoming ready; log tail:\n%s'
                                 % (ctx.name, p.returncode, tail))
            if probe_ok(rd):
                log('%s ready after %.1fs' % (ctx.name, time.time() - t0))
                pending.remove(item)
        if pending and time.time() - t0 > timeout:
            raise SystemExit('not ready after %ss: %s' % (timeout, [c.name for c, _, _ in pending]))
        if pending:
            time.sleep(0.2)


def write_info(objs, sts, rundir, replicas):
    info = {'statefulset': sts['metadata']['name'], 'namespace': sts['metadata'].get('namespace') or 'default',
            'replicas': replicas, 'pods': []}
    for i in range(replicas):
        ctx = PodCtx(objs, sts, i, rundir)
        ports = [p['containerPort'] for p in ctx.container.get('ports') or []] or [9292]
        claims = {t['metadata']['name']: ctx.claim_dir('%s-%s' % (t['metadata']['name'], ctx.name))
                  for t in sts['spec'].get('volumeClaimTemplates') or []}
        mounts = {m['mountPath']: m['name'] for m in ctx.container.get('volumeMounts') or []}
        info['pods'].append({'index': i, 'name': ctx.name, 'ip': ctx.ip,
                             'url': 'http://%s:%d' % (ctx.ip, ports[0]),
                             'dns_url': 'http://%s.%s.%s.svc:%d' % (ctx.name, sts['spec'].get('serviceName'),
                                                                    ctx.ns, ports[0]),
                             'log': os.path.join(ctx.dir, 'container.log'),
                             'claims': claims, 'mounts': mounts})
    with open(os.path.join(rundir, 'pods', 'info.json'), 'w') as f:
        json.dump(info, f, indent=1)


def cmd_down(a):
    rundir = os.path.abspath(a.rundir)
    pdir = os.path.join(rundir, 'pods')
    if not os.path.isdir(pdir):
        return
    only = parse_only(a.only)
    todo = []
    for name in sorted(os.listdir(pdir)):
        d = os.path.join(pdir, name)
        if not os.path.isdir(d):
            continue
        if only is not None and int(name.rsplit('-', 1)[1]) not in only:
            continue
        todo.append((d, name))
    stop_pods(todo)


def cmd_info(a):
    print(open(os.path.join(a.rundir, 'pods', 'info.json')).read())


# ----------------------------------------------------------------------------- inside the pod
libc = ctypes.CDLL(None, use_errno=True)
MS_RDONLY, MS_REMOUNT, MS_BIND, MS_REC = 1, 32, 4096, 16384


def _mount(src, dst, flags):
    if libc.mount(src.encode(), dst.encode(), None, flags, None) != 0:
        e = ctypes.get_errno()
        raise OSError(e, 'mount %s -> %s: %s' % (src, dst, os.strerror(e)))


def bind(src, dst, ro):
    if not os.path.exists(dst):   # the mount point must exist (created on the shared filesystem)
        if os.path.isdir(src):
            os.makedirs(dst, exist_ok=True)
        else:
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            open(dst, 'a').close()
    _mount(src, dst, MS_BIND | MS_REC)
    if ro:
        _mount(src, dst, MS_BIND | MS_REMOUNT | MS_RDONLY)


def cmd_exec(path):
    spec = json.load(open(path))
    socket.sethostname(spec['name'])
    # Open every source first: a mount at e.g. /tmp may hide a RUNDIR that lives under /tmp.
    # Bind mounts then use the /proc/self/fd/N magic links, which still reach the originals.
    plan = [(spec['hosts'], '/etc/hosts', True)]
    plan += [(spec['empty'], h, True) for h in spec['hide'] if os.path.exists(h)]
    plan += [(m['src'], m['dst'], m['ro']) for m in spec['mounts']]
    fds = [os.open(src, os.O_PATH) for src, _, _ in plan]
    for fd, (src, dst, ro) in zip(fds, plan):
        bind('/proc/self/fd/%d' % fd, dst, ro)
    for fd in fds:
        os.close(fd)
    if spec.get('readonly_root'):
        # securityContext.readOnlyRootFilesystem: only the mounted volumes stay writable.  Only this
        # namespace's copy of the / mount changes (private propagation); /dev, /proc, /sys stay as they are.
        _mount('none', '/', MS_BIND | MS_REMOUNT | MS_RDONLY)
    os.chdir(spec['workdir'])
    sys.stdout.flush()
    argv = spec['argv']
    os.execvpe(argv[0], argv, spec['env'])


def main():
    if len(sys.argv) == 3 and sys.argv[1] == '_exec':
        return cmd_exec(sys.argv[2])
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest='cmd', required=True)
    u = sub.add_parser('up')
    u.add_argument('rundir')
    u.add_argument('objects')
    u.add_argument('--replicas', type=int)
    u.add_argument('--only')
    u.add_argument('--sts')
    u.add_argument('--timeout', type=float, default=240)
    d = sub.add_parser('down')
    d.add_argument('rundir')
    d.add_argument('--only')
    i = sub.add_parser('info')
    i.add_argument('rundir')
    a = ap.parse_args()
    {'up': cmd_up, 'down': cmd_down, 'info': cmd_info}[a.cmd](a)


if __name__ == '__main__':
    main()
