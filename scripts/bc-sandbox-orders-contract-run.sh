#!/usr/bin/env bash
# Runs the sandbox's order, storefront, pickup and refund routes through BigCommerce's official
# contract: the sandbox listens on a fixed port, the bc-contract validating proxy (Prism,
# ../shared/tools/bc-contract beside the repository) forwards to it, and
# tests/integration/sandbox-bigcommerce/contract-orders-replay.ts calls the store's API through the
# proxy. Every request and every answer is checked; the replay prints one line per call and exits 1
# if any was flagged. Not part of CI: it needs the proxy's packages (cached under ~/.cache/bc-contract).
#
#   scripts/bc-sandbox-orders-contract-run.sh [LOG]
set -euo pipefail
log=${1:-test-results/bc-sandbox-orders-contract.log}
mkdir -p "$(dirname "$log")"
sandbox_port=${BC_SANDBOX_PORT:-4102}
proxy_port=${BC_PROXY_PORT:-4012}
proxy=${BC_CONTRACT_PROXY:-"$(cd "$(dirname "$0")/.." && pwd)/../shared/tools/bc-contract/proxy.sh"}

node --import tsx src/sandbox/bigcommerce/main.ts --port "$sandbox_port" > "${log%.log}.sandbox.log" 2>&1 &
sandbox_pid=$!
"$proxy" "http://127.0.0.1:$sandbox_port" "$proxy_port" > "${log%.log}.proxy.log" 2>&1 &
proxy_pid=$!
trap 'kill "$proxy_pid" "$sandbox_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do
  if curl -s -o /dev/null "http://127.0.0.1:$proxy_port/" && curl -s -o /dev/null "http://127.0.0.1:$sandbox_port/_sandbox/stores"; then break; fi
  sleep 0.5
done
token=$(curl -s -X POST "http://127.0.0.1:$sandbox_port/_sandbox/stores/sandbox1/token" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).access_token))')
set +e
npx tsx tests/integration/sandbox-bigcommerce/contract-orders-replay.ts "http://127.0.0.1:$proxy_port" "$token" sandbox1 "http://127.0.0.1:$sandbox_port" | tee "$log"
status=${PIPESTATUS[0]}
set -e
echo "log: $log (proxy log: ${log%.log}.proxy.log)"
exit "$status"
