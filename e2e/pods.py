#!/usr/bin/python3
"""Materialise the pods of a StatefulSet from a Kubernetes `List` (JSON) as local processes.

    pods.py up   RUNDIR OBJECTS.json [--replicas N] [--only i,j] [--sts NAME] [--timeout S]
                 [--env CONTAINER:NAME=VALUE ...]
    pods.py pod  RUNDIR OBJECTS.json --name POD --ip IP [--sts NAME]   # a bare Pod of the List
    pods.py down RUNDIR [--only i,j]
    pods.py delete RUNDIR OBJECTS.json --only i,j [--sts NAME]   # as the kubelet stops a deleted pod (see below)
    pods.py kill RUNDIR --only i,j [--container NAME]            # SIGKILL a container: an OOM kill, a node crash
    pods.py info RUNDIR            # JSON: pods, ips, urls (scheme), dns names, claim dirs, log files
    pods.py job  RUNDIR OBJECTS.json --cronjob NAME | --job NAME [--env C:N=V ...] [--timeout S]

Each pod i of StatefulSet X in namespace NS becomes:
  * one process per container (containers[*]; initContainers only run in `job`), each in its own
    mount + UTS namespace (`unshare --mount --uts --propagation private`, hostname X-i) with only
    the volumeMounts that container declares; all containers of a pod share its IP and volumes;
  * its own loopback IP 127.0.1.(i+1) (= status.podIP), every server binds there itself;
  * an /etc/hosts (RUNDIR/pods/X-i/hosts, bind-mounted) resolving `localhost` to the POD's OWN IP
    (the pod's private loopback; no ::1 localhost), X-<j>.<serviceName>.NS.svc[.cluster.local] of
    every replica, and every Service of the List (<svc>.NS.svc) to pod 0;
  * Debian's /etc/glance/glance-api.conf hidden behind an empty file (a container image has none);
  * the volumes materialised from the List (configMap, secret, projected, emptyDir,
    persistentVolumeClaim, volumeClaimTemplates, hostPath) and bind-mounted at their mountPaths
    (subPath, readOnly honoured; configMap/secret/projected always read-only, as in the kubelet);
    claim directories live in RUNDIR/pvc/<claim> and survive pod restarts, like PVCs;
  * each container's env (value with $(VAR) expansion, fieldRef, secretKeyRef, configMapKeyRef,
    envFrom; `--env` overrides or adds a value) and `command` + `args` ($(VAR) expanded), exec'd;
  * securityContext.readOnlyRootFilesystem (per container): / is remounted read-only in that
    namespace (E2E_IGNORE_READONLY_ROOT=1 turns that off);
  * E2E_GLANCE_ROOT=DIR (a root made by glance-root.sh; unset or `host`: the host's programs): each
    container is chrooted into DIR (its own bind of DIR, with /proc, /dev, /sys and the pod's mounts
    at DIR+mountPath), so its command is the root's; the network stays the host's;
  * runAsUser / runAsGroup / fsGroup / supplementalGroups (container securityContext over the pod's;
    modelled in root mode, or with E2E_RUN_AS=1; E2E_RUN_AS=0 turns it off): the process runs as
    that uid, gid (default: the uid's passwd entry in the root, else 0) and groups [fsGroup] +
    supplementalGroups, HOME from that passwd entry (else /); runAsNonRoot with uid 0 is refused.
    fsGroup as the kubelet applies it: configMap/secret/projected files group fsGroup and mode |= 0440
    (dirs |= 2550), emptyDir and claim dirs chgrp'ed recursively with files |= 0660, dirs |= 2770;
    the container's log file is owned by the user (a server reopening /dev/stderr needs that);
  * logs: containers[0] -> RUNDIR/pods/X-i/container.log, others -> RUNDIR/pods/X-i/<name>.log;
    pids: RUNDIR/pods/X-i/pid (containers[0]) and pid.<name>;
  * ready when every container's readinessProbe (else startupProbe) passes: httpGet (scheme HTTPS
    without certificate verification, as the kubelet) or tcpSocket, against the pod IP.
`delete` stops pods as the kubelet stops a pod that is deleted (a roll, a scale-down, a drain, an eviction): each
container's lifecycle.preStop exec runs inside that container (its mount + UTS namespace, root, working directory, user,
groups and environment, taken from its process) and the container
gets SIGTERM when its hook returns (at once without one; to its main process only, as the runtime sends it); after
terminationGracePeriodSeconds (default 30) from the start, hooks and containers still running are SIGKILLed, and
so is what a main process that exited left behind. Prints one JSON line per pod: the hook's seconds and output,
the seconds until the pod was gone, and whether anything had to be SIGKILLed.
`job` runs a Job's or CronJob's jobTemplate's pod once: initContainers in order, then the containers
side by side, each as above (pod IP 127.0.2.1, hostname <name>-e2e); persistentVolumeClaim volumes
are RUNDIR/pvc/<claimName> (the StatefulSet's claim dirs); logs in RUNDIR/jobs/<name>/<container>.log.
Exit status 1 if any container fails; one summary line.
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
import ssl
import stat
import subprocess
import sys
import time
import urllib.request

PY = '/usr/bin/python3'
POD_NET = '127.0.1.'
JOB_IP = '127.0.2.1'   # pod IP of `job` pods (they serve nothing)
HIDE_FILES = ['/etc/glance/glance-api.conf']   # Debian debconf values, not in a container image
BASE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
ROOT_STAMP = '.glance-root.stamp'


def glance_root():
    """E2E_GLANCE_ROOT: the root the containers run in, or None (the host's programs)"""
    d = os.environ.get('E2E_GLANCE_ROOT', '')
    if d in ('', 'host'):
        return None
    d = os.path.realpath(d)
    if not os.path.isfile(os.path.join(d, ROOT_STAMP)):
        raise SystemExit('E2E_GLANCE_ROOT=%s is not a root made by e2e/glance-root.sh (no %s)' % (d, ROOT_STAMP))
    return d


def models_users():
    """runAsUser/runAsGroup/fsGroup: on in root mode (the root is the image), off on the host (Debian's file
    modes are not an image's) unless E2E_RUN_AS=1; E2E_RUN_AS=0 turns it off"""
    v = os.environ.get('E2E_RUN_AS', '')
    return v == '1' if v in ('0', '1') else glance_root() is not None


def passwd_entry(uid, root=None):
    """(gid, home) of uid in the root's (else the host's) /etc/passwd, or None"""
    try:
        with open(os.path.join(root or '/', 'etc/passwd')) as f:
            for line in f:
                p = line.rstrip('\n').split(':')
                if len(p) >= 6 and p[2] == str(uid):
                    return int(p[3]), p[5]
    except OSError:
        pass
    return None


def apply_fs_group(top, gid, read_only):
    """What the kubelet does to a volume for fsGroup (SetVolumeOwnership): every file and directory group gid,
    mode |= 0440 (read-only volumes) or 0660, directories also g+x and setgid"""
    mask = 0o440 if read_only else 0o660
    for d, dirs, files in os.walk(top):
        for n, is_dir in [(d, True)] + [(os.path.join(d, f), False) for f in files]:
            st = os.lstat(n)
            os.lchown(n, -1, gid)
            if stat.S_ISLNK(st.st_mode):
                continue
            os.chmod(n, stat.S_IMODE(st.st_mode) | mask | ((stat.S_ISGID | 0o110) if is_dir else 0))


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
# ----------------------------------------------------------------------------- pod model
def parse_env_overrides(specs):
    """['CONTAINER:NAME=VALUE', ...] -> {container: [(NAME, VALUE), ...]}"""
    out = {}
    for s in specs or []:
        m = re.match(r'([^:=]+):([^=]+)=(.*)$', s, re.S)
        if not m:
            raise SystemExit('--env wants CONTAINER:NAME=VALUE, got %r' % s)
        out.setdefault(m.group(1), []).append((m.group(2), m.group(3)))
    return out


class PodCtx:
    """One pod: a pod template spec plus its identity (name, namespace, IP, labels) and a sandbox
    directory.  StatefulSet pods come from PodCtx.for_sts(), job pods from PodCtx.for_job()."""

    def __init__(self, objs, tpl, name, ns, ip, pdir, rundir, claim_templates=(), labels=None,
                 env_overrides=None):
        self.objs, self.rundir = objs, rundir
        self.tpl, self.name, self.ns, self.ip, self.dir = tpl, name, ns, ip, pdir
        self.pod_spec = tpl['spec']
        self.container = self.pod_spec['containers'][0]
        self.claim_templates = list(claim_templates)
        self.labels = dict(tpl.get('metadata', {}).get('labels') or {})
        self.labels.update(labels or {})
        self.annotations = dict(tpl.get('metadata', {}).get('annotations') or {})
        self.env_overrides = env_overrides or {}
        self.root = glance_root()
        self.model_users = models_users()

    def fs_group(self):
        """the pod's fsGroup when users are modelled, else None"""
        if not self.model_users:
            return None
        return (self.pod_spec.get('securityContext') or {}).get('fsGroup')

    def user(self, c):
        """{'uid', 'gid', 'groups', 'home'} container c runs as, or None (root, as on the host): the container's
        securityContext over the pod's, as the kubelet merges them"""
        if not self.model_users:
            return None
        psc = self.pod_spec.get('securityContext') or {}
        csc = c.get('securityContext') or {}
        pick = (lambda k: csc[k] if csc.get(k) is not None else psc.get(k))
        uid, gid = pick('runAsUser'), pick('runAsGroup')
        groups = [g for g in [psc.get('fsGroup')] + list(psc.get('supplementalGroups') or []) if g is not None]
        if uid is None and gid is None and not groups:
            return None
        uid = uid or 0
        if uid == 0 and pick('runAsNonRoot'):
            raise SystemExit('%s/%s: runAsNonRoot is set but the container would run as uid 0 (the kubelet refuses '
                             'to start it)' % (self.name, c.get('name')))
        pw = passwd_entry(uid, self.root)
        return {'uid': uid, 'gid': gid if gid is not None else (pw[0] if pw else 0),
                'groups': sorted(set(groups)), 'home': pw[1] if pw else ('/root' if uid == 0 else '/')}

    @classmethod
    def for_sts(cls, objs, sts, index, rundir, env_overrides=None):
        md = sts['metadata']
        ns = md.get('namespace') or 'default'
        name = '%s-%d' % (md['name'], index)
        ctx = cls(objs, sts['spec']['template'], name, ns, POD_NET + str(index + 1),
                  os.path.join(rundir, 'pods', name), rundir,
                  sts['spec'].get('volumeClaimTemplates') or [],
                  {'statefulset.kubernetes.io/pod-name': name, 'apps.kubernetes.io/pod-index': str(index)},
                  env_overrides)
        ctx.sts, ctx.i, ctx.sts_name = sts, index, md['name']
        return ctx

    @classmethod
    def for_job(cls, objs, name, ns, tpl, rundir, env_overrides=None):
        pod = name + '-e2e'
        return cls(objs, tpl, pod, ns, JOB_IP, os.path.join(rundir, 'jobs', name), rundir,
                   labels={'job-name': name}, env_overrides=env_overrides)

    def containers(self):
        return list(self.pod_spec.get('containers') or [])

    def init_containers(self):
        return list(self.pod_spec.get('initContainers') or [])

    def log_path(self, c):
        """containers[0] of a StatefulSet pod logs to container.log (the tests grep it), every
        other container to <container-name>.log"""
        if c is self.container and not self.dir.startswith(os.path.join(self.rundir, 'jobs') + os.sep):
            return os.path.join(self.dir, 'container.log')
        return os.path.join(self.dir, '%s.log' % c['name'])

    def pid_path(self, c):
        return os.path.join(self.dir, 'pid' if c is self.container else 'pid.' + c['name'])

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

    def env(self, c=None):
        c = c or self.container
        env = {'PATH': BASE_PATH, 'HOSTNAME': self.name, 'HOME': (self.user(c) or {}).get('home', '/root'),
               'LANG': 'C.UTF-8'}
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
        # --env CONTAINER:NAME=VALUE: as if the List had `value: VALUE` for NAME (appended if absent)
        over = dict(self.env_overrides.get(c.get('name'), []))
        entries = list(c.get('env') or [])
        names = {e['name'] for e in entries}
        entries = [{'name': e['name'], 'value': over[e['name']]} if e['name'] in over else e for e in entries]
        entries += [{'name': k, 'value': v} for k, v in over.items() if k not in names]
        for e in entries:
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

    def argv(self, env, c=None):
        c = c or self.container
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
        """-> {volume name: (host path, always_read_only)}; shared by all containers of the pod"""
        vols = {}
        vdir = os.path.join(self.dir, 'volumes')
        fsg = self.fs_group()
        for v in self.pod_spec.get('volumes') or []:
            name = v['name']
            d = os.path.join(vdir, name)
            if 'emptyDir' in v:
                os.makedirs(d, exist_ok=True)
                os.chmod(d, 0o777)
                if fsg is not None:
                    apply_fs_group(d, fsg, False)
                vols[name] = (d, False)
            elif 'persistentVolumeClaim' in v:
                c = self.claim_dir(v['persistentVolumeClaim']['claimName'])
                os.makedirs(c, exist_ok=True)
                if fsg is not None:
                    apply_fs_group(c, fsg, False)
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
            if fsg is not None and any(k in v for k in ('configMap', 'secret', 'projected')):
                apply_fs_group(d, fsg, True)
        # volumeClaimTemplates: template T gives pod i the claim T-<sts>-<i>
        for t in self.claim_templates:
            tname = t['metadata']['name']
            c = self.claim_dir('%s-%s' % (tname, self.name))
            os.makedirs(c, exist_ok=True)
            if fsg is not None:
                apply_fs_group(c, fsg, False)
            vols[tname] = (c, False)
        return vols

    def mounts(self, vols, c=None):
        """the volumeMounts of ONE container (each container has its own mount namespace)"""
        c = c or self.container
        out = []
        for m in c.get('volumeMounts') or []:
            if m['name'] not in vols:
                raise SystemExit('%s/%s: volumeMount %s has no volume' % (self.name, c.get('name'), m['name']))
            src, ro = vols[m['name']]
            if m.get('subPath'):
                top, src = src, os.path.join(src, m['subPath'])
                if not os.path.exists(src):
                    os.makedirs(src, exist_ok=True)
                    if self.fs_group() is not None:   # as the volume's own directory, so the user can write there
                        st = os.stat(top)
                        os.chown(src, -1, st.st_gid)
                        os.chmod(src, stat.S_IMODE(st.st_mode))
            out.append({'src': src, 'dst': m['mountPath'], 'ro': bool(ro or m.get('readOnly'))})
        # parents before children
        out.sort(key=lambda x: x['dst'].rstrip('/').count('/'))
        return out

    def probe(self, c):
        """readinessProbe (else startupProbe) of container c as {'type': http|tcp, ...}, or None"""
        probe = c.get('readinessProbe') or c.get('startupProbe')
        if not probe:
            return None
        ports = {p.get('name'): p['containerPort'] for p in c.get('ports') or [] if p.get('name')}
        if 'httpGet' in probe:
            h = probe['httpGet']
            port = h['port']
            port = ports.get(port, port) if isinstance(port, str) else port
            scheme = h.get('scheme', 'HTTP').lower()
            return {'type': 'http', 'container': c['name'], 'scheme': scheme, 'port': int(port),
                    'url': '%s://%s:%s%s' % (scheme, h.get('host') or self.ip, port, h.get('path', '/'))}
        if 'tcpSocket' in probe:
            port = probe['tcpSocket']['port']
            port = ports.get(port, port) if isinstance(port, str) else port
            return {'type': 'tcp', 'container': c['name'], 'host': self.ip, 'port': int(port)}
        return None   # exec probes are not modelled

    def readiness(self):
        """The pod is ready when every container's readiness probe passes.  Without any probe: a
        TCP connect to containers[0]'s first port, else nothing."""
        probes = [p for p in (self.probe(c) for c in self.containers()) if p]
        if probes:
            return probes
        cp = (self.container.get('ports') or [{}])[0].get('containerPort')
        return [{'type': 'tcp', 'container': self.container['name'], 'host': self.ip, 'port': int(cp)}] if cp else []

    def serving(self, service=None):
        """(scheme, port) clients use.  The port: the Service's (spec.serviceName's) first targetPort,
        resolved by name or number in the containers' ports; its scheme: that of an httpGet probe
        on it, else https when the port is named https.  Without such a Service: an HTTPS probe's
        port, else the first httpGet probe's, else containers[0]'s first port over http."""
        probes = [p for p in (self.probe(c) for c in self.containers()) if p and p['type'] == 'http']
        sp = ((service or {}).get('spec') or {}).get('ports') or []
        if sp:
            tp = sp[0].get('targetPort', sp[0].get('port'))
            for c in self.containers():
                for cp in c.get('ports') or []:
                    if tp in (cp.get('name'), cp['containerPort']):
                        port = cp['containerPort']
                        scheme = next((p['scheme'] for p in probes if p['port'] == port),
                                      'https' if cp.get('name') == 'https' else 'http')
                        return scheme, port
        for p in sorted(probes, key=lambda p: p['scheme'] != 'https'):
            return p['scheme'], p['port']
        ports = [p['containerPort'] for p in self.container.get('ports') or []] or [9292]
        return 'http', ports[0]

    def launch_spec(self, c, vols, hosts, empty):
        env = self.env(c)
        return {'name': self.name, 'container': c['name'], 'ip': self.ip, 'argv': self.argv(env, c), 'env': env,
                'workdir': c.get('workingDir') or '/', 'hosts': hosts, 'empty': empty,
                'hide': HIDE_FILES, 'mounts': self.mounts(vols, c), 'root': self.root, 'user': self.user(c),
                'readonly_root': bool((c.get('securityContext') or {}).get('readOnlyRootFilesystem'))
                and os.environ.get('E2E_IGNORE_READONLY_ROOT') != '1'}

    def launch(self, c, spec, new_log=False):
        """Start one container in its own mount + UTS namespace (own session) -> Popen"""
        path = os.path.join(self.dir, 'launch-%s.json' % c['name'])
        with open(path, 'w') as f:
            json.dump(spec, f, indent=1)
        logf = open(self.log_path(c), 'wb' if new_log else 'ab')
        if spec.get('user'):
            os.fchown(logf.fileno(), spec['user']['uid'], spec['user']['gid'])
        p = subprocess.Popen(cpu_pin(self.name) + ['unshare', '--mount', '--uts', '--propagation', 'private',
                                                   PY, os.path.abspath(__file__), '_exec', path],
                             stdin=subprocess.DEVNULL, stdout=logf, stderr=subprocess.STDOUT,
                             start_new_session=True, close_fds=True)
        logf.close()
        with open(self.pid_path(c), 'w') as f:
            f.write(str(p.pid))
        return p


def cpu_pin(pod_name):
    """E2E_POD_CPUS=0,1: StatefulSet pod i runs on CPU i mod 2 only (`taskset`), as if each pod had a node of one CPU;
    make bench-import-autoscaling uses it to compare one pod with several on a machine whose cores all pods share."""
    cpus = [c for c in os.environ.get('E2E_POD_CPUS', '').split(',') if c]
    m = re.search(r'-(\d+)$', pod_name)
    if not cpus or not m:
        return []
    return ['taskset', '-c', cpus[int(m.group(1)) % len(cpus)]]


def hosts_file(objs, sts, replicas, own_ip=None):
    """/etc/hosts of a pod.  `localhost` is the pod's OWN IP (a pod's private loopback: a server
    bound to localhost in one container is reached from the pod's other containers, and pods do
    not collide); no ::1 localhost line, so nothing prefers IPv6 ::1 (shared by every pod)."""
    lines = ['%s\tlocalhost' % (own_ip or '127.0.0.1'), '::1\tip6-localhost ip6-loopback']
    if sts is not None:
        md = sts['metadata']
        x, ns = md['name'], md.get('namespace') or 'default'
        svc = sts['spec'].get('serviceName') or (x + '-headless')
        for j in range(replicas):
            ip = POD_NET + str(j + 1)
            lines.append('%s\t%s-%d.%s.%s.svc %s-%d.%s.%s.svc.cluster.local %s-%d'
                         % (ip, x, j, svc, ns, x, j, svc, ns, x, j))
    else:
        x, ns = None, None
    names = []
    for s in objs.of_kind('Service'):
        n = s['metadata']['name']
        sns = s['metadata'].get('namespace') or ns or 'default'
        names += ['%s.%s.svc' % (n, sns), '%s.%s.svc.cluster.local' % (n, sns)]
    if x and not any(n.startswith('%s.%s.' % (x, ns)) for n in names):
        names += ['%s.%s.svc' % (x, ns), '%s.%s.svc.cluster.local' % (x, ns)]
    if names:
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


def pid_files(pdir):
    """pid (containers[0]) and pid.<container> (the other containers) of a pod dir"""
    try:
        return sorted(os.path.join(pdir, f) for f in os.listdir(pdir) if f == 'pid' or f.startswith('pid.'))
    except FileNotFoundError:
        return []


def kill_groups(pids, sig):
    for pid in pids:
        for p in set(group_pids(pid) + ([pid] if alive(pid) else [])):
            try:
                os.kill(p, sig)
            except ProcessLookupError:
                pass


def term_main(pid):
    """The stop signal as the container runtime sends it: to the container's main process only; what it started
    is its business.  (SIGTERM to every process of the group, as before, made uWSGI's workers get it twice, from
    the harness and from their master: 1 stop in 3 then hung until --worker-reload-mercy.)"""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass


def stop_pods(pods, timeout=15):
    """pods = [(pod dir, name)]: SIGTERM the main process of every container of every pod at once
    (each container leads its own session), wait up to `timeout` seconds for them to exit (state Z counts as
    gone), then SIGKILL what is left of their process groups, as the runtime ends a container whose main
    process has exited."""
    todo = []
    for pdir, name in pods:
        pfs = pid_files(pdir)
        if not pfs:
            continue
        pids = []
        for pf in pfs:
            try:
                pids.append(int(open(pf).read().strip()))
            except ValueError:
                pass
        for pid in pids:
            term_main(pid)
        todo.append((pfs, name, pids))
    t0 = time.time()
    while time.time() - t0 < timeout and any(alive(p) for _, _, pids in todo for p in pids):
        time.sleep(0.1)
    for pfs, name, pids in todo:
        left = set()
        for pid in pids:
            left |= set(group_pids(pid) + ([pid] if alive(pid) else []))
        for p in left:
            try:
                os.kill(p, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if left:
            log('%s: SIGKILLed %s' % (name, sorted(left)))
        for pf in pfs:
            os.unlink(pf)
        log('%s stopped (pid %s)' % (name, ' '.join(map(str, pids))))


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
        ctx = None
        if r['url'].startswith('https:'):   # the kubelet does not verify the serving certificate
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
        try:
            with urllib.request.urlopen(r['url'], timeout=2, context=ctx) as resp:
                return 200 <= resp.status < 400
        except Exception:
            return False
    if r['type'] == 'tcp':
        return port_busy(r['host'], r['port'])
    return True


# ----------------------------------------------------------------------------- commands
def parse_only(s):
    return None if not s else [int(x) for x in s.split(',') if x != '']


def pick_sts(objs, name, required=True):
    stss = objs.of_kind('StatefulSet')
    if name:
        stss = [s for s in stss if s['metadata']['name'] == name]
    if len(stss) != 1:
        if not required:
            return None
        raise SystemExit('need exactly one StatefulSet in the List (use --sts), found %d' % len(stss))
    return stss[0]


def lint(sts):
    """Warnings (never errors) about what the glance e2e tests rely on."""
    spec = sts['spec']
    cs = spec['template']['spec']['containers']
    c = cs[0]
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
    if not any((x.get('readinessProbe') or {}).get('httpGet') for x in cs):
        warn.append('no httpGet readinessProbe')
    for w in warn:
        log('warning: ' + w)


def cmd_up(a):
    rundir = os.path.abspath(a.rundir)
    objs = Objects(a.objects)
    sts = pick_sts(objs, a.sts)
    lint(sts)
    overrides = parse_env_overrides(a.env)
    replicas = a.replicas if a.replicas is not None else int(sts['spec'].get('replicas', 1))
    idx = parse_only(a.only) or list(range(replicas))
    os.makedirs(os.path.join(rundir, 'pods'), exist_ok=True)
    empty = os.path.join(rundir, 'pods', 'empty')
    open(empty, 'w').close()
    started = []
    t0 = time.time()
    ctxs = [PodCtx.for_sts(objs, sts, i, rundir, overrides) for i in idx]
    for c in {n for n in overrides} - {c['name'] for c in ctxs[0].containers()}:
        raise SystemExit('--env names container %r, not in the pod (%s)'
                         % (c, ', '.join(x['name'] for x in ctxs[0].containers())))
    # a StatefulSet never runs two pods of one identity: stop the old ones first (all at once)
    stop_pods([(ctx.dir, ctx.name) for ctx in ctxs])
    for ctx in ctxs:
        started.append(start_pod(ctx, objs, sts, replicas, overrides, empty))
    try:
        wait_ready(started, t0, a.timeout)
    except BaseException:
        stop_pods([(ctx.dir, ctx.name) for ctx, _, _ in started])
        raise
    write_info(objs, sts, rundir, replicas)
    log('%d pod(s) ready in %.1fs' % (len(started), time.time() - t0))


def start_pod(ctx, objs, sts, replicas, overrides, empty):
    """Launches every container of one pod; returns (ctx, processes, readiness probes)."""
    # pod sandbox: fresh (emptyDir & rendered volumes are per pod lifetime); claims persist
    if os.path.isdir(ctx.dir):
        shutil.rmtree(ctx.dir)
    os.makedirs(ctx.dir)
    hosts = os.path.join(ctx.dir, 'hosts')
    with open(hosts, 'w') as f:
        f.write(hosts_file(objs, sts, replicas, ctx.ip))
    vols = ctx.volumes()
    specs = [(c, ctx.launch_spec(c, vols, hosts, empty)) for c in ctx.containers()]
    for c in ctx.containers():
        for p in c.get('ports') or []:
            if port_busy(ctx.ip, p['containerPort']):
                raise SystemExit('%s: %s:%s already in use' % (ctx.name, ctx.ip, p['containerPort']))
    if ctx.init_containers():
        log('%s: initContainers are not run by `up` (only by `job`)' % ctx.name)
    procs = {}
    for c, spec in specs:
        procs[c['name']] = ctx.launch(c, spec)
        log('%s/%s launched pid %d ip %s: %s' % (ctx.name, c['name'], procs[c['name']].pid, ctx.ip,
                                                 ' '.join(spec['argv'])))
    for c in ctx.containers():
        for k, v in overrides.get(c['name'], []):
            log('%s/%s: env override %s=%s' % (ctx.name, c['name'], k, v))
    return ctx, procs, ctx.readiness()


def cmd_pod(a):
    """One bare Pod of the List (not a StatefulSet's), at the IP given: what the kubelet would run for it."""
    rundir = os.path.abspath(a.rundir)
    objs = Objects(a.objects)
    pod = objs.get('Pod', a.name)
    if pod is None:
        raise SystemExit('no Pod %s in %s' % (a.name, a.objects))
    sts = pick_sts(objs, a.sts)
    replicas = int(sts['spec'].get('replicas', 1))
    ns = pod['metadata'].get('namespace') or 'default'
    os.makedirs(os.path.join(rundir, 'pods'), exist_ok=True)
    empty = os.path.join(rundir, 'pods', 'empty')
    open(empty, 'w').close()
    ctx = PodCtx(objs, {'metadata': pod['metadata'], 'spec': pod['spec']}, a.name, ns, a.ip,
                 os.path.join(rundir, 'pods', a.name), rundir)
    stop_pods([(ctx.dir, ctx.name)])
    t0 = time.time()
    started = [start_pod(ctx, objs, sts, replicas, {}, empty)]
    try:
        wait_ready(started, t0, a.timeout)
    except BaseException:
        stop_pods([(ctx.dir, ctx.name)])
        raise
    log('pod %s ready in %.1fs' % (a.name, time.time() - t0))


def wait_ready(started, t0, timeout):
    pending = list(started)
    while pending:
        for item in list(pending):
            ctx, procs, probes = item
            for cname, p in procs.items():
                if p.poll() is not None:
                    c = [x for x in ctx.containers() if x['name'] == cname][0]
                    tail = open(ctx.log_path(c), errors='replace').read()[-3000:]
                    raise SystemExit('%s: container %s exited with %s before the pod became ready; log tail:\n%s'
                                     % (ctx.name, cname, p.returncode, tail))
            if all(probe_ok(r) for r in probes):
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
        ctx = PodCtx.for_sts(objs, sts, i, rundir)
        scheme, port = ctx.serving(objs.get('Service', sts['spec'].get('serviceName') or '', ctx.ns))
        claims = {t['metadata']['name']: ctx.claim_dir('%s-%s' % (t['metadata']['name'], ctx.name))
                  for t in sts['spec'].get('volumeClaimTemplates') or []}
        mounts = {m['mountPath']: m['name'] for m in ctx.container.get('volumeMounts') or []}
        dns = '%s.%s.%s.svc' % (ctx.name, sts['spec'].get('serviceName'), ctx.ns)
        info['pods'].append({'index': i, 'name': ctx.name, 'ip': ctx.ip, 'scheme': scheme, 'port': port,
                             'url': '%s://%s:%d' % (scheme, ctx.ip, port),
                             'dns_name': dns,
                             'dns_url': '%s://%s:%d' % (scheme, dns, port),
                             'log': ctx.log_path(ctx.container),
                             'logs': {c['name']: ctx.log_path(c) for c in ctx.containers()},
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
        suffix = name.rsplit('-', 1)[-1]
        if only is not None and (not suffix.isdigit() or int(suffix) not in only):
            continue
        todo.append((d, name))
    stop_pods(todo)


def pod_dirs(rundir, only):
    pdir = os.path.join(rundir, 'pods')
    out = []
    for name in sorted(os.listdir(pdir)) if os.path.isdir(pdir) else []:
        d = os.path.join(pdir, name)
        suffix = name.rsplit('-', 1)[-1]
        if os.path.isdir(d) and suffix.isdigit() and int(suffix) in only:
            out.append((d, name))
    return out


def container_pid(pdir, container, first):
    path = os.path.join(pdir, 'pid' if container == first else 'pid.' + container)
    try:
        return int(open(path).read().strip())
    except (OSError, ValueError):
        return None


def cmd_delete(a):
    rundir = os.path.abspath(a.rundir)
    objs = Objects(a.objects)
    sts = pick_sts(objs, a.sts)
    spec = sts['spec']['template']['spec']
    grace = float(spec.get('terminationGracePeriodSeconds', 30))
    containers = spec['containers']
    t0 = time.time()
    hooks = []   # (pod name, container, Popen, started)
    pending = []  # (pod dir, pod name, container, pid)
    for d, name in pod_dirs(rundir, parse_only(a.only)):
        for c in containers:
            pid = container_pid(d, c['name'], containers[0]['name'])
            if pid is None or not alive(pid):
                continue
            cmd = (((c.get('lifecycle') or {}).get('preStop') or {}).get('exec') or {}).get('command')
            if cmd:
                hp = subprocess.Popen([PY, os.path.abspath(__file__), '_enter', str(pid)] + cmd,
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd='/')
                hooks.append((name, c['name'], hp, time.time(), pid))
            else:
                term_main(pid)
            pending.append((d, name, c['name'], pid))
    results = {}
    for name, cname, hp, started, pid in hooks:
        try:
            out, _ = hp.communicate(timeout=max(grace - (time.time() - t0), 0.1))
        except subprocess.TimeoutExpired:
            hp.kill()
            out, _ = hp.communicate()
            out = (out or '') + ' [preStop killed at terminationGracePeriodSeconds]'
        results.setdefault(name, {})['preStop'] = {'container': cname, 'seconds': round(time.time() - started, 2),
                                                   'output': (out or '').strip()}
        log('%s/%s preStop returned after %.2fs: %s' % (name, cname, time.time() - started, (out or '').strip()))
        term_main(pid)
    while time.time() - t0 < grace and any(alive(p) for _, _, _, p in pending):
        time.sleep(0.1)
    for d, name, cname, pid in pending:
        left = set(group_pids(pid) + ([pid] if alive(pid) else []))
        for p in left:
            try:
                os.kill(p, signal.SIGKILL)
            except ProcessLookupError:
                pass
        r = results.setdefault(name, {})
        r['sigkilled'] = r.get('sigkilled', False) or bool(left)
        r['seconds'] = round(time.time() - t0, 2)
        for pf in pid_files(d):
            os.unlink(pf)
    for name in sorted(results):
        print(json.dumps(dict(pod=name, **results[name])))


def cmd_kill(a):
    rundir = os.path.abspath(a.rundir)
    for d, name in pod_dirs(rundir, parse_only(a.only)):
        for pf in pid_files(d):
            if a.container and os.path.basename(pf) not in ('pid.' + a.container, 'pid'):
                continue
            pid = int(open(pf).read().strip())
            kill_groups([pid], signal.SIGKILL)
            log('%s: SIGKILLed %s' % (name, os.path.basename(pf)))


def cmd_info(a):
    print(open(os.path.join(a.rundir, 'pods', 'info.json')).read())


def find_job_template(objs, cronjob, job):
    """-> (name, namespace, pod template) of a CronJob's jobTemplate or of a Job"""
    kind, name = ('CronJob', cronjob) if cronjob else ('Job', job)
    o = objs.get(kind, name)
    if o is None:
        have = ', '.join('%s/%s' % (x.get('kind'), x['metadata']['name']) for x in objs.items
                         if x.get('kind') in ('CronJob', 'Job'))
        raise SystemExit('%s %s is not in the List (it has: %s)' % (kind, name, have or 'none'))
    spec = o['spec']['jobTemplate']['spec'] if kind == 'CronJob' else o['spec']
    return name, o['metadata'].get('namespace') or 'default', spec['template']


def wait_container(ctx, c, p, timeout):
    """Wait for a launched job container -> rc ('timeout' after killing its process group)"""
    try:
        rc = p.wait(timeout)
    except subprocess.TimeoutExpired:
        kill_groups([p.pid], signal.SIGKILL)
        p.wait()
        rc = 'timeout'
    os.unlink(ctx.pid_path(c))
    return rc


def run_container(ctx, c, spec, timeout):
    """Run one job container to completion -> (rc, seconds)"""
    t = time.time()
    rc = wait_container(ctx, c, ctx.launch(c, spec, new_log=True), timeout)
    return rc, time.time() - t


def cmd_job(a):
    """Run a Job's (or a CronJob's jobTemplate's) pod once: initContainers one by one, then the
    containers side by side; each in its own mount namespace with its own volumeMounts."""
    rundir = os.path.abspath(a.rundir)
    objs = Objects(a.objects)
    if bool(a.cronjob) == bool(a.job):
        raise SystemExit('job: give exactly one of --cronjob NAME, --job NAME')
    name, ns, tpl = find_job_template(objs, a.cronjob, a.job)
    overrides = parse_env_overrides(a.env)
    ctx = PodCtx.for_job(objs, name, ns, tpl, rundir, overrides)
    sts = pick_sts(objs, a.sts, required=False)
    replicas = a.replicas if a.replicas is not None else (int(sts['spec'].get('replicas', 1)) if sts else 0)
    if os.path.isdir(ctx.dir):
        stop_pods([(ctx.dir, ctx.name)])
        shutil.rmtree(ctx.dir)
    os.makedirs(ctx.dir)
    os.makedirs(os.path.join(rundir, 'pods'), exist_ok=True)
    empty = os.path.join(rundir, 'pods', 'empty')
    open(empty, 'w').close()
    hosts = os.path.join(ctx.dir, 'hosts')
    with open(hosts, 'w') as f:
        f.write(hosts_file(objs, sts, replicas, ctx.ip))
    vols = ctx.volumes()
    t0 = time.time()
    results = []   # (container, rc, seconds)
    ok = True
    for c in ctx.init_containers():
        rc, dt = run_container(ctx, c, ctx.launch_spec(c, vols, hosts, empty), a.timeout)
        results.append(('init:' + c['name'], rc, dt))
        if rc != 0:
            ok = False
            break
    if ok:
        procs = []
        for c in ctx.containers():
            procs.append((c, ctx.launch(c, ctx.launch_spec(c, vols, hosts, empty), new_log=True), time.time()))
        for c, p, ts in procs:
            rc = wait_container(ctx, c, p, max(a.timeout - (time.time() - t0), 1))
            results.append((c['name'], rc, time.time() - ts))
            ok = ok and rc == 0
    for c in ctx.init_containers() + ctx.containers():
        if os.path.exists(ctx.log_path(c)) and not ok:
            tail = open(ctx.log_path(c), errors='replace').read()[-1500:]
            if tail:
                log('%s log tail:\n%s' % (c['name'], tail))
    log('job %s: %s; %s in %.1fs (logs in %s)'
        % (name, ', '.join('%s rc=%s %.1fs' % r for r in results), 'succeeded' if ok else 'FAILED',
           time.time() - t0, ctx.dir))
    return 0 if ok else 1


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


def become(user):
    """Drop root for the container's user: groups first, the uid last (it drops the capabilities)"""
    if user:
        os.setgroups(user['groups'])
        os.setgid(user['gid'])
        os.setuid(user['uid'])


def cmd_exec(path):
    spec = json.load(open(path))
    socket.sethostname(spec['name'])
    root = spec.get('root') or ''
    # Open every source first: a mount at e.g. /tmp may hide a RUNDIR that lives under /tmp.
    # Bind mounts then use the /proc/self/fd/N magic links, which still reach the originals.
    plan = [(spec['hosts'], '/etc/hosts', True)]
    plan += [(spec['empty'], h, True) for h in spec['hide'] if os.path.exists(root + h)]
    plan += [(m['src'], m['dst'], m['ro']) for m in spec['mounts']]
    fds = [os.open(src, os.O_PATH) for src, _, _ in plan]
    if root:
        # the root as a mount of its own in this namespace: it can then be made read-only without touching
        # the shared root or the host's /
        _mount(root, root, MS_BIND | MS_REC)
        for d in ('/proc', '/dev', '/sys'):
            bind(d, root + d, False)
    for fd, (src, dst, ro) in zip(fds, plan):
        bind('/proc/self/fd/%d' % fd, root + dst, ro)
    for fd in fds:
        os.close(fd)
    if spec.get('readonly_root'):
        # securityContext.readOnlyRootFilesystem: only the mounted volumes stay writable.  Only this
        # namespace's copy of the / (or root) mount changes (private propagation); /dev, /proc, /sys stay as they are.
        _mount('none', root or '/', MS_BIND | MS_REMOUNT | MS_RDONLY)
    if root:
        os.chroot(root)
    become(spec.get('user'))
    os.chdir(spec['workdir'])
    sys.stdout.flush()
    argv = spec['argv']
    os.execvpe(argv[0], argv, spec['env'])


def cmd_enter(pid, argv):
    """Runs argv as the kubelet runs an exec hook in a running container: in the mount and UTS namespaces of its
    process `pid`, under its root, in its working directory, as its user and groups, with its environment."""
    status = dict(line.split(':', 1) for line in open('/proc/%d/status' % pid).read().splitlines() if ':' in line)
    uid, gid = int(status['Uid'].split()[0]), int(status['Gid'].split()[0])
    groups = [int(g) for g in status['Groups'].split()]
    env = dict(e.split('=', 1) for e in open('/proc/%d/environ' % pid, 'rb').read().decode().split('\0') if '=' in e)
    cwd, croot = os.readlink('/proc/%d/cwd' % pid), os.readlink('/proc/%d/root' % pid)
    if croot != '/' and (cwd + '/').startswith(croot + '/'):   # as seen from here: the root's path in front
        cwd = cwd[len(croot):] or '/'
    root_fd = os.open('/proc/%d/root' % pid, os.O_RDONLY | os.O_DIRECTORY)
    for ns in ('mnt', 'uts'):
        fd = os.open('/proc/%d/ns/%s' % (pid, ns), os.O_RDONLY)
        if libc.setns(fd, 0) != 0:
            e = ctypes.get_errno()
            raise OSError(e, 'setns %s of %d: %s' % (ns, pid, os.strerror(e)))
        os.close(fd)
    os.fchdir(root_fd)
    os.chroot('.')
    os.close(root_fd)
    become({'uid': uid, 'gid': gid, 'groups': groups} if (uid, gid, groups) != (0, 0, []) else None)
    os.chdir(cwd)
    sys.stdout.flush()
    os.execvpe(argv[0], argv, env)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == '_exec':
        return cmd_exec(sys.argv[2])
    if len(sys.argv) > 3 and sys.argv[1] == '_enter':
        return cmd_enter(int(sys.argv[2]), sys.argv[3:])
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest='cmd', required=True)
    u = sub.add_parser('up')
    u.add_argument('rundir')
    u.add_argument('objects')
    u.add_argument('--replicas', type=int)
    u.add_argument('--only')
    u.add_argument('--sts')
    u.add_argument('--timeout', type=float, default=240)
    u.add_argument('--env', action='append', metavar='CONTAINER:NAME=VALUE',
                   help='override (or add) an env var of one container, repeatable')
    o = sub.add_parser('pod')
    o.add_argument('rundir')
    o.add_argument('objects')
    o.add_argument('--name', required=True)
    o.add_argument('--ip', required=True)
    o.add_argument('--sts', help='StatefulSet whose per-pod names go into /etc/hosts (default: the only one)')
    o.add_argument('--timeout', type=float, default=240)
    d = sub.add_parser('down')
    d.add_argument('rundir')
    d.add_argument('--only')
    x = sub.add_parser('delete')
    x.add_argument('rundir')
    x.add_argument('objects')
    x.add_argument('--only', required=True)
    x.add_argument('--sts')
    k = sub.add_parser('kill')
    k.add_argument('rundir')
    k.add_argument('--only', required=True)
    k.add_argument('--container')
    i = sub.add_parser('info')
    i.add_argument('rundir')
    j = sub.add_parser('job')
    j.add_argument('rundir')
    j.add_argument('objects')
    j.add_argument('--cronjob')
    j.add_argument('--job')
    j.add_argument('--sts', help='StatefulSet whose per-pod names go into /etc/hosts (default: the only one)')
    j.add_argument('--replicas', type=int)
    j.add_argument('--timeout', type=float, default=300)
    j.add_argument('--env', action='append', metavar='CONTAINER:NAME=VALUE')
    a = ap.parse_args()
    return {'up': cmd_up, 'pod': cmd_pod, 'down': cmd_down, 'delete': cmd_delete, 'kill': cmd_kill, 'info': cmd_info,
            'job': cmd_job}[a.cmd](a)


if __name__ == '__main__':
    sys.exit(main())
