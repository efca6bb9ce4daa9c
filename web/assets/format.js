// Times and durations as people read them. The API speaks RFC 3339 UTC and Go durations.

// numeric: 'always' says "in 1 year", not the vaguer "next year".
const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'always' });
const dtf = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export const DAY_MS = 86_400_000;
export const EXPIRING_SOON_MS = 7 * DAY_MS; // the alert window of compat.md §1.5

export function relative(iso, now = Date.now()) {
  if (!iso) return '';
  const diff = Date.parse(iso) - now;
  const abs = Math.abs(diff);
  // [unit, its length, shown from]: a token made for 8760h reads "in 1 year", not
  // "in 12 months", a moment after it was made.
  const units = [
    ['year', 365 * DAY_MS, 330 * DAY_MS],
    ['month', 30 * DAY_MS, 45 * DAY_MS],
    ['day', DAY_MS, DAY_MS],
    ['hour', 3_600_000, 3_600_000],
    ['minute', 60_000, 60_000],
  ];
  for (const [unit, ms, from] of units) {
    if (abs >= from) return rtf.format(Math.round(diff / ms), unit);
  }
  return diff >= 0 ? 'in less than a minute' : 'just now';
}

export function absolute(iso) {
  if (!iso) return '';
  return dtf.format(new Date(iso));
}

// Second-precision RFC 3339 UTC, as the API takes it.
export function rfc3339(ms) {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// The duration choices of the dashboard (Go syntax, compat.md §1.2).
export const DURATION_CHOICES = [
  ['8760h', '1 year'],
  ['17520h', '2 years'],
  ['43800h', '5 years'],
  ['87600h', '10 years'],
  ['forever', 'Non-expiring'],
  ['custom', 'Custom…'],
];

// Rotation grace: how long the previous secret keeps working (compat.md §1.2).
export const GRACE_CHOICES = [
  ['3600', '1 hour'],
  ['21600', '6 hours'],
  ['86400', '24 hours'],
  ['259200', '3 days'],
  ['604800', '7 days'],
  ['1209600', '14 days'],
  ['2592000', '30 days'],
];

// "8760h" → "1 year"; other Go durations as written.
export function describeDuration(d) {
  if (!d) return '';
  if (d === 'forever') return 'Non-expiring';
  const known = DURATION_CHOICES.find(([v]) => v === d);
  return known ? known[1] : d;
}

// A loose client-side check of Go duration syntax; the server has the last word.
export function looksLikeGoDuration(s) {
  return /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(s);
}

export function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}
