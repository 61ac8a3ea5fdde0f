// Optimize a query on the live MariaDB server: the connection is a `driver: "mysql"` settings entry, the plan is
// MariaDB's ANALYZE FORMAT=JSON read into the one plan model, and the findings are MySQL rules. The model is the fake
// Anthropic server; VS Code, the extension, mysql2 and MariaDB are real.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnection } from 'mysql2/promise';
import { containerTitle } from './pages/workbench';
import { lastUserMessage, startFakeAnthropic, type FakeAnthropic } from './support/model';
import { VsCodeSession } from './support/session';
import { makeWorkspace, type TempWorkspace } from './support/workspace';

const url = new URL(process.env.DATAENG_TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306/dataeng_test');
const connectionName = 'e2e-mariadb';
const slow = "SELECT id, total\nFROM orders\nWHERE note = 'gift' AND total > 100\nORDER BY total DESC;\n";

async function noteChecksum(): Promise<string> {
  const conn = await createConnection({ uri: url.toString() });
  try {
    const [rows] = await conn.query('SELECT COUNT(*) AS n, SUM(CRC32(CONCAT_WS(\'|\', id, note, total))) AS s FROM orders');
    return JSON.stringify(rows);
  } finally {
    await conn.end();
  }
}

describe('Optimize Query on MariaDB', () => {
  let fake: FakeAnthropic;
  let workspace: TempWorkspace;
  let session: VsCodeSession;

  beforeAll(async () => {
    fake = await startFakeAnthropic();
    fake.handle(() => ({ kind: 'stream', text: 'Every order is read to keep a few ([F1]). Add an index:\n\n```sql\nCREATE INDEX orders_note_total ON orders (note, total);\n```\n', chunkSize: 16, delayMs: 10 }));
    workspace = makeWorkspace({ 'orders.sql': `-- Gift orders above 100.\n${slow}` });
    session = await VsCodeSession.open({
      name: 'mariadb',
      workspaceFrom: workspace.dir,
      settings: {
        'dataeng.connections': [
          { name: connectionName, driver: 'mysql', host: url.hostname, port: Number(url.port || 3306), database: url.pathname.slice(1), user: decodeURIComponent(url.username) || 'root' },
        ],
        'dataeng.explain.analyze': 'readsOnly',
        'dataeng.anthropic.baseUrl': fake.url,
      },
    });
  });

  afterAll(async () => {
    await session?.close();
    await fake?.close();
    workspace?.remove();
  });

  it('right-click → Optimize Query shows MariaDB plan findings and the answer; nothing changed on the server', async () => {
    const before = await noteChecksum();
    const wb = session.workbench;
    await wb.openContainer(containerTitle);
    await wb.chat.waitReady();
    await wb.chat.connectionSelect.selectOption(connectionName);
    await wb.openFile('orders.sql');
    await wb.editor.rightClickLine("WHERE note = 'gift'");
    await wb.contextMenu().choose('Optimize Query');

    const fullScan = wb.chat.finding('mysql-full-scan');
    await fullScan.first().waitFor({ timeout: 60_000 });
    expect(await fullScan.first().textContent()).toContain('orders');
    await wb.chat.lastAssistantMessage().getByText('Add an index').waitFor({ timeout: 60_000 });
    await session.screenshot('mariadb-optimize');

    const req = await fake.waitForEnd(0);
    const user = lastUserMessage(req);
    expect(user).toContain('<plan_evidence>');
    expect(user).toContain('MySQL/MariaDB ANALYZE');
    expect(user).toContain('mysql-full-scan');
    expect(await noteChecksum()).toBe(before);
  });
});
