// A PostgreSQL wire-protocol server of our own, for what a real server will not do on demand: ask for a password and
// record what it is sent, close the session exactly at ROLLBACK, or stop answering in the middle of a statement. It
// speaks just enough of protocol 3.0 for `pg` (startup, cleartext password, simple and extended queries); every
// answer comes from the test's `answer` function. Also: a listener that accepts TCP and never answers at all.
import { createServer, type Server, type Socket } from 'node:net';

/** What the server does with one statement. */
export type Answer =
  | { rows: (string | null)[][]; columns?: string[]; tag?: string }
  | { tag: string }
  | { error: { code: string; message: string } }
  /** Never answer (the socket stays open). */
  | 'stall'
  /** Close the socket instead of answering. */
  | 'close';

export interface FakePgOptions {
  /** Ask for a cleartext password and accept only this one (undefined: no password asked). */
  password?: string;
  /** The answer to a statement; the default answers the driver's own bookkeeping queries. */
  answer?: (sql: string, session: FakeSession) => Answer;
}

export interface FakeSession {
  pid: number;
  /** Every statement received, in order (simple and extended). */
  statements: string[];
}

export interface FakePgServer {
  port: number;
  /** Every password a client sent, in order. */
  passwords: string[];
  sessions: FakeSession[];
  close(): Promise<void>;
}

/** Answers for what the driver itself sends: server version, session identity, cancel and terminate, BEGIN/ROLLBACK. */
export function defaultAnswer(sql: string, session: FakeSession): Answer {
  if (/server_version_num/.test(sql)) return { rows: [['150000']], columns: ['v'] };
  if (/pg_backend_pid\(\)/.test(sql)) return { rows: [[String(session.pid), '1700000000000000']], columns: ['pid', 'started'] };
  if (/pg_(cancel|terminate)_backend/.test(sql)) return { rows: [['t']], columns: ['pg_cancel_backend'] };
  if (/^\s*select\s+version\(\)/i.test(sql)) return { rows: [['PostgreSQL 15.0 (fake)', 'fake']], columns: ['version', 'db'] };
  if (/^\s*explain/i.test(sql)) return { rows: [['[{"Plan": {"Node Type": "Result", "Plan Rows": 1}}]']], columns: ['QUERY PLAN'] };
  const word = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? 'SELECT';
  return { tag: word === 'SET' ? 'SET' : word };
}

function message(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

const int32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const int16 = (n: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
};
const cstr = (s: string): Buffer => Buffer.from(`${s}\0`, 'utf8');

function rowDescription(columns: string[]): Buffer {
  // Every column is text (OID 25), text format.
  const fields = columns.map((c) => Buffer.concat([cstr(c), int32(0), int16(0), int32(25), int16(-1), int32(-1), int16(0)]));
  return message('T', Buffer.concat([int16(columns.length), ...fields]));
}

function dataRow(values: (string | null)[]): Buffer {
  const cols = values.map((v) => (v === null ? int32(-1) : Buffer.concat([int32(Buffer.byteLength(v)), Buffer.from(v, 'utf8')])));
  return message('D', Buffer.concat([int16(values.length), ...cols]));
}

function errorResponse(code: string, text: string): Buffer {
  return message('E', Buffer.concat([cstr('SERROR'), cstr('VERROR'), cstr(`C${code}`), cstr(`M${text}`), Buffer.from([0])]));
}

const ready = (inTransaction: boolean): Buffer => message('Z', Buffer.from(inTransaction ? 'T' : 'I', 'latin1'));

export async function startFakePgServer(options: FakePgOptions = {}): Promise<FakePgServer> {
  const answer = options.answer ?? defaultAnswer;
  const passwords: string[] = [];
  const sessions: FakeSession[] = [];
  const sockets = new Set<Socket>();
  let nextPid = 40_000;

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const session: FakeSession = { pid: nextPid++, statements: [] };
    sessions.push(session);
    let buffer = Buffer.alloc(0);
    let started = false;
    let authenticated = false;
    let inTransaction = false;
    let stalled = false;
    // Extended protocol: the statement of the last Parse, answered at Execute.
    let parsed = '';

    const loggedIn = (): void => {
      authenticated = true;
      socket.write(Buffer.concat([message('R', int32(0)), message('K', Buffer.concat([int32(session.pid), int32(12345)])), ready(false)]));
    };

    /** Writes the answer to one statement; false when the session must stop here (stalled or closed). */
    const respond = (sql: string, extended: boolean): boolean => {
      session.statements.push(sql);
      const a = answer(sql, session);
      if (a === 'stall') {
        stalled = true;
        return false;
      }
      if (a === 'close') {
        socket.destroy();
        return false;
      }
      if ('error' in a) {
        socket.write(errorResponse(a.error.code, a.error.message));
        return true;
      }
      const word = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase();
      if (word === 'BEGIN') inTransaction = true;
      if (word === 'ROLLBACK' || word === 'COMMIT') inTransaction = false;
      if ('rows' in a) {
        const columns = a.columns ?? a.rows[0]?.map((_, i) => `c${i}`) ?? ['c0'];
        socket.write(Buffer.concat([rowDescription(columns), ...a.rows.map(dataRow), message('C', cstr(a.tag ?? `SELECT ${a.rows.length}`))]));
      } else {
        // The extended protocol answers Describe with NoData for a statement without rows; the simple one does not.
        socket.write(Buffer.concat([...(extended ? [message('n', Buffer.alloc(0))] : []), message('C', cstr(a.tag))]));
      }
      return true;
    };

    socket.on('data', (chunk: Buffer) => {
      if (stalled) return;
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (!started) {
          if (buffer.length < 8) return;
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) return;
          const code = buffer.readInt32BE(4);
          buffer = buffer.subarray(length);
          if (code === 80877103 || code === 80877104) {
            // SSLRequest / GSSENCRequest: not supported, continue in plain text.
            socket.write('N');
            continue;
          }
          started = true;
          if (options.password !== undefined) socket.write(message('R', int32(3)));
          else loggedIn();
          continue;
        }
        if (buffer.length < 5) return;
        const type = String.fromCharCode(buffer[0]!);
        const length = buffer.readInt32BE(1);
        if (buffer.length < length + 1) return;
        const body = buffer.subarray(5, length + 1);
        buffer = buffer.subarray(length + 1);
        if (type === 'p') {
          const sent = body.subarray(0, body.indexOf(0)).toString('utf8');
          passwords.push(sent);
          if (sent === options.password) loggedIn();
          else {
            socket.write(errorResponse('28P01', 'password authentication failed for user "postgres"'));
            socket.end();
          }
          continue;
        }
        if (!authenticated) continue;
        if (type === 'X') {
          socket.end();
          return;
        }
        if (type === 'Q') {
          const sql = body.subarray(0, body.indexOf(0)).toString('utf8');
          if (!respond(sql, false)) return;
          socket.write(ready(inTransaction));
        } else if (type === 'P') {
          // Parse: name\0 query\0 …
          const nameEnd = body.indexOf(0);
          parsed = body.subarray(nameEnd + 1, body.indexOf(0, nameEnd + 1)).toString('utf8');
          socket.write(message('1', Buffer.alloc(0)));
        } else if (type === 'B') {
          socket.write(message('2', Buffer.alloc(0)));
        } else if (type === 'E') {
          // pg sends Describe (portal) before Execute; the row description is written with the rows.
          if (!respond(parsed, true)) return;
        } else if (type === 'S') {
          socket.write(ready(inTransaction));
        }
        // 'D' (Describe), 'C' (Close), 'H' (Flush): answered with the rows at Execute, or need no answer.
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    passwords,
    sessions,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Accepts TCP connections and never sends a byte: a server that hangs before the startup answer. */
export async function startStalledListener(): Promise<{ port: number; accepted: () => number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    accepted: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
