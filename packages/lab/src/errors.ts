/** One diagnostic about a lab file: where (file, line, column, path) and what. */
export type LabSeverity = 'error' | 'warning';

export class LabError extends Error {
  override readonly name = 'LabError';
  constructor(
    /** The lab file as it was named to the parser. */
    readonly file: string,
    /** 1-based line; 0 when the position is unknown. */
    readonly line: number,
    /** 1-based column; 0 when the position is unknown. */
    readonly column: number,
    /** Where in the document: `nodes.r1.daemons[0].argv`; '' for the document itself. */
    readonly path: string,
    /** What is wrong, e.g. `must be router or host (got "routr")`. */
    readonly detail: string,
    readonly severity: LabSeverity = 'error',
  ) {
    super(formatDiagnostic(file, line, column, path, detail, severity));
  }
}

/**
 * `quickstart.yaml:12:7: nodes.r1.role: must be router or host (got "routr")`;
 * warnings read `file:line:col: warning: path: detail`.
 */
export function formatDiagnostic(
  file: string,
  line: number,
  column: number,
  path: string,
  detail: string,
  severity: LabSeverity,
): string {
  const where = `${file}:${line}:${column}:`;
  const tag = severity === 'warning' ? ' warning:' : '';
  return path === '' ? `${where}${tag} ${detail}` : `${where}${tag} ${path}: ${detail}`;
}

/** Sorts diagnostics by line, then column, keeping the discovery order of ties. */
export function sortDiagnostics(list: readonly LabError[]): LabError[] {
  return list
    .map((d, i) => ({ d, i }))
    .sort((a, b) => a.d.line - b.d.line || a.d.column - b.d.column || a.i - b.i)
    .map((x) => x.d);
}

/** Thrown when a lab file has errors: all of them, sorted by position, one per line in `message`. */
export class LabErrors extends Error {
  override readonly name = 'LabErrors';
  constructor(
    readonly errors: readonly LabError[],
    readonly warnings: readonly LabError[] = [],
  ) {
    super(errors.map((e) => e.message).join('\n'));
  }
}
