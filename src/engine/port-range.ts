/**
 * Questions about a port range ("ports 8080-8090"): the range is cut where any security group
 * rule or network ACL entry of the path could change its decision, so every piece is decided
 * the same way by every rule; each piece is answered once, and neighbours with the same outcome
 * are merged back. The answer then says which ports pass and which do not.
 */
import type { Model } from '../model/types.js';
import type { Endpoint } from '../trace/types.js';

export type PortPiece = [number, number];

/** The pieces of [from, to] within which no rule of the model's groups on these interfaces, nor any NACL entry, changes its decision. */
export function portPieces(m: Model, from: number, to: number, proto: number, endpoints: readonly Endpoint[]): PortPiece[] {
  const cuts = new Set<number>([from, to + 1]);
  const cut = (a: number, b: number): void => {
    if (a > from && a <= to) cuts.add(a);
    if (b + 1 > from && b + 1 <= to) cuts.add(b + 1);
  };
  const groups = new Set<string>();
  for (const e of endpoints) if (e.kind === 'interface') for (const g of e.eni.groupIds) groups.add(g);
  for (const gid of groups) {
    const g = m.securityGroups.get(gid);
    for (const r of g ? [...g.ingress, ...g.egress] : []) if (r.proto === proto && r.ports) cut(r.ports.from, r.ports.to);
  }
  for (const nacl of m.networkAcls.values()) {
    for (const e of [...nacl.inbound, ...nacl.outbound]) if (e.proto === proto && e.ports) cut(e.ports.from, e.ports.to);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: PortPiece[] = [];
  for (let i = 0; i + 1 < points.length; i++) out.push([points[i]!, points[i + 1]! - 1]);
  return out;
}

export const pieceText = ([a, b]: PortPiece): string => (a === b ? `port ${a}` : `ports ${a}-${b}`);
