import { Entity, Enum, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { TenantScopedEntity } from '../../db/tenant-scoped.entity.js';

export enum MailTemplateEvent {
  TICKET_CREATED = 'TICKET_CREATED',
  TICKET_ASSIGNED = 'TICKET_ASSIGNED',
  TICKET_UPDATED = 'TICKET_UPDATED',
  TICKET_RESOLVED = 'TICKET_RESOLVED',
  TICKET_CLOSED = 'TICKET_CLOSED',
  COMMENT_ADDED = 'COMMENT_ADDED',
  PASSWORD_RESET = 'PASSWORD_RESET',
  /** To an agent: one notification (mention, assignment, SLA, critical ticket, …). */
  AGENT_NOTIFICATION = 'AGENT_NOTIFICATION',
  /** To an agent: several notifications in one hourly or daily mail. */
  NOTIFICATION_DIGEST = 'NOTIFICATION_DIGEST',
}
registerEnumType(MailTemplateEvent, { name: 'MailTemplateEvent' });

/** A tenant's own wording for one event; events without a row use the built-in template. */
@ObjectType()
@Entity({ tableName: 'mail_templates' })
@Unique({ properties: ['tenant', 'event'] })
export class MailTemplate extends TenantScopedEntity<'enabled'> {
  @Field(() => MailTemplateEvent)
  @Enum({ items: () => MailTemplateEvent, nativeEnumName: 'mail_template_event' })
  event!: MailTemplateEvent;

  @Field()
  @Property({ length: 500 })
  subject!: string;

  @Field()
  @Property({ type: 'text' })
  body!: string;

  /** Off: this event sends no mail (e.g. a tenant that does not want "ticket created" receipts). */
  @Field()
  @Property()
  enabled: boolean = true;
}
