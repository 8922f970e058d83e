import { Arg, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../graphql/context.js';
import { requireAdmin, requireStaff } from '../../graphql/authorization.js';
import { uuidArg } from '../../lib/ids.js';
import { EmailAddress, SmtpSecurity } from './email-address.entity.js';
import { testImap, testSmtp } from './mail-connections.js';

@InputType()
export class EmailAddressInput {
  @Field()
  displayName!: string;

  @Field()
  address!: string;

  @Field(() => String, { nullable: true })
  color?: string | null;

  @Field()
  imapHost!: string;

  @Field(() => Int)
  imapPort!: number;

  @Field()
  imapTls!: boolean;

  @Field()
  imapUser!: string;

  @Field(() => String, { nullable: true, description: 'Write-only. Required when creating; omit to keep it.' })
  imapPassword?: string | null;

  @Field(() => String, { nullable: true })
  imapFolder?: string | null;

  @Field()
  smtpHost!: string;

  @Field(() => Int)
  smtpPort!: number;

  @Field(() => SmtpSecurity)
  smtpSecurity!: SmtpSecurity;

  @Field(() => String, { nullable: true })
  smtpUser?: string | null;

  @Field(() => String, { nullable: true, description: 'Write-only; omit to keep it.' })
  smtpPassword?: string | null;

  @Field(() => Boolean, { nullable: true })
  isDefault?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  isActive?: boolean | null;
}

@ObjectType()
export class ConnectionTestResult {
  @Field()
  ok!: boolean;

  @Field({ description: "The server's own answer." })
  message!: string;
}

@Resolver(() => EmailAddress)
export class EmailAddressResolver {
  @Query(() => [EmailAddress], { description: "The tenant's support addresses (passwords are never returned)." })
  emailAddresses(@Ctx() ctx: RequestContext): Promise<EmailAddress[]> {
    return ctx.services.emailAddresses.list(requireStaff(ctx).em);
  }

  @Mutation(() => EmailAddress)
  createEmailAddress(@Arg('input') input: EmailAddressInput, @Ctx() ctx: RequestContext): Promise<EmailAddress> {
    const { em, viewer } = requireAdmin(ctx);
    return ctx.services.emailAddresses.save(em, viewer.tenantId, null, input);
  }

  @Mutation(() => EmailAddress)
  updateEmailAddress(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: EmailAddressInput,
    @Ctx() ctx: RequestContext,
  ): Promise<EmailAddress> {
    const { em, viewer } = requireAdmin(ctx);
    return ctx.services.emailAddresses.save(em, viewer.tenantId, uuidArg(id, 'id'), input);
  }

  @Mutation(() => Boolean)
  deleteEmailAddress(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    const { em } = requireAdmin(ctx);
    return ctx.services.emailAddresses.remove(em, uuidArg(id, 'id'));
  }

  @Mutation(() => ConnectionTestResult)
  async testImapConnection(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<ConnectionTestResult> {
    const { em } = requireAdmin(ctx);
    const address = await ctx.services.emailAddresses.byId(em, uuidArg(id, 'id'));
    const result = await testImap(address);
    await ctx.services.emailAddresses.recordImapCheck(em, address.id, result);
    return result;
  }

  @Mutation(() => ConnectionTestResult)
  async testSmtpConnection(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<ConnectionTestResult> {
    const { em } = requireAdmin(ctx);
    return testSmtp(await ctx.services.emailAddresses.byId(em, uuidArg(id, 'id')));
  }

  @Mutation(() => Boolean, { description: 'Asks the worker watching this mailbox to fetch new mail now.' })
  async fetchEmailNow(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    const { em, viewer } = requireStaff(ctx);
    const address = await ctx.services.emailAddresses.byId(em, uuidArg(id, 'id'));
    await ctx.services.mailFetchRequests.request(em, viewer.tenantId, address.id);
    return true;
  }
}
