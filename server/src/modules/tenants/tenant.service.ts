import type { MikroORM } from '@mikro-orm/postgresql';
import { Tenant } from './tenant.entity.js';

export class TenantService {
  constructor(private readonly orm: MikroORM) {}

  async byId(id: string): Promise<Tenant> {
    return this.orm.em.fork({ useContext: false }).findOneOrFail(Tenant, id);
  }
}
