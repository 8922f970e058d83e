import { Migration } from '@mikro-orm/migrations';

export class Migration20261122050201_chat extends Migration {

  override name = 'Migration20261122050201_chat';

  override up(): void | Promise<void> {
    this.addSql(`create type "chat_channel_kind" as enum ('PUBLIC', 'PRIVATE', 'DIRECT');`);
    this.addSql(`create unlogged table "chat_presence" ("connection_id" varchar(64) not null, "tenant_id" uuid not null, "user_id" uuid not null, "away" boolean not null default false, "expires_at" timestamptz not null, primary key ("connection_id"));`);
    this.addSql(`create index "chat_presence_tenant_id_user_id_index" on "chat_presence" ("tenant_id", "user_id");`);
    this.addSql(`create index "chat_presence_expires_at_index" on "chat_presence" ("expires_at");`);

    this.addSql(`create table "chat_channels" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "name" varchar(80) null, "name_key" varchar(80) null, "direct_key" text null, "kind" "chat_channel_kind" not null, "created_by_id" uuid null, "last_message_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "chat_channels_tenant_id_index" on "chat_channels" ("tenant_id");`);
    this.addSql(`alter table "chat_channels" add constraint "chat_channels_tenant_id_direct_key_unique" unique ("tenant_id", "direct_key");`);
    this.addSql(`alter table "chat_channels" add constraint "chat_channels_tenant_id_name_key_unique" unique ("tenant_id", "name_key");`);

    this.addSql(`create table "chat_messages" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "channel_id" uuid not null, "author_id" uuid not null, "body" text not null, "edited_at" timestamptz null, "deleted_at" timestamptz null, "noted_on" jsonb not null, "search_vector" tsvector generated always as (case when deleted_at is null then to_tsvector('simple', coalesce(body, '')) else ''::tsvector end) stored null, primary key ("id"));`);
    this.addSql(`create index "chat_messages_tenant_id_index" on "chat_messages" ("tenant_id");`);
    this.addSql(`create index "chat_messages_search_vector_index" on "chat_messages" using gin ("search_vector");`);
    this.addSql(`create index "chat_messages_channel_id_created_at_id_index" on "chat_messages" ("channel_id", "created_at", "id");`);

    this.addSql(`create table "chat_members" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "channel_id" uuid not null, "user_id" uuid not null, "last_read_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "chat_members_tenant_id_index" on "chat_members" ("tenant_id");`);
    this.addSql(`create index "chat_members_user_id_index" on "chat_members" ("user_id");`);
    this.addSql(`alter table "chat_members" add constraint "chat_members_channel_id_user_id_unique" unique ("channel_id", "user_id");`);

    this.addSql(`alter table "chat_presence" add constraint "chat_presence_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "chat_presence" add constraint "chat_presence_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);

    this.addSql(`alter table "chat_channels" add constraint "chat_channels_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "chat_channels" add constraint "chat_channels_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on delete set null;`);

    this.addSql(`alter table "chat_messages" add constraint "chat_messages_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "chat_messages" add constraint "chat_messages_channel_id_foreign" foreign key ("channel_id") references "chat_channels" ("id") on delete cascade;`);
    this.addSql(`alter table "chat_messages" add constraint "chat_messages_author_id_foreign" foreign key ("author_id") references "users" ("id") on delete cascade;`);

    this.addSql(`alter table "chat_members" add constraint "chat_members_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "chat_members" add constraint "chat_members_channel_id_foreign" foreign key ("channel_id") references "chat_channels" ("id") on delete cascade;`);
    this.addSql(`alter table "chat_members" add constraint "chat_members_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "chat_messages" drop constraint "chat_messages_channel_id_foreign";`);
    this.addSql(`alter table "chat_members" drop constraint "chat_members_channel_id_foreign";`);

    this.addSql(`drop table if exists "chat_presence" cascade;`);
    this.addSql(`drop table if exists "chat_channels" cascade;`);
    this.addSql(`drop table if exists "chat_messages" cascade;`);
    this.addSql(`drop table if exists "chat_members" cascade;`);

    this.addSql(`drop type "chat_channel_kind";`);
  }

}
