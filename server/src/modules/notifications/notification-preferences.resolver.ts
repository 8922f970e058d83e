import { Arg, Ctx, Field, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../graphql/context.js';
import { requireViewer } from '../../graphql/authorization.js';
import { isStaffRole } from '../users/user.entity.js';
import { EmailDelivery, NotificationKindValue } from './notification-kinds.js';
import { formatMinutes } from './notification-schedule.js';
import type { PreferencesView } from './notification-preferences.service.js';

@ObjectType({ description: 'How one kind of notification reaches the user.' })
export class NotificationKindPreference {
  @Field(() => NotificationKindValue)
  kind!: NotificationKindValue;

  @Field({ description: 'Shown in the bell and the notification centre.' })
  inApp!: boolean;

  @Field(() => EmailDelivery)
  email!: EmailDelivery;
}

@ObjectType({ description: "The caller's notification preferences." })
export class NotificationPreferences {
  @Field({ description: 'IANA time zone for quiet hours and the daily digest.' })
  timeZone!: string;

  @Field()
  quietHoursEnabled!: boolean;

  @Field({ description: 'Local time "HH:MM"; mail is held from here…' })
  quietHoursStart!: string;

  @Field({ description: '…until here (may be the next morning), then delivered.' })
  quietHoursEnd!: string;

  @Field(() => Int, { description: 'Local hour (0–23) of the daily digest.' })
  dailyDigestHour!: number;

  @Field(() => [NotificationKindPreference], { description: 'Every staff notification kind; empty for customers.' })
  kinds!: NotificationKindPreference[];
}

@InputType()
export class NotificationKindPreferenceInput {
  @Field(() => NotificationKindValue)
  kind!: NotificationKindValue;

  @Field()
  inApp!: boolean;

  @Field(() => EmailDelivery)
  email!: EmailDelivery;
}

@InputType({ description: 'Only what is given changes.' })
export class NotificationPreferencesInput {
  @Field(() => String, { nullable: true })
  timeZone?: string | null;

  @Field(() => Boolean, { nullable: true })
  quietHoursEnabled?: boolean | null;

  @Field(() => String, { nullable: true })
  quietHoursStart?: string | null;

  @Field(() => String, { nullable: true })
  quietHoursEnd?: string | null;

  @Field(() => Int, { nullable: true })
  dailyDigestHour?: number | null;

  @Field(() => [NotificationKindPreferenceInput], { nullable: true })
  kinds?: NotificationKindPreferenceInput[] | null;
}

function toGraphQL(view: PreferencesView): NotificationPreferences {
  return {
    timeZone: view.timeZone,
    quietHoursEnabled: view.quietHoursEnabled,
    quietHoursStart: formatMinutes(view.quietHoursStart),
    quietHoursEnd: formatMinutes(view.quietHoursEnd),
    dailyDigestHour: view.dailyDigestHour,
    kinds: view.kinds.map((k) => ({ kind: k.kind as NotificationKindValue, inApp: k.inApp, email: k.email })),
  };
}

@Resolver()
export class NotificationPreferencesResolver {
  @Query(() => NotificationPreferences, { description: "The caller's own preferences (nobody else's)." })
  async notificationPreferences(@Ctx() ctx: RequestContext): Promise<NotificationPreferences> {
    const { em, viewer } = requireViewer(ctx);
    return toGraphQL(await ctx.services.notificationPreferences.get(em, viewer.userId, isStaffRole(viewer.role)));
  }

  @Mutation(() => NotificationPreferences, { description: "Changes the caller's own preferences; staff only." })
  async updateNotificationPreferences(
    @Arg('input') input: NotificationPreferencesInput,
    @Ctx() ctx: RequestContext,
  ): Promise<NotificationPreferences> {
    const { em, viewer } = requireViewer(ctx);
    const view = await ctx.services.notificationPreferences.update(
      em,
      viewer.tenantId,
      viewer.userId,
      isStaffRole(viewer.role),
      input,
    );
    return toGraphQL(view);
  }
}
