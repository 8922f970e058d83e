import type { EntityManager } from '@mikro-orm/postgresql';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { DomainError } from '../../graphql/errors.js';
import { Tenant } from '../tenants/tenant.entity.js';
import type { UserService } from '../users/user.service.js';
import { AssignmentMode, Team } from './team.entity.js';

export interface TeamData {
  name: string;
  assignmentMode?: AssignmentMode | null;
  memberIds: string[];
}

export class TeamService {
  constructor(private readonly users: UserService) {}

  list(em: EntityManager): Promise<Team[]> {
    return em.find(Team, {}, { orderBy: { name: 'asc' }, populate: ['members'] });
  }

  async save(em: EntityManager, tenantId: string, teamId: string | null, data: TeamData): Promise<Team> {
    const name = data.name.trim();
    if (!name) throw new DomainError('BAD_USER_INPUT', 'A team needs a name', 'name');
    try {
      return await em.transactional(async (tx) => {
        const team = teamId
          ? await tx.findOne(Team, teamId, { populate: ['members'] })
          : tx.create(Team, { tenant: tx.getReference(Tenant, tenantId), name });
        if (!team) throw new DomainError('NOT_FOUND', 'No such team', 'teamId');
        team.name = name;
        if (data.assignmentMode) team.assignmentMode = data.assignmentMode;
        const members = await Promise.all(data.memberIds.map((id) => this.users.staffMember(tx, id, 'memberIds')));
        team.members.set(members);
        return team;
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw new DomainError('BAD_USER_INPUT', `A team called "${name}" exists already`, 'name');
      }
      throw error;
    }
  }
}
