// PostgreSQL `EXPLAIN (FORMAT YAML)` → the JSON shape pgJson.ts reads (the keys are the same). js-yaml (already
// shipped for persona front matter) reads it with its JSON schema: plain data, no tags, no code.
import { JSON_SCHEMA, safeLoad } from 'js-yaml';
import { PlanParseError } from './model';

export function pgYamlValue(text: string): unknown {
  try {
    return safeLoad(text, { schema: JSON_SCHEMA });
  } catch (err) {
    if (err instanceof RangeError) throw new PlanParseError('this looks like PostgreSQL EXPLAIN (FORMAT YAML) output, but it is nested too deeply to read');
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new PlanParseError(`this looks like PostgreSQL EXPLAIN (FORMAT YAML) output, but the YAML is broken: ${message}`);
  }
}
