// Errors that reach the user: each names the stage, the file and the config
// path it concerns, so the CLI can print one precise line.

/** An expected failure caused by input: printed as one line, exit code 2. */
export class TalcError extends Error {
  /** A stable, kebab-case code. */
  readonly code: string;
  /** The compiler stage that found the problem. */
  readonly stage: string;
  /** The file the problem is in, when there is one. */
  readonly file?: string;
  /** The config or definition path, when there is one. */
  readonly path?: string;
  /** 1-based line in `file`, when known. */
  readonly line?: number;

  constructor(
    message: string,
    opts: { code: string; stage: string; file?: string; path?: string; line?: number; cause?: unknown },
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "TalcError";
    this.code = opts.code;
    this.stage = opts.stage;
    this.file = opts.file;
    this.path = opts.path;
    this.line = opts.line;
  }

  /** The one line the CLI prints: `file:line: path: message`. */
  format(): string {
    const where = [this.file === undefined ? undefined : this.line === undefined ? this.file : `${this.file}:${this.line}`, this.path]
      .filter((p) => p !== undefined && p !== "")
      .join(": ");
    return where === "" ? this.message : `${where}: ${this.message}`;
  }

  /** Several problems found together, reported as one failure: the first is the message, all are listed. */
  static many(problems: readonly TalcError[]): TalcError {
    if (problems.length === 1) return problems[0];
    const first = problems[0];
    const err = new TalcError(first.message, { code: first.code, stage: first.stage, file: first.file, path: first.path, line: first.line });
    err.all = problems;
    return err;
  }

  /** Every problem when this error stands for several (see `many`). */
  all: readonly TalcError[] = [this];

  /** The lines the CLI prints, one per problem. */
  lines(): string[] {
    return this.all.map((e) => e.format());
  }
}
