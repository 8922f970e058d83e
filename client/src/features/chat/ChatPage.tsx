// The full-page team chat at /chat and /chat/:channelId.
import { useEffect } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ArrowLeftIcon, EmptyState, MessageIcon, cx } from '../../shared/ui';
import { useChat } from './ChatContext';
import { ChannelList } from './ChannelList';
import { ChannelView } from './ChannelView';
import './chat.css';

export function ChatPage() {
  const { channelId } = useParams();
  const navigate = useNavigate();
  const chat = useChat();
  const first = chat.channels.find((c) => c.joined) ?? chat.channels[0];

  useEffect(() => {
    document.title = 'Team chat · Switchboard';
  }, []);

  return (
    <div className={cx('ch-page', channelId && 'ch-page--channel')}>
      <div className="ch-page__list">
        <h1 className="ch-page__title">Team chat</h1>
        <ChannelList selectedId={channelId ?? null} onSelect={(id) => navigate(`/chat/${id}`)} />
      </div>
      <div className="ch-page__view">
        {channelId ? (
          <ChannelView
            key={channelId}
            channelId={channelId}
            headerStart={
              <button
                type="button"
                className="ch-icon ch-page__back"
                aria-label="Back to channels"
                onClick={() => navigate('/chat')}
              >
                <ArrowLeftIcon size={16} />
              </button>
            }
          />
        ) : (
          <EmptyState icon={<MessageIcon size={22} />} title="Pick a channel" className="ch-page__empty">
            {first
              ? 'Choose a channel or a direct conversation, or start a new one. Alt+C opens the chat panel anywhere.'
              : 'Start a channel for your team or message a teammate directly.'}
          </EmptyState>
        )}
      </div>
    </div>
  );
}
