#!/usr/bin/env bash
# Type erasure of the derive's generated operations, measured on the expanded bench crate (see
# README.md). One command:
#
#     benches/support/type_erasure/run.sh             # every row, then the correctness check
#     ROWS="base r2" benches/support/type_erasure/run.sh
#
# Everything lives under $WORK (default /tmp/type-erasure); nothing is committed.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO="${REPO:-$(cd "$HERE/../../.." && pwd)}"
WORK="${WORK:-/tmp/type-erasure}"
export CARGO_TERM_COLOR=never
# build_time.sh's environment: the bench crate builds incrementally (cargo's dev default), which
# is what its 5.318 G counts; with CARGO_INCREMENTAL=0 every count here is ~16 % lower.
unset CARGO_TARGET_DIR RUSTFLAGS CARGO_INCREMENTAL

# Each row: a name and erase_fields.py's options (none: the expanded crate unchanged).
ALL_ROWS=(
    "base"
    "stub3 stub-eq stub-fmt stub-empty"
    "stub7 stub-eq stub-fmt stub-empty stub-apply stub-diff stub-then stub-topatch"
    "a0 prelude-a"
    "a1 prelude-a acc-ref"
    "a1m prelude-a acc-ref-match"
    "a1all prelude-a acc-ref acc-model-mut acc-pmut-kind acc-model-ref"
    "a2 prelude-a acc-ref a-eq a-fmt a-empty"
    "a2e prelude-a acc-ref a-eq a-fmt"
    "a3 prelude-a acc-ref acc-mut a-eq a-fmt a-empty a-apply"
    "a4 prelude-a acc-ref acc-model-mut acc-pmut-kind a-eq a-fmt a-empty a2-apply a2-then"
    "a5 prelude-a acc-ref acc-model-mut acc-pmut-kind acc-model-ref a-eq a-fmt a-empty a2-apply a2-then a2-diff a2-topatch"
    "a5e prelude-a acc-ref acc-model-mut acc-pmut-kind acc-model-ref a-eq a-fmt a2-apply a2-then a2-diff a2-topatch"
    "b0 prelude-b"
    "b1 prelude-b b-tables"
    "b2 prelude-b b-tables b-eq b-fmt b-empty"
    "b3 prelude-b b-tables b-eq b-fmt b-empty b-apply"
    "b1f prelude-b b-fntables"
    "b1o prelude-b b-fntables b-offsets-only"
    "b3f prelude-b b-fntables b-eq b-fmt b-empty b-apply"
)
ROWS="${ROWS:-}"
CHECK_A="${CHECK_A:-a5}"
CHECK_B="${CHECK_B:-b3f}"

mkdir -p "$WORK"
# build_time.sh's own manifest() and generate(), so that the crate is the one it measures.
# shellcheck disable=SC1090
source <(sed -n '/^manifest() {/,/^}/p;/^generate() {/,/^}/p' "$REPO/benches/build_time.sh")
PATCH_FEATURES=""

# 1. The bench crate of 10 models, expanded.
mkdir -p "$WORK/patchable/src"
manifest patchable "$WORK/patchable"
generate patchable 10 "$WORK/patchable"
(
    cd "$WORK/patchable"
    export CARGO_TARGET_DIR="$WORK/target-expand"
    RUSTC_BOOTSTRAP=1 cargo rustc --quiet --lib -- -Zunpretty=expanded >"$WORK/expanded.rs"
)

# 2. Each row: rustc's instructions for the rewritten crate under callgrind, in one target
# directory whose dependencies are built once (with RUSTC_BOOTSTRAP=1, which the expanded text
# needs and which would otherwise rebuild them).
wrapper="$HERE/../callgrind_rustc.sh"
declare -A IR
base_ir=""
for row in "${ALL_ROWS[@]}"; do
    read -r name opts <<<"$row"
    [[ -n $ROWS && " $ROWS " != *" $name "* ]] && continue
    dir="$WORK/row-$name"
    rm -rf "$dir"
    mkdir -p "$dir/src"
    cp "$WORK/patchable/Cargo.toml" "$dir/Cargo.toml"
    # shellcheck disable=SC2086
    python3 "$HERE/erase_fields.py" "$WORK/expanded.rs" "$dir/src/lib.rs" $opts
    log="$WORK/callgrind-$name.log"
    (
        cd "$dir"
        export CARGO_TARGET_DIR="$WORK/target-rows" RUSTC_BOOTSTRAP=1 RUSTC_WRAPPER="$wrapper" CALLGRIND_LOG="$log"
        SKIP_CALLGRIND=1 cargo build --quiet 2>/dev/null
        cargo clean --quiet -p bench-models
        rm -f "$log"
        cargo build --quiet 2>/dev/null
    )
    IR[$name]=$(awk '/Collected/ { print $4 }' "$log")
    [[ $name == base ]] && base_ir=${IR[$name]}
    if [[ -n $base_ir ]]; then
        printf '%-6s %14s  %+8.1f M against base   (%s)\n' "$name" "${IR[$name]}" \
            "$(echo "(${IR[$name]} - $base_ir) / 1000000" | bc -l)" "$opts"
    else
        printf '%-6s %14s  (%s)\n' "$name" "${IR[$name]}" "$opts"
    fi
done

# 3. Correctness: the expanded crate, row CHECK_A and row CHECK_B as three modules of one
# binary, which compares their results (eq, Debug, is_empty, apply, then, diff, to_patch, serde)
# and, with `count`, gives instructions a call under callgrind.
check="$WORK/check"
mkdir -p "$check/src"
sed 's/^name = "bench-models"/name = "erased-check"/' "$WORK/patchable/Cargo.toml" >"$check/Cargo.toml"
sed -i 's/^\[dependencies\]/[dependencies]\nserde_json = "1"/' "$check/Cargo.toml"
cp "$HERE/check_main.rs" "$check/src/main.rs"
as_module() {
    grep -v '^#!\[feature(\|^extern crate std;$\|^#\[prelude_import\]$\|^use std::prelude::rust_2024::\*;$' "$1" |
        sed 's/^\/\/!/\/\//' >"$2"
}
python3 "$HERE/erase_fields.py" "$WORK/expanded.rs" "$WORK/base.rs"
# shellcheck disable=SC2046
python3 "$HERE/erase_fields.py" "$WORK/expanded.rs" "$WORK/va.rs" $(printf '%s\n' "${ALL_ROWS[@]}" | awk -v n="$CHECK_A" '$1 == n { $1 = ""; print }')
# shellcheck disable=SC2046
python3 "$HERE/erase_fields.py" "$WORK/expanded.rs" "$WORK/vb.rs" $(printf '%s\n' "${ALL_ROWS[@]}" | awk -v n="$CHECK_B" '$1 == n { $1 = ""; print }')
as_module "$WORK/base.rs" "$check/src/base.rs"
as_module "$WORK/va.rs" "$check/src/va.rs"
as_module "$WORK/vb.rs" "$check/src/vb.rs"
(
    cd "$check"
    export CARGO_TARGET_DIR="$WORK/target-check" RUSTC_BOOTSTRAP=1
    cargo build --quiet --release 2>/dev/null
    "$CARGO_TARGET_DIR/release/erased-check" | tail -2
    bin="$CARGO_TARGET_DIR/release/erased-check"
    ir() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" count "$@" 2>&1 >/dev/null | awk '/Collected/ { print $4 }'; }
    n=10000
    echo "instructions a call (release; (count(N) - count(0)) / N, N = $n): base, $CHECK_A, $CHECK_B"
    for op in eq fmt empty applyfull clonefull applysparse clonesparse diff; do
        line="$op"
        for v in base a b; do
            z=$(ir $v $op 0)
            t=$(ir $v $op $n)
            line+=" $v=$(((t - z) / n))"
        done
        echo "$line"
    done
)
