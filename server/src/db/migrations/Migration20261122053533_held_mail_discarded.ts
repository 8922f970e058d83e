import { Migration } from '@mikro-orm/migrations';

export class Migration20261122053533_held_mail_discarded extends Migration {

  override name = 'Migration20261122053533_held_mail_discarded';

  override up(): void | Promise<void> {
    this.addSql(`alter type "mail_status" add value if not exists 'DISCARDED';`);
  }

}
