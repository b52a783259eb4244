// The auditor's journal in business terms: one line per thing a person (or the system) did, read from the engine's
// hashed records. A task's decision comes from its Resumed record (payload.decision); a few domain events and the
// outcomes of the hall's own steps are system lines; everything else (Started, Suspended, plain Completed, case-file
// snapshots) is the engine's and stays in the raw view.
import { actorName, certificateOutcomeNames, handlerNames, outcomeNames, resolutionNames, say, stepActionNames, type Words } from './format';
import type { JournalRecord } from './model';
import type { Lang } from './session';

export interface BusinessLine {
  /** The raw record the line was read from, to select in the engine view. */
  sequence: number;
  timestamp: string;
  /** User name, or null for the system. */
  actor: string | null;
  /** Display name and user name ("王审核（reviewer01）"), the user name alone, or 系统. */
  who: string;
  /** The step's name as the flow calls it. */
  step: string;
  /** What was done, in the hall's words. */
  what: string;
  opinion?: string;
  /** Further facts: transferred to, returned to, materials. */
  details: string[];
}

/** A task action's words where the case file's step words (stepActionNames) use another code, or have none. */
export const decisionNames: Words = {
  approve: stepActionNames.pass,
  notAccept: stepActionNames.notAccepted,
  startSpecialProcedure: stepActionNames.specialProcedure,
  endSpecialProcedure: stepActionNames.specialProcedureEnd,
  withdraw: stepActionNames.Withdrawn,
  supply: ['材料已补齐', 'materials supplied'],
  done: ['已完成', 'done'],
  receive: ['确认接收', 'receipt confirmed'],
  collected: ['申请人已领取', 'collected by the applicant'],
  ...resolutionNames,
};

const parallelActions = new Set(['agree', 'agreePending', 'disagree']);

/** Domain events shown as lines, with their words. Those that only echo a decision (ParallelOpinion, Extended...) are not. */
const eventNames: Words = {
  CertificateUsed: ['调取电子证照', 'e-certificate looked up'],
  CorrectionRequested: ['一次性告知补正', 'correction notice sent'],
  ResultIssued: ['出具', 'issued'],
  DeemedAccepted: ['视为受理', 'deemed accepted'],
  ToleranceNotice: ['容缺受理告知', 'tolerance notice sent'],
  ToleranceExpired: ['容缺材料逾期未补', 'tolerance expired'],
  ToleranceRefused: ['不予容缺', 'tolerance refused'],
  MailingProblem: ['寄递异常', 'mailing problem'],
  Faulted: ['异常', 'fault'],
  OpenWorkCancelled: ['撤销其他待办', 'open work cancelled'],
  Migrated: ['迁移至新版本', 'migrated to a new version'],
  PriorityApplied: ['绿色通道优先办理', 'served first (priority register)'],
  HandedOver: ['受理转交', 'handed over to the owner'],
  HandOverSkipped: ['本地受理，无需转交', 'accepted locally'],
  OriginalsPosted: ['纸质原件寄出', 'originals posted'],
  ResultSentToHall: ['结果送受理大厅', 'result sent to the accepting hall'],
};

/** Steps whose outcome is the business fact itself (no task to decide it): 受理, 寄递, 通知, 评价. */
const outcomeSteps: Record<string, Words> = {
  Acceptance: stepActionNames,
  SendByPost: outcomeNames,
  RequestRating: outcomeNames,
  Notify: { Done: ['已发送通知', 'notice sent'] },
};

type Payload = Record<string, unknown>;
const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v : undefined);
const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const shortType = (type: string) => type.slice(type.lastIndexOf('.') + 1);

function decisionLine(d: Payload, lang: Lang): Pick<BusinessLine, 'what' | 'opinion' | 'details'> {
  const action = text(d.action) ?? '';
  const z = lang === 'zh';
  const words = say(decisionNames[action] ? decisionNames : stepActionNames, action, lang);
  const what = parallelActions.has(action) ? `${z ? '并联意见' : 'parallel opinion:'} ${words}` : words;
  const details: string[] = [];
  if (text(d.assignee)) details.push(z ? `转交 ${d.assignee}` : `to ${d.assignee}`);
  if (text(d.returnTo)) details.push(z ? `退回至 ${d.returnTo}` : `back to ${d.returnTo}`);
  const materials = list(d.materials);
  if (materials.length) details.push(`${z ? '材料：' : 'materials: '}${materials.join(z ? '、' : ', ')}`);
  return { what, opinion: text(d.opinion), details };
}

function eventLine(r: JournalRecord, p: Payload, lang: Lang): Pick<BusinessLine, 'what' | 'opinion' | 'details'> | undefined {
  const z = lang === 'zh';
  const sep = z ? '、' : ', ';
  switch (r.eventName) {
    case 'CertificateUsed':
      return { what: `${say(eventNames, r.eventName, lang)} ${text(p.material) ?? ''}`.trim(), details: [say(certificateOutcomeNames, p.outcome, lang)] };
    case 'CorrectionRequested':
      return { what: say(eventNames, r.eventName, lang), details: [`${z ? '材料：' : 'materials: '}${list(p.materials).join(sep)}`] };
    case 'ResultIssued':
      return { what: `${say(eventNames, r.eventName, lang)} ${text(p.name) ?? ''}`.trim(), details: text(p.number) ? [String(p.number)] : [] };
    default:
      if (!eventNames[r.eventName]) return undefined;
      return { what: say(eventNames, r.eventName, lang), opinion: text(r.message) ?? text(p.reason), details: [] };
  }
}

/** The lines of a journal, in its order. `names` maps user names to display names where they are known. */
export function businessLines(records: readonly JournalRecord[], lang: Lang, names: Record<string, string> = {}): BusinessLine[] {
  const lines: BusinessLine[] = [];
  let lastParallel: { activityId: string; line: BusinessLine } | undefined;
  for (const r of records) {
    const p = (r.payload && typeof r.payload === 'object' ? r.payload : {}) as Payload;
    const type = shortType(r.activityType);
    let fact: Pick<BusinessLine, 'what' | 'opinion' | 'details'> | undefined;
    if (r.eventName === 'ParallelOpinion') {
      // The member's answer is the Resumed line just before; this record adds its department. A deemed answer
      // (no one acted within the limit) has no Resumed record and is a line of its own.
      const department = text(p.department);
      if (lastParallel?.activityId === r.activityId && lastParallel.line === lines[lines.length - 1]) {
        if (department) lastParallel.line.details.unshift(department);
        lastParallel = undefined;
        continue;
      }
      const answer = decisionLine({ action: p.decision, opinion: p.reasons }, lang);
      const what = p.deemed !== true ? answer.what : lang === 'zh' ? answer.what.replace(' ', ' 视为') : `${answer.what} (deemed)`;
      fact = { ...answer, what, details: department ? [department] : [] };
    } else if (r.eventName === 'Resumed' && p.decision && typeof p.decision === 'object') fact = decisionLine(p.decision as Payload, lang);
    else if (r.eventName === 'Started' && type === 'Workflow' && lines.length === 0) fact = { what: lang === 'zh' ? '收件' : 'case received', details: [] };
    else if (r.eventName === 'Completed' && outcomeSteps[type]) {
      const outcome = list(p.outcomes)[0];
      if (outcome && outcomeSteps[type][outcome]) fact = { what: say(outcomeSteps[type], outcome, lang), details: [] };
    } else fact = eventLine(r, p, lang);
    if (!fact) continue;
    const system = !r.actor || r.actor === 'system';
    const actor = system ? 'system' : r.actor!;
    const who = Object.hasOwn(handlerNames, actor) || !names[actor] ? actorName(actor, lang) : lang === 'zh' ? `${names[actor]}（${actor}）` : `${names[actor]} (${actor})`;
    const step = r.activityName ?? text(p.step) ?? r.activityId;
    const line: BusinessLine = { sequence: r.sequence, timestamp: r.timestamp, actor: system ? null : r.actor, who, step, ...fact };
    lines.push(line);
    if (r.eventName === 'Resumed' && parallelActions.has(String((p.decision as Payload).action))) lastParallel = { activityId: r.activityId, line };
  }
  return lines;
}

/** A line as one sentence: "王审核（reviewer01）在 初审 通过：材料齐全". The time is shown beside it. */
export function lineSentence(l: BusinessLine, lang: Lang): string {
  const extra = l.details.filter(Boolean);
  if (lang === 'zh') return `${l.who}${l.who.endsWith('）') ? '' : ' '}在 ${l.step} ${l.what}${l.opinion ? `：${l.opinion}` : ''}${extra.length ? `（${extra.join('；')}）` : ''}`;
  return `${l.who} at ${l.step}: ${l.what}${l.opinion ? ` — ${l.opinion}` : ''}${extra.length ? ` (${extra.join('; ')})` : ''}`;
}
