// "Live chat" in the agent app's navigation, with the number of visitors waiting for an answer.
import { Link, useLocation } from 'react-router';
import { useQuery } from '@apollo/client/react';
import { LiveConversationsDocument } from '../../gql/graphql';
import { MessageIcon, NavItem } from '../../shared/ui';
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
  return (
    <li>
      <NavItem
        to="/livechat"
        label="Live chat"
        icon={MessageIcon}
        active={location.pathname.startsWith('/livechat')}
        ariaLabel={waiting ? `Live chat, ${waiting} waiting` : 'Live chat'}
        badge={
          waiting > 0 && (
            <span className="lc-nav-badge" aria-hidden="true">
              {waiting}
            </span>
          )
        }
      />
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
