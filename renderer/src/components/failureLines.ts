// The lines of the failure strip: requests that failed for the same reason share one line; a
// reply the page could not show is a line of its own kind (the back end did answer).
import type { RequestFailure } from '../deskContext';

export interface FailureLine {
  key: string;
  kind: RequestFailure['kind'];
  message: string;
  methods: string[];
}

export function failureLines(failures: readonly RequestFailure[]): FailureLine[] {
  const lines = new Map<string, FailureLine>();
  for (const f of failures) {
    const key = `${f.kind}|${f.message}`;
    const line = lines.get(key) ?? { key, kind: f.kind, message: f.message, methods: [] };
    line.methods.push(f.method);
    lines.set(key, line);
  }
  return [...lines.values()];
}
