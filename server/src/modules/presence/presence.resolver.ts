import { Arg, Ctx, Field, ID, Mutation, ObjectType, Resolver, Root, Subscription } from 'type-graphql';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { RequestContext, Viewer } from '../../graphql/context.js';
import { requireStaff } from '../../graphql/authorization.js';
import { DomainError } from '../../graphql/errors.js';
import { closeWith, type EventBus, type LiveQueue } from '../../events/event-bus.js';
import type { BusMessage } from '../../events/registry.js';
import { forTenant } from '../../db/tenant-scope.js';
import { isUuid, uuidArg } from '../../lib/ids.js';
import { actorOf } from '../actor.js';
import { User, isStaffRole } from '../users/user.entity.js';
import { Ticket } from '../tickets/ticket.entity.js';
import type { PresenceService } from './presence.service.js';

@ObjectType()
export class PresenceEntryType {
  @Field(() => User)
  user!: User;

  @Field({ description: 'Writing a reply right now.' })
  typing!: boolean;

  @Field()
  since!: Date;
}

@ObjectType()
export class TicketPresenceState {
  @Field(() => ID)
  ticketId!: string;

  @Field(() => [PresenceEntryType])
  viewers!: PresenceEntryType[];
}

/** The whole list again on every change: small, and a late subscriber needs no history. */
export class PresenceStreams {
  constructor(
    private readonly orm: MikroORM,
    private readonly bus: EventBus,
    private readonly presence: PresenceService,
  ) {}

  stream(viewer: Viewer, ticketId: string): AsyncIterableIterator<TicketPresenceState> {
    if (!isStaffRole(viewer.role)) throw new DomainError('FORBIDDEN', 'Only agents see presence');
    if (!isUuid(ticketId)) throw new DomainError('BAD_USER_INPUT', 'ticketId is not a valid id', 'ticketId');
    const live = this.bus.subscribe('presence.changed');
    return closeWith(live, this.states(live, viewer, ticketId));
  }

  private async *states(
    live: LiveQueue<BusMessage<'presence.changed'>>,
    viewer: Viewer,
    ticketId: string,
  ): AsyncGenerator<TicketPresenceState> {
    try {
      if (!(await forTenant(this.orm.em, viewer.tenantId).findOne(Ticket, ticketId))) {
        throw new DomainError('NOT_FOUND', 'No such ticket', 'ticketId');
      }
      yield await this.state(viewer, ticketId);
      for await (const { payload } of live) {
        if (payload.tenantId !== viewer.tenantId || payload.ticketId !== ticketId) continue;
        yield await this.state(viewer, ticketId);
      }
    } finally {
      await live.return();
    }
  }

  private async state(viewer: Viewer, ticketId: string): Promise<TicketPresenceState> {
    const viewers = await this.presence.current(forTenant(this.orm.em, viewer.tenantId), ticketId);
    return { ticketId, viewers };
  }
}

@Resolver()
export class PresenceResolver {
  @Mutation(() => Boolean, {
    description: 'Joins a ticket or heartbeats (every 10 s); `typing` while the reply box has unsent text.',
  })
  async reportPresence(
    @Arg('ticketId', () => ID) ticketId: string,
    @Arg('connectionId', { description: 'A random id per browser tab.' }) connectionId: string,
    @Arg('typing') typing: boolean,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    const { em, viewer } = requireStaff(ctx);
    await ctx.services.presence.report(em, actorOf(viewer), uuidArg(ticketId, 'ticketId'), connectionId, typing);
    return true;
  }

  @Mutation(() => Boolean)
  async leaveTicket(
    @Arg('ticketId', () => ID) ticketId: string,
    @Arg('connectionId') connectionId: string,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    const { em, viewer } = requireStaff(ctx);
    await ctx.services.presence.leave(em, actorOf(viewer), uuidArg(ticketId, 'ticketId'), connectionId);
    return true;
  }

  @Subscription(() => TicketPresenceState, {
    description: 'Who is viewing the ticket and who is typing, now and on every change.',
    subscribe: ({ args, context }) => {
      const ctx = context as RequestContext;
      const { viewer } = requireStaff(ctx);
      return ctx.services.presenceStreams.stream(viewer, args.ticketId as string);
    },
  })
  ticketPresence(
    @Root() state: TicketPresenceState,
    @Arg('ticketId', () => ID) _ticketId: string,
  ): TicketPresenceState {
    return state;
  }
}
