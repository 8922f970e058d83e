import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema, type MiddlewareFn } from 'type-graphql';
import { AuthResolver } from '../modules/auth/auth.resolver.js';
import { UserFieldsResolver } from '../modules/users/user.resolver.js';
import { UsersQueryResolver } from '../modules/users/users.query.resolver.js';
import { TeamResolver } from '../modules/teams/team.resolver.js';
import { TicketConnectionResolver, TicketResolver } from '../modules/tickets/ticket.resolver.js';
import { TimelineResolver } from '../modules/timeline/timeline.resolver.js';
import { TimelineSubscriptions } from '../modules/timeline/timeline.subscriptions.js';
import { NotificationResolver } from '../modules/notifications/notification.resolver.js';
import { PresenceResolver } from '../modules/presence/presence.resolver.js';
import { AttachmentResolver } from '../modules/attachments/attachment.resolver.js';
import { EmailAddressResolver } from '../modules/email/email-address.resolver.js';
import { MailMessageResolver, MailTemplateResolver, TimelineMailResolver } from '../modules/email/mail.resolver.js';
import { NotificationPreferencesResolver } from '../modules/notifications/notification-preferences.resolver.js';
import {
  CompanySlaResolver,
  SlaBoardResolver,
  SlaCalendarResolver,
  SlaPolicyResolver,
} from '../modules/sla/sla.resolver.js';
import { TicketSlaResolver } from '../modules/sla/ticket-sla.resolver.js';
import {
  AutomationExecutionResolver,
  AutomationRuleResolver,
  TicketAutomationResolver,
} from '../modules/automation/automation.resolver.js';
import {
  AutomationExecutionWebhookResolver,
  WebhookDeliveryResolver,
} from '../modules/automation/webhook-delivery.resolver.js';
import {
  LiveChatMessageResolver,
  LiveChatSettingsResolver,
  LiveConversationResolver,
} from '../modules/livechat/livechat.resolver.js';
import { SmtpIdentityResolver } from '../modules/email/smtp-identity.resolver.js';
import {
  ChatChannelResolver,
  ChatMessageResolver,
  ChatPresenceResolver,
  ChatSubscriptions,
} from '../modules/chat/chat.resolver.js';
import { toGraphQLError } from './errors.js';
import { TenantViolationError } from '../db/tenant-scope.js';
import { forbidden } from './errors.js';
import type { RequestContext } from './context.js';
import { busPubSub } from './pubsub.js';

export const resolvers = [
  AuthResolver,
  UserFieldsResolver,
  UsersQueryResolver,
  TeamResolver,
  TicketResolver,
  TicketConnectionResolver,
  TimelineResolver,
  TimelineSubscriptions,
  NotificationResolver,
  PresenceResolver,
  AttachmentResolver,
  EmailAddressResolver,
  MailTemplateResolver,
  TimelineMailResolver,
  MailMessageResolver,
  NotificationPreferencesResolver,
  SlaPolicyResolver,
  SlaCalendarResolver,
  CompanySlaResolver,
  SlaBoardResolver,
  TicketSlaResolver,
  AutomationRuleResolver,
  AutomationExecutionResolver,
  TicketAutomationResolver,
  LiveConversationResolver,
  LiveChatMessageResolver,
  LiveChatSettingsResolver,
  SmtpIdentityResolver,
  ChatChannelResolver,
  ChatMessageResolver,
  ChatPresenceResolver,
  ChatSubscriptions,
  AutomationExecutionWebhookResolver,
  WebhookDeliveryResolver,
] as const;

/** Maps domain errors to GraphQL errors with the contract's codes, for HTTP and WebSocket alike. */
const domainErrors: MiddlewareFn<RequestContext> = async (_action, next) => {
  try {
    return await next();
  } catch (error) {
    if (error instanceof TenantViolationError) throw forbidden();
    throw toGraphQLError(error) ?? error;
  }
};

let cached: Promise<GraphQLSchema> | undefined;

export function buildAppSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({
    resolvers: [...resolvers],
    validate: { forbidUnknownValues: false },
    globalMiddlewares: [domainErrors],
    pubSub: busPubSub,
  });
  return cached;
}
