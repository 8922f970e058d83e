import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { RequestContext } from '../../graphql/context.js';
import { requireManager, requireStaff } from '../../graphql/authorization.js';
import { uuidArg } from '../../lib/ids.js';
import { Company } from '../companies/company.entity.js';
import { Ticket } from '../tickets/ticket.entity.js';
import { SlaCalendar } from './sla-calendar.entity.js';
import { SlaPolicy } from './sla-policy.entity.js';
import { CompanySla, SlaBoard, SlaBreakdown, SlaCalendarInput, SlaComplianceDay, SlaPolicyInput } from './sla.types.js';

const MAX_AT_RISK = 200;

@Resolver(() => SlaPolicy)
export class SlaPolicyResolver {
  @Query(() => [SlaPolicy], { description: "The tenant's SLA policies, the default first (staff)." })
  slaPolicies(@Ctx() ctx: RequestContext): Promise<SlaPolicy[]> {
    const { em } = requireStaff(ctx);
    return ctx.services.slaPolicies.policies(em);
  }

  @Mutation(() => SlaPolicy)
  createSlaPolicy(@Arg('input') input: SlaPolicyInput, @Ctx() ctx: RequestContext): Promise<SlaPolicy> {
    const { em, viewer } = requireManager(ctx);
    if (input.calendarId) uuidArg(input.calendarId, 'calendarId');
    return ctx.services.slaPolicies.createPolicy(em, viewer.tenantId, input);
  }

  @Mutation(() => SlaPolicy)
  updateSlaPolicy(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: SlaPolicyInput,
    @Ctx() ctx: RequestContext,
  ): Promise<SlaPolicy> {
    const { em, viewer } = requireManager(ctx);
    if (input.calendarId) uuidArg(input.calendarId, 'calendarId');
    return ctx.services.slaPolicies.updatePolicy(em, viewer.tenantId, uuidArg(id, 'id'), input);
  }

  @Mutation(() => Boolean, { description: 'Tickets under it fall back to the default at their next change.' })
  deleteSlaPolicy(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    const { em } = requireManager(ctx);
    return ctx.services.slaPolicies.deletePolicy(em, uuidArg(id, 'id'));
  }

  @FieldResolver(() => SlaCalendar, { nullable: true, description: 'null: around the clock' })
  calendar(@Root() policy: SlaPolicy, @Ctx() ctx: RequestContext): Promise<SlaCalendar | null> {
    return requireStaff(ctx).loaders.load(SlaCalendar, policy.calendar?.id);
  }
}

@Resolver(() => SlaCalendar)
export class SlaCalendarResolver {
  @Query(() => [SlaCalendar], { description: 'Business-hours calendars (staff).' })
  slaCalendars(@Ctx() ctx: RequestContext): Promise<SlaCalendar[]> {
    const { em } = requireStaff(ctx);
    return ctx.services.slaPolicies.calendars(em);
  }

  @Mutation(() => SlaCalendar)
  createSlaCalendar(@Arg('input') input: SlaCalendarInput, @Ctx() ctx: RequestContext): Promise<SlaCalendar> {
    const { em, viewer } = requireManager(ctx);
    return ctx.services.slaPolicies.createCalendar(em, viewer.tenantId, input);
  }

  @Mutation(() => SlaCalendar)
  updateSlaCalendar(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: SlaCalendarInput,
    @Ctx() ctx: RequestContext,
  ): Promise<SlaCalendar> {
    const { em } = requireManager(ctx);
    return ctx.services.slaPolicies.updateCalendar(em, uuidArg(id, 'id'), input);
  }

  @Mutation(() => Boolean, { description: 'Refused while a policy uses the calendar.' })
  deleteSlaCalendar(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    const { em } = requireManager(ctx);
    return ctx.services.slaPolicies.deleteCalendar(em, uuidArg(id, 'id'));
  }
}

@Resolver(() => CompanySla)
export class CompanySlaResolver {
  @Query(() => [CompanySla], { description: 'Every company with its own SLA policy, if any (staff).' })
  async slaCompanies(@Ctx() ctx: RequestContext): Promise<CompanySla[]> {
    const { em } = requireStaff(ctx);
    const [companies, links] = await Promise.all([
      em.find(Company, {}, { orderBy: { name: 'asc' } }),
      ctx.services.slaPolicies.companyPolicies(em),
    ]);
    return companies.map((company) => ({
      company,
      policy: links.find((l) => l.company.id === company.id)?.policy ?? null,
    }));
  }

  @Mutation(() => CompanySla, { description: 'Gives a company its own policy; null: back to the default.' })
  async setCompanySlaPolicy(
    @Arg('companyId', () => ID) companyId: string,
    @Arg('policyId', () => ID, { nullable: true }) policyId: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<CompanySla> {
    const { em } = requireManager(ctx);
    const company = await ctx.services.slaPolicies.setCompanyPolicy(
      em,
      uuidArg(companyId, 'companyId'),
      policyId ? uuidArg(policyId, 'policyId') : null,
    );
    return { company, policy: await ctx.services.slaPolicies.companyPolicy(em.fork(), company.id) };
  }
}

@Resolver(() => SlaBoard)
export class SlaBoardResolver {
  @Query(() => SlaBoard, { description: 'Open tickets by SLA state (staff; customers get FORBIDDEN).' })
  async slaBoard(@Ctx() ctx: RequestContext): Promise<SlaBoard> {
    const { em, viewer } = requireStaff(ctx);
    return { tenantId: viewer.tenantId, ...(await ctx.services.slaBoard.counts(em, viewer.tenantId)) };
  }

  @Subscription(() => SlaBoard, {
    description: 'The whole board again whenever it changes (at most about once a second).',
    subscribe: ({ context }) => {
      const { viewer } = requireStaff(context as RequestContext);
      return (context as RequestContext).services.slaBoardStreams.forViewer(viewer);
    },
  })
  slaBoardEvents(@Root() board: SlaBoard): SlaBoard {
    return board;
  }

  @FieldResolver(() => [Ticket], {
    description: 'Open tickets in BREACHED or WARNING: breached first, then soonest due.',
  })
  atRisk(
    @Root() board: SlaBoard,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
  ): Promise<Ticket[]> {
    const { em } = requireStaff(ctx);
    return ctx.services.slaBoard.atRisk(em.fork(), board.tenantId, Math.max(1, Math.min(first, MAX_AT_RISK)));
  }

  @FieldResolver(() => [SlaBreakdown])
  byAgent(@Root() board: SlaBoard, @Ctx() ctx: RequestContext): Promise<SlaBreakdown[]> {
    return ctx.services.slaBoard.breakdown(requireStaff(ctx).em.fork(), board.tenantId, 'assignee');
  }

  @FieldResolver(() => [SlaBreakdown])
  byTeam(@Root() board: SlaBoard, @Ctx() ctx: RequestContext): Promise<SlaBreakdown[]> {
    return ctx.services.slaBoard.breakdown(requireStaff(ctx).em.fork(), board.tenantId, 'team');
  }

  @FieldResolver(() => [SlaBreakdown])
  byCompany(@Root() board: SlaBoard, @Ctx() ctx: RequestContext): Promise<SlaBreakdown[]> {
    return ctx.services.slaBoard.breakdown(requireStaff(ctx).em.fork(), board.tenantId, 'company');
  }

  @FieldResolver(() => [SlaComplianceDay], { description: 'Met vs breached per UTC day, oldest first.' })
  compliance(
    @Root() board: SlaBoard,
    @Ctx() ctx: RequestContext,
    @Arg('days', () => Int, { defaultValue: 30 }) days: number,
  ): Promise<SlaComplianceDay[]> {
    const { em } = requireStaff(ctx);
    return ctx.services.slaBoard.compliance(em.fork(), board.tenantId, Math.max(1, Math.min(days, 366)));
  }
}
