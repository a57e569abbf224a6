#!/usr/bin/env bash
# Compares, in one hyperfine run, the time bindgen takes to produce Rust bindings from
# the generated C header with the time codegen takes to produce ours from the spec
# (`--artifact rust-bindings`: the like-for-like figure), and to produce every
# artifact (header, bindings, hook table, docs). Installs what it needs: hyperfine
# and libclang from Debian (as root), bindgen-cli from crates.io.
# Usage: scripts/bench-vs-bindgen.sh
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

codegen="${CARGO_TARGET_DIR:-target}/release/codegen"
# Each run starts from an empty output directory, so every tool writes its files.
hyperfine -N --warmup 3 --min-runs 20 --export-markdown "$out/report.md" \
    --prepare "rm -f $out/bindgen.rs" \
    --prepare "rm -rf $out/codegen-rust" \
    --prepare "rm -rf $out/codegen-all" \
    --command-name bindgen \
    "bindgen generated/include/ebpf_nethooks.h -o $out/bindgen.rs -- -I/usr/include/$multiarch" \
    --command-name "codegen --artifact rust-bindings" \
    "$codegen --artifact rust-bindings --out $out/codegen-rust" \
    --command-name "codegen (all artifacts)" \
    "$codegen --out $out/codegen-all"
cat "$out/report.md"
