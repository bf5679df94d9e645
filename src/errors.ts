/**
 * An error whose message is written for the person who ran the command: an unknown topic,
 * a missing permission, a story that does not exist. The dispatcher shows it as is.
 * Anything that is not a UserError is an internal fault: logged in full, never shown.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}

/** Short text for logs when something that is not an Error was thrown. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
