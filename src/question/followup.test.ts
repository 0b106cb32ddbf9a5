import { describe, expect, it } from 'vitest';
import { interpretFollowUp } from './followup.js';
import { parseQuestion } from './parse.js';

const prev = parseQuestion("why can't 10.0.2.100 reach 10.0.1.50:443");

const ask = (text: string) => {
  const f = interpretFollowUp(prev, text);
  if (f.kind !== 'ask') throw new Error(`expected a question for "${text}", got ${JSON.stringify(f)}`);
  return f;
};

describe('thread follow-ups', () => {
  it('changes the port and keeps the endpoints', () => {
    const f = ask('what about 5432?');
    expect(f.question).toMatchObject({ source: { value: '10.0.2.100' }, destination: { value: '10.0.1.50' }, protocol: 'tcp', port: 5432 });
    expect(f.changed).toContain('5432');
    expect(ask('<@U0BOT> port 8443').question.port).toBe(8443);
  });

  it('changes the protocol and port', () => {
    expect(ask('and udp/53').question).toMatchObject({ protocol: 'udp', port: 53 });
    expect(ask('what about ssh').question).toMatchObject({ protocol: 'tcp', port: 22, service: 'ssh' });
    expect(ask('and ping?').question).toMatchObject({ protocol: 'icmp' });
  });

  it('changes the source or the destination, keeping the flow', () => {
    const s = ask('from 10.0.3.7 instead');
    expect(s.question).toMatchObject({ source: { value: '10.0.3.7' }, destination: { value: '10.0.1.50' }, port: 443 });
    expect(s.changed).toBe('source 10.0.3.7');
    const d = ask('to i-0123456789abcdef0?');
    expect(d.question).toMatchObject({ source: { value: '10.0.2.100' }, destination: { kind: 'instance', value: 'i-0123456789abcdef0' }, port: 443 });
    expect(ask('what about 10.0.1.9 on 5432').question).toMatchObject({ destination: { value: '10.0.1.9' }, port: 5432 });
  });

  it('takes a whole new question as it is', () => {
    expect(ask('10.0.9.9 -> 10.0.1.50:22').question).toMatchObject({ source: { value: '10.0.9.9' }, port: 22 });
  });

  it('knows the thread commands', () => {
    for (const t of ['re-check', 'recheck', 'check again', 'Re-check!']) expect(interpretFollowUp(prev, t).kind).toBe('recheck');
    for (const t of ['show trace', 'full trace', 'trace']) expect(interpretFollowUp(prev, t).kind).toBe('trace');
    for (const t of ['flow logs', 'show flow logs', 'flowlogs']) expect(interpretFollowUp(prev, t).kind).toBe('flow-logs');
    expect(interpretFollowUp(prev, 'help').kind).toBe('help');
  });

  it('says when it does not understand, rather than guessing', () => {
    expect(interpretFollowUp(prev, 'thanks, that was it').kind).toBe('unclear');
    expect(interpretFollowUp(prev, 'what about 70000').kind).toBe('unclear');
    expect(interpretFollowUp(prev, '10.0.0.1 10.0.0.2 10.0.0.3').kind).toBe('unclear');
  });

  it('keeps IPv6 questions IPv6', () => {
    const p6 = parseQuestion('[2001:db8::1] -> [2001:db8::2]:443');
    const f = interpretFollowUp(p6, 'what about 22');
    expect(f).toMatchObject({ kind: 'ask', question: { source: { value: '2001:db8::1' }, destination: { value: '2001:db8::2' }, port: 22 } });
  });
});
