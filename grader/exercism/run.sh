#!/bin/sh
# Exercism's test-runner entry for this workbook (POSIX sh).
#
#   run.sh SLUG SOLUTION_DIR OUTPUT_DIR
#
# SLUG is the exercise as Exercism names it (sleep-and-gather) or its folder (01_sleep_and_gather).
# Grades the files in SOLUTION_DIR against this workbook's hidden tests, as untrusted code (under
# Deno, in the sandbox when bubblewrap works), and writes OUTPUT_DIR/results.json (version 3 of
# Exercism's interface). The work is done by `grade exercism` (grader/cmd/exercism.ts); this
# script finds the workbook and a runtime, and makes sure a results.json exists whatever happens.
#
# Exit status: 0 when the run did its job, whatever the verdict (a results.json in error for an
# unknown slug, a missing folder, code that does not load); non-zero when the runner itself
# failed (results.json then says so); 2 for a wrong number of arguments.
#
# Environment: WORKBOOK_ROOT, the workbook (default: the first folder above this script holding
# grader/main.ts); WORKBOOK_EXERCISM_FLAGS, extra grade options, split on spaces (for example
# --unsafe-no-sandbox in an image where the container is the sandbox).

if [ "$#" -ne 3 ]; then
  echo "usage: run.sh SLUG SOLUTION_DIR OUTPUT_DIR" >&2
  exit 2
fi
slug=$1
solution=$2
output=$3

# Absolute paths, since the grader runs from the workbook.
case $solution in /*) ;; *) solution=$(pwd)/$solution ;; esac
case $output in /*) ;; *) output=$(pwd)/$output ;; esac

# The last resort: a results.json in error written here (the message is fixed text, no input).
fail() {
  mkdir -p "$output" &&
    printf '{\n  "version": 3,\n  "status": "error",\n  "message": "%s",\n  "tests": []\n}\n' \
      "The test runner failed: $1. Please report it to the track's maintainers." \
      >"$output/results.json"
  echo "run.sh: $1" >&2
  exit 3
}

root=${WORKBOOK_ROOT:-}
if [ -z "$root" ]; then
  dir=$(cd "$(dirname "$0")" && pwd)
  while [ -n "$dir" ]; do
    if [ -f "$dir/grader/main.ts" ]; then
      root=$dir
      break
    fi
    [ "$dir" = / ] && break
    dir=$(dirname "$dir")
  done
fi
[ -n "$root" ] && [ -f "$root/grader/main.ts" ] || fail "no workbook found (WORKBOOK_ROOT, or a folder above run.sh holding grader/main.ts)"

# The grader runs on Deno (the runtime untrusted code is graded under), else Bun.
if [ -x "$root/node_modules/.bin/deno" ]; then
  set -- "$root/node_modules/.bin/deno" run --allow-all
elif command -v deno >/dev/null 2>&1; then
  set -- deno run --allow-all
elif [ -x "$root/node_modules/.bin/bun" ]; then
  set -- "$root/node_modules/.bin/bun"
elif command -v bun >/dev/null 2>&1; then
  set -- bun
else
  fail "neither Deno nor Bun is installed"
fi

rm -f "$output/results.json"
# shellcheck disable=SC2086 # WORKBOOK_EXERCISM_FLAGS holds options, split on purpose.
(cd "$root" && "$@" grader/main.ts exercism ${WORKBOOK_EXERCISM_FLAGS:-} -- "$slug" "$solution" "$output")
code=$?
[ -f "$output/results.json" ] || fail "the grader exited with status $code without writing results.json"
exit "$code"
