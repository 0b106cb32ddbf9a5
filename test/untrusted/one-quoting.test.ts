/**
 * One way to build a command: no source file pastes values into a command template. A string
 * literal that starts like a command sgwhy prints (aws …, nc, ss, dig, ping, sudo) and
 * interpolates a value is a command built by hand; use shellCommand([...]) from src/fix/shell.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', '..', 'src');
/** A template literal that begins with a printed command and interpolates something. */
const HAND_BUILT = /`(?:aws [a-z0-9-]+ [a-z0-9-]+|sudo |nc |ss |dig |ping )[^`]*\$\{/g;

function files(): string[] {
  return readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => join(SRC, f));
}

describe('every printed command goes through shellCommand', () => {
  it('no hand-built command templates in src/', () => {
    const found: string[] = [];
    for (const f of files()) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(HAND_BUILT)) found.push(`${f.slice(SRC.length + 1)}: ${m[0].slice(0, 80)}`);
    }
    expect(found).toEqual([]);
  });

  it('the check finds a hand-built command', () => {
    const sample = 'const missing = `aws ec2 describe-security-groups --group-ids ${id}`;';
    expect(sample.match(HAND_BUILT)).not.toBeNull();
  });
});
