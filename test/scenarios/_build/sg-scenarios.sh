#!/usr/bin/env bash
# Security-group scenario corpus for sgwhy: each scenario builds a small VPC in moto_server with the
# real AWS CLI, dumps its describe-* JSON to <name>/snapshot and writes <name>/scenario.json, the
# expected answer (the oracle the engine is tested against; it follows AWS semantics, not the engine).
#
#   bash sg-scenarios.sh                         # every scenario, fixtures next to this folder
#   SCENARIO_FILTER=sg-wrong-port bash sg-scenarios.sh
#   SCENARIO_FILTER=sg-wrong-port ENDPOINT=http://127.0.0.1:PORT OUT_ROOT=DIR bash sg-scenarios.sh
#
# SCENARIO_FILTER: one scenario name, or several separated by commas/spaces; empty = all.
# The topology of the last scenario built stays in moto (no reset at the end), so a fix-loop test can
# apply sgwhy's fixes with the AWS CLI, re-dump with `bash lib.sh dump ENDPOINT DIR VPC...` and re-ask.
#
# Conventions shared by all scenarios unless a scenario says otherwise:
#   VPC 10.0.0.0/16; 10.0.1.0/24 "app-private-a" holds servers, 10.0.2.0/24 "web-private-a" holds clients;
#   client 10.0.2.100, server 10.0.1.50, both EC2 instances (ENIs in-use), default NACL (allow all),
#   main route table (local route only). Every endpoint is an instance's ENI, never a detached one.
#   The default security group gets the self-referencing inbound rule real AWS creates (moto omits it);
#   no scenario attaches it to both ends, so it never allows a flow by itself.
set -euo pipefail

BUILD_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$BUILD_DIR/lib.sh"

AMI="${SGWHY_AMI:-}"  # looked up once in moto's bundled Amazon images (a caller that already did may pass SGWHY_AMI)
VPC="" SUB_APP="" SUB_WEB="" DEFAULT_SG="" MAIN_RTB="" DEFAULT_ACL="" V6_APP_NET="" V6_WEB_NET=""

# ---------------------------------------------------------------------------------------------------
# helpers (local to this script; lib.sh stays untouched)

# new_vpc NAME [ipv6]: VPC 10.0.0.0/16 with the two standard subnets. With "ipv6": an Amazon-provided
# /56 (random in moto), the /64s number 1 and 2 of it for 10.0.1.0/24 and 10.0.2.0/24, and the IPv6
# entries real AWS adds to the default NACL (moto does not). Sets VPC SUB_APP SUB_WEB DEFAULT_SG
# MAIN_RTB DEFAULT_ACL, and for ipv6 V6_APP_NET V6_WEB_NET (the two /64s).
new_vpc() {
  local name="$1" v6="${2:-}"
  if [ "$v6" = ipv6 ]; then
    VPC=$(ec2 create-vpc --cidr-block 10.0.0.0/16 --amazon-provided-ipv6-cidr-block | jq -r .Vpc.VpcId)
    local block; block=$(ec2 describe-vpcs --vpc-ids "$VPC" | jq -r '.Vpcs[0].Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock')
    V6_APP_NET=$(v6_subnet "$block" 1)
    V6_WEB_NET=$(v6_subnet "$block" 2)
    SUB_APP=$(ec2 create-subnet --vpc-id "$VPC" --cidr-block 10.0.1.0/24 --ipv6-cidr-block "$V6_APP_NET" --availability-zone us-east-1a | jq -r .Subnet.SubnetId)
    SUB_WEB=$(ec2 create-subnet --vpc-id "$VPC" --cidr-block 10.0.2.0/24 --ipv6-cidr-block "$V6_WEB_NET" --availability-zone us-east-1a | jq -r .Subnet.SubnetId)
  else
    VPC=$(ec2 create-vpc --cidr-block 10.0.0.0/16 | jq -r .Vpc.VpcId)
    SUB_APP=$(ec2 create-subnet --vpc-id "$VPC" --cidr-block 10.0.1.0/24 --availability-zone us-east-1a | jq -r .Subnet.SubnetId)
    SUB_WEB=$(ec2 create-subnet --vpc-id "$VPC" --cidr-block 10.0.2.0/24 --availability-zone us-east-1a | jq -r .Subnet.SubnetId)
  fi
  tag "$VPC" "$name"
  tag "$SUB_APP" "app-private-a"
  tag "$SUB_WEB" "web-private-a"
  DEFAULT_SG=$(ec2 describe-security-groups --filters "Name=vpc-id,Values=$VPC" "Name=group-name,Values=default" | jq -r '.SecurityGroups[0].GroupId')
  MAIN_RTB=$(ec2 describe-route-tables --filters "Name=vpc-id,Values=$VPC" | jq -r '.RouteTables[] | select(any(.Associations[]?; .Main)) | .RouteTableId')
  DEFAULT_ACL=$(ec2 describe-network-acls --filters "Name=vpc-id,Values=$VPC" | jq -r '.NetworkAcls[] | select(.IsDefault) | .NetworkAclId')
  tag "$MAIN_RTB" "$name-main"
  tag "$DEFAULT_ACL" "$name-default"
  # Real AWS: the default group allows all inbound traffic from members of itself.
  ec2 authorize-security-group-ingress --group-id "$DEFAULT_SG" \
    --ip-permissions "[{\"IpProtocol\":\"-1\",\"UserIdGroupPairs\":[{\"GroupId\":\"$DEFAULT_SG\"}]}]" >/dev/null
  if [ "$v6" = ipv6 ]; then
    # Real AWS default NACL in a dual-stack VPC: #101 allow ::/0 and the IPv6 catch-all deny (shown as 32768).
    local dir
    for dir in --ingress --egress; do
      ec2 create-network-acl-entry --network-acl-id "$DEFAULT_ACL" $dir --rule-number 101 --protocol -1 --rule-action allow --ipv6-cidr-block ::/0
      ec2 create-network-acl-entry --network-acl-id "$DEFAULT_ACL" $dir --rule-number 32768 --protocol -1 --rule-action deny --ipv6-cidr-block ::/0
    done
  fi
}

# v6_subnet BLOCK N: the N-th /64 of an IPv6 block. v6_host NET HEXSUFFIX: an address in NET (canonical form).
v6_subnet() { python3 -c 'import ipaddress,sys; print(list(ipaddress.IPv6Network(sys.argv[1]).subnets(new_prefix=64))[int(sys.argv[2])])' "$1" "$2"; }
v6_host() { python3 -c 'import ipaddress,sys; print(ipaddress.IPv6Network(sys.argv[1])[int(sys.argv[2], 16)])' "$1" "$2"; }

# sg NAME DESCRIPTION -> prints the new group id (in $VPC), tagged with its name.
sg() {
  local id; id=$(ec2 create-security-group --vpc-id "$VPC" --group-name "$1" --description "$2" | jq -r .GroupId)
  tag "$id" "$1"; echo "$id"
}

# perm PROTO FROM TO -> the protocol/port part of an IpPermission (for icmp FROM/TO are type/code).
perm() { jq -nc --arg p "$1" --argjson f "$2" --argjson t "$3" 'if $p == "-1" then {IpProtocol:$p} else {IpProtocol:$p, FromPort:$f, ToPort:$t} end'; }

# allow_in SG PROTO FROM TO CIDR [DESCRIPTION] / allow_out ... : one CIDR rule (IPv4 or IPv6).
cidr_perm() {
  local p; p=$(perm "$1" "$2" "$3")
  jq -nc --argjson p "$p" --arg c "$4" --arg d "${5:-}" '
    (if $d == "" then {} else {Description:$d} end) as $desc
    | [$p + (if ($c | contains(":")) then {Ipv6Ranges:[{CidrIpv6:$c} + $desc]} else {IpRanges:[{CidrIp:$c} + $desc]} end)]'
}
allow_in()  { ec2 authorize-security-group-ingress --group-id "$1" --ip-permissions "$(cidr_perm "${@:2}")" >/dev/null; }
allow_out() { ec2 authorize-security-group-egress  --group-id "$1" --ip-permissions "$(cidr_perm "${@:2}")" >/dev/null; }

# allow_in_sg SG PROTO FROM TO SOURCE_SG [DESCRIPTION]: a rule whose source is a security group.
allow_in_sg() {
  local p; p=$(perm "$2" "$3" "$4")
  ec2 authorize-security-group-ingress --group-id "$1" --ip-permissions "$(jq -nc --argjson p "$p" --arg g "$5" --arg d "${6:-}" \
    '[$p + {UserIdGroupPairs:[{GroupId:$g} + (if $d == "" then {} else {Description:$d} end)]}]')" >/dev/null
}

# allow_in_pl SG PROTO FROM TO PREFIX_LIST_ID [DESCRIPTION]: a rule whose source is a managed prefix list.
allow_in_pl() {
  local p; p=$(perm "$2" "$3" "$4")
  ec2 authorize-security-group-ingress --group-id "$1" --ip-permissions "$(jq -nc --argjson p "$p" --arg l "$5" --arg d "${6:-}" \
    '[$p + {PrefixListIds:[{PrefixListId:$l} + (if $d == "" then {} else {Description:$d} end)]}]')" >/dev/null
}

# revoke_default_egress SG: remove the allow-all egress rule(s) a new group starts with (hardened egress).
revoke_default_egress() {
  local perms; perms=$(ec2 describe-security-groups --group-ids "$1" | jq -c '.SecurityGroups[0].IpPermissionsEgress')
  ec2 revoke-security-group-egress --group-id "$1" --ip-permissions "$perms" >/dev/null
}

# launch VAR NAME SUBNET IP SG [SG...]: an EC2 instance whose primary ENI has exactly IP and the groups.
# Sets ${VAR}_I (instance id) and ${VAR}_ENI (primary ENI id); tags the ENI "NAME-eth0".
launch() {
  local var="$1" name="$2" subnet="$3" ip="$4"; shift 4
  local out; out=$(ec2 run-instances --image-id "$AMI" --instance-type t3.micro --count 1 \
    --subnet-id "$subnet" --private-ip-address "$ip" --security-group-ids "$@" \
    --tag-specifications "ResourceType=instance,Tags=[{Key=Name,Value=$name}]")
  local iid eni
  iid=$(jq -r '.Instances[0].InstanceId' <<<"$out")
  eni=$(jq -r '.Instances[0].NetworkInterfaces[0].NetworkInterfaceId' <<<"$out")
  tag "$eni" "$name-eth0"
  printf -v "${var}_I" '%s' "$iid"
  printf -v "${var}_ENI" '%s' "$eni"
}

# std_client: instance "web-1" at 10.0.2.100 carrying web-sg (no inbound rules, default allow-all egress).
std_client() {
  WEB_SG=$(sg web-sg "web tier")
  launch CLIENT web-1 "$SUB_WEB" 10.0.2.100 "$WEB_SG"
}

# blocker_sg DIRECTION ENI [SG]: a security-group blocker on the forward leg (SGs never block the return).
blocker_sg() {
  jq -nc --arg d "$1" --arg e "$2" --arg g "${3:-}" \
    '{layer:"security-group", direction:$d, path:"forward", code:"ENI_SG_RULES_MISMATCH", networkInterfaceId:$e}
     + (if $g == "" then {} else {resourceId:$g} end)'
}

# write_scenario NAME DESCRIPTION QUESTION VERDICT BLOCKERS_JSON NEARMISSES_JSON FIXLOOP [UNKNOWN_CODES_JSON]
# Dumps the snapshot of $VPC and writes scenario.json.
write_scenario() {
  local name="$1" dir="$OUT_ROOT/$1"
  mkdir -p "$dir"
  dump_snapshot "$dir/snapshot" "$VPC"
  jq -n --arg name "$name" --arg description "$2" --arg question "$3" --arg vpc "$VPC" \
    --arg verdict "$4" --argjson blockers "$5" --argjson nearMisses "$6" --argjson fixLoop "$7" \
    --argjson unknownCodes "${8:-[]}" \
    '{name:$name, description:$description, question:$question, vpcIds:[$vpc],
      expect:{verdict:$verdict, blockers:$blockers, nearMisses:$nearMisses, unknownCodes:$unknownCodes, fixLoop:$fixLoop}}' \
    > "$dir/scenario.json"
  echo "built $name" >&2
}

# ---------------------------------------------------------------------------------------------------
# scenarios

# 1. Root cause 1: the port in the inbound rule is not the port the app listens on.
sc_sg_wrong_port() {
  new_vpc prod-vpc
  std_client
  local app; app=$(sg app-sg "app tier")
  allow_in "$app" tcp 22 22 10.0.0.0/16 "ssh from vpc"
  allow_in "$app" tcp 8080 8080 10.0.0.0/16 "app from vpc"
  launch SERVER app-1 "$SUB_APP" 10.0.1.50 "$app"
  write_scenario sg-wrong-port \
    "Root cause 1 (seed 001): app-sg on the server opens tcp/22 and tcp/8080 from 10.0.0.0/16, the app listens on 8443; the inbound SG drops it" \
    "why can't 10.0.2.100 reach 10.0.1.50:8443" blocked \
    "[$(blocker_sg ingress "$SERVER_ENI" "$app")]" '["WRONG_PORT"]' true
}

# 2. Root cause 2: right port, CIDR scoped to the wrong subnet.
sc_sg_wrong_cidr() {
  new_vpc prod-vpc
  std_client
  local app; app=$(sg app-sg "app tier")
  allow_in "$app" tcp 443 443 10.0.1.0/24 "https from app subnet"
  launch SERVER app-1 "$SUB_APP" 10.0.1.50 "$app"
  write_scenario sg-wrong-cidr \
    "Root cause 2 (seed 001): app-sg allows tcp/443 only from 10.0.1.0/24 but the client is 10.0.2.100 (10.0.2.0/24)" \
    "why can't 10.0.2.100 reach 10.0.1.50:443" blocked \
    "[$(blocker_sg ingress "$SERVER_ENI" "$app")]" '["WRONG_PEER"]' true
}

# 3. Root cause 3: the client's hardened egress has no rule for the database.
sc_sg_missing_egress() {
  new_vpc prod-vpc
  local worker; worker=$(sg worker-sg "queue workers, hardened egress")
  revoke_default_egress "$worker"
  allow_out "$worker" tcp 443 443 10.0.3.0/24 "https to shared services"
  launch CLIENT worker-1 "$SUB_WEB" 10.0.2.100 "$worker"
  local db; db=$(sg db-sg "postgres")
  allow_in "$db" tcp 5432 5432 10.0.0.0/16 "postgres from vpc"
  launch SERVER db-1 "$SUB_APP" 10.0.1.50 "$db"
  write_scenario sg-missing-egress \
    "Root cause 3 (seed 001): worker-sg had its allow-all egress removed and only allows tcp/443 to 10.0.3.0/24, so the SYN to postgres is dropped leaving the client ENI; db-sg would accept it" \
    "why can't 10.0.2.100 reach 10.0.1.50:5432" blocked \
    "[$(blocker_sg egress "$CLIENT_ENI" "$worker")]" '[]' true
}

# 4. Root cause 4: no egress on the server and no inbound on the client is fine: SGs are stateful.
sc_sg_stateful_return() {
  new_vpc prod-vpc
  std_client
  local app; app=$(sg app-sg "app tier, no egress")
  allow_in "$app" tcp 443 443 10.0.0.0/16 "https from vpc"
  revoke_default_egress "$app"
  launch SERVER app-1 "$SUB_APP" 10.0.1.50 "$app"
  write_scenario sg-stateful-return \
    "Root cause 4 (seed 001): app-sg allows tcp/443 from 10.0.0.0/16 and has no egress rules at all; web-sg has no inbound rules. Reachable: security groups track the connection, the reply needs no rule on either side" \
    "why can't 10.0.2.100 reach 10.0.1.50:443" reachable '[]' '[]' false
}

# 5. Root cause 6: DNS over UDP, the rule opens TCP 53 only.
sc_sg_wrong_protocol() {
  new_vpc prod-vpc
  std_client
  local dns; dns=$(sg dns-sg "internal resolvers")
  allow_in "$dns" tcp 53 53 10.0.0.0/16 "dns from vpc"
  launch SERVER dns-1 "$SUB_APP" 10.0.1.53 "$dns"
  write_scenario sg-wrong-protocol \
    "Root cause 6 (seed 001): dns-sg on the resolver 10.0.1.53 allows tcp/53 from 10.0.0.0/16 but not udp/53, so ordinary DNS queries are dropped inbound" \
    "can 10.0.2.100 reach 10.0.1.53 on udp/53" blocked \
    "[$(blocker_sg ingress "$SERVER_ENI" "$dns")]" '["WRONG_PROTOCOL"]' true
}

# 5b. Ping when the group only opens TCP.
sc_sg_icmp_ping() {
  new_vpc prod-vpc
  std_client
  local app; app=$(sg app-sg "app tier")
  allow_in "$app" tcp 22 22 10.0.0.0/16 "ssh from vpc"
  allow_in "$app" tcp 443 443 10.0.0.0/16 "https from vpc"
  launch SERVER app-1 "$SUB_APP" 10.0.1.50 "$app"
  write_scenario sg-icmp-ping \
    "Root cause 6 (seed 001): a TCP rule does not allow ICMP; app-sg allows only tcp/22 and tcp/443, so the echo request is dropped inbound" \
    "can 10.0.2.100 ping 10.0.1.50" blocked \
    "[$(blocker_sg ingress "$SERVER_ENI" "$app")]" '[]' true
}

# 5c. Ping allowed by an echo-request rule; the echo reply is connection-tracked.
sc_sg_icmp_ping_allowed() {
  new_vpc prod-vpc
  std_client
  local app; app=$(sg app-sg "app tier")
  allow_in "$app" tcp 443 443 10.0.0.0/16 "https from vpc"
  allow_in "$app" icmp 8 -1 10.0.0.0/16 "ping from vpc"
  launch SERVER app-1 "$SUB_APP" 10.0.1.50 "$app"
  write_scenario sg-icmp-ping-allowed \
    "Root cause 6 (seed 001), fixed: app-sg allows icmp type 8 (echo request, any code) from 10.0.0.0/16. Reachable: the echo reply is tracked by the security group, no type-0 rule is needed (that is a NACL concern)" \
    "can 10.0.2.100 ping 10.0.1.50" reachable '[]' '[]' false
}

# 6. Root cause 7: the right group exists but is not attached; the ENI only has the VPC default group.
sc_sg_not_attached() {
  new_vpc prod-vpc
  std_client
  local app443; app443=$(sg app-443 "https for the app")
  allow_in "$app443" tcp 443 443 10.0.0.0/16 "https from vpc"
  launch SERVER app-1 "$SUB_APP" 10.0.1.50 "$DEFAULT_SG"
  # resourceId is left out on purpose: the ENI has one group (default) but the fix attaches app-443.
  write_scenario sg-not-attached \
    "Root cause 7 (seed 001): app-443 (tcp/443 from 10.0.0.0/16) exists in the VPC but the server ENI only carries the VPC default group, whose only inbound rule is the self-reference; the client is not in default" \
    "why can't 10.0.2.100 reach 10.0.1.50:443" blocked \
    "[$(blocker_sg ingress "$SERVER_ENI")]" '["GROUP_NOT_ATTACHED"]' true
}

# 7. Root cause 8: the server's main group is at the 60-inbound-rule quota.
sc_sg_rule_limit() {
  new_vpc prod-vpc
  std_client
  local app extra ranges
  app=$(sg app-sg "app tier, partner allow-list")
  ranges=$(jq -nc '[range(1;61) | {CidrIp:"10.0.3.\(.)/32", Description:"partner-host-\(if . < 10 then "0" else "" end)\(.)"}]')
  ec2 authorize-security-group-ingress --group-id "$app" \
    --ip-permissions "[{\"IpProtocol\":\"tcp\",\"FromPort\":443,\"ToPort\":443,\"IpRanges\":$ranges}]" >/dev/null
  extra=$(sg app-extra "app tier, overflow rules")
  allow_in "$extra" tcp 9100 9100 10.0.0.0/16 "node exporter from vpc"
  launch SERVER app-1 "$SUB_APP" 10.0.1.50 "$app" "$extra"
  write_scenario sg-rule-limit \
    "Root cause 8 (seed 001): app-sg already has 60 inbound rules (tcp/443 from 60 partner /32s in 10.0.3.0/24, none is 10.0.2.100), the quota, so a new rule there fails with RulesPerSecurityGroupLimitExceeded. The ENI also carries app-extra (1 inbound rule), where the fix fits: fixLoop is true only because of it" \
    "why can't 10.0.2.100 reach 10.0.1.50:443" blocked \
    "[$(blocker_sg ingress "$SERVER_ENI")]" '["RULE_LIMIT","WRONG_PEER"]' true
}

# 8. Members of the same group cannot talk without a self-referencing rule.
cluster() {
  CLUSTER_SG=$(sg cluster-sg "search cluster nodes")
  launch CLIENT search-2 "$SUB_WEB" 10.0.2.100 "$CLUSTER_SG"
  launch SERVER search-1 "$SUB_APP" 10.0.1.50 "$CLUSTER_SG"
}
sc_sg_self_reference_missing() {
  new_vpc prod-vpc
  cluster
  write_scenario sg-self-reference-missing \
    "Seed 001 FAQ / seed 000: both nodes carry only cluster-sg, which has no inbound rules; sharing a group grants nothing without a self-referencing rule" \
    "why can't 10.0.2.100 reach 10.0.1.50:9300" blocked \
    "[$(blocker_sg ingress "$SERVER_ENI" "$CLUSTER_SG")]" '[]' true
}
sc_sg_self_reference_present() {
  new_vpc prod-vpc
  cluster
  allow_in_sg "$CLUSTER_SG" -1 0 0 "$CLUSTER_SG" "cluster members"
  write_scenario sg-self-reference-present \
    "Seed 001 FAQ / seed 000: both nodes carry cluster-sg, which allows all traffic (-1) from members of cluster-sg itself" \
    "why can't 10.0.2.100 reach 10.0.1.50:9300" reachable '[]' '[]' false
}

# 9. The Phantom Block (seed 000): a secondary ENI with a stale group.
# Both ENIs are created first and handed to run-instances (as a launch template with two interfaces
# does). Not run-instances + attach-network-interface: moto then reports the instance's groups on every
# attached ENI (ENI groups = own groups + instance groups), which real AWS does not do. Side effect:
# moto lists no SecurityGroups on this instance in describe-instances; the ENIs carry the truth.
two_eni_server() {
  std_client
  APP_SG=$(sg app-sg "app tier")
  allow_in "$APP_SG" tcp 443 443 10.0.0.0/16 "https from vpc"
  STALE_SG=$(sg app-sg-v1 "app tier (old launch template)")
  allow_in "$STALE_SG" tcp 80 80 10.0.0.0/16 "http from vpc"
  local eth0 out
  eth0=$(ec2 create-network-interface --subnet-id "$SUB_APP" --private-ip-address 10.0.1.50 \
    --groups "$APP_SG" --description "Primary network interface" | jq -r .NetworkInterface.NetworkInterfaceId)
  SECONDARY_ENI=$(ec2 create-network-interface --subnet-id "$SUB_APP" --private-ip-address 10.0.1.60 \
    --groups "$STALE_SG" --description "app-1 application traffic" | jq -r .NetworkInterface.NetworkInterfaceId)
  tag "$eth0" app-1-eth0
  tag "$SECONDARY_ENI" app-1-eth1
  out=$(ec2 run-instances --image-id "$AMI" --instance-type t3.micro --count 1 \
    --network-interfaces "[{\"DeviceIndex\":0,\"NetworkInterfaceId\":\"$eth0\"},{\"DeviceIndex\":1,\"NetworkInterfaceId\":\"$SECONDARY_ENI\"}]" \
    --tag-specifications "ResourceType=instance,Tags=[{Key=Name,Value=app-1}]")
  SERVER_I=$(jq -r '.Instances[0].InstanceId' <<<"$out")
  SERVER_ENI="$eth0"
}
sc_sg_secondary_eni() {
  new_vpc prod-vpc
  two_eni_server
  write_scenario sg-secondary-eni \
    "Seed 000 (Phantom Block): app-1 has eth0 10.0.1.50 with app-sg (tcp/443 from 10.0.0.0/16) and eth1 10.0.1.60 with the stale app-sg-v1 (tcp/80 only). Traffic to 10.0.1.60 is judged by eth1's group alone, so it is dropped; app-sg is in the VPC but not on eth1" \
    "why can't 10.0.2.100 reach 10.0.1.60:443" blocked \
    "[$(blocker_sg ingress "$SECONDARY_ENI" "$STALE_SG")]" '["WRONG_PORT","GROUP_NOT_ATTACHED"]' true
}
sc_sg_secondary_eni_primary_ok() {
  new_vpc prod-vpc
  two_eni_server
  write_scenario sg-secondary-eni-primary-ok \
    "Seed 000 (Phantom Block), other address: 10.0.1.50 is eth0 of app-1, whose app-sg allows tcp/443 from 10.0.0.0/16; the stale group on eth1 does not matter" \
    "why can't 10.0.2.100 reach 10.0.1.50:443" reachable '[]' '[]' false
}

# 10. A secondary private IP belongs to the ENI that carries it.
sc_sg_secondary_private_ip() {
  new_vpc prod-vpc
  std_client
  local app; app=$(sg app-sg "app tier")
  allow_in "$app" tcp 443 443 10.0.0.0/16 "https from vpc"
  launch SERVER app-1 "$SUB_APP" 10.0.1.50 "$app"
  ec2 assign-private-ip-addresses --network-interface-id "$SERVER_ENI" --private-ip-addresses 10.0.1.51 >/dev/null
  write_scenario sg-secondary-private-ip \
    "10.0.1.51 is a secondary private IP of app-1's ENI (primary 10.0.1.50); that ENI's app-sg allows tcp/443 from 10.0.0.0/16, so it is reachable (the address must map to the ENI, not be unowned)" \
    "why can't 10.0.2.100 reach 10.0.1.51:443" reachable '[]' '[]' false
}

# 11. Rules that reference the source's security group.
sc_sg_reference_source_group() {
  new_vpc prod-vpc
  std_client
  local app; app=$(sg app-sg "app tier")
  allow_in_sg "$app" tcp 443 443 "$WEB_SG" "https from web tier"
  launch SERVER app-1 "$SUB_APP" 10.0.1.50 "$app"
  write_scenario sg-reference-source-group \
    "app-sg allows tcp/443 from the security group web-sg, which the client's ENI carries" \
    "why can't 10.0.2.100 reach 10.0.1.50:443" reachable '[]' '[]' false
}
sc_sg_reference_wrong_group() {
  new_vpc prod-vpc
  local alb app api
  alb=$(sg alb-sg "internal load balancer")
  allow_in "$alb" tcp 443 443 172.16.0.0/12 "https from corporate vpn"
  app=$(sg app-sg "app tier")
  launch CLIENT app-1 "$SUB_WEB" 10.0.2.100 "$app"
  api=$(sg api-sg "internal api")
  allow_in_sg "$api" tcp 443 443 "$alb" "https from the load balancer"
  launch SERVER api-1 "$SUB_APP" 10.0.1.50 "$api"
  write_scenario sg-reference-wrong-group \
    "api-sg allows tcp/443 only from members of alb-sg (an internal load balancer reached from the corporate VPN); the client app-1 carries app-sg, not alb-sg, so the inbound SG drops it" \
    "why can't 10.0.2.100 reach 10.0.1.50:443" blocked \
    "[$(blocker_sg ingress "$SERVER_ENI" "$api")]" '["WRONG_PEER"]' true
}

# 12. Customer-managed prefix lists as the rule source.
prefix_list_server() {
  std_client
  PL=$(ec2 create-managed-prefix-list --prefix-list-name corp-clients --address-family IPv4 --max-entries 10 \
    --entries "$1" --tag-specifications 'ResourceType=prefix-list,Tags=[{Key=Name,Value=corp-clients}]' \
    | jq -r .PrefixList.PrefixListId)
  APP_SG=$(sg app-sg "app tier")
  allow_in_pl "$APP_SG" tcp 443 443 "$PL" "https from corp clients"
  launch SERVER app-1 "$SUB_APP" 10.0.1.50 "$APP_SG"
}
sc_sg_prefix_list() {
  new_vpc prod-vpc
  prefix_list_server "Cidr=10.0.2.0/24,Description=web-private-a"
  write_scenario sg-prefix-list \
    "app-sg allows tcp/443 from the customer-managed prefix list corp-clients, which contains 10.0.2.0/24 (the client's subnet)" \
    "why can't 10.0.2.100 reach 10.0.1.50:443" reachable '[]' '[]' false
}
sc_sg_prefix_list_miss() {
  new_vpc prod-vpc
  prefix_list_server "Cidr=10.0.3.0/24,Description=batch-private-a"
  write_scenario sg-prefix-list-miss \
    "app-sg allows tcp/443 from the prefix list corp-clients, which only contains 10.0.3.0/24; the client 10.0.2.100 is not in it" \
    "why can't 10.0.2.100 reach 10.0.1.50:443" blocked \
    "[$(blocker_sg ingress "$SERVER_ENI" "$APP_SG")]" '["WRONG_PEER"]' true
}

# 13. The question names instances, not addresses.
sc_sg_instance_ids() {
  new_vpc prod-vpc
  std_client
  local app; app=$(sg app-sg "app tier")
  allow_in "$app" tcp 22 22 10.0.0.0/16 "ssh from vpc"
  launch SERVER app-1 "$SUB_APP" 10.0.1.50 "$app"
  write_scenario sg-instance-ids \
    "The question uses instance ids: web-1 (10.0.2.100) to app-1 (10.0.1.50); app-sg only opens tcp/22, so tcp/443 is dropped inbound" \
    "why can't $CLIENT_I reach $SERVER_I on port 443" blocked \
    "[$(blocker_sg ingress "$SERVER_ENI" "$app")]" '["WRONG_PORT"]' true
}

# 14. IPv6 flow, IPv4-only rule.
sc_sg_ipv6() {
  new_vpc prod-vpc ipv6
  std_client
  local app v6_client v6_server
  app=$(sg app-sg "app tier")
  allow_in "$app" tcp 443 443 10.0.0.0/16 "https from vpc (ipv4 only)"
  launch SERVER app-1 "$SUB_APP" 10.0.1.50 "$app"
  v6_client=$(v6_host "$V6_WEB_NET" 100)
  v6_server=$(v6_host "$V6_APP_NET" 50)
  ec2 assign-ipv6-addresses --network-interface-id "$CLIENT_ENI" --ipv6-addresses "$v6_client" >/dev/null
  ec2 assign-ipv6-addresses --network-interface-id "$SERVER_ENI" --ipv6-addresses "$v6_server" >/dev/null
  # web-sg egress must allow ::/0 (moto adds it in a dual-stack VPC; make sure, so only the ingress side blocks).
  if ! ec2 describe-security-groups --group-ids "$WEB_SG" | jq -e '.SecurityGroups[0].IpPermissionsEgress[] | select(.IpProtocol == "-1") | .Ipv6Ranges[] | select(.CidrIpv6 == "::/0")' >/dev/null; then
    allow_out "$WEB_SG" -1 0 0 ::/0
  fi
  write_scenario sg-ipv6 \
    "Dual-stack VPC: web-1 ($v6_client) talks to app-1 ($v6_server) over IPv6; app-sg allows tcp/443 only from the IPv4 CIDR 10.0.0.0/16, which cannot match an IPv6 source. The default NACL carries the ::/0 entries real AWS adds (101 allow, 32768 deny), web-sg egress allows ::/0" \
    "why can't $v6_client reach $v6_server on port 443" blocked \
    "[$(blocker_sg ingress "$SERVER_ENI" "$app")]" '["WRONG_PEER"]' true
}

# 15. Several groups on one ENI: the union of their rules.
sc_sg_multiple_groups_union() {
  new_vpc prod-vpc
  std_client
  local ssh app
  ssh=$(sg ssh-admin "admin ssh")
  allow_in "$ssh" tcp 22 22 10.0.0.0/16 "ssh from vpc"
  app=$(sg app-sg "app tier")
  allow_in "$app" tcp 443 443 10.0.0.0/16 "https from vpc"
  launch SERVER app-1 "$SUB_APP" 10.0.1.50 "$ssh" "$app"
  write_scenario sg-multiple-groups-union \
    "The server ENI carries ssh-admin (tcp/22 only) and app-sg (tcp/443 from 10.0.0.0/16); groups are a union, so tcp/443 is allowed" \
    "why can't 10.0.2.100 reach 10.0.1.50:443" reachable '[]' '[]' false
}

# 16. Both ends block: hardened client egress and a server group without 443.
sc_sg_both_sides() {
  new_vpc prod-vpc
  local batch app
  batch=$(sg batch-sg "batch jobs, hardened egress")
  revoke_default_egress "$batch"
  allow_out "$batch" tcp 443 443 10.0.3.0/24 "https to shared services"
  launch CLIENT batch-1 "$SUB_WEB" 10.0.2.100 "$batch"
  app=$(sg app-sg "app tier")
  allow_in "$app" tcp 8443 8443 10.0.0.0/16 "admin api from vpc"
  launch SERVER app-1 "$SUB_APP" 10.0.1.50 "$app"
  write_scenario sg-both-sides \
    "Two blockers: batch-sg (client) only allows egress tcp/443 to 10.0.3.0/24, and app-sg (server) only allows tcp/8443 inbound. Both must be fixed; packet order: source egress, then destination ingress" \
    "why can't 10.0.2.100 reach 10.0.1.50:443" blocked \
    "[$(blocker_sg egress "$CLIENT_ENI" "$batch"), $(blocker_sg ingress "$SERVER_ENI" "$app")]" '["WRONG_PEER","WRONG_PORT"]' true
}

# ---------------------------------------------------------------------------------------------------

SCENARIOS=(
  sg-wrong-port sg-wrong-cidr sg-missing-egress sg-stateful-return
  sg-wrong-protocol sg-icmp-ping sg-icmp-ping-allowed
  sg-not-attached sg-rule-limit
  sg-self-reference-missing sg-self-reference-present
  sg-secondary-eni sg-secondary-eni-primary-ok sg-secondary-private-ip
  sg-reference-source-group sg-reference-wrong-group
  sg-prefix-list sg-prefix-list-miss
  sg-instance-ids sg-ipv6 sg-multiple-groups-union sg-both-sides
)

# build_sc NAME...: builds the sc_ scenarios named, or only those in SCENARIO_FILTER (comma-separated).
build_sc() {
  local known=("$@") wanted=() s
  if [ -n "${SCENARIO_FILTER:-}" ]; then
    read -r -a wanted <<<"${SCENARIO_FILTER//,/ }"
    for s in "${wanted[@]}"; do
      [[ " ${known[*]} " == *" $s "* ]] || { echo "unknown scenario: $s (known: ${known[*]})" >&2; exit 2; }
    done
  else
    wanted=("${known[@]}")
  fi
  moto_start
  for s in "${wanted[@]}"; do
    moto_reset
    if [ -z "$AMI" ]; then
      AMI=$(ec2 describe-images --owners amazon --filters "Name=name,Values=al2023-ami-2023*-kernel-6.1-x86_64" \
        | jq -r '[.Images[].ImageId] | sort | .[0]')
    fi
    "sc_${s//-/_}"
  done
}

# Run only when executed; other build scripts source this file for its helpers.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then build_sc "${SCENARIOS[@]}"; fi
