// The docked chat panel on the right of the agent app (Alt+C), and its toggle in the top bar.
import { useEffect, useRef } from 'react';
import { Link, useLocation } from 'react-router';
import { ArrowLeftIcon, CloseIcon, MessageIcon } from '../../shared/ui';
import { useChat } from './ChatContext';
import { ChannelList } from './ChannelList';
import { ChannelView } from './ChannelView';
import './chat.css';

export function ChatToggle() {
  const chat = useChat();
  const unread = chat.unreadTotal;
  const label = unread > 0 ? `Team chat, ${unread} unread` : 'Team chat';
  return (
    <button
      type="button"
      className="sb-icon-button ch-toggle"
      aria-label={label}
      title="Team chat (Alt+C)"
      aria-keyshortcuts="Alt+C"
      aria-expanded={chat.dockOpen}
      aria-controls="team-chat-panel"
      onClick={() => chat.setDockOpen((open) => !open)}
    >
      <MessageIcon size={19} />
      {unread > 0 && (
        <span className="ch-toggle__count" aria-hidden="true">
          {unread > 99 ? '99+' : unread}
        </span>
      )}
    </button>
  );
}

export function ChatDock() {
  const chat = useChat();
  const location = useLocation();
  const panelRef = useRef<HTMLElement>(null);
  const onChatPage = location.pathname === '/chat' || location.pathname.startsWith('/chat/');
  const open = chat.dockOpen && !onChatPage;
  const { dockChannelId, setDockChannelId, setDockOpen } = chat;

  useEffect(() => {
    if (open) panelRef.current?.focus();
  }, [open]);

  if (!open) return null;
  return (
    <aside
      id="team-chat-panel"
      className="ch-dock"
      aria-label="Team chat"
      tabIndex={-1}
      ref={panelRef}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !event.defaultPrevented) {
          if (dockChannelId) setDockChannelId(null);
          else setDockOpen(false);
        }
      }}
    >
      {dockChannelId ? (
        <ChannelView
          channelId={dockChannelId}
          compact
          headerStart={
            <button
              type="button"
              className="ch-icon"
              aria-label="Back to channels"
              onClick={() => setDockChannelId(null)}
            >
              <ArrowLeftIcon size={16} />
            </button>
          }
        />
      ) : (
        <>
          <header className="ch-dock__header">
            <h2 className="ch-dock__title">Team chat</h2>
            <Link to="/chat" className="ch-dock__full" onClick={() => setDockOpen(false)}>
              Open full view
            </Link>
            <button type="button" className="ch-icon" aria-label="Close team chat" onClick={() => setDockOpen(false)}>
              <CloseIcon size={16} />
            </button>
          </header>
          <ChannelList selectedId={null} onSelect={setDockChannelId} />
        </>
      )}
    </aside>
  );
}
