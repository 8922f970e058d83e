import { Migration } from '@mikro-orm/migrations';

export class Migration20261122081123_webhook_deliveries extends Migration {

  override name = 'Migration20261122081123_webhook_deliveries';

  override up(): void | Promise<void> {
    this.addSql(`create table "automation_webhook_deliveries" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "execution_id" uuid not null, "rule_id" uuid not null, "action_id" varchar(50) not null, "url" text not null, "body" text not null, "signature" varchar(100) not null, "timeout_ms" int not null, "status" varchar(20) not null, "attempts" int not null default 0, "next_attempt_at" timestamptz null, "last_status_code" int null, "last_error" text null, "delivered_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "automation_webhook_deliveries_tenant_id_index" on "automation_webhook_deliveries" ("tenant_id");`);
    this.addSql(`create index "automation_webhook_deliveries_execution_id_index" on "automation_webhook_deliveries" ("execution_id");`);
    this.addSql(`create index "automation_webhook_deliveries_rule_id_index" on "automation_webhook_deliveries" ("rule_id");`);
    this.addSql(`create index "automation_webhook_deliveries_status_next_attempt_at_index" on "automation_webhook_deliveries" ("status", "next_attempt_at");`);


    this.addSql(`alter table "automation_webhook_deliveries" add constraint "automation_webhook_deliveries_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "automation_webhook_deliveries" add constraint "automation_webhook_deliveries_execution_id_foreign" foreign key ("execution_id") references "automation_executions" ("id") on delete cascade;`);
    this.addSql(`alter table "automation_webhook_deliveries" add constraint "automation_webhook_deliveries_rule_id_foreign" foreign key ("rule_id") references "automation_rules" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "automation_webhook_deliveries" cascade;`);

  }

}
