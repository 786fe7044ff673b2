#!/usr/bin/env bash
# Checks the dependency tree against deny.toml: licenses, bans (duplicates warn) and sources
# (crates.io only). Installs cargo-deny when missing, bounded in time. The advisory database
# (RustSec, fetched from outside the package registries) cannot be reached on CI's network, so
# `advisories` is not run here; see docs/reliability.md.
#
#   bash tests/deny.sh
set -Eeuo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

if ! cargo deny --version >/dev/null 2>&1; then
  echo "installing cargo-deny"
  timeout 1500 cargo install --locked cargo-deny
fi
cargo deny --version
# Not --offline: cargo metadata may need to download crates of other platforms from crates.io.
timeout 600 cargo deny check licenses bans sources
