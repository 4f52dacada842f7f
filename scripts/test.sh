#!/usr/bin/env bash
# Runs spoke's tests on a fresh machine: installs what they need, then cargo test.
#   - botocore (PyPI): the conformance test drives AWS's own Python client against the sandbox
#   - tmux (Debian): the end-to-end tests type into the real console and read its screen
set -euo pipefail
cd "$(dirname "$0")/.."

if ! python3 -c 'import botocore' 2>/dev/null; then
  python3 -m pip install --quiet --disable-pip-version-check botocore
fi
if ! command -v tmux >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq tmux >/dev/null
  else
    echo "tmux is needed for the console tests: install it with your package manager" >&2
    exit 1
  fi
fi

cargo test --locked "$@"
if [ "$#" -eq 0 ]; then
  # The benchmark suite, once and small: every case still runs (`cargo bench` measures).
  cargo test --locked --bench suite
fi
