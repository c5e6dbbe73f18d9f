/**
 * The error model of the lab's own HTTP routes (issuers' mint, control API, unknown routes):
 * `{ "error": "<code>", "message": "<what is wrong and how to fix it>" }`. The AWS protocols have
 * their own models, serialised by their own plugins.
 */
export class LabError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'LabError';
  }

  toJSON(): { error: string; message: string } {
    return { error: this.code, message: this.message };
  }
}
