import { describe, expect, it } from 'vitest';
import { diffLines, formatEditDiff } from '../../../src/core/tools/editDiff';

describe('diffLines', () => {
  it('keeps common lines and marks what went and came, in order', () => {
    expect(diffLines('select *\nfrom orders\nwhere id = 1\n', 'select id, total\nfrom orders\nwhere id = 1\norder by id\n')).toEqual([
      { kind: 'removed', text: 'select *' },
      { kind: 'added', text: 'select id, total' },
      { kind: 'same', text: 'from orders' },
      { kind: 'same', text: 'where id = 1' },
      { kind: 'added', text: 'order by id' },
    ]);
  });

  it('empty sides and CRLF', () => {
    expect(diffLines('', 'a')).toEqual([{ kind: 'added', text: 'a' }]);
    expect(diffLines('a\r\nb', 'a\nb')).toEqual([{ kind: 'same', text: 'a' }, { kind: 'same', text: 'b' }]);
  });

  it('formats a unified-style diff', () => {
    expect(formatEditDiff('models/orders.sql', 'a\nb', 'a\nc')).toBe('--- models/orders.sql\n+++ models/orders.sql (proposed)\n a\n-b\n+c\n');
  });
});
