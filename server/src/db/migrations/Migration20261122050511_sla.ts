import { Migration } from '@mikro-orm/migrations';

export class Migration20261122050511_sla extends Migration {

  override name = 'Migration20261122050511_sla';

  override up(): void | Promise<void> {
    this.addSql(`create type "sla_state" as enum ('NONE', 'OK', 'WARNING', 'BREACHED', 'PAUSED', 'MET');`);
    this.addSql(`create type "sla_target_kind" as enum ('FIRST_RESPONSE', 'NEXT_RESPONSE', 'RESOLUTION');`);
    this.addSql(`create type "sla_firing_kind" as enum ('WARNING', 'BREACH');`);
    this.addSql(`create table "sla_calendars" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "name" varchar(200) not null, "time_zone" varchar(100) not null, "periods" jsonb not null, "holidays" jsonb not null, primary key ("id"));`);
    this.addSql(`create index "sla_calendars_tenant_id_index" on "sla_calendars" ("tenant_id");`);

    this.addSql(`create table "sla_policies" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "name" varchar(200) not null, "is_default" boolean not null default false, "calendar_id" uuid null, "targets" jsonb not null, "pause_statuses" text[] not null, "warning_minutes" int not null default 60, primary key ("id"));`);
    this.addSql(`create index "sla_policies_tenant_id_index" on "sla_policies" ("tenant_id");`);
    this.addSql(`create unique index "sla_policies_one_default_per_tenant" on "sla_policies" ("tenant_id") where "is_default";`);

    this.addSql(`create table "company_sla_policies" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "company_id" uuid not null, "policy_id" uuid not null, primary key ("id"));`);
    this.addSql(`create index "company_sla_policies_tenant_id_index" on "company_sla_policies" ("tenant_id");`);
    this.addSql(`alter table "company_sla_policies" add constraint "company_sla_policies_company_id_unique" unique ("company_id");`);
    this.addSql(`create index "company_sla_policies_policy_id_index" on "company_sla_policies" ("policy_id");`);

    this.addSql(`create table "ticket_slas" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "ticket_id" uuid not null, "base_policy_id" uuid null, "policy_id" uuid null, "state" "sla_state" not null default 'NONE', "open" boolean not null default true, "clocks" jsonb not null, "soonest_due_at" timestamptz null, "next_check_at" timestamptz null, "breached_at" timestamptz null, "resolved_at" timestamptz null, "assignee_id" uuid null, "team_id" uuid null, "company_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "ticket_slas_tenant_id_index" on "ticket_slas" ("tenant_id");`);
    this.addSql(`alter table "ticket_slas" add constraint "ticket_slas_ticket_id_unique" unique ("ticket_id");`);
    this.addSql(`create index "ticket_slas_policy_id_index" on "ticket_slas" ("policy_id");`);
    this.addSql(`create index "ticket_slas_next_check_at_index" on "ticket_slas" ("next_check_at") where "next_check_at" is not null;`);
    this.addSql(`create index "ticket_slas_tenant_id_resolved_at_index" on "ticket_slas" ("tenant_id", "resolved_at");`);
    this.addSql(`create index "ticket_slas_tenant_id_open_state_soonest_due_at_index" on "ticket_slas" ("tenant_id", "open", "state", "soonest_due_at");`);

    this.addSql(`create table "sla_firings" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "ticket_id" uuid not null, "target" "sla_target_kind" not null, "cycle" int not null, "kind" "sla_firing_kind" not null, "due_at" timestamptz not null, "fired_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "sla_firings_tenant_id_index" on "sla_firings" ("tenant_id");`);
    this.addSql(`create index "sla_firings_tenant_id_kind_fired_at_index" on "sla_firings" ("tenant_id", "kind", "fired_at");`);
    this.addSql(`alter table "sla_firings" add constraint "sla_firings_ticket_id_target_cycle_kind_unique" unique ("ticket_id", "target", "cycle", "kind");`);

    this.addSql(`alter table "sla_calendars" add constraint "sla_calendars_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);

    this.addSql(`alter table "sla_policies" add constraint "sla_policies_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "sla_policies" add constraint "sla_policies_calendar_id_foreign" foreign key ("calendar_id") references "sla_calendars" ("id") on delete restrict;`);

    this.addSql(`alter table "company_sla_policies" add constraint "company_sla_policies_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "company_sla_policies" add constraint "company_sla_policies_company_id_foreign" foreign key ("company_id") references "companies" ("id") on delete cascade;`);
    this.addSql(`alter table "company_sla_policies" add constraint "company_sla_policies_policy_id_foreign" foreign key ("policy_id") references "sla_policies" ("id") on delete cascade;`);

    this.addSql(`alter table "ticket_slas" add constraint "ticket_slas_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "ticket_slas" add constraint "ticket_slas_ticket_id_foreign" foreign key ("ticket_id") references "tickets" ("id") on delete cascade;`);
    this.addSql(`alter table "ticket_slas" add constraint "ticket_slas_base_policy_id_foreign" foreign key ("base_policy_id") references "sla_policies" ("id") on delete set null;`);
    this.addSql(`alter table "ticket_slas" add constraint "ticket_slas_policy_id_foreign" foreign key ("policy_id") references "sla_policies" ("id") on delete set null;`);

    this.addSql(`alter table "sla_firings" add constraint "sla_firings_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "sla_firings" add constraint "sla_firings_ticket_id_foreign" foreign key ("ticket_id") references "tickets" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "sla_policies" drop constraint "sla_policies_calendar_id_foreign";`);
    this.addSql(`alter table "company_sla_policies" drop constraint "company_sla_policies_policy_id_foreign";`);
    this.addSql(`alter table "ticket_slas" drop constraint "ticket_slas_base_policy_id_foreign";`);
    this.addSql(`alter table "ticket_slas" drop constraint "ticket_slas_policy_id_foreign";`);

    this.addSql(`drop table if exists "sla_calendars" cascade;`);
    this.addSql(`drop table if exists "sla_policies" cascade;`);
    this.addSql(`drop table if exists "company_sla_policies" cascade;`);
    this.addSql(`drop table if exists "ticket_slas" cascade;`);
    this.addSql(`drop table if exists "sla_firings" cascade;`);

    this.addSql(`drop type "sla_state";`);
    this.addSql(`drop type "sla_target_kind";`);
    this.addSql(`drop type "sla_firing_kind";`);
  }

}
