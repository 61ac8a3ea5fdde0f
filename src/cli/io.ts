// The CLI's only window on the process: every subcommand writes through this, so tests can capture it.

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Reads a whole file, or standard input for `-`. */
  readFile(path: string): Promise<string>;
  /** Writes a whole file (`--html`). Optional so that the many tests whose commands write nothing need not stub it. */
  writeFile?(path: string, text: string): Promise<void>;
  env: Record<string, string | undefined>;
  cwd: string;
}

/** One subcommand, in its own module under src/cli/commands/, loaded only when it runs (see src/cli/main.ts). */
export interface Subcommand {
  name: string;
  /** The text `dataeng NAME --help` prints; main() answers --help and -h for every subcommand. */
  help(): string;
  run(argv: string[], io: CliIo): Promise<number>;
}
