import { createContext, useContext } from 'react';
import type { ViewerFieldsFragment } from '../../gql/graphql';

export type Viewer = ViewerFieldsFragment;

export const ViewerContext = createContext<Viewer | null>(null);

/** The signed-in user. Only for components rendered inside the session gate. */
export function useViewer(): Viewer {
  const viewer = useContext(ViewerContext);
  if (!viewer) throw new Error('useViewer() used outside the session gate');
  return viewer;
}
