#!/usr/bin/env bash
# Shared helpers for building scenario snapshots against moto_server with the real AWS CLI.
# Source this file; then: moto_start; moto_reset; ...aws ec2 calls...; dump_snapshot DIR VPC_ID [VPC_ID...]
set -euo pipefail

export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_SESSION_TOKEN=testing
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}" AWS_PAGER=""
ACCOUNT=123456789012
# Where scenario folders are written (the corpus by default), and a scenario's region folder in them.
OUT_ROOT="${OUT_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
REGION_DIR="accounts/$ACCOUNT/$AWS_DEFAULT_REGION"

# moto_start: reuse $ENDPOINT when the caller already runs a moto_server, else start one on a free port.
moto_start() {
  if [ -n "${ENDPOINT:-}" ]; then return 0; fi
  MOTO_PORT="${MOTO_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}"
  moto_server -p "$MOTO_PORT" >/dev/null 2>&1 &
  MOTO_PID=$!
  trap 'kill $MOTO_PID 2>/dev/null || true' EXIT
  ENDPOINT="http://127.0.0.1:$MOTO_PORT"
  for _ in $(seq 1 100); do curl -fs "$ENDPOINT/moto-api/" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "moto_server did not start" >&2; return 1
}

moto_reset() { curl -fs -X POST "$ENDPOINT/moto-api/reset" >/dev/null; }

# aws_cli ARGS...: the real AWS CLI. With SGWHY_AWS_SERVER (a Python file: test/support/aws-server.py)
# and SGWHY_AWS_PYTHON (the AWS CLI's Python), the commands run in one AWS CLI process serving
# them over two FIFOs instead of one process each (the moto-backed tests use it): the same driver,
# output and exit codes, without a second of interpreter start per call.
if [ -n "${SGWHY_AWS_SERVER:-}" ] && [ -n "${SGWHY_AWS_PYTHON:-}" ]; then
  _AWS_DIR=$(mktemp -d)
  mkfifo "$_AWS_DIR/req" "$_AWS_DIR/res"
  "$SGWHY_AWS_PYTHON" "$SGWHY_AWS_SERVER" "$_AWS_DIR" &
  _AWS_PID=$!
  # Read-write opens never block on a FIFO, so a server that failed to start cannot hang this shell.
  exec {_AWS_REQ}<>"$_AWS_DIR/req" {_AWS_RES}<>"$_AWS_DIR/res"
  aws_cli() {
    local rc
    kill -0 "$_AWS_PID" 2>/dev/null || { echo "aws_cli: the AWS CLI server ($SGWHY_AWS_SERVER) is not running" >&2; return 255; }
    {
      flock 9
      { printf '%s\n' "$#"; printf '%s\0' "$@"; } >&"$_AWS_REQ"
      IFS= read -r -t 600 rc <&"$_AWS_RES" || rc=255
      cat "$_AWS_DIR/out"; cat "$_AWS_DIR/err" >&2
    } 9>"$_AWS_DIR/lock"
    return "$rc"
  }
else
  aws_cli() { aws "$@"; }
fi

# ec2 ARGS... : the real AWS CLI against moto, JSON output.
ec2() { aws_cli --endpoint-url "$ENDPOINT" --output json ec2 "$@"; }

# tag ID NAME
tag() { ec2 create-tags --resources "$1" --tags "Key=Name,Value=$2" >/dev/null; }

# An image id for run-instances, looked up once per process (describe-images is slow in moto).
# Call it in the current shell (not in $(...)) so the value is kept: ensure_ami; ... "$MOTO_AMI"
ensure_ami() {
  if [ -z "${MOTO_AMI:-}" ]; then
    MOTO_AMI=$(ec2 describe-images --owners amazon --filters "Name=architecture,Values=x86_64" --max-items 1 | jq -r '.Images[0].ImageId')
  fi
}

# A real interface that carries traffic is attached to something. Interfaces made with
# create-network-interface are detached ("available"), and sgwhy rightly says nothing answers
# on them; so, unless an interface is tagged sgwhy:keep-detached, launch an instance with it as
# the primary interface, as a team would.
attach_detached_enis() {
  local filter="$1" eni
  ensure_ami
  for eni in $(ec2 describe-network-interfaces --filters "$filter" "Name=status,Values=available" \
      | jq -r '.NetworkInterfaces[] | select(([.TagSet[]? | select(.Key=="sgwhy:keep-detached")] | length) == 0) | .NetworkInterfaceId'); do
    ec2 run-instances --image-id "$MOTO_AMI" --instance-type t3.micro \
      --network-interfaces "NetworkInterfaceId=$eni,DeviceIndex=0" >/dev/null
  done
}

# dump_snapshot DIR VPC_ID [VPC_ID...]: writes describe-* output for the given VPCs in the
# layout sgwhy reads (accounts/<id>/<region>/<call>.json). Only what belongs to those VPCs.
dump_snapshot() {
  local dir="$1"; shift
  local vpcs; vpcs=$(IFS=,; echo "$*")
  local out="$dir/accounts/$ACCOUNT/$AWS_DEFAULT_REGION"
  rm -rf "$dir"; mkdir -p "$out"
  local f="Name=vpc-id,Values=$vpcs"
  attach_detached_enis "$f"
  # Independent describe calls run in parallel (each AWS CLI start costs about a second), or one
  # after another through the AWS CLI server when there is one (see aws_cli).
  local pids=() failed=0 p
  _cli() {
    local out="$1"; shift
    if [ -n "${_AWS_DIR:-}" ]; then aws_cli --endpoint-url "$ENDPOINT" --output json "$@" > "$out" || failed=1
    else aws --endpoint-url "$ENDPOINT" --output json "$@" > "$out" & pids+=($!); fi
  }
  _bg() { local out="$1"; shift; _cli "$out" ec2 "$@"; }
  _bg "$out/describe-vpcs.json" describe-vpcs --vpc-ids "$@"
  _bg "$out/describe-subnets.json" describe-subnets --filters "$f"
  _bg "$out/describe-security-groups.json" describe-security-groups --filters "$f"
  _bg "$out/describe-network-acls.json" describe-network-acls --filters "$f"
  _bg "$out/describe-route-tables.json" describe-route-tables --filters "$f"
  _bg "$out/describe-network-interfaces.json" describe-network-interfaces --filters "$f"
  _bg "$out/describe-instances.json" describe-instances --filters "$f"
  _bg "$out/describe-internet-gateways.json" describe-internet-gateways --filters "Name=attachment.vpc-id,Values=$vpcs"
  _bg "$out/describe-nat-gateways.json" describe-nat-gateways --filter "$f"
  _bg "$out/describe-vpc-peering-connections.json" describe-vpc-peering-connections
  _bg "$out/describe-vpc-endpoints.json" describe-vpc-endpoints --filters "$f"
  _bg "$out/describe-managed-prefix-lists.json" describe-managed-prefix-lists --filters "Name=owner-id,Values=$ACCOUNT"
  _bg "$out/describe-transit-gateways.json" describe-transit-gateways
  _bg "$out/describe-transit-gateway-attachments.json" describe-transit-gateway-attachments
  _bg "$out/describe-transit-gateway-vpc-attachments.json" describe-transit-gateway-vpc-attachments
  _bg "$out/describe-transit-gateway-route-tables.json" describe-transit-gateway-route-tables
  _bg "$out/describe-transit-gateway-peering-attachments.json" describe-transit-gateway-peering-attachments
  _bg "$out/describe-vpn-gateways.json" describe-vpn-gateways
  _bg "$out/describe-vpn-connections.json" describe-vpn-connections
  _cli "$out/describe-load-balancers.json" elbv2 describe-load-balancers
  for p in "${pids[@]}"; do wait "$p" || failed=1; done
  [ "$failed" = 0 ] || { echo "dump_snapshot: a describe call failed" >&2; return 1; }
  local pls; pls=$(jq -r '.PrefixLists[].PrefixListId' "$out/describe-managed-prefix-lists.json")
  { echo '{"ManagedPrefixListEntries":['; local first=1
    for pl in $pls; do
      [ $first = 1 ] || echo ','; first=0
      ec2 get-managed-prefix-list-entries --prefix-list-id "$pl" | jq --arg id "$pl" '{PrefixListId:$id, Entries:.Entries}'
    done; echo ']}'; } | jq . > "$out/get-managed-prefix-list-entries.json"
  # Routes are not part of describe-transit-gateway-route-tables: wrap search-transit-gateway-routes
  # per table under the key Batfish uses (TransitGatewayStaticRoutes), static and propagated alike.
  local rts; rts=$(jq -r '.TransitGatewayRouteTables[].TransitGatewayRouteTableId' "$out/describe-transit-gateway-route-tables.json")
  { echo '{"TransitGatewayStaticRoutes":['; local first2=1
    for rt in $rts; do
      [ $first2 = 1 ] || echo ','; first2=0
      ec2 search-transit-gateway-routes --transit-gateway-route-table-id "$rt" --filters "Name=state,Values=active,blackhole" \
        | jq --arg id "$rt" '{TransitGatewayRouteTableId:$id, Routes:.Routes}'
    done; echo ']}'; } | jq . > "$out/search-transit-gateway-routes.json"
  # Propagations per TGW route table, wrapped as Batfish's aws_configs hold them (TransitGatewayPropagations).
  { echo '{"TransitGatewayPropagations":['; local first3=1
    for rt in $rts; do
      [ $first3 = 1 ] || echo ','; first3=0
      ec2 get-transit-gateway-route-table-propagations --transit-gateway-route-table-id "$rt" \
        | jq --arg id "$rt" '{TransitGatewayRouteTableId:$id, TransitGatewayRouteTablePropagations:.TransitGatewayRouteTablePropagations}'
    done; echo ']}'; } | jq . > "$out/get-transit-gateway-route-table-propagations.json"
  # Drop empty files so a scenario folder shows only what matters.
  for file in "$out"/*.json; do
    if jq -e '[.[] | arrays | length] | add == 0' "$file" >/dev/null 2>&1; then rm -f "$file"; fi
  done
}

# The main of a build script: for each scenario named in the array SCENARIOS (or only the one
# SCENARIO_FILTER names), reset moto and call scenario_<name> (dashes as underscores).
run_scenarios() {
  local filter="${SCENARIO_FILTER:-}" built=0 s
  if [ -n "$filter" ] && ! printf '%s\n' "${SCENARIOS[@]}" | grep -qx -- "$filter"; then
    echo "unknown scenario: $filter (known: ${SCENARIOS[*]})" >&2; return 2
  fi
  moto_start
  for s in "${SCENARIOS[@]}"; do
    [ -z "$filter" ] || [ "$s" = "$filter" ] || continue
    moto_reset
    "scenario_${s//-/_}"
    echo "built $s" >&2
    built=$((built + 1))
  done
  echo "$built scenario(s) written under $OUT_ROOT" >&2
}

# Used as a command: bash lib.sh dump ENDPOINT DIR VPC_ID [VPC_ID...]  (re-dump a live moto after fixes)
if [ "${BASH_SOURCE[0]}" = "$0" ] && [ "${1:-}" = "dump" ]; then
  ENDPOINT="$2"; shift 2; dump_snapshot "$@"
fi
