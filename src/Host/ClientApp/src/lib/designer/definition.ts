// The designer's one object is the whole Elsa definition; these are the few things done to it as a whole, and the
// types every part of the designer shares.
import type { components } from '../api.gen';

/** A JSON object as the definition file has it. */
export type Json = Record<string, unknown>;

export const matterProperty = 'govflow:matter';

/** A problem the host's validator found (POST /api/definitions/validate): at a matter field, at a flow node, or elsewhere. */
export type Problem = components['schemas']['DefinitionProblem'];

const object = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

/** The matter stored in a definition (an empty one when it has none yet). */
export const matterOf = (definition: Json): Json => object(object(definition.customProperties)[matterProperty]);

/** The definition with its matter replaced; every other custom property stays. */
export const withMatter = (definition: Json, matter: Json): Json => ({
  ...definition,
  customProperties: { ...((definition.customProperties as Json | undefined) ?? {}), [matterProperty]: matter },
});

/** A new definition: the host's blank matter and an empty flowchart to draw on. */
export function blankDefinition(blankMatter: Json): Json {
  return {
    name: '',
    version: 1,
    variables: [],
    inputs: [],
    outputs: [],
    outcomes: [],
    customProperties: { [matterProperty]: blankMatter },
    root: { type: 'Elsa.Flowchart', version: 1, id: 'flowchart1', activities: [], connections: [] },
  };
}

/**
 * A new matter from a published one: everything but its identity (ids, version, publication, code) is kept, so the
 * copy is a new definition; the name says it is a copy until policy staff rename it.
 */
export function copyOf(source: Json): Json {
  const { id: _id, definitionId: _definitionId, version: _version, isLatest: _latest, isPublished: _published, ...rest } = source;
  const matter = matterOf(source);
  const { implementationCode: _implementationCode, ...kept } = matter;
  const name = `${String(matter.name ?? source.name ?? '')}（副本）`;
  return withMatter({ ...rest, name, version: 1 }, { ...kept, code: '', name });
}

/** Problems split by where the designer shows them: at a matter field, in the flow (a node or the flowchart), or above both. */
export function problemsBy(problems: Problem[]) {
  const inFlow = (p: Problem) => !p.field && (!!p.activityId || p.path.startsWith('$.root'));
  return {
    matter: problems.filter((p) => p.field),
    flow: problems.filter(inFlow),
    other: problems.filter((p) => !p.field && !inFlow(p)),
  };
}
