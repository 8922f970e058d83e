// The live SLA board (/sla, managers and admins): open tickets by SLA state, the at-risk list with
// ticking countdowns, breakdowns per agent, team and company, and compliance over 30 days. The
// whole board arrives again over `slaBoardEvents` whenever it changes.
import { useState } from 'react';
import { Link } from 'react-router';
import { useApolloClient, useQuery, useSubscription } from '@apollo/client/react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import {
  SlaBoardPageDocument,
  SlaBoardUpdatesDocument,
  type SlaBoardFieldsFragment,
  type SlaBreakdownFieldsFragment,
} from '../../gql/graphql';
import { connectionMessage } from '../../app/errors';
import { useNow } from '../../shared/format/time';
import { Button, Card, EmptyState, Notice, Skeleton, cx } from '../../shared/ui';
import { PriorityIndicator } from '../tickets/TicketBits';
import { SlaBadge } from './SlaBadge';
import { countdown, nextDue } from './countdown';
import './sla.css';

type Dimension = 'byAgent' | 'byTeam' | 'byCompany';
const DIMENSIONS: Array<{ key: Dimension; label: string; column: string }> = [
  { key: 'byAgent', label: 'Agents', column: 'Agent' },
  { key: 'byTeam', label: 'Teams', column: 'Team' },
  { key: 'byCompany', label: 'Companies', column: 'Company' },
];

export function SlaBoardPage() {
  const client = useApolloClient();
  const { data, loading, error } = useQuery(SlaBoardPageDocument);
  useSubscription(SlaBoardUpdatesDocument, {
    onData: ({ data: result }) => {
      const board = result.data?.slaBoardEvents;
      if (board) client.cache.writeQuery({ query: SlaBoardPageDocument, data: { slaBoard: board } });
    },
  });
  const board = data?.slaBoard;
  return (
    <div className="sb-page sla-page">
      <header className="sla-page__header">
        <div>
          <h1 className="sb-page__title">SLA board</h1>
          <p className="sb-page__lead">Open tickets against their service levels, updated live.</p>
        </div>
        <span className="sla-live">
          <span className="sla-live__dot" aria-hidden="true" /> Live
        </span>
      </header>
      {error && !board && <Notice tone="danger">{connectionMessage(error)}</Notice>}
      {loading && !board ? <Skeleton height={96} /> : board ? <Board board={board} /> : null}
    </div>
  );
}

function Board({ board }: { board: SlaBoardFieldsFragment }) {
  return (
    <>
      <section className="sla-counts" aria-label="Open tickets by SLA state">
        <Count label="On track" value={board.ok} tone="ok" />
        <Count label="At risk" value={board.warning} tone="warning" />
        <Count label="Breached" value={board.breached} tone="breached" />
        <Count label="Paused" value={board.paused} tone="paused" />
      </section>
      <AtRisk tickets={board.atRisk} />
      <div className="sla-split">
        <Breakdowns board={board} />
        <Compliance days={board.compliance} />
      </div>
    </>
  );
}

function Count({ label, value, tone }: { label: string; value: number; tone: string }) {
  return (
    <Card className={cx('sla-count', `sla-count--${tone}`)} aria-label={`${label}: ${value}`} data-sla-count={tone}>
      <span className="sla-count__label">{label}</span>
      <span className="sla-count__value">{value}</span>
    </Card>
  );
}

function AtRisk({ tickets }: { tickets: SlaBoardFieldsFragment['atRisk'] }) {
  const now = useNow(1_000);
  return (
    <Card as="section" aria-labelledby="sla-at-risk-title">
      <h2 className="sla-section__title" id="sla-at-risk-title">
        At risk and breached
      </h2>
      {tickets.length === 0 ? (
        <EmptyState title="Nothing at risk">Every open ticket is on track.</EmptyState>
      ) : (
        <div className="sla-scroll">
          <table className="sla-table">
            <thead>
              <tr>
                <th scope="col">Ticket</th>
                <th scope="col">Priority</th>
                <th scope="col">SLA</th>
                <th scope="col">Due</th>
                <th scope="col">Assignee</th>
              </tr>
            </thead>
            <tbody>
              {tickets.map((ticket) => {
                const due = ticket.sla ? nextDue(ticket.sla) : null;
                return (
                  <tr key={ticket.id} data-ticket-id={ticket.id}>
                    <td>
                      <Link to={`/tickets/${ticket.id}`}>
                        #{ticket.number} {ticket.title}
                      </Link>
                    </td>
                    <td>
                      <PriorityIndicator urgency={ticket.urgency} importance={ticket.importance} compact />
                    </td>
                    <td>
                      <SlaBadge sla={ticket.sla} />
                    </td>
                    <td className="sla-countdown">{due ? `${due.target}: ${countdown(due.dueAt, now)}` : '—'}</td>
                    <td>{ticket.assignee?.name ?? <span className="sla-muted">Unassigned</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

function Breakdowns({ board }: { board: SlaBoardFieldsFragment }) {
  const [dimension, setDimension] = useState<Dimension>('byAgent');
  const current = DIMENSIONS.find((d) => d.key === dimension)!;
  const rows: SlaBreakdownFieldsFragment[] = board[dimension];
  return (
    <Card as="section" aria-labelledby="sla-breakdown-title">
      <h2 className="sla-section__title" id="sla-breakdown-title">
        Breakdown
      </h2>
      <div className="sla-tabs" role="group" aria-label="Group by">
        {DIMENSIONS.map((d) => (
          <Button
            key={d.key}
            size="sm"
            variant={d.key === dimension ? 'primary' : 'ghost'}
            aria-pressed={d.key === dimension}
            onClick={() => setDimension(d.key)}
          >
            {d.label}
          </Button>
        ))}
      </div>
      {rows.length === 0 ? (
        <p className="sla-muted">No open tickets under an SLA.</p>
      ) : (
        <div className="sla-scroll">
          <table className="sla-table">
            <thead>
              <tr>
                <th scope="col">{current.column}</th>
                <th scope="col" className="sla-num">
                  On track
                </th>
                <th scope="col" className="sla-num">
                  At risk
                </th>
                <th scope="col" className="sla-num">
                  Breached
                </th>
                <th scope="col" className="sla-num">
                  Paused
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id ?? 'none'}>
                  <th scope="row">{row.label}</th>
                  <td className="sla-num">{row.ok}</td>
                  <td className="sla-num">{row.warning}</td>
                  <td className="sla-num">{row.breached}</td>
                  <td className="sla-num">{row.paused}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

function Compliance({ days }: { days: SlaBoardFieldsFragment['compliance'] }) {
  const met = days.reduce((n, d) => n + d.met, 0);
  const breached = days.reduce((n, d) => n + d.breached, 0);
  const rate = met + breached > 0 ? Math.round((met / (met + breached)) * 100) : null;
  const data = days.map((d) => ({ ...d, day: d.date.slice(5) }));
  return (
    <Card as="section" aria-labelledby="sla-compliance-title">
      <h2 className="sla-section__title" id="sla-compliance-title">
        Compliance, last 30 days {rate !== null && <span className="sla-muted">· {rate}% met</span>}
      </h2>
      <div
        className="sla-chart"
        role="img"
        aria-label={`Last 30 days: ${met} tickets met their SLA, ${breached} breached`}
      >
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: -16 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--border)" />
            <XAxis dataKey="day" tick={{ fontSize: 11 }} interval="preserveStartEnd" />
            <YAxis allowDecimals={false} tick={{ fontSize: 11 }} />
            <Tooltip />
            <Legend />
            <Bar dataKey="met" name="Met" stackId="sla" fill="var(--success-icon)" />
            <Bar dataKey="breached" name="Breached" stackId="sla" fill="var(--danger)" />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </Card>
  );
}
