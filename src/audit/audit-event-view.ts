import { type SummaryPeople, actorIdOf, auditSummary } from './audit-summary.js';
import type { AuditEventDto } from './dto/audit-event.dto.js';
import type { AuditEventEntity } from './entities/audit-event.entity.js';

/** The accounts an entry names, by id, as the audit list reads them. */
export type AuditPeople = ReadonlyMap<string, { id: string; name: string; email: string | null }>;

/** An entry as the admin API shows it: with the people it names and its sentence. */
export function toAuditEventView(event: AuditEventEntity, people: AuditPeople): AuditEventDto {
  const user = event.userId === null ? undefined : people.get(event.userId);
  const actorId = actorIdOf(event);
  const actor = actorId === null ? undefined : people.get(actorId);
  const named: SummaryPeople = { user: user ?? null, actor: actor ?? null };
  return {
    id: event.id,
    type: event.type,
    at: event.at.toISOString(),
    userId: event.userId,
    user: user === undefined ? null : { id: user.id, name: user.name, email: user.email },
    actor: actor === undefined ? null : { id: actor.id, name: actor.name },
    sessionId: event.sessionId,
    ip: event.ip,
    summary: auditSummary(event, named),
    details: event.details,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The ids of every account the entries name (whom each is about, and who acted); an actor that is
 * not an account id (a future writer's "system") names no one rather than failing the list.
 */
export function peopleNamedBy(events: readonly AuditEventEntity[]): string[] {
  const ids = new Set<string>();
  for (const event of events) {
    if (event.userId !== null) ids.add(event.userId);
    const actorId = actorIdOf(event);
    if (actorId !== null && UUID.test(actorId)) ids.add(actorId);
  }
  return [...ids];
}
