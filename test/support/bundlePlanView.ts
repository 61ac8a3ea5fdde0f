// Bundles the plan view (media/plan/main.ts) exactly as scripts/build.mjs does, for the tests that run it, and the
// HTML report's assets from the same sources. Kept apart from planViewPage.ts so that benchmarks, which are bundled
// themselves, can serve pages without pulling esbuild into their bundle.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import type { ReportAssets } from '../../src/host/planReport';

const root = join(__dirname, '..', '..');

export async function bundlePlanView(minify = false): Promise<string> {
  const out = await esbuild.build({ entryPoints: [join(root, 'media/plan/main.ts')], bundle: true, write: false, platform: 'browser', format: 'iife', target: 'es2022', minify, logLevel: 'silent' });
  return out.outputFiles[0]!.text;
}

/** The report's assets from sources (what dist/planView.js, planView.css and planReportTheme.css are built from). */
export async function reportAssetsFromSources(): Promise<ReportAssets> {
  return { script: await bundlePlanView(true), styles: [readFileSync(join(root, 'media/plan/plan.css'), 'utf8'), readFileSync(join(root, 'media/plan/reportTheme.css'), 'utf8')] };
}
