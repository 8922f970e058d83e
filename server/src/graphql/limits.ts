// Depth, cost and alias limits: applied to every operation over HTTP and WebSocket alike.
import type { ValidationContext, ValidationRule } from 'graphql';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { GraphQLError } from 'graphql';
import { env } from '../config/env.js';

export function limitRules(): ValidationRule[] {
  const { GRAPHQL_MAX_DEPTH, GRAPHQL_MAX_COST, GRAPHQL_MAX_ALIASES } = env();
  // graphql-armor throws its errors by default, which `validate` does not catch: Apollo answered
  // 500 and graphql-ws closed the whole socket. Report them as validation errors instead, with our
  // input error code.
  const onReject = [
    (ctx: ValidationContext | null, error: GraphQLError) => {
      (error.extensions as Record<string, unknown>).code = 'BAD_USER_INPUT';
      ctx?.reportError(error);
    },
  ];
  const common = { onReject, propagateOnRejection: false };
  return [
    maxDepthRule({ n: GRAPHQL_MAX_DEPTH, flattenFragments: true, ...common }),
    costLimitRule({ maxCost: GRAPHQL_MAX_COST, ...common }),
    maxAliasesRule({ n: GRAPHQL_MAX_ALIASES, ...common }),
  ] as unknown as ValidationRule[];
}
