import { describe, expect, it } from 'vitest';
import { externalDefinitions, mcpConnectionName, passwordEnvVar, toolConfirmation } from '../../../src/core/tools/externalFaces';

describe('the tools as other agents see them', () => {
  it('database tools take an optional connection; analyze_plan and list_connections do not', () => {
    const defs = externalDefinitions('which database');
    expect(defs.map((d) => d.name)).toEqual(['explain_query', 'describe_table', 'review_schema', 'what_if_index', 'compare_results', 'analyze_plan', 'list_connections']);
    for (const d of defs.slice(0, 5)) {
      expect(d.inputSchema.properties.connection).toEqual({ type: 'string', description: 'which database' });
      expect(d.inputSchema.required ?? []).not.toContain('connection');
    }
    expect(defs[5]!.inputSchema.properties.connection).toBeUndefined();
  });

  it('the confirmation shows the SQL in a fence that SQL cannot close, and the connection', () => {
    const c = toolConfirmation('explain_query', { sql: 'select 1 -- ```\n; drop table x', analyze: true }, 'prod`db');
    expect(c.title).toMatch(/EXPLAIN ANALYZE/);
    expect(c.message).toContain("on connection `prod'db`");
    expect(c.message).toContain('````sql\nselect 1 -- ```\n; drop table x\n````');
    const w = toolConfirmation('what_if_index', { sql: 'select * from t where a = 1', indexes: ['CREATE INDEX ON t (a)'] }, 'main');
    expect(w.message).toContain('CREATE INDEX ON t (a)');
    expect(toolConfirmation('compare_results', { original: 'select 1', rewrite: 'select 2' }, 'main').message).toMatch(/Original:[\s\S]*select 1[\s\S]*Rewrite:[\s\S]*select 2/);
    expect(toolConfirmation('analyze_plan', { plan: 'Seq Scan' }, 'main')).toEqual({ invocation: 'Analyzing a query plan (no database)' });
  });

  it('connection names and password variables fit `dataeng mcp`', () => {
    expect(mcpConnectionName('My Prod DB (ro)')).toBe('My-Prod-DB-ro-');
    expect(mcpConnectionName('9lives')).toBe('lives');
    expect(mcpConnectionName('???')).toBe('connection');
    expect(passwordEnvVar('my-db')).toBe('DATAENG_PASSWORD_MY_DB');
  });
});
