import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../graphql/context.js';
import { requireViewer } from '../../graphql/authorization.js';
import { User } from '../users/user.entity.js';
import { AuthPayload } from './auth.types.js';

@Resolver()
export class AuthResolver {
  @Mutation(() => AuthPayload, { description: 'Signs in; the token goes in `Authorization: Bearer <token>`.' })
  async login(
    @Arg('email') email: string,
    @Arg('password') password: string,
    @Ctx() ctx: RequestContext,
  ): Promise<AuthPayload> {
    const result = await ctx.services.auth.login(email, password, ctx.ip, ctx.userAgent);
    return { token: result.token, user: result.user, expiresAt: result.session.expiresAt };
  }

  @Mutation(() => Boolean, { description: 'Revokes the current token and closes its sockets.' })
  async logout(@Ctx() ctx: RequestContext): Promise<boolean> {
    const { viewer } = requireViewer(ctx);
    await ctx.services.auth.logout(viewer);
    return true;
  }

  @Query(() => User)
  async me(@Ctx() ctx: RequestContext): Promise<User> {
    requireViewer(ctx);
    return ctx.currentUser();
  }

  @Mutation(() => Boolean, {
    description: 'Starts a password reset. Always true, so it does not reveal which addresses have accounts.',
  })
  async requestPasswordReset(@Arg('email') email: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    await ctx.services.passwordResets.request(email);
    return true;
  }

  @Mutation(() => Boolean)
  async resetPassword(
    @Arg('token') token: string,
    @Arg('password') password: string,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    await ctx.services.auth.resetPassword(token, password);
    return true;
  }
}
