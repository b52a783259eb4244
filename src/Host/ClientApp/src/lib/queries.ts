// Server state for every page: the query keys (in one place), the typed calls behind them, and the mutations with
// what each one makes stale. Paths, parameters and bodies are typed by api.gen.ts (generated from openapi.json);
// so is every answer's type.
import { QueryClient, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { paths } from './api.gen';
import { ApiError, client } from './api';
import type { User } from './model';

// ---- types read from the document ----

type Op<P extends keyof paths, M extends keyof paths[P]> = paths[P][M];
type OkJson<R> = R extends { 200: { content: { 'application/json': infer J } } }
  ? J
  : R extends { 201: { content: { 'application/json': infer J } } }
    ? J
    : unknown;
type Documented<P extends keyof paths, M extends keyof paths[P]> = Op<P, M> extends { responses: infer R } ? OkJson<R> : unknown;
/** The answer's type, as the document describes it. */
export type Answer<P extends keyof paths, M extends keyof paths[P]> = Documented<P, M>;
/** The query parameters of an operation, as the document declares them. */
export type QueryOf<P extends keyof paths, M extends keyof paths[P]> = Op<P, M> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;
/** The JSON body of an operation, as the document declares it. */
export type BodyOf<P extends keyof paths, M extends keyof paths[P]> = Op<P, M> extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

export type TaskFilters = QueryOf<'/api/tasks', 'get'>;
export type TaskCountFilters = QueryOf<'/api/tasks/counts', 'get'>;
export type CaseFilters = QueryOf<'/api/cases', 'get'>;
export type CaseExportFilters = QueryOf<'/api/cases/export', 'get'>;
export type MetricsRange = QueryOf<'/api/metrics', 'get'>;
export type ProgressLookup = BodyOf<'/api/progress', 'post'>;
export type CertificateLookup = QueryOf<'/api/certificates', 'get'>;
export type CompleteBody = BodyOf<'/api/tasks/{id}/complete', 'post'>;
export type CaseSubmission = BodyOf<'/api/cases', 'post'>;
export type LoginBody = BodyOf<'/api/auth/login', 'post'>;
export type PublicRating = BodyOf<'/api/progress/rating', 'post'>;
export type Reassignment = BodyOf<'/api/tasks/{id}/reassign', 'post'>;
export type MigrationRequest = BodyOf<'/api/definitions/{definitionId}/migration', 'post'>;
export type PasswordChange = BodyOf<'/api/auth/password', 'post'>;
export type DepartmentInput = BodyOf<'/api/admin/departments', 'post'>;
export type UserInput = BodyOf<'/api/admin/users', 'post'>;
/** Open (waiting for a retry; the host's default) or Resolved. */
export type HolidayNotice = BodyOf<'/api/calendar/years', 'post'>;
export type IncidentStatus = QueryOf<'/api/incidents', 'get'>['status'];

// ---- query keys: every key the app caches under, so invalidation names the same thing ----

export const keys = {
  me: ['me'] as const,
  demoUsers: ['demoUsers'] as const,
  matters: ['matters'] as const,
  people: ['people', 'names'] as const,
  matter: (code: string) => ['matters', code] as const,
  flow: (code: string) => ['matters', code, 'flow'] as const,
  tasks: ['tasks'] as const,
  taskList: (f: TaskFilters) => ['tasks', 'list', f] as const,
  taskCounts: (f: TaskCountFilters) => ['tasks', 'counts', f] as const,
  cases: ['cases'] as const,
  caseList: (f: CaseFilters) => ['cases', 'list', f] as const,
  case: (id: string) => ['cases', 'one', id] as const,
  journal: (id: string) => ['cases', 'one', id, 'journal'] as const,
  verify: (id: string) => ['cases', 'one', id, 'verify'] as const,
  replay: (id: string, upTo: number) => ['cases', 'one', id, 'replay', upTo] as const,
  metrics: (r: MetricsRange) => ['metrics', r] as const,
  progress: (p: ProgressLookup) => ['progress', p] as const,
  incidents: ['incidents'] as const,
  migration: (definitionId: string) => ['definitions', definitionId, 'migration'] as const,
  definitions: ['definitions'] as const,
  activities: ['activities'] as const,
  designerLookups: ['designer', 'lookups'] as const,
  redCards: ['supervision', 'red-cards'] as const,
  stepOverruns: ['supervision', 'step-overruns'] as const,
  invitations: (status: string) => ['proactive', 'invitations', status] as const,
  admin: ['admin'] as const,
  departments: ['admin', 'departments'] as const,
  users: ['admin', 'users'] as const,
  adminChanges: ['admin', 'changes'] as const,
  roles: ['admin', 'roles'] as const,
  incidentList: (status: IncidentStatus) => ['incidents', 'list', status ?? 'Open'] as const,
  calendarYear: (year: number) => ['calendar', year] as const,
};

// ---- the calls (the middleware in api.ts throws an ApiError for anything but 2xx, so data is the answer) ----

type Signal = AbortSignal | undefined;

/** The answer of a call, typed as the document describes it. */
const answer = <T>(r: { data?: unknown }) => r.data as T;

export const api = {
  calendarYear: async (year: number, signal?: Signal) =>
    answer<Answer<'/api/calendar/years/{year}', 'get'>>(await client.GET('/api/calendar/years/{year}', { params: { path: { year } }, signal })),
  loadNotice: async (body: HolidayNotice) => answer<Answer<'/api/calendar/years', 'post'>>(await client.POST('/api/calendar/years', { body })),
  me: async (signal?: Signal) => {
    try {
      return answer<Answer<'/api/auth/me', 'get'>>(await client.GET('/api/auth/me', { signal }));
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return null;
      throw e;
    }
  },
  login: async (body: LoginBody) => answer<Answer<'/api/auth/login', 'post'>>(await client.POST('/api/auth/login', { body })),
  logout: async () => {
    await client.POST('/api/auth/logout');
  },
  demoUsers: async (signal?: Signal) => (await client.GET('/api/demo/users', { signal })).data!,
  matters: async (signal?: Signal) => answer<Answer<'/api/matters', 'get'>>(await client.GET('/api/matters', { signal })),
  acceptableMatters: async (signal?: Signal) => answer<Answer<'/api/matters/acceptable', 'get'>>(await client.GET('/api/matters/acceptable', { signal })),
  matter: async (code: string, signal?: Signal) =>
    answer<Answer<'/api/matters/{code}', 'get'>>(await client.GET('/api/matters/{code}', { params: { path: { code } }, signal })),
  flow: async (code: string, signal?: Signal) =>
    answer<Answer<'/api/matters/{code}/flow', 'get'>>(await client.GET('/api/matters/{code}/flow', { params: { path: { code } }, signal })),
  tasks: async (query: TaskFilters, signal?: Signal) =>
    answer<Answer<'/api/tasks', 'get'>>(await client.GET('/api/tasks', { params: { query }, signal })),
  taskCounts: async (query: TaskCountFilters, signal?: Signal) =>
    answer<Answer<'/api/tasks/counts', 'get'>>(await client.GET('/api/tasks/counts', { params: { query }, signal })),
  claim: async (id: string) => {
    await client.POST('/api/tasks/{id}/claim', { params: { path: { id } } });
  },
  complete: async (id: string, body: CompleteBody) => {
    await client.POST('/api/tasks/{id}/complete', { params: { path: { id } }, body });
  },
  unclaim: async (id: string) =>
    answer<Answer<'/api/tasks/{id}/unclaim', 'post'>>(await client.POST('/api/tasks/{id}/unclaim', { params: { path: { id } } })),
  reassign: async (id: string, body: Reassignment) =>
    answer<Answer<'/api/tasks/{id}/reassign', 'post'>>(await client.POST('/api/tasks/{id}/reassign', { params: { path: { id } }, body })),
  incidents: async (status: IncidentStatus, signal?: Signal) =>
    answer<Answer<'/api/incidents', 'get'>>(await client.GET('/api/incidents', { params: { query: { status } }, signal })),
  retryIncident: async (id: string) =>
    answer<Answer<'/api/incidents/{id}/retry', 'post'>>(await client.POST('/api/incidents/{id}/retry', { params: { path: { id } } })),
  people: async (signal?: Signal) => answer<Answer<'/api/people/names', 'get'>>(await client.GET('/api/people/names', { signal })),
  /** The filtered case list as a CSV file (the host masks personal data and authorises it like the list). */
  exportCases: async (query: CaseExportFilters) =>
    (await client.GET('/api/cases/export', { params: { query }, parseAs: 'blob' })).data as unknown as Blob,
  cases: async (query: CaseFilters, signal?: Signal) =>
    answer<Answer<'/api/cases', 'get'>>(await client.GET('/api/cases', { params: { query }, signal })),
  case: async (id: string, signal?: Signal) =>
    answer<Answer<'/api/cases/{id}', 'get'>>(await client.GET('/api/cases/{id}', { params: { path: { id } }, signal })),
  submitCase: async (body: CaseSubmission, idempotencyKey: string) =>
    answer<Answer<'/api/cases', 'post'>>(await client.POST('/api/cases', { body, headers: { 'Idempotency-Key': idempotencyKey } })),
  journal: async (id: string, signal?: Signal) =>
    answer<Answer<'/api/cases/{id}/journal', 'get'>>(await client.GET('/api/cases/{id}/journal', { params: { path: { id } }, signal })),
  verify: async (id: string, signal?: Signal) =>
    answer<Answer<'/api/cases/{id}/journal/verify', 'get'>>(await client.GET('/api/cases/{id}/journal/verify', { params: { path: { id } }, signal })),
  revealApplicant: async (id: string, reason: string) =>
    answer<Answer<'/api/cases/{id}/applicant/reveal', 'post'>>(await client.POST('/api/cases/{id}/applicant/reveal', { params: { path: { id } }, body: { reason } })),
  reveals: async (id: string, signal?: Signal) =>
    answer<Answer<'/api/cases/{id}/reveals', 'get'>>(await client.GET('/api/cases/{id}/reveals', { params: { path: { id } }, signal })),
  exportJournal: async (id: string) =>
    answer<Answer<'/api/cases/{id}/journal/export', 'get'>>(await client.GET('/api/cases/{id}/journal/export', { params: { path: { id } } })),
  publicKey: async () =>
    answer<Answer<'/api/journal/public-key', 'get'>>(await client.GET('/api/journal/public-key')),
  replay: async (id: string, upTo: number, signal?: Signal) =>
    answer<Answer<'/api/cases/{id}/replay', 'get'>>(await client.GET('/api/cases/{id}/replay', { params: { path: { id }, query: { upTo } }, signal })),
  metrics: async (query: MetricsRange, signal?: Signal) =>
    answer<Answer<'/api/metrics', 'get'>>(await client.GET('/api/metrics', { params: { query }, signal })),
  progress: async (query: ProgressLookup, signal?: Signal) =>
    answer<Answer<'/api/progress', 'post'>>(await client.POST('/api/progress', { body: query, signal })),
  rateProgress: async (body: PublicRating) => {
    await client.POST('/api/progress/rating', { body });
  },
  certificates: async (query: CertificateLookup, signal?: Signal) =>
    answer<Answer<'/api/certificates', 'get'>>(await client.GET('/api/certificates', { params: { query }, signal })),
  // The document does not declare import's body (a raw Elsa JSON file): sent as it is.
  importDefinition: async (fileText: string) =>
    answer<Answer<'/api/definitions/import', 'post'>>(await client.POST('/api/definitions/import', { body: fileText as never, bodySerializer: (b: unknown) => b as string, headers: { 'Content-Type': 'application/json' } })),
  publish: async (definitionId: string, version: number) => {
    await client.POST('/api/definitions/{definitionId}/publish', { params: { path: { definitionId }, query: { version } } });
  },
  migrationPreview: async (definitionId: string, signal?: Signal) =>
    answer<Answer<'/api/definitions/{definitionId}/migration', 'get'>>(await client.GET('/api/definitions/{definitionId}/migration', { params: { path: { definitionId } }, signal })),
  migrate: async (definitionId: string, body: MigrationRequest) =>
    answer<Answer<'/api/definitions/{definitionId}/migration', 'post'>>(await client.POST('/api/definitions/{definitionId}/migration', { params: { path: { definitionId } }, body })),
  activities: async (signal?: Signal) => answer<Answer<'/api/activities', 'get'>>(await client.GET('/api/activities', { signal })),
  definitions: async (signal?: Signal) => answer<Answer<'/api/definitions', 'get'>>(await client.GET('/api/definitions', { signal })),
  designerLookups: async (signal?: Signal) => answer<Answer<'/api/designer/lookups', 'get'>>(await client.GET('/api/designer/lookups', { signal })),
  // The designer sends the whole definition as it holds it; the host reads it raw, as an import.
  validateDefinition: async (definitionText: string, signal?: Signal) =>
    answer<Answer<'/api/definitions/validate', 'post'>>(await client.POST('/api/definitions/validate', { body: definitionText as never, bodySerializer: (b: unknown) => b as string, headers: { 'Content-Type': 'application/json' }, signal })),
  saveDraft: async (definition: unknown) =>
    answer<Answer<'/api/definitions/drafts', 'post'>>(await client.POST('/api/definitions/drafts', { body: JSON.stringify(definition) as never, bodySerializer: (b: unknown) => b as string, headers: { 'Content-Type': 'application/json' } })),
  redCards: async (signal?: Signal) => answer<Answer<'/api/supervision/red-cards', 'get'>>(await client.GET('/api/supervision/red-cards', { signal })),
  stepOverruns: async (signal?: Signal) => answer<Answer<'/api/supervision/step-overruns', 'get'>>(await client.GET('/api/supervision/step-overruns', { signal })),
  invitations: async (status: string, signal?: Signal) =>
    answer<Answer<'/api/proactive/invitations', 'get'>>(await client.GET('/api/proactive/invitations', { params: { query: { status: status || undefined } }, signal })),
  changePassword: async (body: PasswordChange) => answer<Answer<'/api/auth/password', 'post'>>(await client.POST('/api/auth/password', { body })),
  departments: async (signal?: Signal) => answer<Answer<'/api/admin/departments', 'get'>>(await client.GET('/api/admin/departments', { signal })),
  createDepartment: async (body: DepartmentInput) => answer<Answer<'/api/admin/departments', 'post'>>(await client.POST('/api/admin/departments', { body })),
  updateDepartment: async (id: string, body: DepartmentInput) =>
    answer<Answer<'/api/admin/departments/{id}', 'put'>>(await client.PUT('/api/admin/departments/{id}', { params: { path: { id } }, body })),
  users: async (signal?: Signal) => answer<Answer<'/api/admin/users', 'get'>>(await client.GET('/api/admin/users', { signal })),
  createUser: async (body: UserInput) => answer<Answer<'/api/admin/users', 'post'>>(await client.POST('/api/admin/users', { body })),
  updateUser: async (userName: string, body: UserInput) =>
    answer<Answer<'/api/admin/users/{userName}', 'put'>>(await client.PUT('/api/admin/users/{userName}', { params: { path: { userName } }, body })),
  resetPassword: async (userName: string) =>
    answer<Answer<'/api/admin/users/{userName}/reset-password', 'post'>>(await client.POST('/api/admin/users/{userName}/reset-password', { params: { path: { userName } } })),
  adminChanges: async (signal?: Signal) => answer<Answer<'/api/admin/changes', 'get'>>(await client.GET('/api/admin/changes', { signal })),
  roles: async (signal?: Signal) => answer<Answer<'/api/admin/roles', 'get'>>(await client.GET('/api/admin/roles', { signal })),
};

// ---- queries (the AbortSignal TanStack Query gives is passed through, so leaving a page cancels its requests) ----

export const queries = {
  me: () => queryOptions({ queryKey: keys.me, queryFn: ({ signal }) => api.me(signal), staleTime: Infinity }),
  demoUsers: () => queryOptions({ queryKey: keys.demoUsers, queryFn: ({ signal }) => api.demoUsers(signal), staleTime: Infinity, retry: false }),
  people: () => queryOptions({ queryKey: keys.people, queryFn: ({ signal }) => api.people(signal), staleTime: 10 * 60_000 }),
  matters: () => queryOptions({ queryKey: keys.matters, queryFn: ({ signal }) => api.matters(signal), staleTime: 5 * 60_000 }),
  acceptableMatters: () => queryOptions({ queryKey: [...keys.matters, 'acceptable'], queryFn: ({ signal }) => api.acceptableMatters(signal), staleTime: 5 * 60_000 }),
  matter: (code: string) => queryOptions({ queryKey: keys.matter(code), queryFn: ({ signal }) => api.matter(code, signal), staleTime: 5 * 60_000 }),
  flow: (code: string) => queryOptions({ queryKey: keys.flow(code), queryFn: ({ signal }) => api.flow(code, signal), staleTime: 5 * 60_000 }),
  tasks: (f: TaskFilters) => queryOptions({ queryKey: keys.taskList(f), queryFn: ({ signal }) => api.tasks(f, signal) }),
  taskCounts: (f: TaskCountFilters) => queryOptions({ queryKey: keys.taskCounts(f), queryFn: ({ signal }) => api.taskCounts(f, signal) }),
  cases: (f: CaseFilters) => queryOptions({ queryKey: keys.caseList(f), queryFn: ({ signal }) => api.cases(f, signal) }),
  case: (id: string) => queryOptions({ queryKey: keys.case(id), queryFn: ({ signal }) => api.case(id, signal) }),
  journal: (id: string) => queryOptions({ queryKey: keys.journal(id), queryFn: ({ signal }) => api.journal(id, signal) }),
  reveals: (id: string) => queryOptions({ queryKey: [...keys.journal(id), 'reveals'] as const, queryFn: ({ signal }) => api.reveals(id, signal) }),
  verify: (id: string) => queryOptions({ queryKey: keys.verify(id), queryFn: ({ signal }) => api.verify(id, signal) }),
  // A state in the past does not change.
  replay: (id: string, upTo: number) => queryOptions({ queryKey: keys.replay(id, upTo), queryFn: ({ signal }) => api.replay(id, upTo, signal), staleTime: Infinity }),
  metrics: (r: MetricsRange) => queryOptions({ queryKey: keys.metrics(r), queryFn: ({ signal }) => api.metrics(r, signal) }),
  migration: (definitionId: string) => queryOptions({ queryKey: keys.migration(definitionId), queryFn: ({ signal }) => api.migrationPreview(definitionId, signal) }),
  activities: () => queryOptions({ queryKey: keys.activities, queryFn: ({ signal }) => api.activities(signal), staleTime: Infinity }),
  definitions: () => queryOptions({ queryKey: keys.definitions, queryFn: ({ signal }) => api.definitions(signal) }),
  designerLookups: () => queryOptions({ queryKey: keys.designerLookups, queryFn: ({ signal }) => api.designerLookups(signal), staleTime: 5 * 60_000 }),
  redCards: () => queryOptions({ queryKey: keys.redCards, queryFn: ({ signal }) => api.redCards(signal) }),
  stepOverruns: () => queryOptions({ queryKey: keys.stepOverruns, queryFn: ({ signal }) => api.stepOverruns(signal) }),
  invitations: (status: string) => queryOptions({ queryKey: keys.invitations(status), queryFn: ({ signal }) => api.invitations(status, signal) }),
  departments: () => queryOptions({ queryKey: keys.departments, queryFn: ({ signal }) => api.departments(signal) }),
  users: () => queryOptions({ queryKey: keys.users, queryFn: ({ signal }) => api.users(signal) }),
  adminChanges: () => queryOptions({ queryKey: keys.adminChanges, queryFn: ({ signal }) => api.adminChanges(signal) }),
  roles: () => queryOptions({ queryKey: keys.roles, queryFn: ({ signal }) => api.roles(signal), staleTime: Infinity }),
  calendarYear: (year: number) => queryOptions({ queryKey: keys.calendarYear(year), queryFn: ({ signal }) => api.calendarYear(year, signal) }),
  incidents: (status: IncidentStatus) => queryOptions({ queryKey: keys.incidentList(status), queryFn: ({ signal }) => api.incidents(status, signal) }),
  progress: (p: ProgressLookup) => queryOptions({ queryKey: keys.progress(p), queryFn: ({ signal }) => api.progress(p, signal), retry: false }),
};

/** The app's cache: no retry of a 4xx (the answer will not change), no refetch behind a clerk's back on focus. */
export function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        refetchOnWindowFocus: false,
        retry: (failures, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 2,
      },
      mutations: { retry: false },
    },
  });
}

// ---- mutations, each with what it makes stale ----

/** Someone else (or no one) is signed in now: drop everything cached for the previous user, keep the "me" query observed. */
export function startSession(qc: QueryClient, user: User | null) {
  qc.removeQueries({ predicate: (q) => q.queryKey[0] !== keys.me[0] });
  qc.setQueryData(keys.me, user);
}

/** Signing in or out starts from an empty cache, so no user sees what the previous one loaded. */
export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: api.login,
    onSuccess: (user) => startSession(qc, user),
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: api.logout,
    onSettled: () => startSession(qc, null),
  });
}

export interface TaskRef {
  taskId: string;
  caseId: string;
}

/** Claims several tasks; each may fail alone (someone claimed it first). The inbox and those cases are stale after. */
export function useClaimTasks() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (tasks: TaskRef[]) => {
      const results = await Promise.allSettled(tasks.map((t) => api.claim(t.taskId)));
      return results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
    },
    onSettled: (_failed, _error, tasks) => invalidateTasks(qc, tasks),
  });
}

/** Completes a task (claiming it first when nobody has). Done, it leaves the inbox and changes its case. */
export function useCompleteTask() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ task, claim, body }: { task: TaskRef; claim: boolean; body: CompleteBody }) => {
      if (claim) await api.claim(task.taskId);
      await api.complete(task.taskId, body);
    },
    // On failure the panel keeps its words and the page its data until the clerk reloads (refreshTask).
    onSuccess: (_data, { task }) => invalidateTasks(qc, [task]),
  });
}

/** Gives a claimed task back to its department's inbox: the holder's own, or a head's release of anyone's. */
export function useUnclaimTask() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (task: TaskRef) => api.unclaim(task.taskId),
    onSuccess: (_data, task) => invalidateTasks(qc, [task]),
  });
}

/** A head hands a task to another handler of its department and role. */
export function useReassignTask() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ task, assignee }: { task: TaskRef; assignee: string }) => api.reassign(task.taskId, { assignee }),
    onSuccess: (_data, { task }) => invalidateTasks(qc, [task]),
  });
}

export interface IncidentRef {
  incidentId: string;
  caseId: string;
}

/**
 * Runs a faulted step again. Done, the incident lists and its case are stale; so they are after a 409 (the step
 * faulted again, or someone retried it first), since the incident changed either way.
 */
export function useRetryIncident() {
  const qc = useQueryClient();
  // The retried step moved the case on: its tasks, the inbox and the case lists are stale too.
  const stale = (ref: IncidentRef) => {
    void qc.invalidateQueries({ queryKey: keys.incidents });
    invalidateTasks(qc, [ref]);
  };
  return useMutation({
    mutationFn: (ref: IncidentRef) => api.retryIncident(ref.incidentId),
    onSuccess: (_data, ref) => stale(ref),
    onError: (error, ref) => {
      if (error instanceof ApiError && error.isConflict) stale(ref);
    },
  });
}

export function invalidateTasks(qc: QueryClient, tasks: Pick<TaskRef, 'caseId'>[]) {
  void qc.invalidateQueries({ queryKey: keys.tasks });
  void qc.invalidateQueries({ queryKey: ['cases', 'list'] });
  for (const caseId of new Set(tasks.map((t) => t.caseId))) void qc.invalidateQueries({ queryKey: keys.case(caseId) });
}

export function useRateProgress() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: api.rateProgress,
    onSuccess: () => qc.invalidateQueries({ queryKey: ['progress'] }),
  });
}

export function useImportDefinition() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: api.importDefinition, onSuccess: () => qc.invalidateQueries({ queryKey: keys.matters }) });
}

export function usePublishDefinition() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ definitionId, version }: { definitionId: string; version: number }) => api.publish(definitionId, version),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.matters }),
  });
}

/** Moves open cases of a definition to its published version; the preview and every case list are stale after. */
export function useMigrateCases() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ definitionId, caseIds }: { definitionId: string; caseIds: string[] | null }) => api.migrate(definitionId, { to: null, caseIds }),
    onSettled: (_data, _error, { definitionId }) => {
      void qc.invalidateQueries({ queryKey: keys.migration(definitionId) });
      void qc.invalidateQueries({ queryKey: ['cases'] });
    },
  });
}

/** Changes the signed-in user's password; the session goes on with the answer (no longer bound to change it). */
export function useChangePassword() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: api.changePassword, onSuccess: (user) => qc.setQueryData(keys.me, user) });
}

/** Any administrator's change: every admin list (and its change log) is stale after it. */
export function useAdminChange<A, R>(call: (args: A) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: call, onSuccess: () => qc.invalidateQueries({ queryKey: keys.admin }) });
}
/** Loads a year's holiday notice; the year's days and every open case's dates may change. */
export function useLoadNotice() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: api.loadNotice,
    onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: ['calendar'] }), qc.invalidateQueries({ queryKey: keys.cases }), qc.invalidateQueries({ queryKey: keys.tasks })]),
  });
}
