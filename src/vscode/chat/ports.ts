// What the chat needs from the connections feature (owned by the databases area). Services.chatConnections holds the
// implementation once that feature registers it; until then the chat runs without a database (no plan evidence).
import type { Dialect } from '../../core/sql/dialect';
import type * as vscode from 'vscode';
import type { Finding } from '../../core/findings';
import type { Database, ExplainResult } from '../../db/types';

export interface ChatConnections {
  list(): { name: string; driver: string }[];
  activeName(): string | null;
  /** The driver of the active connection, from settings (no I/O); undefined when the setting is unreadable. */
  activeDriver(): string | undefined;
  setActive(name: string | null): Promise<void>;
  /** The open database of the active connection, or null when none is active. */
  activeDatabase(): Promise<Database | null>;
  readonly onDidChange: vscode.Event<void>;
}

/** A task started from the editor (Explain/Optimize/Review Schema commands) or the chat participant. */
export interface ChatTaskArgs {
  task: 'explain' | 'optimize' | 'review-schema' | 'chat';
  sql?: string;
  dialect?: Dialect;
  question?: string;
  /** The editor the statement came from and its range, so "Replace statement" edits the right text. */
  documentUri?: vscode.Uri;
  range?: vscode.Range;
  /** The database to explain against; defaults to the active connection. */
  database?: Database | null;
  /** Stops the run from outside too (e.g. a cancellable progress notification), in addition to the Stop button. */
  signal?: AbortSignal;
  /** Called with the findings as the chat shows them (the one analysis of the plan), e.g. for editor diagnostics. */
  onFindings?: (findings: readonly Finding[]) => void;
  /** Called with the EXPLAIN result once it is analyzed, and its findings (the chat keeps the plan for Show plan). */
  onExplained?: (result: ExplainResult, findings: readonly Finding[]) => void;
}
