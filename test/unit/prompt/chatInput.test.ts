import { describe, expect, it } from 'vitest';
import { sqlFromPrompt, toFindingViews } from '../../../src/app/chatInput';

describe('sqlFromPrompt', () => {
  it('takes a fenced block as the SQL and the rest as the question', () => {
    expect(sqlFromPrompt('why is this slow?\n```sql\nselect * from t where a = 1;\n```\nthanks')).toEqual({ sql: 'select * from t where a = 1;', question: 'why is this slow?\n\nthanks' });
    expect(sqlFromPrompt('```\nselect 1\n```')).toEqual({ sql: 'select 1' });
  });
  it('treats a prompt that starts like SQL as SQL, anything else as a question', () => {
    expect(sqlFromPrompt('  WITH x AS (select 1) select * from x')).toEqual({ sql: 'WITH x AS (select 1) select * from x' });
    expect(sqlFromPrompt('selecting an index type?')).toEqual({ question: 'selecting an index type?' });
    expect(sqlFromPrompt('   ')).toEqual({});
  });
});

describe('toFindingViews', () => {
  it('numbers findings like the prompt and keeps where they point', () => {
    expect(
      toFindingViews([
        { rule: 'a', severity: 'critical', score: 5, message: 'm1', node: '#2', evidence: {} },
        { rule: 'b', severity: 'info', score: 1, message: 'm2', object: 'public.t', evidence: {} },
        { rule: 'c', severity: 'warning', score: 1, message: 'm3', evidence: {} },
      ]),
    ).toEqual([
      { id: 'F1', rule: 'a', severity: 'critical', message: 'm1', where: '#2' },
      { id: 'F2', rule: 'b', severity: 'info', message: 'm2', where: 'public.t' },
      { id: 'F3', rule: 'c', severity: 'warning', message: 'm3' },
    ]);
  });
});
