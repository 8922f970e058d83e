import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root, InputType, Field } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import type { RequestContext } from '../../graphql/context.js';
import { requireViewer } from '../../graphql/authorization.js';
import { DomainError } from '../../graphql/errors.js';
import { sequenceArg, uuidArg } from '../../lib/ids.js';
import { actorOf } from '../actor.js';
import { User } from '../users/user.entity.js';
import { canSeeEvent, canSeeTicket, ticketAudience } from '../tickets/ticket.policy.js';
import { CommentRevision, TimelineEvent } from './timeline-event.entity.js';
import { plainMentions } from './mentions.js';
import { preloadedAttachments } from './preloaded.js';
import { wrap } from '@mikro-orm/core';
import { Role, isStaffRole } from '../users/user.entity.js';
import { Attachment } from '../attachments/attachment.entity.js';

@InputType()
export class AddCommentInput {
  @Field(() => ID)
  ticketId!: string;

  @Field()
  body!: string;

  @Field({ description: 'true: an internal note, never shown to the customer.' })
  internal!: boolean;

  @Field(() => [ID], { nullable: true, description: 'Files uploaded with POST /attachments for this ticket.' })
  attachmentIds?: string[] | null;
}

@Resolver(() => TimelineEvent)
export class TimelineResolver {
  @Mutation(() => TimelineEvent)
  async addComment(@Arg('input') input: AddCommentInput, @Ctx() ctx: RequestContext): Promise<TimelineEvent> {
    const { em, viewer } = requireViewer(ctx);
    const ticketId = uuidArg(input.ticketId, 'ticketId');
    // Customers may only reply on tickets they can see.
    const ticket = await ctx.services.ticketQueries.byId(em, await ticketAudience(em, viewer), ticketId);
    if (!ticket) throw new DomainError('NOT_FOUND', 'No such ticket', 'ticketId');
    const attachmentIds = (input.attachmentIds ?? []).map((id) => uuidArg(id, 'attachmentIds'));
    return ctx.services.timeline.addComment(em, actorOf(viewer), { ...input, ticketId, attachmentIds });
  }

  @Mutation(() => TimelineEvent)
  async editComment(
    @Arg('eventId', () => ID) eventId: string,
    @Arg('body') body: string,
    @Ctx() ctx: RequestContext,
  ): Promise<TimelineEvent> {
    const { em, viewer } = requireViewer(ctx);
    await this.visibleComment(ctx, sequenceArg(eventId, 'eventId'));
    return ctx.services.timeline.editComment(em, actorOf(viewer), eventId, body);
  }

  @Mutation(() => TimelineEvent)
  async deleteComment(@Arg('eventId', () => ID) eventId: string, @Ctx() ctx: RequestContext): Promise<TimelineEvent> {
    const { em, viewer } = requireViewer(ctx);
    await this.visibleComment(ctx, sequenceArg(eventId, 'eventId'));
    return ctx.services.timeline.deleteComment(em, actorOf(viewer), eventId);
  }

  @Mutation(() => TimelineEvent)
  async restoreComment(@Arg('eventId', () => ID) eventId: string, @Ctx() ctx: RequestContext): Promise<TimelineEvent> {
    const { em, viewer } = requireViewer(ctx);
    await this.visibleComment(ctx, sequenceArg(eventId, 'eventId'));
    return ctx.services.timeline.restoreComment(em, { ...actorOf(viewer), role: viewer.role }, eventId);
  }

  @FieldResolver(() => ID)
  ticketId(@Root() event: TimelineEvent): string {
    return event.ticket.id;
  }

  @FieldResolver(() => User, { nullable: true })
  actor(@Root() event: TimelineEvent, @Ctx() ctx: RequestContext): Promise<User | null> {
    if (event.actor && wrap(event.actor).isInitialized()) return Promise.resolve(event.actor);
    return requireViewer(ctx).loaders.load(User, event.actor?.id);
  }

  @FieldResolver(() => String, { nullable: true, description: 'null once deleted.' })
  body(@Root() event: TimelineEvent, @Ctx() ctx: RequestContext): string | null {
    if (event.body == null) return null;
    const { role } = requireViewer(ctx).viewer;
    // Admins still read a deleted comment (to decide whether to restore it); nobody else does.
    if (event.deletedAt && role !== Role.ADMIN && role !== Role.SUPERADMIN) return null;
    return isStaffRole(role) ? event.body : plainMentions(event.body);
  }

  @FieldResolver(() => [Attachment])
  attachments(@Root() event: TimelineEvent, @Ctx() ctx: RequestContext): Promise<Attachment[]> {
    const preloaded = preloadedAttachments(event);
    return preloaded ? Promise.resolve(preloaded) : requireViewer(ctx).loaders.attachmentsOf(event.id);
  }

  @FieldResolver(() => GraphQLJSONObject, { description: 'Kind-specific details, e.g. { from, to } of a change.' })
  data(@Root() event: TimelineEvent, @Ctx() ctx: RequestContext): Record<string, unknown> {
    // Which automation rule made a change is for staff (rule names are internal).
    if (event.data.automation && !isStaffRole(requireViewer(ctx).viewer.role)) {
      const { automation: _internal, ...rest } = event.data;
      return rest;
    }
    return event.data;
  }

  @FieldResolver(() => ID, { nullable: true, description: 'The comment an edit, delete or restore refers to.' })
  targetId(@Root() event: TimelineEvent): string | null {
    return event.target?.id ?? null;
  }

  @FieldResolver(() => Date, { nullable: true })
  editedAt(@Root() event: TimelineEvent): Date | null {
    return event.editedAt ?? null;
  }

  @FieldResolver(() => Date, { nullable: true })
  deletedAt(@Root() event: TimelineEvent): Date | null {
    return event.deletedAt ?? null;
  }

  @FieldResolver(() => [CommentRevision], { description: 'Earlier texts of an edited comment, oldest first.' })
  async revisions(@Root() event: TimelineEvent, @Ctx() ctx: RequestContext): Promise<CommentRevision[]> {
    const { em, viewer } = requireViewer(ctx);
    // Customers see the current text only: earlier versions may hold what an agent took back.
    if (!event.editedAt || !isStaffRole(viewer.role)) return [];
    return ctx.services.timeline.revisions(em, event.id);
  }

  private async visibleComment(ctx: RequestContext, eventId: string): Promise<void> {
    const { em, viewer } = requireViewer(ctx);
    const event = await em.findOne(TimelineEvent, eventId, { populate: ['ticket'] });
    const audience = await ticketAudience(em, viewer);
    if (!event || !canSeeTicket(audience, event.ticket) || !canSeeEvent(audience, event)) {
      throw new DomainError('NOT_FOUND', 'No such comment', 'eventId');
    }
  }
}
