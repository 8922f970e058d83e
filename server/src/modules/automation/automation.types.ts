import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';

@InputType({
  description: 'A rule as written in the rule builder; trigger, conditions and actions are checked on save.',
})
export class AutomationRuleInput {
  @Field()
  name!: string;

  @Field(() => Boolean, { nullable: true })
  enabled?: boolean | null;

  @Field(() => GraphQLJSONObject, {
    description:
      '{ type, minutes?, visibility? }; type: TICKET_CREATED, TICKET_UPDATED, STATUS_CHANGED, PRIORITY_CHANGED, ASSIGNMENT_CHANGED, COMMENT_ADDED, EMAIL_RECEIVED, SLA_WARNING, SLA_BREACHED, UNASSIGNED_FOR, PENDING_FOR, RESOLVED_FOR.',
  })
  trigger!: Record<string, unknown>;

  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description:
      'A tree: { type: "group", op: "AND"|"OR", children } or { type: "condition", field, operator, value }. Empty: always.',
  })
  conditions?: Record<string, unknown> | null;

  @Field(() => [GraphQLJSONObject], {
    description:
      '{ type, … }: ASSIGN_USER, ASSIGN_TEAM, SET_STATUS, SET_URGENCY, SET_IMPORTANCE, ADD_TAG, REMOVE_TAG, ADD_NOTE, NOTIFY, SEND_MAIL, WEBHOOK (secret is write-only).',
  })
  actions!: Array<Record<string, unknown>>;
}

@ObjectType()
export class AutomationActionResult {
  @Field()
  type!: string;

  @Field()
  summary!: string;

  @Field()
  ok!: boolean;

  @Field(() => String, { nullable: true })
  error?: string | null;
}

@ObjectType()
export class AutomationConditionOutcome {
  @Field()
  description!: string;

  @Field()
  matched!: boolean;
}

@ObjectType({ description: 'What a rule would do to a ticket now (nothing is changed).' })
export class AutomationDryRun {
  @Field(() => Int)
  ticketNumber!: number;

  @Field({ description: 'Whether the conditions match the ticket as it is now.' })
  matched!: boolean;

  @Field(() => [AutomationConditionOutcome])
  conditions!: AutomationConditionOutcome[];

  @Field(() => [String], { description: 'The actions that would run, in order.' })
  actions!: string[];
}
