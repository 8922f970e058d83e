import { Migration } from '@mikro-orm/migrations';

export class Migration20261122024553_email extends Migration {

  override name = 'Migration20261122024553_email';

  override up(): void | Promise<void> {
    this.addSql(`create type "smtp_security" as enum ('NONE', 'STARTTLS', 'TLS');`);
    this.addSql(`create type "mailbox_health" as enum ('UNKNOWN', 'OK', 'ERROR', 'AUTH_FAILED');`);
    this.addSql(`create type "mail_direction" as enum ('IN', 'OUT');`);
    this.addSql(`create type "mail_status" as enum ('RECEIVED', 'HELD', 'QUEUED', 'SENT', 'FAILED', 'BOUNCED');`);
    this.addSql(`create table "email_addresses" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "display_name" varchar(255) not null, "address" varchar(320) not null, "color" varchar(20) not null default '#4f6bed', "imap_host" varchar(255) not null, "imap_port" int not null, "imap_tls" boolean not null, "imap_user" varchar(255) not null, "imap_password_sealed" text not null, "imap_folder" varchar(255) not null default 'INBOX', "smtp_host" varchar(255) not null, "smtp_port" int not null, "smtp_security" "smtp_security" not null, "smtp_user" varchar(255) null, "smtp_password_sealed" text null, "is_default" boolean not null default false, "is_active" boolean not null default true, "health" "mailbox_health" not null default 'UNKNOWN', "last_check_at" timestamptz null, "last_error" text null, "processed_count" int not null default 0, "uid_validity" bigint null, "last_uid" bigint null, "lease_owner" varchar(100) null, "lease_expires_at" timestamptz null, "failures" int not null default 0, "next_attempt_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "email_addresses_tenant_id_index" on "email_addresses" ("tenant_id");`);
    this.addSql(`alter table "email_addresses" add constraint "email_addresses_tenant_id_address_unique" unique ("tenant_id", "address");`);

    this.addSql(`create table "mail_messages" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "direction" "mail_direction" not null, "status" "mail_status" not null, "email_address_id" uuid null, "ticket_id" uuid null, "event_id" bigint null, "message_id" varchar(998) not null, "in_reply_to" varchar(998) null, "references" text[] not null, "subject" text not null, "from_address" varchar(320) not null, "from_name" varchar(255) null, "to_addresses" text[] not null, "cc_addresses" text[] not null, "text_body" text null, "html_body" text null, "raw_key" varchar(255) null, "size" int not null default 0, "classification" jsonb not null, "parse_problems" text[] not null, "received_by" text[] not null, "attempts" int not null default 0, "next_attempt_at" timestamptz null, "last_error" text null, "sent_at" timestamptz null, "auto_submitted" boolean not null default false, "smtp_user_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "mail_messages_tenant_id_index" on "mail_messages" ("tenant_id");`);
    this.addSql(`create index "mail_messages_ticket_id_index" on "mail_messages" ("ticket_id");`);
    this.addSql(`create index "mail_messages_status_next_attempt_at_index" on "mail_messages" ("status", "next_attempt_at");`);
    this.addSql(`create index "mail_messages_tenant_id_message_id_index" on "mail_messages" ("tenant_id", "message_id");`);
    this.addSql(`alter table "mail_messages" add constraint "mail_messages_tenant_id_direction_message_id_unique" unique ("tenant_id", "direction", "message_id");`);

    this.addSql(`alter table "tickets" add "email_address_id" uuid null, add "parse_problem" boolean not null default false;`);
    this.addSql(`alter table "tickets" add constraint "tickets_email_address_id_foreign" foreign key ("email_address_id") references "email_addresses" ("id") on delete set null;`);

    this.addSql(`alter table "email_addresses" add constraint "email_addresses_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);

    this.addSql(`alter table "mail_messages" add constraint "mail_messages_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "mail_messages" add constraint "mail_messages_email_address_id_foreign" foreign key ("email_address_id") references "email_addresses" ("id") on delete set null;`);
    this.addSql(`alter table "mail_messages" add constraint "mail_messages_ticket_id_foreign" foreign key ("ticket_id") references "tickets" ("id") on delete set null;`);
    this.addSql(`alter table "mail_messages" add constraint "mail_messages_event_id_foreign" foreign key ("event_id") references "timeline_events" ("id") on delete set null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "tickets" drop constraint "tickets_email_address_id_foreign";`);
    this.addSql(`alter table "mail_messages" drop constraint "mail_messages_email_address_id_foreign";`);

    this.addSql(`drop table if exists "email_addresses" cascade;`);
    this.addSql(`drop table if exists "mail_messages" cascade;`);

    this.addSql(`alter table "tickets" drop column "email_address_id", drop column "parse_problem";`);

    this.addSql(`drop type "smtp_security";`);
    this.addSql(`drop type "mailbox_health";`);
    this.addSql(`drop type "mail_direction";`);
    this.addSql(`drop type "mail_status";`);
  }

}
