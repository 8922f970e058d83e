// Templates per event, rendered by liquidjs: sandboxed (no file system, no JavaScript, bounded
// work), with seed 001's variables.
import { Liquid, type Template } from 'liquidjs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from '../../graphql/errors.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { MailTemplate, MailTemplateEvent } from './mail-template.entity.js';

export interface TemplateVariables {
  ticket_number: string;
  subject: string;
  description: string;
  status: string;
  priority: string;
  urgency: string;
  importance: string;
  assigned_to: string;
  created_by: string;
  created_at: string;
  client_name: string;
  site_name: string;
  ticket_url: string;
  comment: string;
  resolution_notes: string;
  reset_url?: string;
  /** Agent notification mail (AGENT_NOTIFICATION, NOTIFICATION_DIGEST). */
  recipient_name?: string;
  notification_title?: string;
  notification_kind?: string;
  notification_url?: string;
  notification_count?: number;
  notifications?: Array<{ title: string; kind: string; url: string; created_at: string }>;
  preferences_url?: string;
}

export const DEFAULT_TEMPLATES: Record<MailTemplateEvent, { subject: string; body: string }> = {
  TICKET_CREATED: {
    subject: 'We received your request: {{ subject }}',
    body: 'Hello {{ created_by }},\n\nthank you for contacting {{ site_name }}. Your request has been received as ticket {{ ticket_number }} and we will get back to you soon.\n\nYou can reply to this mail to add information.\n\n{{ site_name }}',
  },
  TICKET_ASSIGNED: {
    subject: 'Ticket {{ ticket_number }} was assigned to {{ assigned_to }}',
    body: '{{ assigned_to }} is now looking after your request "{{ subject }}".\n\n{{ site_name }}',
  },
  TICKET_UPDATED: {
    subject: 'Update on {{ subject }}',
    body: 'Your request "{{ subject }}" is now {{ status }}.\n\n{{ site_name }}',
  },
  TICKET_RESOLVED: {
    subject: 'Resolved: {{ subject }}',
    body: 'We believe your request "{{ subject }}" is resolved.{% if resolution_notes != "" %}\n\n{{ resolution_notes }}{% endif %}\n\nIf anything is still wrong, just reply to this mail and the ticket opens again.\n\n{{ site_name }}',
  },
  TICKET_CLOSED: {
    subject: 'Closed: {{ subject }}',
    body: 'Your request "{{ subject }}" has been closed.\n\n{{ site_name }}',
  },
  COMMENT_ADDED: {
    subject: '{{ subject }}',
    body: '{{ comment }}\n\n--\n{{ assigned_to }} · {{ site_name }}',
  },
  PASSWORD_RESET: {
    subject: 'Reset your {{ site_name }} password',
    body: 'Someone asked to reset the password of your account. If it was you, open this link within an hour:\n\n{{ reset_url }}\n\nIf it was not you, ignore this mail.',
  },
  AGENT_NOTIFICATION: {
    subject: '{{ notification_title }}',
    body: 'Hello {{ recipient_name }},\n\n{{ notification_title }}.{% if comment != "" %}\n\n{{ comment }}{% endif %}\n\nOpen it: {{ notification_url }}\n\n--\n{{ site_name }} · Choose which mail you get: {{ preferences_url }}',
  },
  NOTIFICATION_DIGEST: {
    subject: '{{ notification_count }} notifications from {{ site_name }}',
    body: 'Hello {{ recipient_name }},\n\nhere is what happened:\n{% for n in notifications %}\n- {{ n.title }} ({{ n.kind }}, {{ n.created_at }})\n  {{ n.url }}\n{% endfor %}\n--\n{{ site_name }} · Choose how often you get this: {{ preferences_url }}',
  },
};

const liquid = new Liquid({
  strictFilters: true,
  strictVariables: false,
  ownPropertyOnly: true,
  // Sandbox: templates come from tenant admins; no includes from disk, bounded rendering.
  fs: {
    readFileSync: () => '',
    existsSync: () => false,
    exists: async () => false,
    readFile: async () => '',
    resolve: () => '',
  },
  relativeReference: false,
  renderLimit: 1_000,
  parseLimit: 100_000,
  memoryLimit: 10_000_000,
});

export interface RenderedMail {
  subject: string;
  text: string;
}

/** Parsed templates by source: a batch of mail renders the same receipt a hundred times. */
const parsedTemplates = new Map<string, Template[]>();
const PARSED_TEMPLATES_KEPT = 500;

function parsed(source: string): Template[] {
  let templates = parsedTemplates.get(source);
  if (!templates) {
    templates = liquid.parse(source);
    if (parsedTemplates.size >= PARSED_TEMPLATES_KEPT) parsedTemplates.delete(parsedTemplates.keys().next().value!);
    parsedTemplates.set(source, templates);
  }
  return templates;
}

export async function renderTemplate(
  template: { subject: string; body: string },
  variables: TemplateVariables,
): Promise<RenderedMail> {
  try {
    const [subject, text] = await Promise.all([
      liquid.render(parsed(template.subject), variables) as Promise<string>,
      liquid.render(parsed(template.body), variables) as Promise<string>,
    ]);
    return {
      subject: subject
        .replace(/[\r\n]+/g, ' ')
        .trim()
        .slice(0, 500),
      text,
    };
  } catch (error) {
    throw new DomainError('BAD_USER_INPUT', `The template does not render: ${(error as Error).message}`, 'body');
  }
}

export class MailTemplateService {
  async list(
    em: EntityManager,
  ): Promise<Array<{ event: MailTemplateEvent; subject: string; body: string; enabled: boolean; custom: boolean }>> {
    const rows = await em.find(MailTemplate, {});
    return Object.values(MailTemplateEvent).map((event) => {
      const row = rows.find((r) => r.event === event);
      return row
        ? { event, subject: row.subject, body: row.body, enabled: row.enabled, custom: true }
        : { event, ...DEFAULT_TEMPLATES[event], enabled: true, custom: false };
    });
  }

  /** The template to send for an event, or null when the tenant turned it off. */
  async forEvent(em: EntityManager, event: MailTemplateEvent): Promise<{ subject: string; body: string } | null> {
    const row = await em.findOne(MailTemplate, { event });
    if (!row) return DEFAULT_TEMPLATES[event];
    return row.enabled ? row : null;
  }

  async save(
    em: EntityManager,
    tenantId: string,
    data: { event: MailTemplateEvent; subject: string; body: string; enabled: boolean },
  ): Promise<MailTemplate> {
    await renderTemplate(data, sampleVariables()); // refuse templates that do not render
    const row =
      (await em.findOne(MailTemplate, { event: data.event })) ??
      em.create(MailTemplate, {
        tenant: em.getReference(Tenant, tenantId),
        event: data.event,
        subject: data.subject,
        body: data.body,
      });
    row.subject = data.subject;
    row.body = data.body;
    row.enabled = data.enabled;
    await em.flush();
    return row;
  }
}

export function sampleVariables(): TemplateVariables {
  return {
    ticket_number: '[Ticket#42]',
    subject: 'Printer on the 3rd floor is offline',
    description: 'Since this morning nobody can print.',
    status: 'OPEN',
    priority: 'HIGH / MEDIUM',
    urgency: 'HIGH',
    importance: 'MEDIUM',
    assigned_to: 'Alex Agent',
    created_by: 'Casey Customer',
    created_at: new Date().toISOString(),
    client_name: 'Acme Corporation',
    site_name: 'Demo Support',
    ticket_url: 'https://support.example/portal/tickets/42',
    comment: 'We have restarted the print server; please try again.',
    resolution_notes: '',
    reset_url: 'https://support.example/reset?token=…',
    recipient_name: 'Alex Agent',
    notification_title: 'You were mentioned on #42 Printer on the 3rd floor is offline',
    notification_kind: 'Mention',
    notification_url: 'https://support.example/tickets/42',
    notification_count: 2,
    notifications: [
      {
        title: 'You were mentioned on #42 Printer on the 3rd floor is offline',
        kind: 'Mention',
        url: 'https://support.example/tickets/42',
        created_at: '09:12 (Europe/Berlin)',
      },
      {
        title: '#43 VPN drops every hour was assigned to you',
        kind: 'Assigned to you',
        url: 'https://support.example/tickets/43',
        created_at: '09:40 (Europe/Berlin)',
      },
    ],
    preferences_url: 'https://support.example/notifications/preferences',
  };
}
