import { Migration } from '@mikro-orm/migrations';

export class Migration20261122021700_tickets extends Migration {

  override name = 'Migration20261122021700_tickets';

  override up(): void | Promise<void> {
    this.addSql(`create type "assignment_mode" as enum ('MANUAL', 'ROUND_ROBIN', 'LEAST_LOADED');`);
    this.addSql(`create type "ticket_status" as enum ('NEW', 'OPEN', 'PENDING_CUSTOMER', 'PENDING_THIRD_PARTY', 'ON_HOLD', 'RESOLVED', 'CLOSED');`);
    this.addSql(`create type "level" as enum ('CRITICAL', 'HIGH', 'MEDIUM', 'LOW');`);
    this.addSql(`create type "timeline_kind" as enum ('TICKET_CREATED', 'EMAIL_IN', 'EMAIL_OUT', 'COMMENT', 'NOTE', 'COMMENT_EDITED', 'COMMENT_DELETED', 'COMMENT_RESTORED', 'STATUS_CHANGED', 'ASSIGNED', 'TEAM_CHANGED', 'PRIORITY_CHANGED', 'TAGS_CHANGED', 'TITLE_CHANGED', 'WATCHERS_CHANGED', 'SLA_WARNING', 'SLA_BREACHED');`);
    this.addSql(`create table "teams" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "name" varchar(255) not null, "assignment_mode" "assignment_mode" not null default 'MANUAL', "last_assignee_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "teams_tenant_id_index" on "teams" ("tenant_id");`);
    this.addSql(`alter table "teams" add constraint "teams_tenant_id_name_unique" unique ("tenant_id", "name");`);

    this.addSql(`create table "tickets" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "number" int not null, "title" varchar(500) not null, "description" text not null, "status" "ticket_status" not null default 'NEW', "urgency" "level" not null default 'MEDIUM', "importance" "level" not null default 'MEDIUM', "issue_type" varchar(100) not null default 'Question', "tags" text[] not null, "requester_id" uuid null, "company_id" uuid null, "assignee_id" uuid null, "team_id" uuid null, "first_response_at" timestamptz null, "resolved_at" timestamptz null, "closed_at" timestamptz null, "last_activity_at" timestamptz not null, "search_vector" tsvector generated always as (to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(description, ''))) stored null, primary key ("id"));`);
    this.addSql(`create index "tickets_tenant_id_index" on "tickets" ("tenant_id");`);
    this.addSql(`create index "tickets_requester_id_index" on "tickets" ("requester_id");`);
    this.addSql(`create index "tickets_company_id_index" on "tickets" ("company_id");`);
    this.addSql(`create index "tickets_search_vector_index" on "tickets" using gin ("search_vector");`);
    this.addSql(`create index "tickets_tenant_id_assignee_id_status_index" on "tickets" ("tenant_id", "assignee_id", "status");`);
    this.addSql(`create index "tickets_tenant_id_created_at_index" on "tickets" ("tenant_id", "created_at");`);
    this.addSql(`create index "tickets_tenant_id_status_created_at_index" on "tickets" ("tenant_id", "status", "created_at");`);
    this.addSql(`alter table "tickets" add constraint "tickets_tenant_id_number_unique" unique ("tenant_id", "number");`);

    this.addSql(`create table "timeline_events" ("id" bigserial primary key, "tenant_id" uuid not null, "ticket_id" uuid not null, "kind" "timeline_kind" not null, "actor_id" uuid null, "body" text null, "internal" boolean not null default false, "data" jsonb not null, "target_id" bigint null, "edited_at" timestamptz null, "deleted_at" timestamptz null, "created_at" timestamptz not null);`);
    this.addSql(`create index "timeline_events_tenant_id_index" on "timeline_events" ("tenant_id");`);
    this.addSql(`create index "timeline_events_ticket_id_id_index" on "timeline_events" ("ticket_id", "id");`);

    this.addSql(`create table "ticket_watchers" ("ticket_id" uuid not null, "user_id" uuid not null, primary key ("ticket_id", "user_id"));`);

    this.addSql(`create table "team_members" ("team_id" uuid not null, "user_id" uuid not null, primary key ("team_id", "user_id"));`);

    this.addSql(`create table "notifications" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "user_id" uuid not null, "kind" varchar(50) not null, "title" varchar(500) not null, "ticket_id" uuid null, "event_id" bigint null, "actor_id" uuid null, "read_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "notifications_tenant_id_index" on "notifications" ("tenant_id");`);
    this.addSql(`create index "notifications_user_id_read_at_created_at_index" on "notifications" ("user_id", "read_at", "created_at");`);

    this.addSql(`create table "comment_revisions" ("id" bigserial primary key, "tenant_id" uuid not null, "comment_id" bigint not null, "body" text not null, "edited_by_id" uuid null, "created_at" timestamptz not null);`);
    this.addSql(`create index "comment_revisions_tenant_id_index" on "comment_revisions" ("tenant_id");`);
    this.addSql(`create index "comment_revisions_comment_id_index" on "comment_revisions" ("comment_id");`);

    this.addSql(`alter table "tenants" add "next_ticket_number" int not null default 1, add "ticket_subject_prefix" varchar(50) not null default 'Ticket#';`);

    this.addSql(`alter table "teams" add constraint "teams_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "teams" add constraint "teams_last_assignee_id_foreign" foreign key ("last_assignee_id") references "users" ("id") on delete set null;`);

    this.addSql(`alter table "tickets" add constraint "tickets_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "tickets" add constraint "tickets_requester_id_foreign" foreign key ("requester_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "tickets" add constraint "tickets_company_id_foreign" foreign key ("company_id") references "companies" ("id") on delete set null;`);
    this.addSql(`alter table "tickets" add constraint "tickets_assignee_id_foreign" foreign key ("assignee_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "tickets" add constraint "tickets_team_id_foreign" foreign key ("team_id") references "teams" ("id") on delete set null;`);

    this.addSql(`alter table "timeline_events" add constraint "timeline_events_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "timeline_events" add constraint "timeline_events_ticket_id_foreign" foreign key ("ticket_id") references "tickets" ("id") on delete cascade;`);
    this.addSql(`alter table "timeline_events" add constraint "timeline_events_actor_id_foreign" foreign key ("actor_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "timeline_events" add constraint "timeline_events_target_id_foreign" foreign key ("target_id") references "timeline_events" ("id") on delete cascade;`);

    this.addSql(`alter table "ticket_watchers" add constraint "ticket_watchers_ticket_id_foreign" foreign key ("ticket_id") references "tickets" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "ticket_watchers" add constraint "ticket_watchers_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "team_members" add constraint "team_members_team_id_foreign" foreign key ("team_id") references "teams" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "team_members" add constraint "team_members_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "notifications" add constraint "notifications_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "notifications" add constraint "notifications_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "notifications" add constraint "notifications_ticket_id_foreign" foreign key ("ticket_id") references "tickets" ("id") on delete cascade;`);
    this.addSql(`alter table "notifications" add constraint "notifications_event_id_foreign" foreign key ("event_id") references "timeline_events" ("id") on delete cascade;`);
    this.addSql(`alter table "notifications" add constraint "notifications_actor_id_foreign" foreign key ("actor_id") references "users" ("id") on delete set null;`);

    this.addSql(`alter table "comment_revisions" add constraint "comment_revisions_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "comment_revisions" add constraint "comment_revisions_comment_id_foreign" foreign key ("comment_id") references "timeline_events" ("id") on delete cascade;`);
    this.addSql(`alter table "comment_revisions" add constraint "comment_revisions_edited_by_id_foreign" foreign key ("edited_by_id") references "users" ("id") on delete set null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "tickets" drop constraint "tickets_team_id_foreign";`);
    this.addSql(`alter table "team_members" drop constraint "team_members_team_id_foreign";`);
    this.addSql(`alter table "timeline_events" drop constraint "timeline_events_ticket_id_foreign";`);
    this.addSql(`alter table "ticket_watchers" drop constraint "ticket_watchers_ticket_id_foreign";`);
    this.addSql(`alter table "notifications" drop constraint "notifications_ticket_id_foreign";`);
    this.addSql(`alter table "timeline_events" drop constraint "timeline_events_target_id_foreign";`);
    this.addSql(`alter table "notifications" drop constraint "notifications_event_id_foreign";`);
    this.addSql(`alter table "comment_revisions" drop constraint "comment_revisions_comment_id_foreign";`);

    this.addSql(`drop table if exists "teams" cascade;`);
    this.addSql(`drop table if exists "tickets" cascade;`);
    this.addSql(`drop table if exists "timeline_events" cascade;`);
    this.addSql(`drop table if exists "ticket_watchers" cascade;`);
    this.addSql(`drop table if exists "team_members" cascade;`);
    this.addSql(`drop table if exists "notifications" cascade;`);
    this.addSql(`drop table if exists "comment_revisions" cascade;`);

    this.addSql(`alter table "tenants" drop column "next_ticket_number", drop column "ticket_subject_prefix";`);

    this.addSql(`drop type "assignment_mode";`);
    this.addSql(`drop type "ticket_status";`);
    this.addSql(`drop type "level";`);
    this.addSql(`drop type "timeline_kind";`);
  }

}
