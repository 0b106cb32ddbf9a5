#!/usr/bin/env bash
# Rebuilds examples/incident: a small payments VPC where checkout workers cannot reach the
# payments API on 443. Uses the real AWS CLI against moto_server (see test/scenarios/_build/lib.sh).
#   bash examples/build-incident.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../test/scenarios/_build/lib.sh"
moto_start
moto_reset

VPC=$(ec2 create-vpc --cidr-block 10.0.0.0/16 | jq -r .Vpc.VpcId); tag "$VPC" payments-prod
API=$(ec2 create-subnet --vpc-id "$VPC" --cidr-block 10.0.1.0/24 --availability-zone us-east-1a | jq -r .Subnet.SubnetId); tag "$API" payments-api-a
APP=$(ec2 create-subnet --vpc-id "$VPC" --cidr-block 10.0.2.0/24 --availability-zone us-east-1a | jq -r .Subnet.SubnetId); tag "$APP" checkout-app-a

CHECKOUT=$(ec2 create-security-group --vpc-id "$VPC" --group-name checkout-sg --description "checkout workers" | jq -r .GroupId); tag "$CHECKOUT" checkout-sg
PAYAPI=$(ec2 create-security-group --vpc-id "$VPC" --group-name payments-api-sg --description "payments API instances" | jq -r .GroupId); tag "$PAYAPI" payments-api-sg
NEW443=$(ec2 create-security-group --vpc-id "$VPC" --group-name payments-api-443 --description "payments API on 443 (created for the TLS move, never attached)" | jq -r .GroupId); tag "$NEW443" payments-api-443

# The API moved from 8443 to 443; the group still opens 8443 from checkout.
ec2 authorize-security-group-ingress --group-id "$PAYAPI" --ip-permissions \
  "[{\"IpProtocol\":\"tcp\",\"FromPort\":8443,\"ToPort\":8443,\"UserIdGroupPairs\":[{\"GroupId\":\"$CHECKOUT\",\"Description\":\"checkout to payments API\"}]},{\"IpProtocol\":\"tcp\",\"FromPort\":22,\"ToPort\":22,\"IpRanges\":[{\"CidrIp\":\"10.0.0.0/16\",\"Description\":\"ssh from VPC\"}]}]" >/dev/null
ec2 authorize-security-group-ingress --group-id "$NEW443" --ip-permissions \
  "[{\"IpProtocol\":\"tcp\",\"FromPort\":443,\"ToPort\":443,\"UserIdGroupPairs\":[{\"GroupId\":\"$CHECKOUT\",\"Description\":\"checkout to payments API TLS\"}]}]" >/dev/null

# A hardened NACL on the API subnet: 443 in, but replies only to 32768-65535 (Linux clients).
ACL=$(ec2 create-network-acl --vpc-id "$VPC" | jq -r .NetworkAcl.NetworkAclId); tag "$ACL" payments-api-nacl
ec2 create-network-acl-entry --network-acl-id "$ACL" --ingress --rule-number 100 --protocol tcp --port-range From=443,To=443 --cidr-block 10.0.0.0/16 --rule-action allow
ec2 create-network-acl-entry --network-acl-id "$ACL" --ingress --rule-number 110 --protocol tcp --port-range From=8443,To=8443 --cidr-block 10.0.0.0/16 --rule-action allow
ec2 create-network-acl-entry --network-acl-id "$ACL" --egress --rule-number 100 --protocol tcp --port-range From=32768,To=65535 --cidr-block 10.0.0.0/16 --rule-action allow
ASSOC=$(ec2 describe-network-acls --filters "Name=association.subnet-id,Values=$API" | jq -r --arg s "$API" '.NetworkAcls[].Associations[] | select(.SubnetId==$s) | .NetworkAclAssociationId')
ec2 replace-network-acl-association --association-id "$ASSOC" --network-acl-id "$ACL" >/dev/null

AMI=$(ec2 describe-images --owners amazon | jq -r '.Images[0].ImageId')
W=$(ec2 run-instances --image-id "$AMI" --instance-type t3.small --subnet-id "$APP" --private-ip-address 10.0.2.100 --security-group-ids "$CHECKOUT" | jq -r '.Instances[0].InstanceId'); tag "$W" checkout-worker-1
P=$(ec2 run-instances --image-id "$AMI" --instance-type t3.small --subnet-id "$API" --private-ip-address 10.0.1.50 --security-group-ids "$PAYAPI" | jq -r '.Instances[0].InstanceId'); tag "$P" payments-api-1

dump_snapshot "$here/incident" "$VPC"
echo "wrote examples/incident"
