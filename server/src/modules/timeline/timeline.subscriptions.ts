import { Arg, Ctx, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { RequestContext } from '../../graphql/context.js';
import { requireViewer } from '../../graphql/authorization.js';
import { Ticket } from '../tickets/ticket.entity.js';
import { InboxEvent } from '../tickets/ticket.types.js';
import { TimelineEvent } from './timeline-event.entity.js';

@Resolver()
export class TimelineSubscriptions {
  @Subscription(() => TimelineEvent, {
    description: 'Every new event of the ticket; with `after`, first replays the events after that id.',
    subscribe: ({ args, context }) => {
      const { viewer } = requireViewer(context as RequestContext);
      const ctx = context as RequestContext;
      return ctx.services.timelineStreams.ticketEvents(viewer, args.ticketId as string, (args.after as string) ?? null);
    },
  })
  ticketEvents(
    @Root() event: TimelineEvent,
    @Arg('ticketId', () => ID) _ticketId: string,
    @Arg('after', () => ID, { nullable: true }) _after: string | null,
    @Ctx() _ctx: RequestContext,
  ): TimelineEvent {
    return event;
  }

  @Subscription(() => InboxEvent, {
    description: 'Tickets created or changed, as the caller may see them.',
    subscribe: ({ context }) => {
      const { viewer } = requireViewer(context as RequestContext);
      return (context as RequestContext).services.timelineStreams.inboxEvents(viewer);
    },
  })
  inboxEvents(@Root() event: { kind: string; ticket: Ticket }): InboxEvent {
    return event;
  }
}
