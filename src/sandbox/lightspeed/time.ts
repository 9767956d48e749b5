/** Lightspeed 2.x timestamps look like `2024-05-01T10:20:30+00:00`. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}
