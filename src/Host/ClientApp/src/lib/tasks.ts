// What a handler can do with each kind of task, and what each action needs (the host checks the same rules).

export interface TaskActionKind {
  value: string;
  zh: string;
  en: string;
  /** An opinion (or reasons) must be given. */
  needsOpinion: boolean;
  /** The missing or supplied materials must be picked. */
  needsMaterials?: boolean;
  /** Another handler must be named. */
  needsAssignee?: boolean;
  /** An earlier step may be named. */
  asksReturnTo?: boolean;
  danger?: boolean;
}

const review: TaskActionKind[] = [
  { value: 'approve', zh: '通过', en: 'Approve', needsOpinion: false },
  { value: 'reject', zh: '不予通过', en: 'Reject', needsOpinion: true, danger: true },
  { value: 'return', zh: '退回', en: 'Return', needsOpinion: true, asksReturnTo: true },
  { value: 'requestCorrection', zh: '要求补正', en: 'Request correction', needsOpinion: true, needsMaterials: true },
  { value: 'transfer', zh: '转办', en: 'Transfer', needsOpinion: true, needsAssignee: true },
];

const parallel: TaskActionKind[] = [
  { value: 'agree', zh: '同意', en: 'Agree', needsOpinion: false },
  { value: 'agreePending', zh: '同意（待上级审批）', en: 'Agree pending approval', needsOpinion: false },
  { value: 'disagree', zh: '不同意', en: 'Disagree', needsOpinion: true, danger: true },
];

const supplement: TaskActionKind[] = [
  { value: 'supply', zh: '材料已补齐', en: 'Materials supplied', needsOpinion: false, needsMaterials: true },
  { value: 'withdraw', zh: '申请人撤回', en: 'Applicant withdraws', needsOpinion: false, danger: true },
];

const rectification: TaskActionKind[] = [
  { value: 'rectify', zh: '整改', en: 'Rectify', needsOpinion: true },
  { value: 'explain', zh: '解释说明', en: 'Explain', needsOpinion: true },
  { value: 'appeal', zh: '申诉', en: 'Appeal', needsOpinion: true },
];

/** The actions of a task kind (its bookmark name). */
export function actionsFor(kind: string, stage?: string): TaskActionKind[] {
  switch (kind) {
    case 'GovFlow.ReviewTask':
      return review;
    case 'GovFlow.ParallelOpinion':
      return parallel;
    case 'GovFlow.Correction':
    case 'GovFlow.ReviewSupplement':
    case 'GovFlow.ToleranceSupplement':
      return supplement;
    case 'GovFlow.Rectification':
      // Verifying and giving feedback are notes; only the resolution stage chooses how the rating is resolved.
      return stage === 'resolve' ? rectification : [{ value: 'done', zh: '已完成', en: 'Done', needsOpinion: true }];
    default:
      return [];
  }
}

export interface ActionForm {
  action: string;
  opinion?: string;
  materials?: string[];
  assignee?: string;
  returnTo?: string;
}

/** What is missing before an action can be sent; empty when it is complete. */
export function missingFor(kind: TaskActionKind | undefined, form: ActionForm): string[] {
  if (!kind) return ['action'];
  const missing: string[] = [];
  if (kind.needsOpinion && !form.opinion?.trim()) missing.push('opinion');
  if (kind.needsMaterials && !(form.materials?.length)) missing.push('materials');
  if (kind.needsAssignee && !form.assignee?.trim()) missing.push('assignee');
  return missing;
}

/** The body of POST /api/tasks/{id}/complete for an action form. */
export function completeBody(form: ActionForm) {
  return {
    action: form.action === 'supply' || form.action === 'done' ? null : form.action,
    opinion: form.opinion?.trim() || null,
    materials: form.materials ?? null,
    assignee: form.assignee?.trim() || null,
    returnTo: form.returnTo || null,
  };
}
