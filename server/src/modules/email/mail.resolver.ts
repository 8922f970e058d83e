import {
  Arg,
  Ctx,
  Field,
  FieldResolver,
  ID,
  InputType,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import type { RequestContext } from '../../graphql/context.js';
import { requireAdmin, requireManager, requireStaff, requireViewer } from '../../graphql/authorization.js';
import { isStaffRole } from '../users/user.entity.js';
import { TimelineEvent } from '../timeline/timeline-event.entity.js';
import { Ticket } from '../tickets/ticket.entity.js';
import { actorOf } from '../actor.js';
import { uuidArg } from '../../lib/ids.js';
import { MailDirection, MailMessage } from './mail-message.entity.js';
import { EmailAddress } from './email-address.entity.js';
import { MailTemplateEvent } from './mail-template.entity.js';
import { renderTemplate, sampleVariables } from './mail-templates.js';

@ObjectType()
export class MailTemplateView {
  @Field(() => MailTemplateEvent)
  event!: MailTemplateEvent;

  @Field()
  subject!: string;

  @Field()
  body!: string;

  @Field()
  enabled!: boolean;

  @Field({ description: 'false while the built-in wording is used.' })
  custom!: boolean;
}

@InputType()
export class MailTemplateInput {
  @Field(() => MailTemplateEvent)
  event!: MailTemplateEvent;

  @Field()
  subject!: string;

  @Field()
  body!: string;

  @Field()
  enabled!: boolean;
}

@ObjectType()
export class MailPreview {
  @Field()
  subject!: string;

  @Field()
  text!: string;
}

@Resolver()
export class MailTemplateResolver {
  @Query(() => [MailTemplateView], { description: 'Templates per event with the variables of seed 001.' })
  mailTemplates(@Ctx() ctx: RequestContext): Promise<MailTemplateView[]> {
    return ctx.services.mailTemplates.list(requireAdmin(ctx).em);
  }

  @Mutation(() => MailTemplateView)
  async saveMailTemplate(
    @Arg('input') input: MailTemplateInput,
    @Ctx() ctx: RequestContext,
  ): Promise<MailTemplateView> {
    const { em, viewer } = requireAdmin(ctx);
    const row = await ctx.services.mailTemplates.save(em, viewer.tenantId, input);
    return { event: row.event, subject: row.subject, body: row.body, enabled: row.enabled, custom: true };
  }

  @Query(() => MailPreview, { description: 'Renders a template with sample values (nothing is sent).' })
  previewMailTemplate(
    @Arg('subject') subject: string,
    @Arg('body') body: string,
    @Ctx() ctx: RequestContext,
  ): Promise<MailPreview> {
    requireAdmin(ctx);
    return renderTemplate({ subject, body }, sampleVariables());
  }
}

@Resolver(() => TimelineEvent)
export class TimelineMailResolver {
  @FieldResolver(() => MailMessage, {
    nullable: true,
    description: 'The mail behind an EMAIL_IN/EMAIL_OUT entry or a reply that went out.',
  })
  async mail(@Root() event: TimelineEvent, @Ctx() ctx: RequestContext): Promise<MailMessage | null> {
    const { em, viewer } = requireViewer(ctx);
    const mailId = typeof event.data.mailId === 'string' ? event.data.mailId : null;
    const mail = mailId ? await em.findOne(MailMessage, mailId) : await em.findOne(MailMessage, { event: event.id });
    if (!mail) return null;
    return isStaffRole(viewer.role) || mail.direction === MailDirection.OUT || !event.internal ? mail : null;
  }
}

@Resolver(() => MailMessage)
export class MailMessageResolver {
  @Query(() => [MailMessage], {
    description:
      'Mail held for review (admins and managers): over the per-sender rate limit, or refused by the database (see lastError).',
  })
  heldMails(@Ctx() ctx: RequestContext): Promise<MailMessage[]> {
    const { em } = requireManager(ctx);
    return ctx.services.heldMail.list(em);
  }

  @Mutation(() => MailMessage, {
    description: 'Records a held mail as ingestion would have (threaded, or a new ticket), without the rate limit.',
  })
  async releaseHeldMail(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<MailMessage> {
    const { em } = requireManager(ctx);
    return (await ctx.services.heldMail.release(em, uuidArg(id, 'id'))).mail;
  }

  @Mutation(() => MailMessage, { description: 'Keeps a held mail in the mail log only; it never becomes a ticket.' })
  discardHeldMail(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<MailMessage> {
    const { em } = requireManager(ctx);
    return ctx.services.heldMail.discard(em, uuidArg(id, 'id'));
  }

  @FieldResolver(() => String, { description: 'The start of the text, for lists.' })
  preview(@Root() mail: MailMessage): string {
    return (mail.textBody ?? '').replace(/\s+/g, ' ').trim().slice(0, 280);
  }

  @FieldResolver(() => EmailAddress, { nullable: true, description: 'Our address that received it (agents only).' })
  async receivedAt(@Root() mail: MailMessage, @Ctx() ctx: RequestContext): Promise<EmailAddress | null> {
    const { em, viewer } = requireViewer(ctx);
    if (!isStaffRole(viewer.role) || !mail.emailAddress) return null;
    return em.findOne(EmailAddress, mail.emailAddress.id);
  }

  @Mutation(() => Ticket, {
    description:
      'Moves a mis-threaded incoming email to another ticket, or to a new ticket when ticketId is null (agents). Later replies to it thread to the new place.',
  })
  moveEmail(
    @Arg('mailId', () => ID) mailId: string,
    @Arg('ticketId', () => ID, { nullable: true }) ticketId: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Ticket> {
    const { em, viewer } = requireStaff(ctx);
    return ctx.services.mailMove.move(
      em,
      actorOf(viewer),
      uuidArg(mailId, 'mailId'),
      ticketId ? uuidArg(ticketId, 'ticketId') : null,
    );
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Sanitised HTML; remote images carry data-remote-src until the agent loads them.',
  })
  async html(@Root() mail: MailMessage, @Ctx() ctx: RequestContext): Promise<string | null> {
    const { em } = requireViewer(ctx);
    const row = await em.findOne(MailMessage, mail.id, { populate: ['htmlBody'] });
    return row?.htmlBody ?? null;
  }

  @FieldResolver(() => ID, { nullable: true })
  ticketId(@Root() mail: MailMessage): string | null {
    return mail.ticket?.id ?? null;
  }
}
