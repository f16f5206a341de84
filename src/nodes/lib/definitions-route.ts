import { describeComponents } from '../../semilimes';
import { checkFixedValues, type FixedCheckRequest } from './fixed-check';
import type { NodeAPI } from './node-red';

/** The admin apps the route is already on (both builder node types call this; each app needs it once). */
const served = new WeakSet<object>();

/**
 * The editor builds the form and component dialogs from the client's definitions, served here, so the dialogs
 * always offer exactly the fields, enums and defaults that validation checks, and check fixed values with the same
 * rules. Both require the editor's read permission.
 */
export function registerDefinitionsRoute(RED: NodeAPI): void {
  if (served.has(RED.httpAdmin)) return;
  served.add(RED.httpAdmin);
  const description = describeComponents();
  RED.httpAdmin.get('/semilimes/components', RED.auth.needsPermission('semilimes.read'), (_req, res) => {
    res.json(description);
  });
  // The dialogs and the node's validity check fixed values with the runtime's own builders (nothing is sent).
  RED.httpAdmin.post('/semilimes/components/check', RED.auth.needsPermission('semilimes.read'), (req, res) => {
    const body = (req as unknown as { body?: FixedCheckRequest }).body ?? {};
    res.json({ problems: checkFixedValues(RED, body) });
  });
}
