/** Config additions for approvals: per-account execution role, approvers, two-person rule; fix expiry. */
import { describe, expect, it } from 'vitest';
import { approvalPolicies, fixExpirySeconds } from '../../src/approval/from-config.js';
import { parseConfigText } from '../../src/config/load.js';

const base = `
defaults:
  regions: [us-east-1]
  approvers: { userGroups: [S0NETOPS] }
accounts:
  - id: "111122223333"
    name: prod
    roleArn: arn:aws:iam::111122223333:role/sgwhy-readonly
    externalId: ext-123
    executionRoleArn: arn:aws:iam::111122223333:role/sgwhy-execution
    approvers: { users: [U0ALICE, W0BOB], userGroups: [S0SEC] }
    twoPersonRule: true
  - id: "444455556666"
    name: dev
`;

describe('approval config', () => {
  it('reads execution roles, approvers (with defaults), the two-person rule and the expiry', () => {
    const c = parseConfigText(`${base}approvals:\n  expiryHours: 4\n`, 'test.yaml');
    expect(c.accounts[0]).toMatchObject({ executionRoleArn: 'arn:aws:iam::111122223333:role/sgwhy-execution', approvers: { users: ['U0ALICE', 'W0BOB'], userGroups: ['S0SEC'] }, twoPersonRule: true });
    expect(c.accounts[1]).toMatchObject({ approvers: { users: [], userGroups: ['S0NETOPS'] } });
    expect(c.accounts[1]!.executionRoleArn).toBeUndefined();
    const p = approvalPolicies(c);
    expect(p.get('111122223333')).toEqual({ accountId: '111122223333', approvers: { users: ['U0ALICE', 'W0BOB'], userGroups: ['S0SEC'] }, twoPersonRule: true,
      executionRoleArn: 'arn:aws:iam::111122223333:role/sgwhy-execution', externalId: 'ext-123' });
    expect(p.get('444455556666')).toEqual({ accountId: '444455556666', approvers: { users: [], userGroups: ['S0NETOPS'] }, twoPersonRule: false });
    expect(fixExpirySeconds(c)).toBe(4 * 3600);
    expect(fixExpirySeconds(parseConfigText(base, 'x'))).toBe(24 * 3600);
  });

  it('names every bad field at once', () => {
    const bad = base
      .replace('arn:aws:iam::111122223333:role/sgwhy-execution', 'arn:aws:iam::999999999999:role/x')
      .replace('U0ALICE', 'alice')
      .replace('S0SEC', '"#security"')
      .replace('twoPersonRule: true', 'twoPersonRule: "yes"');
    let msg = '';
    try {
      parseConfigText(`${bad}approvals:\n  expiryHours: -1\n`, 'bad.yaml');
    } catch (e) {
      msg = (e as Error).message;
    }
    for (const f of ['accounts[0].executionRoleArn', 'accounts[0].approvers.users[0]', 'accounts[0].approvers.userGroups[0]', 'accounts[0].twoPersonRule', 'approvals.expiryHours']) {
      expect(msg).toContain(f);
    }
    expect(() => parseConfigText(base.replace('sgwhy-execution', 'sgwhy-readonly'), 'x')).toThrow(/different role/);
  });
});
