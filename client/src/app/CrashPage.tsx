import { useRouteError } from 'react-router';
import { Button, Card, LogoMark, Notice } from '../shared/ui';
import '../features/auth/auth.css';

/** Shown when a page throws while rendering: a way out instead of a blank screen. */
export function CrashPage() {
  const error = useRouteError();
  const detail = error instanceof Error ? error.message : undefined;
  return (
    <div className="sb-auth-page">
      <title>Something went wrong · Switchboard</title>
      <Card elevated padding="lg" className="sb-auth-card" as="main">
        <LogoMark size={36} />
        <div className="sb-auth-card__header">
          <h1 className="sb-auth-card__title">Something went wrong</h1>
          <p className="sb-auth-card__subtitle">This page hit an unexpected error. Reloading usually fixes it.</p>
        </div>
        {detail && <Notice tone="danger">{detail}</Notice>}
        <div className="sb-auth-card__actions">
          <Button variant="primary" onClick={() => window.location.reload()}>
            Reload
          </Button>
          <Button variant="ghost" onClick={() => window.location.assign('/')}>
            Go home
          </Button>
        </div>
      </Card>
    </div>
  );
}
