// Who may read and write in which channel. Used by the service, the resolvers and every
// subscription event (membership is read again for each event, so a removed member stops receiving).
import { Role } from '../users/user.entity.js';
import { ChannelKind, type ChatChannel } from './chat.entities.js';

export function canReadChannel(channel: Pick<ChatChannel, 'kind'>, isMember: boolean): boolean {
  return channel.kind === ChannelKind.PUBLIC || isMember;
}

/** Admins and managers keep order: they may delete anyone's message and remove anyone from a channel. */
export function moderates(role: Role): boolean {
  return role === Role.SUPERADMIN || role === Role.ADMIN || role === Role.MANAGER;
}
