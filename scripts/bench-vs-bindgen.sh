#!/usr/bin/env bash
# Compares, in one hyperfine run, the time bindgen takes to produce Rust bindings from
# the generated C header with the time codegen takes to produce ours (and the header,
# and the docs) from the spec. Installs what it needs: hyperfine and libclang from
# Debian (as root), bindgen-cli from crates.io. Usage: scripts/bench-vs-bindgen.sh
set -euo pipefail
cd "$(dirname "$0")/.."

need_deb=()
command -v hyperfine >/dev/null || need_deb+=(hyperfine)
dpkg-query -W -f='${Status}' libclang-dev 2>/dev/null | grep -q "install ok installed" || need_deb+=(libclang-dev)
if [ ${#need_deb[@]} -gt 0 ]; then
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need_deb[@]}"
fi
command -v bindgen >/dev/null || cargo install --locked bindgen-cli

cargo build --release -q -p codegen
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
multiarch=$(gcc -print-multiarch)

hyperfine --warmup 3 --min-runs 20 --export-markdown "$out/report.md" \
    --command-name bindgen \
    "bindgen generated/include/ebpf_nethooks.h -o $out/bindgen.rs -- -I/usr/include/$multiarch" \
    --command-name codegen \
    "target/release/codegen --out $out/codegen"
cat "$out/report.md"
