// Automatic assignment within a team: round-robin, or the member with the fewest active tickets.
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Ticket } from '../tickets/ticket.entity.js';
import { ACTIVE_STATUSES } from '../tickets/ticket.enums.js';
import { User } from '../users/user.entity.js';
import { AssignmentMode, Team } from './team.entity.js';

export class AssignmentService {
  /** The member who should get the next ticket of this team, or null for manual teams. */
  async pickAssignee(tx: EntityManager, teamId: string): Promise<User | null> {
    // The team row lock serialises concurrent picks, so round-robin never hands out one turn twice.
    const team = await tx.findOne(Team, teamId, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (!team || team.assignmentMode === AssignmentMode.MANUAL) return null;
    const members = (await tx.find(User, { id: { $in: await this.memberIds(tx, team) }, active: true })).sort((a, b) =>
      a.id.localeCompare(b.id),
    );
    if (members.length === 0) return null;
    const chosen =
      team.assignmentMode === AssignmentMode.ROUND_ROBIN
        ? this.nextInTurn(members, team.lastAssignee?.id ?? null)
        : await this.leastLoaded(tx, members, team.lastAssignee?.id ?? null);
    team.lastAssignee = chosen;
    return chosen;
  }

  private async memberIds(tx: EntityManager, team: Team): Promise<string[]> {
    await team.members.init();
    return team.members.getItems().map((m) => m.id);
  }

  private nextInTurn(members: User[], lastId: string | null): User {
    const index = lastId ? members.findIndex((m) => m.id > lastId) : 0;
    return members[index === -1 ? 0 : index]!;
  }

  private async leastLoaded(tx: EntityManager, members: User[], lastId: string | null): Promise<User> {
    // One count per member: teams are small, and em.count keeps the tenant filter.
    const counts = await Promise.all(
      members.map((m) => tx.count(Ticket, { assignee: m.id, status: { $in: [...ACTIVE_STATUSES] } })),
    );
    const load = new Map(members.map((m, i) => [m.id, counts[i] ?? 0]));
    const fewest = Math.min(...members.map((m) => load.get(m.id) ?? 0));
    // Ties go round-robin, so equal members share the work.
    const tied = members.filter((m) => (load.get(m.id) ?? 0) === fewest);
    return this.nextInTurn(tied, lastId);
  }
}
