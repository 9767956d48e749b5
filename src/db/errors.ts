/**
 * What a failed statement says, in a line: drizzle wraps the driver's error as "Failed query:
 * <the whole statement> params: <every parameter>" (kilobytes for a batch) and keeps the
 * database's own words ("deadlock detected", a constraint's name) only in its cause.
 */
export function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.message.startsWith('Failed query:') && error.cause instanceof Error) {
    const statement = error.message.slice('Failed query:'.length).split('\n')[0]!.trim();
    return `${error.cause.message} (${statement.length > 80 ? `${statement.slice(0, 80)}…` : statement})`;
  }
  return error.message;
}
