/** Which direction of the flow a record belongs to (if any). Pure. */
import ipaddr from 'ipaddr.js';
import { PROTOCOL_NUMBERS } from './format.js';
import type { FlowDirection, FlowRecord, FlowTuple } from './types.js';

const canon = (ip: string | undefined): string | undefined => {
  if (!ip) return undefined;
  try {
    return ipaddr.process(ip).toString();
  } catch {
    return undefined;
  }
};

/** forward = src → dst[:port]; return = dst[:port] → src; undefined = another flow. */
export function classifyRecord(rec: FlowRecord, tuple: FlowTuple): FlowDirection | undefined {
  const proto = PROTOCOL_NUMBERS[tuple.protocol];
  if (rec.protocol !== undefined && proto !== undefined && rec.protocol !== proto) return undefined;
  const src = canon(tuple.src);
  const dst = canon(tuple.dst);
  const rs = canon(rec.srcaddr);
  const rd = canon(rec.dstaddr);
  if (!src || !dst || !rs || !rd) return undefined;
  const ported = tuple.port !== undefined && (tuple.protocol === 'tcp' || tuple.protocol === 'udp');
  if (rs === src && rd === dst && (!ported || rec.dstport === undefined || rec.dstport === tuple.port)) return 'forward';
  if (rs === dst && rd === src && (!ported || rec.srcport === undefined || rec.srcport === tuple.port)) return 'return';
  return undefined;
}
