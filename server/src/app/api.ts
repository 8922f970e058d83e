import { env } from '../config/env.js';
import { startApiServer, type ApiServer } from '../http/server.js';
import { buildAppSchema } from '../graphql/schema.js';
import type { Services } from './services.js';
import { clientDistDir } from './runtime.js';

/**
 * Starts the HTTP/WebSocket server before the database is ready (so /healthz can say 503) and
 * wires the cross-process events that concern sockets.
 */
export async function startApi(getServices: () => Services | null, port = env().PORT): Promise<ApiServer> {
  const schema = await buildAppSchema();
  return startApiServer({ port, host: env().HOST, schema, services: getServices, clientDir: clientDistDir });
}

export function closeRevokedSessions(api: ApiServer, services: Services): void {
  void (async () => {
    for await (const event of services.bus.subscribe('session.revoked')) {
      api.sockets.closeSession(event.payload.sessionId, 'Session revoked');
    }
  })();
}
