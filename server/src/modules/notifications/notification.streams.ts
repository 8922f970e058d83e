import type { MikroORM } from '@mikro-orm/postgresql';
import type { EventBus } from '../../events/event-bus.js';
import { forTenant } from '../../db/tenant-scope.js';
import type { Viewer } from '../../graphql/context.js';
import { Notification } from './notification.entity.js';

export class NotificationStreams {
  constructor(
    private readonly orm: MikroORM,
    private readonly bus: EventBus,
  ) {}

  async *forUser(viewer: Viewer): AsyncGenerator<Notification> {
    const live = this.bus.subscribe('notification.created');
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
