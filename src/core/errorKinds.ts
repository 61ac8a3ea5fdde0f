// The one list of ways a task can end in error, shared by the model client (src/llm), the pipeline (src/app), the
// webview protocol (src/protocol) and every face that shows or maps them (chat, participant, CLI, tools).
// Each face narrows it to what it can produce; none defines its own.

export const errorKinds = [
  // The model call.
  'noKey',
  'auth',
  'permission',
  'rateLimit',
  'overloaded',
  'server',
  'badRequest',
  'network',
  'timeout',
  'incomplete',
  'cancelled',
  // The rest of the pipeline.
  'database',
  'input',
] as const;

export type ErrorKind = (typeof errorKinds)[number];

/** What a model call can fail with: everything but the pipeline's own kinds. */
export type LlmErrorKind = Exclude<ErrorKind, 'database' | 'input'>;

export function isErrorKind(value: unknown): value is ErrorKind {
  return typeof value === 'string' && (errorKinds as readonly string[]).includes(value);
}
