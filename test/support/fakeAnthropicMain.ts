// Standalone launcher of the fake Anthropic server for out-of-process users (the e2e harness).
// Bundle and run: npx esbuild test/support/fakeAnthropicMain.ts --bundle --platform=node --outfile=/tmp/fakeAnthropic.cjs
//                 node /tmp/fakeAnthropic.cjs [--port N] [--cache-min-tokens N]
// Prints `{"url": "http://127.0.0.1:PORT"}` on one line, then serves until SIGTERM/SIGINT.
// Control endpoints (see fakeAnthropic.ts): POST /__script, POST /__reset, GET /__requests.
import { startFakeAnthropic } from './fakeAnthropic';

function flag(name: string): number | undefined {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  return v === undefined ? undefined : Number(v);
}

void (async () => {
  const fake = await startFakeAnthropic({ port: flag('port') ?? 0, cacheMinTokens: flag('cache-min-tokens'), control: true });
  process.stdout.write(`${JSON.stringify({ url: fake.url })}\n`);
  const stop = () => void fake.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
})();
