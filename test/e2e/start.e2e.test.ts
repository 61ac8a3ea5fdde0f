// The README's run command: `npm start` builds, installs code-server when needed, serves the workbench with the
// demo workspace. Its --smoke mode stops once the workbench answers, so the command itself is tested here.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/codeServer.mjs';

describe('npm start', () => {
  it('builds, starts code-server on 127.0.0.1 with the demo workspace, and stops cleanly', () => {
    const run = spawnSync('npm', ['start', '--silent', '--', '--smoke'], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 170_000,
      env: { ...process.env, PORT: '' },
    });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.status, output).toBe(0);
    expect(output).toMatch(/workbench answered at http:\/\/127\.0\.0\.1:\d+\/\?folder=[^\s]*demo/);
    expect(output).toContain('smoke run OK');
  });
});
