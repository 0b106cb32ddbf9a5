/**
 * Assumes the read-only role per account with STS. The RoleSessionName carries who asked (so
 * CloudTrail shows it); credentials are cached per (role, ExternalId, session name) until shortly
 * before they expire and refreshed transparently; concurrent requests share one AssumeRole call.
 */
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { SgwhyError } from '../errors/errors.js';
import { awsErrorCode } from './aws-errors.js';
import type { CallRecorder } from './call-stats.js';
import type { Target } from './target.js';

/** Structurally an SDK AwsCredentialIdentity. */
export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

export type CredentialProvider = () => Promise<TemporaryCredentials>;

/** A target reached through a role. */
export type RoleTarget = Target & { roleArn: string };

/**
 * A RoleSessionName for the asker: "sgwhy." + the asker reduced to AWS's allowed characters
 * ([\w+=,.@-]), at most 64 characters. Other characters become "-".
 */
export function roleSessionName(asker: string): string {
  const cleaned = asker
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\w+=,.@-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  const name = cleaned ? `sgwhy.${cleaned}` : 'sgwhy';
  return name.slice(0, 64);
}

export interface CredentialBrokerOptions {
  /** STS client for a region (built by the session: standard SDK config, default credential chain). */
  stsClientFor: (region: string) => STSClient;
  /** Requested session duration; the role's MaxSessionDuration must allow it. Default 3600. */
  durationSeconds?: number;
  /** Refresh this long before expiry. Default 5 minutes. */
  refreshMarginMs?: number;
  now?: () => number;
}

interface CacheEntry {
  promise: Promise<TemporaryCredentials>;
  expiresAt?: number;
}

export class CredentialBroker {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly durationSeconds: number;
  private readonly refreshMarginMs: number;
  private readonly now: () => number;

  constructor(private readonly opts: CredentialBrokerOptions) {
    this.durationSeconds = opts.durationSeconds ?? 3600;
    this.refreshMarginMs = opts.refreshMarginMs ?? 5 * 60_000;
    this.now = opts.now ?? Date.now;
  }

  /** A provider for SDK clients: resolves (and refreshes) the role credentials on each use. */
  provider(target: RoleTarget, asker: string, recorder?: CallRecorder): CredentialProvider {
    return () => this.credentials(target, asker, recorder);
  }

  async credentials(target: RoleTarget, asker: string, recorder?: CallRecorder): Promise<TemporaryCredentials> {
    const sessionName = roleSessionName(asker);
    const key = `${target.roleArn}|${target.externalId ?? ''}|${sessionName}`;
    const hit = this.cache.get(key);
    if (hit && (hit.expiresAt === undefined || hit.expiresAt - this.refreshMarginMs > this.now())) return hit.promise;

    const entry: CacheEntry = { promise: this.assume(target, sessionName, recorder) };
    this.cache.set(key, entry);
    try {
      const creds = await entry.promise;
      entry.expiresAt = creds.expiration.getTime();
      return creds;
    } catch (e) {
      if (this.cache.get(key) === entry) this.cache.delete(key);
      throw e;
    }
  }

  /** Forget every cached credential (e.g. after a config reload). */
  clear(): void {
    this.cache.clear();
  }

  private async assume(target: RoleTarget, sessionName: string, recorder?: CallRecorder): Promise<TemporaryCredentials> {
    const sts = this.opts.stsClientFor(target.region);
    const rec = recorder?.start('sts', 'AssumeRole', target, { credentials: true });
    try {
      const out = await sts.send(
        new AssumeRoleCommand({
          RoleArn: target.roleArn,
          RoleSessionName: sessionName,
          DurationSeconds: this.durationSeconds,
          ...(target.externalId ? { ExternalId: target.externalId } : {}),
        }),
      );
      if (rec) recorder?.end(rec, { attempts: out.$metadata.attempts ?? 1 });
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
        throw new SgwhyError('AWS_ASSUME_ROLE_FAILED', `STS returned no credentials for ${target.roleArn} (account ${target.accountId}).`);
      }
      return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: new Date(c.Expiration) };
    } catch (e) {
      if (e instanceof SgwhyError) throw e;
      const code = awsErrorCode(e);
      if (rec) recorder?.end(rec, { error: code, attempts: (e as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1 });
      const account = target.accountName && target.accountName !== target.accountId ? `${target.accountName} (${target.accountId})` : target.accountId;
      const hints =
        code === 'AccessDenied'
          ? [
              `The role's trust policy must allow the principal sgwhy runs as (see deploy/cloudformation/sgwhy-readonly-role.yaml, parameter TrustedPrincipalArn).`,
              target.externalId
                ? 'The ExternalId in the sgwhy config must equal the one in the trust policy (parameter ExternalId).'
                : 'If the trust policy requires an ExternalId, set externalId for this account in the sgwhy config.',
              'The principal sgwhy runs as needs sts:AssumeRole on this role ARN.',
            ]
          : ['Check the principal sgwhy runs as, the role ARN and the network path to STS.'];
      throw new SgwhyError(
        'AWS_ASSUME_ROLE_FAILED',
        `Cannot assume role ${target.roleArn} in account ${account} (session ${sessionName}): ${code}: ${(e as Error).message ?? e}`,
        { cause: e, hints, details: { accountId: target.accountId, accountName: target.accountName, roleArn: target.roleArn, errorCode: code } },
      );
    }
  }
}
