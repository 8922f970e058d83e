import { Tenant } from '../modules/tenants/tenant.entity.js';
import { User } from '../modules/users/user.entity.js';
import { Company } from '../modules/companies/company.entity.js';
import { PasswordResetToken, Session } from '../modules/auth/session.entity.js';
import { LoginRateLimit } from '../modules/auth/login-rate-limit.entity.js';
import { Team } from '../modules/teams/team.entity.js';
import { Ticket } from '../modules/tickets/ticket.entity.js';
import { CommentRevision, TimelineEvent } from '../modules/timeline/timeline-event.entity.js';
import { Notification } from '../modules/notifications/notification.entity.js';
import { TicketPresence } from '../modules/presence/presence.entity.js';
import { Attachment } from '../modules/attachments/attachment.entity.js';
import { EmailAddress } from '../modules/email/email-address.entity.js';
import { MailMessage } from '../modules/email/mail-message.entity.js';
import { SmtpIdentity } from '../modules/email/smtp-identity.entity.js';
import { MailTemplate } from '../modules/email/mail-template.entity.js';
import {
  NotificationPreference,
  NotificationSettings,
} from '../modules/notifications/notification-preference.entity.js';
import { NotificationEmail } from '../modules/notifications/notification-email.entity.js';
import { SlaCalendar } from '../modules/sla/sla-calendar.entity.js';
import { SlaPolicy } from '../modules/sla/sla-policy.entity.js';
import { CompanySlaPolicy } from '../modules/sla/company-sla-policy.entity.js';
import { TicketSla } from '../modules/sla/ticket-sla.entity.js';
import { SlaFiring } from '../modules/sla/sla-firing.entity.js';
import { SlaStateDelta } from '../modules/sla/sla-state-delta.entity.js';
import { AutomationCursor, AutomationExecution, AutomationRule } from '../modules/automation/automation.entity.js';
import { WebhookDelivery } from '../modules/automation/webhook-delivery.entity.js';
import {
  LiveChatMessage,
  LiveChatRateLimit,
  LiveChatSettings,
  LiveConversation,
} from '../modules/livechat/livechat.entities.js';
import { ChatChannel, ChatMember, ChatMessage, ChatPresence } from '../modules/chat/chat.entities.js';
import { BaseEntity } from './base.entity.js';
import { TenantScopedEntity } from './tenant-scoped.entity.js';

/** Every entity, in one list: MikroORM discovery and the tenant filter both read it. */
export const entities = [
  BaseEntity,
  TenantScopedEntity,
  Tenant,
  User,
  Company,
  Session,
  PasswordResetToken,
  LoginRateLimit,
  Team,
  Ticket,
  TimelineEvent,
  CommentRevision,
  Notification,
  TicketPresence,
  Attachment,
  EmailAddress,
  MailMessage,
  MailTemplate,
  NotificationPreference,
  NotificationSettings,
  NotificationEmail,
  SlaCalendar,
  SlaPolicy,
  CompanySlaPolicy,
  TicketSla,
  SlaFiring,
  SlaStateDelta,
  AutomationRule,
  AutomationExecution,
  AutomationCursor,
  WebhookDelivery,
  LiveChatSettings,
  LiveConversation,
  LiveChatMessage,
  LiveChatRateLimit,
  SmtpIdentity,
  ChatChannel,
  ChatMember,
  ChatMessage,
  ChatPresence,
];
