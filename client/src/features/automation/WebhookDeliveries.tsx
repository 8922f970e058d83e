// The webhook calls of one rule run: delivered, retrying (when next), or failed with a "Retry now".
import { useMutation } from '@apollo/client/react';
import {
  AutomationRuleExecutionsDocument,
  RetryAutomationWebhookDeliveryDocument,
  type WebhookDeliveryStatus,
  type WebhookDeliveryFieldsFragment,
} from '../../gql/graphql';
import { connectionMessage, graphQLErrorMessage } from '../../app/errors';
import { Button, useToast } from '../../shared/ui';

const LABELS: Record<WebhookDeliveryStatus, string> = {
  PENDING: 'Sending',
  RETRYING: 'Retrying',
  DELIVERED: 'Delivered',
  FAILED: 'Failed',
};

function time(value: unknown): string {
  return new Date(String(value)).toLocaleString();
}

function Delivery({ delivery }: { delivery: WebhookDeliveryFieldsFragment }) {
  const toast = useToast();
  const [retry, retrying] = useMutation(RetryAutomationWebhookDeliveryDocument, {
    refetchQueries: [AutomationRuleExecutionsDocument],
  });
  const onRetry = () =>
    retry({ variables: { id: delivery.id } }).then(
      ({ data }) => {
        const status = data?.retryAutomationWebhookDelivery.status;
        if (status === 'DELIVERED') toast.show('Webhook delivered', 'success');
        else toast.error(`Still failing: ${data?.retryAutomationWebhookDelivery.lastError ?? 'no answer'}`);
      },
      (error: Error) => toast.error(graphQLErrorMessage(error) ?? connectionMessage(error)),
    );
  return (
    <li className="au-delivery">
      <span className={`au-status au-status--delivery-${delivery.status.toLowerCase()}`}>
        {LABELS[delivery.status]}
      </span>
      <span className="au-delivery__url" title={delivery.url}>
        {delivery.url}
      </span>
      <span className="au-muted">
        attempt {delivery.attempts} of {delivery.maxAttempts}
      </span>
      {delivery.status === 'DELIVERED' && delivery.deliveredAt != null && (
        <time className="au-muted" dateTime={String(delivery.deliveredAt)}>
          {time(delivery.deliveredAt)}
        </time>
      )}
      {delivery.status === 'RETRYING' && delivery.nextAttemptAt != null && (
        <span className="au-muted">
          next at <time dateTime={String(delivery.nextAttemptAt)}>{time(delivery.nextAttemptAt)}</time>
        </span>
      )}
      {delivery.lastError && delivery.status !== 'DELIVERED' && (
        <span className="au-delivery__error">{delivery.lastError}</span>
      )}
      {delivery.status === 'FAILED' && (
        <Button
          size="sm"
          variant="secondary"
          loading={retrying.loading}
          onClick={() => void onRetry()}
          aria-label={`Retry now: ${delivery.url}`}
        >
          Retry now
        </Button>
      )}
    </li>
  );
}

export function WebhookDeliveries({ deliveries }: { deliveries: WebhookDeliveryFieldsFragment[] }) {
  if (deliveries.length === 0) return null;
  return (
    <ul className="au-deliveries" aria-label="Webhook deliveries">
      {deliveries.map((delivery) => (
        <Delivery key={delivery.id} delivery={delivery} />
      ))}
    </ul>
  );
}
