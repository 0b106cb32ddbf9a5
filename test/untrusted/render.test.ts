/**
 * Renderers on hostile strings (fast-check and the poisoned corpus): the terminal never receives a
 * control, bidi or invisible character from AWS text, nor a fake verdict line; JSON round-trips
 * and carries no terminal-active character raw; Slack text from AWS never yields a mention, a
 * channel link or a link, and every command in a Slack code block is exactly the command.
 * Also the question parser on arbitrary text (a typed error or a question, never a crash).
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../src/answer/types.js';
import { isSgwhyError } from '../../src/errors/errors.js';
import { parseQuestion } from '../../src/question/parse.js';
import { escapeTerminal, slackCode, slackCodeVerbatim, slackDisplayed, slackText, terminalSafe } from '../../src/render/escape.js';
import { renderJson } from '../../src/render/json.js';
import { renderSlack } from '../../src/render/slack.js';
import { renderText } from '../../src/render/text.js';
import { readSnapshotDir } from '../../src/snapshot/read.js';
import { loadScenarios } from '../support/scenarios.js';
import { commandsOf, poisoner } from './poison.js';

/** Anything a terminal could act on, or that hides or reorders text. */
const TERMINAL_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/u;
const SLACK_MARKUP = ['<!channel', '<!here', '<!everyone', '<!subteam', '<@U0EVIL', '<#C0EVIL', '<http://evil', '<https://evil', '<mailto:'];

const HOSTILE = [
  '\u001b[2J\u001b[HREACHABLE  all good', 'name\nREACHABLE  fake verdict', '\u0007bell', '\u009b31mC1 CSI', 'evil\u202etxt.exe', '\u2066iso\u2069',
  'zero\u200bwidth', '<!channel> wake up', '<@U0EVIL> ping', '<#C0EVIL|general>', '<http://evil.example|click>', '<https://evil.example>',
  'see https://evil.example/x', 'evil.example.com', '@channel @here @everyone', '`code` ```block```', '*bold* _it_ ~s~', '&amp; &lt;', 'back\\slash \\n',
  '\r\u0000nul', '\u2028line\u2029para', '\ufeffbom',
];

let n = 0;
const hostile = () => HOSTILE[n++ % HOSTILE.length]!;
const { poisonedAnswer } = poisoner(hostile);





/** Every string an answer shows that may carry AWS text, to replace with fuzz. */
function withStrings(a: Answer, s: () => string): Answer {
  const b = structuredClone(a);
  b.summary = s();
  if (b.endpoints.source) b.endpoints.source.name = s();
  if (b.endpoints.destination) b.endpoints.destination.name = s();
  for (const x of b.blockers) {
    x.resourceName = s();
    x.explanation = s();
    if (x.evidence.decidingRule) x.evidence.decidingRule.text = s();
    for (const r of x.evidence.evaluated) (r as { description?: string }).description = s();
  }
  for (const m of b.nearMisses) m.message = s();
  for (const u of b.unknowns) u.message = s();
  for (const h of b.hops) h.detail = s();
  for (const f of b.fixes) {
    f.title = s();
    f.notes = [s()];
  }
  b.warnings = [s()];
  return b;
}

/** Every "text" string in a Slack message (blocks, elements, fallback). */
function slackTexts(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => slackTexts(x, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'text' && typeof x === 'string') out.push(x);
      else slackTexts(x, out);
    }
  }
  return out;
}

const answers: Answer[] = [];
/** The same corpus poisoned without backticks (see the Slack code-block tests). */
const answersNoBacktick: Answer[] = [];
beforeAll(async () => {
  for (const s of loadScenarios()) {
    const { docs } = await readSnapshotDir(join(s.dir, 'snapshot'));
    for (const [list, strip] of [[answers, false], [answersNoBacktick, true]] as const) {
      list.push(poisonedAnswer(docs, s.question, strip ? (d) => { d.data = JSON.parse(JSON.stringify(d.data).replace(/`/g, "'")); } : () => {}));
    }
  }
});

/** The text of every rich_text_preformatted element (shown literally by Slack). */
function preformattedTexts(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => preformattedTexts(x, out));
  else if (v && typeof v === 'object') {
    const o = v as { type?: string; elements?: Array<{ text?: string }> };
    if (o.type === 'rich_text_preformatted') out.push((o.elements ?? []).map((e) => e.text ?? '').join(''));
    else for (const x of Object.values(o)) preformattedTexts(x, out);
  }
  return out;
}

let codeBlocksSeen = 0;
/** Every ``` block and every preformatted element of the message shows exactly one command of the answer. */
function codeBlocksAreCommands(a: Answer): void {
  const commands = new Set(commandsOf(a));
  const msg = renderSlack(a);
  for (const t of slackTexts(msg)) {
    for (const [, body] of t.matchAll(/```\n?([\s\S]*?)\n?```/g)) {
      codeBlocksSeen++;
      expect(commands.has(slackDisplayed(body!)), `code block is not a command of the answer:\n${body}\nin: ${t.slice(0, 300)}`).toBe(true);
    }
  }
  // A preformatted block may list several commands, one after the other: each line is a line of a command, unaltered.
  const lines = new Set([...commands].flatMap((c) => c.split('\n')));
  const blocks = preformattedTexts(msg);
  for (const body of blocks) {
    codeBlocksSeen++;
    for (const line of body.split('\n')) expect(lines.has(line), `preformatted line is not a line of a command of the answer:\n${line}`).toBe(true);
  }
  for (const f of a.fixes) if (f.cli.length <= 2900) expect(blocks.some((b) => b.includes(f.cli)), `fix ${f.id} not shown verbatim:\n${f.cli}`).toBe(true);
}

describe('escapeTerminal', () => {
  it('shows control, bidi and invisible characters as escapes, and leaves other text alone', () => {
    expect(escapeTerminal('a\u001b[2Jb\nc\td\u0007\u009b\u202e\\')).toBe('a\\e[2Jb\\nc\\td\\x07\\x9b\\u{202e}\\\\');
    expect(escapeTerminal('web-1 (payments) é漢字🙂')).toBe('web-1 (payments) é漢字🙂');
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (s) => {
      expect(escapeTerminal(s)).not.toMatch(TERMINAL_UNSAFE);
      expect(escapeTerminal(s)).not.toContain('\n');
    }), { numRuns: 500 });
  });

  it('is unambiguous: different strings stay different', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 20 }), (a, b) => {
      if (a !== b) expect(escapeTerminal(a)).not.toBe(escapeTerminal(b));
    }), { numRuns: 500 });
  });
});

describe('Slack helpers', () => {
  it('slackText never yields a mention, a channel link or a link', () => {
    for (const h of HOSTILE) for (const m of SLACK_MARKUP) expect(slackText(h)).not.toContain(m);
    expect(slackText('<!channel> & @here https://evil.example')).not.toMatch(/<|>|@here|https:\/\/|evil\.example/);
    expect(slackText('10.0.1.50')).toBe('10.0.1.50');
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
      const t = slackText(s);
      expect(t).not.toMatch(/[<>`]/);
      expect(t).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/u); // U+2060 (word joiner) is slackText's own
      expect(t).not.toMatch(/@(channel|here|everyone)\b/i);
      expect(t).not.toMatch(/:\/\//);
    }), { numRuns: 400 });
  });

  it('a command is shown in a code block only when Slack displays it byte for byte', () => {
    const cli = `aws ec2 authorize-security-group-ingress --group-id sg-1 --ip-permissions '[{"IpProtocol":"tcp","IpRanges":[{"CidrIp":"10.0.2.100/32","Description":"a & <b>"}]}]'`;
    expect(slackCodeVerbatim(cli)).toBe(true);
    expect(slackDisplayed(slackCode(cli))).toBe(cli);
    expect(slackCodeVerbatim("echo '`id`'")).toBe(false);
    expect(slackCodeVerbatim("echo 'a\u202eb'")).toBe(false);
    expect(slackCodeVerbatim('G=$(aws ec2 create-security-group --query GroupId --output text)\naws ec2 x --group-id "$G"')).toBe(true);
    expect(() => slackCode('a`b')).toThrow();
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (s) => {
      if (slackCodeVerbatim(s)) expect(slackDisplayed(slackCode(s))).toBe(s);
    }), { numRuns: 400 });
  });
});

describe('renderers on the poisoned corpus', () => {
  it('text: no unsafe character, no fake verdict line, every command verbatim', () => {
    expect(answers.length).toBeGreaterThan(20);
    for (const a of answers) {
      for (const color of [false, true]) {
        const out = renderText(a, { color });
        const plain = color ? out.replace(/\u001b\[[0-9;]*m/g, '') : out;
        expect(plain).not.toMatch(TERMINAL_UNSAFE);
        expect(plain.split('\n').slice(1).filter((l) => /^\s*(REACHABLE|BLOCKED|UNKNOWN)\b/.test(l))).toEqual([]);
        for (const c of commandsOf(a)) if (terminalSafe(c)) for (const line of c.split('\n')) expect(plain).toContain(line);
      }
    }
  });

  it('json: the same value back, nothing terminal-active raw', () => {
    for (const a of answers) {
      const out = renderJson(a);
      expect(out).not.toMatch(/[\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufeff]/u);
      expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(a)));
    }
  });

  it('slack: no mention, channel link or link from AWS text', () => {
    for (const a of answers) {
      for (const t of slackTexts(renderSlack(a))) for (const m of SLACK_MARKUP) expect(t, `${m} in ${t.slice(0, 200)}`).not.toContain(m);
    }
  });

  it('slack: every code block is exactly a command of the answer (AWS text without backticks)', () => {
    expect(answersNoBacktick.some((a) => a.fixes.length > 0)).toBe(true);
    codeBlocksSeen = 0;
    for (const a of answersNoBacktick) codeBlocksAreCommands(a);
    expect(codeBlocksSeen).toBeGreaterThan(10);
  });

  // A Name tag such as "n ```block``` m" must not open a code block inside an explanation.
  it('slack: AWS text with backticks cannot make a code block of its own', () => {
    for (const a of answers) codeBlocksAreCommands(a);
  });
});

describe('renderers on arbitrary strings (fast-check)', () => {
  const anyString = fc.string({ unit: 'binary', maxLength: 40 });

  it('text and json', () => {
    const base = answers.filter((a) => a.blockers.length > 0).slice(0, 5);
    fc.assert(fc.property(fc.nat(), fc.array(anyString, { minLength: 1, maxLength: 8 }), (i, pool) => {
      let k = 0;
      const a = withStrings(base[i % base.length]!, () => pool[k++ % pool.length]!);
      const text = renderText(a, { color: false });
      expect(text).not.toMatch(TERMINAL_UNSAFE);
      expect(text.split('\n').slice(1).filter((l) => /^(REACHABLE|BLOCKED|UNKNOWN)\b/.test(l))).toEqual([]);
      expect(JSON.parse(renderJson(a))).toEqual(JSON.parse(JSON.stringify(a)));
    }), { numRuns: 150 });
  });

  it('slack', () => {
    const base = answers.filter((a) => a.blockers.length > 0).slice(0, 5);
    const marked = fc.tuple(anyString, fc.constantFrom(...SLACK_MARKUP), anyString).map(([a, m, b]) => `${a}${m}>${b}`);
    fc.assert(fc.property(fc.nat(), fc.array(fc.oneof(anyString, marked), { minLength: 1, maxLength: 8 }), (i, pool) => {
      let k = 0;
      const a = withStrings(base[i % base.length]!, () => pool[k++ % pool.length]!);
      for (const t of slackTexts(renderSlack(a))) for (const m of SLACK_MARKUP) expect(t).not.toContain(m);
    }), { numRuns: 100 });
  });
});

describe('question parser (fast-check)', () => {
  it('arbitrary text is a question or a typed error, never a crash', () => {
    const words = fc.constantFrom('why', "can't", 'reach', 'from', 'to', 'port', '10.0.1.50', '10.0.2.100', ':443', '->', 'i-0abc', 'eni-1', '/udp', 'ssh', '::1', '999999', '-1');
    fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 120 }), fc.array(words, { maxLength: 12 }).map((w) => w.join(' '))), (q) => {
      try {
        parseQuestion(q);
      } catch (e) {
        expect(isSgwhyError(e), `${String(e)} for ${JSON.stringify(q)}`).toBe(true);
      }
    }), { numRuns: 600 });
  });
});
