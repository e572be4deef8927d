// The audit port: what a feature needs to put an action on the audit trail (the trail in
// main/audit implements it; execution and the pipelines write through it).
import type { AuditEvent } from '../api/auditContract';

export type AuditInput = Omit<AuditEvent, 'id' | 'at' | 'details'> & { details?: Record<string, unknown> };

export interface AuditSink {
  record(input: AuditInput): Promise<void>;
}
