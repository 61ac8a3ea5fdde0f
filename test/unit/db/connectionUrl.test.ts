import { describe, expect, it } from 'vitest';
import { connectionUrl, parseConnectionUrl } from '../../../src/db/open';
import type { ConnectionConfig } from '../../../src/db/types';

describe('connectionUrl', () => {
  it('round-trips through parseConnectionUrl and never carries a password', () => {
    const configs: ConnectionConfig[] = [
      { name: 'x', driver: 'postgres', host: 'db.example.com', port: 6432, user: 'al ice', database: 'shop', ssl: 'verify-full', sslRootCert: '/c/ca.pem', schema: 'sales' },
      { name: 'x', driver: 'postgres', host: '::1', database: 'd' },
      { name: 'x', driver: 'postgres', user: 'me', port: 5433, database: 'only-env-host' },
      { name: 'x', driver: 'postgres' },
      { name: 'x', driver: 'sqlite', file: '/data/my app?.db' },
      { name: 'x', driver: 'demo' },
    ];
    for (const config of configs) {
      const url = connectionUrl(config);
      const back = parseConnectionUrl(url, 'x');
      expect(back.password, url).toBeUndefined();
      expect(back.config, url).toEqual(config);
    }
  });
});
