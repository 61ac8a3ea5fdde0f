export type Dialect = 'postgres' | 'sqlite';

export const dialects: readonly Dialect[] = ['postgres', 'sqlite'];

export function isDialect(value: unknown): value is Dialect {
  return value === 'postgres' || value === 'sqlite';
}
