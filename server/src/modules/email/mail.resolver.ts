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
import { requireAdmin, requireStaff, requireViewer } from '../../graphql/authorization.js';
import { isStaffRole } from '../users/user.entity.js';
import { TimelineEvent } from '../timeline/timeline-event.entity.js';
import { Ticket } from '../tickets/ticket.entity.js';
import { actorOf } from '../actor.js';
import { uuidArg } from '../../lib/ids.js';
import { MailDirection, MailMessage, MailStatus } from './mail-message.entity.js';
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
  @Query(() => [MailMessage], { description: 'Mail held by the per-sender rate limit, waiting for review.' })
  heldMails(@Ctx() ctx: RequestContext): Promise<MailMessage[]> {
    const { em } = requireStaff(ctx);
    return em.find(MailMessage, { status: MailStatus.HELD }, { orderBy: { createdAt: 'desc' }, limit: 200 });
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
