/**
 * Names already reported, so a warning about them (an ignored field, an unknown form value) appears once per node and
 * not once per message: a busy flow would otherwise flood the log.
 */
export class OnceLog {
  private readonly seen = new Set<string>();

  /** The names not reported yet under `scope`, now marked as reported. */
  fresh(names: readonly string[], scope = ''): string[] {
    const fresh = names.filter((name) => !this.seen.has(`${scope}\u0000${name}`));
    for (const name of fresh) this.seen.add(`${scope}\u0000${name}`);
    return fresh;
  }
}
