#!/usr/bin/python3
"""After `keystone-manage bootstrap`: wait for the first token, then create the `service`
project, the `glance` user (admin on service) and a `demo` project/user with `member`.
No `image` service: the operator registers it (spec.keystoneRegistration, E2eKeystone), so
any found (an older cached database) is deleted with its endpoints. Stdlib only (urllib); idempotent.
usage: ks_setup.py KS_URL ADMIN_PASS GLANCE_PASS DEMO_PASS"""
import json
import sys
import time
import urllib.error
import urllib.request

ks, admin_pw, glance_pw, demo_pw = sys.argv[1:5]


def req(method, path, body=None, token=None, ok=(200, 201, 204)):
    data = json.dumps(body).encode() if body is not None else None
    r = urllib.request.Request(ks + path, data=data, method=method,
                               headers={'Content-Type': 'application/json', 'Connection': 'close'})
    if token:
        r.add_header('X-Auth-Token', token)
    try:
        with urllib.request.urlopen(r, timeout=30) as resp:
            raw = resp.read()
            return resp.status, resp.headers, (json.loads(raw) if raw else {})
    except urllib.error.HTTPError as e:
        if e.code in ok:
            return e.code, e.headers, {}
        raise SystemExit('%s %s -> %s %s' % (method, path, e.code, e.read()[:300]))


def token():
    body = {'auth': {'identity': {'methods': ['password'], 'password': {'user': {
        'name': 'admin', 'domain': {'id': 'default'}, 'password': admin_pw}}},
        'scope': {'system': {'all': True}}}}
    return req('POST', '/v3/auth/tokens', body)[1]['X-Subject-Token']


t0 = time.time()
while True:
    try:
        tok = token()
        break
    except (urllib.error.URLError, ConnectionError, SystemExit, OSError) as e:
        if time.time() - t0 > 180:
            raise SystemExit('keystone: no token after 180s: %s' % e)
        time.sleep(0.2)
print('[ks_setup] first admin token after %.1fs of waiting' % (time.time() - t0))


def find(coll, name, key):
    items = req('GET', '/v3/%s?name=%s' % (coll, name), token=tok)[2][coll]
    return items[0]['id'] if items else None


def ensure(coll, one, name, body):
    i = find(coll, name, one)
    if i:
        return i
    return req('POST', '/v3/' + coll, {one: body}, token=tok)[2][one]['id']


roles = {r['name']: r['id'] for r in req('GET', '/v3/roles', token=tok)[2]['roles']}
svc_p = ensure('projects', 'project', 'service', {'name': 'service', 'domain_id': 'default'})
demo_p = ensure('projects', 'project', 'demo', {'name': 'demo', 'domain_id': 'default'})
glance_u = ensure('users', 'user', 'glance', {'name': 'glance', 'domain_id': 'default', 'password': glance_pw})
demo_u = ensure('users', 'user', 'demo', {'name': 'demo', 'domain_id': 'default', 'password': demo_pw})
req('PUT', '/v3/projects/%s/users/%s/roles/%s' % (svc_p, glance_u, roles['admin']), token=tok)
req('PUT', '/v3/projects/%s/users/%s/roles/%s' % (demo_p, demo_u, roles['member']), token=tok)
for svc in req('GET', '/v3/services?type=image', token=tok)[2]['services']:
    for ep in req('GET', '/v3/endpoints?service_id=' + svc['id'], token=tok)[2]['endpoints']:
        req('DELETE', '/v3/endpoints/' + ep['id'], token=tok)
    req('DELETE', '/v3/services/' + svc['id'], token=tok)
    print('[ks_setup] removed image service %s (the operator registers it)' % svc['id'])
print('[ks_setup] service project, glance (admin@service), demo (member@demo): done')
