import { Migration } from '@mikro-orm/migrations';

export class Migration20261122045911_livechat extends Migration {

  override name = 'Migration20261122045911_livechat';

  override up(): void | Promise<void> {
    this.addSql(`create table "livechat_rate_limits" ("key" varchar(255) not null, "points" int not null default 0, "expire" bigint null, primary key ("key"));`);

    this.addSql(`create table "livechat_settings" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "enabled" boolean not null default false, "public_key" varchar(64) not null, "allowed_origins" text[] not null, "ask_for_contact" boolean not null default true, "require_email" boolean not null default false, "greeting" varchar(500) not null default 'Hi! How can we help you today?', "color" varchar(7) not null default '#4f46e5', "auto_ticket_after_minutes" int null default 10, "visitor_messages_per_minute" int not null default 20, "conversations_per_hour_per_ip" int not null default 10, primary key ("id"));`);
    this.addSql(`create index "livechat_settings_tenant_id_index" on "livechat_settings" ("tenant_id");`);
    this.addSql(`alter table "livechat_settings" add constraint "livechat_settings_public_key_unique" unique ("public_key");`);
    this.addSql(`alter table "livechat_settings" add constraint "livechat_settings_tenant_id_unique" unique ("tenant_id");`);

    this.addSql(`create table "live_conversations" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "status" text not null default 'OPEN', "visitor_token_hash" varchar(64) not null, "visitor_name" varchar(100) null, "visitor_email" varchar(254) null, "page_url" varchar(1000) null, "user_agent" varchar(512) null, "ip" varchar(100) null, "agent_id" uuid null, "ticket_id" uuid null, "first_visitor_message_at" timestamptz null, "last_visitor_message_at" timestamptz null, "first_agent_reply_at" timestamptz null, "last_agent_message_at" timestamptz null, "last_message_at" timestamptz not null, "preview" varchar(200) not null default '', "closed_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "live_conversations_tenant_id_index" on "live_conversations" ("tenant_id");`);
    this.addSql(`alter table "live_conversations" add constraint "live_conversations_visitor_token_hash_unique" unique ("visitor_token_hash");`);
    this.addSql(`alter table "live_conversations" add constraint "live_conversations_ticket_id_unique" unique ("ticket_id");`);
    this.addSql(`create index "live_conversations_tenant_id_status_last_message_at_index" on "live_conversations" ("tenant_id", "status", "last_message_at");`);

    this.addSql(`create table "live_chat_messages" ("id" bigserial primary key, "tenant_id" uuid not null, "conversation_id" uuid not null, "author" text not null, "agent_id" uuid null, "body" text not null, "created_at" timestamptz not null);`);
    this.addSql(`create index "live_chat_messages_tenant_id_index" on "live_chat_messages" ("tenant_id");`);
    this.addSql(`create index "live_chat_messages_conversation_id_id_index" on "live_chat_messages" ("conversation_id", "id");`);

    this.addSql(`alter table "livechat_settings" add constraint "livechat_settings_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);

    this.addSql(`alter table "live_conversations" add constraint "live_conversations_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "live_conversations" add constraint "live_conversations_agent_id_foreign" foreign key ("agent_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "live_conversations" add constraint "live_conversations_ticket_id_foreign" foreign key ("ticket_id") references "tickets" ("id") on delete set null;`);
    this.addSql(`alter table "live_conversations" add constraint "live_conversations_status_check" check ("status" in ('OPEN', 'CLOSED', 'CONVERTED'));`);

    this.addSql(`alter table "live_chat_messages" add constraint "live_chat_messages_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "live_chat_messages" add constraint "live_chat_messages_conversation_id_foreign" foreign key ("conversation_id") references "live_conversations" ("id") on delete cascade;`);
    this.addSql(`alter table "live_chat_messages" add constraint "live_chat_messages_agent_id_foreign" foreign key ("agent_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "live_chat_messages" add constraint "live_chat_messages_author_check" check ("author" in ('VISITOR', 'AGENT', 'SYSTEM'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "live_chat_messages" drop constraint "live_chat_messages_conversation_id_foreign";`);

    this.addSql(`drop table if exists "livechat_rate_limits" cascade;`);
    this.addSql(`drop table if exists "livechat_settings" cascade;`);
    this.addSql(`drop table if exists "live_conversations" cascade;`);
    this.addSql(`drop table if exists "live_chat_messages" cascade;`);
  }

}
