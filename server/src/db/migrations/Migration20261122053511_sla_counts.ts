import { Migration } from '@mikro-orm/migrations';

export class Migration20261122053511_sla_counts extends Migration {

  override name = 'Migration20261122053511_sla_counts';

  override up(): void | Promise<void> {
    this.addSql(`create table "sla_state_deltas" ("id" bigserial primary key, "tenant_id" uuid not null, "state" "sla_state" not null, "delta" int not null);`);
    this.addSql(`create index "sla_state_deltas_tenant_id_state_index" on "sla_state_deltas" ("tenant_id", "state");`);

    this.addSql(`alter table "sla_state_deltas" add constraint "sla_state_deltas_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);

    // Written by hand: the board's counts follow every change of an open ticket's SLA state, by
    // whatever path (inserts only, so concurrent writers never wait on each other).
    this.addSql(`create function "sla_state_deltas_track"() returns trigger language plpgsql as $$
      begin
        if tg_op in ('UPDATE', 'DELETE') and old.open then
          insert into sla_state_deltas (tenant_id, state, delta) values (old.tenant_id, old.state, -1);
        end if;
        if tg_op in ('INSERT', 'UPDATE') and new.open then
          insert into sla_state_deltas (tenant_id, state, delta) values (new.tenant_id, new.state, 1);
        end if;
        return null;
      end $$;`);
    this.addSql(`create trigger "ticket_slas_count_insert_delete" after insert or delete on "ticket_slas"
      for each row execute function "sla_state_deltas_track"();`);
    this.addSql(`create trigger "ticket_slas_count_update" after update of "state", "open" on "ticket_slas"
      for each row when (old.state is distinct from new.state or old.open is distinct from new.open)
      execute function "sla_state_deltas_track"();`);
    this.addSql(`insert into sla_state_deltas (tenant_id, state, delta)
      select tenant_id, state, count(*) from ticket_slas where open group by tenant_id, state;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "ticket_slas_count_update" on "ticket_slas";`);
    this.addSql(`drop trigger if exists "ticket_slas_count_insert_delete" on "ticket_slas";`);
    this.addSql(`drop function if exists "sla_state_deltas_track"();`);
    this.addSql(`drop table if exists "sla_state_deltas" cascade;`);
  }

}
