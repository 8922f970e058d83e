import { Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../graphql/context.js';
import { requireStaff, requireViewer } from '../../graphql/authorization.js';
import { Company } from '../companies/company.entity.js';
import { User } from './user.entity.js';

@Resolver(() => User)
export class UsersQueryResolver {
  @Query(() => [User], { description: 'Agents, managers and admins of the tenant (assignee pickers, mentions).' })
  agents(@Ctx() ctx: RequestContext): Promise<User[]> {
    return ctx.services.users.listStaff(requireStaff(ctx).em);
  }

  @FieldResolver(() => Company, { nullable: true })
  company(@Root() user: User, @Ctx() ctx: RequestContext): Promise<Company | null> {
    return requireViewer(ctx).loaders.load(Company, user.company?.id);
  }
}
