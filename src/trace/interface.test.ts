/** Interfaces AWS manages: which ones security groups filter, who owns them, which accept only replies. */
import { describe, expect, it } from 'vitest';
import type { Eni } from '../model/types.js';
import { managedInfo } from './interface.js';

const eni = (over: Partial<Eni>): Eni => ({
  id: 'eni-0123456789abcdef0', subnetId: 'subnet-1', vpcId: 'vpc-1', status: 'in-use', groupIds: [], privateIps: [], ipv6: [], publicIps: [], file: 'f', ...over,
});

describe('managedInfo', () => {
  it('NAT gateway interfaces: no security groups, replies only, the gateway named', () => {
    const i = managedInfo(eni({ interfaceType: 'nat_gateway', requesterManaged: true, description: 'Interface for NAT Gateway nat-0a1b2c3d4e5f60718' }));
    expect(i).toMatchObject({ filteredBySg: false, repliesOnly: true, natGatewayId: 'nat-0a1b2c3d4e5f60718', owner: 'NAT gateway nat-0a1b2c3d4e5f60718' });
  });

  it('Gateway Load Balancer, its endpoints and transit gateway attachments: no security groups', () => {
    for (const t of ['gateway_load_balancer', 'gateway_load_balancer_endpoint', 'transit_gateway']) {
      expect(managedInfo(eni({ interfaceType: t, requesterManaged: true })).filteredBySg).toBe(false);
    }
  });

  it('a Network Load Balancer is filtered only when it has groups', () => {
    expect(managedInfo(eni({ interfaceType: 'network_load_balancer', description: 'ELB net/orders/1a2b3c4d5e6f7a8b' })).filteredBySg).toBe(false);
    const withGroups = managedInfo(eni({ interfaceType: 'network_load_balancer', groupIds: ['sg-1'], description: 'ELB net/orders/1a2b3c4d5e6f7a8b' }));
    expect(withGroups).toMatchObject({ filteredBySg: true, owner: 'Network Load Balancer net/orders/1a2b3c4d5e6f7a8b' });
  });

  it('ALB, interface endpoint, Lambda, RDS and EKS interfaces carry their owner\'s groups, and are named', () => {
    const cases: Array<[Partial<Eni>, string]> = [
      [{ interfaceType: 'interface', requesterId: 'amazon-elb', description: 'ELB app/orders-alb/50dc6c495c0c9188' }, 'Application Load Balancer app/orders-alb/50dc6c495c0c9188'],
      [{ interfaceType: 'vpc_endpoint', description: 'VPC Endpoint Interface vpce-0123456789abcdef0' }, 'VPC endpoint vpce-0123456789abcdef0'],
      [{ interfaceType: 'lambda', description: 'AWS Lambda VPC ENI-orders-fn-5e4f1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b' }, 'Lambda function orders-fn'],
      [{ interfaceType: 'interface', requesterId: 'amazon-rds', description: 'RDSNetworkInterface' }, 'RDS database'],
      [{ interfaceType: 'interface', description: 'Amazon EKS prod-cluster' }, 'EKS cluster prod-cluster'],
    ];
    for (const [over, owner] of cases) {
      expect(managedInfo(eni({ ...over, requesterManaged: true, groupIds: ['sg-1'] }))).toMatchObject({ filteredBySg: true, repliesOnly: false, owner });
    }
  });

  it('an ordinary interface is filtered, even with no groups', () => {
    expect(managedInfo(eni({ interfaceType: 'interface' }))).toMatchObject({ filteredBySg: true, repliesOnly: false });
  });
});
