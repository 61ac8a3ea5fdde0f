import { describe, expect, it } from 'vitest';
import { sqlFromPrompt } from '../../../src/app/chatInput';

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
