import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SnapshotSource } from '../bot/answer-source.js';
import type { SlackPoster } from '../bot/poster.js';
import { ThreadStore } from '../bot/thread-state.js';
import { MemoryKv } from '../store/kv.js';
import { InlineRunner } from './runner.js';
import type { Wired } from './wiring.js';

const INCIDENT = join(import.meta.dirname, '..', '..', 'examples', 'incident');

/** A poster that answers at once (no I/O at all: a job would otherwise run start to end in one go). */
function recordingPoster(events: string[]): SlackPoster {
  let n = 0;
  return {
    post: async (channel, msg) => {
      events.push(`${msg.text.includes('Investigating') ? 'investigating' : 'post'} ${channel}`);
      return `1.${++n}`;
    },
    update: async (channel) => { events.push(`verdict ${channel}`); },
    ephemeral: async (channel) => { events.push(`ephemeral ${channel}`); },
    upload: async () => {},
  };
}

describe('InlineRunner', () => {
  it('posts "Investigating…" for every question waiting before answering any: answers are the heavy step, one per event-loop turn', async () => {
    const events: string[] = [];
    const kv = new MemoryKv(Date.now);
    const source = await SnapshotSource.load(INCIDENT, 'incident');
    const wired: Wired = {
      deps: { source, threads: new ThreadStore(kv, 60_000), kv, poster: recordingPoster(events), log: () => {}, now: Date.now },
      kvHealth: () => ({ state: 'memory' }),
      ready: async () => ({ ok: true, redis: 'memory', source: 'incident' }),
      close: async () => {},
    };
    const runner = new InlineRunner(wired, () => {});
    for (let i = 0; i < 8; i++) {
      runner.dispatch({ kind: 'message', input: { requestId: `r${i}`, userId: 'U1', channel: `C${i}`, text: "why can't 10.0.2.100 reach 10.0.1.50:443", via: 'command', deliveryId: `t${i}` } });
    }
    expect(await runner.drain(5000)).toBe(0);
    const investigating = events.flatMap((e, i) => (e.startsWith('investigating') ? [i] : []));
    const verdicts = events.flatMap((e, i) => (e.startsWith('verdict') ? [i] : []));
    expect(investigating).toHaveLength(8);
    expect(verdicts).toHaveLength(8);
    // Every "Investigating…" went out before the first verdict; verdicts come in the order asked.
    expect(Math.max(...investigating)).toBeLessThan(Math.min(...verdicts));
    expect(verdicts.map((i) => events[i])).toEqual(Array.from({ length: 8 }, (_, i) => `verdict C${i}`));
  });
});
