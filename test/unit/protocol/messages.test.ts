import { describe, expect, it } from 'vitest';
import { isAllowedLink, limits, newRequestId, parseWebviewMessage } from '../../../src/protocol/messages';

describe('parseWebviewMessage accepts every well-formed message', () => {
  const valid: unknown[] = [
    { type: 'ready' },
    { type: 'newChat' },
    { type: 'setApiKey' },
    { type: 'send', requestId: 'w1abc', text: 'why is it slow?' },
    { type: 'cancel', requestId: 'w1abc' },
    { type: 'selectPersona', name: 'the-data-engineer' },
    { type: 'selectConnection', name: 'local pg' },
    { type: 'selectConnection', name: null },
    { type: 'copyCode', text: 'select 1;' },
    { type: 'insertCode', requestId: 'h-9', text: 'create index …' },
    { type: 'replaceStatement', requestId: 'h_9', text: '' },
    { type: 'openLink', href: 'https://www.postgresql.org/docs/current/using-explain.html' },
    { type: 'openLink', href: 'mailto:dba@example.com' },
    { type: 'applyEdit', requestId: 'w1abc', editId: 'toolu_01AbC' },
    { type: 'rejectEdit', requestId: 'h-9', editId: 'toolu_2' },
  ];
  for (const m of valid) {
    it(JSON.stringify(m), () => {
      const r = parseWebviewMessage(m);
      expect(r).toEqual({ ok: true, message: m });
    });
  }
});

describe('parseWebviewMessage rejects everything else with a reason', () => {
  const invalid: [unknown, RegExp][] = [
    [null, /not an object/],
    ['ready', /not an object/],
    [[{ type: 'ready' }], /not an object/],
    [{}, /unknown message type/],
    [{ type: 'eval', code: 'x' }, /unknown message type/],
    [{ type: 'ready', extra: 1 }, /unexpected keys/],
    [{ type: 'send', requestId: 'w1', text: '   ' }, /non-empty text/],
    [{ type: 'send', requestId: 'w1' }, /non-empty text/],
    [{ type: 'send', requestId: '../etc', text: 'x' }, /requestId/],
    [{ type: 'send', requestId: 'x'.repeat(65), text: 'x' }, /requestId/],
    [{ type: 'send', requestId: 'w1', text: 'x'.repeat(limits.text + 1) }, /non-empty text/],
    [{ type: 'send', requestId: 'w1', text: 'x', apiKey: 'sk' }, /unexpected keys/],
    [{ type: 'cancel', requestId: 7 }, /requestId/],
    [{ type: 'selectPersona', name: '' }, /needs a name/],
    [{ type: 'selectConnection' }, /needs a name or null/],
    [{ type: 'copyCode', text: 42 }, /needs text/],
    [{ type: 'insertCode', text: 'x' }, /requestId/],
    [{ type: 'openLink', href: 'javascript:alert(1)' }, /only http/],
    [{ type: 'openLink', href: 'command:workbench.action.terminal.new' }, /only http/],
    [{ type: 'openLink', href: 'file:///etc/passwd' }, /only http/],
    [{ type: 'openLink', href: 'vscode://settings' }, /only http/],
    [{ type: 'openLink', href: 'not a url' }, /only http/],
    [{ type: 'applyEdit', requestId: 'w1' }, /editId/],
    [{ type: 'applyEdit', requestId: 'w1', editId: '../x' }, /editId/],
    [{ type: 'rejectEdit', requestId: 'w1', editId: 't', path: '/etc/passwd' }, /unexpected keys/],
  ];
  for (const [m, why] of invalid) {
    it(JSON.stringify(m)?.slice(0, 80) ?? String(m), () => {
      const r = parseWebviewMessage(m);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(why);
    });
  }
});

describe('helpers', () => {
  it('isAllowedLink allows only http, https and mailto', () => {
    expect(['http://a.b', 'https://a.b/x?y#z', 'mailto:x@y.z'].every(isAllowedLink)).toBe(true);
    expect(['data:text/html,x', 'vbscript:x', 'JaVaScRiPt:x', ' javascript:x', '//evil.com'].some(isAllowedLink)).toBe(false);
  });
  it('request ids are valid for the validator and distinct', () => {
    const ids = new Set(Array.from({ length: 100 }, () => newRequestId('w')));
    expect(ids.size).toBe(100);
    for (const i of ids) expect(parseWebviewMessage({ type: 'cancel', requestId: i }).ok).toBe(true);
  });
});
