// A definition's versions as policy staff manage them: the list (who and when, open cases), what a publish or a
// retract would change, a comparison of two versions, and the two acts. Kept beside the panels that use them.
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { components } from '../api.gen';
import { client } from '../api';
import { keys } from '../queries';

type Schemas = components['schemas'];
/** GET /api/definitions/{id}/versions items. */
export type DefinitionVersion = Schemas['DefinitionVersionView'];
/** GET /api/definitions/{id}/publish-impact and /retract-impact. */
export type PublishImpact = Schemas['PublishImpact'];
/** GET /api/definitions/{id}/compare. */
export type DefinitionChanges = Schemas['DefinitionChanges'];
export type ElementChange = Schemas['ElementChange'];
export type ItemChange = Schemas['ItemChange'];

export const versionKeys = {
  all: (definitionId: string) => ['definitions', definitionId] as const,
  versions: (definitionId: string) => ['definitions', definitionId, 'versions'] as const,
  impact: (definitionId: string, act: 'publish' | 'retract', version?: number) => ['definitions', definitionId, 'impact', act, version ?? null] as const,
  compare: (definitionId: string, from: number, to: number) => ['definitions', definitionId, 'compare', from, to] as const,
  version: (definitionId: string, version: number) => ['definitions', definitionId, 'export', version] as const,
};

const path = (definitionId: string) => ({ path: { definitionId } });

export const versionQueries = {
  versions: (definitionId: string) =>
    queryOptions({
      queryKey: versionKeys.versions(definitionId),
      queryFn: async ({ signal }) => (await client.GET('/api/definitions/{definitionId}/versions', { params: path(definitionId), signal })).data as DefinitionVersion[],
    }),
  publishImpact: (definitionId: string, version: number) =>
    queryOptions({
      queryKey: versionKeys.impact(definitionId, 'publish', version),
      queryFn: async ({ signal }) =>
        (await client.GET('/api/definitions/{definitionId}/publish-impact', { params: { ...path(definitionId), query: { version } }, signal })).data as PublishImpact,
    }),
  retractImpact: (definitionId: string) =>
    queryOptions({
      queryKey: versionKeys.impact(definitionId, 'retract'),
      queryFn: async ({ signal }) => (await client.GET('/api/definitions/{definitionId}/retract-impact', { params: path(definitionId), signal })).data as PublishImpact,
    }),
  compare: (definitionId: string, from: number, to: number) =>
    queryOptions({
      queryKey: versionKeys.compare(definitionId, from, to),
      queryFn: async ({ signal }) =>
        (await client.GET('/api/definitions/{definitionId}/compare', { params: { ...path(definitionId), query: { from, to } }, signal })).data as DefinitionChanges,
    }),
  /** The whole Elsa definition of one version (to draw its flow). */
  version: (definitionId: string, version: number) =>
    queryOptions({
      queryKey: versionKeys.version(definitionId, version),
      queryFn: async ({ signal }) =>
        (await client.GET('/api/definitions/{definitionId}/export', { params: { ...path(definitionId), query: { version } }, signal })).data as Record<string, unknown>,
      staleTime: Infinity,
    }),
};

/** Publishes or retracts; every view of the definition and the catalog are stale after. */
export function useVersionAct(definitionId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (act: { publish: number } | { retract: true }) => {
      if ('publish' in act)
        await client.POST('/api/definitions/{definitionId}/publish', { params: { ...path(definitionId), query: { version: act.publish } } });
      else await client.POST('/api/definitions/{definitionId}/retract', { params: path(definitionId) });
    },
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: versionKeys.all(definitionId) });
      void qc.invalidateQueries({ queryKey: keys.matters });
    },
  });
}
