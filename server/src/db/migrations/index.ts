// Migrations in the order they apply. `pnpm db:migration` writes a new file; add it here.
import { Migration20261122020249_platform } from './Migration20261122020249_platform.js';
import { Migration20261122021700_tickets } from './Migration20261122021700_tickets.js';
import { Migration20261122022738_presence } from './Migration20261122022738_presence.js';
import { Migration20261122023137_attachments } from './Migration20261122023137_attachments.js';
import { Migration20261122024021_inbox_indexes } from './Migration20261122024021_inbox_indexes.js';
import { Migration20261122024553_email } from './Migration20261122024553_email.js';
import { Migration20261122030040_mail_templates } from './Migration20261122030040_mail_templates.js';
import { Migration20261122045352_notification_links } from './Migration20261122045352_notification_links.js';
import { Migration20261122050201_chat } from './Migration20261122050201_chat.js';

export const migrationsList = [
  { name: 'Migration20261122020249_platform', class: Migration20261122020249_platform },
  { name: 'Migration20261122021700_tickets', class: Migration20261122021700_tickets },
  { name: 'Migration20261122022738_presence', class: Migration20261122022738_presence },
  { name: 'Migration20261122023137_attachments', class: Migration20261122023137_attachments },
  { name: 'Migration20261122024021_inbox_indexes', class: Migration20261122024021_inbox_indexes },
  { name: 'Migration20261122024553_email', class: Migration20261122024553_email },
  { name: 'Migration20261122030040_mail_templates', class: Migration20261122030040_mail_templates },
  {
    name: 'Migration20261122045352_notification_links',
    class: Migration20261122045352_notification_links,
  },
  { name: 'Migration20261122050201_chat', class: Migration20261122050201_chat },
];
