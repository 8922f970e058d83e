// A support address for tests, made the way an admin makes one (the createEmailAddress mutation).
// By default its servers are 127.0.0.1 port 1, where nothing listens: tests that hand mail to the
// ingest service directly need the address but never a mailbox. Override what a test relies on.
import type { GraphQLTestClient } from './graphql-client.js';

export interface SupportAddressInput {
  displayName: string;
  address: string;
  color?: string;
  imapHost?: string;
  imapFolder?: string;
  imapPort?: number;
  imapTls?: boolean;
  imapUser?: string;
  imapPassword?: string;
  smtpHost?: string;
  smtpPort?: number;
  smtpSecurity?: 'NONE' | 'STARTTLS' | 'TLS';
  smtpUser?: string;
  smtpPassword?: string;
  isActive?: boolean;
  isDefault?: boolean;
}

/** Creates the address as `admin` and returns its id. */
export async function createSupportAddress(admin: GraphQLTestClient, input: SupportAddressInput): Promise<string> {
  const { createEmailAddress } = await admin.data<{ createEmailAddress: { id: string } }>(
    'mutation($input: EmailAddressInput!) { createEmailAddress(input: $input) { id } }',
    {
      input: {
        imapHost: '127.0.0.1',
        imapPort: 1,
        imapTls: false,
        imapUser: 'unused',
        imapPassword: 'unused',
        smtpHost: '127.0.0.1',
        smtpPort: 1,
        smtpSecurity: 'NONE',
        ...input,
      },
    },
  );
  return createEmailAddress.id;
}
