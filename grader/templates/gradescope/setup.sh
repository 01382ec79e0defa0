#!/usr/bin/env bash
# Gradescope autograder setup for the async-patterns workbook (built by `grade export --gradescope`).
# Gradescope runs this once when it builds the autograder image; the workbook is in
# /autograder/source. It installs Node and npm from the distribution when they are missing or too
# old, then the workbook's pinned dependencies (Deno and Bun come from npm) with `npm ci`.
set -euo pipefail
cd /autograder/source

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if ! command -v npm >/dev/null 2>&1 || [ "$(node_major)" -lt 18 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends nodejs npm ca-certificates
fi
if [ "$(node_major)" -lt 18 ]; then
  echo "setup.sh: Node $(node --version 2>/dev/null || echo missing) is too old (18 or later needed)." >&2
  echo "setup.sh: choose a newer Gradescope base image (Ubuntu 24.04) or install Node 20 in this script." >&2
  exit 1
fi
npm ci --no-audit --no-fund
chmod +x run_autograder
# Warm Deno's cache so the first submission is not slower than the others.
node_modules/.bin/deno --version
