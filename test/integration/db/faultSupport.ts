// Helpers for fault tests: a deadline that turns a hang into a failure (never a timing assertion), and a wait for a
// statement to be visibly running on a server.
import type pg from 'pg';

/** Fails instead of hanging when a broken implementation never settles; generous on purpose. */
export function deadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms (it hangs)`)), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

/** The pid of an active statement of `applicationName` whose text contains `marker`, once it runs. */
export async function runningPid(admin: pg.Client, applicationName: string, marker: string, tries = 400): Promise<number> {
  for (let i = 0; i < tries; i++) {
    const res = await admin.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND state = 'active' AND query LIKE $2", [applicationName, `%${marker}%`]);
    if (res.rows[0]) return res.rows[0].pid;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${marker} never started`);
}

/** Polls until `check` is true (or gives up after `tries` × 25 ms). */
export async function until(check: () => boolean | Promise<boolean>, what: string, tries = 400): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${what} never happened`);
}
