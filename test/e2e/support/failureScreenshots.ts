// Setup file of the e2e suite: after a failed test, the screen as it was is saved next to the other screenshots.
import { afterEach } from 'vitest';
import { VsCodeSession } from './session';

afterEach(async (context) => {
  if (context.task.result?.state !== 'fail') return;
  const label = `FAILED-${context.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`;
  await VsCodeSession.current?.screenshot(label).catch(() => undefined);
});
