import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Level, TicketStatus } from '../tickets/ticket.enums.js';
import { Company } from '../companies/company.entity.js';
import { SlaPolicy } from './sla-policy.entity.js';
import { SlaState } from './sla.enums.js';

@InputType()
export class SlaTargetInput {
  @Field(() => Level)
  urgency!: Level;

  @Field(() => Level)
  importance!: Level;

  @Field(() => Int)
  firstResponseMinutes!: number;

  @Field(() => Int, { nullable: true })
  nextResponseMinutes?: number | null;

  @Field(() => Int)
  resolutionMinutes!: number;
}

@InputType()
export class SlaPolicyInput {
  @Field()
  name!: string;

  @Field(() => Boolean, { nullable: true, description: 'Applies to tickets created from now on.' })
  isDefault?: boolean | null;

  @Field(() => ID, { nullable: true, description: 'Business hours; none = around the clock.' })
  calendarId?: string | null;

  @Field(() => [SlaTargetInput], { description: 'Cells left out have no SLA.' })
  targets!: SlaTargetInput[];

  @Field(() => [TicketStatus], { nullable: true, description: 'Statuses that stop the clock (PENDING_CUSTOMER).' })
  pauseStatuses?: TicketStatus[] | null;

  @Field(() => Int, { nullable: true, description: 'Warning lead time in minutes (60); at most half a target.' })
  warningMinutes?: number | null;
}

@InputType()
export class SlaPeriodInput {
  @Field(() => Int, { description: '1 = Monday … 7 = Sunday' })
  weekday!: number;

  @Field({ description: 'HH:mm' })
  start!: string;

  @Field({ description: 'HH:mm; at or before start = overnight into the next day' })
  end!: string;
}

@InputType()
export class SlaHolidayInput {
  @Field({ description: 'YYYY-MM-DD' })
  date!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;
}

@InputType()
export class SlaCalendarInput {
  @Field()
  name!: string;

  @Field({ description: 'IANA time zone, e.g. Europe/Berlin' })
  timeZone!: string;

  @Field(() => [SlaPeriodInput])
  periods!: SlaPeriodInput[];

  @Field(() => [SlaHolidayInput], { nullable: true })
  holidays?: SlaHolidayInput[] | null;
}

/** A ticket's SLA (staff only). Due times are null for targets not running (met, paused, none). */
@ObjectType('TicketSla')
export class TicketSlaView {
  @Field(() => SlaState)
  state!: SlaState;

  @Field(() => Date, { nullable: true })
  firstResponseDueAt!: Date | null;

  @Field(() => Date, { nullable: true })
  nextResponseDueAt!: Date | null;

  @Field(() => Date, { nullable: true })
  resolutionDueAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the ticket first missed a target.' })
  breachedAt!: Date | null;

  @Field(() => String, { nullable: true })
  policyName!: string | null;
}

@ObjectType('SlaBoard')
export class SlaBoard {
  tenantId!: string;

  @Field(() => Int)
  ok!: number;

  @Field(() => Int)
  warning!: number;

  @Field(() => Int)
  breached!: number;

  @Field(() => Int)
  paused!: number;
}

@ObjectType('SlaBreakdown', { description: 'Open tickets of one agent, team or company by SLA state.' })
export class SlaBreakdown {
  @Field(() => ID, { nullable: true, description: 'null: unassigned / no team / no company' })
  id!: string | null;

  @Field()
  label!: string;

  @Field(() => Int)
  ok!: number;

  @Field(() => Int)
  warning!: number;

  @Field(() => Int)
  breached!: number;

  @Field(() => Int)
  paused!: number;
}

@ObjectType('SlaComplianceDay')
export class SlaComplianceDay {
  @Field({ description: 'YYYY-MM-DD (UTC)' })
  date!: string;

  @Field(() => Int, { description: 'Tickets resolved that day with every target met' })
  met!: number;

  @Field(() => Int, { description: 'Tickets that first missed a target that day' })
  breached!: number;
}

@ObjectType('CompanySla')
export class CompanySla {
  @Field(() => Company)
  company!: Company;

  @Field(() => SlaPolicy, { nullable: true, description: "null: the tenant's default" })
  policy!: SlaPolicy | null;
}
