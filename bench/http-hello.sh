#!/usr/bin/env bash
# Hello-world HTTP throughput (issue 8 item 10): NANO beside `deno serve` and bun in one run, server
# on core 0 and wrk on core 1; req/s, p99, server CPU µs per request and NANO's ratios to each peer.
# Usage: bench/http-hello.sh [duration-seconds]; options (NANO_BUILDS, PEERS, ROUNDS, WARMUP,
# BREAKDOWN, ...) are described in bench/lib/http-side-by-side.sh.
APP="$(dirname "${BASH_SOURCE[0]}")/apps/hello.js" exec "$(dirname "${BASH_SOURCE[0]}")/lib/http-side-by-side.sh" "$@"
