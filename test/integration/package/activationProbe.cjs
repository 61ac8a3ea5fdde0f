'use strict';
// Loads a built extension bundle the way VS Code does (require it, then call activate) and prints, as JSON, which
// modules were required while loading, while activating, and in the half second after. `vscode` is a stand-in that
// accepts any call: this measures what the bundle imports at start-up, not how it behaves in an editor (the e2e
// suite does that in a real VS Code).
// Usage: node activationProbe.cjs BUNDLE EXTENSION_DIR STORAGE_DIR
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const { join } = require('node:path');

const [bundle, extensionDir, storageDir] = process.argv.slice(2);
if (!bundle || !extensionDir || !storageDir) {
  console.error('usage: node activationProbe.cjs BUNDLE EXTENSION_DIR STORAGE_DIR');
  process.exit(2);
}

/** A value that is every object, function and class at once: property reads, calls and `new` all return another. */
function anything(name) {
  const props = new Map();
  return new Proxy(function stub() {}, {
    get(target, prop) {
      // Not a thenable, so awaiting it does not hang; iterable as an empty list; a string when printed.
      if (prop === 'then') return undefined;
      if (prop === Symbol.iterator) return function* empty() {};
      if (prop === Symbol.toPrimitive) return () => `[${name}]`;
      if (prop === 'dispose') return () => undefined;
      if (typeof prop === 'symbol') return Reflect.get(target, prop);
      if (!props.has(prop)) props.set(prop, anything(`${name}.${prop}`));
      return props.get(prop);
    },
    set(_target, prop, value) {
      props.set(prop, value);
      return true;
    },
    apply: () => anything(`${name}()`),
    construct: () => anything(`new ${name}`),
  });
}

function memento() {
  const values = new Map();
  return {
    get: (key, fallback) => (values.has(key) ? values.get(key) : fallback),
    update: async (key, value) => void values.set(key, value),
    keys: () => [...values.keys()],
    setKeysForSync: () => undefined,
  };
}

const fileUri = (path) => ({ scheme: 'file', fsPath: path, path, toString: () => `file://${path}` });
const context = {
  subscriptions: [],
  extensionPath: extensionDir,
  extensionUri: fileUri(extensionDir),
  globalStorageUri: fileUri(join(storageDir, 'global')),
  storageUri: fileUri(join(storageDir, 'workspace')),
  logUri: fileUri(join(storageDir, 'log')),
  globalStoragePath: join(storageDir, 'global'),
  extensionMode: 1,
  asAbsolutePath: (relative) => join(extensionDir, relative),
  globalState: memento(),
  workspaceState: memento(),
  secrets: {
    get: async () => undefined,
    store: async () => undefined,
    delete: async () => undefined,
    onDidChange: () => ({ dispose: () => undefined }),
  },
  environmentVariableCollection: anything('environmentVariableCollection'),
};

/**
 * The `vscode` module itself. Bundlers copy a module's own property names into a namespace object, so this one must
 * list the API's real top-level names: they are read from @types/vscode.
 */
function vscodeModule() {
  const typings = readFileSync(require.resolve('@types/vscode/index.d.ts'), 'utf8');
  const names = [...new Set([...typings.matchAll(/^\texport (?:namespace|class|enum|const|let|function) (\w+)/gm)].map((m) => m[1]))];
  const api = Object.fromEntries(names.map((name) => [name, anything(`vscode.${name}`)]));
  api.version = '1.100.0';
  return api;
}

const required = { load: [], activate: [], after: [] };
let phase = 'load';
const vscode = vscodeModule();
const load = Module._load;
Module._load = function probeLoad(request, parent, isMain) {
  if (!required[phase].includes(request)) required[phase].push(request);
  if (request === 'vscode') return vscode;
  return load.call(this, request, parent, isMain);
};

let activateError;
try {
  const extension = require(bundle);
  phase = 'activate';
  const result = extension.activate(context);
  Promise.resolve(result).catch((err) => {
    activateError = err instanceof Error ? err.stack : String(err);
  });
} catch (err) {
  activateError = err instanceof Error ? err.stack : String(err);
}
phase = 'after';
setTimeout(() => {
  process.stdout.write(JSON.stringify({ required, activateError }));
  // Whatever activation started (timers, watchers) must not keep the probe alive.
  process.exit(0);
}, 500);
