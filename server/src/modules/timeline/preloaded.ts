// Relations already loaded for an event that is delivered to many subscribers at once, so field
// resolvers do not query again per subscriber.
import type { Attachment } from '../attachments/attachment.entity.js';
import type { TimelineEvent } from './timeline-event.entity.js';

const attachmentsByEvent = new WeakMap<TimelineEvent, Attachment[]>();

export function preloadAttachments(event: TimelineEvent, attachments: Attachment[]): void {
  attachmentsByEvent.set(event, attachments);
}

export function preloadedAttachments(event: TimelineEvent): Attachment[] | undefined {
  return attachmentsByEvent.get(event);
}
