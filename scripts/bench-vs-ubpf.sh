#!/usr/bin/env bash
# nethooks-run against uBPF (the interpreter and x86-64 JIT eBPF for Windows runs
# programs with) on the same program bytes and context, measured in one run:
#  1. ns per run of `nethooks-run OBJECT --repeat N` (prepared program: interpreter,
#     and rbpf's JIT compiled once) and of uBPF's ubpf_exec and ubpf_compile'd code
#     (scripts/ubpf/bench.c), ROUNDS rounds alternating between the two, each figure
#     the median of its rounds, with the ratio runner / uBPF;
#  2. peak memory of a 100,000-run scenario with --json.
# uBPF comes from the vendored source tarball (../shared/vendor/ubpf/, or
# $UBPF_TARBALL); without it, part 1 measures the runner alone. Needs clang,
# llvm-objcopy-22 and gcc (bash .ci/install-deps). Usage: scripts/bench-vs-ubpf.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
runs=${RUNS:-2000000}
rounds=${ROUNDS:-5}
tarball=${UBPF_TARBALL:-$(ls "$root"/../shared/vendor/ubpf/ubpf-*.tar.gz 2>/dev/null | head -1 || true)}

cargo build --release -q -p nethooks-run
run="${CARGO_TARGET_DIR:-target}/release/nethooks-run"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ubpf=""
if [ -n "$tarball" ] && [ -f "$tarball" ]; then
    tar xzf "$tarball" -C "$work"
    vm="$work/ubpf/vm"
    # What vm/CMakeLists.txt's configure step writes on Linux (elf.h present).
    printf '#pragma once\n#define UBPF_HAS_ELF_H\n' >"$vm/ubpf_config.h"
    for c in ubpf_instruction_valid ubpf_jit ubpf_jit_support ubpf_jit_x86_64 \
        ubpf_jit_arm64 ubpf_safe ubpf_loader ubpf_vm; do
        gcc -O2 -c -I"$vm" -I"$vm/inc" "$vm/$c.c" -o "$work/$c.o"
    done
    gcc -O2 -I"$vm" -I"$vm/inc" scripts/ubpf/bench.c "$work"/ubpf_*.o -o "$work/ubpf-bench"
    ubpf="$work/ubpf-bench"
else
    echo "uBPF's tarball not found (set UBPF_TARBALL): measuring the runner alone" >&2
fi

compile() {
    clang -O2 -target bpf -Wall -Werror -I generated/include -I tests/programs/include \
        -I "/usr/include/$(gcc -print-multiarch)" -c "tests/programs/$1" -o "$work/$2.o"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# program source, section, --ctx for the runner, the same context as hex for uBPF.
programs=(
    "bind_policy.c|bind|process_id=42,socket_address=hex:02001f907f000001|000000000000000000000000000000002a0000000000000002001f907f000001000000000000000000000000000000000000000000000000"
    "connect4_policy.c|cgroup/connect4|family=2,user_ip4=10.0.0.1,user_port=net:22,protocol=6|0200000000000000000000000000000000000000000000000a0000010000000000000000000000000016000006000000000000000000000000000000"
    "connect6_policy.c|cgroup/connect6|family=23,user_ip6=::ffff:127.0.0.1,user_port=net:80|17000000000000000000000000000000000000000000000000000000000000000000ffff7f000001005000000000000000000000000000000000000000"
    # A BPF-to-BPF call within the section (the runner's JIT runs it inlined).
    "call_in_section.c|cgroup/connect4|user_port=net:22|00000000000000000000000000000000000000000000000000000000000000000000000000000000001600000000000000000000000000000000000000000000"
)

echo "## ns per run, $runs runs, median of $rounds rounds"
echo
echo "| program | runner interpreter | uBPF interpreter | ratio | runner JIT (rbpf) | uBPF JIT | ratio |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for entry in "${programs[@]}"; do
    IFS='|' read -r source section ctx hex <<<"$entry"
    name=${source%.c}
    compile "$source" "$name"
    llvm-objcopy-22 -O binary --only-section="$section" "$work/$name.o" "$work/$name.bin"
    for _ in $(seq "$rounds"); do
        out=$("$run" "$work/$name.o" --ctx "$ctx" --repeat "$runs" --json)
        echo "$out" | python3 -c 'import json,sys; v=json.load(sys.stdin); print(v["repeat"]["interpreter"]["ns_per_run"]); print(v["repeat"]["jit"].get("ns_per_run", "nan")); print(v["verdict_value"])' \
            >"$work/ours"
        sed -n 1p "$work/ours" >>"$work/$name.interp"
        sed -n 2p "$work/ours" >>"$work/$name.jit"
        r0=$(sed -n 3p "$work/ours")
        if [ -n "$ubpf" ]; then
            "$ubpf" "$work/$name.bin" "$hex" "$runs" >"$work/theirs"
            their_r0=$(awk '/interpreter/ { print $NF }' "$work/theirs")
            [ "$their_r0" = "$r0" ] || { echo "$name: uBPF returned $their_r0, the runner $r0" >&2; exit 1; }
            awk '/interpreter/ { print $5 }' "$work/theirs" >>"$work/$name.uinterp"
            awk '/JIT/ { print $5 }' "$work/theirs" >>"$work/$name.ujit"
        fi
    done
    ri=$(median <"$work/$name.interp")
    rj=$(median <"$work/$name.jit")
    if [ -n "$ubpf" ]; then
        ui=$(median <"$work/$name.uinterp")
        uj=$(median <"$work/$name.ujit")
        awk -v n="$name" -v ri="$ri" -v ui="$ui" -v rj="$rj" -v uj="$uj" 'BEGIN {
            printf "| `%s` | %.1f | %.1f | %.2f | %.1f | %.1f | %.2f |\n", n, ri, ui, ri / ui, rj, uj, rj / uj }'
    else
        printf '| `%s` | %.1f | - | - | %.1f | - | - |\n' "$name" "$ri" "$rj"
    fi
done

echo
echo "## A 100,000-run scenario with --json"
clang -O2 -g -target bpf -Wall -I generated/include -I tests/programs/include \
    -I "/usr/include/$(gcc -print-multiarch)" -c tests/programs/maps/connect_policy.c \
    -o "$work/connect_policy.o"
python3 - "$work/big.toml" <<'PY'
import sys
head = open("tests/programs/maps/connect_policy.toml").read().split("[[run]]")[0]
run = '[[run]]\nctx = { user_ip4 = "10.0.0.1", user_port = "net:443" }\nverdict = "BPF_SOCK_ADDR_VERDICT_REJECT"\n'
first = run.replace("[[run]]\n", '[[run]]\nprogram = "connect_policy"\n')
open(sys.argv[1], "w").write(head + first + run * 99_999)
PY
/usr/bin/time -f "%M %e" -o "$work/time" "$run" "$work/connect_policy.o" \
    --scenario "$work/big.toml" --json >/dev/null
read -r kb seconds <"$work/time"
echo
echo "peak memory $((kb / 1024)) MB, $seconds s"
