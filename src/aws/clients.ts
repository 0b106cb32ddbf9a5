/**
 * SDK clients per (account, region). An AwsSession lives as long as the process (credential cache,
 * one HTTP connection pool); `session.forQuestion()` hands out clients that count every API call of
 * that question into its CallRecorder.
 *
 * Standard SDK configuration applies throughout: region/credentials chain (AWS_PROFILE, AWS_REGION,
 * …), endpoints (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_EC2, …), the SDK's standard retry strategy
 * (bounded attempts, exponential backoff with jitter, retry quota; AWS_MAX_ATTEMPTS / AWS_RETRY_MODE
 * apply). sgwhy adds a request timeout and
 * a guard that refuses any operation not listed in operations.ts.
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { STSClient } from '@aws-sdk/client-sts';
import { SgwhyError } from '../errors/errors.js';
import { awsErrorCode } from './aws-errors.js';
import { CallRecorder } from './call-stats.js';
import { CredentialBroker, type CredentialProvider } from './credentials.js';
import { listedOperation, type AwsService } from './operations.js';
import { scopeKey, type Scope, type Target } from './target.js';

/** An SDK plugin (middleware) applicable to any client: debug logging, tests' fault injection. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface SdkPlugin { applyToStack: (stack: any) => void }

export interface AwsSessionOptions {
  /** Total attempts per call, retries included. Default: the SDK's (AWS_MAX_ATTEMPTS, profile, else 3). */
  maxAttempts?: number;
  /** Per-attempt request timeout. Default 10 s. */
  requestTimeoutMs?: number;
  /** TCP connect timeout. Default 3 s. */
  connectionTimeoutMs?: number;
  /** Extra middleware for every client the session creates (EC2, CloudWatch Logs, STS). */
  plugins?: readonly SdkPlugin[];
  /** AssumeRole session duration (seconds). Default 3600. */
  sessionDurationSeconds?: number;
  /** Refresh assumed-role credentials this long before they expire. Default 5 min. */
  refreshMarginMs?: number;
  now?: () => number;
}

type AnyClient = EC2Client | ElasticLoadBalancingV2Client | CloudWatchLogsClient | STSClient;
type HttpHandlerInput = NonNullable<ConstructorParameters<typeof EC2Client>[0]>['requestHandler'];

const CLIENT_SERVICE: Record<string, AwsService> = { EC2Client: 'ec2', ElasticLoadBalancingV2Client: 'elbv2', CloudWatchLogsClient: 'logs', STSClient: 'sts' };

/**
 * Refuses commands that are not in operations.ts and, when a recorder is given, records each call
 * (one record per logical call; `attempts` counts the SDK's retries).
 */
function guardPlugin(scope: Scope, recorder?: CallRecorder): SdkPlugin {
  return {
    applyToStack(stack) {
      stack.add(
        (next: (a: unknown) => Promise<{ output: { $metadata?: { attempts?: number } } }>, context: { clientName?: string; commandName?: string }) =>
          async (args: unknown) => {
            const service = CLIENT_SERVICE[context.clientName ?? ''];
            const operation = (context.commandName ?? '').replace(/Command$/, '');
            if (!service || !listedOperation(service, operation)) {
              throw new SgwhyError('AWS_ERROR', `Internal: ${context.clientName}.${operation} is not in src/aws/operations.ts; sgwhy only makes listed read-only calls.`);
            }
            const rec = recorder?.start(service, operation, scope);
            try {
              const out = await next(args);
              if (rec) recorder?.end(rec, { attempts: out.output.$metadata?.attempts ?? 1 });
              return out;
            } catch (e) {
              if (rec) recorder?.end(rec, { error: awsErrorCode(e), attempts: (e as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1 });
              throw e;
            }
          },
        { step: 'initialize', name: 'sgwhyGuardAndRecord', priority: 'high' },
      );
    },
  };
}

export class AwsSession {
  readonly broker: CredentialBroker;
  private readonly stsClients = new Map<string, STSClient>();
  private sharedHandler: HttpHandlerInput | undefined;
  private baseCredentials: unknown;
  private destroyed = false;

  constructor(readonly options: AwsSessionOptions = {}) {
    this.broker = new CredentialBroker({
      stsClientFor: (region) => this.stsClient(region),
      ...(options.sessionDurationSeconds !== undefined ? { durationSeconds: options.sessionDurationSeconds } : {}),
      ...(options.refreshMarginMs !== undefined ? { refreshMarginMs: options.refreshMarginMs } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
  }

  /** Clients for one question; every call they make is recorded in `recorder`. */
  forQuestion(opts: { asker: string; recorder?: CallRecorder }): AwsClients {
    if (this.destroyed) throw new SgwhyError('AWS_ERROR', 'Internal: the AWS session was destroyed.');
    return new AwsClients(this, opts.asker, opts.recorder ?? new CallRecorder());
  }

  /** STS with the default credential chain (AssumeRole, GetCallerIdentity). Not recorded per question. */
  stsClient(region: string): STSClient {
    let c = this.stsClients.get(region);
    if (!c) {
      c = this.configure(new STSClient(this.baseConfig(region, undefined)), { accountId: 'caller', region });
      this.stsClients.set(region, c);
    }
    return c;
  }

  /** @internal Common client configuration: region, retries, timeouts, shared connection pool, credentials. */
  baseConfig(region: string | undefined, credentials: CredentialProvider | undefined) {
    return {
      ...(region ? { region } : {}),
      // Unset: the SDK's own resolution (AWS_MAX_ATTEMPTS / AWS_RETRY_MODE / profile; default 3, standard).
      ...(this.options.maxAttempts !== undefined ? { maxAttempts: this.options.maxAttempts } : {}),
      requestHandler: this.sharedHandler ?? {
        requestTimeout: this.options.requestTimeoutMs ?? 10_000,
        connectionTimeout: this.options.connectionTimeoutMs ?? 3_000,
        // Without this the SDK only logs a warning when requestTimeout passes.
        throwOnRequestTimeout: true,
      },
      // Without a role, every client shares the one default-chain provider (one IMDS/SSO lookup, cached).
      ...(credentials ? { credentials } : this.baseCredentials ? { credentials: this.baseCredentials as CredentialProvider } : {}),
    };
  }

  /** @internal Applies plugins and guard, and captures the shared HTTP handler / default credentials on first use. */
  configure<C extends AnyClient>(client: C, scope: Scope, recorder?: CallRecorder, explicitCredentials = false): C {
    this.sharedHandler ??= client.config.requestHandler as HttpHandlerInput;
    if (!explicitCredentials) this.baseCredentials ??= client.config.credentials;
    client.middlewareStack.use(guardPlugin(scope, recorder));
    for (const p of this.options.plugins ?? []) client.middlewareStack.use(p);
    return client;
  }

  /** Closes the connection pool. Clients handed out before stop working. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const c of this.stsClients.values()) c.destroy();
    this.stsClients.clear();
    this.broker.clear();
  }
}

/** Clients for one question, cached per (account, region); all calls go into `recorder`. */
export class AwsClients {
  private readonly ec2Clients = new Map<string, EC2Client>();
  private readonly logsClients = new Map<string, CloudWatchLogsClient>();
  private readonly elbv2Clients = new Map<string, ElasticLoadBalancingV2Client>();
  private readonly stsClients = new Map<string, STSClient>();

  constructor(
    readonly session: AwsSession,
    readonly asker: string,
    readonly recorder: CallRecorder,
  ) {}

  ec2(target: Target): EC2Client {
    return this.cached(this.ec2Clients, target, (cfg) => new EC2Client(cfg));
  }

  elbv2(target: Target): ElasticLoadBalancingV2Client {
    return this.cached(this.elbv2Clients, target, (cfg) => new ElasticLoadBalancingV2Client(cfg));
  }

  logs(target: Target): CloudWatchLogsClient {
    return this.cached(this.logsClients, target, (cfg) => new CloudWatchLogsClient(cfg));
  }

  /** STS in a region with the default chain, recorded in this question's stats. */
  callerSts(region: string): STSClient {
    let c = this.stsClients.get(region);
    if (!c) {
      const s = this.session;
      c = s.configure(new STSClient(s.baseConfig(region, undefined)), { accountId: 'caller', region }, this.recorder);
      this.stsClients.set(region, c);
    }
    return c;
  }

  private credentialsFor(target: Target): CredentialProvider | undefined {
    if (!target.roleArn) return undefined;
    return this.session.broker.provider({ ...target, roleArn: target.roleArn }, this.asker, this.recorder);
  }

  private cached<C extends AnyClient>(map: Map<string, C>, target: Target, make: (cfg: ReturnType<AwsSession['baseConfig']>) => C): C {
    const key = scopeKey(target);
    let c = map.get(key);
    if (!c) {
      const creds = this.credentialsFor(target);
      c = this.session.configure(make(this.session.baseConfig(target.region, creds)), target, this.recorder, creds !== undefined);
      map.set(key, c);
    }
    return c;
  }
}
