import { Migration } from '@mikro-orm/migrations';

export class Migration20261122045352_notification_links extends Migration {

  override name = 'Migration20261122045352_notification_links';

  override up(): void | Promise<void> {
    this.addSql(`alter table "notifications" add "link" varchar(500) null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "notifications" drop column "link";`);
  }

}
