import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/** Counters of rate-limiter-flexible (login throttling), mapped so schema diffs leave them alone. */
@Entity({ tableName: 'login_rate_limits' })
export class LoginRateLimit {
  @PrimaryKey({ length: 255 })
  key!: string;

  @Property({ type: 'integer', default: 0 })
  points!: number;

  @Property({ type: 'bigint', nullable: true })
  expire?: string | null;
}
