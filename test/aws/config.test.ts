import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSgwhyEnv } from '../../src/config/env.js';
import { loadConfig, parseConfigText } from '../../src/config/load.js';
import { channelAllowed, selectAccounts } from '../../src/config/select.js';
import { implicitConfig } from '../../src/config/validate.js';
import type { SgwhyError } from '../../src/errors/errors.js';

const good = `
defaults:
  regions: [us-east-1]
accounts:
  - id: "111111111111"
    name: prod
    roleArn: arn:aws:iam::111111111111:role/sgwhy-readonly
    externalId: ext-123
    regions: [us-east-1, eu-west-1]
    slackChannels: [C0123ABCD, "#incidents"]
  - id: "222222222222"
    alias: staging
    roleArn: arn:aws:iam::222222222222:role/ops/sgwhy-readonly
`;

const problems = (text: string): string[] => {
  try {
    parseConfigText(text, 'sgwhy.yaml');
  } catch (e) {
    const err = e as SgwhyError;
    expect(err.code).toBe('CONFIG_INVALID');
    return (err.details?.['problems'] as string[] | undefined) ?? [err.message];
  }
  throw new Error('expected CONFIG_INVALID');
};

describe('config', () => {
  it('parses accounts from YAML with defaults', () => {
    const c = parseConfigText(good, 'sgwhy.yaml');
    expect(c.implicit).toBe(false);
    expect(c.accounts).toEqual([
      {
        id: '111111111111',
        name: 'prod',
        roleArn: 'arn:aws:iam::111111111111:role/sgwhy-readonly',
        externalId: 'ext-123',
        regions: ['us-east-1', 'eu-west-1'],
        slackChannels: ['C0123ABCD', '#incidents'],
      },
      { id: '222222222222', name: 'staging', roleArn: 'arn:aws:iam::222222222222:role/ops/sgwhy-readonly', regions: ['us-east-1'], slackChannels: [] },
    ]);
  });

  it('the shipped example parses', async () => {
    const c = await loadConfig({ path: join(import.meta.dirname, '..', '..', 'deploy', 'sgwhy.example.yaml') });
    expect(c.accounts.map((a) => [a.name, a.regions, a.slackChannels])).toEqual([
      ['prod', ['us-east-1', 'eu-west-1'], ['C0123ABCDEF', '#incidents']],
      ['staging', ['us-east-1'], ['*']],
    ]);
  });

  it('parses JSON too', () => {
    const c = parseConfigText(JSON.stringify({ accounts: [{ id: '333333333333', regions: ['ap-southeast-2'] }] }), 'sgwhy.json');
    expect(c.accounts[0]).toMatchObject({ id: '333333333333', name: '333333333333', regions: ['ap-southeast-2'] });
  });

  it('names every invalid field', () => {
    const p = problems(`
accounts:
  - id: 12345
    name: prod
    rolearn: x
    regions: [us-east-1, mars-1]
  - id: "111111111111"
    roleArn: arn:aws:iam::999999999999:role/sgwhy
    externalId: "x"
    slackChannels: [general]
  - id: "111111111111"
    regions: [us-east-1]
`);
    expect(p).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^accounts\[0\]\.rolearn: unknown field \(did you mean "roleArn"\?\)/),
        expect.stringMatching(/^accounts\[0\]\.id: 12345 is not a 12-digit AWS account id/),
        expect.stringMatching(/^accounts\[0\]\.regions\[1\]: "mars-1" is not a valid AWS region/),
        expect.stringMatching(/^accounts\[1\]\.roleArn: the role is in account 999999999999 but the account id is 111111111111/),
        expect.stringMatching(/^accounts\[1\]\.externalId: must be 2-1224 characters/),
        expect.stringMatching(/^accounts\[1\]\.slackChannels\[0\]: "general" is not a valid Slack channel/),
        expect.stringMatching(/^accounts\[1\]\.regions: is required/),
      ]),
    );
  });

  it('rejects duplicate ids and names', () => {
    const p = problems('accounts:\n  - {id: "111111111111", name: a, regions: [us-east-1]}\n  - {id: "111111111111", name: b, regions: [us-east-1]}\n  - {id: "222222222222", name: a, regions: [us-east-1]}\n');
    expect(p).toEqual([
      expect.stringMatching(/^accounts\[1\]\.id: account 111111111111 is already listed at accounts\[0\]/),
      expect.stringMatching(/^accounts\[2\]\.name: name "a" is already used by accounts\[0\]/),
    ]);
  });

  it('rejects a YAML number that lost its leading zero, with the reason', () => {
    expect(problems('accounts:\n  - id: 012345678901\n    regions: [us-east-1]\n')[0]).toMatch(/quote it in YAML/);
  });

  it('reports syntax errors with line and column', () => {
    expect(() => parseConfigText('accounts: [\n  - id: 1', 'bad.yaml')).toThrow(/bad\.yaml \(line \d+, column \d+\)/);
    expect(problems('[]')[0]).toMatch(/\(top level\): must be a mapping/);
    expect(problems('accounts: []')[0]).toMatch(/accounts: must be a non-empty list/);
  });

  describe('loading', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'sgwhy-config-'));
      await writeFile(join(dir, 'sgwhy.yaml'), good);
    });
    afterAll(async () => rm(dir, { recursive: true, force: true }));

    it('takes the path from a flag, else SGWHY_CONFIG, else the default chain', async () => {
      const path = join(dir, 'sgwhy.yaml');
      expect((await loadConfig({ path, env: {} })).accounts).toHaveLength(2);
      expect((await loadConfig({ env: { SGWHY_CONFIG: path } })).source).toBe(path);
      expect(await loadConfig({ env: {} })).toEqual(implicitConfig());
      expect(readSgwhyEnv({ SGWHY_CONFIG: '  ' })).toEqual({});
      await expect(loadConfig({ path: join(dir, 'missing.yaml') })).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('no such file') });
    });
  });

  describe('selection', () => {
    const c = parseConfigText(good, 'sgwhy.yaml');

    it('narrows by --account (id or name) and --region', () => {
      expect(selectAccounts(c, { accounts: ['PROD'] }).map((a) => a.id)).toEqual(['111111111111']);
      expect(selectAccounts(c, { accounts: ['222222222222'], regions: ['us-east-1'] })).toHaveLength(1);
      expect(selectAccounts(c, { regions: ['eu-west-1'] }).map((a) => [a.name, a.regions])).toEqual([['prod', ['eu-west-1']]]);
      expect(() => selectAccounts(c, { accounts: ['nope'] })).toThrow(/Unknown account "nope"/);
      expect(() => selectAccounts(c, { regions: ['sa-east-1'] })).toThrow(/No selected account/);
      // the implicit account takes the region given on the command line
      expect(selectAccounts(implicitConfig(), { regions: ['eu-central-1'] })[0]?.regions).toEqual(['eu-central-1']);
    });

    it('limits Slack channels to the accounts that list them', () => {
      expect(selectAccounts(c, { slackChannel: { id: 'C0123ABCD' } }).map((a) => a.name)).toEqual(['prod']);
      expect(selectAccounts(c, { slackChannel: { id: 'C999', name: 'Incidents' } }).map((a) => a.name)).toEqual(['prod']);
      expect(() => selectAccounts(c, { slackChannel: { id: 'C999', name: 'random' } })).toThrow(/may not query/);
      expect(channelAllowed(implicitConfig().accounts[0]!, { id: 'Cany' })).toBe(true);
    });
  });
});
