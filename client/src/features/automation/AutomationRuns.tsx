// On a ticket: the automation rules that ran on it (staff), newest first.
import { useEffect } from 'react';
import { useQuery } from '@apollo/client/react';
import { TicketAutomationRunsDocument } from '../../gql/graphql';
import { ZapIcon } from '../../shared/ui';
import { StatusBadge } from './ExecutionLog';
import './automation.css';

/** `activity`: the ticket's last activity; when it moves (live), rules may have run, so look again. */
export function AutomationRuns({ ticketId, activity }: { ticketId: string; activity: string }) {
  const { data, refetch } = useQuery(TicketAutomationRunsDocument, {
    variables: { id: ticketId },
    fetchPolicy: 'cache-and-network',
  });
  useEffect(() => {
    const timer = window.setTimeout(() => void refetch(), 800);
    return () => window.clearTimeout(timer);
  }, [activity, refetch]);
  const runs = data?.ticket?.automationRuns ?? [];
  if (runs.length === 0) return null;
  return (
    <section className="tk-props__section au-ticket-runs" aria-label="Automation rules that ran">
      <h2 className="tk-props__heading au-ticket-runs__title">
        <ZapIcon size={14} /> Automation
      </h2>
      <ul>
        {runs.map((run) => (
          <li key={run.id} title={run.error ?? run.results.map((r) => r.summary).join('\n')}>
            <span className="au-ticket-runs__name">{run.ruleName}</span>
            <StatusBadge status={run.status} />
          </li>
        ))}
      </ul>
    </section>
  );
}
