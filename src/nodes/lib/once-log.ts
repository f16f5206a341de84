/** Most names one log remembers: enough for every field of every operation, bounded whatever the flow sends. */
export const ONCE_LOG_LIMIT = 500;
/** Longest name quoted in a warning; a payload key can be any length. */
const NAME_LENGTH = 60;
/** Most names listed in one warning. */
const LISTED = 10;

/**
 * Names already reported, so a warning about them (an ignored field, an unknown form value) appears once per node and
 * not once per message: a busy flow would otherwise flood the log. Bounded: once `limit` names were reported, no more
 * are remembered or reported, so neither memory nor the log grows with what messages carry.
 */
export class OnceLog {
  private readonly seen = new Set<string>();

  constructor(private readonly limit = ONCE_LOG_LIMIT) {}

  /** The names not reported yet under `scope` (shortened), now marked as reported. */
  fresh(names: readonly string[], scope = ''): string[] {
    const fresh: string[] = [];
    for (const full of names) {
      if (this.seen.size >= this.limit) break;
      const name = full.length > NAME_LENGTH ? `${full.slice(0, NAME_LENGTH - 3)}...` : full;
      const key = `${scope}\u0000${name}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      fresh.push(name);
    }
    return fresh;
  }
}

/** Names for one warning line: the first few, then how many more. */
export function listNames(names: readonly string[]): string {
  if (names.length <= LISTED) return names.join(', ');
  return `${names.slice(0, LISTED).join(', ')} (+${names.length - LISTED} more)`;
}
