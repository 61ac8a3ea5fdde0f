// The workspace tools' port on Node's fs (no vscode): read_file, list_files, grep and the text propose_edit checks.
// Everything stays inside the workspace folders: every path is resolved with realpath (so a symlink pointing out is
// refused, not followed), binary files are refused, and reads are capped. grep runs in a worker thread with a time
// limit, so a pathological regular expression is stopped by terminating the thread, never by freezing the host.
import { open, readdir, realpath, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Worker } from 'node:worker_threads';
import { globToRegExp } from '../core/tools/glob';
import type { GrepResult, ListResult, ReadFileResult, ToolWorkspacePort } from '../app/tools/ports';

export interface WorkspaceFilesOptions {
  /** The workspace folders (absolute). */
  roots: readonly string[];
  /** read_file reads at most this many bytes of a file (default 2 MB); beyond it says what it left out. */
  maxReadBytes?: number;
  /** propose_edit and grep skip or refuse files above this size (default 2 MB). */
  maxTextBytes?: number;
  /** list_files returns at most this many paths (default 500). */
  maxListed?: number;
  /** The walk looks at most at this many entries (default 50,000). */
  maxWalked?: number;
  /** grep returns at most this many lines (default 200). */
  maxMatches?: number;
  /** grep stops after this long (default 5 s). */
  grepTimeoutMs?: number;
}

const skippedDirs = new Set(['.git', 'node_modules', '.hg', '.svn']);
const defaultReadLimit = 400;
const maxLineChars = 2_000;

/** The first 8 KB decide: a NUL byte, or bytes that are not UTF-8, mean binary. */
export function looksBinary(head: Uint8Array): boolean {
  if (head.includes(0)) return true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return false;
  } catch {
    return true;
  }
}

interface Root {
  real: string;
  label: string;
}

export class WorkspaceFiles implements ToolWorkspacePort {
  private roots: Promise<Root[]> | undefined;
  private readonly maxReadBytes: number;
  private readonly maxTextBytes: number;

  constructor(private readonly options: WorkspaceFilesOptions) {
    this.maxReadBytes = options.maxReadBytes ?? 2 * 1024 * 1024;
    this.maxTextBytes = options.maxTextBytes ?? 2 * 1024 * 1024;
  }

  private realRoots(): Promise<Root[]> {
    this.roots ??= Promise.all(
      this.options.roots.map(async (r) => {
        const real = await realpath(r);
        return { real, label: basename(real) };
      }),
    );
    return this.roots;
  }

  /** Workspace-relative display path; with several folders, prefixed by the folder's name (as VS Code shows it). */
  private display(roots: Root[], root: Root, real: string): string {
    const rel = relative(root.real, real).split(sep).join('/');
    return roots.length > 1 ? `${root.label}/${rel}` : rel;
  }

  private static inside(root: string, real: string): boolean {
    return real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);
  }

  /** The real path of a workspace file, or an Error saying why not. */
  async resolveFile(path: string): Promise<{ real: string; display: string; size: number }> {
    const roots = await this.realRoots();
    if (!roots.length) throw new Error('No workspace folder is open.');
    const cleaned = path.replace(/\\/g, '/');
    const candidates: { root: Root; abs: string }[] = [];
    if (isAbsolute(cleaned)) for (const root of roots) candidates.push({ root, abs: resolve(cleaned) });
    else {
      for (const root of roots) {
        candidates.push({ root, abs: resolve(root.real, cleaned) });
        // With several folders a path may start with the folder's name.
        if (roots.length > 1 && cleaned.startsWith(`${root.label}/`)) candidates.unshift({ root, abs: resolve(root.real, cleaned.slice(root.label.length + 1)) });
      }
    }
    let sawOutside = false;
    for (const { abs } of candidates) {
      let real: string;
      try {
        real = await realpath(abs);
      } catch {
        continue;
      }
      const owner = roots.find((r) => WorkspaceFiles.inside(r.real, real));
      if (!owner) {
        sawOutside = true;
        continue;
      }
      const st = await stat(real);
      if (st.isDirectory()) throw new Error(`${path} is a folder; use list_files to see what is in it.`);
      if (!st.isFile()) throw new Error(`${path} is not a regular file.`);
      return { real, display: this.display(roots, owner, real), size: st.size };
    }
    if (sawOutside) throw new Error(`Refused: ${path} is outside the workspace folders (symbolic links are resolved first). Only files inside the workspace can be read.`);
    throw new Error(`${path} does not exist in the workspace. Use list_files to find the right path.`);
  }

  private async head(real: string, bytes: number): Promise<Buffer> {
    const handle = await open(real, 'r');
    try {
      const buffer = Buffer.alloc(bytes);
      const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  async readFile(path: string, range: { offset?: number; limit?: number }, signal: AbortSignal): Promise<ReadFileResult> {
    const file = await this.resolveFile(path);
    signal.throwIfAborted();
    const toRead = Math.min(file.size, this.maxReadBytes);
    const bytes = await this.head(file.real, toRead);
    if (looksBinary(bytes.subarray(0, 8192))) throw new Error(`Refused: ${file.display} is a binary file; only text files can be read.`);
    let text = new TextDecoder('utf-8').decode(bytes);
    let partial: string | undefined;
    if (file.size > toRead) {
      // Drop the last, possibly cut, line.
      const lastNewline = text.lastIndexOf('\n');
      if (lastNewline > 0) text = text.slice(0, lastNewline);
      partial = `the file is ${file.size.toLocaleString('en-US')} bytes; only its first ${toRead.toLocaleString('en-US')} bytes can be read here`;
    }
    const all = text.split(/\r?\n/);
    if (all.length > 1 && all[all.length - 1] === '' && !partial) all.pop();
    const firstLine = range.offset ?? 1;
    const limit = range.limit ?? defaultReadLimit;
    const lines = all.slice(firstLine - 1, firstLine - 1 + limit).map((l) => (l.length > maxLineChars ? `${l.slice(0, maxLineChars)} […line cut at ${maxLineChars} characters]` : l));
    return { path: file.display, lines, firstLine, totalLines: all.length, ...(partial ? { partial } : {}) };
  }

  async readText(path: string, signal: AbortSignal): Promise<{ path: string; text: string }> {
    const file = await this.resolveFile(path);
    signal.throwIfAborted();
    if (file.size > this.maxTextBytes) throw new Error(`Refused: ${file.display} is ${file.size.toLocaleString('en-US')} bytes, more than the ${this.maxTextBytes.toLocaleString('en-US')} an edit may be proposed to.`);
    const bytes = await this.head(file.real, file.size);
    if (looksBinary(bytes.subarray(0, 8192))) throw new Error(`Refused: ${file.display} is a binary file; edits are only proposed to text files.`);
    return { path: file.display, text: new TextDecoder('utf-8').decode(bytes) };
  }

  /** Files under the roots whose display path matches `glob`, real paths kept; symlinked folders are not followed. */
  private async walk(glob: string | undefined, limit: number, signal: AbortSignal): Promise<{ files: { real: string; display: string }[]; truncated: boolean }> {
    const roots = await this.realRoots();
    const re = glob ? globToRegExp(glob) : undefined;
    const maxWalked = this.options.maxWalked ?? 50_000;
    const files: { real: string; display: string }[] = [];
    let walked = 0;
    let truncated = false;
    for (const root of roots) {
      const stack = [root.real];
      while (stack.length) {
        signal.throwIfAborted();
        const dir = stack.pop()!;
        let entries;
        try {
          entries = await readdir(dir, { withFileTypes: true });
        } catch {
          continue;
        }
        entries.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
        for (const e of entries) {
          if (++walked > maxWalked) return { files, truncated: true };
          const full = join(dir, e.name);
          if (e.isDirectory()) {
            if (!skippedDirs.has(e.name)) stack.push(full);
            continue;
          }
          let real = full;
          if (e.isSymbolicLink()) {
            // A link is listed only when its target is a file inside the workspace.
            try {
              real = await realpath(full);
              if (!roots.some((r) => WorkspaceFiles.inside(r.real, real)) || !(await stat(real)).isFile()) continue;
            } catch {
              continue;
            }
          } else if (!e.isFile()) continue;
          const display = this.display(roots, root, full);
          const relInRoot = relative(root.real, full).split(sep).join('/');
          if (re && !re.test(display) && !re.test(relInRoot)) continue;
          if (files.length >= limit) {
            truncated = true;
            return { files, truncated };
          }
          files.push({ real, display });
        }
      }
    }
    files.sort((a, b) => (a.display < b.display ? -1 : a.display > b.display ? 1 : 0));
    return { files, truncated };
  }

  async listFiles(glob: string, signal: AbortSignal): Promise<ListResult> {
    const { files, truncated } = await this.walk(glob, this.options.maxListed ?? 500, signal);
    return { paths: files.map((f) => f.display).sort(), truncated };
  }

  async grep(pattern: string, glob: string | undefined, signal: AbortSignal): Promise<GrepResult> {
    try {
      new RegExp(pattern);
    } catch (err) {
      throw new Error(`Invalid regular expression /${pattern}/: ${err instanceof Error ? err.message : String(err)}`);
    }
    const { files } = await this.walk(glob, 20_000, signal);
    const maxMatches = this.options.maxMatches ?? 200;
    return grepOffThread(files, pattern, { maxMatches, maxFileBytes: this.maxTextBytes, timeoutMs: this.options.grepTimeoutMs ?? 5_000, signal });
  }
}

// The grep worker, as source: it needs nothing but fs, so it runs from this string in every bundle (no extra file).
const grepWorkerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { files, pattern, maxMatches, maxFileBytes, maxLineChars } = workerData;
const re = new RegExp(pattern);
const decoder = new TextDecoder('utf-8', { fatal: true });
let count = 0, skipped = 0;
for (const f of files) {
  let st;
  try { st = fs.statSync(f.real); } catch { continue; }
  if (st.size > maxFileBytes) { skipped++; continue; }
  let bytes;
  try { bytes = fs.readFileSync(f.real); } catch { continue; }
  let text;
  if (bytes.subarray(0, 8192).includes(0)) { skipped++; continue; }
  try { text = decoder.decode(bytes); } catch { skipped++; continue; }
  const lines = text.split(/\\r?\\n/);
  const found = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].length > maxLineChars ? lines[i].slice(0, maxLineChars) : lines[i];
    if (re.test(line)) {
      found.push(f.display + ':' + (i + 1) + ': ' + line.trim().slice(0, 300));
      if (++count > maxMatches) break;
    }
  }
  if (found.length) parentPort.postMessage({ type: 'matches', found });
  if (count > maxMatches) break;
}
parentPort.postMessage({ type: 'done', skipped });
`;

interface GrepOptions {
  maxMatches: number;
  maxFileBytes: number;
  timeoutMs: number;
  signal: AbortSignal;
}

export function grepOffThread(files: readonly { real: string; display: string }[], pattern: string, options: GrepOptions): Promise<GrepResult> {
  options.signal.throwIfAborted();
  return new Promise<GrepResult>((resolvePromise, reject) => {
    const matches: string[] = [];
    const worker = new Worker(grepWorkerSource, { eval: true, workerData: { files, pattern, maxMatches: options.maxMatches, maxFileBytes: options.maxFileBytes, maxLineChars } });
    let finished = false;
    const finish = (result: GrepResult | Error): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      void worker.terminate();
      if (result instanceof Error) reject(result);
      else resolvePromise(result);
    };
    const partial = (stopped: string): GrepResult => ({ matches: matches.slice(0, options.maxMatches), truncated: matches.length > options.maxMatches, stopped, skipped: 0 });
    const timer = setTimeout(() => finish(partial(`it took longer than ${options.timeoutMs.toLocaleString('en-US')} ms (a simpler pattern or a narrower glob is faster)`)), options.timeoutMs);
    const onAbort = (): void => finish(new Error('cancelled'));
    options.signal.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: { type: 'matches'; found: string[] } | { type: 'done'; skipped: number }) => {
      if (m.type === 'matches') matches.push(...m.found);
      else finish({ matches: matches.slice(0, options.maxMatches), truncated: matches.length > options.maxMatches, skipped: m.skipped });
    });
    worker.on('error', (err) => finish(err));
    worker.on('exit', () => finish(partial('the search worker ended early')));
  });
}
