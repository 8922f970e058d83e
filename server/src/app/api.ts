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

/** What an API server does for the services once they are up: close revoked sessions' sockets, sweep presence. */
export function attachServices(api: ApiServer, services: Services): void {
  closeRevokedSessions(api, services);
  const stopSweeping = sweepPresence(services);
  api.onClose(stopSweeping);
}

function closeRevokedSessions(api: ApiServer, services: Services): void {
  void (async () => {
    for await (const event of services.bus.subscribe('session.revoked')) {
      api.sockets.closeSession(event.payload.sessionId, 'Session revoked');
    }
  })();
}

/** Every API server sweeps presence of tabs that stopped heartbeating (cheap; skip-locked). */
function sweepPresence(services: Services): () => void {
  const timer = setInterval(() => {
    services.presence.sweepExpired().catch(() => undefined);
    services.chatPresence.sweepExpired().catch(() => undefined);
  }, 5_000);
  timer.unref();
  return () => clearInterval(timer);
}
