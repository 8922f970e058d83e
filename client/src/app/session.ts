// The session token, kept in localStorage, and why the last session ended (for the sign-in page).
import { useSyncExternalStore } from 'react';

export const TOKEN_STORAGE_KEY = 'switchboard.token';

/** `expired`: the server ended it (expiry, revocation elsewhere); `signed-out`: the user did. */
export type SessionEndReason = 'expired' | 'signed-out';

export interface SessionSnapshot {
  token: string | null;
  ended: SessionEndReason | null;
}

function readStoredToken(): string | null {
  try {
    return window.localStorage.getItem(TOKEN_STORAGE_KEY);
  } catch {
    return null; // storage disabled: the session lives as long as the page
  }
}

function writeStoredToken(token: string | null): void {
  try {
    if (token) window.localStorage.setItem(TOKEN_STORAGE_KEY, token);
    else window.localStorage.removeItem(TOKEN_STORAGE_KEY);
  } catch {
    // storage disabled: nothing to persist
  }
}

export class SessionStore {
  private snapshot: SessionSnapshot = { token: readStoredToken(), ended: null };
  private readonly listeners = new Set<() => void>();
  private signingOut = false;

  constructor() {
    // Another tab signed in or out: follow it.
    window.addEventListener('storage', (event) => {
      if (event.key !== TOKEN_STORAGE_KEY && event.key !== null) return;
      const token = readStoredToken();
      if (token === this.snapshot.token) return;
      this.set(token ? { token, ended: null } : { token: null, ended: 'signed-out' });
    });
  }

  get token(): string | null {
    return this.snapshot.token;
  }

  readonly getSnapshot = (): SessionSnapshot => this.snapshot;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  signIn(token: string): void {
    writeStoredToken(token);
    this.set({ token, ended: null });
  }

  /** Drops the token. Does nothing when there is none (several signals may report one ending). */
  end(reason: SessionEndReason): void {
    if (!this.snapshot.token) return;
    writeStoredToken(null);
    this.set({ token: null, ended: this.signingOut ? 'signed-out' : reason });
  }

  /**
   * Revokes the session on the server (`revoke`), then drops it here whatever the outcome. While
   * it runs, the server closing this session's sockets is the expected result, not an expiry.
   */
  async signOut(revoke: () => Promise<unknown>): Promise<void> {
    this.signingOut = true;
    try {
      await revoke();
    } catch {
      // Offline or already revoked: the token is dropped here all the same.
    } finally {
      this.end('signed-out');
      this.signingOut = false;
    }
  }

  dismissNotice(): void {
    if (this.snapshot.ended) this.set({ ...this.snapshot, ended: null });
  }

  private set(snapshot: SessionSnapshot): void {
    this.snapshot = snapshot;
    for (const listener of [...this.listeners]) listener();
  }
}

export const session = new SessionStore();

export function useSession(): SessionSnapshot {
  return useSyncExternalStore(session.subscribe, session.getSnapshot);
}
