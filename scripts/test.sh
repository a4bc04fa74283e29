#!/usr/bin/env bash
# Builds cachet three times (release; debug with AddressSanitizer + UndefinedBehaviorSanitizer;
# debug with ThreadSanitizer), runs every test in each build, and ends with one line:
# "N passed, M failed". The integration tests run cachet with --workers 2, so the thread build
# sees the cross-thread paths (fills, reload, purge, the admin thread, the access log writer).
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh clang-format chromium || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }

jobs=$(nproc)
build() {   # build DIR MESON_ARGS...
    local dir=$1; shift
    if [ ! -f "$dir/build.ninja" ]; then
        meson setup "$dir" "$@" >"$dir.setup.log" 2>&1 || { cat "$dir.setup.log"; return 1; }
    fi
    ninja -C "$dir" -j "$jobs" >"$dir.build.log" 2>&1 || { tail -50 "$dir.build.log"; return 1; }
    if grep -q "warning:" "$dir.build.log"; then
        echo "warnings in $dir:"; grep -A3 "warning:" "$dir.build.log" | head -40
    fi
}

passed=0
failed=0
# run NAME BINARY: runs one doctest binary and adds its test-case counts to the totals.
run() {
    local name=$1 binary=$2 log
    log=$(mktemp)
    echo "== $name"
    timeout 900 "$binary" --no-intro=true 2>&1 | tee "$log" | grep -E "^\[doctest\] (test cases|Status)|ERROR|FAILED|SUMMARY" | head -40
    local summary
    summary=$(grep -E "^\[doctest\] test cases:" "$log" | tail -1)
    if [ -z "$summary" ]; then
        echo "$name: no doctest summary (crashed or timed out)"; tail -30 "$log"
        failed=$((failed + 1))
    else
        local p f
        p=$(echo "$summary" | sed -E 's/.*\| *([0-9]+) passed.*/\1/')
        f=$(echo "$summary" | sed -E 's/.*\| *([0-9]+) failed.*/\1/')
        passed=$((passed + p)); failed=$((failed + f))
    fi
    rm -f "$log"
}

# run_files NAME BINARY JOBS: the integration binary once per test file, JOBS at a time (the
# files are independent: each test starts its own cachet and origins on ports the kernel
# picks), the counts summed as run() sums them. A file that fails prints its log.
run_files() {
    local name=$1 binary=$2 jobs=$3 dir p=0 f=0 broken=0
    dir=$(mktemp -d)
    echo "== $name ($jobs files at a time)"
    local started=$SECONDS
    ls tests/integration/*_test.cpp | xargs -n1 basename | \
        xargs -P "$jobs" -I{} sh -c 'timeout 900 "$1" --no-intro=true -sf="*/$2" >"$3/$2.log" 2>&1' _ "$binary" {} "$dir"
    for log in "$dir"/*.log; do
        local summary
        summary=$(grep -E "^\[doctest\] test cases:" "$log" | tail -1)
        if [ -z "$summary" ]; then
            echo "$(basename "$log" .log): no doctest summary (crashed or timed out)"; tail -30 "$log"
            broken=$((broken + 1)); continue
        fi
        local fp ff
        fp=$(echo "$summary" | sed -E 's/.*\| *([0-9]+) passed.*/\1/')
        ff=$(echo "$summary" | sed -E 's/.*\| *([0-9]+) failed.*/\1/')
        p=$((p + fp)); f=$((f + ff))
        [ "$ff" -gt 0 ] && { echo "-- $(basename "$log" .log)"; grep -v '^{"time"' "$log" | grep -B3 -A8 "ERROR\|FATAL" | head -60; }
    done
    echo "[doctest] test cases: $((p + f)) | $p passed | $f failed (in $((SECONDS - started)) s)"
    passed=$((passed + p)); failed=$((failed + f + broken))
    rm -rf "$dir"
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
# A data race ends the process with a report: its test fails on the exit status.
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}

# Formatting is one check: every tracked C++ file as clang-format (.clang-format) lays it out.
echo "== formatting"
if scripts/format.sh --check; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

for variant in release sanitize thread; do
    dir=build-test-$variant
    case $variant in
    release) options=(-Dbuildtype=release) ;;
    sanitize) options=(-Dbuildtype=debug -Db_sanitize=address,undefined -Db_lundef=false) ;;
    thread) options=(-Dbuildtype=debug -Db_sanitize=thread -Db_lundef=false) ;;
    esac
    build "$dir" "${options[@]}" || { failed=$((failed + 1)); continue; }
    run "unit ($variant)" "$dir/tests/unit/unit_tests"
    if [ $variant = release ]; then
        # The deployment files against the binary they deploy: one check.
        echo "== deploy files"
        if scripts/check-deploy.sh "$dir"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
    fi
    if [ -x "$dir/tests/integration/integration_tests" ]; then
        run_files "integration ($variant)" "$dir/tests/integration/integration_tests" "${INTEGRATION_JOBS:-3}"
    else
        echo "integration ($variant): binary missing"; failed=$((failed + 1))
    fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
