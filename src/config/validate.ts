/**
 * Validates a parsed config document (from YAML or JSON) into an SgwhyConfig. Pure. Every problem
 * is reported at once, each naming its field (`accounts[1].roleArn`), in one CONFIG_INVALID error.
 *
 *   defaults:                       # optional, applies to every account that does not say otherwise
 *     regions: [us-east-1]
 *     slackChannels: ["#netops"]
 *   accounts:
 *     - id: "111111111111"          # quote it: YAML would drop leading zeros
 *       name: prod                  # or alias:
 *       roleArn: arn:aws:iam::111111111111:role/sgwhy-readonly
 *       externalId: "…"             # optional
 *       regions: [us-east-1, eu-west-1]
 *       slackChannels: [C0123ABCD, "#incidents"]   # "*" = any channel; absent = none (CLI only)
 *       executionRoleArn: arn:aws:iam::111111111111:role/sgwhy-execution   # optional: sgwhy applies approved fixes
 *       approvers: { users: [U0123ABCD], userGroups: [S0123ABCD] }          # who may approve (also under defaults)
 *       twoPersonRule: true                                                 # two distinct approvers, never the requester
 *   approvals:
 *     expiryHours: 24               # how long a proposed fix may be approved
 */
import { SgwhyError } from '../errors/errors.js';
import { ACCOUNT_ID, REGION } from '../model/aws-names.js';
import type { AccountConfig, SgwhyConfig } from './types.js';

const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b):iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const NAME = /^[\w.@+=-]{1,64}$/;
const CHANNEL = /^(\*|[CGD][A-Z0-9]{2,}|#[a-z0-9][a-z0-9._-]{0,79})$/;

const TOP_KEYS = ['accounts', 'defaults', 'version', 'approvals'] as const;
const DEFAULT_KEYS = ['regions', 'slackChannels', 'approvers', 'twoPersonRule'] as const;
const ACCOUNT_KEYS = ['id', 'name', 'alias', 'roleArn', 'externalId', 'regions', 'slackChannels', 'executionRoleArn', 'approvers', 'twoPersonRule'] as const;
const SLACK_USER = /^[UW][A-Z0-9]{2,}$/;
const SLACK_GROUP = /^S[A-Z0-9]{2,}$/;

type Approvers = { users: string[]; userGroups: string[] };
interface Defaults { regions?: string[]; slackChannels?: string[]; approvers?: Approvers; twoPersonRule?: boolean }

function approvers(v: unknown, field: string, p: Problems): Approvers | undefined {
  if (v === undefined) return undefined;
  if (!isObj(v)) {
    p.add(field, 'must be a mapping with users and/or userGroups');
    return undefined;
  }
  unknownKeys(v, ['users', 'userGroups'], field, p);
  return {
    users: stringList(v['users'], `${field}.users`, SLACK_USER, 'Slack user id (U0123ABCD)', p) ?? [],
    userGroups: stringList(v['userGroups'], `${field}.userGroups`, SLACK_GROUP, 'Slack user group id (S0123ABCD)', p) ?? [],
  };
}

function bool(v: unknown, field: string, p: Problems): boolean | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') p.add(field, 'must be true or false');
  return typeof v === 'boolean' ? v : undefined;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class Problems {
  readonly list: string[] = [];
  add(field: string, msg: string): void {
    this.list.push(`${field}: ${msg}`);
  }
}

function unknownKeys(o: Obj, allowed: readonly string[], where: string, p: Problems): void {
  for (const k of Object.keys(o)) {
    if (allowed.includes(k)) continue;
    const near = allowed.find((a) => a.toLowerCase() === k.toLowerCase().replace(/[-_]/g, ''));
    p.add(`${where}${where ? '.' : ''}${k}`, `unknown field${near ? ` (did you mean "${near}"?)` : ''}; allowed: ${allowed.join(', ')}`);
  }
}

function stringList(v: unknown, field: string, pattern: RegExp, what: string, p: Problems): string[] | undefined {
  if (v === undefined) return undefined;
  const items = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(items)) {
    p.add(field, `must be a list of ${what}`);
    return undefined;
  }
  const out: string[] = [];
  items.forEach((item, i) => {
    if (typeof item !== 'string' || !pattern.test(item.trim())) {
      p.add(`${field}[${i}]`, `${JSON.stringify(item)} is not a valid ${what}`);
    } else if (!out.includes(item.trim())) {
      out.push(item.trim());
    }
  });
  return out;
}

function accountId(v: unknown, field: string, p: Problems): string | undefined {
  if (typeof v === 'string' && ACCOUNT_ID.test(v.trim())) return v.trim();
  if (typeof v === 'number' && Number.isInteger(v) && ACCOUNT_ID.test(String(v))) return String(v);
  if (v === undefined) p.add(field, 'is required (the 12-digit AWS account id)');
  else p.add(field, `${JSON.stringify(v)} is not a 12-digit AWS account id (quote it in YAML: leading zeros are lost otherwise)`);
  return undefined;
}

function validateAccount(raw: unknown, i: number, defaults: Defaults, p: Problems): AccountConfig | undefined {
  const where = `accounts[${i}]`;
  if (!isObj(raw)) {
    p.add(where, 'must be a mapping with id, name, roleArn, regions');
    return undefined;
  }
  unknownKeys(raw, ACCOUNT_KEYS, where, p);
  const id = accountId(raw['id'], `${where}.id`, p);

  let name: string | undefined;
  const nameRaw = raw['name'] ?? raw['alias'];
  if (raw['name'] !== undefined && raw['alias'] !== undefined && raw['name'] !== raw['alias']) {
    p.add(`${where}.alias`, 'give either name or alias, not both');
  }
  if (nameRaw === undefined) name = id;
  else if (typeof nameRaw === 'string' && NAME.test(nameRaw.trim())) name = nameRaw.trim();
  else p.add(`${where}.${raw['name'] !== undefined ? 'name' : 'alias'}`, `${JSON.stringify(nameRaw)} is not a valid name (letters, digits, . _ - @ + =; at most 64)`);

  let roleArn: string | undefined;
  if (raw['roleArn'] !== undefined) {
    const m = typeof raw['roleArn'] === 'string' ? ROLE_ARN.exec(raw['roleArn'].trim()) : null;
    if (!m) p.add(`${where}.roleArn`, `${JSON.stringify(raw['roleArn'])} is not an IAM role ARN (arn:aws:iam::<account id>:role/<name>)`);
    else if (id && m[2] !== id) p.add(`${where}.roleArn`, `the role is in account ${m[2]} but the account id is ${id}`);
    else roleArn = (raw['roleArn'] as string).trim();
  }

  let externalId: string | undefined;
  if (raw['externalId'] !== undefined) {
    if (roleArn === undefined && raw['roleArn'] === undefined) p.add(`${where}.externalId`, 'only makes sense with roleArn');
    if (typeof raw['externalId'] !== 'string' || !EXTERNAL_ID.test(raw['externalId'])) {
      p.add(`${where}.externalId`, 'must be 2-1224 characters of letters, digits and +=,.@:/-');
    } else externalId = raw['externalId'];
  }

  const regions = stringList(raw['regions'], `${where}.regions`, REGION, 'AWS region (e.g. us-east-1)', p) ?? defaults.regions;
  if (!regions || regions.length === 0) {
    if (raw['regions'] === undefined) p.add(`${where}.regions`, 'is required (or set defaults.regions)');
    else if (Array.isArray(raw['regions']) && raw['regions'].length === 0) p.add(`${where}.regions`, 'must list at least one region');
  }
  const slackChannels =
    stringList(raw['slackChannels'], `${where}.slackChannels`, CHANNEL, 'Slack channel (C0123ABCD, #name or *)', p) ?? defaults.slackChannels ?? [];

  let executionRoleArn: string | undefined;
  if (raw['executionRoleArn'] !== undefined) {
    const m = typeof raw['executionRoleArn'] === 'string' ? ROLE_ARN.exec(raw['executionRoleArn'].trim()) : null;
    if (!m) p.add(`${where}.executionRoleArn`, `${JSON.stringify(raw['executionRoleArn'])} is not an IAM role ARN (arn:aws:iam::<account id>:role/<name>)`);
    else if (id && m[2] !== id) p.add(`${where}.executionRoleArn`, `the role is in account ${m[2]} but the account id is ${id}`);
    else if (roleArn && (raw['executionRoleArn'] as string).trim() === roleArn) p.add(`${where}.executionRoleArn`, 'must be a different role from the read-only roleArn');
    else executionRoleArn = (raw['executionRoleArn'] as string).trim();
  }
  const appr = approvers(raw['approvers'], `${where}.approvers`, p) ?? defaults.approvers;
  const twoPersonRule = bool(raw['twoPersonRule'], `${where}.twoPersonRule`, p) ?? defaults.twoPersonRule;

  if (!id || !name || !regions || regions.length === 0) return undefined;
  return {
    id,
    name,
    ...(roleArn ? { roleArn } : {}),
    ...(externalId ? { externalId } : {}),
    regions,
    slackChannels,
    ...(executionRoleArn ? { executionRoleArn } : {}),
    ...(appr ? { approvers: appr } : {}),
    ...(twoPersonRule !== undefined ? { twoPersonRule } : {}),
  };
}

/** Validates a parsed document. `source` names the file in messages. */
export function validateConfig(doc: unknown, source: string): SgwhyConfig {
  const p = new Problems();
  const accounts: AccountConfig[] = [];
  let approvals: { expiryHours: number } | undefined;
  if (isObj(doc) && doc['approvals'] !== undefined) {
    const a = doc['approvals'];
    if (!isObj(a)) p.add('approvals', 'must be a mapping (expiryHours)');
    else {
      unknownKeys(a, ['expiryHours'], 'approvals', p);
      const h = a['expiryHours'];
      if (h !== undefined && (typeof h !== 'number' || !(h > 0 && h <= 720))) p.add('approvals.expiryHours', 'must be a number of hours between 0 and 720');
      else if (typeof h === 'number') approvals = { expiryHours: h };
    }
  }
  if (!isObj(doc)) {
    p.add('(top level)', 'must be a mapping with an "accounts" list');
  } else {
    unknownKeys(doc, TOP_KEYS, '', p);
    if (doc['version'] !== undefined && doc['version'] !== 1) p.add('version', 'only version 1 is supported');
    const defaults: Defaults = {};
    if (doc['defaults'] !== undefined) {
      if (!isObj(doc['defaults'])) p.add('defaults', 'must be a mapping (regions, slackChannels)');
      else {
        unknownKeys(doc['defaults'], DEFAULT_KEYS, 'defaults', p);
        const r = stringList(doc['defaults']['regions'], 'defaults.regions', REGION, 'AWS region (e.g. us-east-1)', p);
        const c = stringList(doc['defaults']['slackChannels'], 'defaults.slackChannels', CHANNEL, 'Slack channel (C0123ABCD, #name or *)', p);
        if (r) defaults.regions = r;
        if (c) defaults.slackChannels = c;
        const a = approvers(doc['defaults']['approvers'], 'defaults.approvers', p);
        const t = bool(doc['defaults']['twoPersonRule'], 'defaults.twoPersonRule', p);
        if (a) defaults.approvers = a;
        if (t !== undefined) defaults.twoPersonRule = t;
      }
    }
    const list = doc['accounts'];
    if (!Array.isArray(list) || list.length === 0) {
      p.add('accounts', 'must be a non-empty list of accounts');
    } else {
      list.forEach((raw, i) => {
        const a = validateAccount(raw, i, defaults, p);
        if (!a) return;
        const dupId = accounts.findIndex((b) => b.id === a.id);
        const dupName = accounts.findIndex((b) => b.name === a.name);
        if (dupId >= 0) p.add(`accounts[${i}].id`, `account ${a.id} is already listed at accounts[${dupId}]`);
        else if (dupName >= 0) p.add(`accounts[${i}].name`, `name "${a.name}" is already used by accounts[${dupName}]`);
        else accounts.push(a);
      });
    }
  }
  if (p.list.length > 0) {
    throw new SgwhyError('CONFIG_INVALID', `Invalid sgwhy config ${source}:\n  - ${p.list.join('\n  - ')}`, {
      details: { source, problems: p.list },
      hints: ['The config format is described in deploy/README.md (example: deploy/sgwhy.example.yaml).'],
    });
  }
  return { source, implicit: false, accounts, ...(approvals ? { approvals } : {}) };
}

/** The config used when no file is given: one account from the default credential chain and region. */
export function implicitConfig(): SgwhyConfig {
  return {
    source: 'default credential chain',
    implicit: true,
    accounts: [{ id: null, name: 'default', regions: [], slackChannels: ['*'] }],
  };
}
