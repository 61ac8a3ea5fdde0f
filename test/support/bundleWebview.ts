// Bundles the webview exactly as scripts/build.mjs does (media/main.ts, browser, IIFE) for tests that run it.
import * as esbuild from 'esbuild';
import { join } from 'node:path';

export async function bundleWebview(): Promise<string> {
  const out = await esbuild.build({
    entryPoints: [join(__dirname, '..', '..', 'media/main.ts')],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}
