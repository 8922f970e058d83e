import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Tenant } from '../tenants/tenant.entity.js';
import { User } from '../users/user.entity.js';
import { Ticket } from '../tickets/ticket.entity.js';

/**
 * Who has a ticket open, per browser tab, kept alive by heartbeats. Short-lived state shared by all
 * API servers (the migration makes the table UNLOGGED: it is not worth a WAL write).
 */
@Entity({ tableName: 'ticket_presence' })
@Index({ properties: ['expiresAt'] })
export class TicketPresence {
  [OptionalProps]?: 'typing' | 'since';

  @ManyToOne({ entity: () => Ticket, primary: true, deleteRule: 'cascade' })
  ticket!: Rel<Ticket>;

  /** One per tab: the same agent in two tabs is one viewer but two heartbeats. */
  @PrimaryKey({ length: 64 })
  connectionId!: string;

  @ManyToOne({ entity: () => Tenant, deleteRule: 'cascade' })
  tenant!: Rel<Tenant>;

  @ManyToOne({ entity: () => User, deleteRule: 'cascade' })
  user!: Rel<User>;

  @Property()
  typing: boolean = false;

  @Property({ type: 'timestamptz' })
  since: Date = new Date();

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;
}
