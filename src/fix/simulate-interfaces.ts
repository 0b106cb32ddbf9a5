/**
 * The fix simulator: network interface attributes (ModifyNetworkInterfaceAttribute).
 * Conventions (copy-on-write, errors) in simulate.ts. Pure: no SDK, no I/O, no clock.
 */
import type { RawDoc } from '../model/raw.js';
import { instances, isPrimary } from './simulate-routes.js';
import { isObj, objects, usage, notInSnapshot, Input, rewrite, itemsById, allCopies, type ApiCall, type Obj } from './simulate-common.js';

// Network interfaces

export function modifyNetworkInterface(docs: readonly RawDoc[], call: ApiCall): RawDoc[] {
  const input = new Input(call.operation, call.input);
  for (const k of Object.keys(call.input))
    if (!['NetworkInterfaceId', 'Groups', 'SourceDestCheck', 'DryRun'].includes(k))
      throw usage(`cannot simulate ${call.operation} with ${k}; only Groups and SourceDestCheck are supported.`);
  const eniId = input.str('NetworkInterfaceId');
  const attrs = ['Groups', 'SourceDestCheck'].filter((k) => input.has(k));
  if (attrs.length !== 1) throw usage(`InvalidParameterCombination: ${call.operation} changes exactly one attribute per call (Groups or SourceDestCheck).`);

  let groups: Obj[] | undefined;
  let sourceDestCheck: boolean | undefined;
  if (attrs[0] === 'Groups') {
    const ids = call.input.Groups;
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every((g): g is string => typeof g === 'string' && g !== ''))
      throw usage(`InvalidParameterValue: ${call.operation} Groups must be a non-empty list of security group ids.`);
    groups = [...new Set(ids)].map((id) => {
      const sg = allCopies(docs, 'SecurityGroups', 'GroupId', id)[0];
      return typeof sg?.GroupName === 'string' ? { GroupId: id, GroupName: sg.GroupName } : { GroupId: id };
    });
  } else {
    const v = call.input.SourceDestCheck;
    if (!isObj(v) || typeof v.Value !== 'boolean') throw usage(`InvalidParameterValue: ${call.operation} SourceDestCheck must be {Value: true|false}.`);
    sourceDestCheck = v.Value;
  }

  // Instances whose primary interface this is: their instance-level fields change too.
  const primaryOf = new Set<string>();
  for (const eni of allCopies(docs, 'NetworkInterfaces', 'NetworkInterfaceId', eniId))
    if (isPrimary(eni) && isObj(eni.Attachment) && typeof eni.Attachment.InstanceId === 'string') primaryOf.add(eni.Attachment.InstanceId);
  let seen = allCopies(docs, 'NetworkInterfaces', 'NetworkInterfaceId', eniId).length > 0;
  for (const { instance } of instances(docs)) {
    const n = objects(instance.NetworkInterfaces).find((x) => x.NetworkInterfaceId === eniId);
    if (!n) continue;
    seen = true;
    if (isPrimary(n) && typeof instance.InstanceId === 'string') primaryOf.add(instance.InstanceId);
  }
  if (!seen) throw notInSnapshot('Network interface', eniId);

  const apply = (o: Obj, primary: boolean): void => {
    if (groups) o[primary ? 'SecurityGroups' : 'Groups'] = structuredClone(groups);
    if (sourceDestCheck !== undefined) o.SourceDestCheck = sourceDestCheck;
  };
  const touchesInstance = (instance: Obj): boolean =>
    (typeof instance.InstanceId === 'string' && primaryOf.has(instance.InstanceId)) || objects(instance.NetworkInterfaces).some((n) => n.NetworkInterfaceId === eniId);

  return rewrite(
    docs,
    (data) => itemsById(data, 'NetworkInterfaces', 'NetworkInterfaceId', eniId).length > 0 || objects(data.Reservations).some((r) => objects(r.Instances).some(touchesInstance)),
    (data) => {
      for (const eni of itemsById(data, 'NetworkInterfaces', 'NetworkInterfaceId', eniId)) apply(eni, false);
      for (const reservation of objects(data.Reservations))
        for (const instance of objects(reservation.Instances)) {
          for (const n of objects(instance.NetworkInterfaces)) if (n.NetworkInterfaceId === eniId) apply(n, false);
          if (typeof instance.InstanceId === 'string' && primaryOf.has(instance.InstanceId)) apply(instance, true);
        }
    },
  ).docs;
}
