#!/usr/bin/env bash
# BPF objects from Rust hook crates, measured in one run:
#  1. program size: instructions of each Rust twin (tests/programs/twins, built by
#     `cargo nethooks build`) against its C program (tests/programs/*.c, clang -O2
#     -target bpf, at clang's default CPU and at -mcpu=v3), with the ratio;
#  2. build time of examples/policies to a BPF object, clean and after touching one
#     file, by each route (llc and bpf-linker), with hyperfine.
# Needs the tools of .ci/install-deps; installs hyperfine from Debian if missing (as
# root). Usage: scripts/bench-bpf.sh
set -euo pipefail
cd "$(dirname "$0")/.."

command -v hyperfine >/dev/null ||
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends hyperfine; }

cargo build --release -q -p cargo-nethooks
target="${CARGO_TARGET_DIR:-target}"
nethooks="$target/release/cargo-nethooks"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Instruction count of function $2 in object $1 (the symbol's size / 8).
insns() {
    local size
    size=$(llvm-objdump-22 -t "$1" | awk -v f="$2" '$NF == f { print $5 }')
    echo $((16#$size / 8))
}

echo "## Program size (instructions)"
"$nethooks" nethooks build --manifest-path tests/programs/twins/Cargo.toml \
    --out "$work/twins.o" >/dev/null
multiarch="-I/usr/include/$(gcc -print-multiarch)"
printf '| program | C (clang -O2) | C (-mcpu=v3) | Rust (v4) | Rust / C | Rust / C v3 |\n'
printf '|---|---:|---:|---:|---:|---:|\n'
for name in bind_policy connect4_policy connect6_policy connect_authorization_policy \
    redirect_context_policy sockops_flow; do
    source=tests/programs/$name.c
    clang -O2 -target bpf -I generated/include "$multiarch" -c "$source" -o "$work/$name.o"
    clang -O2 -target bpf -mcpu=v3 -I generated/include "$multiarch" -c "$source" \
        -o "$work/$name.v3.o"
    c=$(insns "$work/$name.o" "$name")
    c3=$(insns "$work/$name.v3.o" "$name")
    rust=$(insns "$work/twins.o" "$name")
    awk -v n="$name" -v c="$c" -v c3="$c3" -v r="$rust" \
        'BEGIN { printf "| `%s` | %d | %d | %d | %.2f | %.2f |\n", n, c, c3, r, r / c, r / c3 }'
done

echo
echo "## Build time of examples/policies"
policies=examples/policies
for route in llc bpf-linker; do
    build="$nethooks nethooks build --route $route --manifest-path $policies/Cargo.toml --out $work/policies.o"
    hyperfine -N --runs 5 --command-name "clean, $route" \
        --prepare "rm -rf $target/nethooks" "$build"
    hyperfine -N --warmup 1 --runs 10 --command-name "one file touched, $route" \
        --prepare "touch $policies/src/lib.rs" "$build"
done
