import { Arg, Ctx, Field, FieldResolver, ID, InputType, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../graphql/context.js';
import { requireAdmin, requireStaff } from '../../graphql/authorization.js';
import { uuidArg } from '../../lib/ids.js';
import { User } from '../users/user.entity.js';
import { AssignmentMode, Team } from './team.entity.js';

@InputType()
export class TeamInput {
  @Field(() => ID, { nullable: true, description: 'Omit to create a team.' })
  id?: string | null;

  @Field()
  name!: string;

  @Field(() => AssignmentMode, { nullable: true })
  assignmentMode?: AssignmentMode | null;

  @Field(() => [ID])
  memberIds!: string[];
}

@Resolver(() => Team)
export class TeamResolver {
  @Query(() => [Team])
  teams(@Ctx() ctx: RequestContext): Promise<Team[]> {
    return ctx.services.teams.list(requireStaff(ctx).em);
  }

  @Mutation(() => Team, { description: 'Creates or updates a team (admins).' })
  saveTeam(@Arg('input') input: TeamInput, @Ctx() ctx: RequestContext): Promise<Team> {
    const { em, viewer } = requireAdmin(ctx);
    const id = input.id ? uuidArg(input.id, 'id') : null;
    const memberIds = input.memberIds.map((m) => uuidArg(m, 'memberIds'));
    return ctx.services.teams.save(em, viewer.tenantId, id, { ...input, memberIds });
  }

  @FieldResolver(() => [User])
  async members(@Root() team: Team): Promise<User[]> {
    await team.members.init();
    return team.members.getItems();
  }
}
