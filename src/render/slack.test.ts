import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Answer } from '../answer/types.js';
import { ask } from '../engine/ask.js';
import { buildModel } from '../model/build.js';
import { parseQuestion } from '../question/parse.js';
import { readSnapshotDir } from '../snapshot/read.js';
import { escapeMrkdwn, LIMITS, renderSlack } from './slack.js';

async function incident(): Promise<Answer> {
  const { docs } = await readSnapshotDir(join(import.meta.dirname, '..', '..', 'examples', 'incident'));
  return ask(buildModel(docs), parseQuestion("why can't 10.0.2.100 reach 10.0.1.50:443"));
}

function withinLimits(m: ReturnType<typeof renderSlack>): void {
  expect(m.blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
  for (const b of m.blocks) {
    if (b.type === 'section') expect(b.text.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
    if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(LIMITS.headerText);
    if (b.type === 'context') expect(b.elements.length).toBeLessThanOrEqual(LIMITS.contextElements);
  }
  expect(m.text.length).toBeLessThanOrEqual(LIMITS.fallbackText);
}

describe('Slack Block Kit rendering', () => {
  it('shows the verdict, each blocker with its evidence and near misses, and each fix as a command', async () => {
    const a = await incident();
    const m = renderSlack(a);
    withinLimits(m);
    const all = JSON.stringify(m.blocks);
    expect(m.blocks[0]).toMatchObject({ type: 'header' });
    expect(m.text).toMatch(/^BLOCKED/);
    for (const b of a.blockers) expect(all).toContain(b.resourceId);
    for (const f of a.fixes) expect(all).toContain(f.operation === 'ModifyNetworkInterfaceAttribute' ? 'modify-network-interface-attribute' : 'create-network-acl-entry');
  });

  it('stays within Block Kit limits however large the answer', async () => {
    const a = await incident();
    const b0 = a.blockers[0]!;
    const huge: Answer = {
      ...a,
      summary: 'x'.repeat(10_000),
      blockers: Array.from({ length: 80 }, (_, i) => ({ ...b0, id: `B${i + 1}`, explanation: 'y'.repeat(5000) })),
      fixes: Array.from({ length: 80 }, (_, i) => ({ ...a.fixes[0]!, id: `F${i + 1}`, cli: `aws ec2 ${'z'.repeat(4000)}` })),
    };
    const m = renderSlack(huge);
    withinLimits(m);
    expect(JSON.stringify(m.blocks)).toContain('more items');
  });

  it('escapes names so AWS data cannot ping channels or forge links', async () => {
    const a = await incident();
    const evil = { ...a, blockers: a.blockers.map((b) => ({ ...b, resourceName: '<!channel> <https://evil|click>', explanation: 'a & b <@U123>' })) };
    const all = JSON.stringify(renderSlack(evil).blocks);
    expect(all).not.toContain('<!channel>');
    expect(all).not.toContain('<@U123>');
    expect(all).toContain('&lt;!channel&gt;');
    expect(escapeMrkdwn('a & <b>')).toBe('a &amp; &lt;b&gt;');
  });
});
