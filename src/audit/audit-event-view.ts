import type { AuditEventDto } from './dto/audit-event.dto.js';
import type { AuditEventEntity } from './entities/audit-event.entity.js';

export function toAuditEventView(event: AuditEventEntity): AuditEventDto {
  return {
    id: event.id,
    type: event.type,
    at: event.at.toISOString(),
    userId: event.userId,
    sessionId: event.sessionId,
    ip: event.ip,
    details: event.details,
  };
}
