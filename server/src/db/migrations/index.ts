// Migrations in the order they apply. `pnpm db:migration` writes a new file; add it here.
import { Migration20261122020249_platform } from './Migration20261122020249_platform.js';
import { Migration20261122021700_tickets } from './Migration20261122021700_tickets.js';
import { Migration20261122022738_presence } from './Migration20261122022738_presence.js';
import { Migration20261122023137_attachments } from './Migration20261122023137_attachments.js';
import { Migration20261122024021_inbox_indexes } from './Migration20261122024021_inbox_indexes.js';
import { Migration20261122024553_email } from './Migration20261122024553_email.js';
import { Migration20261122030040_mail_templates } from './Migration20261122030040_mail_templates.js';
import { Migration20261122045352_notification_links } from './Migration20261122045352_notification_links.js';
import { Migration20261122045911_livechat } from './Migration20261122045911_livechat.js';
import { Migration20261122050059_automation } from './Migration20261122050059_automation.js';
import { Migration20261122050123_notification_preferences } from './Migration20261122050123_notification_preferences.js';
import { Migration20261122050201_chat } from './Migration20261122050201_chat.js';
import { Migration20261122050511_sla } from './Migration20261122050511_sla.js';
import { Migration20261122052220_email_moved } from './Migration20261122052220_email_moved.js';
import { Migration20261122053511_sla_counts } from './Migration20261122053511_sla_counts.js';
import { Migration20261122053533_held_mail_discarded } from './Migration20261122053533_held_mail_discarded.js';
import { Migration20261122054758_smtp_identities } from './Migration20261122054758_smtp_identities.js';
import { Migration20261122081123_webhook_deliveries } from './Migration20261122081123_webhook_deliveries.js';

export const migrationsList = [
  { name: 'Migration20261122020249_platform', class: Migration20261122020249_platform },
  { name: 'Migration20261122021700_tickets', class: Migration20261122021700_tickets },
  { name: 'Migration20261122022738_presence', class: Migration20261122022738_presence },
  { name: 'Migration20261122023137_attachments', class: Migration20261122023137_attachments },
  { name: 'Migration20261122024021_inbox_indexes', class: Migration20261122024021_inbox_indexes },
  { name: 'Migration20261122024553_email', class: Migration20261122024553_email },
  { name: 'Migration20261122030040_mail_templates', class: Migration20261122030040_mail_templates },
  { name: 'Migration20261122045352_notification_links', class: Migration20261122045352_notification_links },
  { name: 'Migration20261122045911_livechat', class: Migration20261122045911_livechat },
  { name: 'Migration20261122050059_automation', class: Migration20261122050059_automation },
  { name: 'Migration20261122050123_notification_preferences', class: Migration20261122050123_notification_preferences },
  { name: 'Migration20261122050201_chat', class: Migration20261122050201_chat },
  { name: 'Migration20261122050511_sla', class: Migration20261122050511_sla },
  { name: 'Migration20261122052220_email_moved', class: Migration20261122052220_email_moved },
  { name: 'Migration20261122053511_sla_counts', class: Migration20261122053511_sla_counts },
  { name: 'Migration20261122053533_held_mail_discarded', class: Migration20261122053533_held_mail_discarded },
  { name: 'Migration20261122054758_smtp_identities', class: Migration20261122054758_smtp_identities },
  { name: 'Migration20261122081123_webhook_deliveries', class: Migration20261122081123_webhook_deliveries },
];
