// The host's answers as the UI names them: every type here is the OpenAPI document's (api.gen.ts), never written by hand.
// Free JSON the document leaves open (a replay's case file, journal and bookmark payloads) is read by caseFile.ts.
import type { components } from './api.gen';

type Schemas = components['schemas'];

/** GET /api/auth/me, POST /api/auth/login. */
export type User = Schemas['UserView'];
/** One action a task offers, as its task contract declares it. */
export type TaskActionOffer = Schemas['OfferedAction'];
/** One field an action asks for; `choices` is the closed list when there is one. */
export type TaskField = Schemas['OfferedField'];
/** GET /api/tasks items. */
export type TaskRow = Schemas['TaskView'];
/** GET /api/cases items. */
export type CaseSummary = Schemas['CaseSummary'];
/** GET /api/cases/{id}. */
export type CaseView = Schemas['CaseView'];
/** An open task in the case view. */
export type CurrentStep = Schemas['CurrentStep'];
/** GET /api/cases/{id}/journal items. */
export type JournalRecord = Schemas['JournalRecordView'];
/** The applicant's contact data, masked in every view and whole after an audited reveal. */
export type CaseApplicant = Schemas['CaseApplicant'];
/** A logged reveal of an applicant's personal data. */
export type Reveal = Schemas['RevealView'];
/** GET /api/metrics. */
export type Metrics = Schemas['MetricsView'];
/** POST /api/definitions/import. */
export type DefinitionDraft = Schemas['DefinitionDraft'];
/** GET /api/incidents items, and a case view's incidents: a faulted step (异常). */
export type Incident = Schemas['IncidentView'];
/** A matter's application material. */
export type Material = Schemas['Material'];

// ---- the case file's parts (the case view's and, read by caseFile.ts, a replay's) ----

export type CaseFileStep = Schemas['CaseStep'];
export type CaseMaterial = Schemas['CaseMaterial'];
export type Pause = Schemas['Pause'];
export type CorrectionNotice = Schemas['CorrectionNotice'];
export type ParallelRecord = Schemas['ParallelRecord'];
export type ParallelDecision = Schemas['ParallelDecision'];
export type WaybillRecord = Schemas['WaybillRecord'];
export type RatingRecord = Schemas['RatingRecord'];
export type RectificationStage = Schemas['RectificationStage'];
/** GET /api/definitions/{id}/migration cases: an open case on another version, and what the new one lacks of where it is. */
export type MigrationCandidate = Schemas['MigrationCandidate'];
/** GET /api/proactive/invitations items: one 免申即享 SMS invitation and what became of it. */
export type Invitation = Schemas['InvitationView'];
/** GET /api/supervision/red-cards items: a case past its promised date, undecided (红牌). */
export type RedCard = Schemas['RedCardView'];
/** GET /api/admin/departments items. */
export type Department = Schemas['DepartmentView'];
/** GET /api/admin/users items. */
export type AdminUser = Schemas['AdminUserView'];
/** GET /api/admin/changes items: one journaled change to people or departments. */
export type AdminChange = Schemas['AdminChangeView'];
/** GET /api/supervision/step-overruns items: a step past its own limit, whatever its case's light. */
export type StepOverrun = Schemas['StepOverrunView'];
