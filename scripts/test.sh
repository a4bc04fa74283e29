#!/usr/bin/env bash
# Builds cachet twice (release, and debug with AddressSanitizer + UndefinedBehaviorSanitizer),
# runs every test in both builds, and ends with one line: "N passed, M failed".
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

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

# Formatting is one check: every tracked C++ file as clang-format (.clang-format) lays it out.
echo "== formatting"
if scripts/format.sh --check; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

for variant in release sanitize; do
    dir=build-test-$variant
    if [ $variant = release ]; then
        build "$dir" -Dbuildtype=release || { failed=$((failed + 1)); continue; }
    else
        build "$dir" -Dbuildtype=debug -Db_sanitize=address,undefined -Db_lundef=false \
            || { failed=$((failed + 1)); continue; }
    fi
    run "unit ($variant)" "$dir/tests/unit/unit_tests"
    if [ $variant = release ]; then
        # The deployment files against the binary they deploy: one check.
        echo "== deploy files"
        if scripts/check-deploy.sh "$dir"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
    fi
    if [ -x "$dir/tests/integration/integration_tests" ]; then
        run "integration ($variant)" "$dir/tests/integration/integration_tests"
    else
        echo "integration ($variant): binary missing"; failed=$((failed + 1))
    fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
