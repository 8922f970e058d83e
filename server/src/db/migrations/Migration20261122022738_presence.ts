import { Migration } from '@mikro-orm/migrations';

export class Migration20261122022738_presence extends Migration {

  override name = 'Migration20261122022738_presence';

  override up(): void | Promise<void> {
    this.addSql(`create unlogged table "ticket_presence" ("ticket_id" uuid not null, "connection_id" varchar(64) not null, "tenant_id" uuid not null, "user_id" uuid not null, "typing" boolean not null default false, "since" timestamptz not null, "expires_at" timestamptz not null, primary key ("ticket_id", "connection_id"));`);
    this.addSql(`create index "ticket_presence_expires_at_index" on "ticket_presence" ("expires_at");`);

    this.addSql(`alter table "ticket_presence" add constraint "ticket_presence_ticket_id_foreign" foreign key ("ticket_id") references "tickets" ("id") on delete cascade;`);
    this.addSql(`alter table "ticket_presence" add constraint "ticket_presence_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "ticket_presence" add constraint "ticket_presence_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "ticket_presence" cascade;`);
  }

}
