import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { RequestContext } from '../../graphql/context.js';
import { requireViewer } from '../../graphql/authorization.js';
import { isUuid } from '../../lib/ids.js';
import { User } from '../users/user.entity.js';
import { Ticket } from '../tickets/ticket.entity.js';
import { Notification } from './notification.entity.js';

@Resolver(() => Notification)
export class NotificationResolver {
  @Query(() => [Notification], { description: "The caller's notifications, newest first." })
  async notifications(
    @Ctx() ctx: RequestContext,
    @Arg('unreadOnly', { defaultValue: false }) unreadOnly: boolean,
    @Arg('first', () => Int, { nullable: true, description: 'At most 200; 50 when omitted.' }) first?: number | null,
    @Arg('before', () => ID, { nullable: true, description: 'The last notification of the previous page.' })
    before?: string | null,
  ): Promise<Notification[]> {
    const { em, viewer } = requireViewer(ctx);
    const limit = Math.min(Math.max(first ?? 50, 1), 200);
    if (before == null) return ctx.services.notifications.list(em, viewer.userId, unreadOnly, limit);
    const cursor = isUuid(before) ? await em.findOne(Notification, { id: before, user: viewer.userId }) : null;
    if (!cursor) return [];
    return ctx.services.notifications.list(em, viewer.userId, unreadOnly, limit, cursor);
  }

  @Query(() => Int)
  unreadNotificationCount(@Ctx() ctx: RequestContext): Promise<number> {
    const { em, viewer } = requireViewer(ctx);
    return ctx.services.notifications.unreadCount(em, viewer.userId);
  }

  @Mutation(() => Int, { description: 'Marks the given notifications (or all when ids is omitted) as read.' })
  markNotificationsRead(
    @Ctx() ctx: RequestContext,
    @Arg('ids', () => [ID], { nullable: true }) ids?: string[] | null,
  ): Promise<number> {
    const { em, viewer } = requireViewer(ctx);
    return ctx.services.notifications.markRead(em, viewer.userId, ids ? ids.filter(isUuid) : null);
  }

  @Mutation(() => Int, { description: 'Marks the given notifications as unread again.' })
  markNotificationsUnread(@Ctx() ctx: RequestContext, @Arg('ids', () => [ID]) ids: string[]): Promise<number> {
    const { em, viewer } = requireViewer(ctx);
    return ctx.services.notifications.markUnread(em, viewer.userId, ids.filter(isUuid));
  }

  @Subscription(() => Notification, {
    description: "The caller's new notifications, live.",
    subscribe: ({ context }) => {
      const { viewer } = requireViewer(context as RequestContext);
      return (context as RequestContext).services.notificationStreams.forUser(viewer);
    },
  })
  notificationEvents(@Root() notification: Notification): Notification {
    return notification;
  }

  @FieldResolver(() => Ticket, { nullable: true })
  ticket(@Root() n: Notification, @Ctx() ctx: RequestContext): Promise<Ticket | null> {
    return requireViewer(ctx).loaders.load(Ticket, n.ticket?.id);
  }

  @FieldResolver(() => User, { nullable: true })
  actor(@Root() n: Notification, @Ctx() ctx: RequestContext): Promise<User | null> {
    return requireViewer(ctx).loaders.load(User, n.actor?.id);
  }
}
