// Per-tenant widget settings, and finding a tenant's widget by its public key.
import crypto from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { acrossTenants } from '../../db/tenant-scope.js';
import type { EventBus } from '../../events/event-bus.js';
import { DomainError } from '../../graphql/errors.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { LiveChatSettings } from './livechat.entities.js';
import { normaliseOrigins } from './origins.js';

export interface LiveChatSettingsData {
  enabled?: boolean | null;
  allowedOrigins?: string[] | null;
  askForContact?: boolean | null;
  requireEmail?: boolean | null;
  greeting?: string | null;
  color?: string | null;
  /** undefined: unchanged; null: never turn conversations into tickets automatically. */
  autoTicketAfterMinutes?: number | null;
  visitorMessagesPerMinute?: number | null;
  conversationsPerHourPerIp?: number | null;
}

export function newWidgetKey(): string {
  return `wk_${crypto.randomBytes(18).toString('base64url')}`;
}

function intBetween(value: number, min: number, max: number, field: string): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new DomainError('BAD_USER_INPUT', `${field} must be a whole number from ${min} to ${max}`, field);
  }
  return value;
}

/** Widget settings by public key, remembered briefly: every visitor request (and preflight) needs them. */
const CACHE_MS = 3_000;

export class LiveChatSettingsService {
  private readonly byKey = new Map<string, { settings: LiveChatSettings | null; until: number }>();

  constructor(
    private readonly orm: MikroORM,
    private readonly bus: EventBus,
  ) {}

  /** Drops this process's cache of widgets by key (another process changed one). */
  forgetCachedKeys(): void {
    this.byKey.clear();
  }

  /** The tenant's settings, created with the defaults (widget off) on first use. */
  async forTenant(em: EntityManager, tenantId: string): Promise<LiveChatSettings> {
    const existing = await em.findOne(LiveChatSettings, { tenant: tenantId });
    if (existing) return existing;
    await em.execute(
      `insert into livechat_settings (id, created_at, updated_at, tenant_id, public_key, allowed_origins)
       values (?, now(), now(), ?, ?, '{}') on conflict (tenant_id) do nothing`,
      [crypto.randomUUID(), tenantId, newWidgetKey()],
    );
    return em.findOneOrFail(LiveChatSettings, { tenant: tenantId });
  }

  async update(em: EntityManager, tenantId: string, data: LiveChatSettingsData): Promise<LiveChatSettings> {
    const settings = await this.forTenant(em, tenantId);
    if (data.allowedOrigins != null) settings.allowedOrigins = normaliseOrigins(data.allowedOrigins);
    if (data.askForContact != null) settings.askForContact = data.askForContact;
    if (data.requireEmail != null) settings.requireEmail = data.requireEmail;
    if (data.greeting != null) {
      const greeting = data.greeting.trim();
      if (greeting.length > 500)
        throw new DomainError('BAD_USER_INPUT', 'The greeting is longer than 500 characters', 'greeting');
      settings.greeting = greeting;
    }
    if (data.color != null) {
      if (!/^#[0-9a-fA-F]{6}$/.test(data.color)) {
        throw new DomainError('BAD_USER_INPUT', 'The colour must look like #4f46e5', 'color');
      }
      settings.color = data.color.toLowerCase();
    }
    if (data.autoTicketAfterMinutes !== undefined) {
      settings.autoTicketAfterMinutes =
        data.autoTicketAfterMinutes === null
          ? null
          : intBetween(data.autoTicketAfterMinutes, 1, 10_080, 'autoTicketAfterMinutes');
    }
    if (data.visitorMessagesPerMinute != null) {
      settings.visitorMessagesPerMinute = intBetween(data.visitorMessagesPerMinute, 1, 600, 'visitorMessagesPerMinute');
    }
    if (data.conversationsPerHourPerIp != null) {
      settings.conversationsPerHourPerIp = intBetween(
        data.conversationsPerHourPerIp,
        1,
        1000,
        'conversationsPerHourPerIp',
      );
    }
    if (data.enabled != null) settings.enabled = data.enabled;
    if (settings.enabled && settings.allowedOrigins.length === 0) {
      throw new DomainError(
        'BAD_USER_INPUT',
        'Add at least one allowed origin (the site that embeds the widget) before enabling it',
        'allowedOrigins',
      );
    }
    await em.flush();
    await this.changed(em, tenantId);
    return settings;
  }

  /** A new public key: the old one stops working at once (and its visitors' conversations with it). */
  async regenerateKey(em: EntityManager, tenantId: string): Promise<LiveChatSettings> {
    const settings = await this.forTenant(em, tenantId);
    settings.publicKey = newWidgetKey();
    await em.flush();
    await this.changed(em, tenantId);
    return settings;
  }

  /** Every API process forgets the old settings and closes the visitor sockets they no longer admit. */
  private async changed(em: EntityManager, tenantId: string): Promise<void> {
    this.byKey.clear();
    await this.bus.publish(em, 'livechat.widget-changed', { tenantId });
  }

  /** The enabled widget with this public key, or null. */
  async byPublicKey(key: string): Promise<LiveChatSettings | null> {
    if (!/^wk_[A-Za-z0-9_-]{10,60}$/.test(key)) return null;
    const cached = this.byKey.get(key);
    if (cached && cached.until > Date.now()) return cached.settings;
    const found = await acrossTenants(this.orm.em).findOne(LiveChatSettings, { publicKey: key, enabled: true });
    if (this.byKey.size > 1000) this.byKey.clear();
    this.byKey.set(key, { settings: found, until: Date.now() + CACHE_MS });
    return found;
  }

  async tenantName(tenantId: string): Promise<string> {
    const tenant = await acrossTenants(this.orm.em).findOne(Tenant, tenantId);
    return tenant?.name ?? '';
  }
}
