// A database port over a fixed list of connections (the CLI's and MCP's `--url`s, a test's databases): each opened on
// first use and kept open; a call names one by its name or by the URL it was given as, or gets the first.
import { scrubSecrets } from '../../db/errors';
import type { ConnectionConfig, Database } from '../../db/types';
import type { ToolConnectionInfo, ToolDatabasePort } from './ports';

export interface ListedConnection {
  name: string;
  config: ConnectionConfig;
  /** The URL as given (may hold a password: it is only compared, never shown). */
  url?: string;
  open: () => Promise<Database>;
}

export type ConnectionListOptions = Omit<ToolDatabasePort, 'open' | 'list'>;

/** Where a connection points, without user or password. */
export function connectionTarget(config: ConnectionConfig): string {
  switch (config.driver) {
    case 'sqlite':
      return config.file ?? '(no file)';
    case 'demo':
      return 'the embedded demo database (PGlite)';
    default:
      return `${config.host ?? 'localhost (or $PGHOST)'}:${config.port ?? 5432}/${config.database ?? '(default database)'}`;
  }
}

export function connectionListPort(connections: readonly ListedConnection[], options: ConnectionListOptions): ToolDatabasePort & { closeAll(): Promise<void> } {
  const opened = new Map<string, Promise<Database>>();
  const secrets = (): readonly (string | undefined)[] => options.secrets?.() ?? [];
  const find = (wanted: string | undefined): ListedConnection => {
    if (!connections.length) throw new Error('No database connection is configured: start the server with --url (or set PGHOST/PGDATABASE).');
    if (wanted === undefined || wanted === '') return connections[0]!;
    const hit = connections.find((c) => c.name === wanted) ?? connections.find((c) => c.url !== undefined && c.url === wanted);
    if (!hit) {
      throw new Error(`Unknown connection ${JSON.stringify(scrubSecrets(wanted, secrets()))}. Use one of: ${connections.map((c) => c.name).join(', ')} (list_connections shows them).`);
    }
    return hit;
  };
  return {
    ...options,
    open(connection) {
      let c: ListedConnection;
      try {
        c = find(connection);
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
      let db = opened.get(c.name);
      if (!db) {
        db = c.open();
        opened.set(c.name, db);
        // A failed open is not kept: the next call tries again.
        db.catch(() => {
          if (opened.get(c.name) === db) opened.delete(c.name);
        });
      }
      return db;
    },
    list(): ToolConnectionInfo[] {
      return connections.map((c, i) => ({ name: c.name, driver: c.config.driver, target: connectionTarget(c.config), isDefault: i === 0 }));
    },
    async closeAll() {
      const all = [...opened.values()];
      opened.clear();
      await Promise.all(all.map((p) => p.then((db) => db.close()).catch(() => undefined)));
    },
  };
}
