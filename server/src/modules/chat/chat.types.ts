import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { User } from '../users/user.entity.js';
import { ChatMessage } from './chat.entities.js';
import { PresenceStatus } from './chat-presence.service.js';

@InputType()
export class CreateChannelInput {
  @Field()
  name!: string;

  @Field(() => Boolean, { nullable: true, description: 'Members only (default: public to the whole team).' })
  private?: boolean | null;

  @Field(() => [ID], { nullable: true, description: 'Colleagues to add besides the creator.' })
  memberIds?: string[] | null;
}

@InputType()
export class SendChatMessageInput {
  @Field(() => ID)
  channelId!: string;

  @Field({ description: 'Plain text; `@[Name](user:<id>)` mentions, `#123` links a ticket.' })
  body!: string;
}

@ObjectType({ description: 'Something that happened in a channel.' })
export class ChatEvent {
  @Field({
    description:
      'MESSAGE_CREATED, MESSAGE_UPDATED, MESSAGE_DELETED, TYPING, READ, CHANNEL_UPDATED, MEMBERS_CHANGED, or REMOVED (you lost access; the stream ends)',
  })
  kind!: string;

  @Field(() => ID)
  channelId!: string;

  @Field(() => ChatMessage, { nullable: true })
  message!: ChatMessage | null;

  @Field(() => User, { nullable: true, description: 'Who typed or read.' })
  user!: User | null;
}

@ObjectType()
export class ChatMessagePage {
  @Field(() => [ChatMessage], { description: 'Oldest first.' })
  nodes!: ChatMessage[];

  @Field({ description: 'Whether there are older messages before the first one.' })
  hasOlder!: boolean;
}

@ObjectType()
export class UserPresence {
  @Field(() => User)
  user!: User;

  @Field(() => PresenceStatus)
  status!: PresenceStatus;
}
