// Data sections of the user message. Everything inside a section is data (user SQL, plan text, database names and
// comments, model output from earlier turns): text that looks like one of our section tags is neutralized so it
// cannot close the section early or open a fake one.

export const sectionNames = ['sql', 'plan_evidence', 'findings', 'schema_facts', 'proof', 'question', 'task'] as const;
export type SectionName = (typeof sectionNames)[number];

const tagLike = new RegExp(`<(\\s*/?\\s*)(${sectionNames.join('|')})(?=[\\s>/=]|$)`, 'gi');

/** Writes the `<` of anything that looks like one of our tags as `&lt;`, leaving all other text untouched. */
export function neutralize(text: string): string {
  return text.replace(tagLike, '&lt;$1$2');
}

function attr(value: string): string {
  return value.replace(/[^A-Za-z0-9_.-]/g, '_');
}

export function section(name: SectionName, body: string, attrs: Record<string, string> = {}): string {
  const a = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${attr(v)}"`)
    .join('');
  const content = neutralize(body.replace(/\r\n?/g, '\n')).replace(/^\n+|\s+$/g, '');
  return `<${name}${a}>\n${content}\n</${name}>`;
}
