#!/usr/bin/env bash
# Topology and scenario.json helpers shared by the routing, fix-steps, hybrid, internet and lb scenario scripts (source
# after lib.sh; they use ec2, ACCOUNT, AWS_DEFAULT_REGION, OUT_ROOT and REGION_DIR).

name_tag() { echo "ResourceType=$1,Tags=[{Key=Name,Value=$2}]"; }
mk_vpc() { ec2 create-vpc --cidr-block "$1" --tag-specifications "$(name_tag vpc "$2")" | jq -r .Vpc.VpcId; }
mk_subnet() {
  ec2 create-subnet --vpc-id "$1" --cidr-block "$2" --availability-zone "$3" --tag-specifications "$(name_tag subnet "$4")" | jq -r .Subnet.SubnetId
}
mk_sg() { ec2 create-security-group --vpc-id "$1" --group-name "$2" --description "$3" --tag-specifications "$(name_tag security-group "$2")" | jq -r .GroupId; }
sg_allow_cidr() {
  ec2 authorize-security-group-ingress --group-id "$1" --ip-permissions \
    "$(jq -cn --arg p "$2" --argjson port "$3" --arg cidr "$4" --arg d "$5" '[{IpProtocol:$p, FromPort:$port, ToPort:$port, IpRanges:[{CidrIp:$cidr, Description:$d}]}]')" >/dev/null
}
# sg_allow_hosts SG PORT PREFIX FIRST LAST: one tcp/PORT rule per /32 PREFIX.FIRST … PREFIX.LAST (one call)
sg_allow_hosts() {
  local ranges; ranges=$(jq -nc --arg p "$3" --argjson a "$4" --argjson b "$5" '[range($a; $b + 1) | {CidrIp: "\($p).\(.)/32", Description: "partner-host-\(.)"}]')
  ec2 authorize-security-group-ingress --group-id "$1" --ip-permissions "[{\"IpProtocol\":\"tcp\",\"FromPort\":$2,\"ToPort\":$2,\"IpRanges\":$ranges}]" >/dev/null
}
mk_eni() {
  ec2 create-network-interface --subnet-id "$1" --private-ip-address "$2" --groups "$3" --description "$4" \
    --tag-specifications "$(name_tag network-interface "$4")" | jq -r .NetworkInterface.NetworkInterfaceId
}
main_rtb() { ec2 describe-route-tables --filters "Name=vpc-id,Values=$1" "Name=association.main,Values=true" | jq -r '.RouteTables[0].RouteTableId'; }
mk_rtb() { ec2 create-route-table --vpc-id "$1" --tag-specifications "$(name_tag route-table "$2")" | jq -r .RouteTable.RouteTableId; }
rtb_associate() { ec2 associate-route-table --route-table-id "$1" --subnet-id "$2" >/dev/null; }
mk_acl() { ec2 create-network-acl --vpc-id "$1" --tag-specifications "$(name_tag network-acl "$2")" | jq -r .NetworkAcl.NetworkAclId; }
acl_associate() {
  local assoc
  assoc=$(ec2 describe-network-acls --filters "Name=association.subnet-id,Values=$2" \
    | jq -r --arg s "$2" '[.NetworkAcls[].Associations[] | select(.SubnetId==$s)][0].NetworkAclAssociationId')
  ec2 replace-network-acl-association --association-id "$assoc" --network-acl-id "$1" >/dev/null
}
# mk_peering REQUESTER_VPC ACCEPTER_VPC NAME [accept|pending]
mk_peering() {
  local id; id=$(ec2 create-vpc-peering-connection --vpc-id "$1" --peer-vpc-id "$2" \
    --tag-specifications "$(name_tag vpc-peering-connection "$3")" | jq -r .VpcPeeringConnection.VpcPeeringConnectionId)
  if [ "${4:-accept}" = accept ]; then ec2 accept-vpc-peering-connection --vpc-peering-connection-id "$id" >/dev/null; fi
  echo "$id"
}
jq_inplace() { local f="$1"; shift; local tmp; tmp=$(mktemp); jq "$@" "$f" > "$tmp" && mv "$tmp" "$f"; }
acl_realism() {
  local f="$1/$REGION_DIR/describe-network-acls.json"
  [ -f "$f" ] || return 0
  jq_inplace "$f" '.NetworkAcls |= map(.Entries |= (
      . as $e
      | $e + ([true, false]
              | map(. as $eg | select([$e[] | select(.Egress == $eg and .RuleNumber == 32767)] | length == 0)
                    | {CidrBlock: "0.0.0.0/0", Egress: $eg, Protocol: "-1", RuleAction: "deny", RuleNumber: 32767}))
      | sort_by([(.Egress | not), .RuleNumber])))'
}
# set_route_state SNAPSHOT_DIR RTB DEST(cidr or pl-…) STATE
set_route_state() {
  jq_inplace "$1/$REGION_DIR/describe-route-tables.json" --arg rtb "$2" --arg dst "$3" --arg st "$4" \
    '(.RouteTables[] | select(.RouteTableId == $rtb) | .Routes[]
      | select(.DestinationCidrBlock == $dst or .DestinationPrefixListId == $dst) | .State) = $st'
}
blocker() { local args=() kv; for kv in "$@"; do args+=(--arg "${kv%%=*}" "${kv#*=}"); done; jq -cn "${args[@]}" '$ARGS.named'; }
ids_json() { jq -cn '$ARGS.positional' --args "$@"; }
snapshot() { local name="$1"; shift; dump_snapshot "$OUT_ROOT/$name/snapshot" "$@"; acl_realism "$OUT_ROOT/$name/snapshot"; }
# write_scenario NAME DESCRIPTION QUESTION VPC_IDS_JSON VERDICT BLOCKERS_JSON NEAR_MISSES_JSON UNKNOWN_CODES_JSON FIXLOOP FIXLOOP_MOTO
write_scenario() {
  mkdir -p "$OUT_ROOT/$1"
  jq -n --arg name "$1" --arg description "$2" --arg question "$3" --argjson vpcIds "$4" \
    --arg verdict "$5" --argjson blockers "$6" --argjson nearMisses "$7" --argjson unknownCodes "$8" \
    --argjson fixLoop "$9" --argjson fixLoopMoto "${10}" \
    '{name: $name, description: $description, question: $question, vpcIds: $vpcIds,
      expect: {verdict: $verdict, blockers: $blockers, nearMisses: $nearMisses, unknownCodes: $unknownCodes,
               fixLoop: $fixLoop, fixLoopMoto: $fixLoopMoto}}' > "$OUT_ROOT/$1/scenario.json"
}

# payments-prod 10.0.0.0/16: api 10.0.1.0/24 (server 10.0.1.50, sg payments-api), workers 10.0.2.0/24 (client 10.0.2.100).
payments_vpc() {
  VPC_A=$(mk_vpc 10.0.0.0/16 payments-prod)
  SUB_API=$(mk_subnet "$VPC_A" 10.0.1.0/24 us-east-1a payments-prod-api-1a)
  SUB_WORKERS=$(mk_subnet "$VPC_A" 10.0.2.0/24 us-east-1a payments-prod-workers-1a)
  SG_API=$(mk_sg "$VPC_A" payments-api "payments API servers")
  SG_WORKER=$(mk_sg "$VPC_A" settlement-worker "settlement batch workers")
  ENI_API=$(mk_eni "$SUB_API" 10.0.1.50 "$SG_API" payments-api-1)
  ENI_WORKER=$(mk_eni "$SUB_WORKERS" 10.0.2.100 "$SG_WORKER" settlement-worker-1)
}

