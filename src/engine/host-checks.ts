/**
 * The host-side checks the runbooks recommend once the configuration says "reachable". Every
 * command is built from an argument list by shellCommand (src/fix/shell.ts); the addresses are
 * canonical texts of parsed addresses and the ports are numbers, so nothing here comes from AWS strings.
 */
import type { HostCheck } from '../answer/types.js';
import { ShellExpansion, shellCommand, shellSequence } from '../fix/shell.js';
import type { Flow } from '../trace/flow.js';

/** A CloudWatch Logs filter for flow-log records of this flow (default format), both directions as written by AWS. */
export function flowLogFilterCommand(flow: Flow, dstText: string): string {
  const port = flow.dstPorts?.[0];
  const pattern = `[version, account, eni, srcaddr="${flow.src.text}", dstaddr="${dstText}", srcport, dstport${port !== undefined ? `="${port}"` : ''}, protocol="${String(flow.proto)}", packets, bytes, start, end, action, status]`;
  return shellCommand(['aws', 'logs', 'filter-log-events', '--log-group-name', '<flow-log-group>', '--start-time', ShellExpansion.START_30_MIN_AGO_MS,
    '--filter-pattern', pattern]);
}

export function hostChecks(flow: Flow, dstText: string): HostCheck[] {
  const checks: HostCheck[] = [];
  const port = flow.dstPorts?.[0];
  const p = String(port);
  if (flow.proto === 6) {
    checks.push({ where: 'source', what: 'Test the connection: a timeout means packets are dropped (host firewall, or something outside the VPC configuration); "connection refused" means nothing listens on the port.', command: shellCommand(['nc', '-vz', '-w', '5', dstText, p]) });
    checks.push({ where: 'destination', what: `Is the service listening on port ${p}, on 0.0.0.0 or the right address (not 127.0.0.1)?`, command: shellCommand(['sudo', 'ss', '-tlnp', `sport = :${p}`]) });
  } else if (flow.proto === 17) {
    checks.push({ where: 'source', what: 'UDP has no handshake: send a real request (dig, an app probe); nc -u only shows errors the host reports.',
      command: port === 53 ? shellCommand(['dig', `@${dstText}`, 'example.com', '+time=3', '+tries=1']) : shellCommand(['nc', '-vzu', '-w', '5', dstText, p]) });
    checks.push({ where: 'destination', what: `Is the service listening on udp/${p}?`, command: shellCommand(['sudo', 'ss', '-ulnp', `sport = :${p}`]) });
  } else {
    checks.push({ where: 'source', what: 'Ping the destination.', command: shellCommand(['ping', '-c', '3', dstText]) });
  }
  checks.push({ where: 'destination', what: 'Check the OS firewall (iptables / nftables / firewalld; Windows Defender Firewall on Windows).',
    command: shellSequence([['sudo', 'iptables', '-S'], ['sudo', 'nft', 'list', 'ruleset']]) });
  checks.push({ where: 'destination', what: 'Look for ACCEPT records in both directions in VPC Flow Logs (default format); REJECT now would mean the data used here is stale. Replace <flow-log-group> with the flow log\'s log group.',
    command: flowLogFilterCommand(flow, dstText) });
  return checks;
}
