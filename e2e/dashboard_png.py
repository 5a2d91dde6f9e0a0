#!/usr/bin/python3
"""Draws the shipped Grafana dashboard's panels as one PNG, from a Prometheus' data (range queries of each panel's
targets over [start, end]), the way Grafana would lay them out: so that the people who will run the operator see what
the dashboard shows. make e2e runs it on the Prometheus that watched its live tests.

    dashboard_png.py PROMETHEUS_URL DASHBOARD.json OUT.png --start EPOCH --end EPOCH

Exits non-zero when a panel's query fails or returns no data at all. Needs python3-matplotlib (Debian)."""
import argparse
import json
import sys
import urllib.parse
import urllib.request

import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402

UNITS = {'bytes': (1 << 30, 'GiB'), 's': (1, 's'), 'reqps': (1, '/s'), 'short': (1, '')}


def query_range(base, expr, start, end, step):
    url = '%s/api/v1/query_range?%s' % (base, urllib.parse.urlencode(dict(query=expr, start=start, end=end, step=step)))
    with urllib.request.urlopen(url, timeout=30) as r:
        answer = json.load(r)
    if answer.get('status') != 'success':
        raise RuntimeError('%s: %s' % (expr, answer))
    return answer['data']['result']


def legend(fmt, labels):
    out = fmt
    for k, v in labels.items():
        out = out.replace('{{%s}}' % k, v)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('prometheus')
    ap.add_argument('dashboard')
    ap.add_argument('out')
    ap.add_argument('--start', type=float, required=True)
    ap.add_argument('--end', type=float, required=True)
    a = ap.parse_args()
    dash = json.load(open(a.dashboard))
    panels = dash['panels']
    rows = max(p['gridPos']['y'] for p in panels) // 8 + 1
    fig, axes = plt.subplots(rows, 2, figsize=(14, 3.2 * rows), squeeze=False)
    step = max(1, int((a.end - a.start) / 300))
    empty = []
    for p in panels:
        ax = axes[p['gridPos']['y'] // 8][p['gridPos']['x'] // 12]
        scale, unit = UNITS.get(p['fieldConfig']['defaults'].get('unit', 'short'), (1, ''))
        drawn = 0
        for t in p['targets']:
            for series in query_range(a.prometheus, t['expr'], a.start, a.end, step):
                xs = [float(v[0]) - a.start for v in series['values']]
                ys = [float(v[1]) / scale for v in series['values']]
                ax.plot(xs, ys, label=legend(t.get('legendFormat', ''), series['metric']), linewidth=1.4)
                drawn += 1
        if drawn == 0:
            empty.append(p['title'])
        ax.set_title(p['title'] + (' (%s)' % unit if unit else ''), fontsize=10)
        ax.set_xlabel('seconds into the e2e live tests', fontsize=8)
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3)
        if drawn:
            ax.legend(fontsize=7, loc='upper left')
    fig.suptitle('%s: make e2e, %d s of live operator tests' % (dash['title'], a.end - a.start))
    fig.tight_layout()
    fig.savefig(a.out, dpi=80)
    print('[dashboard] %d panels drawn to %s' % (len(panels), a.out))
    if empty:
        print('[dashboard] panels without data: %s' % ', '.join(empty))
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
