import { Card, InboxIcon } from '../../shared/ui';
import { useViewer } from '../auth/viewer';
import { firstName, greeting, today } from './greeting';

/** The agent home: who you are, and what the inbox is for. */
export function InboxPage() {
  const viewer = useViewer();
  return (
    <div className="sb-page">
      <title>{`Inbox · ${viewer.tenant.name} · Switchboard`}</title>
      <header className="sb-page__header">
        <p className="sb-page__eyebrow">{today()}</p>
        <h1 className="sb-page__title">
          {greeting()}, {firstName(viewer.name)}
        </h1>
      </header>
      <Card padding="lg" className="sb-welcome" as="section" aria-labelledby="inbox-intro">
        <span className="sb-welcome__icon" aria-hidden="true">
          <InboxIcon size={22} />
        </span>
        <div className="sb-welcome__text">
          <h2 id="inbox-intro" className="sb-welcome__title">
            This is your inbox
          </h2>
          <p>
            The inbox is where tickets appear: every request to {viewer.tenant.name} shows up here for the team to pick
            up, and changes reach everyone’s screen the moment they happen.
          </p>
        </div>
      </Card>
    </div>
  );
}
