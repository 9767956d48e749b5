#!/usr/bin/env bash
# Runs the client × sandbox tests with BigCommerce's official contract in between: the sandbox
# listens on a fixed port, the bc-contract validating proxy (Prism, ../shared/tools/bc-contract beside the repository)
# forwards to it, and the client's apiUrl is the proxy. Every request the client sends and every
# answer the sandbox gives is checked; flagged exchanges are collected in a JSON-lines log.
# Not part of CI: it needs the proxy's packages (cached under ~/.cache/bc-contract).
#
#   scripts/bc-client-contract-run.sh [LOG] [test files…]
set -euo pipefail
log=${1:-test-results/bc-client-contract.jsonl}
mkdir -p "$(dirname "$log")"
shift || true
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  files=(tests/integration/bigcommerce-client-sandbox-catalog.test.ts tests/integration/bigcommerce-client-sandbox-inventory.test.ts tests/integration/bigcommerce-client-sandbox-orders.test.ts tests/integration/bigcommerce-client-sandbox-resilience.test.ts)
fi
sandbox_port=${BC_SANDBOX_PORT:-4101}
proxy_port=${BC_PROXY_PORT:-4011}
proxy=${BC_CONTRACT_PROXY:-"$(cd "$(dirname "$0")/.." && pwd)/../shared/tools/bc-contract/proxy.sh"}
: > "$log"
"$proxy" "http://127.0.0.1:$sandbox_port" "$proxy_port" > "${log%.jsonl}.proxy.log" 2>&1 &
proxy_pid=$!
trap 'kill "$proxy_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  if curl -s -o /dev/null "http://127.0.0.1:$proxy_port/"; then break; fi
  sleep 0.5
done
set +e
BC_SANDBOX_PORT=$sandbox_port BC_CLIENT_API_URL="http://127.0.0.1:$proxy_port" BC_CONTRACT_LOG="$log" \
  npx vitest run --project unit --no-file-parallelism "${files[@]}"
status=$?
set -e
# Lines with "excused" are exchanges refused only for a defect of the contract itself (see
# SPEC_DEFECTS in tests/integration/bigcommerce-client-sandbox-support.ts), answered by the sandbox directly.
excused=$(grep -c '"excused"' "$log" || true)
echo "flagged exchanges: $(( $(wc -l < "$log") - excused )), excused as spec defects: $excused (log: $log, proxy log: ${log%.jsonl}.proxy.log)"
exit $status
