// Formatting for display, and the conversion between <input type="datetime-local"> values (local time) and RFC 3339 UTC.

const pad = (n: number): string => String(n).padStart(2, '0');

/** `2025-03-01T09:30:00.000Z` → the datetime-local value of that instant in the browser's zone (`2025-03-01T10:30`). */
export function isoToLocalInput(iso: string | undefined): string {
  if (iso === undefined) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A datetime-local value (local time) as RFC 3339 UTC; text that is not a time is passed on for the API to name. */
export function localInputToIso(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  const date = new Date(trimmed);
  return Number.isNaN(date.getTime()) ? trimmed : date.toISOString();
}

/** `2025-03-01 09:30:00 UTC`. */
export function formatTime(iso: string | undefined): string {
  if (iso === undefined) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** The first characters of a hash or transaction id, for tables (the full value goes in a title). */
export const shortId = (value: string, keep = 12): string => (value.length <= keep + 1 ? value : `${value.slice(0, keep)}…`);

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** A client-chosen record id that is unique enough for one reviewer's session: `prefix-<time>-<random>`. */
export function newId(prefix: string, now = Date.now(), random = Math.random()): string {
  return `${prefix}-${now.toString(36)}-${Math.floor(random * 36 ** 6).toString(36).padStart(6, '0')}`;
}

/**
 * A Fabric identity id (`x509::<subject>::<issuer>`) as the common name of its subject, which is what a
 * reader recognises (`User1@operator.aiaudit.local`); any other id as it is.
 */
export function identityLabel(id: string): string {
  if (!id.startsWith('x509::')) return id;
  const subject = id.slice('x509::'.length).split('::')[0] ?? '';
  return /\/CN=([^/]+)/.exec(subject)?.[1] ?? id;
}
