#!/usr/bin/env bash
# Scenarios whose fix takes several API calls (issue 8, "a fix whenever one is possible"), built with
# the real AWS CLI against moto_server like the other corpora:
#
#   bash fix-steps-scenarios.sh                                   # all, next to this folder
#   SCENARIO_FILTER=sg-rule-quota-new-group ENDPOINT=http://127.0.0.1:PORT OUT_ROOT=DIR bash fix-steps-scenarios.sh
#
# The topology of the last scenario built stays in moto, so a fix-loop test can run sgwhy's printed
# commands against it and re-dump (test/fix-loop-moto-multistep.test.ts).
#
# Post-edits (states moto cannot produce; applied to the dump):
#  - custom network ACLs get the implicit "#32767 deny all" entries real AWS lists, in AWS's order.
#  - peering-deleted, route-nat-gone: a route whose target was deleted shows State "blackhole" in AWS;
#    moto keeps "active", so the script sets it. The fix replaces the route, so a raw moto re-dump
#    after the fix is right without the edit (fixLoopMoto true).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"

SCENARIOS=(
  sg-rule-quota-new-group
  sg-rule-quota-widen
  nacl-deny-at-lowest-number
  peering-deleted
  route-nat-gone
)

# shellcheck source=topology.sh
source "$HERE/topology.sh"

scenario_sg_rule_quota_new_group() {
  local n=sg-rule-quota-new-group
  payments_vpc
  sg_allow_hosts "$SG_API" 443 10.0.3 1 60
  snapshot $n "$VPC_A"
  write_scenario $n \
    "payments-api, the only group on the server, already has 60 inbound rules (tcp/443 from partner /32s 10.0.3.1-60), the quota: a 61st fails with RulesPerSecurityGroupLimitExceeded, and widening a /32 to take in 10.0.2.100 would open a /22. The fix is three steps: create a group, allow tcp/443 from the worker in it, attach it to the server keeping payments-api." \
    "why can't 10.0.2.100 reach 10.0.1.50:443" "$(ids_json "$VPC_A")" blocked \
    "[$(blocker layer=security-group direction=ingress path=forward code=ENI_SG_RULES_MISMATCH networkInterfaceId="$ENI_API")]" \
    '["RULE_LIMIT"]' '[]' true true
}

scenario_sg_rule_quota_widen() {
  local n=sg-rule-quota-widen
  payments_vpc
  sg_allow_hosts "$SG_API" 443 10.0.2 101 160
  snapshot $n "$VPC_A"
  write_scenario $n \
    "payments-api, the only group on the server, already has 60 inbound rules (tcp/443 from 10.0.2.101-160 /32s), the quota. 10.0.2.100 is next to 10.0.2.101: widening that rule to 10.0.2.100/31 (one more address) is a smaller change than a new group. The fix is two steps: revoke the /32 rule, authorize the /31." \
    "why can't 10.0.2.100 reach 10.0.1.50:443" "$(ids_json "$VPC_A")" blocked \
    "[$(blocker layer=security-group direction=ingress path=forward code=ENI_SG_RULES_MISMATCH networkInterfaceId="$ENI_API")]" \
    '["RULE_LIMIT"]' '[]' true true
}

scenario_nacl_deny_at_lowest_number() {
  local n=nacl-deny-at-lowest-number
  payments_vpc
  sg_allow_cidr "$SG_API" tcp 443 10.0.0.0/16 "internal clients"
  local acl; acl=$(mk_acl "$VPC_A" payments-prod-api-acl)
  ec2 create-network-acl-entry --network-acl-id "$acl" --ingress --rule-number 1 --protocol 6 --port-range From=443,To=443 --cidr-block 10.0.2.0/24 --rule-action deny
  ec2 create-network-acl-entry --network-acl-id "$acl" --ingress --rule-number 100 --protocol -1 --cidr-block 0.0.0.0/0 --rule-action allow
  ec2 create-network-acl-entry --network-acl-id "$acl" --egress --rule-number 100 --protocol -1 --cidr-block 0.0.0.0/0 --rule-action allow
  acl_associate "$acl" "$SUB_API"
  ACL_API=$acl
  snapshot $n "$VPC_A"
  write_scenario $n \
    "The API subnet's network ACL denies tcp/443 from the workers' subnet as inbound rule #1, the lowest number there is: no allow can go below it. The fix is two steps: replace #1 with an allow for 10.0.2.100/32 tcp/443, and put the deny back as #2 (free, before #100)." \
    "why can't 10.0.2.100 reach 10.0.1.50:443" "$(ids_json "$VPC_A")" blocked \
    "[$(blocker layer=network-acl resourceId="$acl" direction=ingress path=forward code=SUBNET_ACL_RESTRICTION)]" \
    '["DENY_BEFORE_ALLOW"]' '[]' true true
}

scenario_peering_deleted() {
  local n=peering-deleted
  payments_vpc
  VPC_B=$(mk_vpc 10.1.0.0/16 ledger-prod)
  local sub_ledger sg_ledger eni_ledger rtb_workers rtb_ledger pcx
  sub_ledger=$(mk_subnet "$VPC_B" 10.1.1.0/24 us-east-1a ledger-prod-api-1a)
  sg_ledger=$(mk_sg "$VPC_B" ledger-api "ledger API servers")
  sg_allow_cidr "$sg_ledger" tcp 443 10.0.0.0/16 "payments-prod via peering"
  eni_ledger=$(mk_eni "$sub_ledger" 10.1.1.50 "$sg_ledger" ledger-api-1)
  rtb_workers=$(mk_rtb "$VPC_A" payments-prod-workers-rt); rtb_associate "$rtb_workers" "$SUB_WORKERS"
  rtb_ledger=$(mk_rtb "$VPC_B" ledger-prod-api-rt); rtb_associate "$rtb_ledger" "$sub_ledger"
  pcx=$(mk_peering "$VPC_A" "$VPC_B" payments-ledger-2023)
  ec2 create-route --route-table-id "$rtb_workers" --destination-cidr-block 10.1.0.0/16 --vpc-peering-connection-id "$pcx" >/dev/null
  ec2 create-route --route-table-id "$rtb_ledger" --destination-cidr-block 10.0.0.0/16 --vpc-peering-connection-id "$pcx" >/dev/null
  ec2 delete-vpc-peering-connection --vpc-peering-connection-id "$pcx" >/dev/null
  snapshot $n "$VPC_A" "$VPC_B"
  set_route_state "$OUT_ROOT/$n/snapshot" "$rtb_workers" 10.1.0.0/16 blackhole
  set_route_state "$OUT_ROOT/$n/snapshot" "$rtb_ledger" 10.0.0.0/16 blackhole
  write_scenario $n \
    "The peering payments-ledger-2023 was deleted (by a clean-up of unused peerings) and nothing replaced it; both route tables still send the other VPC's CIDR to it, as blackhole routes. One blocker per leg, one fix for both: create a new peering, accept it, and replace both routes. POST-EDIT: moto keeps the routes active after the peering is deleted; the script sets them to blackhole as AWS shows them." \
    "why can't 10.0.2.100 reach 10.1.1.50:443" "$(ids_json "$VPC_A" "$VPC_B")" blocked \
    "[$(blocker layer=route-table resourceId="$rtb_workers" direction=egress path=forward code=BAD_STATE_ROUTE),$(blocker layer=route-table resourceId="$rtb_ledger" direction=egress path=return code=BAD_STATE_ROUTE)]" \
    '[]' '[]' true true
}

scenario_route_nat_gone() {
  local n=route-nat-gone
  payments_vpc
  local sub_public igw alloc1 alloc2 nat_old nat_new rtb_public rtb_private
  sub_public=$(mk_subnet "$VPC_A" 10.0.0.0/24 us-east-1a payments-prod-public-1a)
  igw=$(ec2 create-internet-gateway | jq -r .InternetGateway.InternetGatewayId); ec2 create-tags --resources "$igw" --tags Key=Name,Value=payments-prod-igw
  ec2 attach-internet-gateway --internet-gateway-id "$igw" --vpc-id "$VPC_A"
  alloc1=$(ec2 allocate-address --domain vpc --address 54.210.40.9 | jq -r .AllocationId)
  alloc2=$(ec2 allocate-address --domain vpc --address 54.210.40.10 | jq -r .AllocationId)
  nat_old=$(ec2 create-nat-gateway --subnet-id "$sub_public" --allocation-id "$alloc1" --tag-specifications "$(name_tag natgateway payments-prod-nat-old)" | jq -r .NatGateway.NatGatewayId)
  nat_new=$(ec2 create-nat-gateway --subnet-id "$sub_public" --allocation-id "$alloc2" --tag-specifications "$(name_tag natgateway payments-prod-nat-1a)" | jq -r .NatGateway.NatGatewayId)
  rtb_public=$(mk_rtb "$VPC_A" payments-prod-public-rt); rtb_associate "$rtb_public" "$sub_public"
  ec2 create-route --route-table-id "$rtb_public" --destination-cidr-block 0.0.0.0/0 --gateway-id "$igw" >/dev/null
  rtb_private=$(mk_rtb "$VPC_A" payments-prod-workers-rt); rtb_associate "$rtb_private" "$SUB_WORKERS"
  ec2 create-route --route-table-id "$rtb_private" --destination-cidr-block 0.0.0.0/0 --nat-gateway-id "$nat_old" >/dev/null
  ec2 delete-nat-gateway --nat-gateway-id "$nat_old" >/dev/null
  snapshot $n "$VPC_A"
  set_route_state "$OUT_ROOT/$n/snapshot" "$rtb_private" 0.0.0.0/0 blackhole
  write_scenario $n \
    "The workers' default route points at NAT gateway payments-prod-nat-old, which was deleted (AWS shows the route as blackhole); payments-prod-nat-1a, available in the same public subnet, was created to replace it but the route was never moved. The fix: replace-route 0.0.0.0/0 to the working NAT gateway. POST-EDIT: moto keeps the route active after the NAT gateway is deleted; the script sets it to blackhole as AWS shows it." \
    "can 10.0.2.100 reach 8.8.8.8 on 443" "$(ids_json "$VPC_A")" blocked \
    "[$(blocker layer=route-table resourceId="$rtb_private" direction=egress path=forward code=BAD_STATE_ROUTE)]" \
    '[]' '[]' true true
}

run_scenarios "$@"
