import { Migration } from '@mikro-orm/migrations';

export class Migration20261122030040_mail_templates extends Migration {

  override name = 'Migration20261122030040_mail_templates';

  override up(): void | Promise<void> {
    this.addSql(`create type "mail_template_event" as enum ('TICKET_CREATED', 'TICKET_ASSIGNED', 'TICKET_UPDATED', 'TICKET_RESOLVED', 'TICKET_CLOSED', 'COMMENT_ADDED', 'PASSWORD_RESET');`);
    this.addSql(`create table "mail_templates" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "event" "mail_template_event" not null, "subject" varchar(500) not null, "body" text not null, "enabled" boolean not null default true, primary key ("id"));`);
    this.addSql(`create index "mail_templates_tenant_id_index" on "mail_templates" ("tenant_id");`);
    this.addSql(`alter table "mail_templates" add constraint "mail_templates_tenant_id_event_unique" unique ("tenant_id", "event");`);

    this.addSql(`alter table "mail_templates" add constraint "mail_templates_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "mail_templates" cascade;`);

    this.addSql(`drop type "mail_template_event";`);
  }

}
