/**
 * Resolves configured accounts into concrete (account, region) targets. The implicit default-chain
 * account learns its id from STS GetCallerIdentity and its region from the SDK's standard region
 * resolution (AWS_REGION, AWS_PROFILE's config, …).
 */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { EC2Client } from '@aws-sdk/client-ec2';
import type { AccountConfig } from '../config/types.js';
import { SgwhyError } from '../errors/errors.js';
import { awsErrorCode } from './aws-errors.js';
import type { AwsClients } from './clients.js';
import type { Target } from './target.js';

/** The SDK's default region (env, shared config), or undefined when none is configured. */
export async function sdkDefaultRegion(): Promise<string | undefined> {
  const probe = new EC2Client({});
  try {
    const r = await probe.config.region();
    return r || undefined;
  } catch {
    return undefined;
  } finally {
    probe.destroy();
  }
}

export async function resolveTargets(clients: AwsClients, accounts: readonly AccountConfig[]): Promise<Target[]> {
  const out: Target[] = [];
  for (const a of accounts) {
    let regions = a.regions;
    if (regions.length === 0) {
      const r = await sdkDefaultRegion();
      if (!r) {
        throw new SgwhyError('CONFIG_INVALID', 'No AWS region: set AWS_REGION (or a region in your AWS profile), or list regions in the sgwhy config.', {
          hints: ['export AWS_REGION=us-east-1', 'or create a config file and point SGWHY_CONFIG at it'],
        });
      }
      regions = [r];
    }
    let accountId = a.id;
    if (accountId === null) {
      const region = regions[0] as string;
      try {
        const who = await clients.callerSts(region).send(new GetCallerIdentityCommand({}));
        accountId = who.Account ?? null;
      } catch (e) {
        const code = awsErrorCode(e);
        throw new SgwhyError('AWS_ACCESS_DENIED', `No usable AWS credentials (STS GetCallerIdentity failed: ${code}: ${(e as Error).message})`, {
          cause: e,
          hints: ['Configure credentials the usual way (AWS_PROFILE, environment, SSO, instance role), or point SGWHY_CONFIG at an account config.'],
        });
      }
      if (!accountId) throw new SgwhyError('AWS_ERROR', 'STS GetCallerIdentity returned no account id.');
    }
    for (const region of regions) {
      out.push({
        accountId,
        accountName: a.id === null ? accountId : a.name,
        region,
        ...(a.roleArn ? { roleArn: a.roleArn } : {}),
        ...(a.externalId ? { externalId: a.externalId } : {}),
      });
    }
  }
  return out;
}
