// What the safe path needs to know about MySQL and MariaDB statements, on top of the shared classifier (classify.ts):
// their EXPLAIN/ANALYZE prefixes, which statements their EXPLAIN accepts, what they refuse outright, and the functions
// whose effects a ROLLBACK does not undo. Pure: words in, decisions out.
import type { UserExplain } from './classify';

/** Statements MySQL's and MariaDB's EXPLAIN (and MariaDB's ANALYZE) accept. */
const explainable = new Set(['select', 'table', 'values', 'with', 'insert', 'replace', 'update', 'delete']);

const transactionWords = new Set(['begin', 'start', 'commit', 'rollback', 'savepoint', 'release', 'xa', 'lock', 'unlock']);

/**
 * Parses a user-written prefix: `EXPLAIN`/`DESCRIBE`/`DESC` with `EXTENDED`, `PARTITIONS`, `FORMAT=…` or `ANALYZE`
 * (MySQL 8.0.18+), and MariaDB's `ANALYZE [FORMAT=JSON]`. `words` are the statement's tokens, words lower-cased.
 * Returns null when the statement has no such prefix (or is `ANALYZE TABLE`, which collects statistics).
 */
export function parseMysqlExplain(words: readonly string[]): { next: number; explain: UserExplain } | null {
  const first = words[0];
  let i: number;
  let analyze = false;
  const options: string[] = [];
  if (first === 'analyze') {
    if (words[1] === 'table' || words[1] === 'no_write_to_binlog' || words[1] === 'local') return null;
    analyze = true;
    options.push('ANALYZE');
    i = 1;
  } else if (first === 'explain' || first === 'describe' || first === 'desc') {
    i = 1;
  } else return null;
  for (;;) {
    const w = words[i];
    if (w === 'analyze') {
      analyze = true;
      options.push('ANALYZE');
      i++;
    } else if (w === 'extended' || w === 'partitions') {
      options.push(w.toUpperCase());
      i++;
    } else if (w === 'format' && words[i + 1] === '=' && words[i + 2] !== undefined) {
      options.push(`FORMAT=${words[i + 2]!.toUpperCase()}`);
      i += 3;
    } else break;
  }
  return { next: i, explain: { analyze, options } };
}

export interface MysqlKind {
  kind: string;
  refusal: string | null;
}

/** Names the statement and decides whether MySQL's or MariaDB's EXPLAIN can take it at all. */
export function mysqlKind(words: readonly string[]): MysqlKind {
  const first = words[0] ?? '';
  if (first === '(') return { kind: 'select', refusal: null };
  if (transactionWords.has(first) || (first === 'set' && (words[1] === 'transaction' || words[1] === 'autocommit' || words[2] === 'transaction'))) {
    return { kind: first, refusal: 'transaction control and locking statements are refused: every explain runs inside its own transaction, which is always rolled back' };
  }
  if (first === 'load') return { kind: 'load data', refusal: 'LOAD DATA reads files into a table and is never run here' };
  if (explainable.has(first)) return { kind: first, refusal: null };
  if (['create', 'drop', 'alter', 'rename', 'truncate'].includes(first)) {
    return {
      kind: `${first} ${words[1] ?? ''}`.trim(),
      refusal: `${first.toUpperCase()} is refused: MySQL and MariaDB commit schema changes implicitly, so a rollback could not undo it (and EXPLAIN does not accept it)`,
    };
  }
  if (first === 'call' || first === 'do' || first === 'handler') {
    return { kind: first, refusal: `${first.toUpperCase()} is not explainable and runs code that may commit or act outside the transaction` };
  }
  if (first === 'analyze') return { kind: 'analyze table', refusal: 'ANALYZE TABLE collects statistics (and MariaDB writes them); it is not explained' };
  return {
    kind: first || 'this statement',
    refusal: `${(first || 'this statement').toUpperCase()} is not explainable: MySQL's and MariaDB's EXPLAIN accept only SELECT, TABLE, VALUES, WITH, INSERT, REPLACE, UPDATE and DELETE`,
  };
}

/** A refusal for what the statement does wherever it appears: writing server files, executable comments. */
export function mysqlRefusal(words: readonly string[], comments: readonly string[]): string | null {
  for (let i = 0; i + 1 < words.length; i++) {
    if (words[i] === 'into' && (words[i + 1] === 'outfile' || words[i + 1] === 'dumpfile')) {
      return `SELECT … INTO ${words[i + 1]!.toUpperCase()} writes a file on the database server, which no rollback removes; it is never run here`;
    }
  }
  // `/*! … */` (MySQL and MariaDB) and `/*M! … */` (MariaDB) are not comments to the server: it runs what is inside.
  if (comments.some((c) => /^\/\*M?!/.test(c))) {
    return 'the statement has an executable comment (/*! … */), which the server runs as SQL; remove it or write its content out';
  }
  return null;
}

const sessionLock = (name: string): string => `${name}() takes or releases a named user lock, which belongs to the session and survives the rollback`;

/**
 * MySQL/MariaDB functions whose effects a ROLLBACK does not undo, or that act outside the transaction. SLEEP and
 * BENCHMARK only spend time, which the statement timeout bounds, so they are not listed.
 */
const sideEffectFunctions: Record<string, string> = {
  get_lock: sessionLock('GET_LOCK'),
  release_lock: sessionLock('RELEASE_LOCK'),
  release_all_locks: sessionLock('RELEASE_ALL_LOCKS'),
  nextval: 'NEXTVAL() advances a sequence (MariaDB); sequence changes are not rolled back',
  setval: 'SETVAL() changes a sequence (MariaDB); sequence changes are not rolled back',
  lastval: 'LASTVAL() reads the session sequence state (MariaDB)',
  load_file: 'LOAD_FILE() reads a file on the database server',
  master_pos_wait: 'MASTER_POS_WAIT() waits on replication state outside the transaction',
  source_pos_wait: 'SOURCE_POS_WAIT() waits on replication state outside the transaction',
  wait_for_executed_gtid_set: 'WAIT_FOR_EXECUTED_GTID_SET() waits on replication state outside the transaction',
  sys_exec: 'sys_exec() runs a program on the database server',
  sys_eval: 'sys_eval() runs a program on the database server',
};

export function mysqlSideEffect(name: string): string | undefined {
  return sideEffectFunctions[name.toLowerCase()];
}

/** `SELECT … LOCK IN SHARE MODE` takes row locks, like FOR SHARE. */
export function mysqlLocksRows(words: readonly string[]): boolean {
  for (let i = 0; i + 3 < words.length; i++) {
    if (words[i] === 'lock' && words[i + 1] === 'in' && words[i + 2] === 'share' && words[i + 3] === 'mode') return true;
  }
  return false;
}

export function mysqlAnalyzeWarnings(effect: 'read' | 'lock' | 'write'): string[] {
  if (effect === 'read') return ['ANALYZE executes the statement, including any functions it calls, inside a READ ONLY transaction that is rolled back'];
  if (effect === 'lock') return ['ANALYZE executes the statement and holds its row locks until the rollback'];
  return [
    'ANALYZE executes the statement and then rolls back its changes; triggers run too, and AUTO_INCREMENT counters it advances are not rolled back',
  ];
}
