#!/bin/bash
# Runs the whole e2e harness on the hand-made fixtures (stand-ins for the operator's dumps): the plain
# glance List, then the glance-tls List (TLS proxy, two rbd stores, image cache, CronJobs).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
exec "$HERE/run.sh" "$HERE/fixtures/glance-rbd-3.template.json" "$HERE/fixtures/glance-tls-multistore.template.json"
