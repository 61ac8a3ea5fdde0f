// The XML and YAML document readers, behind a seam. fast-xml-parser and js-yaml together are about 250 KB of
// JavaScript; the extension host and the plan worker only ever parse plans the drivers return (JSON, text, SQLite
// rows), so they do not load them. Entry points that read pasted plans (the CLI's analyze-plan, the tests) install
// them with useDocumentReaders(pgDocumentReaders) from pgDocuments.ts.

export interface DocumentReaders {
  /** Reads `EXPLAIN (FORMAT XML)` into the JSON shape, or throws PlanParseError saying where the XML is broken. */
  xml: (text: string) => unknown;
  /** Reads `EXPLAIN (FORMAT YAML)` into the JSON shape, or throws PlanParseError saying where the YAML is broken. */
  yaml: (text: string) => unknown;
}

let installed: DocumentReaders | undefined;

/** Installs the readers; `undefined` removes them (what the extension host runs with). */
export function useDocumentReaders(readers: DocumentReaders | undefined): void {
  installed = readers;
}

export function documentReaders(): DocumentReaders | undefined {
  return installed;
}
