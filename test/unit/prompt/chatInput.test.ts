import { describe, expect, it } from 'vitest';
import { sqlFromPrompt } from '../../../src/app/chatInput';

describe('sqlFromPrompt', () => {
  it('takes a fenced block as the SQL and the rest as the question', () => {
    expect(sqlFromPrompt('why is this slow?\n```sql\nselect * from t where a = 1;\n```\nthanks')).toEqual({ sql: 'select * from t where a = 1;', question: 'why is this slow?\n\nthanks' });
    expect(sqlFromPrompt('```\nselect 1\n```')).toEqual({ sql: 'select 1' });
  });

  it('a message that is a complete statement is SQL', () => {
    for (const sql of [
      'WITH x AS (select 1) select * from x',
      'select * from orders where customer_id = 42',
      "EXPLAIN ANALYZE SELECT * FROM events WHERE kind = 'login'",
      'explain (analyze, buffers) select 1',
      "update orders set status = 'shipped' where id = 1",
      'delete from t where id = 1;',
      'insert into t (a) values (1)',
      'table orders',
      'create index on orders (customer_id)',
      'values (1, 2)',
      'select o.id, count(*) from orders o join order_items i on i.order_id = o.id group by o.id order by 2 desc limit 10',
      'SELECT 1; SELECT 2;',
    ]) {
      expect(sqlFromPrompt(sql), sql).toEqual({ sql: sql.trim() });
    }
  });

  it('prose that starts with an SQL keyword stays a question and never becomes SQL', () => {
    for (const q of [
      'Explain how BRIN indexes work',
      'explain why my query is slow',
      'With the new index, is it faster?',
      'Create a table for user sessions',
      'table of contents for the schema',
      'update me on what changed',
      'Select the best index type for this workload',
      'selecting an index type?',
      'Show me the slowest queries',
      'Delete old rows or partition the table?',
      "What's the difference between a hash join and a merge join",
      'alter my query so it runs faster',
      'Drop the index?',
      'Analyze this for me please',
      'Values matter more than keys here.',
    ]) {
      expect(sqlFromPrompt(q), q).toEqual({ question: q });
    }
    expect(sqlFromPrompt('   ')).toEqual({});
  });

  it('a message that mixes a question and SQL sends both', () => {
    expect(sqlFromPrompt('Why is this slow?\nselect * from orders where status = 1')).toEqual({ sql: 'select * from orders where status = 1', question: 'Why is this slow?' });
    expect(sqlFromPrompt("Will this use the index: SELECT * FROM t WHERE name = 'O''Brien'; and why?")).toEqual({
      sql: "SELECT * FROM t WHERE name = 'O''Brien'",
      question: 'Will this use the index:\n\nand why?',
    });
    expect(sqlFromPrompt("What's wrong with this? SELECT count(*) FROM events")).toEqual({ sql: 'SELECT count(*) FROM events', question: "What's wrong with this?" });
  });
});
