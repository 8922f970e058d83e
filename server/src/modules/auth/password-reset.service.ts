import { childLogger } from '../../lib/logger.js';
import type { AuthService } from './auth.service.js';
import type { User } from '../users/user.entity.js';

const log = childLogger('password-reset');

/** Delivers the reset link; the email module plugs its outbox in here. */
export interface PasswordResetMailer {
  send(user: User, token: string): Promise<void>;
}

export class PasswordResetService {
  constructor(
    private readonly auth: AuthService,
    private mailer: PasswordResetMailer | null = null,
  ) {}

  useMailer(mailer: PasswordResetMailer): void {
    this.mailer = mailer;
  }

  async request(email: string): Promise<void> {
    const created = await this.auth.createPasswordResetToken(email);
    if (!created) return;
    if (!this.mailer) {
      log.warn({ userId: created.user.id }, 'password reset requested but no mailer is configured yet');
      return;
    }
    await this.mailer.send(created.user, created.token);
  }
}
