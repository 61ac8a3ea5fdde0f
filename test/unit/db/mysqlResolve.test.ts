import { describe, expect, it } from 'vitest';
import { passwordSecretKey, serverIdentity } from '../../../src/db/connectionPasswords';
import { parseClientOptions, resolveMysqlParams } from '../../../src/db/mysql/resolve';
import { parseConnectionUrl } from '../../../src/db/open';

const cnf = ['# mine', '[mysqld]', 'password = server-side', '[client]', 'user = alice', "password = 's3cr\\'t'", 'port=3307 # comment', '[mysql]', 'database = other'].join('\n');

describe('MySQL connection resolution', () => {
  it('reads only the [client] group of an option file, with quotes, escapes and comments', () => {
    expect(parseClientOptions(cnf)).toEqual({ user: 'alice', password: "s3cr't", port: '3307' });
  });

  it('orders explicit settings, then the option file, then the environment, then defaults', () => {
    const p = resolveMysqlParams({ name: 'x', driver: 'mysql' }, { optionFile: cnf, env: { MYSQL_TCP_PORT: '3999', USER: 'bob', MYSQL_PWD: 'envpw' } });
    expect(p).toMatchObject({ host: 'localhost', port: 3307, user: 'alice', password: "s3cr't", passwordSource: 'my.cnf' });
    const q = resolveMysqlParams({ name: 'x', driver: 'mysql', user: 'carol', port: 3310 }, { optionFile: null, env: { USER: 'bob', MYSQL_PWD: 'envpw' }, password: 'typed' });
    expect(q).toMatchObject({ port: 3310, user: 'carol', password: 'typed', passwordSource: 'explicit' });
    const r = resolveMysqlParams({ name: 'x', driver: 'mysql' }, { optionFile: null, env: { USER: 'bob', MYSQL_PWD: 'envpw' } });
    expect(r).toMatchObject({ user: 'bob', port: 3306, password: 'envpw', passwordSource: 'MYSQL_PWD' });
  });

  it('never sends the option file password to a host the file does not name', () => {
    const p = resolveMysqlParams({ name: 'repo', driver: 'mysql', host: 'evil.example.com' }, { optionFile: cnf, env: {} });
    expect(p.password).toBeUndefined();
    expect(p.warnings.join(' ')).toMatch(/not sent to evil\.example\.com/);
  });

  it('binds a saved password to driver, host, port, database and user', () => {
    const a = parseConnectionUrl('mysql://u@db.example.com:3306/shop', 'a').config;
    const b = parseConnectionUrl('mariadb://u@DB.example.com:3306/shop', 'b').config;
    const c = parseConnectionUrl('mysql://u@db.example.com:3307/shop', 'c').config;
    const env = { HOME: '/nonexistent' };
    expect(serverIdentity(a, env)).toEqual({ driver: 'mysql', host: 'db.example.com', port: 3306, database: 'shop', user: 'u' });
    expect(passwordSecretKey(a, env)).toBe(passwordSecretKey(b, env));
    expect(passwordSecretKey(a, env)).not.toBe(passwordSecretKey(c, env));
    expect(passwordSecretKey(a, env)).not.toBe(passwordSecretKey({ ...a, driver: 'postgres', port: 3306 }, env));
  });
});
