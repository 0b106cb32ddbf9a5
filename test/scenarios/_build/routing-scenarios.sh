#!/usr/bin/env bash
# Builds the network-ACL and routing scenario corpus: one folder per scenario under $OUT_ROOT
# (default: the test/scenarios folder next to this script), each with snapshot/ (describe-* JSON
# dumped from moto_server with the real AWS CLI) and scenario.json (the question and the expected
# answer, following AWS semantics, not the engine).
#
#   bash test/scenarios/_build/routing-scenarios.sh                       # all scenarios
#   SCENARIO_FILTER=route-blackhole bash test/scenarios/_build/routing-scenarios.sh
#   SCENARIO_FILTER=x ENDPOINT=http://127.0.0.1:PORT OUT_ROOT=DIR bash .../routing-scenarios.sh
#
# The topology of the last scenario built stays in moto (no reset at the end), so a test can apply
# sgwhy's fixes to it with the AWS CLI, re-dump with `bash lib.sh dump ENDPOINT DIR VPC...` and re-ask.
#
# Post-edits (moto cannot produce these states; each is applied to the dump, after dump_snapshot):
#  - every scenario: custom network ACLs get the two implicit "#32767 deny all" entries that real
#    AWS always returns (moto only returns them for the default ACL), and ACL entries are ordered as
#    AWS lists them (egress first, then by rule number). Semantics are unchanged, so fixLoopMoto
#    stays true where nothing else was edited.
#  - route-blackhole, peering-not-active: a route's State is set to "blackhole" (moto keeps "active").
#    fixLoopMoto stays true: the fix (point the route at the live peering / accept the peering)
#    leaves moto in a state whose raw dump is reachable, blackhole edit or not.
#  - tgw-*: moto drops the TransitGatewayAttachments of static TGW routes; the script puts them back.
#    A raw moto re-dump after a fix loses them again, so these have fixLoopMoto false.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"
# shellcheck source=topology.sh
source "$HERE/topology.sh" # the shared helpers (mk_vpc, mk_sg, write_scenario, …); payments_vpc is redefined below

SCENARIOS=(
  nacl-overrides-sg
  nacl-return-ephemeral
  nacl-return-partial
  nacl-deny-before-allow
  nacl-source-outbound
  nacl-source-inbound-return
  nacl-same-subnet
  nacl-multi-blockers
  route-no-route
  route-blackhole
  peering-ok
  peering-no-route-back
  peering-sg-reference
  peering-not-active
  peering-not-transitive
  tgw-ok
  tgw-missing-route
  unknown-unowned-address
  route-prefix-list
  internet-egress-ok
  internet-egress-no-igw
  nat-egress-ok
  nat-public-subnet-no-igw-route
)

# ---------------------------------------------------------------------------------------------
# Topology helpers of these scenarios only (the shared ones are in topology.sh). Each prints the new
# id (call as X=$(helper ...)) and tags it with a Name at creation.
# ---------------------------------------------------------------------------------------------

# sg_allow_group SG PROTO PORT SOURCE_SG DESCRIPTION   (inbound, security-group reference)
sg_allow_group() {
  ec2 authorize-security-group-ingress --group-id "$1" --ip-permissions \
    "$(jq -cn --arg p "$2" --argjson port "$3" --arg g "$4" --arg d "$5" --arg u "$ACCOUNT" \
      '[{IpProtocol:$p, FromPort:$port, ToPort:$port, UserIdGroupPairs:[{GroupId:$g, UserId:$u, Description:$d}]}]')" >/dev/null
}

# default_acl VPC / main_rtb VPC: the ones AWS creates with the VPC.
default_acl() {
  ec2 describe-network-acls --filters "Name=vpc-id,Values=$1" "Name=default,Values=true" | jq -r '.NetworkAcls[0].NetworkAclId'
}

# tag_defaults MAIN_RTB NAME DEFAULT_ACL NAME: name the route table and network ACL AWS made with the VPC
tag_defaults() {
  ec2 create-tags --resources "$1" --tags "Key=Name,Value=$2" >/dev/null
  ec2 create-tags --resources "$3" --tags "Key=Name,Value=$4" >/dev/null
}

# acl_entry ACL ingress|egress RULE_NO PROTO(tcp|udp|-1) PORTS("443" | "1024-65535" | "") CIDR allow|deny
acl_entry() {
  local args=(--network-acl-id "$1" "--$2" --rule-number "$3" --protocol "$4" --cidr-block "$6" --rule-action "$7")
  if [ -n "$5" ]; then
    local from="${5%-*}" to="${5#*-}"
    args+=(--port-range "From=$from,To=$to")
  fi
  ec2 create-network-acl-entry "${args[@]}"
}

# route RTB DEST(cidr or pl-…) TARGET(pcx-…|tgw-…|igw-…|nat-…)
route() {
  local dest=(--destination-cidr-block "$2")
  case "$2" in pl-*) dest=(--destination-prefix-list-id "$2") ;; esac
  case "$3" in
    pcx-*) ec2 create-route --route-table-id "$1" "${dest[@]}" --vpc-peering-connection-id "$3" >/dev/null ;;
    tgw-*) ec2 create-route --route-table-id "$1" "${dest[@]}" --transit-gateway-id "$3" >/dev/null ;;
    nat-*) ec2 create-route --route-table-id "$1" "${dest[@]}" --nat-gateway-id "$3" >/dev/null ;;
    *)     ec2 create-route --route-table-id "$1" "${dest[@]}" --gateway-id "$3" >/dev/null ;;
  esac
}

# ---------------------------------------------------------------------------------------------
# Post-edit helpers (applied to a dumped snapshot).
# ---------------------------------------------------------------------------------------------

# set_tgw_route_attachment SNAPSHOT_DIR TGW_RTB CIDR ATTACHMENT VPC: restore what moto drops.
set_tgw_route_attachment() {
  jq_inplace "$1/$REGION_DIR/search-transit-gateway-routes.json" --arg rt "$2" --arg cidr "$3" --arg att "$4" --arg vpc "$5" \
    '(.TransitGatewayStaticRoutes[] | select(.TransitGatewayRouteTableId == $rt) | .Routes[]
      | select(.DestinationCidrBlock == $cidr) | .TransitGatewayAttachments)
      = [{ResourceId: $vpc, TransitGatewayAttachmentId: $att, ResourceType: "vpc"}]'
}

# ---------------------------------------------------------------------------------------------
# scenario.json helpers
# ---------------------------------------------------------------------------------------------

# ---------------------------------------------------------------------------------------------
# Shared topologies
# ---------------------------------------------------------------------------------------------

# payments_vpc PORT: VPC A "payments-prod" 10.0.0.0/16.
#   payments-prod-api-1a      10.0.1.0/24  server payments-api-1      10.0.1.50  (sg payments-api: PORT from 10.0.0.0/8)
#   payments-prod-workers-1b  10.0.2.0/24  client settlement-worker-1 10.0.2.100 (sg settlement-worker: default egress)
# Both subnets use the main route table and the default network ACL (allow all) unless a scenario changes it.
# Sets: VPC_A SUB_API SUB_WORKERS SG_API SG_WORKER ENI_API ENI_WORKER RTB_A_MAIN ACL_A_DEFAULT
payments_vpc() {
  VPC_A=$(mk_vpc 10.0.0.0/16 payments-prod)
  SUB_API=$(mk_subnet "$VPC_A" 10.0.1.0/24 us-east-1a payments-prod-api-1a)
  SUB_WORKERS=$(mk_subnet "$VPC_A" 10.0.2.0/24 us-east-1b payments-prod-workers-1b)
  SG_API=$(mk_sg "$VPC_A" payments-api "payments API servers")
  if [ -n "${1:-}" ]; then sg_allow_cidr "$SG_API" tcp "$1" 10.0.0.0/8 "internal clients"; fi
  SG_WORKER=$(mk_sg "$VPC_A" settlement-worker "settlement batch workers")
  ENI_API=$(mk_eni "$SUB_API" 10.0.1.50 "$SG_API" payments-api-1)
  ENI_WORKER=$(mk_eni "$SUB_WORKERS" 10.0.2.100 "$SG_WORKER" settlement-worker-1)
  RTB_A_MAIN=$(main_rtb "$VPC_A"); ACL_A_DEFAULT=$(default_acl "$VPC_A")
  tag_defaults "$RTB_A_MAIN" payments-prod-main "$ACL_A_DEFAULT" payments-prod-default
}

# ledger_vpc: VPC B "ledger-prod" 10.1.0.0/16.
#   ledger-prod-api-1a 10.1.1.0/24  server ledger-api-1 10.1.1.50 (sg ledger-api, no inbound rule yet)
# Sets: VPC_B SUB_LEDGER SG_LEDGER ENI_LEDGER RTB_B_MAIN ACL_B_DEFAULT
ledger_vpc() {
  VPC_B=$(mk_vpc 10.1.0.0/16 ledger-prod)
  SUB_LEDGER=$(mk_subnet "$VPC_B" 10.1.1.0/24 us-east-1a ledger-prod-api-1a)
  SG_LEDGER=$(mk_sg "$VPC_B" ledger-api "ledger API servers")
  ENI_LEDGER=$(mk_eni "$SUB_LEDGER" 10.1.1.50 "$SG_LEDGER" ledger-api-1)
  RTB_B_MAIN=$(main_rtb "$VPC_B"); ACL_B_DEFAULT=$(default_acl "$VPC_B")
  tag_defaults "$RTB_B_MAIN" ledger-prod-main "$ACL_B_DEFAULT" ledger-prod-default
}

# peered_pair: payments-prod (client side) + ledger-prod (server side), active peering, dedicated
# route tables on the client and server subnets with only the local route (scenarios add the rest).
# Sets everything payments_vpc and ledger_vpc set, plus PCX RTB_WORKERS RTB_LEDGER.
peered_pair() {
  payments_vpc 443
  ledger_vpc
  PCX=$(mk_peering "$VPC_A" "$VPC_B" payments-prod-to-ledger-prod accept)
  RTB_WORKERS=$(mk_rtb "$VPC_A" payments-prod-workers-rt); rtb_associate "$RTB_WORKERS" "$SUB_WORKERS"
  RTB_LEDGER=$(mk_rtb "$VPC_B" ledger-prod-api-rt); rtb_associate "$RTB_LEDGER" "$SUB_LEDGER"
}

Q_A="why can't 10.0.2.100 reach 10.0.1.50:443"
Q_B="why can't 10.0.2.100 reach 10.1.1.50:443"

# ---------------------------------------------------------------------------------------------
# Network ACL scenarios (one VPC, payments-prod)
# ---------------------------------------------------------------------------------------------

scenario_nacl_overrides_sg() {
  local n=nacl-overrides-sg
  payments_vpc 8443
  local acl; acl=$(mk_acl "$VPC_A" payments-prod-api-nacl)
  acl_entry "$acl" ingress 100 tcp 443 10.0.0.0/16 allow
  acl_entry "$acl" egress 100 tcp 1024-65535 10.0.0.0/16 allow
  acl_associate "$acl" "$SUB_API"
  snapshot $n "$VPC_A"
  write_scenario $n \
    "Root cause 5 (seed 001): the service moved to 8443 and the security group allows 8443 from 10.0.0.0/8, but the custom NACL on the server subnet only allows inbound tcp/443 (+ outbound ephemeral to 10.0.0.0/16): the SYN to 8443 hits the implicit #32767 deny inbound." \
    "why can't 10.0.2.100 reach 10.0.1.50:8443" "$(ids_json "$VPC_A")" blocked \
    "[$(blocker layer=network-acl resourceId="$acl" direction=ingress path=forward code=SUBNET_ACL_RESTRICTION)]" \
    '[]' '[]' true true
}

scenario_nacl_return_ephemeral() {
  local n=nacl-return-ephemeral
  payments_vpc 443
  local acl; acl=$(mk_acl "$VPC_A" payments-prod-api-nacl)
  acl_entry "$acl" ingress 100 tcp 443 10.0.0.0/16 allow
  acl_associate "$acl" "$SUB_API"
  snapshot $n "$VPC_A"
  write_scenario $n \
    "Root cause 5 (seed 001): custom NACL on the server subnet allows inbound tcp/443 from 10.0.0.0/16 but has no outbound allow at all, so the SYN-ACK to the client's ephemeral port (1024-65535) is dropped by the implicit #32767 deny outbound. The security group is stateful and is not a blocker on the return leg." \
    "$Q_A" "$(ids_json "$VPC_A")" blocked \
    "[$(blocker layer=network-acl resourceId="$acl" direction=egress path=return code=SUBNET_ACL_RESTRICTION)]" \
    '[]' '[]' true true
}

scenario_nacl_return_partial() {
  local n=nacl-return-partial
  payments_vpc 443
  local acl; acl=$(mk_acl "$VPC_A" payments-prod-api-nacl)
  acl_entry "$acl" ingress 100 tcp 443 10.0.0.0/16 allow
  acl_entry "$acl" egress 100 tcp 32768-65535 10.0.0.0/16 allow
  acl_associate "$acl" "$SUB_API"
  snapshot $n "$VPC_A"
  write_scenario $n \
    "Root cause 5 (seed 001), partial return range: the server subnet NACL allows outbound tcp 32768-65535 to 10.0.0.0/16 only. A client may pick any ephemeral port in 1024-65535 (ELB, NAT gateway and Windows/Linux defaults differ), so replies to 1024-32767 hit the implicit #32767 deny outbound: blocked on the return leg, with a PARTIAL_PORT_RANGE near miss." \
    "$Q_A" "$(ids_json "$VPC_A")" blocked \
    "[$(blocker layer=network-acl resourceId="$acl" direction=egress path=return code=SUBNET_ACL_RESTRICTION)]" \
    '["PARTIAL_PORT_RANGE"]' '[]' true true
}

scenario_nacl_deny_before_allow() {
  local n=nacl-deny-before-allow
  payments_vpc 443
  local acl; acl=$(mk_acl "$VPC_A" payments-prod-api-nacl)
  acl_entry "$acl" ingress 100 tcp 443 10.0.0.0/16 allow
  acl_entry "$acl" egress 100 -1 "" 0.0.0.0/0 allow
  # Added later, during an incident, to cut the worker subnet off; never removed.
  acl_entry "$acl" ingress 90 -1 "" 10.0.2.0/24 deny
  acl_associate "$acl" "$SUB_API"
  snapshot $n "$VPC_A"
  write_scenario $n \
    "NACL evaluation order (seed 001, 003): server subnet NACL inbound #90 denies all traffic from 10.0.2.0/24 and #100 allows tcp/443 from 10.0.0.0/16; rules are evaluated lowest number first and the first match wins, so #90 drops the SYN although #100 would allow it. Outbound allows all." \
    "$Q_A" "$(ids_json "$VPC_A")" blocked \
    "[$(blocker layer=network-acl resourceId="$acl" direction=ingress path=forward code=SUBNET_ACL_RESTRICTION)]" \
    '["DENY_BEFORE_ALLOW"]' '[]' true true
}

scenario_nacl_source_outbound() {
  local n=nacl-source-outbound
  payments_vpc 443
  local acl; acl=$(mk_acl "$VPC_A" payments-prod-workers-nacl)
  acl_entry "$acl" ingress 100 tcp 1024-65535 0.0.0.0/0 allow
  acl_entry "$acl" egress 100 tcp 80 0.0.0.0/0 allow
  acl_associate "$acl" "$SUB_WORKERS"
  snapshot $n "$VPC_A"
  write_scenario $n \
    "Client-side NACL: the worker subnet's custom NACL allows outbound tcp/80 only (and inbound ephemeral 1024-65535), so the SYN to 443 is dropped by the implicit #32767 deny when it leaves the client subnet. The server subnet keeps the default NACL." \
    "$Q_A" "$(ids_json "$VPC_A")" blocked \
    "[$(blocker layer=network-acl resourceId="$acl" direction=egress path=forward code=SUBNET_ACL_RESTRICTION)]" \
    '[]' '[]' true true
}

scenario_nacl_source_inbound_return() {
  local n=nacl-source-inbound-return
  payments_vpc 443
  local acl; acl=$(mk_acl "$VPC_A" payments-prod-workers-nacl)
  acl_entry "$acl" egress 100 -1 "" 0.0.0.0/0 allow
  acl_entry "$acl" ingress 100 tcp 22 10.0.0.0/16 allow
  acl_associate "$acl" "$SUB_WORKERS"
  snapshot $n "$VPC_A"
  write_scenario $n \
    "Client-side NACL, return leg (seed 002/003): the worker subnet's NACL allows all outbound but only inbound tcp/22, so the SYN-ACK from 10.0.1.50:443 to the client's ephemeral port is dropped entering the client subnet (implicit #32767 deny inbound)." \
    "$Q_A" "$(ids_json "$VPC_A")" blocked \
    "[$(blocker layer=network-acl resourceId="$acl" direction=ingress path=return code=SUBNET_ACL_RESTRICTION)]" \
    '[]' '[]' true true
}

scenario_nacl_same_subnet() {
  local n=nacl-same-subnet
  payments_vpc 443
  local sg_ops eni_ops acl
  sg_ops=$(mk_sg "$VPC_A" payments-ops "payments operations hosts")
  eni_ops=$(mk_eni "$SUB_API" 10.0.1.100 "$sg_ops" payments-ops-1)
  acl=$(mk_acl "$VPC_A" payments-prod-api-quarantine-nacl)
  acl_entry "$acl" ingress 100 -1 "" 0.0.0.0/0 deny
  acl_entry "$acl" egress 100 -1 "" 0.0.0.0/0 deny
  acl_associate "$acl" "$SUB_API"
  snapshot $n "$VPC_A"
  write_scenario $n \
    "Both interfaces are in 10.0.1.0/24 (client payments-ops-1 10.0.1.100, server 10.0.1.50) and the subnet's custom NACL denies everything in both directions. NACLs filter traffic entering and leaving a subnet, not traffic between two interfaces of the same subnet, and the server security group allows 443 from 10.0.0.0/8: reachable." \
    "why can't 10.0.1.100 reach 10.0.1.50:443" "$(ids_json "$VPC_A")" reachable \
    '[]' '[]' '[]' true true
  : "$eni_ops"
}

scenario_nacl_multi_blockers() {
  local n=nacl-multi-blockers
  payments_vpc 22
  local acl; acl=$(mk_acl "$VPC_A" payments-prod-api-nacl)
  acl_entry "$acl" ingress 100 tcp 22 10.0.0.0/16 allow
  acl_entry "$acl" egress 100 tcp 443 0.0.0.0/0 allow
  acl_associate "$acl" "$SUB_API"
  snapshot $n "$VPC_A"
  write_scenario $n \
    "Three independent blockers, reported in packet order: the server subnet NACL allows inbound tcp/22 only (SYN to 443 dropped), the server security group payments-api allows tcp/22 only (no rule for 443), and the NACL's only outbound rule allows tcp/443 (destination port 443), which never matches the SYN-ACK to the client's ephemeral port." \
    "$Q_A" "$(ids_json "$VPC_A")" blocked \
    "[$(blocker layer=network-acl resourceId="$acl" direction=ingress path=forward code=SUBNET_ACL_RESTRICTION),
      $(blocker layer=security-group resourceId="$SG_API" direction=ingress path=forward code=ENI_SG_RULES_MISMATCH),
      $(blocker layer=network-acl resourceId="$acl" direction=egress path=return code=SUBNET_ACL_RESTRICTION)]" \
    '[]' '[]' true true
}

# ---------------------------------------------------------------------------------------------
# Routing scenarios (payments-prod client 10.0.2.100 -> ledger-prod server 10.1.1.50 unless stated)
# ---------------------------------------------------------------------------------------------

scenario_route_no_route() {
  local n=route-no-route
  peered_pair
  sg_allow_cidr "$SG_LEDGER" tcp 443 10.0.0.0/8 "internal clients"
  route "$RTB_LEDGER" 10.0.0.0/16 "$PCX"
  # The route to ledger-prod was put in a new table that was never associated with the worker subnet.
  local rtb_other; rtb_other=$(mk_rtb "$VPC_A" payments-prod-peering-rt)
  route "$rtb_other" 10.1.0.0/16 "$PCX"
  snapshot $n "$VPC_A" "$VPC_B"
  write_scenario $n \
    "Active peering payments-prod <-> ledger-prod; the ledger side routes 10.0.0.0/16 back over it, but the worker subnet's route table (payments-prod-workers-rt) has only the local route, so 10.1.1.50 matches no route. The route exists in payments-prod-peering-rt, which is not associated with any subnet (near miss ROUTE_IN_OTHER_TABLE)." \
    "$Q_B" "$(ids_json "$VPC_A" "$VPC_B")" blocked \
    "[$(blocker layer=route-table resourceId="$RTB_WORKERS" direction=egress path=forward code=NO_ROUTE_TO_DESTINATION)]" \
    '["ROUTE_IN_OTHER_TABLE"]' '[]' true true
}

scenario_route_blackhole() {
  local n=route-blackhole
  payments_vpc 443
  ledger_vpc
  sg_allow_cidr "$SG_LEDGER" tcp 443 10.0.0.0/8 "internal clients"
  RTB_WORKERS=$(mk_rtb "$VPC_A" payments-prod-workers-rt); rtb_associate "$RTB_WORKERS" "$SUB_WORKERS"
  RTB_LEDGER=$(mk_rtb "$VPC_B" ledger-prod-api-rt); rtb_associate "$RTB_LEDGER" "$SUB_LEDGER"
  # The original peering, used by both route tables...
  local pcx_old pcx_new
  pcx_old=$(mk_peering "$VPC_A" "$VPC_B" payments-ledger-2023 accept)
  route "$RTB_WORKERS" 10.1.0.0/16 "$pcx_old"
  route "$RTB_LEDGER" 10.0.0.0/16 "$pcx_old"
  # ...was deleted and re-created (AWS allows one peering per VPC pair at a time); only the
  # ledger side was re-pointed to the new one.
  ec2 delete-vpc-peering-connection --vpc-peering-connection-id "$pcx_old" >/dev/null
  pcx_new=$(mk_peering "$VPC_A" "$VPC_B" payments-prod-to-ledger-prod accept)
  ec2 replace-route --route-table-id "$RTB_LEDGER" --destination-cidr-block 10.0.0.0/16 --vpc-peering-connection-id "$pcx_new" >/dev/null
  snapshot $n "$VPC_A" "$VPC_B"
  # AWS turns a route whose peering was deleted into a blackhole route; moto leaves it "active".
  set_route_state "$OUT_ROOT/$n/snapshot" "$RTB_WORKERS" 10.1.0.0/16 blackhole
  write_scenario $n \
    "The worker route table still sends 10.1.0.0/16 to the old peering connection payments-ledger-2023, which was deleted when the peering was re-created (payments-prod-to-ledger-prod, active; the ledger side already uses it). AWS shows such a route with State blackhole. POST-EDIT: moto keeps the route active after the peering is deleted, so the script sets its State to blackhole in describe-route-tables.json (the deleted peering is still listed with status deleted, as AWS does for a while)." \
    "$Q_B" "$(ids_json "$VPC_A" "$VPC_B")" blocked \
    "[$(blocker layer=route-table resourceId="$RTB_WORKERS" direction=egress path=forward code=BAD_STATE_ROUTE)]" \
    '[]' '[]' true true
}

scenario_peering_ok() {
  local n=peering-ok
  peered_pair
  sg_allow_cidr "$SG_LEDGER" tcp 443 10.0.0.0/16 "payments-prod via peering"
  route "$RTB_WORKERS" 10.1.0.0/16 "$PCX"
  route "$RTB_LEDGER" 10.0.0.0/16 "$PCX"
  snapshot $n "$VPC_A" "$VPC_B"
  write_scenario $n \
    "Active peering payments-prod <-> ledger-prod, routes to each other's CIDR over it on both subnets' route tables, default NACLs, ledger-api allows tcp/443 from 10.0.0.0/16: reachable." \
    "$Q_B" "$(ids_json "$VPC_A" "$VPC_B")" reachable \
    '[]' '[]' '[]' true true
}

scenario_peering_no_route_back() {
  local n=peering-no-route-back
  payments_vpc 443
  ledger_vpc
  sg_allow_cidr "$SG_LEDGER" tcp 443 10.0.0.0/8 "internal clients"
  PCX=$(mk_peering "$VPC_A" "$VPC_B" payments-prod-to-ledger-prod accept)
  RTB_WORKERS=$(mk_rtb "$VPC_A" payments-prod-workers-rt); rtb_associate "$RTB_WORKERS" "$SUB_WORKERS"
  route "$RTB_WORKERS" 10.1.0.0/16 "$PCX"
  # ledger-prod-api-1a has no explicit association: it uses the main route table (local route only).
  snapshot $n "$VPC_A" "$VPC_B"
  write_scenario $n \
    "Asymmetric routing over an active peering: the worker route table sends 10.1.0.0/16 to the peering, but the ledger server subnet has no explicit route table association, so it uses the ledger-prod main route table, which has only the local route. The SYN arrives; the SYN-ACK to 10.0.2.100 matches no route: blocked on the return leg at the main route table." \
    "$Q_B" "$(ids_json "$VPC_A" "$VPC_B")" blocked \
    "[$(blocker layer=route-table resourceId="$RTB_B_MAIN" direction=egress path=return code=NO_ROUTE_TO_DESTINATION)]" \
    '[]' '[]' true true
}

scenario_peering_sg_reference() {
  local n=peering-sg-reference
  peered_pair
  sg_allow_group "$SG_LEDGER" tcp 443 "$SG_WORKER" "settlement workers in payments-prod (peered)"
  route "$RTB_WORKERS" 10.1.0.0/16 "$PCX"
  route "$RTB_LEDGER" 10.0.0.0/16 "$PCX"
  snapshot $n "$VPC_A" "$VPC_B"
  write_scenario $n \
    "Same as peering-ok, but ledger-api allows tcp/443 only from the security group settlement-worker of the peer VPC (UserIdGroupPairs with the peer group id; allowed for same-Region peering). The client interface carries settlement-worker: reachable. No CIDR rule allows the client." \
    "$Q_B" "$(ids_json "$VPC_A" "$VPC_B")" reachable \
    '[]' '[]' '[]' true true
}

scenario_peering_not_active() {
  local n=peering-not-active
  payments_vpc 443
  ledger_vpc
  sg_allow_cidr "$SG_LEDGER" tcp 443 10.0.0.0/8 "internal clients"
  PCX=$(mk_peering "$VPC_A" "$VPC_B" payments-prod-to-ledger-prod pending)
  RTB_WORKERS=$(mk_rtb "$VPC_A" payments-prod-workers-rt); rtb_associate "$RTB_WORKERS" "$SUB_WORKERS"
  RTB_LEDGER=$(mk_rtb "$VPC_B" ledger-prod-api-rt); rtb_associate "$RTB_LEDGER" "$SUB_LEDGER"
  route "$RTB_WORKERS" 10.1.0.0/16 "$PCX"
  route "$RTB_LEDGER" 10.0.0.0/16 "$PCX"
  snapshot $n "$VPC_A" "$VPC_B"
  # AWS: a route to a peering in pending-acceptance has State blackhole until the peering is active.
  set_route_state "$OUT_ROOT/$n/snapshot" "$RTB_WORKERS" 10.1.0.0/16 blackhole
  set_route_state "$OUT_ROOT/$n/snapshot" "$RTB_LEDGER" 10.0.0.0/16 blackhole
  write_scenario $n \
    "The peering request payments-prod-to-ledger-prod was never accepted (status pending-acceptance); both sides already route each other's CIDR to it. The blocker is the peering connection's state (fix: accept it), reported once on the first leg that crosses it, not the routes. POST-EDIT: AWS shows routes to a pending peering with State blackhole until it is active; moto shows them active, so the script sets both routes' State to blackhole." \
    "$Q_B" "$(ids_json "$VPC_A" "$VPC_B")" blocked \
    "[$(blocker layer=gateway resourceId="$PCX" path=forward code=BAD_STATE)]" \
    '[]' '[]' true true
}

scenario_peering_not_transitive() {
  local n=peering-not-transitive
  payments_vpc 443
  ledger_vpc
  sg_allow_cidr "$SG_LEDGER" tcp 443 10.0.0.0/8 "internal clients"
  # VPC C "reporting-prod" 10.2.0.0/16, server reporting-api-1 10.2.1.50
  local vpc_c sub_c sg_c eni_c rtb_c pcx_ab pcx_bc
  vpc_c=$(mk_vpc 10.2.0.0/16 reporting-prod)
  sub_c=$(mk_subnet "$vpc_c" 10.2.1.0/24 us-east-1a reporting-prod-api-1a)
  sg_c=$(mk_sg "$vpc_c" reporting-api "reporting API servers")
  sg_allow_cidr "$sg_c" tcp 443 10.0.0.0/8 "internal clients"
  eni_c=$(mk_eni "$sub_c" 10.2.1.50 "$sg_c" reporting-api-1)
  tag_defaults "$(main_rtb "$vpc_c")" reporting-prod-main "$(default_acl "$vpc_c")" reporting-prod-default
  pcx_ab=$(mk_peering "$VPC_A" "$VPC_B" payments-prod-to-ledger-prod accept)
  pcx_bc=$(mk_peering "$VPC_B" "$vpc_c" ledger-prod-to-reporting-prod accept)
  RTB_WORKERS=$(mk_rtb "$VPC_A" payments-prod-workers-rt); rtb_associate "$RTB_WORKERS" "$SUB_WORKERS"
  RTB_LEDGER=$(mk_rtb "$VPC_B" ledger-prod-api-rt); rtb_associate "$RTB_LEDGER" "$SUB_LEDGER"
  rtb_c=$(mk_rtb "$vpc_c" reporting-prod-api-rt); rtb_associate "$rtb_c" "$sub_c"
  # The team assumed ledger-prod would relay between payments-prod and reporting-prod.
  route "$RTB_WORKERS" 10.1.0.0/16 "$pcx_ab"
  route "$RTB_WORKERS" 10.2.0.0/16 "$pcx_ab"
  route "$RTB_LEDGER" 10.0.0.0/16 "$pcx_ab"
  route "$RTB_LEDGER" 10.2.0.0/16 "$pcx_bc"
  route "$rtb_c" 10.1.0.0/16 "$pcx_bc"
  route "$rtb_c" 10.0.0.0/16 "$pcx_bc"
  snapshot $n "$VPC_A" "$VPC_B" "$vpc_c"
  write_scenario $n \
    "Peering is not transitive: payments-prod peers with ledger-prod, ledger-prod peers with reporting-prod. payments-prod-workers-rt sends 10.2.0.0/16 to the payments<->ledger peering and reporting-prod-api-rt sends 10.0.0.0/16 to the ledger<->reporting peering, but a peering connection only delivers to addresses in the peer VPC's CIDR; ledger-prod never forwards. Forward leg: the A-B peering cannot carry 10.2.1.50. Return leg: the B-C peering cannot carry 10.0.2.100. Fix needs a new peering (or TGW) between payments-prod and reporting-prod, so no fix loop." \
    "why can't 10.0.2.100 reach 10.2.1.50:443" "$(ids_json "$VPC_A" "$VPC_B" "$vpc_c")" blocked \
    "[$(blocker path=forward code=CANNOT_ROUTE), $(blocker path=return code=CANNOT_ROUTE)]" \
    '["NO_CONNECTION"]' '[]' false false
  : "$eni_c"
}

# tgw_pair: payments-prod + ledger-prod attached to transit gateway core-tgw (default route table
# association on, propagation off: the team uses static routes), VPC routes to each other via the TGW.
# Sets: TGW TGW_RTB ATT_A ATT_B (+ payments_vpc / ledger_vpc vars, RTB_WORKERS RTB_LEDGER)
tgw_pair() {
  payments_vpc 443
  ledger_vpc
  sg_allow_cidr "$SG_LEDGER" tcp 443 10.0.0.0/8 "internal clients"
  # One attachment subnet per Availability Zone in use: a TGW only takes traffic from resources in
  # AZs where its VPC attachment has a subnet (the worker subnet is in us-east-1b).
  local sub_tgw_a1 sub_tgw_a2 sub_tgw_b1 sub_tgw_b2
  sub_tgw_a1=$(mk_subnet "$VPC_A" 10.0.255.0/28 us-east-1a payments-prod-tgw-1a)
  sub_tgw_a2=$(mk_subnet "$VPC_A" 10.0.255.16/28 us-east-1b payments-prod-tgw-1b)
  sub_tgw_b1=$(mk_subnet "$VPC_B" 10.1.255.0/28 us-east-1a ledger-prod-tgw-1a)
  sub_tgw_b2=$(mk_subnet "$VPC_B" 10.1.255.16/28 us-east-1b ledger-prod-tgw-1b)
  TGW=$(ec2 create-transit-gateway --description "core network hub" \
    --options DefaultRouteTableAssociation=enable,DefaultRouteTablePropagation=disable \
    | jq -r .TransitGateway.TransitGatewayId)
  tag "$TGW" core-tgw
  TGW_RTB=$(ec2 describe-transit-gateways --transit-gateway-ids "$TGW" | jq -r '.TransitGateways[0].Options.AssociationDefaultRouteTableId')
  tag "$TGW_RTB" core-tgw-default-rt
  ATT_A=$(ec2 create-transit-gateway-vpc-attachment --transit-gateway-id "$TGW" --vpc-id "$VPC_A" --subnet-ids "$sub_tgw_a1" "$sub_tgw_a2" \
    | jq -r .TransitGatewayVpcAttachment.TransitGatewayAttachmentId)
  tag "$ATT_A" core-tgw-payments-prod
  ATT_B=$(ec2 create-transit-gateway-vpc-attachment --transit-gateway-id "$TGW" --vpc-id "$VPC_B" --subnet-ids "$sub_tgw_b1" "$sub_tgw_b2" \
    | jq -r .TransitGatewayVpcAttachment.TransitGatewayAttachmentId)
  tag "$ATT_B" core-tgw-ledger-prod
  RTB_WORKERS=$(mk_rtb "$VPC_A" payments-prod-workers-rt); rtb_associate "$RTB_WORKERS" "$SUB_WORKERS"
  RTB_LEDGER=$(mk_rtb "$VPC_B" ledger-prod-api-rt); rtb_associate "$RTB_LEDGER" "$SUB_LEDGER"
  route "$RTB_WORKERS" 10.1.0.0/16 "$TGW"
  route "$RTB_LEDGER" 10.0.0.0/16 "$TGW"
}

scenario_tgw_ok() {
  local n=tgw-ok
  tgw_pair
  ec2 create-transit-gateway-route --transit-gateway-route-table-id "$TGW_RTB" --destination-cidr-block 10.0.0.0/16 --transit-gateway-attachment-id "$ATT_A" >/dev/null
  ec2 create-transit-gateway-route --transit-gateway-route-table-id "$TGW_RTB" --destination-cidr-block 10.1.0.0/16 --transit-gateway-attachment-id "$ATT_B" >/dev/null
  snapshot $n "$VPC_A" "$VPC_B"
  set_tgw_route_attachment "$OUT_ROOT/$n/snapshot" "$TGW_RTB" 10.0.0.0/16 "$ATT_A" "$VPC_A"
  set_tgw_route_attachment "$OUT_ROOT/$n/snapshot" "$TGW_RTB" 10.1.0.0/16 "$ATT_B" "$VPC_B"
  write_scenario $n \
    "payments-prod and ledger-prod are attached to core-tgw; both attachments are associated with the TGW default route table, which has static routes 10.0.0.0/16 -> payments attachment and 10.1.0.0/16 -> ledger attachment; the VPC route tables send each other's CIDR to the TGW: reachable. POST-EDIT: moto drops the TransitGatewayAttachments of static TGW routes in search-transit-gateway-routes; the script restores them." \
    "$Q_B" "$(ids_json "$VPC_A" "$VPC_B")" reachable \
    '[]' '[]' '[]' true false
}

scenario_tgw_missing_route() {
  local n=tgw-missing-route
  tgw_pair
  ec2 create-transit-gateway-route --transit-gateway-route-table-id "$TGW_RTB" --destination-cidr-block 10.0.0.0/16 --transit-gateway-attachment-id "$ATT_A" >/dev/null
  snapshot $n "$VPC_A" "$VPC_B"
  set_tgw_route_attachment "$OUT_ROOT/$n/snapshot" "$TGW_RTB" 10.0.0.0/16 "$ATT_A" "$VPC_A"
  write_scenario $n \
    "Like tgw-ok, but the TGW default route table (associated with the payments attachment) has no route to 10.1.0.0/16 (propagation is off and the static route was never added): the TGW drops the SYN. The return route 10.0.0.0/16 exists. POST-EDIT: moto drops the TransitGatewayAttachments of static TGW routes; the script restores them." \
    "$Q_B" "$(ids_json "$VPC_A" "$VPC_B")" blocked \
    "[$(blocker resourceId="$TGW_RTB" path=forward code=TGW_RTB_CANNOT_ROUTE)]" \
    '[]' '[]' true false
}

scenario_unknown_unowned_address() {
  local n=unknown-unowned-address
  payments_vpc 443
  snapshot $n "$VPC_A"
  write_scenario $n \
    "10.0.1.77 is inside payments-prod-api-1a but no network interface in the data owns it (typo, terminated instance, or an address outside the dump): sgwhy cannot say whether anything listens there, so the verdict is unknown." \
    "why can't 10.0.2.100 reach 10.0.1.77:443" "$(ids_json "$VPC_A")" unknown \
    '[]' '[]' '["UNOWNED_ADDRESS"]' false false
}

scenario_route_prefix_list() {
  local n=route-prefix-list
  peered_pair
  sg_allow_cidr "$SG_LEDGER" tcp 443 10.0.0.0/8 "internal clients"
  local pl; pl=$(ec2 create-managed-prefix-list --prefix-list-name ledger-prod-cidrs --max-entries 10 --address-family IPv4 \
    --entries Cidr=10.1.0.0/16,Description=ledger-prod | jq -r .PrefixList.PrefixListId)
  tag "$pl" ledger-prod-cidrs
  route "$RTB_WORKERS" "$pl" "$PCX"
  route "$RTB_LEDGER" 10.0.0.0/16 "$PCX"
  snapshot $n "$VPC_A" "$VPC_B"
  write_scenario $n \
    "The worker route table routes a customer-managed prefix list (ledger-prod-cidrs: 10.1.0.0/16) to the active peering (DestinationPrefixListId, entries in get-managed-prefix-list-entries.json); the ledger side routes 10.0.0.0/16 back: reachable." \
    "$Q_B" "$(ids_json "$VPC_A" "$VPC_B")" reachable \
    '[]' '[]' '[]' true true
}

# internet_vpc: payments-prod with an attached IGW, the worker subnet public (own route table,
# MapPublicIpOnLaunch) and the worker interface holding an Elastic IP. Sets IGW RTB_PUBLIC (+ payments_vpc vars).
internet_vpc() {
  payments_vpc 443
  ec2 modify-subnet-attribute --subnet-id "$SUB_WORKERS" --map-public-ip-on-launch
  IGW=$(ec2 create-internet-gateway | jq -r .InternetGateway.InternetGatewayId); tag "$IGW" payments-prod-igw
  ec2 attach-internet-gateway --internet-gateway-id "$IGW" --vpc-id "$VPC_A"
  local alloc; alloc=$(ec2 allocate-address --domain vpc --address 54.210.33.17 | jq -r .AllocationId)
  tag "$alloc" settlement-worker-1-eip
  ec2 associate-address --allocation-id "$alloc" --network-interface-id "$ENI_WORKER" >/dev/null
  RTB_PUBLIC=$(mk_rtb "$VPC_A" payments-prod-public-rt); rtb_associate "$RTB_PUBLIC" "$SUB_WORKERS"
}

scenario_internet_egress_ok() {
  local n=internet-egress-ok
  internet_vpc
  route "$RTB_PUBLIC" 0.0.0.0/0 "$IGW"
  snapshot $n "$VPC_A"
  write_scenario $n \
    "The worker subnet is public: its route table sends 0.0.0.0/0 to the attached internet gateway, the interface has an Elastic IP (54.210.33.17), the security group allows all outbound and the default NACL allows all: reachable to an internet address." \
    "can 10.0.2.100 reach 8.8.8.8 on 443" "$(ids_json "$VPC_A")" reachable \
    '[]' '[]' '[]' true true
}

scenario_internet_egress_no_igw() {
  local n=internet-egress-no-igw
  internet_vpc
  snapshot $n "$VPC_A"
  write_scenario $n \
    "Like internet-egress-ok (IGW attached, Elastic IP on the interface), but no route table in the VPC has a route to 0.0.0.0/0: 8.8.8.8 matches no route in payments-prod-public-rt." \
    "can 10.0.2.100 reach 8.8.8.8 on 443" "$(ids_json "$VPC_A")" blocked \
    "[$(blocker layer=route-table resourceId="$RTB_PUBLIC" direction=egress path=forward code=NO_ROUTE_TO_DESTINATION)]" \
    '[]' '[]' true true
}

# ---------------------------------------------------------------------------------------------

# The workers subnet is private: 0.0.0.0/0 goes to a NAT gateway in a public subnet, whose own
# route table sends 0.0.0.0/0 to the internet gateway (unless told not to).
nat_vpc() {
  payments_vpc 443
  SUB_PUBLIC=$(mk_subnet "$VPC_A" 10.0.0.0/24 us-east-1b payments-prod-public-1b)
  IGW=$(ec2 create-internet-gateway | jq -r .InternetGateway.InternetGatewayId); tag "$IGW" payments-prod-igw
  ec2 attach-internet-gateway --internet-gateway-id "$IGW" --vpc-id "$VPC_A"
  local alloc; alloc=$(ec2 allocate-address --domain vpc --address 54.210.40.9 | jq -r .AllocationId)
  NAT=$(ec2 create-nat-gateway --subnet-id "$SUB_PUBLIC" --allocation-id "$alloc" \
    --tag-specifications "$(name_tag natgateway payments-prod-nat-1b)" | jq -r .NatGateway.NatGatewayId)
  RTB_PUBLIC=$(mk_rtb "$VPC_A" payments-prod-public-rt); rtb_associate "$RTB_PUBLIC" "$SUB_PUBLIC"
  RTB_PRIVATE=$(mk_rtb "$VPC_A" payments-prod-workers-rt); rtb_associate "$RTB_PRIVATE" "$SUB_WORKERS"
  route "$RTB_PRIVATE" 0.0.0.0/0 "$NAT"
}

scenario_nat_egress_ok() {
  local n=nat-egress-ok
  nat_vpc
  route "$RTB_PUBLIC" 0.0.0.0/0 "$IGW"
  snapshot $n "$VPC_A"
  write_scenario $n \
    "The worker has no public address; its subnet routes 0.0.0.0/0 to a NAT gateway in the public subnet, which routes 0.0.0.0/0 to the attached internet gateway. Default NACL, allow-all egress: reachable, the reply coming back through the NAT." \
    "can 10.0.2.100 reach 8.8.8.8 on 443" "$(ids_json "$VPC_A")" reachable \
    '[]' '[]' '[]' true true
}

scenario_nat_public_subnet_no_igw_route() {
  local n=nat-public-subnet-no-igw-route
  nat_vpc
  snapshot $n "$VPC_A"
  write_scenario $n \
    "Like nat-egress-ok, but the NAT gateway's own subnet (the public one) has no route to 0.0.0.0/0: the NAT translates the packet and its route table has nowhere to send 8.8.8.8." \
    "can 10.0.2.100 reach 8.8.8.8 on 443" "$(ids_json "$VPC_A")" blocked \
    "$(jq -nc --arg r "$RTB_PUBLIC" '[{layer:"route-table", resourceId:$r, direction:"egress", path:"forward", code:"NO_ROUTE_TO_DESTINATION"}]')" \
    '[]' '[]' true true
}

run_scenarios "$@"
