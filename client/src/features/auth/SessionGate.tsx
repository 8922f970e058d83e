import { useEffect } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { NetworkStatus } from '@apollo/client';
import { useApolloClient, useQuery } from '@apollo/client/react';
import { ViewerDocument } from '../../gql/graphql';
import { useSession } from '../../app/session';
import { connectionMessage, isSessionError } from '../../app/errors';
import { Button, Card, LogoMark, Notice, Spinner } from '../../shared/ui';
import { useSignOut } from './useSignOut';
import { ViewerContext } from './viewer';
import './auth.css';

/**
 * Everything behind sign-in renders inside this gate: without a token it sends the user to the
 * sign-in page (remembering where they were going); with one it loads the viewer (`me`) and
 * provides it to the pages below.
 */
export function SessionGate() {
  const { token } = useSession();
  const location = useLocation();
  if (!token) {
    const from = location.pathname + location.search + location.hash;
    return <Navigate to="/sign-in" replace state={from === '/' ? undefined : { from }} />;
  }
  return <ViewerLoader />;
}

function ViewerLoader() {
  const { data, error, refetch, networkStatus } = useQuery(ViewerDocument, { notifyOnNetworkStatusChange: true });
  const { signOut, signingOut } = useSignOut();
  const client = useApolloClient();

  // Coming back to the tab: check that the session still holds (the socket says so sooner while
  // it is connected; this covers a laptop that slept through it). A session error ends the
  // session through the client's links; a network blip is ignored and leaves the page as it is.
  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState !== 'visible') return;
      client.query({ query: ViewerDocument, fetchPolicy: 'network-only' }).catch(() => undefined);
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [client]);

  if (data?.me) {
    return (
      <ViewerContext value={data.me}>
        <Outlet />
      </ViewerContext>
    );
  }
  if (error && !isSessionError(error)) {
    return (
      <div className="sb-auth-page">
        <Card elevated padding="lg" className="sb-auth-card">
          <LogoMark size={36} />
          <h1 className="sb-auth-card__title">Switchboard can’t load right now</h1>
          <Notice tone="danger">{connectionMessage(error)}</Notice>
          <div className="sb-auth-card__actions">
            <Button
              variant="primary"
              onClick={() => void refetch().catch(() => undefined)}
              loading={networkStatus === NetworkStatus.refetch}
            >
              Try again
            </Button>
            <Button variant="ghost" onClick={() => void signOut()} loading={signingOut}>
              Sign out
            </Button>
          </div>
        </Card>
      </div>
    );
  }
  return <FullPageSpinner />;
}

export function FullPageSpinner() {
  return (
    <div className="sb-full-page-spinner">
      <Spinner size="lg" label="Loading Switchboard…" />
    </div>
  );
}
