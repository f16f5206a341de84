import { describeComponents } from '../../semilimes';
import type { NodeAPI } from './node-red';

let registered = false;

/**
 * The editor builds the form and component dialogs from the client's definitions, served here, so the dialogs
 * always offer exactly the fields, enums and defaults that validation checks. Registered once per runtime, whichever
 * builder node type loads first; reading requires the editor's read permission.
 */
export function registerDefinitionsRoute(RED: NodeAPI): void {
  if (registered) return;
  registered = true;
  const description = describeComponents();
  RED.httpAdmin.get('/semilimes/components', RED.auth.needsPermission('semilimes.read'), (_req, res) => {
    res.json(description);
  });
}
