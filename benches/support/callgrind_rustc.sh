#!/usr/bin/env bash
# RUSTC_WRAPPER of the build-time measures (benches/build_time.sh,
# benches/support/type_erasure/run.sh): rustc itself, under callgrind for the generated crate
# (`bench_models`) alone, its log in $CALLGRIND_LOG; unless SKIP_CALLGRIND is set (the
# dependencies' build).
rustc=$1
shift
if [[ -z "$SKIP_CALLGRIND" && " $* " == *" --crate-name bench_models "* ]]; then
    exec valgrind --tool=callgrind --callgrind-out-file=/dev/null --log-file="$CALLGRIND_LOG" "$rustc" "$@"
fi
exec "$rustc" "$@"
