import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../graphql/context.js';
import { Attachment } from './attachment.entity.js';

@Resolver(() => Attachment)
export class AttachmentResolver {
  @FieldResolver(() => String, { description: 'A signed download path, valid for an hour.' })
  url(@Root() attachment: Attachment, @Ctx() ctx: RequestContext): string {
    return ctx.services.attachments.signedPath(attachment);
  }

  @FieldResolver(() => Boolean)
  isImage(@Root() attachment: Attachment): boolean {
    return /^image\/(png|jpeg|gif|webp|avif)$/.test(attachment.contentType);
  }
}
