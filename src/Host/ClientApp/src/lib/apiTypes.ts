// The host's answers that its OpenAPI document (openapi.json → api.gen.ts) does not describe yet.
//
// UNTIL THE SERVER DOCUMENT DESCRIBES IT: every type here is written by hand from what the host sends today.
// queries.ts takes an answer's type from api.gen.ts as soon as the document describes it (see `Answer`),
// so when the typed document lands this file only shrinks: delete what api.gen.ts now says.
import type { Json } from './api';
import type { Warning } from './format';

/** GET /api/auth/me, POST /api/auth/login. */
export interface User {
  userName: string;
  role: 'policy' | 'window' | 'reviewer' | 'auditor' | 'applicant';
  department?: string | null;
  displayName: string;
}

/** GET /api/matters (the document says "an array" without its items). */
export interface MatterSummary {
  code: string;
  name: string;
  department: string;
  type?: string;
}

/** GET /api/matters/{code}. */
export interface MatterDetail {
  matter: Json;
  definitionId: string;
  version: number;
}

/** One field an action asks for; `choices` is the closed list when there is one. */
export interface TaskField {
  name: 'materials' | 'assignee' | 'returnTo' | (string & {});
  required: boolean;
  label: string;
  choices: string[] | null;
}

/** One action a task offers, as its task contract declares it. */
export interface TaskActionOffer {
  name: string;
  label: string;
  labelEn: string;
  opinion: 'none' | 'optional' | 'required';
  danger: boolean;
  fields: TaskField[];
}

/** GET /api/tasks items. */
export interface TaskRow {
  taskId: string;
  caseId: string;
  caseNumber: string;
  matterCode: string;
  matterName: string;
  applicantName: string;
  stepName: string;
  department: string;
  assignee?: string | null;
  kind: string;
  dueAt?: string | null;
  workingDaysLeft?: number | null;
  warning: Warning;
  status: 'Open' | 'Claimed';
  actions?: TaskActionOffer[];
}

/** GET /api/tasks. */
export interface TaskPage {
  items: TaskRow[];
  hasMore: boolean;
}

/** GET /api/tasks/counts. */
export interface TaskCounts {
  total: number;
  green: number;
  yellow: number;
  red: number;
}

/** GET /api/cases items. */
export interface CaseSummary {
  caseId: string;
  caseNumber: string;
  matterCode: string;
  matterName: string;
  department: string;
  applicantName: string;
  receivedAt: string;
  promisedDue?: string;
  completedAt?: string;
  status: string;
  warning: Warning;
}

/** GET /api/cases. */
export interface CaseList {
  items: CaseSummary[];
  total: number;
}

/** An open task in the case view. */
export interface CaseStep {
  taskId: string;
  stepName: string;
  department: string;
  role: string;
  assignee?: string | null;
  status: string;
  dueAt?: string;
  kind: string;
  activityId?: string;
  payload?: Json;
  actions?: TaskActionOffer[];
}

/** GET /api/cases/{id}. */
export interface CaseView {
  caseId: string;
  caseNumber: string;
  matterCode: string;
  matterName: string;
  department: string;
  status: string;
  warning: Warning;
  applicant: { name: string; idType: string; idNumber: string; phone?: string; address?: string };
  channel: string;
  receivedAt: string;
  acceptedAt?: string;
  promisedDue?: string;
  statutoryDue?: string;
  completedAt?: string;
  currentSteps: CaseStep[];
  positions: { activityId: string; kind: string }[];
  materials?: Json[];
  pauses?: Json[];
  steps?: Json[];
  parallel?: Json;
  tolerance?: Json;
  certificateUses?: Json[];
  waybill?: Json;
  rating?: Json;
  result?: Json;
  corrections?: Json[];
}

/** POST /api/cases (201). */
export interface Receipt {
  caseId: string;
  caseNumber: string;
  status: string;
  promisedDue?: string;
}

/** GET /api/cases/{id}/journal items. */
export interface JournalRecord {
  sequence: number;
  timestamp: string;
  activityId: string;
  activityType: string;
  activityName?: string;
  eventName: string;
  actor?: string;
  message?: string;
  payload?: Json;
  hash: string;
  previousHash: string;
}

/** GET /api/cases/{id}/journal/verify. */
export interface JournalVerification {
  valid: boolean;
  entries: number;
  firstBrokenSequence: number | null;
}

/** GET /api/cases/{id}/replay. */
export interface ReplayState {
  status: string;
  caseFile: Json;
}

/** GET /api/metrics. */
export interface Metrics {
  volumes: { received: number; accepted: number; completed: number; refused: number; notAccepted: number; withdrawn: number; inProgress: number };
  onTimeRate: number;
  earlyCompletionRate: number;
  overdueRate: number;
  overdueOpen: number;
  averageHandlingWorkingDays: number;
  ratings: Record<string, number>;
  satisfactionRate: number;
  ratingCoverage: number;
  badRatingRectificationRate: number;
  byMatter: { matter: string; received: number; completed: number }[];
  byDepartment: { department: string; received: number; completed: number }[];
  byWeek: { week: string; received: number; completed: number }[];
}

/** GET /api/progress. */
export interface Progress {
  caseNumber: string;
  matterName: string;
  department: string;
  status: string;
  receivedAt: string;
  promisedDue?: string;
  completedAt?: string;
  steps: { step: string; action: string; at: string }[];
  waybill?: string;
  rating?: number;
  canRate: boolean;
}

/** GET /api/certificates items. */
export interface Certificate {
  number: string;
  status: string;
  validFrom: string;
  validTo?: string | null;
  [key: string]: unknown;
}

/** POST /api/definitions/import. */
export interface ImportResult {
  definitionId: string;
  version: number;
}
