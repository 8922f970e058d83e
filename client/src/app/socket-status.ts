// The state of the subscription socket, for live views: whether it is up, and a count of the times
// it came back after a drop, so that a subscription can resume from the last event it has (and a
// list can refetch what it may have missed) after a reconnect.
import { useSyncExternalStore } from 'react';

export interface SocketSnapshot {
  /** `connecting`: never connected yet in this session; `down`: connected before, lost since. */
  state: 'connecting' | 'up' | 'down';
  /** How many times the socket came back after a drop (0 until the first reconnect). */
  reconnects: number;
}

class SocketStatus {
  private snapshot: SocketSnapshot = { state: 'connecting', reconnects: 0 };
  private readonly listeners = new Set<() => void>();

  readonly getSnapshot = (): SocketSnapshot => this.snapshot;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  connected(): void {
    const { state, reconnects } = this.snapshot;
    if (state === 'up') return;
    this.set({ state: 'up', reconnects: state === 'down' ? reconnects + 1 : reconnects });
  }

  lost(): void {
    if (this.snapshot.state === 'up') this.set({ ...this.snapshot, state: 'down' });
  }

  /** A new session: its socket starts from scratch. */
  reset(): void {
    this.set({ state: 'connecting', reconnects: 0 });
  }

  private set(snapshot: SocketSnapshot): void {
    this.snapshot = snapshot;
    for (const listener of [...this.listeners]) listener();
  }
}

export const socketStatus = new SocketStatus();

export function useSocketStatus(): SocketSnapshot {
  return useSyncExternalStore(socketStatus.subscribe, socketStatus.getSnapshot);
}
