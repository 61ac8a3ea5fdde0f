// Architecture invariants, checked on the source text.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else if (/\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs: string[] = [];
  const re = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;
  for (const m of text.matchAll(re)) specs.push((m[1] ?? m[2] ?? m[3] ?? m[4])!);
  return specs;
}

describe('architecture', () => {
  it('src/core is pure: no vscode, no drivers, no Node I/O, no network', () => {
    const forbidden = /^(vscode|pg|pg-[a-z-]+|better-sqlite3|sql\.js|@electric-sql\/.*|@anthropic-ai\/.*|(node:)?(fs|fs\/promises|child_process|net|http|https|tls|dgram|worker_threads|os|process|dns|cluster|readline|sqlite))$/;
    const offenders: string[] = [];
    for (const file of filesUnder(join(root, 'src/core'))) {
      for (const spec of importsOf(file)) {
        if (forbidden.test(spec)) offenders.push(`${relative(root, file)} imports '${spec}'`);
        if (spec.startsWith('.') && /\/(db|llm|vscode|cli)\//.test(join(relative(root, file), '..', spec) + '/')) {
          offenders.push(`${relative(root, file)} imports '${spec}' outside core`);
        }
      }
      expect(readFileSync(file, 'utf8')).not.toMatch(/\bprocess\.(env|cwd|exit|stdout|stderr)\b/);
    }
    expect(offenders).toEqual([]);
  });

  it('only src/vscode and src/extension.ts import vscode', () => {
    const offenders = filesUnder(join(root, 'src'))
      .filter((f) => !relative(root, f).startsWith('src/vscode/') && relative(root, f) !== 'src/extension.ts')
      .filter((f) => importsOf(f).includes('vscode'))
      .map((f) => relative(root, f));
    expect(offenders).toEqual([]);
  });

  it('a plan is analyzed once, by the pipeline: the editor commands and diagnostics reuse its findings', () => {
    // queryCommands once re-analyzed every explained plan on the extension host for the squiggles, after the
    // pipeline had analyzed it (off the host thread when large). Only the analyze port may analyze.
    const analyzers = /(^|\/)(app\/analyze|core\/plan\/(analyze|parse))$/;
    const offenders = filesUnder(join(root, 'src/vscode/editor'))
      .filter((f) => importsOf(f).some((s) => analyzers.test(s)))
      .map((f) => relative(root, f));
    expect(offenders).toEqual([]);
  });

  it('only src/llm imports the Anthropic SDK', () => {
    const offenders = filesUnder(join(root, 'src'))
      .filter((f) => !relative(root, f).startsWith('src/llm/'))
      .filter((f) => importsOf(f).some((s) => s.startsWith('@anthropic-ai/')))
      .map((f) => relative(root, f));
    expect(offenders).toEqual([]);
  });

  it('the webview sources never import vscode or Node modules', () => {
    const offenders = filesUnder(join(root, 'media'))
      .filter((f) => importsOf(f).some((s) => s === 'vscode' || s.startsWith('node:')))
      .map((f) => relative(root, f));
    expect(offenders).toEqual([]);
  });
});
