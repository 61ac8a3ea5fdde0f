// Which model answers: one decision for the chat, the participant and the CLI. Pure.

export interface ModelChoiceInput {
  /** The user's explicit choice for this question (the CLI's --model). */
  explicit?: string | undefined;
  /** `dataeng.model` only when the user set it at some level (inspect() found a value), never its default. */
  userSetting?: string | undefined;
  /** The persona's `model` front-matter field (Claude Code writes `sonnet`, `opus`, `haiku`, `inherit` or an id). */
  persona?: string | undefined;
}

export interface ModelChoice {
  model: string;
  from: 'explicit' | 'setting' | 'persona' | 'default';
}

/**
 * The user's explicit choice > the setting when the user set it > the persona's model > the default. A persona's
 * `inherit` means "whatever the caller uses", so it falls through to the default; short aliases become full ids.
 */
export function chooseModel(input: ModelChoiceInput, aliases: Readonly<Record<string, string>>, fallback: string): ModelChoice {
  const explicit = input.explicit?.trim();
  if (explicit) return { model: aliases[explicit] ?? explicit, from: 'explicit' };
  const setting = input.userSetting?.trim();
  if (setting) return { model: aliases[setting] ?? setting, from: 'setting' };
  const persona = input.persona?.trim();
  if (persona && persona !== 'inherit') return { model: aliases[persona.toLowerCase()] ?? persona, from: 'persona' };
  return { model: fallback, from: 'default' };
}
