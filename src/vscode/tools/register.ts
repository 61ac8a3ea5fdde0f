// The tools' editor faces: language-model tools for agent mode and the MCP server definition for other agents.
import type { Services } from '../services';
import { registerLanguageModelTools } from './languageModelTools';
import { registerMcpProvider } from './mcpProvider';

export function registerTools(services: Services): void {
  registerLanguageModelTools(services);
  registerMcpProvider(services);
}
