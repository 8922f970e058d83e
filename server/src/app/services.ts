// The service container: one instance of each service per process, shared by the API server and
// the workers. Services hold the domain logic and know nothing of GraphQL.
import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import type { Env } from '../config/env.js';
import type { EventBus } from '../events/event-bus.js';
import { AuthService } from '../modules/auth/auth.service.js';
import { LoginThrottle } from '../modules/auth/login-throttle.js';
import { PasswordResetService } from '../modules/auth/password-reset.service.js';
import { TenantService } from '../modules/tenants/tenant.service.js';
import { UserService } from '../modules/users/user.service.js';
import { TeamService } from '../modules/teams/team.service.js';
import { AssignmentService } from '../modules/teams/assignment.service.js';
import { TicketService } from '../modules/tickets/ticket.service.js';
import { TicketQueries } from '../modules/tickets/ticket.queries.js';
import { TimelineWriter } from '../modules/timeline/timeline.writer.js';
import { TimelineService } from '../modules/timeline/timeline.service.js';
import { TimelineStreams } from '../modules/timeline/timeline-streams.js';
import { NotificationService } from '../modules/notifications/notification.service.js';
import { NotificationStreams } from '../modules/notifications/notification.streams.js';
import { PresenceService } from '../modules/presence/presence.service.js';
import { AttachmentService } from '../modules/attachments/attachment.service.js';
import { DiskAttachmentStorage } from '../modules/attachments/attachment-storage.js';
import { derivedKey } from '../lib/secrets.js';
import path from 'node:path';
import { EmailAddressService } from '../modules/email/email-address.service.js';
import { MailFetchRequests } from '../modules/email/mail-fetch-requests.js';
import { MailTemplateService } from '../modules/email/mail-templates.js';
import { OutboxService } from '../modules/email/outbox.service.js';
import { MailReader } from '../modules/email/mail-reader.js';
import { MailIngestService } from '../modules/email/mail-ingest.service.js';
import { MailMoveService } from '../modules/email/mail-move.service.js';
import { HeldMailService } from '../modules/email/held-mail.service.js';
import { SmtpIdentityService } from '../modules/email/smtp-identity.service.js';
import { MailboxFetcher } from '../modules/email/mailbox-fetcher.js';
import { PresenceStreams } from '../modules/presence/presence.resolver.js';
import { NotificationPreferenceService } from '../modules/notifications/notification-preferences.service.js';
import { NotificationMailer } from '../modules/notifications/notification-mailer.js';
import { SlaPolicyService } from '../modules/sla/sla-policy.service.js';
import { SlaTracker } from '../modules/sla/sla-tracker.js';
import { SlaTimers } from '../modules/sla/sla-timers.js';
import { SlaBoardService } from '../modules/sla/sla-board.service.js';
import { SlaBoardStreams } from '../modules/sla/sla-board.streams.js';
import { AutomationService } from '../modules/automation/automation.service.js';
import { WebhookDeliveryService } from '../modules/automation/webhook-delivery.service.js';
import { LiveChatService } from '../modules/livechat/livechat.service.js';
import { LiveChatSettingsService } from '../modules/livechat/livechat-settings.service.js';
import { LiveChatStreams } from '../modules/livechat/livechat.streams.js';
import { LiveChatLimits } from '../modules/livechat/livechat-limits.js';
import { ChatService } from '../modules/chat/chat.service.js';
import { ChatPresenceService } from '../modules/chat/chat-presence.service.js';
import { ChatStreams } from '../modules/chat/chat-streams.js';

export interface Services {
  orm: MikroORM;
  bus: EventBus;
  auth: AuthService;
  passwordResets: PasswordResetService;
  tenants: TenantService;
  users: UserService;
  teams: TeamService;
  tickets: TicketService;
  ticketQueries: TicketQueries;
  timeline: TimelineService;
  timelineStreams: TimelineStreams;
  notifications: NotificationService;
  notificationStreams: NotificationStreams;
  presence: PresenceService;
  presenceStreams: PresenceStreams;
  attachments: AttachmentService;
  emailAddresses: EmailAddressService;
  mailFetchRequests: MailFetchRequests;
  mailTemplates: MailTemplateService;
  outbox: OutboxService;
  mailReader: MailReader;
  mailIngest: MailIngestService;
  mailboxFetcher: MailboxFetcher;
  notificationPreferences: NotificationPreferenceService;
  notificationMailer: NotificationMailer;
  slaPolicies: SlaPolicyService;
  slaTracker: SlaTracker;
  slaTimers: SlaTimers;
  slaBoard: SlaBoardService;
  slaBoardStreams: SlaBoardStreams;
  automation: AutomationService;
  webhookDeliveries: WebhookDeliveryService;
  liveChat: LiveChatService;
  liveChatSettings: LiveChatSettingsService;
  liveChatStreams: LiveChatStreams;
  mailMove: MailMoveService;
  heldMail: HeldMailService;
  smtpIdentities: SmtpIdentityService;
  chat: ChatService;
  chatPresence: ChatPresenceService;
  chatStreams: ChatStreams;
  close(): Promise<void>;
}

export function createServices(orm: MikroORM, bus: EventBus, env: Env, databaseUrl: string): Services {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  pool.on('error', () => undefined); // idle client errors surface on the next query instead
  const throttle = new LoginThrottle(pool, {
    maxFailuresPerAccount: env.LOGIN_MAX_FAILURES_PER_ACCOUNT,
    maxFailuresPerIp: env.LOGIN_MAX_FAILURES_PER_IP,
    blockMinutes: env.LOGIN_BLOCK_MINUTES,
  });
  const auth = new AuthService(orm, bus, throttle, {
    sessionTtlHours: env.SESSION_TTL_HOURS,
    resetTokenTtlMinutes: 60,
  });
  // Every process forgets revoked sessions at once, whichever server revoked them.
  const revoked = bus.subscribe('session.revoked');
  void (async () => {
    for await (const { payload } of revoked) auth.forgetSession(payload.sessionId);
  })();
  const users = new UserService();
  const writer = new TimelineWriter(bus);
  const mailTemplates = new MailTemplateService();
  const outbox = new OutboxService(orm, bus, mailTemplates);
  const notificationPreferences = new NotificationPreferenceService();
  const notificationMailer = new NotificationMailer(orm, outbox, mailTemplates, notificationPreferences);
  const notifications = new NotificationService(bus, {
    preferences: notificationPreferences,
    mailer: notificationMailer,
  });
  const tickets = new TicketService(writer, users, new AssignmentService(), notifications);
  const storage = new DiskAttachmentStorage(path.join(env.DATA_DIR, 'attachments'));
  const attachments = new AttachmentService(storage, env.ATTACHMENT_MAX_BYTES, () => derivedKey('attachment-links'));
  const timeline = new TimelineService(writer, tickets, notifications, attachments, outbox);
  const mailReader = new MailReader(env.MAIL_READ_THREADS);
  const mailRecording = { bus, storage, tickets, users, writer, outbox, templates: mailTemplates, reader: mailReader };
  const mailIngest = new MailIngestService(orm, mailRecording);
  const presence = new PresenceService(orm, bus);
  const slaPolicies = new SlaPolicyService();
  const slaTracker = new SlaTracker(bus, writer, notifications, slaPolicies);
  slaTracker.attach();
  const slaBoard = new SlaBoardService();
  const chat = new ChatService(bus, notifications, timeline);
  const chatPresence = new ChatPresenceService(orm, bus);
  return {
    orm,
    bus,
    auth,
    passwordResets: new PasswordResetService(auth, {
      send: (user, token) => outbox.queuePasswordReset(user, token).then(() => undefined),
    }),
    tenants: new TenantService(orm),
    users,
    teams: new TeamService(users),
    tickets,
    ticketQueries: new TicketQueries(),
    timeline,
    timelineStreams: new TimelineStreams(orm, bus, timeline, attachments),
    notifications,
    notificationStreams: new NotificationStreams(orm, bus),
    presence,
    presenceStreams: new PresenceStreams(orm, bus, presence),
    attachments,
    emailAddresses: new EmailAddressService(),
    mailFetchRequests: new MailFetchRequests(bus),
    mailTemplates,
    outbox,
    mailReader,
    mailIngest,
    mailboxFetcher: new MailboxFetcher(orm, mailIngest),
    notificationPreferences,
    notificationMailer,
    slaPolicies,
    slaTracker,
    slaTimers: new SlaTimers(orm, slaTracker),
    slaBoard,
    slaBoardStreams: new SlaBoardStreams(orm, bus, slaBoard),
    automation: new AutomationService(),
    webhookDeliveries: new WebhookDeliveryService(orm),
    liveChat: new LiveChatService(orm, bus, tickets, writer, outbox, new LiveChatLimits(pool)),
    liveChatSettings: new LiveChatSettingsService(orm, bus),
    liveChatStreams: new LiveChatStreams(orm, bus),
    mailMove: new MailMoveService(tickets, writer),
    heldMail: new HeldMailService(storage, mailRecording),
    smtpIdentities: new SmtpIdentityService(),
    chat,
    chatPresence,
    chatStreams: new ChatStreams(orm, bus, chat, chatPresence),
    close: async () => {
      await revoked.return();
      await mailReader.close();
      await pool.end();
    },
  };
}
