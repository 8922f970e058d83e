import { Arg, Ctx, Field, InputType, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../graphql/context.js';
import { requireStaff } from '../../graphql/authorization.js';
import { actorOf } from '../actor.js';
import { SmtpSecurity } from './email-address.entity.js';
import { ConnectionTestResult } from './email-address.resolver.js';
import { SmtpIdentity } from './smtp-identity.entity.js';

@InputType()
export class SmtpIdentityInput {
  @Field()
  fromAddress!: string;

  @Field(() => String, { nullable: true })
  fromName?: string | null;

  @Field()
  host!: string;

  @Field(() => Int)
  port!: number;

  @Field(() => SmtpSecurity)
  security!: SmtpSecurity;

  @Field(() => String, { nullable: true })
  username?: string | null;

  @Field(() => String, { nullable: true, description: 'Write-only. Null keeps the stored password; "" removes it.' })
  password?: string | null;
}

/** The signed-in agent's own SMTP identity (seed 004); nobody else can read or change it. */
@Resolver(() => SmtpIdentity)
export class SmtpIdentityResolver {
  @Query(() => SmtpIdentity, { nullable: true, description: 'Your own SMTP identity for public replies, if any.' })
  mySmtpIdentity(@Ctx() ctx: RequestContext): Promise<SmtpIdentity | null> {
    const { em, viewer } = requireStaff(ctx);
    return ctx.services.smtpIdentities.mine(em, actorOf(viewer));
  }

  @Mutation(() => SmtpIdentity, { description: 'Your public replies go out from this address through this server.' })
  saveMySmtpIdentity(@Arg('input') input: SmtpIdentityInput, @Ctx() ctx: RequestContext): Promise<SmtpIdentity> {
    const { em, viewer } = requireStaff(ctx);
    return ctx.services.smtpIdentities.save(em, actorOf(viewer), input);
  }

  @Mutation(() => Boolean, { description: 'Back to sending from the ticket’s address.' })
  deleteMySmtpIdentity(@Ctx() ctx: RequestContext): Promise<boolean> {
    const { em, viewer } = requireStaff(ctx);
    return ctx.services.smtpIdentities.remove(em, actorOf(viewer));
  }

  @Mutation(() => ConnectionTestResult, { description: 'Connects and signs in with your saved settings.' })
  testMySmtpIdentity(@Ctx() ctx: RequestContext): Promise<ConnectionTestResult> {
    const { em, viewer } = requireStaff(ctx);
    return ctx.services.smtpIdentities.test(em, actorOf(viewer));
  }
}
