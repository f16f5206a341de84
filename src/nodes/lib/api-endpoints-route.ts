import { ENDPOINTS } from '../../semilimes';
import { HANDLED_ELSEWHERE, ROTATE_OPERATION } from './api-params';
import type { NodeAPI, AdminRequest, AdminResponse } from './node-red';

/**
 * The editor builds the api node's operation list and parameter rows from the client's endpoint table: no second
 * list.
 */
export function registerEndpointsRoute(RED: NodeAPI): void {
  RED.httpAdmin.get(
    '/semilimes-api/endpoints',
    RED.auth.needsPermission('semilimes-api.read'),
    (_req: AdminRequest, res: AdminResponse) => {
      res.json({
        endpoints: ENDPOINTS.map((e) => ({
          path: e.path,
          method: e.method,
          websocket: e.websocket,
          group: e.group,
          title: e.title,
          params: e.params,
          handledBy: HANDLED_ELSEWHERE[e.path] ?? null,
        })),
        rotateOperation: ROTATE_OPERATION,
      });
    },
  );
}
