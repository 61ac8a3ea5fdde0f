// Validates a tool call's input against the tool's own JSON Schema (definitions.ts), so the schema the model is shown
// and the check its input passes can never disagree. Only the keywords our schemas use are supported; an error names
// the property, what was expected and what came instead, so the model can correct the call. Pure.
import { toolDefinition } from './definitions';
import type { TodoItem, ToolName } from './types';

export interface ToolInputs {
  explain_query: { sql: string; analyze?: boolean };
  describe_table: { table: string };
  review_schema: { schema?: string };
  what_if_index: { sql: string; indexes: string[] };
  compare_results: { original: string; rewrite: string };
  read_file: { path: string; offset?: number; limit?: number };
  list_files: { glob: string };
  grep: { pattern: string; glob?: string };
  propose_edit: { path: string; old_text: string; new_text: string };
  todo_write: { items: TodoItem[] };
  analyze_plan: { plan: string };
  list_connections: Record<string, never>;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; message: string };

type Schema = Record<string, unknown>;

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return `a ${typeof value}`;
}

function check(value: unknown, schema: Schema, path: string, errors: string[]): void {
  const where = path || 'the input';
  const type = schema.type as string | undefined;
  switch (type) {
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        errors.push(`${where} must be an object, got ${kindOf(value)}`);
        return;
      }
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      const obj = value as Record<string, unknown>;
      for (const key of (schema.required as string[] | undefined) ?? []) {
        if (obj[key] === undefined) errors.push(`${path ? `${path}.` : ''}${key} is required`);
      }
      for (const [key, v] of Object.entries(obj)) {
        const sub = props[key];
        const at = path ? `${path}.${key}` : key;
        if (!sub) {
          if (schema.additionalProperties === false) {
            const known = Object.keys(props);
            errors.push(`${at} is not a known property${known.length ? ` (expected ${known.join(', ')})` : ' (this tool takes no input)'}`);
          }
          continue;
        }
        if (v === undefined) continue;
        check(v, sub, at, errors);
      }
      return;
    }
    case 'string': {
      if (typeof value !== 'string') {
        errors.push(`${where} must be a string, got ${kindOf(value)}`);
        return;
      }
      if (typeof schema.minLength === 'number' && value.length < schema.minLength) errors.push(schema.minLength === 1 ? `${where} must not be empty` : `${where} must be at least ${schema.minLength} characters`);
      if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) errors.push(`${where} is ${value.length.toLocaleString('en-US')} characters; at most ${schema.maxLength.toLocaleString('en-US')} are accepted`);
      if (Array.isArray(schema.enum) && !schema.enum.includes(value)) errors.push(`${where} must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}, got ${JSON.stringify(value.slice(0, 40))}`);
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') errors.push(`${where} must be true or false, got ${kindOf(value)}`);
      return;
    case 'integer': {
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        errors.push(`${where} must be an integer, got ${kindOf(value)}`);
        return;
      }
      if (typeof schema.minimum === 'number' && value < schema.minimum) errors.push(`${where} must be at least ${schema.minimum}, got ${value}`);
      if (typeof schema.maximum === 'number' && value > schema.maximum) errors.push(`${where} must be at most ${schema.maximum}, got ${value}`);
      return;
    }
    case 'array': {
      if (!Array.isArray(value)) {
        errors.push(`${where} must be an array, got ${kindOf(value)}`);
        return;
      }
      if (typeof schema.minItems === 'number' && value.length < schema.minItems) errors.push(`${where} needs at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}`);
      if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) errors.push(`${where} has ${value.length} items; at most ${schema.maxItems} are accepted`);
      const items = schema.items as Schema | undefined;
      if (items) value.forEach((v, i) => check(v, items, `${where}[${i}]`, errors));
      return;
    }
    default:
      return;
  }
}

/** The input, typed, or one message listing every problem (at most five) for the model to fix. */
export function validateToolInput<N extends ToolName>(name: N, input: unknown): ValidationResult<ToolInputs[N]> {
  const errors: string[] = [];
  // A missing input is an empty object: a tool without required properties (list_connections) takes none.
  check(input ?? {}, toolDefinition(name).inputSchema as unknown as Schema, '', errors);
  if (errors.length === 0) return { ok: true, value: (input ?? {}) as ToolInputs[N] };
  const shown = errors.slice(0, 5);
  const more = errors.length - shown.length;
  return { ok: false, message: `Invalid input for ${name}: ${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}.` };
}
