#!/usr/bin/env bash
# Build build/bench-venv with the raking peers (benchmarks/requirements.txt) and run the
# raking benchmark; writes benchmarks/results.md. Extra arguments go to bench_rake.py,
# e.g.  bash benchmarks/run.sh --sizes 10000 100000
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=build/bench-venv
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x "$VENV/bin/python" ]; then
  if [ -x .venv/bin/uv ]; then
    .venv/bin/uv venv -q -p "$PY" "$VENV"
  else
    "$PY" -m venv "$VENV"
  fi
fi
if [ -x .venv/bin/uv ]; then
  VIRTUAL_ENV="$VENV" .venv/bin/uv pip install -q -r benchmarks/requirements.txt
else
  "$VENV/bin/python" -m pip install -q -r benchmarks/requirements.txt
fi
exec "$VENV/bin/python" benchmarks/bench_rake.py "$@"
