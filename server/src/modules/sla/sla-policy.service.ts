// SLA policies, business-hours calendars and company overrides: what a manager configures.
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from '../../graphql/errors.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { Company } from '../companies/company.entity.js';
import { Level, TicketStatus } from '../tickets/ticket.enums.js';
import { BusinessClock, calendarProblems } from './business-time.js';
import { SlaCalendar, calendarSpec, type SlaHoliday, type SlaPeriod } from './sla-calendar.entity.js';
import { SlaPolicy, type SlaTarget } from './sla-policy.entity.js';
import { CompanySlaPolicy } from './company-sla-policy.entity.js';
import { DEFAULT_POLICY_NAME, DEFAULT_WARNING_MINUTES, defaultTargets } from './default-policy.js';

export interface SlaPolicyData {
  name: string;
  isDefault?: boolean | null;
  calendarId?: string | null;
  targets: SlaTarget[];
  pauseStatuses?: TicketStatus[] | null;
  warningMinutes?: number | null;
}

export interface SlaCalendarData {
  name: string;
  timeZone: string;
  periods: SlaPeriod[];
  holidays?: SlaHoliday[] | null;
}

const MAX_TARGET_MINUTES = 366 * 24 * 60;
const LEVELS = Object.values(Level);

function requireName(value: string): string {
  const name = value.trim();
  if (!name) throw new DomainError('BAD_USER_INPUT', 'A name is required', 'name');
  if (name.length > 200) throw new DomainError('BAD_USER_INPUT', 'Names are limited to 200 characters', 'name');
  return name;
}

function checkMinutes(value: number | null | undefined, field: string, optional: boolean): void {
  if (value == null && optional) return;
  if (value == null || !Number.isInteger(value) || value <= 0 || value > MAX_TARGET_MINUTES) {
    throw new DomainError('BAD_USER_INPUT', `${field} must be a whole number of minutes from 1 to a year`, 'targets');
  }
}

/** Every cell at most once; cells left out have no SLA. */
function validTargets(targets: SlaTarget[]): SlaTarget[] {
  if (targets.length === 0) throw new DomainError('BAD_USER_INPUT', 'A policy needs at least one target', 'targets');
  const seen = new Set<string>();
  return targets.map((t) => {
    if (!LEVELS.includes(t.urgency) || !LEVELS.includes(t.importance)) {
      throw new DomainError('BAD_USER_INPUT', 'Unknown urgency or importance', 'targets');
    }
    const cell = `${t.urgency}×${t.importance}`;
    if (seen.has(cell))
      throw new DomainError('BAD_USER_INPUT', `Urgency × importance ${cell} is listed twice`, 'targets');
    seen.add(cell);
    checkMinutes(t.firstResponseMinutes, `First response for ${cell}`, false);
    checkMinutes(t.nextResponseMinutes, `Next response for ${cell}`, true);
    checkMinutes(t.resolutionMinutes, `Resolution for ${cell}`, false);
    return {
      urgency: t.urgency,
      importance: t.importance,
      firstResponseMinutes: t.firstResponseMinutes,
      nextResponseMinutes: t.nextResponseMinutes ?? null,
      resolutionMinutes: t.resolutionMinutes,
    };
  });
}

function validCalendar(data: SlaCalendarData): Omit<SlaCalendarData, 'holidays'> & { holidays: SlaHoliday[] } {
  const holidays = (data.holidays ?? []).map((h) => ({ date: h.date.trim(), name: h.name?.trim() || null }));
  const periods = data.periods.map((p) => ({ weekday: p.weekday, start: p.start.trim(), end: p.end.trim() }));
  const spec = { timeZone: data.timeZone.trim(), periods, holidays: holidays.map((h) => h.date) };
  const problems = calendarProblems(spec);
  if (problems.length) throw new DomainError('BAD_USER_INPUT', problems.join('; '), 'calendar');
  return { name: requireName(data.name), timeZone: spec.timeZone, periods, holidays };
}

export class SlaPolicyService {
  /** The tenant's default policy, created from seed 002's table if the tenant has none yet (a
   * tenant made by any path gets it on first use; the demo seed creates it up front). */
  async ensureDefaultPolicy(tx: EntityManager, tenantId: string): Promise<SlaPolicy> {
    const existing = await tx.findOne(SlaPolicy, { tenant: tenantId, isDefault: true }, { populate: ['calendar'] });
    if (existing) return existing;
    // Serialise first uses of one tenant; the partial unique index is the backstop.
    await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [`sla-default:${tenantId}`]);
    const again = await tx.findOne(SlaPolicy, { tenant: tenantId, isDefault: true }, { refresh: true });
    if (again) return again;
    const policy = tx.create(SlaPolicy, {
      tenant: tx.getReference(Tenant, tenantId),
      name: DEFAULT_POLICY_NAME,
      isDefault: true,
      calendar: null,
      targets: defaultTargets(),
      warningMinutes: DEFAULT_WARNING_MINUTES,
    });
    await tx.flush();
    return policy;
  }

  async policies(em: EntityManager): Promise<SlaPolicy[]> {
    return em.find(SlaPolicy, {}, { orderBy: { isDefault: 'desc', name: 'asc' }, populate: ['calendar'] });
  }

  async calendars(em: EntityManager): Promise<SlaCalendar[]> {
    return em.find(SlaCalendar, {}, { orderBy: { name: 'asc' } });
  }

  async createPolicy(em: EntityManager, tenantId: string, data: SlaPolicyData): Promise<SlaPolicy> {
    const name = requireName(data.name);
    const targets = validTargets(data.targets);
    return em.transactional(async (tx) => {
      const calendar = data.calendarId ? await this.calendar(tx, data.calendarId) : null;
      if (data.isDefault) await this.clearDefault(tx, tenantId);
      const policy = tx.create(SlaPolicy, {
        tenant: tx.getReference(Tenant, tenantId),
        name,
        isDefault: data.isDefault ?? false,
        calendar,
        targets,
        pauseStatuses: this.pauseStatuses(data.pauseStatuses),
        warningMinutes: this.warningMinutes(data.warningMinutes),
      });
      await tx.flush();
      return policy;
    });
  }

  async updatePolicy(em: EntityManager, tenantId: string, id: string, data: SlaPolicyData): Promise<SlaPolicy> {
    const name = requireName(data.name);
    const targets = validTargets(data.targets);
    return em.transactional(async (tx) => {
      const policy = await this.policy(tx, id);
      if (policy.isDefault && data.isDefault === false) {
        throw new DomainError('BAD_USER_INPUT', 'Make another policy the default instead', 'isDefault');
      }
      if (data.isDefault && !policy.isDefault) await this.clearDefault(tx, tenantId);
      policy.name = name;
      policy.targets = targets;
      policy.isDefault = policy.isDefault || Boolean(data.isDefault);
      policy.calendar = data.calendarId ? await this.calendar(tx, data.calendarId) : null;
      if (data.pauseStatuses) policy.pauseStatuses = this.pauseStatuses(data.pauseStatuses);
      if (data.warningMinutes != null) policy.warningMinutes = this.warningMinutes(data.warningMinutes);
      await tx.flush();
      return policy;
    });
  }

  /** Tickets under a deleted policy fall back to the default at their next change. */
  async deletePolicy(em: EntityManager, id: string): Promise<boolean> {
    return em.transactional(async (tx) => {
      const policy = await this.policy(tx, id);
      if (policy.isDefault) {
        throw new DomainError('BAD_USER_INPUT', 'The default policy cannot be deleted; make another the default first');
      }
      await tx.remove(policy).flush();
      return true;
    });
  }

  async createCalendar(em: EntityManager, tenantId: string, data: SlaCalendarData): Promise<SlaCalendar> {
    const valid = validCalendar(data);
    const calendar = em.create(SlaCalendar, { tenant: em.getReference(Tenant, tenantId), ...valid });
    await em.flush();
    return calendar;
  }

  async updateCalendar(em: EntityManager, id: string, data: SlaCalendarData): Promise<SlaCalendar> {
    const valid = validCalendar(data);
    const calendar = await this.calendar(em, id);
    Object.assign(calendar, valid);
    await em.flush();
    return calendar;
  }

  async deleteCalendar(em: EntityManager, id: string): Promise<boolean> {
    const calendar = await this.calendar(em, id);
    const users = await em.count(SlaPolicy, { calendar: calendar.id });
    if (users > 0) throw new DomainError('BAD_USER_INPUT', 'Policies still use this calendar', 'id');
    await em.remove(calendar).flush();
    return true;
  }

  /** Gives a company its own policy (null: back to the default); applies at each ticket's next change. */
  async setCompanyPolicy(em: EntityManager, companyId: string, policyId: string | null): Promise<Company> {
    return em.transactional(async (tx) => {
      const company = await tx.findOne(Company, companyId);
      if (!company) throw new DomainError('NOT_FOUND', 'No such company', 'companyId');
      await tx.nativeDelete(CompanySlaPolicy, { company: company.id });
      if (policyId) {
        const policy = await this.policy(tx, policyId);
        tx.create(CompanySlaPolicy, { tenant: company.tenant, company, policy });
      }
      await tx.flush();
      return company;
    });
  }

  async companyPolicy(em: EntityManager, companyId: string): Promise<SlaPolicy | null> {
    const link = await em.findOne(
      CompanySlaPolicy,
      { company: companyId },
      { populate: ['policy', 'policy.calendar'] },
    );
    return link?.policy ?? null;
  }

  /** The policies of those of these companies that have their own, by company id. */
  async companyPoliciesOf(em: EntityManager, companyIds: string[]): Promise<Map<string, SlaPolicy>> {
    if (companyIds.length === 0) return new Map();
    const links = await em.find(
      CompanySlaPolicy,
      { company: { $in: companyIds } },
      { populate: ['policy', 'policy.calendar'] },
    );
    return new Map(links.map((link) => [link.company.id, link.policy]));
  }

  async companyPolicies(em: EntityManager): Promise<CompanySlaPolicy[]> {
    return em.find(CompanySlaPolicy, {}, { populate: ['company', 'policy'] });
  }

  private readonly aroundTheClock = new BusinessClock(null);
  /** One clock per calendar version: each clock caches the days it has worked out. */
  private readonly clocks = new Map<string, { version: number; clock: BusinessClock }>();

  clockOf(policy: SlaPolicy | null | undefined): BusinessClock {
    const calendar = policy?.calendar;
    if (!calendar) return this.aroundTheClock;
    const version = calendar.updatedAt.getTime();
    const cached = this.clocks.get(calendar.id);
    if (cached?.version === version) return cached.clock;
    const clock = new BusinessClock(calendarSpec(calendar));
    this.clocks.set(calendar.id, { version, clock });
    return clock;
  }

  async policy(em: EntityManager, id: string): Promise<SlaPolicy> {
    const policy = await em.findOne(SlaPolicy, id, { populate: ['calendar'] });
    if (!policy) throw new DomainError('NOT_FOUND', 'No such SLA policy', 'id');
    return policy;
  }

  private async calendar(em: EntityManager, id: string): Promise<SlaCalendar> {
    const calendar = await em.findOne(SlaCalendar, id);
    if (!calendar) throw new DomainError('BAD_USER_INPUT', 'No such calendar', 'calendarId');
    return calendar;
  }

  private async clearDefault(tx: EntityManager, tenantId: string): Promise<void> {
    await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [`sla-default:${tenantId}`]);
    await tx.nativeUpdate(SlaPolicy, { tenant: tenantId, isDefault: true }, { isDefault: false });
  }

  private pauseStatuses(value: TicketStatus[] | null | undefined): TicketStatus[] {
    if (!value) return [TicketStatus.PENDING_CUSTOMER];
    const done = value.filter((s) => s === TicketStatus.RESOLVED || s === TicketStatus.CLOSED);
    if (done.length)
      throw new DomainError('BAD_USER_INPUT', 'Resolved and closed tickets stop anyway', 'pauseStatuses');
    return [...new Set(value)];
  }

  private warningMinutes(value: number | null | undefined): number {
    if (value == null) return DEFAULT_WARNING_MINUTES;
    if (!Number.isInteger(value) || value < 0 || value > MAX_TARGET_MINUTES) {
      throw new DomainError(
        'BAD_USER_INPUT',
        'The warning lead time must be a whole number of minutes',
        'warningMinutes',
      );
    }
    return value;
  }
}
