// Workspace state that survives a browser refresh. VS Code's workspaceState is written by the window: the web build
// (code-server, vscode.dev) keeps changes in the page and loses those not yet flushed when the page is refreshed, so
// a chat conversation or a chosen persona vanished with an F5. This store writes each change at once to a JSON file
// in the extension's workspace storage folder (on the extension host's file system), and reads it back on start.
// Where there is no such folder (no workspace, or a non-file storage), it is workspaceState and nothing more.
// No vscode import: the extension passes its workspaceState and storage folder.
import { mkdirSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The part of VS Code's Memento (workspaceState) this store needs; kept here so src/host stays free of vscode. */
export interface MementoLike {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

const fileName = 'state.json';

export class DurableState {
  private values: Record<string, unknown> = {};
  private readonly file: string | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly memento: MementoLike,
    /** The extension's workspace storage folder on the extension host's disk, when there is one. */
    storageDir: string | undefined,
    private readonly onError: (message: string) => void = () => undefined,
  ) {
    this.file = storageDir ? join(storageDir, fileName) : undefined;
    if (!this.file) return;
    try {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) this.values = parsed as Record<string, unknown>;
    } catch (err) {
      // No file yet is the normal first start; anything else is reported and the memento is used.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') onError(`workspace state file unreadable (${err instanceof Error ? err.message : String(err)}); starting from workspaceState`);
    }
  }

  get<T>(key: string, defaultValue: T): T;
  get<T>(key: string): T | undefined;
  get<T>(key: string, defaultValue?: T): T | undefined {
    if (Object.prototype.hasOwnProperty.call(this.values, key)) return this.values[key] as T;
    // Written before this store existed, or where there is no file: VS Code's own workspaceState.
    return this.memento.get<T>(key) ?? defaultValue;
  }

  /** Stores the value in workspaceState and, at once, in the file; resolves when both are written. */
  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) delete this.values[key];
    else this.values[key] = value;
    const memento = this.memento.update(key, value);
    if (this.file) {
      const file = this.file;
      const text = JSON.stringify(this.values);
      // One write at a time, each replacing the file whole (write a temporary file, then rename), so a refresh or a
      // crash mid-write never leaves half a file.
      this.writing = this.writing.then(async () => {
        try {
          mkdirSync(join(file, '..'), { recursive: true });
          await writeFile(`${file}.tmp`, text, 'utf8');
          await rename(`${file}.tmp`, file);
        } catch (err) {
          this.onError(`could not write the workspace state file (${err instanceof Error ? err.message : String(err)})`);
        }
      });
      await this.writing;
    }
    await memento;
  }
}
