#!/usr/bin/env bash
# Builds PREVAIL (the verifier eBPF for Windows embeds) and our driver,
# `nethooks-verifier`, and installs the driver as $CARGO_HOME/bin/nethooks-verifier.
#
# PREVAIL is built once per set of source tarballs, under
# $CARGO_HOME/lib/nethooks-prevail/<key of the tarballs' sha256 and cmake flags>/;
# the driver is rebuilt only when its own source changes. A second run does nothing.
# Sources: ../shared/vendor/prevail/ (relative to the checkout) when present, laid out
# as its SOURCES.md says; otherwise each repository is fetched at the pinned commit.
# Needs cmake, ninja-build, g++ and libboost-dev (.ci/install-deps installs them).
set -euo pipefail

checkout="$(cd "$(dirname "$0")/.." && pwd)"
vendor="${NETHOOKS_PREVAIL_VENDOR:-$checkout/../shared/vendor/prevail}"
cargo_home="${CARGO_HOME:-$HOME/.cargo}"
driver_src="$checkout/verifier/nethooks_verifier.cpp"

# name | tarball | top directory | repository | full commit | sha256 of the tarball
sources=(
"prevail|prevail-67b6d03.tar.gz|prevail|https://github.com/vbpf/prevail|67b6d03ebaa3341e2eee2aa74502003fd11e31de|842d9fa8f42e919084bb28ea5e256688c0492fcc8952dff2e0f3661a52b0a43d"
"bpf_conformance|bpf_conformance-f558566.tar.gz|bpf_conformance|https://github.com/Alan-Jowett/bpf_conformance|f558566280d8e76c95a502cfd8014264d8668130|e28bdea85f2cdf51140b1a557fb4450640c50e141155a3600edb953dc5ad098f"
"elfio|ELFIO-7d30a22-headers.tar.gz|ELFIO|https://github.com/serge1/ELFIO|7d30a22fc5aac06adfe7887ae57f3701b6b5f913|29be8a1769d9165436cfd52958286384976fba8f5bbb1c3757cbc1899f1dc70e"
"libbtf|libbtf-0570bf0.tar.gz|libbtf|https://github.com/Alan-Jowett/libbtf|0570bf099bb3f659e9afb3acce6bfedaaf202e1e|8e0aa105a8c6afdade20026f5f8357b7911c4792c431ca159a694c2fc8219bf1"
"gsl|GSL-v4.2.0.tar.gz|GSL|https://github.com/microsoft/GSL|2828399820ef4928cc89b65605dca5dc68efca6e|e85bf309d5657d6ac45b99262a743a52d773bc6d60beb402591a7774c33a87b1"
)
cmake_flags=(-G Ninja -DCMAKE_BUILD_TYPE=Release -DFETCHCONTENT_FULLY_DISCONNECTED=ON
    -Dprevail_ENABLE_TESTS=OFF)
cxx_flags=(-std=c++23 -O2 -DSIZEOF_VOID_P=8 -DSIZEOF_LONG=8 -flto=auto)

hash_of() { sha256sum | cut -c1-16; }
prevail_key="$(printf '%s\n' "${sources[@]}" "${cmake_flags[@]}" "$(g++ -dumpfullversion)" | hash_of)"
prefix="$cargo_home/lib/nethooks-prevail/$prevail_key"
driver_key="$(cat "$driver_src" <(printf '%s\n' "${cxx_flags[@]}") | hash_of)"
driver="$prefix/driver-$driver_key/nethooks-verifier"
installed="$cargo_home/bin/nethooks-verifier"

if [ -x "$driver" ] && cmp -s "$driver" "$installed"; then
    echo "install-deps: nethooks-verifier (PREVAIL $prevail_key, driver $driver_key) already installed"
    exit 0
fi

# Unpacks one source into $2: from the vendored tarball (sha256 checked) or from git at
# the pinned commit (the commit id, a hash of the whole tree, is checked).
unpack() {
    local row="$1" into="$2" name tarball top repo commit sha
    IFS='|' read -r name tarball top repo commit sha <<<"$row"
    rm -rf "$into" && mkdir -p "$into"
    if [ -f "$vendor/$tarball" ]; then
        echo "$sha  $vendor/$tarball" | sha256sum --check --quiet \
            || { echo "install-deps: $vendor/$tarball: sha256 mismatch" >&2; exit 1; }
        tar -xzf "$vendor/$tarball" -C "$into" --strip-components=1 "$top/"
    else
        echo "install-deps: $tarball not in $vendor; fetching $repo at $commit"
        git -C "$into" init -q
        git -C "$into" fetch -q --depth 1 "$repo" "$commit"
        [ "$(git -C "$into" rev-parse FETCH_HEAD)" = "$commit" ] \
            || { echo "install-deps: $repo: fetched commit is not $commit" >&2; exit 1; }
        git -C "$into" checkout -q FETCH_HEAD
        rm -rf "$into/.git"
    fi
}

if [ ! -f "$prefix/build/libprevail.a" ]; then
    echo "install-deps: building PREVAIL into $prefix (a few minutes on two cores)"
    src="$prefix/src"
    rm -rf "$prefix" && mkdir -p "$src"
    unpack "${sources[0]}" "$src/prevail"
    unpack "${sources[1]}" "$src/prevail/external/bpf_conformance"
    unpack "${sources[2]}" "$src/prevail/external/bpf_conformance/external/elfio"
    unpack "${sources[3]}" "$src/prevail/external/libbtf"
    unpack "${sources[4]}" "$src/GSL"
    cmake -S "$src/prevail" -B "$prefix/build" "${cmake_flags[@]}" \
        -DFETCHCONTENT_SOURCE_DIR_GSL="$src/GSL" >"$prefix/cmake.log" 2>&1 \
        || { cat "$prefix/cmake.log" >&2; exit 1; }
    ninja -C "$prefix/build" -j"$(nproc)" prevail
fi

echo "install-deps: building nethooks-verifier (driver $driver_key)"
src="$prefix/src"
mkdir -p "$(dirname "$driver")" "$cargo_home/bin"
g++ "${cxx_flags[@]}" \
    -I"$src/prevail/src" -I"$src/prevail/external" \
    -I"$src/prevail/external/bpf_conformance/external/elfio" \
    -I"$src/prevail/external/bpf_conformance/lib/include" \
    -I"$src/prevail/external/libbtf" -I"$src/prevail/external/libbtf/libbtf" \
    -I"$src/GSL/include" \
    "$driver_src" -o "$driver.tmp" \
    "$prefix/build/libprevail.a" "$prefix/build/libbtf/libbtf/liblibbtf.a"
mv "$driver.tmp" "$driver"
cp "$driver" "$installed.tmp" && mv "$installed.tmp" "$installed"
echo "install-deps: installed $installed"
