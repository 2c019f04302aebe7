import { describe, expect, it } from 'vitest';
import { defaultProgressMode } from '../cli/printers.js';
import { relayLog } from './live.js';

describe('the progress mode', () => {
  it('is the TUI only on an interactive terminal outside CI', () => {
    const tty = { isTTY: true };
    expect(defaultProgressMode(tty, tty, {})).toBe('tui');
    expect(defaultProgressMode({ isTTY: false }, tty, {})).toBe('plain');
    expect(defaultProgressMode(tty, { isTTY: false }, {})).toBe('plain');
    expect(defaultProgressMode(tty, tty, { CI: 'true' })).toBe('plain');
    expect(defaultProgressMode(tty, tty, { CI: 'false' })).toBe('tui');
  });
});

describe('relayLog', () => {
  it('sends messages to wherever it points now, for holders of the old function too', () => {
    const a: string[] = [];
    const b: string[] = [];
    const relay = relayLog((m) => a.push(m));
    const held = relay.log;
    held('one');
    relay.to((m) => b.push(m));
    held('two');
    expect([a, b]).toEqual([['one'], ['two']]);
  });
});
