// A task's actions come from the host (its task contract, stored with the task): the UI lists what it is given,
// asks for what each action declares, and leaves every rule to the host, which answers 400 naming the field.
import type { TaskActionOffer } from './model';
import type { CompleteBody } from './queries';
import type { Lang } from './session';

export interface ActionForm {
  action: string;
  opinion?: string;
  materials?: string[];
  assignee?: string;
  returnTo?: string;
  days?: string;
  approver?: string;
  procedure?: string;
}

/** An action's label in the hall's language. */
export const actionLabel = (a: Pick<TaskActionOffer, 'label' | 'labelEn'>, lang: Lang) => (lang === 'en' ? a.labelEn || a.label : a.label || a.labelEn);

const filled = (v: string | string[] | undefined) => (Array.isArray(v) ? v.length > 0 : !!v?.trim());

/** What the action declares required and the form still lacks: `opinion` and field names, in the action's order. */
export function unfilled(action: TaskActionOffer | undefined, form: ActionForm): string[] {
  if (!action) return ['action'];
  const missing: string[] = [];
  if (action.opinion === 'required' && !filled(form.opinion)) missing.push('opinion');
  for (const f of action.fields) if (f.required && !filled(fieldValue(form, f.name))) missing.push(f.name);
  return missing;
}

export function fieldValue(form: ActionForm, name: string): string | string[] | undefined {
  return (form as unknown as Record<string, string | string[] | undefined>)[name];
}

/** The one body of POST /api/tasks/{id}/complete, whatever the task: only what the action asks for, trimmed. */
export function completeBody(action: TaskActionOffer, form: ActionForm): CompleteBody {
  const asks = (name: string) => action.fields.some((f) => f.name === name);
  const text = (v?: string) => v?.trim() || null;
  return {
    action: action.name,
    opinion: action.opinion === 'none' ? null : text(form.opinion),
    assignee: asks('assignee') ? text(form.assignee) : null,
    returnTo: asks('returnTo') ? text(form.returnTo) : null,
    materials: asks('materials') ? (form.materials ?? []) : null,
    // The law's clock actions (延期, 特别程序) carry these; other actions send the body without them.
    ...(asks('days') ? { days: text(form.days) } : {}),
    ...(asks('approver') ? { approver: text(form.approver) } : {}),
    ...(asks('procedure') ? { procedure: text(form.procedure) } : {}),
  };
}
