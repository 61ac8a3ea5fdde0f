// The one finding shape shared by plan analysis, schema review, the prompt builder and every view.

export type Severity = 'info' | 'warning' | 'critical';

export interface Finding {
  /** Stable rule id, e.g. `seq-scan-filter` or `fk-without-index`. */
  rule: string;
  severity: Severity;
  /** 0–5: how much fixing it could save (plan rules) or how much it matters (schema rules). */
  score: number;
  /** Human-readable, one or two sentences; quotes database names as data. */
  message: string;
  /** Plan findings: the node id (`#3`) or path the finding is about. */
  node?: string;
  /** Schema findings: the qualified table or index name. */
  object?: string;
  /** A suggested fix as SQL, when there is one. */
  fix?: string;
  /** The numbers behind the finding. */
  evidence: Record<string, number | string | boolean | null>;
}

const severityRank: Record<Severity, number> = { critical: 2, warning: 1, info: 0 };

/** Highest score first; ties broken by severity, then rule id, so output is stable. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      b.score - a.score ||
      severityRank[b.severity] - severityRank[a.severity] ||
      a.rule.localeCompare(b.rule) ||
      (a.node ?? a.object ?? '').localeCompare(b.node ?? b.object ?? ''),
  );
}
