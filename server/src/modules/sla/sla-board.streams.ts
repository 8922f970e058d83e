// slaBoardEvents: the whole board again whenever it changes, at most once per THROTTLE_MS per
// subscriber (a burst of changes, e.g. a batch of breaches, becomes one update). Re-authorises the
// viewer before every update.
import type { MikroORM } from '@mikro-orm/postgresql';
import { closeWith, type EventBus, type LiveQueue } from '../../events/event-bus.js';
import type { BusMessage } from '../../events/registry.js';
import { forTenant } from '../../db/tenant-scope.js';
import type { Viewer } from '../../graphql/context.js';
import { User, isStaffRole } from '../users/user.entity.js';
import type { SlaBoardService } from './sla-board.service.js';
import type { SlaBoard } from './sla.types.js';

export const THROTTLE_MS = 1_000;

export class SlaBoardStreams {
  constructor(
    private readonly orm: MikroORM,
    private readonly bus: EventBus,
    private readonly board: SlaBoardService,
  ) {}

  forViewer(viewer: Viewer): AsyncIterableIterator<SlaBoard> {
    const live = this.bus.subscribe('sla.changed');
    return closeWith(live, this.updates(live, viewer));
  }

  private async *updates(live: LiveQueue<BusMessage<'sla.changed'>>, viewer: Viewer): AsyncGenerator<SlaBoard> {
    let dirty = false;
    let ended = false;
    let wake: (() => void) | null = null;
    const pending = new Promise<void>((resolve) => {
      void (async () => {
        for await (const { payload } of live) {
          if (payload.tenantId !== viewer.tenantId) continue;
          dirty = true;
          wake?.();
        }
        ended = true;
        wake?.();
        resolve();
      })();
    });
    let last = 0;
    try {
      while (!ended) {
        if (!dirty) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
          continue;
        }
        const wait = last + THROTTLE_MS - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        if (ended) break;
        dirty = false;
        last = Date.now();
        const em = forTenant(this.orm.em, viewer.tenantId);
        const user = await em.findOne(User, { id: viewer.userId, active: true });
        if (!user || !isStaffRole(user.role)) return;
        yield { tenantId: viewer.tenantId, ...(await this.board.counts(em, viewer.tenantId)) };
      }
    } finally {
      await live.return();
      await pending;
    }
  }
}
