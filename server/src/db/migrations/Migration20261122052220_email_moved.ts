import { Migration } from '@mikro-orm/migrations';

export class Migration20261122052220_email_moved extends Migration {

  override name = 'Migration20261122052220_email_moved';

  override up(): void | Promise<void> {
    this.addSql(`alter type "timeline_kind" add value if not exists 'EMAIL_MOVED';`);
  }

}
