// Small throwaway workspaces for tests that need their own files (the session copies them again before opening).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface TempWorkspace {
  dir: string;
  remove(): void;
}

export function makeWorkspace(files: Record<string, string>): TempWorkspace {
  const dir = mkdtempSync(join(tmpdir(), 'dataeng-e2e-ws-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
