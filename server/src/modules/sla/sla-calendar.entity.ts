import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { TenantScopedEntity } from '../../db/tenant-scoped.entity.js';
import type { BusinessCalendarSpec } from './business-time.js';

@ObjectType('SlaPeriod', { description: 'Working time on one weekday (1 = Monday … 7 = Sunday), local time.' })
export class SlaPeriod {
  @Field(() => Int)
  weekday!: number;

  @Field({ description: 'HH:mm' })
  start!: string;

  @Field({ description: 'HH:mm; at or before the start runs into the next day; 24:00 is midnight' })
  end!: string;
}

@ObjectType('SlaHoliday')
export class SlaHoliday {
  @Field({ description: 'YYYY-MM-DD in the calendar time zone' })
  date!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;
}

/** Business hours of a tenant: when SLA clocks run. */
@ObjectType()
@Entity({ tableName: 'sla_calendars' })
export class SlaCalendar extends TenantScopedEntity<'periods' | 'holidays'> {
  @Field()
  @Property({ length: 200 })
  name!: string;

  /** IANA time zone, e.g. Europe/Berlin. */
  @Field()
  @Property({ length: 100 })
  timeZone!: string;

  @Field(() => [SlaPeriod])
  @Property({ type: 'jsonb' })
  periods: SlaPeriod[] = [];

  @Field(() => [SlaHoliday])
  @Property({ type: 'jsonb' })
  holidays: SlaHoliday[] = [];
}

export function calendarSpec(calendar: SlaCalendar | null | undefined): BusinessCalendarSpec | null {
  if (!calendar) return null;
  return { timeZone: calendar.timeZone, periods: calendar.periods, holidays: calendar.holidays.map((h) => h.date) };
}
