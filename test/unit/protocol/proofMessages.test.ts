// The proof messages from the webview are validated like every other: exact keys, known actions, bounded text.
import { describe, expect, it } from 'vitest';
import { limits, parseWebviewMessage } from '../../../src/protocol/messages';

describe('proof messages', () => {
  it('accepts Verify rewrite, Try index and Show diff', () => {
    expect(parseWebviewMessage({ type: 'proof', requestId: 'h1', action: 'verifyRewrite', text: 'SELECT 1' }).ok).toBe(true);
    expect(parseWebviewMessage({ type: 'proof', requestId: 'h1', action: 'tryIndex', text: 'CREATE INDEX ON t (a)' }).ok).toBe(true);
    expect(parseWebviewMessage({ type: 'showProofDiff', cardId: 'p1a' }).ok).toBe(true);
  });

  it('rejects unknown actions, extra keys, empty or oversized text and bad ids', () => {
    const bad: unknown[] = [
      { type: 'proof', requestId: 'h1', action: 'runAnything', text: 'SELECT 1' },
      { type: 'proof', requestId: 'h1', action: 'tryIndex', text: '  ' },
      { type: 'proof', requestId: 'h1', action: 'tryIndex', text: 'x'.repeat(limits.text + 1) },
      { type: 'proof', requestId: 'h 1', action: 'tryIndex', text: 'CREATE INDEX ON t (a)' },
      { type: 'proof', requestId: 'h1', action: 'tryIndex', text: 'CREATE INDEX ON t (a)', sql: 'DROP TABLE t' },
      { type: 'showProofDiff', cardId: '../x' },
      { type: 'showProofDiff' },
    ];
    for (const m of bad) expect(parseWebviewMessage(m).ok, JSON.stringify(m).slice(0, 80)).toBe(false);
  });
});
