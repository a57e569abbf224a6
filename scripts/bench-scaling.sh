#!/usr/bin/env bash
# How the generator's work grows with the spec: the `codegen` binary (release) run
# once on synthetic specs of 1,000, 4,000 and 16,000 items, each time counting the
# instructions it executes with valgrind's callgrind. Instruction counts do not
# depend on caches or on what else the machine is doing, so each 4x step in items
# should be a 4x step in instructions if every stage is linear. Installs valgrind
# from Debian if missing (as root). Usage: scripts/bench-scaling.sh [N ...]
set -euo pipefail
cd "$(dirname "$0")/.."

command -v valgrind >/dev/null || {
    apt-get update -qq && apt-get install -y -qq --no-install-recommends valgrind
}
cargo build --release -q -p codegen --bin codegen --example synthetic
release="${CARGO_TARGET_DIR:-target}/release"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 4000 16000)
echo "| items | instructions | ratio to the previous size |"
echo "|---:|---:|---:|"
previous=""
for n in "${sizes[@]}"; do
    "$release/examples/synthetic" "$n" >"$work/spec-$n.toml"
    valgrind --tool=callgrind --callgrind-out-file="$work/callgrind-$n" \
        "$release/codegen" --spec "$work/spec-$n.toml" --out "$work/out-$n" \
        >/dev/null 2>"$work/valgrind-$n.log"
    count=$(grep -oP 'refs:\s*\K[0-9,]+' "$work/valgrind-$n.log" | tr -d ,)
    ratio="—"
    if [ -n "$previous" ]; then
        ratio=$(awk -v a="$count" -v b="$previous" 'BEGIN { printf "%.2f", a / b }')
    fi
    grouped=$(echo "$count" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta')
    printf "| %s | %s | %s |\n" "$n" "$grouped" "$ratio"
    previous=$count
done
