#!/usr/bin/env bash
# Whole-process cost of `codegen --check` on the real spec, from a built release
# binary (cargo's own start-up excluded): wall time over repeated runs (hyperfine)
# and peak memory (GNU time). Installs hyperfine and time from Debian if missing (as
# root). Usage: scripts/bench-process.sh
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v hyperfine >/dev/null || need+=(hyperfine)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

cargo build --release -q -p codegen
codegen="${CARGO_TARGET_DIR:-target}/release/codegen"
hyperfine -N --warmup 5 --min-runs 50 --command-name "codegen --check" "$codegen --check"
/usr/bin/time -v "$codegen" --check 2>&1 |
    grep -E "Elapsed \(wall clock\)|Maximum resident set size"
