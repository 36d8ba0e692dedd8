#!/usr/bin/env bash
# Fuzzing (not part of CI): each cargo-fuzz target in fuzz/ for FUZZ_SECONDS
# (default 60) seconds. Crashes land in fuzz/artifacts/<target>/; each one
# found so far has a regression test in tests/it/fuzz_regressions.rs.
#
#   scripts/fuzz.sh [TARGET..]     default: every target
#
# cargo-fuzz wants a nightly compiler for its sanitizer flags; this machine
# has one stable toolchain, which accepts them with RUSTC_BOOTSTRAP=1.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
seconds="${FUZZ_SECONDS:-60}"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(url_and_config models_file expr_compiler)
fi
export RUSTC_BOOTSTRAP=1
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  echo "== $t for $seconds s"
  cargo fuzz run "$t" "fuzz/corpus/$t" -- -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 2>&1 \
    | grep -E '^(#[0-9]+ +DONE|Done|==[0-9]+==|SUMMARY|thread|panicked|artifact_prefix|Test unit)' || true
done
