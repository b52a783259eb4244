// Readers for the JSON the document leaves free (a replay's stored case file): they take only what the UI reads,
// each value checked for its type, into the same records the case view's typed parts use.
import type { CaseFileStep } from './model';

/** An object's own properties, or nothing when the value is not a JSON object. */
export function fieldsOf(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.fromEntries(Object.entries(value)) : undefined;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** The handling steps of a stored case file (its `steps`), as the case view's steps. */
export function caseFileSteps(caseFile: unknown): CaseFileStep[] {
  return list(fieldsOf(caseFile)?.steps).flatMap((item) => {
    const s = fieldsOf(item);
    if (!s) return [];
    return [{
      step: text(s.step),
      action: text(s.action),
      handler: text(s.handler) ?? null,
      opinion: text(s.opinion) ?? null,
      start: text(s.start),
      end: text(s.end),
      department: text(s.department) ?? null,
    }];
  });
}
