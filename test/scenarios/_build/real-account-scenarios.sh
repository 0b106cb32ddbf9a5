#!/usr/bin/env bash
# Scenarios for shapes real accounts are full of (issue 8, part 1): instances with several interfaces
# and Name tags as endpoints, addresses AWS serves itself, addresses no interface can hold, any IP
# protocol, port ranges, wording that sets the direction, protocol-fit fix notes, and interfaces AWS
# manages (NAT gateway, load balancers). Built with the real AWS CLI against moto_server like the
# other corpora; where moto cannot create a resource (NAT gateway, ALB and NLB interfaces), the
# scenario adds a hand-written file in AWS's documented response shape, named hand-written-*.json,
# and its folder's README.md says what it holds and from which documented shape.
#
#   bash real-account-scenarios.sh                        # every scenario
#   SCENARIO_FILTER=multi-eni-by-name bash real-account-scenarios.sh
set -euo pipefail

REAL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=sg-scenarios.sh
source "$REAL_DIR/sg-scenarios.sh" # helpers only: new_vpc, sg, allow_in/out, launch, std_client, blocker_sg…

# write_x NAME DESCRIPTION QUESTION VERDICT BLOCKERS NEARMISSES FIXLOOP UNKNOWN_CODES EXTRA_EXPECT VPC...
# Like write_scenario, with extra expectations (parts, summaryIncludes, …) and several VPCs.
write_x() {
  local name="$1" dir="$OUT_ROOT/$1" desc="$2" question="$3" verdict="$4" blockers="$5" misses="$6" fixloop="$7" unknowns="$8" extra="$9"
  shift 9
  mkdir -p "$dir"
  dump_snapshot "$dir/snapshot" "$@"
  jq -n --arg name "$name" --arg description "$desc" --arg question "$question" --argjson vpcs "$(printf '%s\n' "$@" | jq -R . | jq -s .)" \
    --arg verdict "$verdict" --argjson blockers "$blockers" --argjson nearMisses "$misses" --argjson fixLoop "$fixloop" \
    --argjson unknownCodes "$unknowns" --argjson extra "$extra" \
    '{name:$name, description:$description, question:$question, vpcIds:$vpcs,
      expect:({verdict:$verdict, blockers:$blockers, nearMisses:$nearMisses, unknownCodes:$unknownCodes, fixLoop:$fixLoop} + $extra)}' \
    > "$dir/scenario.json"
  echo "built $name" >&2
}

# hand_written NAME FILE JSON README_TEXT: adds a hand-written describe-* file to a built scenario, and its README.
hand_written() {
  local dir="$OUT_ROOT/$1"
  jq . <<<"$3" > "$dir/snapshot/$REGION_DIR/hand-written-$2.json"
  printf '%s\n' "$4" > "$dir/README.md"
}

mk_subnet3() {
  SUB_DATA=$(ec2 create-subnet --vpc-id "$VPC" --cidr-block 10.0.3.0/24 --availability-zone us-east-1a | jq -r .Subnet.SubnetId)
  tag "$SUB_DATA" "data-private-a"
}

# custom_acl NAME SUBNET: a new network ACL (no entries: AWS denies everything) associated with SUBNET; prints its id.
custom_acl() {
  local acl assoc
  acl=$(ec2 create-network-acl --vpc-id "$VPC" | jq -r .NetworkAcl.NetworkAclId)
  tag "$acl" "$1"
  assoc=$(ec2 describe-network-acls --filters "Name=association.subnet-id,Values=$2" \
    | jq -r --arg s "$2" '[.NetworkAcls[].Associations[] | select(.SubnetId==$s)][0].NetworkAclAssociationId')
  ec2 replace-network-acl-association --association-id "$assoc" --network-acl-id "$acl" >/dev/null
  echo "$acl"
}

# An ENI in AWS's documented describe-network-interfaces shape, for interfaces moto cannot create.
# managed_eni ID IP SUBNET TYPE DESCRIPTION REQUESTER GROUPS_JSON
managed_eni() {
  jq -nc --arg id "$1" --arg ip "$2" --arg subnet "$3" --arg vpc "$VPC" --arg type "$4" --arg desc "$5" --arg req "$6" \
    --argjson groups "$7" --arg owner "$ACCOUNT" '{
      Attachment: {AttachmentId: ("ela-attach-" + ($id | ltrimstr("eni-"))), DeleteOnTermination: false, DeviceIndex: 1,
                   InstanceOwnerId: $req, Status: "attached"},
      AvailabilityZone: "us-east-1a", Description: $desc, Groups: $groups, InterfaceType: $type, Ipv6Addresses: [],
      MacAddress: "0e:5c:3a:1b:2c:3d", NetworkInterfaceId: $id, OwnerId: $owner,
      PrivateDnsName: ("ip-" + ($ip | gsub("\\."; "-")) + ".ec2.internal"), PrivateIpAddress: $ip,
      PrivateIpAddresses: [{Primary: true, PrivateDnsName: ("ip-" + ($ip | gsub("\\."; "-")) + ".ec2.internal"), PrivateIpAddress: $ip}],
      RequesterId: $req, RequesterManaged: true, SourceDestCheck: false, Status: "in-use", SubnetId: $subnet, TagSet: [], VpcId: $vpc}'
}

# ---------------------------------------------------------------------------------------------------
# Instances with several interfaces; Name tags as endpoints

sc_multi_eni_by_name() {
  new_vpc prod-vpc
  two_eni_server
  write_x multi-eni-by-name \
    "Issue 8 item 8: app-1 has eth0 10.0.1.50 (app-sg: tcp/443 from the VPC) and eth1 10.0.1.60 (the stale app-sg-v1: tcp/80 only). Asked by Name tags, the instance means both interfaces: eth0 is reachable, eth1 is blocked by its own group; the answer says so per interface, never the primary alone" \
    "why can't web-1 reach app-1:443" blocked \
    "[$(blocker_sg ingress "$SECONDARY_ENI" "$STALE_SG")]" '["WRONG_PORT","GROUP_NOT_ATTACHED"]' true '[]' \
    '{"parts":[{"label":"eth0","verdict":"reachable"},{"label":"eth1","verdict":"blocked"}],"summaryIncludes":["has 2 interfaces"]}' "$VPC"
}

sc_multi_eni_source_routed() {
  new_vpc prod-vpc
  mk_subnet3
  local web data db eth0 eth1 out
  web=$(sg web-sg "web tier")
  data=$(sg batch-data-sg "batch, data subnet leg, hardened egress")
  revoke_default_egress "$data"
  allow_out "$data" tcp 443 443 10.0.3.0/24 "https to data services"
  eth0=$(ec2 create-network-interface --subnet-id "$SUB_WEB" --private-ip-address 10.0.2.100 --groups "$web" | jq -r .NetworkInterface.NetworkInterfaceId)
  eth1=$(ec2 create-network-interface --subnet-id "$SUB_DATA" --private-ip-address 10.0.3.10 --groups "$data" | jq -r .NetworkInterface.NetworkInterfaceId)
  tag "$eth0" batch-1-eth0
  tag "$eth1" batch-1-eth1
  out=$(ec2 run-instances --image-id "$AMI" --instance-type t3.micro --count 1 \
    --network-interfaces "[{\"DeviceIndex\":0,\"NetworkInterfaceId\":\"$eth0\"},{\"DeviceIndex\":1,\"NetworkInterfaceId\":\"$eth1\"}]" \
    --tag-specifications "ResourceType=instance,Tags=[{Key=Name,Value=batch-1}]")
  db=$(sg db-sg "postgres")
  allow_in "$db" tcp 5432 5432 10.0.0.0/16 "postgres from vpc"
  launch SERVER db-1 "$SUB_DATA" 10.0.3.50 "$db"
  write_x multi-eni-source-routed \
    "Issue 8 item 8: batch-1 has eth0 in the web subnet (web-sg, allow-all egress) and eth1 10.0.3.10 in the data subnet (batch-data-sg: egress tcp/443 only). db-1 10.0.3.50 is in eth1's subnet, so the OS sends through eth1 (connected route) and its egress group drops tcp/5432; answering from the primary eth0 would wrongly say reachable" \
    "why can't batch-1 reach db-1:5432" blocked \
    "[$(blocker_sg egress "$eth1" "$data")]" '[]' true '[]' \
    '{"summaryIncludes":["leaves through eth1","connected route"]}' "$VPC"
}

# ---------------------------------------------------------------------------------------------------
# Addresses AWS serves itself: no network ACL or security group applies

locked_down_client() {
  local web
  web=$(sg web-sg "web tier, no egress at all")
  revoke_default_egress "$web"
  launch CLIENT web-1 "$SUB_WEB" 10.0.2.100 "$web"
  custom_acl web-locked "$SUB_WEB" >/dev/null # no entries: denies everything both ways
}

sc_aws_metadata_locked_down() {
  new_vpc prod-vpc
  locked_down_client
  write_x aws-metadata-locked-down \
    "Issue 8 item 2: web-1's group has no egress rule and its subnet's network ACL denies everything, yet the instance metadata service is reached over the instance's own link: reachable, no ACL or group change, host checks for IMDSv2 and the hop limit" \
    "can web-1 reach 169.254.169.254:80" reachable '[]' '[]' false '[]' \
    '{"hopSteps":["AWS_SERVICE"],"hostChecksInclude":["latest/api/token","--http-put-response-hop-limit"]}' "$VPC"
}

sc_aws_dns_vpc_resolver() {
  new_vpc prod-vpc
  locked_down_client
  write_x aws-dns-vpc-resolver \
    "Issue 8 item 2: the Amazon DNS server at the VPC's base address + 2 (10.0.0.2) answers web-1 although its group has no egress and its ACL denies everything: DNS to the resolver is never filtered by them" \
    "web-1 -> 10.0.0.2:53/udp" reachable '[]' '[]' false '[]' \
    '{"hopSteps":["AWS_SERVICE"],"hostChecksInclude":["dig @10.0.0.2","enableDnsSupport"]}' "$VPC"
}

sc_aws_dns_other_vpc() {
  new_vpc prod-vpc
  std_client
  local vpc2
  vpc2=$(ec2 create-vpc --cidr-block 10.1.0.0/16 | jq -r .Vpc.VpcId)
  tag "$vpc2" shared-vpc
  write_x aws-dns-other-vpc \
    "Issue 8 item 2: 10.1.0.2 is the Amazon DNS server of another VPC (shared-vpc); it answers only resources of that VPC, whatever the groups and ACLs say: blocked, no ACL or group change proposed" \
    "web-1 -> 10.1.0.2:53/udp" blocked \
    '[{"layer":"network-interface","code":"AWS_SERVICE","path":"forward"}]' '[]' false '[]' \
    '{"explanationIncludes":["answers only resources in"]}' "$VPC" "$vpc2"
}

# ---------------------------------------------------------------------------------------------------
# Addresses no interface can hold

sc_address_no_subnet() {
  new_vpc prod-vpc
  std_client
  local app; app=$(sg app-sg "app tier")
  allow_in "$app" tcp 443 443 10.0.0.0/16 "https from vpc"
  launch SERVER app-1 "$SUB_APP" 10.0.1.9 "$app"
  write_x address-no-subnet \
    "Issue 8 item 6: 10.0.3.9 is inside prod-vpc (10.0.0.0/16) but in none of its subnets (10.0.1.0/24, 10.0.2.0/24): no interface can have it. Blocked, explained, with the addresses in use nearby (a typo for 10.0.1.9?)" \
    "why can't 10.0.2.100 reach 10.0.3.9:443" blocked \
    "[{\"layer\":\"network-interface\",\"code\":\"NO_INTERFACE_POSSIBLE\",\"resourceId\":\"$VPC\",\"direction\":\"ingress\"}]" '[]' false '[]' \
    '{"explanationIncludes":["in none of its subnets","10.0.1.9"]}' "$VPC"
}

sc_address_reserved() {
  new_vpc prod-vpc
  std_client
  write_x address-reserved \
    "Issue 8 item 6: 10.0.1.3 is one of the addresses AWS reserves in every subnet (the fourth: future use); no interface ever has it" \
    "10.0.2.100 -> 10.0.1.3:443" blocked \
    "[{\"layer\":\"network-interface\",\"code\":\"NO_INTERFACE_POSSIBLE\",\"resourceId\":\"$SUB_APP\"}]" '[]' false '[]' \
    '{"explanationIncludes":["reserved by AWS"]}' "$VPC"
}

# ---------------------------------------------------------------------------------------------------
# Any IP protocol, port ranges, wording

sc_protocol_esp_not_allowed() {
  new_vpc prod-vpc
  std_client
  local vpn; vpn=$(sg vpn-sg "ipsec endpoint")
  allow_in "$vpn" udp 500 500 10.0.0.0/16 "ike"
  allow_in "$vpn" udp 4500 4500 10.0.0.0/16 "ipsec nat-t"
  launch SERVER vpn-1 "$SUB_APP" 10.0.1.50 "$vpn"
  write_x protocol-esp-not-allowed \
    "Issue 8 item 7: vpn-sg opens IKE (udp/500) and NAT-T (udp/4500) but not ESP (IP protocol 50), so ESP from the peer is dropped; the fix is a rule with IpProtocol 50 and no ports" \
    "esp from 10.0.2.100 to 10.0.1.50" blocked \
    "[$(blocker_sg ingress "$SERVER_ENI" "$vpn")]" '[]' true '[]' '{}' "$VPC"
}

sc_protocol_gre_allowed() {
  new_vpc prod-vpc
  std_client
  local gre; gre=$(sg gre-sg "gre tunnel endpoint")
  ec2 authorize-security-group-ingress --group-id "$gre" \
    --ip-permissions '[{"IpProtocol":"47","FromPort":-1,"ToPort":-1,"IpRanges":[{"CidrIp":"10.0.0.0/16","Description":"gre from vpc"}]}]' >/dev/null
  launch SERVER tun-1 "$SUB_APP" 10.0.1.50 "$gre"
  write_x protocol-gre-allowed \
    "Issue 8 item 7: gre-sg has a rule for IP protocol 47 from the VPC: GRE (asked as gre/47) is allowed, as AWS matches rules by protocol number" \
    "gre/47 from 10.0.2.100 to 10.0.1.50" reachable '[]' '[]' false '[]' '{}' "$VPC"
}

sc_port_range_partial() {
  new_vpc prod-vpc
  std_client
  local app; app=$(sg app-sg "app tier")
  allow_in "$app" tcp 8080 8085 10.0.0.0/16 "app ports from vpc"
  launch SERVER app-1 "$SUB_APP" 10.0.1.50 "$app"
  write_x port-range-partial \
    "Questions people type: ports 8080-8090 while app-sg opens 8080-8085 only: the answer says 8080-8085 pass and 8086-8090 are blocked, and the fix opens exactly 8086-8090" \
    "10.0.2.100 -> 10.0.1.50 ports 8080-8090" blocked \
    "[$(blocker_sg ingress "$SERVER_ENI" "$app")]" '[]' true '[]' \
    '{"parts":[{"verdict":"reachable","ports":[8080,8085]},{"verdict":"blocked","ports":[8086,8090]}]}' "$VPC"
}

sc_direction_passive() {
  new_vpc prod-vpc
  std_client
  local app; app=$(sg app-sg "app tier")
  allow_in "$app" tcp 8080 8080 10.0.0.0/16 "app from vpc"
  launch SERVER app-1 "$SUB_APP" 10.0.1.50 "$app"
  write_x direction-passive \
    "Questions people type: '10.0.1.50:8443 is not reachable from 10.0.2.100' puts the destination first; the source is 10.0.2.100, and the first line says which way was checked" \
    "10.0.1.50:8443 is not reachable from 10.0.2.100" blocked \
    "[$(blocker_sg ingress "$SERVER_ENI" "$app")]" '["WRONG_PORT"]' true '[]' \
    '{"summaryIncludes":["Checked 10.0.2.100 → 10.0.1.50"]}' "$VPC"
}

sc_nacl_icmp_return() {
  new_vpc prod-vpc
  std_client
  local app acl; app=$(sg app-sg "app tier")
  allow_in "$app" icmp 8 -1 10.0.0.0/16 "ping from vpc"
  launch SERVER app-1 "$SUB_APP" 10.0.1.50 "$app"
  acl=$(custom_acl app-acl "$SUB_APP")
  ec2 create-network-acl-entry --network-acl-id "$acl" --ingress --rule-number 100 --protocol 1 --icmp-type-code Type=8,Code=-1 --cidr-block 10.0.0.0/16 --rule-action allow
  ec2 create-network-acl-entry --network-acl-id "$acl" --egress --rule-number 100 --protocol 6 --port-range From=1024,To=65535 --cidr-block 10.0.0.0/16 --rule-action allow
  write_x nacl-icmp-return \
    "Fix notes fit the protocol: app-acl lets the echo request in but only lets tcp 1024-65535 out, so the echo reply is dropped on the return path; the fix allows the echo reply and its note says so (no ephemeral ports for ICMP)" \
    "can 10.0.2.100 ping 10.0.1.50" blocked \
    "[{\"layer\":\"network-acl\",\"resourceId\":\"$acl\",\"direction\":\"egress\",\"path\":\"return\",\"code\":\"SUBNET_ACL_RESTRICTION\"}]" '[]' true '[]' \
    '{"fixNotesExclude":["ephemeral"]}' "$VPC"
  # moto drops IcmpTypeCode from the entry it stored; AWS returns it (required for protocol 1 entries).
  local f="$OUT_ROOT/nacl-icmp-return/snapshot/$REGION_DIR/describe-network-acls.json" tmp; tmp=$(mktemp)
  jq --arg acl "$acl" '(.NetworkAcls[] | select(.NetworkAclId == $acl) | .Entries[] | select(.Protocol == "1" and .Egress == false)) += {IcmpTypeCode: {Type: 8, Code: -1}}' "$f" > "$tmp" && mv "$tmp" "$f"
  printf '%s\n' "describe-network-acls.json was built with the AWS CLI against moto_server; moto drops the IcmpTypeCode of the ICMP entry it stored, so the build adds it back as AWS returns it ({\"Type\": 8, \"Code\": -1})." > "$OUT_ROOT/nacl-icmp-return/README.md"
}

# ---------------------------------------------------------------------------------------------------
# Interfaces AWS manages (hand-written: moto does not create them)

sc_managed_nat_inbound() {
  new_vpc prod-vpc
  std_client
  write_x managed-nat-inbound \
    "Issue 8 item 1: 10.0.1.20 is the interface of NAT gateway nat-0a1b2c3d4e5f60718 (InterfaceType nat_gateway, no security groups). A NAT gateway accepts only replies to connections it opened: the connection is dropped at the NAT gateway, never 'blocked by security-group'" \
    "why can't 10.0.2.100 reach 10.0.1.20:443" blocked \
    '[{"layer":"gateway","resourceId":"nat-0a1b2c3d4e5f60718","code":"UNSOLICITED_INBOUND","direction":"ingress"}]' '[]' false '[]' \
    '{"explanationIncludes":["accepts only replies"]}' "$VPC"
  local eni nat
  eni=$(managed_eni eni-0a1b2c3d4e5f60718 10.0.1.20 "$SUB_APP" nat_gateway "Interface for NAT Gateway nat-0a1b2c3d4e5f60718" 462297184126 '[]')
  nat=$(jq -nc --arg subnet "$SUB_APP" --arg vpc "$VPC" '{NatGatewayId: "nat-0a1b2c3d4e5f60718", SubnetId: $subnet, VpcId: $vpc, State: "available",
    ConnectivityType: "public", CreateTime: "2026-11-30T09:00:00+00:00",
    NatGatewayAddresses: [{AllocationId: "eipalloc-0a1b2c3d4e5f60718", NetworkInterfaceId: "eni-0a1b2c3d4e5f60718", PrivateIp: "10.0.1.20",
                           PublicIp: "203.0.113.20", IsPrimary: true, Status: "succeeded"}], Tags: [{Key: "Name", Value: "prod-nat-a"}]}')
  hand_written managed-nat-inbound network-interfaces "{\"NetworkInterfaces\":[$eni]}" \
    "hand-written-network-interfaces.json: the NAT gateway's interface, in the shape AWS documents for describe-network-interfaces (InterfaceType \"nat_gateway\", RequesterManaged true, Description \"Interface for NAT Gateway nat-…\", no Groups). Everything else was built with the AWS CLI against moto_server (real-account-scenarios.sh)."
  jq -n --argjson n "$nat" '{NatGateways: [$n]}' > "$OUT_ROOT/managed-nat-inbound/snapshot/$REGION_DIR/hand-written-nat-gateways.json"
  printf '%s\n' "hand-written-nat-gateways.json: the NAT gateway, in the shape AWS documents for describe-nat-gateways (NatGatewayAddresses with the interface and its private and public IPs)." >> "$OUT_ROOT/managed-nat-inbound/README.md"
}

sc_managed_alb_groups() {
  new_vpc prod-vpc
  std_client
  local alb; alb=$(sg orders-alb-sg "orders ALB")
  allow_in "$alb" tcp 80 80 10.0.0.0/16 "http from vpc"
  write_x managed-alb-groups \
    "Issue 8 item 1: 10.0.1.30 is an interface of the ALB app/orders-alb (RequesterId amazon-elb, description 'ELB app/orders-alb/…'); it carries the ALB's group, orders-alb-sg, which opens tcp/80 only. Evaluate the owner's group and name the owner; the fix adds tcp/443 to orders-alb-sg" \
    "why can't 10.0.2.100 reach 10.0.1.30:443" blocked \
    "[{\"layer\":\"security-group\",\"resourceId\":\"$alb\",\"direction\":\"ingress\",\"code\":\"ENI_SG_RULES_MISMATCH\",\"networkInterfaceId\":\"eni-0b1c2d3e4f5a60718\"}]" '["WRONG_PORT"]' true '[]' \
    '{"explanationIncludes":["Application Load Balancer app/orders-alb"]}' "$VPC"
  local eni
  eni=$(managed_eni eni-0b1c2d3e4f5a60718 10.0.1.30 "$SUB_APP" interface "ELB app/orders-alb/50dc6c495c0c9188" amazon-elb \
    "[{\"GroupName\":\"orders-alb-sg\",\"GroupId\":\"$alb\"}]")
  hand_written managed-alb-groups network-interfaces "{\"NetworkInterfaces\":[$eni]}" \
    "hand-written-network-interfaces.json: one interface of an Application Load Balancer, in the shape AWS documents for describe-network-interfaces (InterfaceType \"interface\", RequesterId \"amazon-elb\", RequesterManaged true, Description \"ELB app/NAME/ID\", Groups = the load balancer's security groups). The group orders-alb-sg itself was created with the AWS CLI against moto_server, like everything else."
}

sc_managed_nlb_no_groups() {
  new_vpc prod-vpc
  std_client
  write_x managed-nlb-no-groups \
    "Issue 8 item 1: 10.0.1.40 is an interface of a Network Load Balancer created without security groups (InterfaceType network_load_balancer, no Groups): security groups do not filter it, so there is no 'no rule in no security groups' answer" \
    "why can't 10.0.2.100 reach 10.0.1.40:443" reachable '[]' '[]' false '[]' '{}' "$VPC"
  local eni
  eni=$(managed_eni eni-0c1d2e3f4a5b60718 10.0.1.40 "$SUB_APP" network_load_balancer "ELB net/orders-nlb/1a2b3c4d5e6f7a8b" amazon-elb '[]')
  hand_written managed-nlb-no-groups network-interfaces "{\"NetworkInterfaces\":[$eni]}" \
    "hand-written-network-interfaces.json: one interface of a Network Load Balancer without security groups, in the shape AWS documents for describe-network-interfaces (InterfaceType \"network_load_balancer\", RequesterId \"amazon-elb\", RequesterManaged true, Description \"ELB net/NAME/ID\", Groups empty). Everything else was built with the AWS CLI against moto_server."
}

REAL_SCENARIOS=(
  multi-eni-by-name multi-eni-source-routed
  aws-metadata-locked-down aws-dns-vpc-resolver aws-dns-other-vpc
  address-no-subnet address-reserved
  protocol-esp-not-allowed protocol-gre-allowed port-range-partial direction-passive nacl-icmp-return
  managed-nat-inbound managed-alb-groups managed-nlb-no-groups
)

build_sc "${REAL_SCENARIOS[@]}"
