import { useState } from 'react';
import { useMutation } from '@apollo/client/react';
import { SignOutDocument } from '../../gql/graphql';
import { session } from '../../app/session';

/** Signs out: revokes the token on the server (closing its sockets), then drops it here. */
export function useSignOut(): { signOut: () => Promise<void>; signingOut: boolean } {
  const [logout] = useMutation(SignOutDocument);
  const [signingOut, setSigningOut] = useState(false);
  const signOut = async () => {
    setSigningOut(true);
    await session.signOut(() => logout());
  };
  return { signOut, signingOut };
}
