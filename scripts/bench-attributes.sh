#!/usr/bin/env bash
# What the hook attributes cost a user's build. Generates, in a temporary workspace
# that uses this checkout's facade crate, two crates with the same 100 hook functions:
# one with the attributes (`with`) and one written by hand as plain functions of the
# same signatures (`without`). hyperfine then times rebuilding each after a touch,
# in debug and release, in one run, so the difference is the expansion's cost. Also
# reports the macro crate's dependency count and clean build time.
# Installs hyperfine from Debian if missing (as root). Usage: scripts/bench-attributes.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/with/src" "$work/without/src"
cat > "$work/Cargo.toml" <<TOML
[workspace]
members = ["with", "without"]
resolver = "3"
TOML
for crate in with without; do
    cat > "$work/$crate/Cargo.toml" <<TOML
[package]
name = "$crate"
version = "0.1.0"
edition = "2024"

[dependencies]
ebpf-nethooks = { path = "$root" }
TOML
done

# The same policy body for every function; the attributes' version is checked and
# expanded by the macros, the plain version is what a user would write without them.
body='if ctx.protocol() == 6 { bind_action_t::BIND_DENY } else { bind_action_t::BIND_PERMIT_SOFT }'
{
    echo "#![allow(clippy::all)]"
    echo "use ebpf_nethooks::*;"
    for i in $(seq 1 100); do
        echo "#[bind_hook] pub fn policy_$i(ctx: &mut bind_md_t) -> bind_action_t { $body }"
    done
} > "$work/with/src/lib.rs"
{
    echo "#![allow(clippy::all)]"
    echo "use ebpf_nethooks::*;"
    for i in $(seq 1 100); do
        echo "pub fn policy_$i(ctx: &mut bind_md_t) -> bind_action_t { $body }"
    done
} > "$work/without/src/lib.rs"

cd "$work"
cargo build -q && cargo build -q --release   # dependencies once, outside the timing
for profile in dev release; do
    flag=""; [ "$profile" = release ] && flag="--release"
    hyperfine --warmup 1 --min-runs 10 \
        --prepare "touch with/src/lib.rs without/src/lib.rs" \
        --command-name "$profile, 100 fns with attributes" "cargo build -q $flag -p with" \
        --command-name "$profile, 100 plain fns" "cargo build -q $flag -p without"
done

cd "$root"
echo
echo "ebpf-nethooks-macros: $(cargo tree -q -p ebpf-nethooks-macros -e normal --prefix none | sed "s/ (\*)//" | sort -u | wc -l) crates in its dependency tree (itself included)"
hyperfine --runs 3 --prepare "rm -rf $work/macros-target" \
    --command-name "clean build of ebpf-nethooks-macros (dev)" \
    "cargo build -q -p ebpf-nethooks-macros --target-dir $work/macros-target"
