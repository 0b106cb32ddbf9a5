/**
 * Host-side checks for the addresses AWS serves itself, once nothing in the data stops the
 * instance from using them: what actually breaks them is on the host (IMDSv2 token and hop limit
 * for containers, the resolver configuration and Route 53 Resolver rules, the NTP client).
 */
import type { HostCheck } from '../answer/types.js';
import { shellCommand } from '../fix/shell.js';
import type { Model } from '../model/types.js';
import type { Flow } from '../trace/flow.js';
import type { Endpoint } from '../trace/types.js';

export function awsServiceChecks(m: Model, src: Endpoint, dst: Extract<Endpoint, { kind: 'aws-service' }>, flow: Flow): HostCheck[] {
  const eni = src.kind === 'interface' ? src.eni : undefined;
  const inst = eni?.instanceId ? m.instances.get(eni.instanceId) : undefined;
  const a = dst.addr.text;
  const host = dst.addr.family === 6 ? `[${a}]` : a;
  const checks: HostCheck[] = [];
  switch (dst.service.id) {
    case 'metadata': {
      const md = inst?.metadata;
      checks.push({ where: 'source', what: 'Ask for an IMDSv2 token, then use it: a 401 means the caller skipped the token (HttpTokens "required" makes IMDSv1 calls fail).',
        command: shellCommand(['curl', '-sS', '-X', 'PUT', `http://${host}/latest/api/token`, '-H', 'X-aws-ec2-metadata-token-ttl-seconds: 21600']) });
      checks.push({ where: 'source', what: `From a container (Docker, EKS pods without host networking) the token's reply needs 2 hops: the hop limit ${md?.hopLimit !== undefined ? `is ${md.hopLimit}` : 'is 1 by default'}${md?.hopLimit === 1 ? ', so containers time out on the token call' : ''}. Raise it if the caller runs in a container.`,
        command: shellCommand(['aws', 'ec2', 'modify-instance-metadata-options', '--instance-id', inst?.id ?? '<instance-id>', '--http-put-response-hop-limit', '2']) });
      checks.push({ where: 'source', what: 'Check the instance metadata options as AWS has them (HttpEndpoint, HttpTokens, hop limit, IPv6 endpoint).',
        command: shellCommand(['aws', 'ec2', 'describe-instances', '--instance-ids', inst?.id ?? '<instance-id>', '--query', 'Reservations[].Instances[].MetadataOptions']) });
      checks.push({ where: 'source', what: 'A host firewall or proxy setting can still catch it: make sure the metadata address is not sent through an HTTP proxy (NO_PROXY) and no iptables rule drops it.',
        command: shellCommand(['sudo', 'iptables', '-S', 'OUTPUT']) });
      break;
    }
    case 'time':
      checks.push({ where: 'source', what: `Is the NTP client using ${a}? (chrony: a "server ${a} prefer iburst" line; an unreachable pool server elsewhere does not matter).`, command: shellCommand(['chronyc', 'sources', '-v']) });
      break;
    case 'dns': {
      const port = flow.dstPorts?.[0] ?? 53;
      checks.push({ where: 'source', what: 'Ask the resolver directly: SERVFAIL or a timeout for one name only points at a Resolver rule or DNS Firewall, not the network.',
        command: shellCommand(['dig', `@${a}`, '-p', String(port), 'example.com', ...(flow.proto === 6 ? ['+tcp'] : []), '+time=3', '+tries=1']) });
      if (eni) {
        checks.push({ where: 'source', what: `The VPC must have DNS resolution on (enableDnsSupport) for the resolver to answer in ${eni.vpcId}.`,
          command: shellCommand(['aws', 'ec2', 'describe-vpc-attribute', '--vpc-id', eni.vpcId, '--attribute', 'enableDnsSupport']) });
        checks.push({ where: 'source', what: 'Route 53 Resolver forwarding rules and DNS Firewall rule groups associated with the VPC decide where names go.',
          command: shellCommand(['aws', 'route53resolver', 'list-resolver-rule-associations', '--filters', `Name=VPCId,Values=${eni.vpcId}`]) });
      }
      checks.push({ where: 'source', what: 'The resolver accepts up to 1024 packets per second per interface; beyond that it drops queries silently (cache locally under load).' });
      break;
    }
  }
  return checks;
}
