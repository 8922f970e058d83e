import DataLoader from 'dataloader';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../graphql/context.js';
import { requireManager } from '../../graphql/authorization.js';
import { uuidArg } from '../../lib/ids.js';
import { AutomationExecution } from './automation.entity.js';
import { WebhookDelivery } from './webhook-delivery.entity.js';
import { MAX_ATTEMPTS } from './webhook-delivery.service.js';

/** One query for the deliveries of every run on a page of the execution log. */
const loaders = new WeakMap<RequestContext, DataLoader<string, WebhookDelivery[]>>();
function deliveriesLoader(ctx: RequestContext): DataLoader<string, WebhookDelivery[]> {
  let loader = loaders.get(ctx);
  if (!loader) {
    const { em } = requireManager(ctx);
    loader = new DataLoader(async (ids: readonly string[]) => {
      const byExecution = await ctx.services.webhookDeliveries.ofExecutions(em, ids);
      return ids.map((id) => byExecution.get(id) ?? []);
    });
    loaders.set(ctx, loader);
  }
  return loader;
}

@Resolver(() => AutomationExecution)
export class AutomationExecutionWebhookResolver {
  @FieldResolver(() => [WebhookDelivery], {
    description: 'The webhook calls of this run and how their delivery went (admins and managers).',
  })
  webhookDeliveries(@Root() execution: AutomationExecution, @Ctx() ctx: RequestContext): Promise<WebhookDelivery[]> {
    return deliveriesLoader(ctx).load(execution.id);
  }
}

@Resolver(() => WebhookDelivery)
export class WebhookDeliveryResolver {
  @FieldResolver(() => ID)
  executionId(@Root() delivery: WebhookDelivery): string {
    return delivery.execution.id;
  }

  @FieldResolver(() => Int, { description: 'Attempts a delivery gets before it fails for good.' })
  maxAttempts(): number {
    return MAX_ATTEMPTS;
  }

  @Mutation(() => WebhookDelivery, {
    description: 'One more attempt of a failed webhook delivery, made at once (admins and managers).',
  })
  retryAutomationWebhookDelivery(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: RequestContext,
  ): Promise<WebhookDelivery> {
    const { em } = requireManager(ctx);
    return ctx.services.webhookDeliveries.retryNow(em, uuidArg(id, 'id'));
  }
}
