// Open WebSockets by session, so that a revoked or expired token closes its sockets on every server.
import type WebSocket from 'ws';

export const CLOSE_SESSION_ENDED = 4401;

export class SocketRegistry {
  private readonly bySession = new Map<string, Set<WebSocket>>();

  add(sessionId: string, socket: WebSocket, expiresAt: Date): void {
    let sockets = this.bySession.get(sessionId);
    if (!sockets) this.bySession.set(sessionId, (sockets = new Set()));
    sockets.add(socket);
    const delay = Math.min(expiresAt.getTime() - Date.now(), 2 ** 31 - 1);
    const timer = setTimeout(() => socket.close(CLOSE_SESSION_ENDED, 'Session expired'), Math.max(delay, 0));
    timer.unref();
    socket.once('close', () => {
      clearTimeout(timer);
      sockets.delete(socket);
      if (sockets.size === 0) this.bySession.delete(sessionId);
    });
  }

  closeSession(sessionId: string, reason: string): number {
    const sockets = this.bySession.get(sessionId);
    if (!sockets) return 0;
    for (const socket of sockets) socket.close(CLOSE_SESSION_ENDED, reason);
    return sockets.size;
  }

  get size(): number {
    let count = 0;
    for (const sockets of this.bySession.values()) count += sockets.size;
    return count;
  }
}
