import { Migration } from '@mikro-orm/migrations';

export class Migration20261122054758_smtp_identities extends Migration {

  override name = 'Migration20261122054758_smtp_identities';

  override up(): void | Promise<void> {
    this.addSql(`create table "smtp_identities" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "user_id" uuid not null, "from_address" varchar(320) not null, "from_name" varchar(255) null, "host" varchar(255) not null, "port" int not null, "security" "smtp_security" not null, "username" varchar(255) null, "password_sealed" text null, "last_error" text null, "last_used_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "smtp_identities_tenant_id_index" on "smtp_identities" ("tenant_id");`);
    this.addSql(`alter table "smtp_identities" add constraint "smtp_identities_user_id_unique" unique ("user_id");`);

    this.addSql(`alter table "smtp_identities" add constraint "smtp_identities_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "smtp_identities" add constraint "smtp_identities_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "smtp_identities" cascade;`);
  }

}
