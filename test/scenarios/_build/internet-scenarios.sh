#!/usr/bin/env bash
# The internet both ways, IPv4 and IPv6 (issue 8, item 5), built with the real AWS CLI against moto_server:
#
#   bash internet-scenarios.sh
#   SCENARIO_FILTER=ipv6-inbound-ok ENDPOINT=http://127.0.0.1:PORT OUT_ROOT=DIR bash internet-scenarios.sh
#
# No post-edits: every state here is one moto produces as AWS does. moto picks the VPC's IPv6 block at
# random, so the questions name the server's address as dumped (the script writes it into scenario.json).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"
# shellcheck source=topology.sh
source "$HERE/topology.sh"

SCENARIOS=(ipv6-inbound-ok ipv6-inbound-no-route-back ipv6-egress-only-ok ipv6-inbound-egress-only public-ip-to-public-ip)

v6_subnet() { python3 -c 'import ipaddress,sys; print(list(ipaddress.IPv6Network(sys.argv[1]).subnets(new_prefix=64))[int(sys.argv[2])])' "$1" "$2"; }
v6_host() { python3 -c 'import ipaddress,sys; print(ipaddress.IPv6Network(sys.argv[1])[int(sys.argv[2], 16)])' "$1" "$2"; }

# web6: dual-stack VPC web-prod 10.0.0.0/16 + an Amazon /56; subnet web-public-1a (10.0.1.0/24 + the /56's
# first /64) with server web-1 at 10.0.1.50 and <net>::50, group web (tcp/443 from ::/0 and 0.0.0.0/0).
web6() {
  VPC_A=$(ec2 create-vpc --cidr-block 10.0.0.0/16 --amazon-provided-ipv6-cidr-block --tag-specifications "$(name_tag vpc web-prod)" | jq -r .Vpc.VpcId)
  local block; block=$(ec2 describe-vpcs --vpc-ids "$VPC_A" | jq -r '.Vpcs[0].Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock')
  NET6=$(v6_subnet "$block" 0)
  SUB_WEB=$(ec2 create-subnet --vpc-id "$VPC_A" --cidr-block 10.0.1.0/24 --ipv6-cidr-block "$NET6" --availability-zone us-east-1a \
    --tag-specifications "$(name_tag subnet web-public-1a)" | jq -r .Subnet.SubnetId)
  SG_WEB=$(mk_sg "$VPC_A" web "public web servers")
  ec2 authorize-security-group-ingress --group-id "$SG_WEB" --ip-permissions \
    '[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"IpRanges":[{"CidrIp":"0.0.0.0/0"}],"Ipv6Ranges":[{"CidrIpv6":"::/0"}]}]' >/dev/null
  WEB6=$(v6_host "$NET6" 50)
  ENI_WEB=$(ec2 create-network-interface --subnet-id "$SUB_WEB" --private-ip-address 10.0.1.50 --ipv6-addresses "Ipv6Address=$WEB6" --groups "$SG_WEB" \
    --description web-1 --tag-specifications "$(name_tag network-interface web-1)" | jq -r .NetworkInterface.NetworkInterfaceId)
  # Real AWS default NACL in a dual-stack VPC also allows ::/0 (moto omits the IPv6 entries).
  local acl; acl=$(ec2 describe-network-acls --filters "Name=vpc-id,Values=$VPC_A" "Name=default,Values=true" | jq -r '.NetworkAcls[0].NetworkAclId')
  for dir in --ingress --egress; do
    ec2 create-network-acl-entry --network-acl-id "$acl" $dir --rule-number 101 --protocol -1 --rule-action allow --ipv6-cidr-block ::/0
  done
  RTB_WEB=$(mk_rtb "$VPC_A" web-public-rt); rtb_associate "$RTB_WEB" "$SUB_WEB"
}

igw() {
  IGW=$(ec2 create-internet-gateway | jq -r .InternetGateway.InternetGatewayId); tag "$IGW" web-prod-igw
  ec2 attach-internet-gateway --internet-gateway-id "$IGW" --vpc-id "$VPC_A"
}

scenario_ipv6_inbound_ok() {
  local n=ipv6-inbound-ok
  web6; igw
  ec2 create-route --route-table-id "$RTB_WEB" --destination-ipv6-cidr-block ::/0 --gateway-id "$IGW" >/dev/null
  snapshot $n "$VPC_A"
  write_scenario $n \
    "An IPv6 client on the internet (2001:db8:5::10) opens tcp/443 to web-1's own IPv6 address $WEB6: IPv6 is not translated, web-prod-igw lets it in, group web allows ::/0, and the reply leaves by the subnet's ::/0 -> igw route: reachable." \
    "can 2001:db8:5::10 reach [$WEB6]:443" "$(ids_json "$VPC_A")" reachable '[]' '[]' '[]' false false
}

scenario_ipv6_inbound_no_route_back() {
  local n=ipv6-inbound-no-route-back
  web6; igw
  ec2 create-route --route-table-id "$RTB_WEB" --destination-cidr-block 0.0.0.0/0 --gateway-id "$IGW" >/dev/null
  snapshot $n "$VPC_A"
  write_scenario $n \
    "Like ipv6-inbound-ok, but the subnet's route table sends only 0.0.0.0/0 to the internet gateway (the IPv6 default route was never added when the VPC went dual-stack): the SYN comes in through the IGW, the reply to 2001:db8:5::10 matches no route. Blocked on the return leg; fix: the route to the IGW." \
    "can 2001:db8:5::10 reach [$WEB6]:443" "$(ids_json "$VPC_A")" blocked \
    "[$(blocker layer=route-table resourceId="$RTB_WEB" path=return code=NO_ROUTE_TO_DESTINATION)]" '[]' '[]' true true
}

scenario_ipv6_egress_only_ok() {
  local n=ipv6-egress-only-ok
  web6
  local eigw; eigw=$(ec2 create-egress-only-internet-gateway --vpc-id "$VPC_A" | jq -r .EgressOnlyInternetGateway.EgressOnlyInternetGatewayId)
  ec2 create-route --route-table-id "$RTB_WEB" --destination-ipv6-cidr-block ::/0 --egress-only-internet-gateway-id "$eigw" >/dev/null
  snapshot $n "$VPC_A"
  write_scenario $n \
    "web-1 opens an IPv6 connection out to 2001:db8:5::10:443 through an egress-only internet gateway (::/0 -> eigw, default outbound rules): outbound IPv6 is allowed and the replies come back: reachable." \
    "can $WEB6 reach [2001:db8:5::10]:443" "$(ids_json "$VPC_A")" reachable '[]' '[]' '[]' false false
}

scenario_ipv6_inbound_egress_only() {
  local n=ipv6-inbound-egress-only
  web6
  local eigw; eigw=$(ec2 create-egress-only-internet-gateway --vpc-id "$VPC_A" | jq -r .EgressOnlyInternetGateway.EgressOnlyInternetGatewayId)
  ec2 create-route --route-table-id "$RTB_WEB" --destination-ipv6-cidr-block ::/0 --egress-only-internet-gateway-id "$eigw" >/dev/null
  snapshot $n "$VPC_A"
  # The dump drops empty files; here the empty answer is the point (no internet gateway), so it is kept.
  echo '{"InternetGateways": []}' > "$OUT_ROOT/$n/snapshot/$REGION_DIR/describe-internet-gateways.json"
  write_scenario $n \
    "web-prod has only an egress-only internet gateway (::/0 -> eigw): web-1 can open IPv6 connections out, but nothing on the internet can open one to $WEB6, whatever group web allows. Blocked at the VPC's edge; fix (two steps): create an internet gateway and attach it (the replies keep leaving by the egress-only gateway, which lets outbound traffic through)." \
    "can 2001:db8:5::10 reach [$WEB6]:443" "$(ids_json "$VPC_A")" blocked \
    "[$(blocker layer=gateway resourceId="$VPC_A" path=forward code=BAD_STATE_ATTACHMENT)]" '[]' '[]' true true
}

scenario_public_ip_to_public_ip() {
  local n=public-ip-to-public-ip
  VPC_A=$(mk_vpc 10.0.0.0/16 edge-prod)
  local sub rtb client_sg server_sg a1 a2 eni_c eni_s
  sub=$(mk_subnet "$VPC_A" 10.0.1.0/24 us-east-1a edge-public-1a)
  igw
  rtb=$(mk_rtb "$VPC_A" edge-public-rt); rtb_associate "$rtb" "$sub"
  ec2 create-route --route-table-id "$rtb" --destination-cidr-block 0.0.0.0/0 --gateway-id "$IGW" >/dev/null
  client_sg=$(mk_sg "$VPC_A" batch "batch client")
  server_sg=$(mk_sg "$VPC_A" partner-api "partner API")
  sg_allow_cidr "$server_sg" tcp 443 10.0.1.20/32 "batch client"
  eni_c=$(mk_eni "$sub" 10.0.1.20 "$client_sg" batch-1)
  eni_s=$(mk_eni "$sub" 10.0.1.30 "$server_sg" partner-api-1)
  a1=$(ec2 allocate-address --domain vpc --address 54.210.40.20 | jq -r .AllocationId)
  a2=$(ec2 allocate-address --domain vpc --address 54.210.40.30 | jq -r .AllocationId)
  ec2 associate-address --allocation-id "$a1" --network-interface-id "$eni_c" >/dev/null
  ec2 associate-address --allocation-id "$a2" --network-interface-id "$eni_s" >/dev/null
  snapshot $n "$VPC_A"
  write_scenario $n \
    "batch-1 (10.0.1.20, Elastic IP 54.210.40.20) calls partner-api-1 at its Elastic IP 54.210.40.30. The traffic leaves through the internet gateway as 54.210.40.20 and comes back in through it, so partner-api's rule for 10.0.1.20/32 never matches. Blocked at partner-api; the fix allows the source's public address 54.210.40.20/32, not its private one." \
    "why can't 10.0.1.20 reach 54.210.40.30:443" "$(ids_json "$VPC_A")" blocked \
    "[$(blocker layer=security-group direction=ingress path=forward code=ENI_SG_RULES_MISMATCH networkInterfaceId="$eni_s")]" '["WRONG_PEER"]' '[]' true true
}

run_scenarios "$@"
