import { ApolloProvider } from '@apollo/client/react';
import { RouterProvider } from 'react-router/dom';
import { ToastProvider } from '../shared/ui';
import { createAppApollo } from './apollo';
import { router } from './router';
import { session } from './session';

const { client } = createAppApollo(session);

export function App() {
  return (
    <ApolloProvider client={client}>
      <ToastProvider>
        <RouterProvider router={router} />
      </ToastProvider>
    </ApolloProvider>
  );
}
