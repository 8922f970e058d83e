// Depth, cost and alias limits: applied to every operation over HTTP and WebSocket alike.
import type { ValidationRule } from 'graphql';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { GraphQLError } from 'graphql';
import { env } from '../config/env.js';

export function limitRules(): ValidationRule[] {
  const { GRAPHQL_MAX_DEPTH, GRAPHQL_MAX_COST, GRAPHQL_MAX_ALIASES } = env();
  // graphql-armor reports limits as plain validation errors; give them our input error code.
  const onReject = [
    (_ctx: unknown, error: GraphQLError) => {
      (error.extensions as Record<string, unknown>).code = 'BAD_USER_INPUT';
    },
  ];
  return [
    maxDepthRule({ n: GRAPHQL_MAX_DEPTH, flattenFragments: true, onReject }),
    costLimitRule({ maxCost: GRAPHQL_MAX_COST, onReject }),
    maxAliasesRule({ n: GRAPHQL_MAX_ALIASES, onReject }),
  ] as unknown as ValidationRule[];
}
