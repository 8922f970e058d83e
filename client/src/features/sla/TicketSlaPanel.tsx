// The SLA section of a ticket's properties: state, policy and a countdown per running target.
import type { TicketSlaFieldsFragment } from '../../gql/graphql';
import { fullDateTime, useNow } from '../../shared/format/time';
import { SlaBadge } from './SlaBadge';
import { countdown } from './countdown';
import './sla.css';

export function TicketSlaPanel({ sla }: { sla: TicketSlaFieldsFragment | null | undefined }) {
  const now = useNow(1_000);
  if (!sla || sla.state === 'NONE') return null;
  const targets = [
    { label: 'First response', at: sla.firstResponseDueAt },
    { label: 'Next response', at: sla.nextResponseDueAt },
    { label: 'Resolution', at: sla.resolutionDueAt },
  ].filter((t): t is { label: string; at: string } => Boolean(t.at));
  return (
    <section className="tk-props__section" aria-labelledby="tk-sla-title">
      <h2 className="tk-props__heading" id="tk-sla-title">
        SLA
      </h2>
      <SlaBadge sla={sla} />
      <dl className="sla-panel__list">
        {sla.policyName && (
          <>
            <dt>Policy</dt>
            <dd>{sla.policyName}</dd>
          </>
        )}
        {targets.map((t) => (
          <div key={t.label} style={{ display: 'contents' }}>
            <dt>{t.label}</dt>
            <dd title={fullDateTime(new Date(t.at))}>{countdown(new Date(t.at), now)}</dd>
          </div>
        ))}
        {sla.breachedAt && (
          <>
            <dt>Breached</dt>
            <dd>{fullDateTime(new Date(sla.breachedAt))}</dd>
          </>
        )}
      </dl>
    </section>
  );
}
