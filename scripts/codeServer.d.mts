// Types for scripts/codeServer.mjs, so the TypeScript e2e harness uses the same launcher as `npm start`.

export declare const repoRoot: string;
export type CodeServerHost = 'oldest' | 'current';
export declare const codeServerHosts: Record<CodeServerHost, { version: string; vscode: string; node: string }>;
export declare const codeServerVersion: string;
export declare const quietSettings: Record<string, unknown>;

export declare function toolsDir(): string;
export declare function codeServerBin(host?: CodeServerHost): string;
export declare function codeServerEnv(host?: CodeServerHost): Record<string, string>;
export declare function ensureCodeServer(host?: CodeServerHost): string;
export declare function extensionFolderName(): string;
export declare function linkExtension(extensionsDir: string, link?: { dist?: string }): string;
export declare function writeUserSettings(userDataDir: string, settings: Record<string, unknown>): void;
export declare function isPortFree(port: number): Promise<boolean>;
export declare function freePort(): Promise<number>;
export declare function workbenchUrl(port: number, folder: string): string;

export interface StartOptions {
  bin: string;
  port: number;
  userDataDir: string;
  extensionsDir: string;
  folder: string;
  env?: Record<string, string | undefined>;
  logFile?: string;
  inheritOutput?: boolean;
  timeoutMs?: number;
}

export interface CodeServerHandle {
  pid: number | undefined;
  port: number;
  url: string;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

export declare function startCodeServer(options: StartOptions): Promise<CodeServerHandle>;

export interface Profile {
  dir: string;
  userDataDir: string;
  extensionsDir: string;
}

export declare function makeProfile(settings: Record<string, unknown>, prefix?: string, link?: { dist?: string } | false): Profile;

export declare function installVsix(options: {
  bin: string;
  vsix: string;
  userDataDir: string;
  extensionsDir: string;
  env?: Record<string, string | undefined>;
}): string;
