#!/usr/bin/env bash
# Builds PREVAIL (the verifier eBPF for Windows embeds) and our driver,
# `nethooks-verifier`, and installs the driver as $CARGO_HOME/bin/nethooks-verifier.
#
# PREVAIL is built once per set of sources, under
# $CARGO_HOME/lib/nethooks-prevail/<key of the `sources` rows and cmake flags>/;
# the driver is rebuilt only when its own source changes. A second run does nothing.
# Needs cmake, ninja-build, g++ and libboost-dev (.ci/install-deps installs them).
#
# Sources: from ../shared/vendor/prevail/ (relative to the checkout) when present, laid
# out as its SOURCES.md says, each tarball's sha256 checked; otherwise each repository
# is fetched with git at the pinned commit (the fetched commit id checked) and its tree
# written out with `git archive <commit> [paths] | tar -x`, which is how the vendored
# tarballs were made (with paths only for ELFIO, see the last column of `sources`).
# Either way, the unpacked tree's sha256 (below) must equal the one recorded in
# `sources`, or the script refuses to build.
#
# Tree sha256 of a directory: one line per regular file under it, recursively,
#     <sha256 of its bytes> <755 if its owner may execute it, else 644> <path>\n
# where <path> is relative to the directory (no leading ./); the lines in byte order of
# <path> (LC_ALL=C); the sha256 of those lines is the tree's. Directories count only
# through their files (empty ones are ignored); anything else (a symlink, a device) or a
# path with a newline is refused. The same by hand, in the unpacked directory:
#     find . -type f -printf '%P\0' | LC_ALL=C sort -z | while IFS= read -rd '' f; do
#         m=644; [ "$(stat -c %A "$f" | cut -c4)" = x ] && m=755
#         printf '%s %s %s\n' "$(sha256sum <"$f" | cut -c1-64)" "$m" "$f"
#     done | sha256sum
#
# Environment: NETHOOKS_PREVAIL_VENDOR=DIR takes the tarballs from DIR instead of
# ../shared/vendor/prevail (a DIR without them makes every source be fetched);
# CARGO_HOME as usual.
# `install.sh --sources-only DIR` unpacks and checks the five sources into DIR (the
# layout of SOURCES.md, DIR must not exist) and stops: no build, nothing installed.
set -euo pipefail

checkout="$(cd "$(dirname "$0")/.." && pwd)"
vendor="${NETHOOKS_PREVAIL_VENDOR:-$checkout/../shared/vendor/prevail}"
cargo_home="${CARGO_HOME:-$HOME/.cargo}"
driver_src="$checkout/verifier/nethooks_verifier.cpp"

# name | tarball | top directory | repository | full commit | sha256 of the tarball |
# tree sha256 (above) of the unpacked source | paths given to `git archive` (all if empty)
# Each tarball is byte for byte `git archive --format=tar.gz --prefix=<top>/ <commit>
# <paths>` (checked with git 2.47.3 on copies of the repositories), so the paths are
# exactly the subset the ELFIO tarball keeps (its tests and examples are left out).
# The tree sha256 values were computed from the tarballs; every run from them checks
# them again.
sources=(
"prevail|prevail-67b6d03.tar.gz|prevail|https://github.com/vbpf/prevail|67b6d03ebaa3341e2eee2aa74502003fd11e31de|842d9fa8f42e919084bb28ea5e256688c0492fcc8952dff2e0f3661a52b0a43d|a8cdcc55f181a6a9f0772523569f76ecf9533beb3db706917c2e6426028fc4bf|"
"bpf_conformance|bpf_conformance-f558566.tar.gz|bpf_conformance|https://github.com/Alan-Jowett/bpf_conformance|f558566280d8e76c95a502cfd8014264d8668130|e28bdea85f2cdf51140b1a557fb4450640c50e141155a3600edb953dc5ad098f|ee084b9721acceebda0830f6810fabaf9a78ddbbc51bc262171f0d1c3004f0da|"
"elfio|ELFIO-7d30a22-headers.tar.gz|ELFIO|https://github.com/serge1/ELFIO|7d30a22fc5aac06adfe7887ae57f3701b6b5f913|29be8a1769d9165436cfd52958286384976fba8f5bbb1c3757cbc1899f1dc70e|2b76c61f89c200d573b4be4c35ee197382bd38360f3f68f0920c5b7d30d844e0|CMakeLists.txt LICENSE.txt README.md cmake elfio"
"libbtf|libbtf-0570bf0.tar.gz|libbtf|https://github.com/Alan-Jowett/libbtf|0570bf099bb3f659e9afb3acce6bfedaaf202e1e|8e0aa105a8c6afdade20026f5f8357b7911c4792c431ca159a694c2fc8219bf1|4afdf374a1c50f7a164324b66ba86aa50978c7a330dca00137be683b1d45f3d6|"
"gsl|GSL-v4.2.0.tar.gz|GSL|https://github.com/microsoft/GSL|2828399820ef4928cc89b65605dca5dc68efca6e|e85bf309d5657d6ac45b99262a743a52d773bc6d60beb402591a7774c33a87b1|811d5dd1b38a34077f003dbe4e16de13c675be4760df02db9bcbdfd4b4df9acf|"
)
cmake_flags=(-G Ninja -DCMAKE_BUILD_TYPE=Release -DFETCHCONTENT_FULLY_DISCONNECTED=ON
    -Dprevail_ENABLE_TESTS=OFF)
cxx_flags=(-std=c++23 -O2 -DSIZEOF_VOID_P=8 -DSIZEOF_LONG=8 -flto=auto)

# Prints the tree sha256 (defined at the top) of directory $1.
tree_sha256() (
    set -euo pipefail
    export LC_ALL=C
    cd "$1" || exit 1
    local other paths sums i path mode
    other="$(find . -mindepth 1 ! -type f ! -type d -printf '%P\n')"
    [ -z "$other" ] || { printf 'install-deps: %s: not a regular file or directory:\n%s\n' \
        "$1" "$other" >&2; exit 1; }
    mapfile -d '' paths < <(find . -type f -printf '%P\0' | sort -z)
    [ "${#paths[@]}" -gt 0 ] || { echo "install-deps: $1: no files" >&2; exit 1; }
    mapfile -d '' sums < <(sha256sum -z -- "${paths[@]}")
    [ "${#sums[@]}" -eq "${#paths[@]}" ] || { echo "install-deps: $1: sha256sum failed" >&2; exit 1; }
    declare -A exe=()
    while IFS= read -rd '' path; do exe[$path]=1; done < <(find . -type f -perm -u=x -printf '%P\0')
    for i in "${!paths[@]}"; do
        path="${paths[i]}"
        [[ $path != *$'\n'* ]] || { echo "install-deps: $1: a path has a newline" >&2; exit 1; }
        mode=644; [ -z "${exe[$path]:-}" ] || mode=755
        printf '%s %s %s\n' "${sums[i]:0:64}" "$mode" "$path"
    done | sha256sum | cut -c1-64
)

# Writes the tree of $commit (already in git directory $1) into $3 as `git archive`
# does, limited to the paths $4 (all when empty). Attributes come only from the
# archived tree (no user or system attribute files) and line endings are not converted
# beyond what those say, as when the vendored tarballs were made.
materialize() {
    local git_dir="$1" commit="$2" into="$3" paths="$4"
    # shellcheck disable=SC2086 # $paths is a space-separated list
    GIT_ATTR_NOSYSTEM=1 git -C "$git_dir" -c core.attributesFile=/dev/null \
        -c core.autocrlf=false -c core.eol=lf archive --format=tar "$commit" -- $paths \
        | tar -x -C "$into"
}

# Unpacks one source into $2 and checks it: the vendored tarball (its sha256 checked)
# or git at the pinned commit (the fetched commit id checked); then the tree sha256.
unpack() {
    local row="$1" into="$2" name tarball top repo commit sha tree paths got git_dir
    IFS='|' read -r name tarball top repo commit sha tree paths <<<"$row"
    rm -rf "$into" && mkdir -p "$into"
    if [ -f "$vendor/$tarball" ]; then
        echo "$sha  $vendor/$tarball" | sha256sum --check --quiet \
            || { echo "install-deps: $vendor/$tarball: sha256 mismatch" >&2; exit 1; }
        tar -xzf "$vendor/$tarball" -C "$into" --strip-components=1 "$top/"
        got="$(tree_sha256 "$into")" || exit 1
        [ "$got" = "$tree" ] || { echo "install-deps: $name: the tree of $vendor/$tarball has" \
            "sha256 $got, not the recorded $tree; refusing to build" >&2; exit 1; }
    else
        echo "install-deps: $tarball not in $vendor; fetching $repo at $commit"
        git_dir="$(mktemp -d)"
        git -C "$git_dir" init -q --bare
        git -C "$git_dir" fetch -q --depth 1 "$repo" "$commit" \
            || { rm -rf "$git_dir"; echo "install-deps: $name: cannot fetch $repo at $commit" >&2; exit 1; }
        [ "$(git -C "$git_dir" rev-parse FETCH_HEAD)" = "$commit" ] \
            || { rm -rf "$git_dir"; echo "install-deps: $name: $repo: fetched commit is not $commit" >&2; exit 1; }
        materialize "$git_dir" "$commit" "$into" "$paths" \
            || { rm -rf "$git_dir"; echo "install-deps: $name: git archive of $commit failed" >&2; exit 1; }
        rm -rf "$git_dir"
        got="$(tree_sha256 "$into")" || exit 1
        [ "$got" = "$tree" ] || { echo "install-deps: $name: the tree of $repo at $commit has" \
            "sha256 $got, not the recorded $tree, which the vendored $tarball has; refusing to" \
            "build" >&2; exit 1; }
    fi
}

# Unpacks and checks all five sources into $1, laid out as SOURCES.md says.
unpack_all() {
    local src="$1"
    unpack "${sources[0]}" "$src/prevail"
    unpack "${sources[1]}" "$src/prevail/external/bpf_conformance"
    unpack "${sources[2]}" "$src/prevail/external/bpf_conformance/external/elfio"
    unpack "${sources[3]}" "$src/prevail/external/libbtf"
    unpack "${sources[4]}" "$src/GSL"
}

if [ "${1:-}" = --sources-only ]; then
    [ $# -eq 2 ] && [ ! -e "$2" ] \
        || { echo "usage: install.sh --sources-only DIR (DIR must not exist)" >&2; exit 2; }
    unpack_all "$2"
    echo "install-deps: the five sources are in $2, all checked"
    exit 0
fi

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

if [ ! -f "$prefix/build/libprevail.a" ]; then
    echo "install-deps: building PREVAIL into $prefix (a few minutes on two cores)"
    src="$prefix/src"
    rm -rf "$prefix" && mkdir -p "$src"
    unpack_all "$src"
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
