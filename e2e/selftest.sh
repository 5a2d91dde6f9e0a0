#!/bin/bash
# Runs the whole e2e harness on the hand-made fixture (stand-in for the operator's dump).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
exec "$HERE/run.sh" "$HERE/fixtures/glance-rbd-3.template.json"
