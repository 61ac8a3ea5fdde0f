// The fake Anthropic Messages API (test/support/fakeAnthropic.ts) runs inside the test process; code-server's
// extension host reaches it through the `dataeng.anthropic.baseUrl` setting, with the real SDK on the other end.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../../scripts/codeServer.mjs';
import type { RecordedRequest } from '../../support/fakeAnthropic';

export { startFakeAnthropic, type FakeAnthropic, type RecordedRequest } from '../../support/fakeAnthropic';

function blocksText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((b: unknown) => (b && typeof b === 'object' && 'text' in b ? String(b.text) : ''))
      .join('\n');
  }
  return '';
}

/** The system prompt of a recorded request, as one string. */
export function systemPrompt(req: RecordedRequest): string {
  return blocksText(req.body.system);
}

/** The text of the last user message of a recorded request. */
export function lastUserMessage(req: RecordedRequest): string {
  const users = (req.body.messages ?? []).filter((m) => m.role === 'user');
  return blocksText(users[users.length - 1]?.content);
}

/**
 * A distinctive line from a bundled persona's body (after the front matter), to recognise that persona in a
 * system prompt without copying its text into the tests.
 */
export function personaMarker(name: string): string {
  const text = readFileSync(join(repoRoot, 'agents', `${name}.md`), 'utf8');
  const body = text.replace(/^---\n[\s\S]*?\n---\n/, '');
  const line = body.split('\n').find((l) => l.trim().length > 40 && !l.startsWith('#'));
  if (!line) throw new Error(`agents/${name}.md has no body line to recognise it by`);
  return line.trim();
}
