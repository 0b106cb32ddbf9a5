import { describe, expect, it } from 'vitest';
import { jsonLog } from './logger.js';

describe('jsonLog', () => {
  it('formats Bolt\'s messages only at a level that shows them (Bolt logs at debug on every request)', () => {
    const lines: string[] = [];
    const log = jsonLog({ level: 'info', write: (l) => lines.push(l) });
    let formatted = 0;
    const costly = { toJSON: () => { formatted++; return 'body'; } };
    log.bolt.debug('request', costly);
    expect(formatted).toBe(0);
    expect(lines).toHaveLength(0);
    log.bolt.warn('slow', costly);
    expect(formatted).toBe(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'warn', event: 'bolt', msg: 'slow "body"' });
  });

  it('redacts tokens and secrets in every field', () => {
    const lines: string[] = [];
    const log = jsonLog({ level: 'debug', write: (l) => lines.push(l), secrets: ['signing-secret-123'] });
    log.event('message', { question: 'xoxb-1234-abcd and signing-secret-123' });
    log.bolt.debug('token xapp-1-XYZ');
    expect(lines.join('')).not.toMatch(/xoxb-1234|xapp-1-XYZ|signing-secret-123/);
    expect(lines.join('')).toContain('[redacted]');
  });
});
