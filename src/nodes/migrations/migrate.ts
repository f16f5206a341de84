/**
 * Saved flows keep working across releases: each node type lists the steps that bring a node saved by an older
 * release up to date. A step renames properties; the node's `version` says which steps it has had (none: saved
 * before versions existed, by 0.1.0). The runtime applies the steps when a node starts, the editor when its dialog
 * opens, so the next deploy saves the new names.
 */
export interface MigrationStep {
  /** The version a node has after this step. */
  version: number;
  /** Old property name -> new property name. */
  renames: Readonly<Record<string, string>>;
}

export interface Migration {
  type: string;
  steps: readonly MigrationStep[];
}

/** The version of nodes saved now. */
export function currentVersion(migration: Migration): number {
  return migration.steps.reduce((latest, step) => Math.max(latest, step.version), 0);
}

/**
 * The node's settings brought up to date: an old property that holds a value replaces the new one (a dialog that
 * never opened may have saved the new name with its default beside the old one) and is removed.
 */
export function migrate<T extends object>(migration: Migration, saved: T): T & { version: number } {
  const node = { ...saved } as Record<string, unknown>;
  const from = Number(node.version) || 0;
  for (const step of migration.steps) {
    if (from >= step.version) continue;
    for (const [oldName, newName] of Object.entries(step.renames)) {
      if (!(oldName in node)) continue;
      if (node[oldName] !== undefined) node[newName] = node[oldName];
      delete node[oldName];
    }
  }
  node.version = Math.max(from, currentVersion(migration));
  return node as T & { version: number };
}
