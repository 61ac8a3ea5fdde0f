// Validation of the plan view's messages, and of the chat's showPlan request.
import { describe, expect, it } from 'vitest';
import { parseWebviewMessage } from '../../../src/protocol/messages';
import { isNodeId, parsePlanViewMessage, planViewLimits } from '../../../src/protocol/planMessages';
import { ChatPlans, MAX_CHAT_PLANS } from '../../../src/vscode/plan/chatPlans';
import type { ExplainResult } from '../../../src/db/types';

describe('parsePlanViewMessage', () => {
  it('accepts ready and copy', () => {
    expect(parsePlanViewMessage({ type: 'ready' })).toEqual({ ok: true, message: { type: 'ready' } });
    expect(parsePlanViewMessage({ type: 'copy', text: 'CREATE INDEX …' })).toEqual({ ok: true, message: { type: 'copy', text: 'CREATE INDEX …' } });
  });

  it('rejects unknown types, extra keys, wrong types and oversized text', () => {
    for (const raw of [null, 'ready', [], { type: 'run' }, { type: 'ready', x: 1 }, { type: 'copy' }, { type: 'copy', text: 3 }, { type: 'copy', text: 'x', extra: true }, { type: 'copy', text: 'x'.repeat(planViewLimits.text + 1) }]) {
      expect(parsePlanViewMessage(raw).ok, JSON.stringify(raw)?.slice(0, 60)).toBe(false);
    }
  });
});

describe('showPlan from the chat', () => {
  it('needs a request id and takes an optional node id', () => {
    expect(parseWebviewMessage({ type: 'showPlan', requestId: 'h1' })).toEqual({ ok: true, message: { type: 'showPlan', requestId: 'h1' } });
    expect(parseWebviewMessage({ type: 'showPlan', requestId: 'h1', nodeId: '#12' }).ok).toBe(true);
    expect(parseWebviewMessage({ type: 'showPlan', requestId: 'h1', nodeId: '#0' }).ok).toBe(true);
    for (const raw of [{ type: 'showPlan' }, { type: 'showPlan', requestId: 'bad id' }, { type: 'showPlan', requestId: 'h1', nodeId: '12' }, { type: 'showPlan', requestId: 'h1', nodeId: '#1; drop' }, { type: 'showPlan', requestId: 'h1', nodeId: null }, { type: 'showPlan', requestId: 'h1', other: 1 }]) {
      expect(parseWebviewMessage(raw).ok, JSON.stringify(raw)).toBe(false);
    }
  });

  it('node ids look like the plan model writes them', () => {
    expect(['#0', '#1', '#10002'].every(isNodeId)).toBe(true);
    expect(['1', '#', '#-1', '#12345678', ' #1', 3].some(isNodeId)).toBe(false);
  });
});

describe('ChatPlans', () => {
  const result = (n: number): ExplainResult => ({ dialect: 'postgres', analyzed: false, rolledBack: true, planFormat: 'postgres-json', plan: [{ Plan: { 'Node Type': 'Result' } }], warnings: [], statement: `select ${n}` });

  it('keeps the most recent plans only', () => {
    const plans = new ChatPlans();
    for (let i = 0; i < MAX_CHAT_PLANS + 5; i++) plans.remember(`h${i}`, { result: result(i), findings: [] });
    expect(plans.get('h0')).toBeUndefined();
    expect(plans.get('h4')).toBeUndefined();
    expect(plans.get('h5')?.result.statement).toBe('select 5');
    expect(plans.get(`h${MAX_CHAT_PLANS + 4}`)).toBeDefined();
    plans.clear();
    expect(plans.get(`h${MAX_CHAT_PLANS + 4}`)).toBeUndefined();
  });

  it('offers Show plan only on turns whose plan it still has', () => {
    const plans = new ChatPlans();
    plans.remember('kept', { result: result(1), findings: [] });
    const shown = plans.offered([
      { requestId: 'kept', role: 'assistant', text: 'a', hasPlan: true },
      { requestId: 'gone', role: 'assistant', text: 'b', hasPlan: true },
      { requestId: 'none', role: 'assistant', text: 'c' },
    ]);
    expect(shown.map((e) => e.hasPlan)).toEqual([true, false, undefined]);
  });
});
