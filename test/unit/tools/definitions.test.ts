import { describe, expect, it } from 'vitest';
import { parseTableName } from '../../../src/core/schema/tableDescription';
import { TOOL_RESULT_CAP, capToolText } from '../../../src/core/tools/cap';
import { toolDefinitions, toolOrder, withExtraProperty } from '../../../src/core/tools/definitions';
import { globToRegExp } from '../../../src/core/tools/glob';
import { agentToolNames, externalToolNames } from '../../../src/core/tools/types';
import { validateToolInput } from '../../../src/core/tools/validate';

describe('tool definitions', () => {
  it('define every tool of the contract, once, with an object schema and a description of returns and refusals', () => {
    const all = toolDefinitions([...agentToolNames, ...externalToolNames]);
    expect(all.map((d) => d.name).sort()).toEqual([...agentToolNames, ...externalToolNames].sort());
    expect(new Set(toolOrder).size).toBe(toolOrder.length);
    for (const d of all) {
      expect(d.inputSchema.type).toBe('object');
      expect(d.inputSchema.additionalProperties).toBe(false);
      expect(d.description.length).toBeGreaterThan(80);
      for (const r of d.inputSchema.required ?? []) expect(Object.keys(d.inputSchema.properties)).toContain(r);
    }
    const explain = all.find((d) => d.name === 'explain_query')!;
    expect(explain.description).toMatch(/refuses/i);
    expect(explain.description).toMatch(/COMMIT/);
    expect(explain.inputSchema.required).toEqual(['sql']);
    expect(Object.keys(explain.inputSchema.properties)).toEqual(['sql', 'analyze']);
    expect(all.find((d) => d.name === 'propose_edit')!.description).toMatch(/never writes/);
  });

  it('keeps the fixed input names of issue 14', () => {
    const props = (n: (typeof toolOrder)[number]) => Object.keys(toolDefinitions([n])[0]!.inputSchema.properties);
    expect(props('describe_table')).toEqual(['table']);
    expect(props('review_schema')).toEqual(['schema']);
    expect(props('what_if_index')).toEqual(['sql', 'indexes']);
    expect(props('compare_results')).toEqual(['original', 'rewrite']);
    expect(props('read_file')).toEqual(['path', 'offset', 'limit']);
    expect(props('list_files')).toEqual(['glob']);
    expect(props('grep')).toEqual(['pattern', 'glob']);
    expect(props('propose_edit')).toEqual(['path', 'old_text', 'new_text']);
    expect(props('todo_write')).toEqual(['items']);
    expect(props('analyze_plan')).toEqual(['plan']);
    expect(props('list_connections')).toEqual([]);
  });

  it('offers only what is asked for, in the stable order, and returns copies', () => {
    const defs = toolDefinitions(['grep', 'explain_query']);
    expect(defs.map((d) => d.name)).toEqual(['explain_query', 'grep']);
    defs[0]!.inputSchema.properties.sql = 'changed';
    expect(toolDefinitions(['explain_query'])[0]!.inputSchema.properties.sql).not.toBe('changed');
    const extra = withExtraProperty(toolDefinitions(['describe_table'])[0]!, 'connection', { type: 'string' });
    expect(Object.keys(extra.inputSchema.properties)).toEqual(['table', 'connection']);
  });
});

describe('validateToolInput', () => {
  it('accepts valid input and returns it typed', () => {
    const r = validateToolInput('explain_query', { sql: 'select 1', analyze: true });
    expect(r).toEqual({ ok: true, value: { sql: 'select 1', analyze: true } });
    expect(validateToolInput('list_connections', undefined)).toEqual({ ok: true, value: {} });
    expect(validateToolInput('todo_write', { items: [{ text: 'a', status: 'in_progress' }] }).ok).toBe(true);
  });

  it('names each problem: missing, wrong type, unknown property, enum, bounds', () => {
    const missing = validateToolInput('explain_query', {});
    expect(missing).toEqual({ ok: false, message: 'Invalid input for explain_query: sql is required.' });
    const wrong = validateToolInput('explain_query', { sql: 42, analyze: 'yes', extra: 1 });
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) {
      expect(wrong.message).toContain('sql must be a string, got an integer');
      expect(wrong.message).toContain('analyze must be true or false, got a string');
      expect(wrong.message).toContain('extra is not a known property (expected sql, analyze)');
    }
    const todo = validateToolInput('todo_write', { items: [{ text: 'x', status: 'finished' }] });
    expect(!todo.ok && todo.message).toContain('items[0].status must be one of "pending", "in_progress", "done", got "finished"');
    const empty = validateToolInput('describe_table', { table: '' });
    expect(!empty.ok && empty.message).toContain('table must not be empty');
    const indexes = validateToolInput('what_if_index', { sql: 'select 1', indexes: [] });
    expect(!indexes.ok && indexes.message).toContain('indexes needs at least 1 item');
    const offset = validateToolInput('read_file', { path: 'a', offset: 0, limit: 1.5 });
    expect(!offset.ok && offset.message).toContain('offset must be at least 1, got 0');
    expect(!offset.ok && offset.message).toContain('limit must be an integer, got a number');
    expect(validateToolInput('grep', 'pattern').ok).toBe(false);
    expect(validateToolInput('list_connections', { x: 1 })).toEqual({ ok: false, message: 'Invalid input for list_connections: x is not a known property (this tool takes no input).' });
  });
});

describe('capToolText', () => {
  it('leaves short text alone', () => {
    expect(capToolText('abc')).toBe('abc');
  });

  it('keeps the head within the cap and says what was cut', () => {
    const text = Array.from({ length: 2_000 }, (_, i) => `line ${i + 1} ${'x'.repeat(20)}`).join('\n');
    const capped = capToolText(text, { hint: 'Read on with offset.' });
    expect(capped.length).toBeLessThanOrEqual(TOOL_RESULT_CAP);
    expect(capped.startsWith('line 1 ')).toBe(true);
    const last = capped.split('\n').pop()!;
    expect(last).toMatch(/^\[… cut: [\d,]+ of [\d,]+ characters \(lines \d+–2000 of 2000\) were left out/);
    expect(last).toContain('Read on with offset.');
    // Cut at a line end: the kept lines are whole.
    const kept = capped.split('\n').slice(0, -1);
    expect(kept.every((l) => /^line \d+ x{20}$/.test(l))).toBe(true);
  });

  it('never splits a surrogate pair', () => {
    const capped = capToolText('😀'.repeat(10_000), { cap: 1_001 });
    expect(capped.length).toBeLessThanOrEqual(1_001);
    expect(capped).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });
});

describe('globToRegExp', () => {
  it('matches like a workspace glob', () => {
    expect(globToRegExp('**/*.sql').test('models/orders.sql')).toBe(true);
    expect(globToRegExp('**/*.sql').test('orders.sql')).toBe(true);
    expect(globToRegExp('*.sql').test('a/b/orders.sql')).toBe(true);
    expect(globToRegExp('models/*.sql').test('models/x/orders.sql')).toBe(false);
    expect(globToRegExp('models/**').test('models/x/orders.sql')).toBe(true);
    expect(globToRegExp('**/*.{sql,psql}').test('a/b.psql')).toBe(true);
    expect(globToRegExp('src/?.ts').test('src/a.ts')).toBe(true);
    expect(globToRegExp('src/[ab].ts').test('src/c.ts')).toBe(false);
    expect(globToRegExp('a+b(c).sql').test('a+b(c).sql')).toBe(true);
  });
});

describe('parseTableName', () => {
  it('reads bare, qualified and quoted names', () => {
    expect(parseTableName('orders')).toEqual({ name: 'orders' });
    expect(parseTableName('public.orders')).toEqual({ schema: 'public', name: 'orders' });
    expect(parseTableName('"My Schema"."Or""der"')).toEqual({ schema: 'My Schema', name: 'Or"der' });
    expect(parseTableName('a.b.c')).toBeNull();
    expect(parseTableName('"open')).toBeNull();
    expect(parseTableName('x; drop table y')).toBeNull();
    expect(parseTableName('`my db`.`or``der`', '`"')).toEqual({ schema: 'my db', name: 'or`der' });
    expect(parseTableName('"a".`b`', '`"')).toEqual({ schema: 'a', name: 'b' });
  });
});
