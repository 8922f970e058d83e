// What a rule did, newest first: when, on which ticket, and how each action went.
import { useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { AutomationRuleExecutionsDocument } from '../../gql/graphql';
import { connectionMessage, graphQLErrorMessage } from '../../app/errors';
import { Card, EmptyState, HistoryIcon, Notice, Skeleton } from '../../shared/ui';
import { WebhookDeliveries } from './WebhookDeliveries';

export const STATUS_LABELS: Record<string, string> = {
  SUCCEEDED: 'Ran',
  PARTIAL: 'Partly failed',
  FAILED: 'Failed',
  NOT_MATCHED: 'Conditions not met',
  SKIPPED: 'Stopped by loop guard',
  RUNNING: 'Running',
};

export function StatusBadge({ status }: { status: string }) {
  return <span className={`au-status au-status--${status.toLowerCase()}`}>{STATUS_LABELS[status] ?? status}</span>;
}

export function ExecutionLog({ ruleId, ruleName }: { ruleId: string; ruleName: string }) {
  const { data, error, refetch, loading } = useQuery(AutomationRuleExecutionsDocument, {
    variables: { ruleId },
    fetchPolicy: 'cache-and-network',
  });
  const runs = data?.automationRuleExecutions ?? [];
  return (
    <Card padding="none" as="section" aria-label={`Execution log of ${ruleName}`} className="au-log">
      <header className="au-log__header">
        <h2 className="st-form__title">Execution log</h2>
        <button type="button" className="au-link" onClick={() => void refetch()} disabled={loading}>
          Refresh
        </button>
      </header>
      {error && !data ? (
        <Notice tone="danger">{graphQLErrorMessage(error) ?? connectionMessage(error)}</Notice>
      ) : !data ? (
        <div className="au-log__empty">
          <Skeleton width="60%" height={14} />
        </div>
      ) : runs.length === 0 ? (
        <EmptyState icon={<HistoryIcon size={20} />} title="Not run yet">
          Runs appear here when the rule's trigger fires.
        </EmptyState>
      ) : (
        <ol className="au-log__list">
          {runs.map((run) => (
            <li key={run.id} className="au-run">
              <div className="au-run__head">
                <StatusBadge status={run.status} />
                {run.ticketNumber != null && run.ticketId && (
                  <Link to={`/tickets/${run.ticketId}`} className="au-link">
                    #{run.ticketNumber}
                  </Link>
                )}
                <time dateTime={String(run.createdAt)} className="au-muted">
                  {new Date(String(run.createdAt)).toLocaleString()}
                </time>
                {run.depth > 1 && <span className="au-muted">chain step {run.depth}</span>}
              </div>
              {run.results.length > 0 && (
                <ul className="au-run__results">
                  {run.results.map((r, i) => (
                    <li key={i} className={r.ok ? 'ok' : 'no'}>
                      {r.summary}
                      {r.error && ` — ${r.error}`}
                    </li>
                  ))}
                </ul>
              )}
              <WebhookDeliveries deliveries={run.webhookDeliveries} />
              {run.error && run.results.length === 0 && <p className="au-run__error">{run.error}</p>}
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}
