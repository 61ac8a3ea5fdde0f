// What the tool registry needs from its face, as three ports. The agent loop (chat, participant, `dataeng ask`), the
// MCP server and VS Code's language-model tools each supply them; the operations behind every tool stay in one place
// (registry.ts over consent.ts, analyze.ts, proof.ts and the core).
import type { AnalyzeSetting } from '../../core/settings/analyzeSetting';
import type { Database } from '../../db/types';
import type { ConsentPort } from '../consent';
import { compareResults, whatIfIndex } from '../proof';

/** A connection as `list_connections` shows it: never a password. */
export interface ToolConnectionInfo {
  name: string;
  driver: Database['config']['driver'];
  /** `host:port/database`, the SQLite file, or `embedded demo database`. */
  target: string;
  /** This is the one used when a call names none. */
  isDefault: boolean;
}

export interface ToolDatabasePort {
  /**
   * The database for a call: the named connection (a name or URL the face knows), or the current/first one. Throws an
   * Error whose message says what to do (no connection configured, unknown name with the known ones listed).
   */
  open(connection: string | undefined, signal: AbortSignal): Promise<Database>;
  list(): ToolConnectionInfo[];
  /** The one consent policy's port: a modal (editor), `preApproved`/`refuse` (CLI, MCP). */
  consent: ConsentPort;
  /**
   * `dataeng.explain.analyze` where the face has it. With `never`, `analyze: true` is not executed (the estimated plan
   * comes back with a note); absent, `analyze` alone decides (the consent policy still applies).
   */
  analyzeSetting?: () => AnalyzeSetting;
  /** Passwords and other secrets the face knows of, scrubbed from every error text (the drivers already scrub theirs). */
  secrets?: () => readonly (string | undefined)[];
  /** `dataeng.verify.maxTableBytes` for what_if_index. */
  maxTableBytes?: number;
  /** Per-statement timeout for tool calls; absent: the connection's. */
  timeoutMs?: number;
}

export interface ReadFileResult {
  /** Workspace-relative, `/`-separated. */
  path: string;
  /** The requested lines, in order. */
  lines: string[];
  /** 1-based number of the first line in `lines`. */
  firstLine: number;
  /** Lines in the part of the file that was read (the whole file unless `partial`). */
  totalLines: number;
  /** Set when the file is larger than the read cap: only its head was read, and this says how much. */
  partial?: string;
}

export interface ListResult {
  paths: string[];
  /** More matched than were returned. */
  truncated: boolean;
}

export interface GrepResult {
  /** `path:line: text`. */
  matches: string[];
  truncated: boolean;
  /** Why the search stopped early (time limit), when it did. */
  stopped?: string;
  /** Files skipped (binary, over the size cap). */
  skipped: number;
}

/** The workspace, inside its folders only. Every method throws an Error with a message the model can act on. */
export interface ToolWorkspacePort {
  readFile(path: string, range: { offset?: number; limit?: number }, signal: AbortSignal): Promise<ReadFileResult>;
  /** The whole text of a file (for propose_edit), refused like readFile when binary, outside or too large. */
  readText(path: string, signal: AbortSignal): Promise<{ path: string; text: string }>;
  listFiles(glob: string, signal: AbortSignal): Promise<ListResult>;
  grep(pattern: string, glob: string | undefined, signal: AbortSignal): Promise<GrepResult>;
}

/** The proof operations of src/app/proof.ts, as they are: a face (or a test) may wrap them, never re-implement them. */
export interface ToolProofPort {
  whatIfIndex: typeof whatIfIndex;
  compareResults: typeof compareResults;
}

export const proofOperations: ToolProofPort = { whatIfIndex, compareResults };

export interface ToolPorts {
  /** Absent: the database tools answer that no database is available here. */
  database?: ToolDatabasePort;
  /** Absent (untrusted workspace, MCP): the workspace tools answer that no workspace is available here. */
  workspace?: ToolWorkspacePort;
  /** Default `proofOperations`. */
  proof?: ToolProofPort;
}
