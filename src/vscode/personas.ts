// The extension's personas: loaded on first use from the workspace, the setting's folders and the bundled agents/,
// kept fresh by file watchers, and chosen per workspace with "Data Engineer: Select Persona".

import { dirname } from 'node:path';
import * as vscode from 'vscode';
import type { DurableState } from '../host/durableState';
import type { PersonaSet } from '../core/persona/registry';
import type { Persona, PersonaError } from '../core/persona/types';
import { personaFolderSpecs } from '../host/personaFolders';
import type { PersonaFolderSpec } from '../host/personaReader';

/**
 * The picker's choice lives in workspace state (DurableState), not in settings: choosing a persona should not edit a settings.json that
 * may be committed and shared. The `dataeng.persona` setting stays the default for workspaces with no choice yet.
 */
export const selectedPersonaKey = 'dataeng.persona.selected';
export const defaultPersonaName = 'the-data-engineer';

const reloadDelayMs = 150;

export class PersonaStore implements vscode.Disposable {
  private set: PersonaSet = { personas: [], errors: [] };
  private loading: Promise<void> | undefined;
  private watchers: vscode.Disposable[] = [];
  private readonly listeners: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastWarning = '';
  private generation = 0;

  /** Fires after every reload and after the selected persona changes. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    private readonly state: Pick<DurableState, 'get' | 'update'>,
  ) {
    // Subscribing is cheap; nothing is read from disk until someone asks for a persona.
    this.listeners.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('dataeng.personas.folders')) this.scheduleReload();
        else if (e.affectsConfiguration('dataeng.persona')) this.changed.fire();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.scheduleReload()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.scheduleReload()),
    );
  }

  /** Loads once; later calls wait for the same load. */
  ensureLoaded(): Promise<void> {
    this.loading ??= this.load();
    return this.loading;
  }

  /** Re-reads every folder now and rebuilds the watchers. */
  reload(): Promise<void> {
    this.loading = this.load();
    return this.loading;
  }

  /** Personas in priority order; empty until the first load finished. */
  all(): readonly Persona[] {
    return this.set.personas;
  }

  get(name: string): Persona | undefined {
    return this.set.personas.find((p) => p.name === name);
  }

  get errors(): readonly PersonaError[] {
    return this.set.errors;
  }

  /** The persona to use: this workspace's choice, else the `dataeng.persona` setting, else the default, else the first. */
  async current(): Promise<Persona | undefined> {
    await this.ensureLoaded();
    const { choosePersona } = await import('../core/persona/registry');
    const setting = vscode.workspace.getConfiguration('dataeng').get<string>('persona');
    return choosePersona(this.set.personas, [this.state.get<string>(selectedPersonaKey), setting, defaultPersonaName]);
  }

  async select(name: string): Promise<Persona> {
    await this.ensureLoaded();
    const persona = this.get(name);
    if (!persona) throw new Error(`no persona named '${name}' is loaded (run "Data Engineer: Reload Personas" after adding it)`);
    await this.state.update(selectedPersonaKey, name);
    this.changed.fire();
    return persona;
  }

  private folderSpecs(): PersonaFolderSpec[] {
    const settingFolders = vscode.workspace.getConfiguration('dataeng').get<unknown>('personas.folders');
    return personaFolderSpecs({
      workspaceDirs: (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath),
      // Workspace and setting folders can hold prompts planted by a repository; Restricted Mode reads neither.
      trusted: vscode.workspace.isTrusted,
      settingFolders: Array.isArray(settingFolders) ? settingFolders.filter((f): f is string => typeof f === 'string') : [],
      bundledDir: vscode.Uri.joinPath(this.context.extensionUri, 'agents').fsPath,
    });
  }

  private async load(): Promise<void> {
    const generation = ++this.generation;
    const specs = this.folderSpecs();
    // The parser pulls in gray-matter and js-yaml; importing it here keeps them out of activation.
    const { loadPersonas } = await import('../host/personaReader');
    const set = await loadPersonas(specs);
    // A newer reload started while this one was reading: its result wins.
    if (generation !== this.generation) return;
    this.set = set;
    this.watch(specs);
    this.report();
    this.changed.fire();
  }

  private watch(specs: readonly PersonaFolderSpec[]): void {
    for (const w of this.watchers.splice(0)) w.dispose();
    for (const spec of specs) {
      // Bundled personas change only with the extension itself.
      if (spec.origin === 'bundled') continue;
      // `.claude/agents` may not exist yet: watching from the workspace root also sees the folder being created.
      const pattern =
        spec.origin === 'workspace'
          ? new vscode.RelativePattern(vscode.Uri.file(dirname(dirname(spec.dir))), '.claude/agents/*.md')
          : new vscode.RelativePattern(vscode.Uri.file(spec.dir), '*.md');
      const watcher = vscode.workspace.createFileSystemWatcher(pattern);
      watcher.onDidCreate(() => this.scheduleReload());
      watcher.onDidChange(() => this.scheduleReload());
      watcher.onDidDelete(() => this.scheduleReload());
      this.watchers.push(watcher);
    }
  }

  private scheduleReload(): void {
    // Only reload what someone has already loaded; otherwise the next use reads fresh files anyway.
    if (!this.loading) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.reload().catch((err: unknown) => this.log.error(`reloading personas failed: ${err instanceof Error ? err.message : String(err)}`));
    }, reloadDelayMs);
  }

  private report(): void {
    const { personas, errors } = this.set;
    this.log.info(`personas: ${personas.length} loaded (${personas.map((p) => `${p.name} [${p.source.origin}]`).join(', ')}), ${errors.length} not loaded`);
    for (const e of errors) this.log.warn(`persona file ${e.file}: ${e.message}`);
    // Warn once per distinct set of problems, so a watcher firing repeatedly does not repeat the same toast.
    const key = JSON.stringify(errors);
    if (key === this.lastWarning) return;
    this.lastWarning = key;
    const first = errors[0];
    if (!first) return;
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    void vscode.window
      .showWarningMessage(`Data Engineer: a persona file could not be loaded: ${first.file}: ${first.message}${more}`, 'Show Log')
      .then((choice) => {
        if (choice) this.log.show();
      });
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of [...this.watchers.splice(0), ...this.listeners.splice(0)]) d.dispose();
    this.changed.dispose();
  }
}

interface PersonaPickItem extends vscode.QuickPickItem {
  name: string;
}

/** "Data Engineer: Select Persona". Called with a name (from the chat view), it selects without asking. */
export async function selectPersonaCommand(store: PersonaStore, name?: unknown): Promise<Persona | undefined> {
  if (typeof name === 'string' && name !== '') return store.select(name);
  await store.ensureLoaded();
  const current = await store.current();
  const items: PersonaPickItem[] = store.all().map((p) => ({
    name: p.name,
    label: p.name === current?.name ? `$(check) ${p.name}` : p.name,
    description: p.source.origin,
    detail: firstLine(p.description),
  }));
  if (!items.length) {
    void vscode.window.showWarningMessage('Data Engineer: no persona could be loaded. See the log for the reasons.', 'Show Log');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Select Persona',
    placeHolder: store.errors.length ? `${store.errors.length} persona file(s) could not be loaded; see "Data Engineer: Show Log"` : 'Persona used as the system prompt',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked ? store.select(picked.name) : undefined;
}

/** "Data Engineer: Reload Personas". */
export async function reloadPersonasCommand(store: PersonaStore): Promise<void> {
  await store.reload();
  const n = store.all().length;
  const errors = store.errors.length;
  void vscode.window.showInformationMessage(
    `Data Engineer: ${n} persona${n === 1 ? '' : 's'} loaded${errors ? `, ${errors} file${errors === 1 ? '' : 's'} with problems (see the log)` : ''}.`,
  );
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}
