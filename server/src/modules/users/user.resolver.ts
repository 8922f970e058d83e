import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../graphql/context.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { User } from './user.entity.js';

@Resolver(() => User)
export class UserFieldsResolver {
  @FieldResolver(() => Tenant)
  tenant(@Root() user: User, @Ctx() ctx: RequestContext): Promise<Tenant> {
    return ctx.services.tenants.byId(user.tenant.id);
  }
}
