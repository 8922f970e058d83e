import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import type { RequestContext } from '../../graphql/context.js';
import { requireManager, requireStaff } from '../../graphql/authorization.js';
import { DomainError } from '../../graphql/errors.js';
import { uuidArg } from '../../lib/ids.js';
import { Ticket } from '../tickets/ticket.entity.js';
import { AutomationExecution, AutomationRule } from './automation.entity.js';
import { AutomationActionResult, AutomationDryRun, AutomationRuleInput } from './automation.types.js';
import { publicActions } from './automation.service.js';

/** Automation rules: admins and managers only. */
@Resolver(() => AutomationRule)
export class AutomationRuleResolver {
  @Query(() => [AutomationRule], { description: 'The rules of the workspace, in the order they run.' })
  automationRules(@Ctx() ctx: RequestContext): Promise<AutomationRule[]> {
    return ctx.services.automation.list(requireManager(ctx).em);
  }

  @Query(() => [AutomationExecution], { description: 'What the rule did, newest first.' })
  async automationRuleExecutions(
    @Arg('ruleId', () => ID) ruleId: string,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('includeNotMatched', () => Boolean, {
      nullable: true,
      description: 'Also time-trigger occurrences whose conditions did not match.',
    })
    includeNotMatched?: boolean | null,
  ): Promise<AutomationExecution[]> {
    const { em } = requireManager(ctx);
    const rule = await ctx.services.automation.byId(em, uuidArg(ruleId, 'ruleId'));
    return ctx.services.automation.executions(
      em,
      { ruleId: rule.id },
      { first: first ?? 50, includeNotMatched: includeNotMatched ?? false },
    );
  }

  @Query(() => AutomationDryRun, {
    description: 'Dry run of a saved rule (ruleId) or of one being edited (input) against ticket #N.',
  })
  async testAutomationRule(
    @Arg('ticketNumber', () => Int) ticketNumber: number,
    @Ctx() ctx: RequestContext,
    @Arg('ruleId', () => ID, { nullable: true }) ruleId?: string | null,
    @Arg('input', () => AutomationRuleInput, { nullable: true }) input?: AutomationRuleInput | null,
  ): Promise<AutomationDryRun> {
    const { em } = requireManager(ctx);
    if (!ruleId && !input) throw new DomainError('BAD_USER_INPUT', 'Give a ruleId or a rule input', 'ruleId');
    const rule = ruleId ? await ctx.services.automation.byId(em, uuidArg(ruleId, 'ruleId')) : input!;
    return ctx.services.automation.dryRun(em, rule, ticketNumber);
  }

  @Mutation(() => AutomationRule)
  createAutomationRule(@Arg('input') input: AutomationRuleInput, @Ctx() ctx: RequestContext): Promise<AutomationRule> {
    const { em, viewer } = requireManager(ctx);
    return ctx.services.automation.create(em, viewer.tenantId, input);
  }

  @Mutation(() => AutomationRule)
  updateAutomationRule(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: AutomationRuleInput,
    @Ctx() ctx: RequestContext,
  ): Promise<AutomationRule> {
    const { em } = requireManager(ctx);
    return ctx.services.automation.update(em, uuidArg(id, 'id'), input);
  }

  @Mutation(() => Boolean)
  deleteAutomationRule(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    const { em } = requireManager(ctx);
    return ctx.services.automation.remove(em, uuidArg(id, 'id'));
  }

  @Mutation(() => AutomationRule)
  setAutomationRuleEnabled(
    @Arg('id', () => ID) id: string,
    @Arg('enabled') enabled: boolean,
    @Ctx() ctx: RequestContext,
  ): Promise<AutomationRule> {
    const { em } = requireManager(ctx);
    return ctx.services.automation.setEnabled(em, uuidArg(id, 'id'), enabled);
  }

  @Mutation(() => [AutomationRule], { description: 'Puts the listed rules first, in this order.' })
  reorderAutomationRules(@Arg('ids', () => [ID]) ids: string[], @Ctx() ctx: RequestContext): Promise<AutomationRule[]> {
    const { em } = requireManager(ctx);
    return ctx.services.automation.reorder(
      em,
      ids.map((id) => uuidArg(id, 'ids')),
    );
  }

  @FieldResolver(() => GraphQLJSONObject)
  trigger(@Root() rule: AutomationRule): Record<string, unknown> {
    return { ...rule.trigger };
  }

  @FieldResolver(() => GraphQLJSONObject)
  conditions(@Root() rule: AutomationRule): Record<string, unknown> {
    return { ...rule.conditions };
  }

  @FieldResolver(() => [GraphQLJSONObject], { description: 'Webhook secrets are never returned (hasSecret).' })
  actions(@Root() rule: AutomationRule): Array<Record<string, unknown>> {
    return publicActions(rule.actions);
  }
}

@Resolver(() => AutomationExecution)
export class AutomationExecutionResolver {
  @FieldResolver(() => ID)
  ruleId(@Root() execution: AutomationExecution): string {
    return execution.rule.id;
  }

  @FieldResolver(() => Int, { nullable: true })
  ticketNumber(@Root() execution: AutomationExecution): number | null {
    return execution.ticket?.number ?? null;
  }

  @FieldResolver(() => ID, { nullable: true })
  ticketId(@Root() execution: AutomationExecution): string | null {
    return execution.ticket?.id ?? null;
  }

  @FieldResolver(() => [AutomationActionResult])
  results(@Root() execution: AutomationExecution): AutomationActionResult[] {
    return execution.results.map((r) => ({ ...r, error: r.error ?? null }));
  }
}

/** The rules that ran on a ticket, for agents working it. */
@Resolver(() => Ticket)
export class TicketAutomationResolver {
  @FieldResolver(() => [AutomationExecution], {
    description: 'Automation rules that ran on this ticket, newest first (staff).',
  })
  automationRuns(
    @Root() ticket: Ticket,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
  ): Promise<AutomationExecution[]> {
    const { em } = requireStaff(ctx);
    return ctx.services.automation.executions(
      em,
      { ticketId: ticket.id },
      { first: first ?? 20, includeNotMatched: false },
    );
  }
}
