import { Migration } from '@mikro-orm/migrations';

export class Migration20261122050123_notification_preferences extends Migration {

  override name = 'Migration20261122050123_notification_preferences';

  override up(): void | Promise<void> {
    this.addSql(`create type "email_delivery" as enum ('IMMEDIATELY', 'HOURLY_DIGEST', 'DAILY_DIGEST', 'OFF');`);
    this.addSql(`create type "notification_email_status" as enum ('PENDING', 'QUEUED', 'SKIPPED');`);
    this.addSql(`create table "notification_settings" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "user_id" uuid not null, "time_zone" varchar(64) not null default 'UTC', "quiet_hours_enabled" boolean not null default false, "quiet_hours_start" int not null default 1320, "quiet_hours_end" int not null default 420, "daily_digest_hour" int not null default 8, primary key ("id"));`);
    this.addSql(`create index "notification_settings_tenant_id_index" on "notification_settings" ("tenant_id");`);
    this.addSql(`alter table "notification_settings" add constraint "notification_settings_user_id_unique" unique ("user_id");`);

    this.addSql(`create table "notification_preferences" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "user_id" uuid not null, "kind" varchar(50) not null, "in_app" boolean not null, "email" "email_delivery" not null, primary key ("id"));`);
    this.addSql(`create index "notification_preferences_tenant_id_index" on "notification_preferences" ("tenant_id");`);
    this.addSql(`alter table "notification_preferences" add constraint "notification_preferences_user_id_kind_unique" unique ("user_id", "kind");`);

    this.addSql(`create table "notification_emails" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "user_id" uuid not null, "notification_id" uuid not null, "due_at" timestamptz not null, "digest" boolean not null default false, "status" "notification_email_status" not null default 'PENDING', "mail_id" uuid null, "queued_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "notification_emails_tenant_id_index" on "notification_emails" ("tenant_id");`);
    this.addSql(`create index "notification_emails_user_id_status_index" on "notification_emails" ("user_id", "status");`);
    this.addSql(`create index "notification_emails_status_due_at_index" on "notification_emails" ("status", "due_at");`);

    this.addSql(`alter type "mail_template_event" add value if not exists 'AGENT_NOTIFICATION' after 'PASSWORD_RESET';`);
    this.addSql(`alter type "mail_template_event" add value if not exists 'NOTIFICATION_DIGEST' after 'AGENT_NOTIFICATION';`);

    this.addSql(`alter table "notifications" add "shown_in_app" boolean not null default true;`);

    this.addSql(`alter table "notification_settings" add constraint "notification_settings_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "notification_settings" add constraint "notification_settings_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);

    this.addSql(`alter table "notification_preferences" add constraint "notification_preferences_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "notification_preferences" add constraint "notification_preferences_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);

    this.addSql(`alter table "notification_emails" add constraint "notification_emails_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "notification_emails" add constraint "notification_emails_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "notification_emails" add constraint "notification_emails_notification_id_foreign" foreign key ("notification_id") references "notifications" ("id") on delete cascade;`);
    this.addSql(`alter table "notification_emails" add constraint "notification_emails_mail_id_foreign" foreign key ("mail_id") references "mail_messages" ("id") on delete set null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "notification_settings" cascade;`);
    this.addSql(`drop table if exists "notification_preferences" cascade;`);
    this.addSql(`drop table if exists "notification_emails" cascade;`);

    this.addSql(`alter table "notifications" drop column "shown_in_app";`);

    this.addSql(`drop type "email_delivery";`);
    this.addSql(`drop type "notification_email_status";`);
  }

}
