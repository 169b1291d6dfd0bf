/** A readable error in the spec: every message names the file and the JSON path. */
export class SpecError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`invalid spec:\n  ${problems.join('\n  ')}`);
    this.name = 'SpecError';
    this.problems = problems;
  }
}
