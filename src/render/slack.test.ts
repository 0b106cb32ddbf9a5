import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Answer } from '../answer/types.js';
import { ask } from '../engine/ask.js';
import { buildModel } from '../model/build.js';
import { parseQuestion } from '../question/parse.js';
import { readSnapshotDir } from '../snapshot/read.js';
import { ACTION, hopChain, renderSlack, renderSlackAnswer } from './slack.js';
import { LIMITS, untrusted, type Block, type SlackMessage } from './slack-blocks.js';

async function incident(): Promise<Answer> {
  const { docs } = await readSnapshotDir(join(import.meta.dirname, '..', '..', 'examples', 'incident'));
  return ask(buildModel(docs), parseQuestion("why can't 10.0.2.100 reach 10.0.1.50:443"));
}

const texts = (b: Block): string[] => {
  switch (b.type) {
    case 'header': case 'section': return [b.text.text];
    case 'context': return b.elements.map((e) => e.text);
    case 'rich_text': return b.elements.flatMap((e) => e.elements.map((t) => t.text));
    case 'actions': return b.elements.flatMap((e) => [e.text.text, e.value ?? '', e.action_id]);
    default: return [];
  }
};
const preformattedTexts = (m: SlackMessage) => m.blocks.flatMap((b) => (b.type === 'rich_text' ? b.elements.flatMap((e) => e.elements.map((t) => t.text)) : []));

function withinLimits(m: SlackMessage): void {
  expect(m.blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
  let chars = 0;
  const ids = new Set<string>();
  for (const b of m.blocks) {
    if (b.type === 'section') expect(b.text.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
    if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(LIMITS.headerText);
    if (b.type === 'context') expect(b.elements.length).toBeLessThanOrEqual(LIMITS.contextElements);
    if (b.type === 'actions') {
      expect(b.elements.length).toBeLessThanOrEqual(LIMITS.actionsElements);
      for (const e of b.elements) {
        expect(ids.has(e.action_id), `duplicate action_id ${e.action_id}`).toBe(false);
        ids.add(e.action_id);
        expect(e.text.text.length).toBeLessThanOrEqual(LIMITS.buttonText);
      }
    }
    chars += texts(b).join('').length;
  }
  expect(chars).toBeLessThanOrEqual(LIMITS.messageChars + 2000);
  expect(m.text.length).toBeLessThanOrEqual(LIMITS.fallbackText);
}

describe('Slack Block Kit rendering', () => {
  it('shows the verdict, the path with the blocking hop marked, each blocker, each fix verbatim, and the buttons', async () => {
    const a = await incident();
    const { messages, snippets } = renderSlackAnswer(a, { requestId: 'r-test', dataNote: 'snapshot examples/incident' });
    expect(messages).toHaveLength(1);
    expect(snippets).toHaveLength(0);
    const m = messages[0]!;
    withinLimits(m);
    expect(m.blocks[0]).toMatchObject({ type: 'header', text: { text: expect.stringContaining('BLOCKED · 10.0.2.100 → 10.0.1.50 tcp/443') } });
    const all = m.blocks.flatMap(texts).join('\n');
    for (const b of a.blockers) expect(all).toContain(b.resourceId);
    for (const f of a.fixes) expect(preformattedTexts(m)).toContain(f.cli);
    expect(all).toContain('request r-test');
    const chain = hopChain(a.hops);
    const blocking = a.hops.filter((h) => h.decision === 'deny');
    expect(blocking.length).toBeGreaterThan(0);
    expect(chain).toMatch(/\*[^*]+ ✗\*/);
    const actionIds = m.blocks.flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => e.action_id) : []));
    expect(actionIds).toEqual(expect.arrayContaining([ACTION.recheck, ACTION.trace, ...a.fixes.map((f) => `${ACTION.approve}:${f.id}`)]));
    expect(actionIds).not.toContain(ACTION.flowLogs);
    expect(renderSlackAnswer(a, { flowLogs: true }).messages[0]!.blocks.flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => e.action_id) : []))).toContain(ACTION.flowLogs);
    expect(renderSlack(a, { interactive: false }).blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('splits a huge answer across messages within every limit, losing nothing, and sends over-long commands as snippets', async () => {
    const a = await incident();
    const b0 = a.blockers[0]!;
    const f0 = a.fixes[0]!;
    const huge: Answer = {
      ...a,
      summary: 'x'.repeat(10_000),
      blockers: Array.from({ length: 80 }, (_, i) => ({ ...b0, id: `B${i + 1}`, resourceId: `sg-${String(i).padStart(17, '0')}`, explanation: 'y'.repeat(5000) })),
      fixes: Array.from({ length: 30 }, (_, i) => ({ ...f0, id: `F${i + 1}`, cli: i % 2 ? `aws ec2 describe-vpcs --vpc-ids vpc-${i}` : `aws ec2 ${'z'.repeat(4000)} # ${i}` })),
    };
    const { messages, snippets } = renderSlackAnswer(huge);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) withinLimits(m);
    const all = messages.flatMap((m) => m.blocks.flatMap(texts)).join('\n');
    for (const b of huge.blockers) expect(all).toContain(b.resourceId);
    for (const f of huge.fixes) {
      if (f.cli.length > LIMITS.preformatted) expect(snippets.find((s) => s.filename === `sgwhy-${f.id}.sh`)?.content).toBe(`${f.cli}\n`);
      else expect(messages.flatMap(preformattedTexts)).toContain(f.cli);
    }
    expect(messages[0]!.blocks.some((b) => b.type === 'actions')).toBe(true);
  });

  it('shows commands byte for byte and lets no AWS text mention, ping or link', async () => {
    const a = await incident();
    const cli = "aws ec2 authorize-security-group-ingress --group-id sg-1 --description 'a `whoami` $(id) & <b> \"q\"'";
    const evil: Answer = {
      ...a,
      blockers: a.blockers.map((b) => ({ ...b, resourceName: '<!channel> <https://evil.example|click> @here', explanation: 'a & b <@U123> https://evil.example/x' })),
      fixes: a.fixes.map((f) => ({ ...f, title: '<!everyone> fix', cli })),
    };
    const m = renderSlack(evil);
    const mrkdwn = m.blocks.flatMap((b) => (b.type === 'rich_text' ? [] : texts(b))).join('\n') + m.text;
    expect(mrkdwn).not.toMatch(/<[!@#]|<https?:/);
    expect(mrkdwn).not.toMatch(/https:\/\/evil/);
    expect(mrkdwn).not.toMatch(/@here/);
    expect(preformattedTexts(m)).toContain(cli);
    expect(untrusted('a & <b>')).toBe('a &amp; &lt;b&gt;');
  });
});

describe('answers with several parts', () => {
  it('lists each interface with its verdict, and says how the question was read', async () => {
    const root = join(import.meta.dirname, '..', '..', 'test', 'scenarios', 'multi-eni-by-name');
    const { docs } = await readSnapshotDir(join(root, 'snapshot'));
    const a = ask(buildModel(docs), parseQuestion("why can't web-1 reach app-1:443"));
    expect(a.parts?.length).toBeGreaterThan(1);
    const all = renderSlack(a).blocks.flatMap(texts).join('\n');
    expect(all).toContain('*Per part*');
    for (const p of a.parts!) expect(all).toContain(`*${p.verdict}*`);
    expect(all).toMatch(/✅[^\n]*reachable/);
    expect(all).toMatch(/⛔[^\n]*blocked/);
  });
});
