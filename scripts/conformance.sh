#!/usr/bin/env bash
# Runs the export conformance suite on many generated versions: each is driven, with 40 seeded
# cases and 5 interleaved pairs, as an XState actor, in SCION, in bpmn-engine and by the
# Serverless Workflow walker, and must behave as Baton's reference semantics says.
# BATON_CONFORMANCE_VERSIONS sets how many (default 300; ./test runs 30).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
export BATON_CONFORMANCE_VERSIONS="${BATON_CONFORMANCE_VERSIONS:-300}"
cargo test --locked -p baton --test design generated_versions -- --nocapture
