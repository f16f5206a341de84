// Dates, times and sizes as a messenger shows them.

/** Documented timestamps are epoch seconds; some components (events) use milliseconds. */
export function toDate(epoch: number): Date {
  return new Date(epoch < 1e11 ? epoch * 1000 : epoch);
}

export function clock(epoch: number): string {
  return toDate(epoch).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** "14:05" today, "Mon" this week, "12/03/26" otherwise: the chat list's time column. */
export function listTime(epoch: number): string {
  const d = toDate(epoch);
  const now = new Date();
  if (d.toDateString() === now.toDateString()) return clock(epoch);
  if (now.getTime() - d.getTime() < 6 * 24 * 3600 * 1000) return d.toLocaleDateString([], { weekday: 'short' });
  return d.toLocaleDateString([], { day: '2-digit', month: '2-digit', year: '2-digit' });
}

export function dayLabel(epoch: number): string {
  const d = toDate(epoch);
  const now = new Date();
  if (d.toDateString() === now.toDateString()) return 'Today';
  const yesterday = new Date(now.getTime() - 24 * 3600 * 1000);
  if (d.toDateString() === yesterday.toDateString()) return 'Yesterday';
  return d.toLocaleDateString([], { weekday: 'long', day: 'numeric', month: 'long' });
}

export function fullDate(epoch: number, withTime: boolean): string {
  const d = toDate(epoch);
  const date = d.toLocaleDateString([], { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
  return withTime ? `${date}, ${clock(epoch)}` : date;
}

export function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
