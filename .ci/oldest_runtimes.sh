#!/usr/bin/env bash
# The oldest supported runtimes, checked: installs deno@MIN and bun@MIN (MIN_VERSION of
# grader/engine/runtimes.ts) from npm into a temporary prefix and, on each, with the grader itself
# running on that release and WORKBOOK_DENO / WORKBOOK_BUN forcing it as the graded runtime:
#   1. grade --solutions: every reference solution at full marks;
#   2. grade --stubs: every stub at zero;
#   3. the README's self-study command, `deno test` / `bun test` of exercises/01_sleep_and_gather:
#      the stub fails its visible tests and the reference solution passes them (Bun 1.2's node:test
#      passed a stub).
# One line per check, then a summary; exits 1 when a check failed. About 2 minutes on 2 cores,
# most of it the download. Usage: bash .ci/oldest_runtimes.sh [deno|bun]...
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
started=$SECONDS

read -r deno_min bun_min < <(sed -n \
  's/^export const MIN_VERSION.*deno: "\([0-9.]*\)", bun: "\([0-9.]*\)".*/\1 \2/p' \
  grader/engine/runtimes.ts)
if [ -z "${deno_min:-}" ] || [ -z "${bun_min:-}" ]; then
  echo "oldest runtimes: FAILED: no MIN_VERSION in grader/engine/runtimes.ts" >&2
  exit 1
fi
runtimes=("$@")
[ ${#runtimes[@]} -gt 0 ] || runtimes=(deno bun)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
specs=()
for rt in "${runtimes[@]}"; do
  case $rt in
    deno) specs+=("deno@$deno_min") ;;
    bun) specs+=("bun@$bun_min") ;;
    *) echo "usage: $0 [deno|bun]..." >&2; exit 2 ;;
  esac
done
echo "== oldest supported runtimes: ${specs[*]} (from npm)"
if ! npm install --prefix "$tmp/rt" --no-save --no-package-lock --no-audit --no-fund \
  --loglevel=error "${specs[@]}" >"$tmp/npm.log" 2>&1; then
  cat "$tmp/npm.log" >&2
  echo "oldest runtimes: FAILED: npm could not install ${specs[*]}" >&2
  exit 1
fi

# The first candidate that runs and prints the wanted version (npm runs Bun's postinstall, which
# moves the binary to bun/bin/bun.exe, only when install scripts are allowed).
binary() {
  local want=$2 c
  shift 2
  for c in "$@"; do
    [ -x "$c" ] && "$c" --version 2>/dev/null | head -1 | grep -q "$want" && {
      echo "$c"
      return
    }
  done
}

passed=0
failed=0
ok() { echo "ok   $*"; passed=$((passed + 1)); }
bad() { echo "FAIL $*"; failed=$((failed + 1)); }

# A copy of exercise 01 beside lib/ and the configs, for the self-study command (the work tree is
# not touched).
wb=$tmp/wb
mkdir -p "$wb/exercises"
cp -r lib deno.json package.json tsconfig.json "$wb/"
cp -r exercises/01_sleep_and_gather "$wb/exercises/"
ln -s "$root/node_modules" "$wb/node_modules"

for rt in "${runtimes[@]}"; do
  nm=$tmp/rt/node_modules
  if [ "$rt" = deno ]; then
    v=$deno_min
    bin=$(binary deno "$v" "$nm"/@deno/*/deno)
    run=(run --allow-all --no-lock)
    env_var=WORKBOOK_DENO
  else
    v=$bun_min
    bin=$(binary bun "$v" "$nm/bun/bin/bun.exe" "$nm/@oven/bun-linux-x64/bin/bun" "$nm"/@oven/*/bin/bun)
    run=()
    env_var=WORKBOOK_BUN
  fi
  if [ -z "$bin" ]; then
    bad "$rt $v: no binary of $rt $v that runs in $nm"
    continue
  fi
  for mode in solutions stubs; do
    out=$tmp/$rt-$mode.json
    t0=$SECONDS
    env "$env_var=$bin" "$bin" "${run[@]}" grader/main.ts grade "--$mode" --runtime "$rt" \
      --format json --out "$out" >"$tmp/$rt-$mode.log" 2>&1
    verdict=$(node -e '
      const fs = require("fs");
      const [file, mode] = process.argv.slice(1);
      if (!fs.existsSync(file)) { console.log("FAIL no report"); process.exit(); }
      const r = JSON.parse(fs.readFileSync(file, "utf8"));
      const off = r.exercises.filter((e) => mode === "solutions" ? e.score !== e.max_score : e.score !== 0);
      const n = r.exercises.length;
      console.log(`${off.length || n === 0 ? "FAIL" : "ok"} ${r.score}/${r.max_score} over ${n} exercises` +
        (off.length ? `; off: ${off.map((e) => `${e.id} ${e.score}${e.reason ? ` (${e.reason.slice(0, 800)})` : ""}`).join(", ")}` : ""));
    ' "$out" "$mode")
    line="$rt $v: grade --$mode: ${verdict#* } ($((SECONDS - t0)) s)"
    if [ "${verdict%% *}" = ok ]; then ok "$line"; else
      bad "$line"
      tail -5 "$tmp/$rt-$mode.log"
    fi
  done
  # The self-study command: the stub must fail, the solution must pass.
  ex=exercises/01_sleep_and_gather
  stub=$(cd "$wb" && "$bin" test "$ex" 2>&1)
  stub_code=$?
  cp solutions/01_sleep_and_gather/gather.ts "$wb/$ex/gather.ts"
  sol=$(cd "$wb" && "$bin" test "$ex" 2>&1)
  sol_code=$?
  cp "$ex/gather.ts" "$wb/$ex/gather.ts"
  summary() { sed 's/\x1b\[[0-9;]*m//g' | grep -E '^ *[0-9]+ (pass|fail)$|^(ok|FAILED) \|' | tr -s ' \n' ' '; }
  line="$rt $v: $rt test $ex: stub exit $stub_code [$(summary <<<"$stub")], solution exit $sol_code [$(summary <<<"$sol")]"
  if [ $stub_code -ne 0 ] && grep -q "not implemented" <<<"$stub" && [ $sol_code -eq 0 ]; then
    ok "$line"
  else
    bad "$line"
  fi
done

echo "oldest supported runtimes: $passed of $((passed + failed)) checks passed ($((SECONDS - started)) s)"
[ $failed -eq 0 ]
