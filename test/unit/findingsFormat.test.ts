// The one findings formatter: every face numbers findings the same way and shows the same text.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/findings';
import { findingMessage, formatFindings, toFindingViews } from '../../src/core/findingsFormat';

const findings: Finding[] = [
  { rule: 'a', severity: 'critical', score: 5, message: 'm1', node: '#2', fix: 'CREATE INDEX ON t (x);', evidence: { rows: 10, note: null } },
  { rule: 'b', severity: 'info', score: 1, message: 'm2', object: 'public.t', evidence: {} },
  { rule: 'c', severity: 'warning', score: 1, message: 'm3', evidence: {} },
];

describe('toFindingViews', () => {
  it('numbers findings like the prompt and keeps where they point, the plan node and the fix', () => {
    expect(toFindingViews(findings)).toEqual([
      { id: 'F1', rule: 'a', severity: 'critical', message: 'm1', where: '#2', node: '#2', fix: 'CREATE INDEX ON t (x);' },
      { id: 'F2', rule: 'b', severity: 'info', message: 'm2', where: 'public.t' },
      { id: 'F3', rule: 'c', severity: 'warning', message: 'm3' },
    ]);
  });
});

describe('formatFindings', () => {
  it('prompt style: id, severity, rule, place, score, message and fix', () => {
    expect(formatFindings(findings, 'prompt')).toBe(
      '[F1] critical a at #2 (score 5): m1\n  suggested fix: CREATE INDEX ON t (x);\n[F2] info b on public.t (score 1): m2\n[F3] warning c (score 1): m3',
    );
  });

  it('terminal style aligns the severity and leaves out the score', () => {
    expect(formatFindings(findings.slice(0, 1), 'terminal')).toBe('  [F1] critical a at #2: m1\n           fix: CREATE INDEX ON t (x);');
  });

  it('evidence is appended without null values, and scrub rewrites messages and evidence strings', () => {
    const f: Finding = { rule: 'r', severity: 'warning', score: 2, message: "x = 'secret'", evidence: { cond: "x = 'secret'", rows: 3, none: null } };
    const out = formatFindings([f], 'prompt', { evidence: true, scrub: (s) => s.replace(/'[^']*'/g, "'?'") });
    expect(out).toBe("[F1] warning r (score 2): x = '?' (cond=x = '?', rows=3)");
  });

  it('markdown style escapes database text so it cannot form links, HTML or emphasis', () => {
    const hostile: Finding = { rule: 'r`x', severity: 'warning', score: 1, message: '<img src=x> [a](javascript:1) *b*', object: 'public."we`ird"', evidence: {} };
    const md = formatFindings([hostile], 'markdown');
    expect(md).toContain('\\<img src=x\\> \\[a\\](javascript:1) \\*b\\*');
    expect(md).toContain('`` r`x ``');
    expect(md).not.toMatch(/[^\\]<img/);
  });

  it('continues numbering from firstIndex and says when there is nothing', () => {
    expect(formatFindings(findings.slice(2), 'prompt', { firstIndex: 2 })).toMatch(/^\[F3\]/);
    expect(formatFindings([], 'prompt')).toBe('No findings: the rules found nothing notable.');
  });

  it('a single finding as a plain message puts the fix on its own line', () => {
    expect(findingMessage(findings[0]!)).toBe('m1\nFix: CREATE INDEX ON t (x);');
    expect(findingMessage(findings[1]!)).toBe('m2');
  });
});
