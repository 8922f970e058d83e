// The team chat's shared state in the agent app: the channel list with unread counts (kept live),
// everyone's presence (this tab heartbeats its own), and the docked panel. Mounted once by the shell.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import {
  ChatChannelsDocument,
  LeaveChatPresenceDocument,
  MyChatEventsDocument,
  ReportChatPresenceDocument,
  TeamPresenceDocument,
  TeamPresenceEventsDocument,
  type ChatChannelItemFragment,
  type PresenceStatus,
} from '../../gql/graphql';
import { session } from '../../app/session';
import { useSocketStatus } from '../../app/socket-status';
import { useViewer } from '../auth/viewer';

const HEARTBEAT_MS = 15_000;
/** No pointer or key activity for this long: away. */
const IDLE_MS = 5 * 60_000;
const DOCK_KEY = 'switchboard.chat.dock';

export interface TeamMember {
  id: string;
  name: string;
  email: string;
}

export interface ChatState {
  viewerId: string;
  channels: ChatChannelItemFragment[];
  channelsLoading: boolean;
  refetchChannels(): void;
  unreadTotal: number;
  team: TeamMember[];
  presenceOf(userId: string): PresenceStatus;
  dockOpen: boolean;
  setDockOpen(open: boolean | ((open: boolean) => boolean)): void;
  dockChannelId: string | null;
  setDockChannelId(id: string | null): void;
}

const ChatContext = createContext<ChatState | null>(null);

export function useChat(): ChatState {
  const value = useContext(ChatContext);
  if (!value) throw new Error('useChat outside ChatProvider');
  return value;
}

function randomId(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return crypto.randomUUID();
  return Array.from({ length: 24 }, () => Math.floor(Math.random() * 36).toString(36)).join('');
}

/** One id per browser tab: a person is online while any of their tabs is. */
const connectionId = randomId();

function leaveOnUnload(): void {
  const token = session.token;
  if (!token) return;
  fetch('/graphql', {
    method: 'POST',
    keepalive: true,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      query: 'mutation LeaveChatPresence($c: String!) { leaveChatPresence(connectionId: $c) }',
      variables: { c: connectionId },
    }),
  }).catch(() => undefined);
}

/** Heartbeats this tab's presence: away when hidden or idle, online at the first sign of life. */
function usePresenceHeartbeat(): void {
  const [report] = useMutation(ReportChatPresenceDocument);
  const [leave] = useMutation(LeaveChatPresenceDocument);
  useEffect(() => {
    let lastActivity = Date.now();
    let reportedAway: boolean | null = null;
    const isAway = () => document.visibilityState === 'hidden' || Date.now() - lastActivity > IDLE_MS;
    const beat = (force: boolean) => {
      const away = isAway();
      if (!force && away === reportedAway) return;
      reportedAway = away;
      void report({ variables: { connectionId, away } }).catch(() => undefined);
    };
    const onActivity = () => {
      lastActivity = Date.now();
      if (reportedAway) beat(false);
    };
    beat(true);
    const timer = window.setInterval(() => beat(true), HEARTBEAT_MS);
    const onVisibility = () => beat(false);
    window.addEventListener('pointerdown', onActivity);
    window.addEventListener('keydown', onActivity);
    document.addEventListener('visibilitychange', onVisibility);
    // Closing the tab: say so at once rather than after the heartbeats stop (a page that stays
    // after "beforeunload" heartbeats again within 15 s).
    window.addEventListener('pagehide', leaveOnUnload);
    window.addEventListener('beforeunload', leaveOnUnload);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('pointerdown', onActivity);
      window.removeEventListener('keydown', onActivity);
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('pagehide', leaveOnUnload);
      window.removeEventListener('beforeunload', leaveOnUnload);
      void leave({ variables: { connectionId } }).catch(() => undefined);
    };
  }, [report, leave]);
}

function readDockOpen(): boolean {
  try {
    return window.localStorage.getItem(DOCK_KEY) === 'open';
  } catch {
    return false;
  }
}

export function ChatProvider({ children }: { children: ReactNode }) {
  const viewer = useViewer();
  const socket = useSocketStatus();
  usePresenceHeartbeat();

  const channelsQuery = useQuery(ChatChannelsDocument, { fetchPolicy: 'cache-and-network' });
  const { refetch } = channelsQuery;
  const pending = useRef<number | null>(null);
  const refetchChannels = useCallback(() => {
    if (pending.current !== null) return;
    // Several events in a burst (a busy channel) cost one request.
    pending.current = window.setTimeout(() => {
      pending.current = null;
      void refetch().catch(() => undefined);
    }, 250);
  }, [refetch]);
  useEffect(() => () => window.clearTimeout(pending.current ?? undefined), []);
  useSubscription(MyChatEventsDocument, { onData: () => refetchChannels() });

  const presenceQuery = useQuery(TeamPresenceDocument, { fetchPolicy: 'network-only' });
  const [live, setLive] = useState<Map<string, PresenceStatus>>(new Map());
  useSubscription(TeamPresenceEventsDocument, {
    onData: ({ data }) => {
      const change = data.data?.teamPresenceEvents;
      if (change) setLive((map) => new Map(map).set(change.user.id, change.status));
    },
  });

  // Back from a dropped connection: what changed meanwhile.
  const reconnects = useRef(socket.reconnects);
  const refetchPresence = presenceQuery.refetch;
  useEffect(() => {
    if (socket.reconnects === reconnects.current) return;
    reconnects.current = socket.reconnects;
    setLive(new Map());
    void refetchPresence().catch(() => undefined);
    refetchChannels();
  }, [socket.reconnects, refetchPresence, refetchChannels]);

  const [dockOpen, setDockOpenState] = useState(readDockOpen);
  const setDockOpen = useCallback((open: boolean | ((open: boolean) => boolean)) => {
    setDockOpenState((current) => {
      const next = typeof open === 'function' ? open(current) : open;
      try {
        window.localStorage.setItem(DOCK_KEY, next ? 'open' : 'closed');
      } catch {
        /* private mode */
      }
      return next;
    });
  }, []);
  const [dockChannelId, setDockChannelId] = useState<string | null>(null);

  // Alt+C opens and closes the panel from anywhere (by key position, so it works on every layout).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey && !event.ctrlKey && !event.metaKey && event.code === 'KeyC') {
        event.preventDefault();
        setDockOpen((open) => !open);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setDockOpen]);

  const channels = useMemo(() => channelsQuery.data?.channels ?? [], [channelsQuery.data]);
  const presenceRows = presenceQuery.data?.teamPresence;
  const value = useMemo<ChatState>(() => {
    const base = new Map((presenceRows ?? []).map((row) => [row.user.id, row.status]));
    return {
      viewerId: viewer.id,
      channels,
      channelsLoading: channelsQuery.loading && !channelsQuery.data,
      refetchChannels,
      unreadTotal: channels.reduce((sum, c) => sum + c.unreadCount, 0),
      team: (presenceRows ?? []).map((row) => row.user),
      presenceOf: (userId) => live.get(userId) ?? base.get(userId) ?? 'OFFLINE',
      dockOpen,
      setDockOpen,
      dockChannelId,
      setDockChannelId,
    };
  }, [
    viewer.id,
    channels,
    channelsQuery.loading,
    channelsQuery.data,
    refetchChannels,
    presenceRows,
    live,
    dockOpen,
    setDockOpen,
    dockChannelId,
  ]);
  return <ChatContext.Provider value={value}>{children}</ChatContext.Provider>;
}
