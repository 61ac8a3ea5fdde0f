// The parts of @modelcontextprotocol/sdk that `dataeng mcp` uses, in one module: the build makes it its own file in
// dist/vendor/ (scripts/build.mjs `lazyVendors`), so no other subcommand, and not `dataeng --help`, parses the SDK.
export { Server } from '@modelcontextprotocol/sdk/server/index.js';
export { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
export { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
