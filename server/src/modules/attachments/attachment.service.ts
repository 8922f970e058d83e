import crypto from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { fileTypeFromBuffer } from 'file-type';
import { DomainError } from '../../graphql/errors.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { User } from '../users/user.entity.js';
import { Ticket } from '../tickets/ticket.entity.js';
import type { TimelineEvent } from '../timeline/timeline-event.entity.js';
import type { Actor } from '../actor.js';
import { Attachment } from './attachment.entity.js';
import { newStorageKey, type AttachmentStorage } from './attachment-storage.js';

export interface UploadData {
  ticketId: string;
  filename: string;
  declaredType: string;
  bytes: Buffer;
}

/** Types a browser would render or run; always served as downloads. */
const ACTIVE_CONTENT =
  /^(text\/html|application\/xhtml|image\/svg|text\/xml|application\/xml|application\/javascript|text\/javascript)/i;

export function safeFilename(name: string): string {
  const base = name
    .replace(/[\\/]/g, '_')
    .replace(/[\u0000-\u001f\u007f"]/g, '')
    .trim();
  return (base || 'attachment').slice(0, 255);
}

export class AttachmentService {
  constructor(
    private readonly storage: AttachmentStorage,
    private readonly maxBytes: number,
    private readonly signingKey: () => Buffer,
  ) {}

  async upload(em: EntityManager, actor: Actor, data: UploadData): Promise<Attachment> {
    if (data.bytes.length === 0) throw new DomainError('BAD_USER_INPUT', 'The file is empty', 'file');
    if (data.bytes.length > this.maxBytes) {
      throw new DomainError('BAD_USER_INPUT', `Files are limited to ${Math.floor(this.maxBytes / 1048576)} MB`, 'file');
    }
    const ticket = await em.findOne(Ticket, data.ticketId);
    if (!ticket) throw new DomainError('NOT_FOUND', 'No such ticket', 'ticketId');
    const sniffed = await fileTypeFromBuffer(data.bytes);
    const contentType = sniffed?.mime ?? fallbackType(data.filename, data.declaredType, data.bytes);
    const storageKey = newStorageKey(actor.tenantId);
    await this.storage.put(storageKey, data.bytes);
    const attachment = em.create(Attachment, {
      tenant: em.getReference(Tenant, actor.tenantId),
      ticket,
      uploadedBy: actor.userId ? em.getReference(User, actor.userId) : null,
      filename: safeFilename(data.filename),
      contentType,
      size: data.bytes.length,
      sha256: crypto.createHash('sha256').update(data.bytes).digest('hex'),
      storageKey,
    });
    await em.flush();
    return attachment;
  }

  /** Inside the comment's transaction: the caller's own, unattached uploads of that ticket only. */
  async attachToEvent(tx: EntityManager, actor: Actor, event: TimelineEvent, ids: string[]): Promise<Attachment[]> {
    if (ids.length === 0) return [];
    const found = await tx.find(Attachment, {
      id: { $in: ids },
      ticket: event.ticket.id,
      event: null,
      uploadedBy: actor.userId,
    });
    if (found.length !== new Set(ids).size) {
      throw new DomainError('BAD_USER_INPUT', 'Some attachments do not exist or are already attached', 'attachmentIds');
    }
    for (const attachment of found) attachment.event = event;
    return found;
  }

  forEvents(em: EntityManager, eventIds: string[]): Promise<Attachment[]> {
    return em.find(Attachment, { event: { $in: eventIds } }, { orderBy: { createdAt: 'asc' } });
  }

  /** A short-lived link that needs no Authorization header (for <a href> and <img src>). */
  signedPath(attachment: Attachment, ttlSeconds = 3600): string {
    const expires = Math.floor(Date.now() / 1000) + ttlSeconds;
    return `/attachments/${attachment.id}?expires=${expires}&signature=${this.sign(attachment.id, expires)}`;
  }

  verify(id: string, expires: number, signature: string): boolean {
    if (!Number.isInteger(expires) || expires < Date.now() / 1000) return false;
    const expected = Buffer.from(this.sign(id, expires));
    const given = Buffer.from(signature);
    return expected.length === given.length && crypto.timingSafeEqual(expected, given);
  }

  read(attachment: Attachment) {
    return this.storage.read(attachment.storageKey);
  }

  isActiveContent(contentType: string): boolean {
    return ACTIVE_CONTENT.test(contentType);
  }

  private sign(id: string, expires: number): string {
    return crypto.createHmac('sha256', this.signingKey()).update(`${id}.${expires}`).digest('base64url');
  }
}

const ACTIVE_EXTENSION = /\.(html?|xhtml|svg|xml|js|mjs)$/i;

/** Bytes no sniffer recognises (text, mostly): never trust a claim that would make them render. */
function fallbackType(filename: string, declared: string, bytes: Buffer): string {
  if (ACTIVE_CONTENT.test(declared) || ACTIVE_EXTENSION.test(filename)) return 'application/octet-stream';
  return isProbablyText(bytes) ? 'text/plain' : 'application/octet-stream';
}

function isProbablyText(bytes: Buffer): boolean {
  const sample = bytes.subarray(0, 4096);
  return !sample.includes(0) && Buffer.from(sample.toString('utf8'), 'utf8').equals(sample);
}
