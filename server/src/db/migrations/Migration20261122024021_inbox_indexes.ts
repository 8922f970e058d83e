import { Migration } from '@mikro-orm/migrations';

export class Migration20261122024021_inbox_indexes extends Migration {

  override name = 'Migration20261122024021_inbox_indexes';

  override up(): void | Promise<void> {
    this.addSql(`drop index "tickets_tenant_id_created_at_index";`);
    this.addSql(`drop index "tickets_tenant_id_status_created_at_index";`);
    this.addSql(`create index "tickets_tenant_id_urgency_importance_created_at_id_index" on "tickets" ("tenant_id", "urgency", "importance", "created_at", "id");`);
    this.addSql(`create index "tickets_tenant_id_last_activity_at_id_index" on "tickets" ("tenant_id", "last_activity_at", "id");`);
    this.addSql(`create index "tickets_tenant_id_status_created_at_id_index" on "tickets" ("tenant_id", "status", "created_at", "id");`);
    this.addSql(`create index "tickets_tenant_id_created_at_id_index" on "tickets" ("tenant_id", "created_at", "id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "tickets_tenant_id_urgency_importance_created_at_id_index";`);
    this.addSql(`drop index "tickets_tenant_id_last_activity_at_id_index";`);
    this.addSql(`drop index "tickets_tenant_id_status_created_at_id_index";`);
    this.addSql(`drop index "tickets_tenant_id_created_at_id_index";`);
    this.addSql(`create index "tickets_tenant_id_created_at_index" on "tickets" ("tenant_id", "created_at");`);
    this.addSql(`create index "tickets_tenant_id_status_created_at_index" on "tickets" ("tenant_id", "status", "created_at");`);
  }

}
