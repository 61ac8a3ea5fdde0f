import { describe, expect, it } from 'vitest';
import { stableSplit } from '../../../media/streamSplit';

describe('stableSplit', () => {
  it('cuts after the last blank line', () => {
    const t = 'para one\n\npara two\n\npartial';
    expect(t.slice(0, stableSplit(t))).toBe('para one\n\npara two\n\n');
  });
  it('never cuts inside a fenced block, even at blank lines in it', () => {
    const t = 'intro\n\n```sql\nselect 1;\n\nselect 2;\n';
    expect(stableSplit(t)).toBe('intro\n\n'.length);
    const closed = `${t}\`\`\`\n\nafter`;
    expect(closed.slice(stableSplit(closed))).toBe('after');
  });
  it('handles tildes, longer fences and a fence that does not close on a shorter marker', () => {
    const t = '~~~~\na\n\n~~~\nb\n\n~~~~\n\ntail';
    expect(t.slice(stableSplit(t))).toBe('tail');
  });
  it('continues from a previous split and returns it when nothing new is complete', () => {
    const t = 'a\n\nb\n\nc';
    const first = stableSplit(t);
    expect(stableSplit(t, first)).toBe(first);
    expect(stableSplit(`${t}\n\nd`, first)).toBe(`${t}\n\n`.length);
  });
  it('returns 0 for text without a blank line', () => {
    expect(stableSplit('one line, still streaming')).toBe(0);
  });
});
