import { Migration } from '@mikro-orm/migrations';

export class Migration20261122023137_attachments extends Migration {

  override name = 'Migration20261122023137_attachments';

  override up(): void | Promise<void> {
    this.addSql(`create table "attachments" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "ticket_id" uuid not null, "event_id" bigint null, "uploaded_by_id" uuid null, "filename" varchar(255) not null, "content_type" varchar(255) not null, "size" int not null, "sha256" varchar(64) not null, "storage_key" varchar(255) not null, "content_id" varchar(255) null, primary key ("id"));`);
    this.addSql(`create index "attachments_tenant_id_index" on "attachments" ("tenant_id");`);
    this.addSql(`create index "attachments_ticket_id_index" on "attachments" ("ticket_id");`);
    this.addSql(`create index "attachments_event_id_index" on "attachments" ("event_id");`);

    this.addSql(`alter table "attachments" add constraint "attachments_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "attachments" add constraint "attachments_ticket_id_foreign" foreign key ("ticket_id") references "tickets" ("id") on delete cascade;`);
    this.addSql(`alter table "attachments" add constraint "attachments_event_id_foreign" foreign key ("event_id") references "timeline_events" ("id") on delete cascade;`);
    this.addSql(`alter table "attachments" add constraint "attachments_uploaded_by_id_foreign" foreign key ("uploaded_by_id") references "users" ("id") on delete set null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "attachments" cascade;`);
  }

}
