/** An error the application understands: a stable code for logs and audit, the cause kept. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = 'AppError';
  }
}

/** A step failed in a way that retrying cannot fix (Genesys answered ERROR, the user is gone). */
export class PermanentStepError extends AppError {
  override readonly name = 'PermanentStepError';
}
