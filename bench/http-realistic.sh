#!/usr/bin/env bash
# "Realistic handler" HTTP throughput (issue 8 item 11): bench/apps/realistic.js parses the URL,
# builds a 20-field JSON object, stringifies it, digests it with SHA-256 and sets an ETag. NANO
# beside `deno serve` and bun in one run, server on core 0 and wrk on core 1; req/s, p99, server
# CPU µs per request and NANO's ratios to each peer.
# Usage: bench/http-realistic.sh [duration-seconds]; options (NANO_BUILDS, PEERS, ROUNDS, WARMUP,
# BREAKDOWN, ...) are described in bench/lib/http-side-by-side.sh.
APP="$(dirname "${BASH_SOURCE[0]}")/apps/realistic.js" URL_PATH="/items/list?id=7&name=widget" \
  exec "$(dirname "${BASH_SOURCE[0]}")/lib/http-side-by-side.sh" "$@"
