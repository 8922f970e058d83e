import type { MikroORM } from '@mikro-orm/postgresql';
import { closeWith, type EventBus, type LiveQueue } from '../../events/event-bus.js';
import type { BusMessage } from '../../events/registry.js';
import { forTenant } from '../../db/tenant-scope.js';
import type { Viewer } from '../../graphql/context.js';
import { Notification } from './notification.entity.js';

export class NotificationStreams {
  constructor(
    private readonly orm: MikroORM,
    private readonly bus: EventBus,
  ) {}

  forUser(viewer: Viewer): AsyncIterableIterator<Notification> {
    const live = this.bus.subscribe('notification.created');
    return closeWith(live, this.mine(live, viewer));
  }

  private async *mine(
    live: LiveQueue<BusMessage<'notification.created'>>,
    viewer: Viewer,
  ): AsyncGenerator<Notification> {
    try {
      for await (const { payload } of live) {
        if (payload.tenantId !== viewer.tenantId || payload.userId !== viewer.userId) continue;
        const em = forTenant(this.orm.em, viewer.tenantId);
        const notification = await em.findOne(Notification, { id: payload.notificationId, user: viewer.userId });
        if (notification) yield notification;
      }
    } finally {
      await live.return();
    }
  }
}
