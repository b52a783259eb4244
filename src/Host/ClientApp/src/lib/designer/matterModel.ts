// The matter editor's view of a matter: the JSON object stored in a definition's customProperties['govflow:matter'],
// read and changed by path so that properties the editor does not know are kept as they are.
import type { components } from '../api.gen';

type Schemas = components['schemas'];

/** A matter as stored (camelCase ServiceMatter). */
export type ServiceMatter = Schemas['ServiceMatter'];
import type { Problem } from './definition';

export type { Problem } from './definition';
/** GET /api/designer/lookups. */
export type DesignerLookups = Schemas['DesignerLookups'];
/** A name a condition may read. */
export type CaseField = Schemas['CaseField'];

/** A path into the matter: property names and list indexes. */
export type MatterPath = readonly (string | number)[];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value at a path, or undefined. */
export function getIn(value: unknown, path: MatterPath): unknown {
  let at = value;
  for (const key of path) {
    if (typeof key === 'number') at = Array.isArray(at) ? at[key] : undefined;
    else at = isObject(at) ? at[key] : undefined;
  }
  return at;
}

/**
 * A copy with the value at a path replaced (undefined removes the property), copying only the objects on the path:
 * everything else is the same object as before, so unknown properties survive and React sees what changed.
 */
export function setIn<T>(value: T, path: MatterPath, next: unknown): T {
  if (path.length === 0) return next as T;
  const [key, ...rest] = path;
  if (typeof key === 'number') {
    const list = Array.isArray(value) ? [...value] : [];
    list[key] = setIn(list[key], rest, next);
    return list as T;
  }
  const obj: Record<string, unknown> = isObject(value) ? { ...value } : {};
  const inner = setIn(obj[key], rest, next);
  if (inner === undefined) delete obj[key];
  else obj[key] = inner;
  return obj as T;
}

/** The list at a path with one item moved by an offset (−1 up, +1 down); unchanged at the ends. */
export function moveItem<T>(list: readonly T[], index: number, by: number): T[] {
  const to = index + by;
  if (to < 0 || to >= list.length) return [...list];
  const copy = [...list];
  const [item] = copy.splice(index, 1);
  copy.splice(to, 0, item);
  return copy;
}

/** The validator's field name of a path: `materials[2].condition`. */
export const fieldOf = (path: MatterPath) =>
  path.reduce<string>((s, key) => (typeof key === 'number' ? `${s}[${key}]` : s ? `${s}.${key}` : key), '');

/** The data-testid key of a field: dots and [i] become dashes (`materials-2-condition`). */
export const testKey = (field: string) => field.replace(/\[(\d+)\]/g, '.$1').replace(/\./g, '-');

/** Problems by the field they are at (those at a flow node only are left out). */
export function problemsByField(problems: readonly Problem[]) {
  const map = new Map<string, Problem[]>();
  for (const p of problems) {
    if (!p.field) continue;
    map.set(p.field, [...(map.get(p.field) ?? []), p]);
  }
  return map;
}

/** Inserts a text at the caret of a text area's value (or at its end), returning the new value and caret. */
export function insertAt(value: string, text: string, start?: number | null, end?: number | null) {
  const from = start ?? value.length;
  const to = end ?? from;
  return { value: value.slice(0, from) + text + value.slice(to), caret: from + text.length };
}

type Say = (zh: string, en: string) => string;

/**
 * The choices of the matter's coded elements the catalog code tables do not cover, in the hall's words: the editor
 * offers them and the catalog's guide names them with the same words.
 */
export const matterChoices = (t: Say) => ({
  crossRegionScope: [
    { value: 'nationwide', label: t('全国通办', 'nationwide') }, { value: 'cross-province', label: t('跨省通办', 'cross-province') },
    { value: 'cross-city', label: t('省内跨市通办', 'cross-city') }, { value: 'district', label: t('市内跨区通办', 'cross-district') },
  ],
  acceptanceKind: [
    { value: 'district', label: t('仅实施主体所在区', 'the owner’s district') }, { value: 'city', label: t('实施主体所在市任一大厅', 'any hall in the owner’s city') },
    { value: 'province', label: t('实施主体所在省任一大厅', 'any hall in the owner’s province') }, { value: 'regions', label: t('指定地区的大厅', 'halls in listed regions') },
    { value: 'nationwide', label: t('全国任一大厅', 'any hall nationwide') },
  ],
  resultType: [{ value: 'certificate', label: t('证照', 'certificate') }, { value: 'approval', label: t('批文', 'approval') }, { value: 'proof', label: t('证明', 'proof') }, { value: 'other', label: t('其他', 'other') }],
  materialForm: [{ value: 'paper', label: t('纸质', 'paper') }, { value: 'electronic', label: t('电子', 'electronic') }, { value: 'both', label: t('纸质或电子', 'either') }],
  materialSource: [{ value: 'applicant', label: t('申请人自备', 'applicant') }, { value: 'government', label: t('政府部门核发', 'government') }, { value: 'certificateLibrary', label: t('电子证照库', 'certificate library') }, { value: 'onlineForm', label: t('网上填报', 'online form') }],
});

/** The label of a choice, or the stored value when it is not one of them. */
export const choiceLabel = (choices: readonly { value: string; label: string }[], value: string | null | undefined) =>
  value == null ? undefined : choices.find((c) => c.value === value)?.label ?? value;
