import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MemoryKv } from '../store/kv.js';
import { ThreadStore, threadKey, withTurn, turnFor, MAX_TURNS, type ThreadState, type Turn } from './thread-state.js';

const turn = (ts: string): Turn => ({
  messageTs: ts, requestId: 'r1', askedBy: 'U1', dataNote: 'snapshot', at: 1, fixes: [],
  question: { source: { kind: 'ip', value: '10.0.0.1' }, destination: { kind: 'ip', value: '10.0.0.2' }, protocol: 'tcp', port: 443, text: 'q' },
  answer: { verdict: 'blocked', hops: [], blockers: [], fixes: [] } as unknown as Turn['answer'],
});
const state = (): ThreadState => ({ v: 1, channel: 'C1', threadTs: '1.1', requester: 'U1', turns: [turn('1.2')], updatedAt: 1 });

describe('thread state', () => {
  it('round-trips through the store, keyed by channel and thread', async () => {
    const kv = new MemoryKv(() => 0);
    const store = new ThreadStore(kv, 60_000);
    await store.put(state());
    expect(await store.get('C1', '1.1')).toEqual(state());
    expect(await store.get('C1', '9.9')).toBeNull();
  });

  it('treats a corrupt, truncated or foreign value as absent and reports it', async () => {
    const kv = new MemoryKv(() => 0);
    const seen: string[] = [];
    const store = new ThreadStore(kv, 60_000, (k, why) => seen.push(`${k}: ${why}`));
    const bad: Array<Buffer | string> = [
      'not gzip', gzipSync('{"v":1'), gzipSync(JSON.stringify({ ...state(), v: 2 })), gzipSync(JSON.stringify({ ...state(), channel: 'C2' })),
      gzipSync(JSON.stringify({ ...state(), turns: [{ ...turn('1.2'), question: null }] })), gzipSync(JSON.stringify({ ...state(), turns: Array(MAX_TURNS + 1).fill(turn('1.2')) })),
      gzipSync('null'), gzipSync('[]'),
    ];
    for (const v of bad) {
      await kv.set(threadKey('C1', '1.1'), v, 60_000);
      expect(await store.get('C1', '1.1')).toBeNull();
    }
    expect(seen).toHaveLength(bad.length);
  });

  it('keeps the last turns and finds the one a button belongs to', () => {
    let s = state();
    for (let i = 3; i < 10; i++) s = withTurn(s, turn(`1.${i}`), i);
    expect(s.turns).toHaveLength(MAX_TURNS);
    expect(turnFor(s, '1.7')?.messageTs).toBe('1.7');
    expect(turnFor(s, '1.2')?.messageTs).toBe('1.9'); // gone: the latest
  });
});
