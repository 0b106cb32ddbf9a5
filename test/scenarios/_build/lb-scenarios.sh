#!/usr/bin/env bash
# Load balancers as endpoints (issue 8, item 9), built with the real AWS CLI against moto_server, then
# completed by hand where moto cannot:
#
#   bash lb-scenarios.sh
#   SCENARIO_FILTER=alb-health-check-one-zone ENDPOINT=http://127.0.0.1:PORT OUT_ROOT=DIR bash lb-scenarios.sh
#
# moto creates the load balancer (describe-load-balancers, written under LoadBalancers like the other
# describe-* files) but no network interfaces for it. HAND-WRITTEN: one interface per Availability Zone,
# in the DescribeNetworkInterfaces shape AWS gives an ALB's nodes (Description "ELB app/NAME/ID",
# InterfaceType "interface", RequesterId "amazon-elb", RequesterManaged true, Attachment.InstanceOwnerId
# "amazon-elb", the load balancer's security groups), appended to describe-network-interfaces.json.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"
# shellcheck source=topology.sh
source "$HERE/topology.sh"

SCENARIOS=(alb-health-check-one-zone alb-all-zones-ok)

elbv2() { aws_cli --endpoint-url "$ENDPOINT" --output json elbv2 "$@"; }

# orders_alb: internal ALB "orders" in lb-1a (10.0.10.0/24) and lb-1b (10.0.11.0/24), group orders-alb.
orders_alb() {
  payments_vpc
  SUB_LB_A=$(mk_subnet "$VPC_A" 10.0.10.0/24 us-east-1a payments-prod-lb-1a)
  SUB_LB_B=$(mk_subnet "$VPC_A" 10.0.11.0/24 us-east-1b payments-prod-lb-1b)
  SG_ALB=$(mk_sg "$VPC_A" orders-alb "orders load balancer")
  sg_allow_cidr "$SG_ALB" tcp 443 10.0.0.0/16 "clients in the VPC"
  ALB_ARN=$(elbv2 create-load-balancer --name orders --type application --scheme internal --subnets "$SUB_LB_A" "$SUB_LB_B" --security-groups "$SG_ALB" \
    | jq -r '.LoadBalancers[0].LoadBalancerArn')
}

# alb_interfaces SNAPSHOT: the two nodes' interfaces (10.0.10.23 in 1a, 10.0.11.187 in 1b).
alb_interfaces() {
  local f="$1/$REGION_DIR/describe-network-interfaces.json" lb
  lb=$(elbv2 describe-load-balancers --load-balancer-arns "$ALB_ARN" > "$1/$REGION_DIR/describe-load-balancers.json"; jq -r '.LoadBalancers[0].LoadBalancerArn | capture(":loadbalancer/(?<p>.*)$").p' "$1/$REGION_DIR/describe-load-balancers.json")
  jq_inplace "$f" --arg lb "$lb" --arg vpc "$VPC_A" --arg sg "$SG_ALB" --arg a "$SUB_LB_A" --arg b "$SUB_LB_B" --arg acct "$ACCOUNT" '
    def node($eni; $att; $sub; $az; $ip; $mac):
      {Attachment: {AttachTime: "2026-11-02T10:14:07.000Z", AttachmentId: $att, DeleteOnTermination: false, DeviceIndex: 1, NetworkCardIndex: 0,
                    InstanceOwnerId: "amazon-elb", Status: "attached"},
       AvailabilityZone: $az, Description: "ELB \($lb)", Groups: [{GroupId: $sg, GroupName: "orders-alb"}], InterfaceType: "interface",
       Ipv6Addresses: [], MacAddress: $mac, NetworkInterfaceId: $eni, OwnerId: $acct, PrivateDnsName: "ip-\($ip | gsub("\\."; "-")).ec2.internal",
       PrivateIpAddress: $ip, PrivateIpAddresses: [{Primary: true, PrivateDnsName: "ip-\($ip | gsub("\\."; "-")).ec2.internal", PrivateIpAddress: $ip}],
       RequesterId: "amazon-elb", RequesterManaged: true, SourceDestCheck: true, Status: "in-use", SubnetId: $sub, TagSet: [], VpcId: $vpc};
    .NetworkInterfaces += [
      node("eni-0a1b2c3d4e5f60718"; "ela-attach-0f1e2d3c4b5a69788"; $a; "us-east-1a"; "10.0.10.23"; "0e:1a:2b:3c:4d:5e"),
      node("eni-0b2c3d4e5f6071829"; "ela-attach-0a9b8c7d6e5f40312"; $b; "us-east-1b"; "10.0.11.187"; "12:2b:3c:4d:5e:6f")]'
}

scenario_alb_health_check_one_zone() {
  local n=alb-health-check-one-zone
  orders_alb
  sg_allow_cidr "$SG_API" tcp 8080 10.0.10.0/24 "orders ALB health checks"
  snapshot $n "$VPC_A"
  alb_interfaces "$OUT_ROOT/$n/snapshot"
  write_scenario $n \
    "The seeds' outage: the orders ALB was extended to a second Availability Zone (payments-prod-lb-1b), but payments-api still allows tcp/8080 only from the first zone's subnet 10.0.10.0/24. The node in us-east-1a passes its health checks; the node in us-east-1b (10.0.11.187) is blocked by payments-api. Answered per zone; the fix allows the ALB's own group. HAND-WRITTEN: the ALB's two interfaces (see the script header)." \
    "why can't alb/orders reach 10.0.1.50:8080" "$(ids_json "$VPC_A")" blocked \
    "[$(blocker layer=security-group direction=ingress path=forward code=ENI_SG_RULES_MISMATCH networkInterfaceId="$ENI_API")]" '[]' '[]' true false
}

scenario_alb_all_zones_ok() {
  local n=alb-all-zones-ok
  orders_alb
  ec2 authorize-security-group-ingress --group-id "$SG_API" --ip-permissions \
    "$(jq -cn --arg g "$SG_ALB" '[{IpProtocol:"tcp", FromPort:8080, ToPort:8080, UserIdGroupPairs:[{GroupId:$g, Description:"orders ALB"}]}]')" >/dev/null
  snapshot $n "$VPC_A"
  alb_interfaces "$OUT_ROOT/$n/snapshot"
  write_scenario $n \
    "payments-api allows tcp/8080 from the orders ALB's security group, which both zones' nodes carry: reachable from every zone; and 10.0.2.100 reaches the ALB on 443 in both zones. HAND-WRITTEN: the ALB's two interfaces (see the script header)." \
    "can alb/orders reach 10.0.1.50:8080" "$(ids_json "$VPC_A")" reachable '[]' '[]' '[]' false false
}

run_scenarios "$@"
