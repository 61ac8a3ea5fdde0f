// `mysql://user:password@host:port/database` and `mariadb://…` URLs (the same driver serves both servers).
import type { ConnectionConfig } from '../types';
import { ConnectionConfigError, scrubSecrets } from '../errors';

const knownParams = new Set(['user', 'password', 'database', 'host', 'port']);

export function parseMysqlUrl(url: string, name: string): { config: ConnectionConfig; password?: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ConnectionConfigError(`invalid connection URL "${scrubSecrets(url)}"`);
  }
  const decode = (s: string): string => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new ConnectionConfigError('invalid percent-encoding in the connection URL');
    }
  };
  const config: ConnectionConfig = { name, driver: 'mysql' };
  let password: string | undefined;
  if (u.hostname) config.host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  if (u.port) config.port = Number(u.port);
  if (u.username) config.user = decode(u.username);
  if (u.password) password = decode(u.password);
  const db = decode(u.pathname.replace(/^\//, ''));
  if (db) config.database = db;
  for (const [key, value] of u.searchParams) {
    if (!knownParams.has(key)) throw new ConnectionConfigError(`unknown connection URL parameter "${key}"`);
    if (key === 'user') config.user = value;
    else if (key === 'password') password = value;
    else if (key === 'database') config.database = value;
    else if (key === 'host') config.host = value;
    else {
      const port = Number(value);
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ConnectionConfigError(`invalid port "${value}"`);
      config.port = port;
    }
  }
  return password === undefined ? { config } : { config, password };
}
