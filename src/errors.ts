// Typed errors shared by the language, the interpreter, the engines, the CLI and the UI.
// Every refusal names its kind and, where there is one, a 1-based line and column.

export type ErrorKind =
  | 'syntax' // the text does not parse
  | 'unsupported' // valid JavaScript outside ddx's subset
  | 'unknown-name' // a name that is not declared or not in the primitive table
  | 'arity' // a call with the wrong number of arguments
  | 'type' // a number used as an array, or the reverse
  | 'no-function' // nothing to differentiate
  | 'input' // a bad point: missing, extra or ill-typed parameter values
  | 'budget' // a runaway computation stopped by the operation budget
  | 'runtime' // an error while evaluating (an index out of range, say)
  | 'engine'; // an engine cannot handle this function

export interface SourceLocation {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

export interface ErrorInfo {
  kind: ErrorKind;
  message: string;
  line: number | null;
  column: number | null;
}

export class DdxError extends Error {
  readonly kind: ErrorKind;
  readonly line: number | null;
  readonly column: number | null;
  /** Structured data beside the message (the manual engine's template), for a failed engine's result. */
  readonly details: Record<string, unknown> | undefined;

  constructor(kind: ErrorKind, message: string, loc?: SourceLocation | null, details?: Record<string, unknown>) {
    super(message);
    this.details = details;
    this.name = 'DdxError';
    this.kind = kind;
    this.line = loc?.line ?? null;
    this.column = loc?.column ?? null;
  }

  toJSON(): ErrorInfo {
    return { kind: this.kind, message: this.message, line: this.line, column: this.column };
  }
}

/** Turns anything thrown into the error shape of the JSON contract. */
export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof DdxError) return err.toJSON();
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    return { kind: 'budget', message: 'the computation nested too deeply (call stack exhausted)', line: null, column: null };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'engine', message, line: null, column: null };
}
