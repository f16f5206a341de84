// The table of every documented endpoint the emulator serves, and path matching.
import { accountRoutes } from './account';
import { apiKeyRoutes } from './apikey';
import { bucketRoutes } from './bucket';
import { channelRoutes } from './channel';
import { Route } from './context';
import { groupChatRoutes } from './groupchat';
import { p2pRoutes } from './p2p';
import { serviceRoutes } from './service';

export const ROUTES: Route[] = [
  ...accountRoutes,
  ...apiKeyRoutes,
  ...p2pRoutes,
  ...groupChatRoutes,
  ...channelRoutes,
  ...bucketRoutes,
  ...serviceRoutes,
];

/** Matches a documented path; {name} segments capture one path segment (URL-decoded). */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const placeholder = /^\{(\w+)\}$/.exec(want[i]);
    if (placeholder) {
      if (got[i] === '') return null;
      params[placeholder[1]] = decodeURIComponent(got[i]);
    } else if (want[i] !== got[i]) {
      return null;
    }
  }
  return params;
}

export interface RouteMatch {
  route: Route;
  pathParams: Record<string, string>;
}

/** Exact literal paths win over placeholders (so /apikey/~validate is never taken as DELETE /apikey/{key_id}). */
export function findRoutes(path: string): RouteMatch[] {
  const matches: RouteMatch[] = [];
  for (const route of ROUTES) {
    const pathParams = matchPath(route.path, path);
    if (pathParams) matches.push({ route, pathParams });
  }
  return matches;
}

/** WebSocket requestTypes are the documented paths of endpoints that have a WebSocket section. */
export function findWsRoute(requestType: string): Route | undefined {
  return ROUTES.find((r) => r.ws && r.path === requestType);
}
