import { Card, LifebuoyIcon } from '../../shared/ui';
import { useViewer } from '../auth/viewer';
import { firstName, greeting } from './greeting';

/** The customer's home in the portal. */
export function PortalHome() {
  const viewer = useViewer();
  return (
    <div className="sb-page sb-page--narrow">
      <title>{`Support · ${viewer.tenant.name}`}</title>
      <header className="sb-page__header">
        <h1 className="sb-page__title">
          {greeting()}, {firstName(viewer.name)}
        </h1>
        <p className="sb-page__lead">Welcome to {viewer.tenant.name}’s help centre.</p>
      </header>
      <Card padding="lg" className="sb-welcome" as="section" aria-labelledby="portal-intro">
        <span className="sb-welcome__icon" aria-hidden="true">
          <LifebuoyIcon size={22} />
        </span>
        <div className="sb-welcome__text">
          <h2 id="portal-intro" className="sb-welcome__title">
            Your requests
          </h2>
          <p>
            The requests you send to {viewer.tenant.name} appear here, with every reply from the support team, so you
            can follow each one from start to finish.
          </p>
        </div>
      </Card>
    </div>
  );
}
