// type-graphql's PubSub, backed by the cross-process EventBus. Our subscriptions pass their own
// `subscribe` streams (which replay and re-authorise), but anything using `topics` also gets events
// from every process. Publishing goes through services, inside their transactions.
import type { PubSub } from 'type-graphql';
import { closeWith, type EventBus } from '../events/event-bus.js';
import type { EventName } from '../events/registry.js';

let bus: EventBus | null = null;

export function connectPubSub(eventBus: EventBus): void {
  bus = eventBus;
}

export const busPubSub: PubSub = {
  publish(routingKey: string) {
    throw new Error(`Publish ${routingKey} from a service, inside its transaction (EventBus.publishInTransaction)`);
  },
  subscribe(routingKey: string) {
    if (!bus) throw new Error('The event bus is not connected yet');
    const live = bus.subscribe(routingKey as EventName);
    return closeWith(
      live,
      (async function* () {
        for await (const message of live) yield message.payload;
      })(),
    );
  },
};
