// Writes package.json's `contributes.languageModelTools` from the tool definitions (src/core/tools/externalFaces.ts),
// so the manifest says exactly what the registry validates. test/unit/manifest.test.ts fails when they differ:
// run `npx vite-node scripts/syncToolManifest.ts` after changing a tool's description or schema.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { languageModelToolContributions } from '../src/core/tools/externalFaces';

const file = join(__dirname, '..', 'package.json');
const pkg = JSON.parse(readFileSync(file, 'utf8')) as { contributes: Record<string, unknown> };
pkg.contributes.languageModelTools = languageModelToolContributions();
pkg.contributes.mcpServerDefinitionProviders = [{ id: 'dataeng.mcp', label: 'Data Engineer Assistant (dataeng mcp)' }];
writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
console.log(`package.json: ${languageModelToolContributions().length} language-model tools`);
