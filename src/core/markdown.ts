// Markdown that carries data: database names, messages and SQL written into Markdown (the schema report, the
// @dataeng participant, findings) must never become headings, links, HTML or emphasis. One escaper for all of them.

/** Inline code that survives backticks in the text (CommonMark: a longer delimiter run, padded with spaces). */
export function code(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return longest ? `${ticks} ${flat} ${ticks}` : `${ticks}${flat}${ticks}`;
}

/**
 * Escapes what could turn data into markup: HTML, links and images, code spans, emphasis and table pipes. Dots,
 * hyphens and parentheses stay readable (with `[` escaped no link can form), and an underscore inside a word
 * (snake_case) is literal in CommonMark, so only underscores at word edges are escaped.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*[\]<>|]|~(?=~)/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/(^|[^A-Za-z0-9])_|_(?=[^A-Za-z0-9]|$)/g, (m) => m.replace('_', '\\_'))
    .replace(/^([#>+-])/, '\\$1');
}

/** A fenced code block longer than any backtick run inside the code. */
export function fence(sql: string, language = 'sql'): string[] {
  const longest = Math.max(2, ...[...sql.matchAll(/`+/g)].map((m) => m[0].length));
  const marker = '`'.repeat(longest + 1);
  return [`${marker}${language}`, ...sql.split('\n'), marker];
}
