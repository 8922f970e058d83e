import { Migration } from '@mikro-orm/migrations';

export class Migration20261122050059_automation extends Migration {

  override name = 'Migration20261122050059_automation';

  override up(): void | Promise<void> {
    this.addSql(`create table "automation_cursors" ("name" varchar(50) not null, "tx_id" xid8 not null, "event_id" bigint not null, "updated_at" timestamptz not null, primary key ("name"));`);

    this.addSql(`create table "automation_rules" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "name" varchar(200) not null, "enabled" boolean not null default true, "position" int not null, "trigger" jsonb not null, "conditions" jsonb not null, "actions" jsonb not null, "active_since" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "automation_rules_tenant_id_index" on "automation_rules" ("tenant_id");`);
    this.addSql(`create index "automation_rules_tenant_id_position_index" on "automation_rules" ("tenant_id", "position");`);

    this.addSql(`create table "automation_executions" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "rule_id" uuid not null, "rule_name" varchar(200) not null, "ticket_id" uuid null, "trigger_key" varchar(200) not null, "trigger" varchar(40) not null, "source_event_id" bigint null, "occurrence_at" timestamptz null, "status" varchar(20) not null, "depth" int not null default 1, "results" jsonb not null, "error" text null, "finished_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "automation_executions_tenant_id_index" on "automation_executions" ("tenant_id");`);
    this.addSql(`create index "automation_executions_ticket_id_created_at_index" on "automation_executions" ("ticket_id", "created_at");`);
    this.addSql(`create index "automation_executions_rule_id_created_at_index" on "automation_executions" ("rule_id", "created_at");`);
    this.addSql(`alter table "automation_executions" add constraint "automation_executions_rule_id_trigger_key_unique" unique ("rule_id", "trigger_key");`);

    this.addSql(`alter table "timeline_events" add "tx_id" xid8 not null default pg_current_xact_id();`);
    this.addSql(`create index "timeline_events_tx_id_id_index" on "timeline_events" ("tx_id", "id");`);

    this.addSql(`alter table "automation_rules" add constraint "automation_rules_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);

    this.addSql(`alter table "automation_executions" add constraint "automation_executions_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "automation_executions" add constraint "automation_executions_rule_id_foreign" foreign key ("rule_id") references "automation_rules" ("id") on delete cascade;`);
    this.addSql(`alter table "automation_executions" add constraint "automation_executions_ticket_id_foreign" foreign key ("ticket_id") references "tickets" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "automation_executions" drop constraint "automation_executions_rule_id_foreign";`);

    this.addSql(`drop table if exists "automation_cursors" cascade;`);
    this.addSql(`drop table if exists "automation_rules" cascade;`);
    this.addSql(`drop table if exists "automation_executions" cascade;`);

    this.addSql(`drop index "timeline_events_tx_id_id_index";`);
    this.addSql(`alter table "timeline_events" drop column "tx_id";`);
  }

}
