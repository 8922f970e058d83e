// The visitor API's own types: only what a visitor may see of their conversation (agents appear
// by name only, never by id or email).
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { LiveConversationStatus, LiveMessageAuthor } from '../livechat.entities.js';

@ObjectType({ description: 'How the widget looks and behaves on this site.' })
export class WidgetInfo {
  @Field()
  teamName!: string;

  @Field()
  greeting!: string;

  @Field()
  color!: string;

  @Field()
  askForContact!: boolean;

  @Field()
  requireEmail!: boolean;
}

@ObjectType()
export class VisitorMessage {
  @Field(() => ID)
  id!: string;

  @Field(() => LiveMessageAuthor)
  author!: LiveMessageAuthor;

  @Field()
  body!: string;

  @Field()
  createdAt!: Date;

  @Field(() => String, { nullable: true })
  agentName?: string | null;
}

@ObjectType()
export class VisitorConversation {
  @Field(() => LiveConversationStatus)
  status!: LiveConversationStatus;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  email?: string | null;

  @Field(() => Int, { nullable: true, description: 'The support request it became, if it did.' })
  ticketNumber?: number | null;

  @Field(() => [VisitorMessage])
  messages!: VisitorMessage[];
}

@ObjectType()
export class StartedConversation {
  @Field({ description: 'Keep it: the only key to this conversation (send it as Bearer).' })
  token!: string;

  @Field(() => VisitorConversation)
  conversation!: VisitorConversation;
}

@ObjectType()
export class VisitorEvent {
  @Field({ description: 'MESSAGE, UPDATED or TYPING' })
  kind!: string;

  @Field(() => VisitorMessage, { nullable: true })
  message?: VisitorMessage | null;

  @Field(() => LiveConversationStatus)
  status!: LiveConversationStatus;

  @Field(() => Boolean, { nullable: true })
  typing?: boolean | null;

  @Field(() => String, { nullable: true })
  agentName?: string | null;
}

@InputType()
export class StartConversationInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  email?: string | null;

  @Field(() => String, { nullable: true })
  pageUrl?: string | null;
}
