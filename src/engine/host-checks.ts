/** The host-side checks the runbooks recommend once the configuration says "reachable". */
import type { HostCheck } from '../answer/types.js';
import type { Flow } from '../trace/flow.js';

export function hostChecks(flow: Flow, dstText: string): HostCheck[] {
  const checks: HostCheck[] = [];
  const port = flow.dstPorts?.[0];
  if (flow.proto === 6) {
    checks.push({ where: 'source', what: 'Test the connection: a timeout means packets are dropped (host firewall, or something outside the VPC configuration); "connection refused" means nothing listens on the port.', command: `nc -vz -w 5 ${dstText} ${port}` });
    checks.push({ where: 'destination', what: `Is the service listening on port ${port}, on 0.0.0.0 or the right address (not 127.0.0.1)?`, command: `sudo ss -tlnp 'sport = :${port}'` });
  } else if (flow.proto === 17) {
    checks.push({ where: 'source', what: 'UDP has no handshake: send a real request (dig, an app probe); nc -u only shows errors the host reports.', command: port === 53 ? `dig @${dstText} example.com +time=3 +tries=1` : `nc -vzu -w 5 ${dstText} ${port}` });
    checks.push({ where: 'destination', what: `Is the service listening on udp/${port}?`, command: `sudo ss -ulnp 'sport = :${port}'` });
  } else {
    checks.push({ where: 'source', what: 'Ping the destination.', command: `ping -c 3 ${dstText}` });
  }
  checks.push({ where: 'destination', what: 'Check the OS firewall (iptables / nftables / firewalld; Windows Defender Firewall on Windows).', command: 'sudo iptables -S; sudo nft list ruleset' });
  const proto = String(flow.proto);
  const pattern = `[version, account, eni, srcaddr="${flow.src.text}", dstaddr="${dstText}", srcport, dstport${port !== undefined ? `="${port}"` : ''}, protocol="${proto}", packets, bytes, start, end, action, status]`;
  checks.push({ where: 'destination', what: 'Look for ACCEPT records in both directions in VPC Flow Logs (default format); REJECT now would mean the data used here is stale.',
    command: `aws logs filter-log-events --log-group-name <flow-log-group> --start-time $(($(date +%s) - 1800))000 --filter-pattern '${pattern}'` });
  return checks;
}
