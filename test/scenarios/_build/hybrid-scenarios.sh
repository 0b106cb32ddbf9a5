#!/usr/bin/env bash
# Transit gateway propagation, VPN and on-premises scenarios (issue 8, items 3 and 4), built with the
# real AWS CLI against moto_server where moto can, then completed by hand from AWS's documented
# response shapes where it cannot:
#
#   bash hybrid-scenarios.sh                                      # all, next to this folder
#   SCENARIO_FILTER=tgw-propagation-missing ENDPOINT=http://127.0.0.1:PORT OUT_ROOT=DIR bash hybrid-scenarios.sh
#
# What moto does not do, and the post-edit that stands in for it (each scenario's description says which apply):
#  - search-transit-gateway-routes lists no propagated routes (the Batfish layout's TransitGatewayStaticRoutes
#    likewise hold static routes only: sgwhy derives the propagated ones from TransitGatewayPropagations);
#  - a static TGW route loses its TransitGatewayAttachments: restored (set_tgw_route_attachment);
#  - VPN connections have no Options, Routes or VgwTelemetry, and create-vpn-connection-route and
#    enable-vgw-route-propagation fail: written from the DescribeVpnConnections shape (Options.StaticRoutesOnly,
#    Routes[].{DestinationCidrBlock,Source,State}, VgwTelemetry[].{OutsideIpAddress,Status,StatusMessage,
#    AcceptedRouteCount,LastStatusChange}) and the DescribeRouteTables shape (PropagatingVgws[].GatewayId);
#  - describe-transit-gateway-vpc-attachments also lists VPN attachments (VpcId null): removed, as AWS lists VPC
#    attachments only (drop_non_vpc_attachments).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"
# shellcheck source=topology.sh
source "$HERE/topology.sh"

SCENARIOS=(
  tgw-propagation-ok
  tgw-propagation-missing
  tgw-vpn-bgp-unknown
  tgw-vpn-static-ok
  tgw-vpn-return-asymmetric
  vgw-vpn-static-ok
  vgw-vpn-tunnels-down
  onprem-to-vpc-no-route-back
)

Q_B="why can't 10.0.2.100 reach 10.1.1.50:443"
Q_ONPREM="why can't 10.0.2.100 reach 192.168.10.5:443"

# ledger-prod 10.1.0.0/16 with ledger-api-1 10.1.1.50 (tcp/443 from 10.0.0.0/8).
ledger_vpc() {
  VPC_B=$(mk_vpc 10.1.0.0/16 ledger-prod)
  SUB_LEDGER=$(mk_subnet "$VPC_B" 10.1.1.0/24 us-east-1a ledger-prod-api-1a)
  SG_LEDGER=$(mk_sg "$VPC_B" ledger-api "ledger API servers")
  sg_allow_cidr "$SG_LEDGER" tcp 443 10.0.0.0/8 "internal clients"
  ENI_LEDGER=$(mk_eni "$SUB_LEDGER" 10.1.1.50 "$SG_LEDGER" ledger-api-1)
}

# core-tgw with its default route table (association on, propagation off); payments-prod attached.
core_tgw() {
  TGW=$(ec2 create-transit-gateway --description "core network hub" --options DefaultRouteTableAssociation=enable,DefaultRouteTablePropagation=disable \
    | jq -r .TransitGateway.TransitGatewayId)
  tag "$TGW" core-tgw
  TGW_RTB=$(ec2 describe-transit-gateways --transit-gateway-ids "$TGW" | jq -r '.TransitGateways[0].Options.AssociationDefaultRouteTableId')
  tag "$TGW_RTB" core-tgw-default-rt
  ATT_A=$(ec2 create-transit-gateway-vpc-attachment --transit-gateway-id "$TGW" --vpc-id "$VPC_A" --subnet-ids "$SUB_API" \
    | jq -r .TransitGatewayVpcAttachment.TransitGatewayAttachmentId)
  tag "$ATT_A" core-tgw-payments-prod
  RTB_WORKERS=$(mk_rtb "$VPC_A" payments-prod-workers-rt); rtb_associate "$RTB_WORKERS" "$SUB_WORKERS"
}

propagate() { ec2 enable-transit-gateway-route-table-propagation --transit-gateway-route-table-id "$1" --transit-gateway-attachment-id "$2" >/dev/null; }

tgw_pair() {
  payments_vpc
  ledger_vpc
  core_tgw
  ATT_B=$(ec2 create-transit-gateway-vpc-attachment --transit-gateway-id "$TGW" --vpc-id "$VPC_B" --subnet-ids "$SUB_LEDGER" \
    | jq -r .TransitGatewayVpcAttachment.TransitGatewayAttachmentId)
  tag "$ATT_B" core-tgw-ledger-prod
  RTB_LEDGER=$(mk_rtb "$VPC_B" ledger-prod-api-rt); rtb_associate "$RTB_LEDGER" "$SUB_LEDGER"
  ec2 create-route --route-table-id "$RTB_WORKERS" --destination-cidr-block 10.1.0.0/16 --transit-gateway-id "$TGW" >/dev/null
  ec2 create-route --route-table-id "$RTB_LEDGER" --destination-cidr-block 10.0.0.0/16 --transit-gateway-id "$TGW" >/dev/null
}

# An on-premises office: customer gateway 203.0.113.12 (BGP ASN 65010).
customer_gateway() {
  CGW=$(ec2 create-customer-gateway --type ipsec.1 --public-ip 203.0.113.12 --bgp-asn 65010 | jq -r .CustomerGateway.CustomerGatewayId)
  tag "$CGW" office-dc1
}

# vpn_static SNAPSHOT VPN_ID "UP|DOWN": the VPN connection as AWS shows one with static routing to 192.168.0.0/16.
vpn_static() {
  local status="$3" msg
  msg=$([ "$status" = UP ] && echo "" || echo "IPSEC IS DOWN")
  jq_inplace "$1/$REGION_DIR/describe-vpn-connections.json" --arg id "$2" --arg st "$status" --arg msg "$msg" \
    '(.VpnConnections[] | select(.VpnConnectionId == $id)) |= (. + {
       Options: {EnableAcceleration: false, StaticRoutesOnly: true, LocalIpv4NetworkCidr: "0.0.0.0/0", RemoteIpv4NetworkCidr: "0.0.0.0/0", TunnelInsideIpVersion: "ipv4"},
       Routes: [{DestinationCidrBlock: "192.168.0.0/16", Source: "Static", State: "available"}],
       VgwTelemetry: [
         {AcceptedRouteCount: 0, LastStatusChange: "2026-11-30T08:12:44.000Z", OutsideIpAddress: "34.201.10.11", Status: $st, StatusMessage: $msg},
         {AcceptedRouteCount: 0, LastStatusChange: "2026-11-30T08:12:51.000Z", OutsideIpAddress: "52.4.77.130", Status: $st, StatusMessage: $msg}]})'
}

# vpn_bgp SNAPSHOT VPN_ID: dynamic (BGP) routing, both tunnels up, routes learned from the customer gateway.
vpn_bgp() {
  jq_inplace "$1/$REGION_DIR/describe-vpn-connections.json" --arg id "$2" \
    '(.VpnConnections[] | select(.VpnConnectionId == $id)) |= (. + {
       Options: {EnableAcceleration: false, StaticRoutesOnly: false, LocalIpv4NetworkCidr: "0.0.0.0/0", RemoteIpv4NetworkCidr: "0.0.0.0/0", TunnelInsideIpVersion: "ipv4"},
       Routes: [],
       VgwTelemetry: [
         {AcceptedRouteCount: 3, LastStatusChange: "2026-11-30T08:12:44.000Z", OutsideIpAddress: "34.201.10.11", Status: "UP", StatusMessage: "3 BGP ROUTES"},
         {AcceptedRouteCount: 3, LastStatusChange: "2026-11-30T08:12:51.000Z", OutsideIpAddress: "52.4.77.130", Status: "UP", StatusMessage: "3 BGP ROUTES"}]})'
}

# propagating_vgw SNAPSHOT RTB VGW: the route table receives the VGW's routes (PropagatingVgws).
propagating_vgw() {
  jq_inplace "$1/$REGION_DIR/describe-route-tables.json" --arg rtb "$2" --arg vgw "$3" \
    '(.RouteTables[] | select(.RouteTableId == $rtb)) |= (. + {PropagatingVgws: [{GatewayId: $vgw}]})'
}

# drop_non_vpc_attachments SNAPSHOT: AWS lists only VPC attachments in describe-transit-gateway-vpc-attachments.
drop_non_vpc_attachments() {
  jq_inplace "$1/$REGION_DIR/describe-transit-gateway-vpc-attachments.json" '.TransitGatewayVpcAttachments |= map(select(.VpcId != null))'
}

# set_tgw_route_attachment SNAPSHOT TGW_RTB CIDR ATTACHMENT RESOURCE_ID RESOURCE_TYPE: restore what moto drops.
set_tgw_route_attachment() {
  jq_inplace "$1/$REGION_DIR/search-transit-gateway-routes.json" --arg rt "$2" --arg cidr "$3" --arg att "$4" --arg res "$5" --arg ty "$6" \
    '(.TransitGatewayStaticRoutes[] | select(.TransitGatewayRouteTableId == $rt) | .Routes[]
      | select(.DestinationCidrBlock == $cidr) | .TransitGatewayAttachments) = [{ResourceId: $res, TransitGatewayAttachmentId: $att, ResourceType: $ty}]'
}

scenario_tgw_propagation_ok() {
  local n=tgw-propagation-ok
  tgw_pair
  propagate "$TGW_RTB" "$ATT_A"
  propagate "$TGW_RTB" "$ATT_B"
  snapshot $n "$VPC_A" "$VPC_B"
  write_scenario $n \
    "payments-prod and ledger-prod are attached to core-tgw, both associated with its default route table, and both attachments propagate into it; the table has no static route. search-transit-gateway-routes as moto returns it (and the Batfish layout's TransitGatewayStaticRoutes) lists static routes only, so the routes 10.0.0.0/16 and 10.1.0.0/16 come from TransitGatewayPropagations: reachable." \
    "$Q_B" "$(ids_json "$VPC_A" "$VPC_B")" reachable '[]' '[]' '[]' false false
}

scenario_tgw_propagation_missing() {
  local n=tgw-propagation-missing
  tgw_pair
  propagate "$TGW_RTB" "$ATT_A"
  snapshot $n "$VPC_A" "$VPC_B"
  write_scenario $n \
    "Like tgw-propagation-ok, but the ledger-prod attachment was never set to propagate into the default route table: the table carries 10.0.0.0/16 (propagated from payments-prod) and nothing for 10.1.1.50, so the TGW drops the SYN. The fix follows how the table is run: enable the propagation of the ledger attachment (a static route is the alternative)." \
    "$Q_B" "$(ids_json "$VPC_A" "$VPC_B")" blocked \
    "[$(blocker resourceId="$TGW_RTB" path=forward code=TGW_RTB_CANNOT_ROUTE)]" '[]' '[]' true true
}

tgw_vpn() {
  payments_vpc
  core_tgw
  customer_gateway
  VPN=$(ec2 create-vpn-connection --type ipsec.1 --customer-gateway-id "$CGW" --transit-gateway-id "$TGW" | jq -r .VpnConnection.VpnConnectionId)
  tag "$VPN" office-dc1-vpn
  ATT_VPN=$(ec2 describe-transit-gateway-attachments --filters "Name=resource-id,Values=$VPN" | jq -r '.TransitGatewayAttachments[0].TransitGatewayAttachmentId')
  ec2 create-route --route-table-id "$RTB_WORKERS" --destination-cidr-block 192.168.0.0/16 --transit-gateway-id "$TGW" >/dev/null
  propagate "$TGW_RTB" "$ATT_A"
}

scenario_tgw_vpn_bgp_unknown() {
  local n=tgw-vpn-bgp-unknown
  tgw_vpn
  propagate "$TGW_RTB" "$ATT_VPN"
  snapshot $n "$VPC_A"
  drop_non_vpc_attachments "$OUT_ROOT/$n/snapshot"
  vpn_bgp "$OUT_ROOT/$n/snapshot" "$VPN"
  write_scenario $n \
    "The workers route 192.168.0.0/16 to core-tgw; its default route table has no static route for the office and learns the office's prefixes over BGP from the VPN attachment (office-dc1-vpn propagates into it). Those routes are in no file: unknown, naming the VPN attachment. HAND-WRITTEN: the VPN connection's Options (StaticRoutesOnly false), Routes and VgwTelemetry (both tunnels UP, 3 BGP routes), from the DescribeVpnConnections shape." \
    "$Q_ONPREM" "$(ids_json "$VPC_A")" unknown '[]' '[]' '["OUTSIDE_DATA"]' false false
}

scenario_tgw_vpn_static_ok() {
  local n=tgw-vpn-static-ok
  tgw_vpn
  ec2 create-transit-gateway-route --transit-gateway-route-table-id "$TGW_RTB" --destination-cidr-block 192.168.0.0/16 --transit-gateway-attachment-id "$ATT_VPN" >/dev/null
  snapshot $n "$VPC_A"
  drop_non_vpc_attachments "$OUT_ROOT/$n/snapshot"
  set_tgw_route_attachment "$OUT_ROOT/$n/snapshot" "$TGW_RTB" 192.168.0.0/16 "$ATT_VPN" "$VPN" vpn
  vpn_static "$OUT_ROOT/$n/snapshot" "$VPN" UP
  write_scenario $n \
    "Static VPN to the office through core-tgw: the workers route 192.168.0.0/16 to the TGW, its default route table sends it to the VPN attachment (static route), both tunnels are up; the VPN attachment is associated with the same table, where payments-prod propagates 10.0.0.0/16, so the reply comes back: reachable (the office side is outside the data). POST-EDIT: the static TGW route's attachment (moto drops it). HAND-WRITTEN: the VPN connection's Options (StaticRoutesOnly), Routes and VgwTelemetry (UP), from the DescribeVpnConnections shape." \
    "$Q_ONPREM" "$(ids_json "$VPC_A")" reachable '[]' '[]' '[]' false false
}

scenario_tgw_vpn_return_asymmetric() {
  local n=tgw-vpn-return-asymmetric
  tgw_vpn
  ec2 create-transit-gateway-route --transit-gateway-route-table-id "$TGW_RTB" --destination-cidr-block 192.168.0.0/16 --transit-gateway-attachment-id "$ATT_VPN" >/dev/null
  local rt_onprem
  rt_onprem=$(ec2 create-transit-gateway-route-table --transit-gateway-id "$TGW" | jq -r .TransitGatewayRouteTable.TransitGatewayRouteTableId)
  tag "$rt_onprem" core-tgw-onprem-rt
  snapshot $n "$VPC_A"
  drop_non_vpc_attachments "$OUT_ROOT/$n/snapshot"
  set_tgw_route_attachment "$OUT_ROOT/$n/snapshot" "$TGW_RTB" 192.168.0.0/16 "$ATT_VPN" "$VPN" vpn
  vpn_static "$OUT_ROOT/$n/snapshot" "$VPN" UP
  # The VPN attachment is associated with the (empty) on-premises route table, as a segmented TGW does.
  jq_inplace "$OUT_ROOT/$n/snapshot/$REGION_DIR/describe-transit-gateway-attachments.json" --arg att "$ATT_VPN" --arg rt "$rt_onprem" \
    '(.TransitGatewayAttachments[] | select(.TransitGatewayAttachmentId == $att) | .Association) = {TransitGatewayRouteTableId: $rt, State: "associated"}'
  write_scenario $n \
    "The SYN reaches the office over the VPN (core-tgw default route table: 192.168.0.0/16 -> VPN attachment, tunnels up), but the VPN attachment is associated with core-tgw-onprem-rt, which has no route to 10.0.0.0/16: the reply is dropped at the transit gateway, so the connection never completes. Blocked on the return leg at core-tgw-onprem-rt; fix: the route back. POST-EDIT: the static TGW route's attachment; the VPN attachment's Association (moto keeps every attachment on the default table). HAND-WRITTEN: the VPN connection's Options, Routes and VgwTelemetry." \
    "$Q_ONPREM" "$(ids_json "$VPC_A")" blocked \
    "[$(blocker resourceId="$rt_onprem" path=return code=TGW_RTB_CANNOT_ROUTE)]" '[]' '[]' true false
}

vgw_vpn() {
  payments_vpc
  customer_gateway
  VGW=$(ec2 create-vpn-gateway --type ipsec.1 | jq -r .VpnGateway.VpnGatewayId)
  tag "$VGW" payments-prod-vgw
  ec2 attach-vpn-gateway --vpn-gateway-id "$VGW" --vpc-id "$VPC_A" >/dev/null
  VPN=$(ec2 create-vpn-connection --type ipsec.1 --customer-gateway-id "$CGW" --vpn-gateway-id "$VGW" | jq -r .VpnConnection.VpnConnectionId)
  tag "$VPN" office-dc1-vpn
  RTB_WORKERS=$(mk_rtb "$VPC_A" payments-prod-workers-rt); rtb_associate "$RTB_WORKERS" "$SUB_WORKERS"
  RTB_API=$(mk_rtb "$VPC_A" payments-prod-api-rt); rtb_associate "$RTB_API" "$SUB_API"
}

scenario_vgw_vpn_static_ok() {
  local n=vgw-vpn-static-ok
  vgw_vpn
  snapshot $n "$VPC_A"
  vpn_static "$OUT_ROOT/$n/snapshot" "$VPN" UP
  propagating_vgw "$OUT_ROOT/$n/snapshot" "$RTB_WORKERS" "$VGW"
  write_scenario $n \
    "payments-prod-vgw is attached to payments-prod with a static-routing VPN to the office (192.168.0.0/16, both tunnels up); the workers' route table has route propagation from the VGW on, so it carries 192.168.0.0/16 -> vgw (derived from the VPN's static routes, as AWS shows it): reachable as far as AWS goes. HAND-WRITTEN: the VPN connection's Options, Routes and VgwTelemetry, and the route table's PropagatingVgws (moto's enable-vgw-route-propagation fails)." \
    "$Q_ONPREM" "$(ids_json "$VPC_A")" reachable '[]' '[]' '[]' false false
}

scenario_vgw_vpn_tunnels_down() {
  local n=vgw-vpn-tunnels-down
  vgw_vpn
  snapshot $n "$VPC_A"
  vpn_static "$OUT_ROOT/$n/snapshot" "$VPN" DOWN
  propagating_vgw "$OUT_ROOT/$n/snapshot" "$RTB_WORKERS" "$VGW"
  write_scenario $n \
    "Like vgw-vpn-static-ok, but both tunnels of office-dc1-vpn are DOWN (IPSEC IS DOWN): the VPN carries nothing. Blocked at the VPN connection; no AWS change fixes it (the customer gateway must bring a tunnel up). HAND-WRITTEN: as vgw-vpn-static-ok, with VgwTelemetry Status DOWN." \
    "$Q_ONPREM" "$(ids_json "$VPC_A")" blocked \
    "[$(blocker layer=gateway resourceId="$VPN" path=forward code=BAD_STATE)]" '[]' '[]' false false
}

scenario_onprem_to_vpc_no_route_back() {
  local n=onprem-to-vpc-no-route-back
  vgw_vpn
  sg_allow_cidr "$SG_API" tcp 443 192.168.0.0/16 "office"
  snapshot $n "$VPC_A"
  vpn_static "$OUT_ROOT/$n/snapshot" "$VPN" UP
  write_scenario $n \
    "An office host (192.168.10.5) opens tcp/443 to payments-api-1 over the static VPN (tunnels up); payments-api allows it, but the API subnet's route table has neither a route to 192.168.0.0/16 nor route propagation from payments-prod-vgw, so the reply has no way back. Blocked on the return leg at the API route table; fix: enable VGW route propagation there (a static route to the VGW is the alternative). HAND-WRITTEN: the VPN connection's Options, Routes and VgwTelemetry." \
    "why can't 192.168.10.5 reach 10.0.1.50:443" "$(ids_json "$VPC_A")" blocked \
    "[$(blocker layer=route-table resourceId="$RTB_API" path=return code=NO_ROUTE_TO_DESTINATION)]" '[]' '[]' true false
}

run_scenarios "$@"
