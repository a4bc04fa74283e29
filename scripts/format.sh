#!/usr/bin/env bash
# Formats cachet's C++ sources with clang-format (.clang-format at the top of the tree).
#   scripts/format.sh           rewrites every tracked .cpp/.hpp in place
#   scripts/format.sh --check   changes nothing; lists the files that are not formatted and
#                               exits 1 if there are any (scripts/test.sh runs this)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh clang-format
mapfile -t files < <(git ls-files --cached --others --exclude-standard '*.cpp' '*.hpp' '*.h' 2>/dev/null ||
                     find src include tests tools bench -name '*.[ch]pp')
if [ "${1:-}" != "--check" ]; then
    clang-format -i "${files[@]}"
    exit 0
fi
unformatted=()
for f in "${files[@]}"; do
    if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then unformatted+=("$f"); fi
done
if [ ${#unformatted[@]} -gt 0 ]; then
    echo "not formatted (run scripts/format.sh): ${unformatted[*]}"
    exit 1
fi
echo "formatting: ${#files[@]} files clean"
