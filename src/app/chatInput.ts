// Small pure helpers shared by the chat surfaces (sidebar, participant, CLI): reading SQL out of a chat prompt and
// turning findings into the protocol's view shape with the same [F1] ids the prompt uses.

const sqlStart = /^\s*(select|with|insert|update|delete|merge|explain|values|table|create|alter)\b/i;

/** Where the SQL comes from: a fenced block in the prompt, or a prompt that is itself SQL; the rest is the question. */
export function sqlFromPrompt(prompt: string): { sql?: string; question?: string } {
  const fenced = /```(?:sql|pgsql|postgres|postgresql|sqlite)?[ \t]*\r?\n([\s\S]*?)```/i.exec(prompt);
  if (fenced) {
    const question = (prompt.slice(0, fenced.index) + prompt.slice(fenced.index + fenced[0].length)).trim();
    const sql = fenced[1]!.trim();
    return { ...(sql ? { sql } : {}), ...(question ? { question } : {}) };
  }
  if (sqlStart.test(prompt)) return { sql: prompt.trim() };
  return prompt.trim() ? { question: prompt.trim() } : {};
}
