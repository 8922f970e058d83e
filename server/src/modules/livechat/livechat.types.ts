import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { LiveChatMessage, LiveConversation } from './livechat.entities.js';

@InputType()
export class ReplyToLiveConversationInput {
  @Field(() => ID)
  conversationId!: string;

  @Field()
  body!: string;
}

@InputType({ description: 'Omitted fields stay unchanged.' })
export class LiveChatSettingsInput {
  @Field(() => Boolean, { nullable: true })
  enabled?: boolean | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Sites that may embed the widget, e.g. https://www.example.com',
  })
  allowedOrigins?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Ask for name and email before the chat reaches agents.' })
  askForContact?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  requireEmail?: boolean | null;

  @Field(() => String, { nullable: true })
  greeting?: string | null;

  @Field(() => String, { nullable: true })
  color?: string | null;

  @Field(() => Int, { nullable: true, description: 'Minutes; 0 turns automatic tickets off.' })
  autoTicketAfterMinutes?: number | null;

  @Field(() => Int, { nullable: true })
  visitorMessagesPerMinute?: number | null;

  @Field(() => Int, { nullable: true })
  conversationsPerHourPerIp?: number | null;
}

@ObjectType()
export class LiveConversationEvent {
  @Field({ description: 'CREATED, MESSAGE, UPDATED or TYPING' })
  kind!: string;

  @Field(() => LiveConversation)
  conversation!: LiveConversation;

  @Field(() => LiveChatMessage, { nullable: true })
  message?: LiveChatMessage | null;

  @Field(() => Boolean, { nullable: true, description: 'TYPING: whether the visitor (or another agent) is typing.' })
  typing?: boolean | null;

  @Field(() => String, { nullable: true, description: 'TYPING: the agent typing; null when it is the visitor.' })
  typistName?: string | null;
}
