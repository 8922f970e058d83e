// "Live chat" in the agent app's navigation, with the number of visitors waiting for an answer.
import { Link, useLocation } from 'react-router';
import { useQuery } from '@apollo/client/react';
import { LiveConversationsDocument } from '../../gql/graphql';
import { MessageIcon, cx } from '../../shared/ui';
import { useLiveChatEvents } from './liveChatEvents';
import './livechat.css';

export function useWaitingCount(): number {
  const { data } = useQuery(LiveConversationsDocument);
  return data?.liveConversations.filter((c) => c.awaitingReply).length ?? 0;
}

export function LiveChatNavLink() {
  useLiveChatEvents();
  const location = useLocation();
  const waiting = useWaitingCount();
  const active = location.pathname.startsWith('/livechat');
  return (
    <li>
      <Link
        to="/livechat"
        className={cx('sb-sidenav__link', active && 'active')}
        aria-current={active ? 'page' : undefined}
        aria-label={waiting ? `Live chat, ${waiting} waiting` : 'Live chat'}
      >
        <MessageIcon size={18} />
        <span>Live chat</span>
        {waiting > 0 && (
          <span className="lc-nav-badge" aria-hidden="true">
            {waiting}
          </span>
        )}
      </Link>
    </li>
  );
}

/** In the inbox header: visitors waiting in live chat, one click away. */
export function LiveChatWaiting() {
  const waiting = useWaitingCount();
  if (waiting === 0) return null;
  return (
    <Link to="/livechat" className="lc-waiting" aria-live="polite">
      <span className="lc-waiting__dot" aria-hidden="true" />
      {waiting === 1 ? '1 visitor waiting in live chat' : `${waiting} visitors waiting in live chat`}
    </Link>
  );
}
