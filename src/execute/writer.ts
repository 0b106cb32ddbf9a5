/**
 * The one way sgwhy changes AWS: EC2 clients with credentials of the per-account execution role
 * (a role separate from the read-only one, assumed through STS like the collector's), guarded by
 * middleware that refuses any command not on the write allow-list before it leaves the process.
 */
import {
  AcceptVpcPeeringConnectionCommand, AttachInternetGatewayCommand, CreateInternetGatewayCommand, DeleteInternetGatewayCommand, DetachInternetGatewayCommand,
  AuthorizeSecurityGroupEgressCommand, AuthorizeSecurityGroupIngressCommand, CreateNetworkAclEntryCommand,
  CreateRouteCommand, CreateSecurityGroupCommand, CreateTransitGatewayRouteCommand, CreateVpcPeeringConnectionCommand, DeleteNetworkAclEntryCommand,
  DeleteRouteCommand, DeleteSecurityGroupCommand, DeleteTransitGatewayRouteCommand, DeleteVpcPeeringConnectionCommand, DisableTransitGatewayRouteTablePropagationCommand,
  DisableVgwRoutePropagationCommand, EC2Client, EnableTransitGatewayRouteTablePropagationCommand, EnableVgwRoutePropagationCommand,
  ModifyNetworkInterfaceAttributeCommand, ModifyTransitGatewayVpcAttachmentCommand, ReplaceNetworkAclEntryCommand, ReplaceRouteCommand,
  ReplaceTransitGatewayRouteCommand, RevokeSecurityGroupEgressCommand, RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import type { AwsSession } from '../aws/clients.js';
import { SgwhyError } from '../errors/errors.js';
import { writeOperation } from './operations.js';

type Obj = Record<string, unknown>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCommand = new (input: any) => any;

const COMMANDS: Record<string, AnyCommand> = {
  AuthorizeSecurityGroupIngress: AuthorizeSecurityGroupIngressCommand,
  AuthorizeSecurityGroupEgress: AuthorizeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngress: RevokeSecurityGroupIngressCommand,
  RevokeSecurityGroupEgress: RevokeSecurityGroupEgressCommand,
  ModifyNetworkInterfaceAttribute: ModifyNetworkInterfaceAttributeCommand,
  CreateNetworkAclEntry: CreateNetworkAclEntryCommand,
  ReplaceNetworkAclEntry: ReplaceNetworkAclEntryCommand,
  DeleteNetworkAclEntry: DeleteNetworkAclEntryCommand,
  CreateRoute: CreateRouteCommand,
  ReplaceRoute: ReplaceRouteCommand,
  DeleteRoute: DeleteRouteCommand,
  CreateTransitGatewayRoute: CreateTransitGatewayRouteCommand,
  ReplaceTransitGatewayRoute: ReplaceTransitGatewayRouteCommand,
  DeleteTransitGatewayRoute: DeleteTransitGatewayRouteCommand,
  AcceptVpcPeeringConnection: AcceptVpcPeeringConnectionCommand,
  ModifyTransitGatewayVpcAttachment: ModifyTransitGatewayVpcAttachmentCommand,
  EnableTransitGatewayRouteTablePropagation: EnableTransitGatewayRouteTablePropagationCommand,
  DisableTransitGatewayRouteTablePropagation: DisableTransitGatewayRouteTablePropagationCommand,
  EnableVgwRoutePropagation: EnableVgwRoutePropagationCommand,
  DisableVgwRoutePropagation: DisableVgwRoutePropagationCommand,
  CreateSecurityGroup: CreateSecurityGroupCommand,
  DeleteSecurityGroup: DeleteSecurityGroupCommand,
  CreateVpcPeeringConnection: CreateVpcPeeringConnectionCommand,
  DeleteVpcPeeringConnection: DeleteVpcPeeringConnectionCommand,
  CreateInternetGateway: CreateInternetGatewayCommand,
  AttachInternetGateway: AttachInternetGatewayCommand,
  DetachInternetGateway: DetachInternetGatewayCommand,
  DeleteInternetGateway: DeleteInternetGatewayCommand,
};

/** Where a write goes and with which role. */
export interface WriteTarget {
  accountId: string;
  region: string;
  executionRoleArn: string;
  externalId?: string;
  /** Who approved: the role session name carries it, so CloudTrail shows it (default: the writer's asker). */
  asker?: string;
}

/** Sends one allowed call; returns the response without $metadata. */
export interface Ec2Writer {
  send(target: WriteTarget, operation: string, input: Obj): Promise<Obj>;
}

/** Middleware: only allow-listed operations leave the process. */
export function writeGuard() {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    applyToStack(stack: any) {
      stack.add(
        (next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
          const op = (context.commandName ?? '').replace(/Command$/, '');
          if (!writeOperation(op)) throw new SgwhyError('EXECUTION_REFUSED', `Refused: ${op} is not on sgwhy's write allow-list (src/execute/operations.ts).`);
          return next(args);
        },
        { step: 'initialize', name: 'sgwhyWriteGuard', priority: 'high' },
      );
    },
  };
}

export interface SdkEc2WriterOptions {
  /** Session name when a target names no approver. */
  asker: string;
  requestTimeoutMs?: number;
  maxAttempts?: number;
}

/**
 * Writes through the execution role of each account. The STS call goes through the read session's
 * broker (same credential cache and refresh rules as the read-only role).
 */
export class SdkEc2Writer implements Ec2Writer {
  private readonly clients = new Map<string, EC2Client>();

  constructor(private readonly session: AwsSession, private readonly opts: SdkEc2WriterOptions) {}

  private client(t: WriteTarget): EC2Client {
    const asker = t.asker ?? this.opts.asker;
    const key = `${t.executionRoleArn}|${t.externalId ?? ''}|${t.region}|${asker}`;
    let c = this.clients.get(key);
    if (!c) {
      const credentials = this.session.broker.provider(
        { accountId: t.accountId, accountName: t.accountId, region: t.region, roleArn: t.executionRoleArn, ...(t.externalId ? { externalId: t.externalId } : {}) },
        asker,
      );
      c = new EC2Client({
        region: t.region,
        credentials,
        maxAttempts: this.opts.maxAttempts ?? 3,
        requestHandler: { requestTimeout: this.opts.requestTimeoutMs ?? 15_000, connectionTimeout: 3_000, throwOnRequestTimeout: true },
      });
      c.middlewareStack.use(writeGuard());
      this.clients.set(key, c);
    }
    return c;
  }

  async send(target: WriteTarget, operation: string, input: Obj): Promise<Obj> {
    const Command = Object.hasOwn(COMMANDS, operation) ? COMMANDS[operation] : undefined;
    if (!Command || !writeOperation(operation)) throw new SgwhyError('EXECUTION_REFUSED', `Refused: ${operation} is not on sgwhy's write allow-list.`);
    const out = (await this.client(target).send(new Command(input))) as unknown as Obj;
    const { $metadata: _m, ...rest } = out;
    return rest;
  }

  destroy(): void {
    for (const c of this.clients.values()) c.destroy();
    this.clients.clear();
  }
}
