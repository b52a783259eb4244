// The flow designer's edits of an Elsa 3 workflow definition, as pure functions. Each returns a new definition that
// shares every object it did not change with the one it was given (spread + change), so what the designer does not
// understand — Studio's metadata, unknown properties, unknown activity types — comes back exactly as it was read.
import type { components } from '../api.gen';

import type { Json } from './definition';

export type { Json, Problem } from './definition';
export type ActivityDescriptor = components['schemas']['ActivityTypeView'];
export type InputDescriptor = components['schemas']['InputDescriptor'];

/** An input's value as Elsa writes it: the value's type and the expression that gives it. */
export interface InputValue {
  typeName: string;
  expression: { type: string; value: unknown };
}

export interface Position {
  x: number;
  y: number;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The root flowchart (an empty one when the definition has none yet). */
export function rootOf(definition: Json): Json {
  return isObject(definition.root) ? definition.root : { type: 'Elsa.Flowchart', id: 'flowchart', activities: [], connections: [] };
}

export const activitiesOf = (definition: Json): Json[] => (rootOf(definition).activities as Json[] | undefined) ?? [];
export const connectionsOf = (definition: Json): Json[] => (rootOf(definition).connections as Json[] | undefined) ?? [];
export const activityById = (definition: Json, id: string): Json | undefined => activitiesOf(definition).find((a) => a.id === id);

function withRoot(definition: Json, change: (root: Json) => Json): Json {
  return { ...definition, root: change(rootOf(definition)) };
}

function withActivities(definition: Json, activities: Json[], connections?: Json[]): Json {
  return withRoot(definition, (root) => ({ ...root, activities, ...(connections ? { connections } : {}) }));
}

/** Changes one activity; the definition is returned as it was when there is no such activity. */
export function updateActivity(definition: Json, id: string, change: (activity: Json) => Json): Json {
  const activities = activitiesOf(definition);
  const i = activities.findIndex((a) => a.id === id);
  if (i < 0) return definition;
  const next = [...activities];
  next[i] = change(activities[i]);
  return withActivities(definition, next);
}

// ---- Positions

/** Where the designer put an activity (Elsa Studio's metadata.designer.position). */
export function positionOf(activity: Json): Position | undefined {
  const p = ((activity.metadata as Json | undefined)?.designer as Json | undefined)?.position as Json | undefined;
  return p && typeof p.x === 'number' && typeof p.y === 'number' ? { x: p.x, y: p.y } : undefined;
}

function withPosition(activity: Json, position: Position): Json {
  const metadata = isObject(activity.metadata) ? activity.metadata : {};
  const designer = isObject(metadata.designer) ? metadata.designer : {};
  const old = isObject(designer.position) ? designer.position : {};
  return { ...activity, metadata: { ...metadata, designer: { ...designer, position: { ...old, x: position.x, y: position.y } } } };
}

/** Moves activities; an activity already at its position is left untouched (the same object). */
export function moveActivities(definition: Json, positions: Record<string, Position>): Json {
  let changed = false;
  const activities = activitiesOf(definition).map((a) => {
    const to = positions[String(a.id)];
    const at = positionOf(a);
    if (!to || (at && at.x === to.x && at.y === to.y)) return a;
    changed = true;
    return withPosition(a, { x: Math.round(to.x), y: Math.round(to.y) });
  });
  return changed ? withActivities(definition, activities) : definition;
}

// ---- Inputs

/** An input's stored value, when it has Elsa's {typeName, expression} shape. */
export function inputOf(activity: Json, name: string): InputValue | undefined {
  const v = activity[name];
  if (!isObject(v) || !isObject(v.expression)) return undefined;
  return v as unknown as InputValue;
}

const numberTypes = new Set(['Int32', 'Int64', 'Double', 'Decimal', 'Single']);
export const isNumberType = (typeName: string) => numberTypes.has(typeName);

/** A literal as the catalog writes it: numbers and booleans as JSON numbers and booleans, everything else as text. */
export function literalValue(typeName: string, text: string | null | undefined): unknown {
  if (text === null || text === undefined) return undefined;
  if (isNumberType(typeName)) {
    const n = Number(text);
    return text.trim() !== '' && Number.isFinite(n) ? n : text;
  }
  if (typeName === 'Boolean') return text === 'true' ? true : text === 'false' ? false : text;
  return text;
}

/** A new activity's input as Elsa's catalog writes it: `{typeName, expression: {type: 'Literal', value}}`. */
export function literalInput(typeName: string, value: unknown): InputValue {
  return { typeName, expression: { type: 'Literal', value } };
}

/** Replaces an input's stored value as a whole. */
export function setInput(definition: Json, id: string, name: string, value: InputValue): Json {
  return updateActivity(definition, id, (a) => ({ ...a, [name]: value }));
}

/** Sets an input's value, keeping its expression type and anything else the stored input carries. */
export function setInputValue(definition: Json, id: string, input: Pick<InputDescriptor, 'name' | 'typeName' | 'defaultSyntax'>, value: unknown): Json {
  return updateActivity(definition, id, (a) => {
    const old = inputOf(a, input.name);
    if (value === undefined || value === '') {
      // An emptied literal is no input at all (as a new activity has none); a script keeps its syntax.
      if (!old || old.expression.type === 'Literal') {
        if (!(input.name in a)) return a;
        const rest = { ...a };
        delete rest[input.name];
        return rest;
      }
    }
    const next: InputValue = old
      ? { ...old, expression: { ...old.expression, value } }
      : { typeName: input.typeName, expression: { type: input.defaultSyntax || 'Literal', value } };
    return { ...a, [input.name]: next };
  });
}

/**
 * Changes an input's expression type. The text is kept (a literal becomes the script's first draft); going back to a
 * literal turns numeric text into a number for number inputs, as the catalog writes literals.
 */
export function setInputSyntax(definition: Json, id: string, input: Pick<InputDescriptor, 'name' | 'typeName'>, syntax: string): Json {
  return updateActivity(definition, id, (a) => {
    const old = inputOf(a, input.name);
    if (old?.expression.type === syntax) return a;
    const text = old?.expression.value === undefined || old.expression.value === null ? '' : typeof old.expression.value === 'string' ? old.expression.value : JSON.stringify(old.expression.value);
    const value = syntax === 'Literal' ? literalValue(input.typeName, text) ?? '' : text;
    const base: InputValue = old ?? { typeName: input.typeName, expression: { type: syntax, value } };
    return { ...a, [input.name]: { ...base, expression: { ...base.expression, type: syntax, value } } };
  });
}

/** Renames an activity (its `name`, which the journal and the diagram show). */
export function setActivityName(definition: Json, id: string, name: string): Json {
  return updateActivity(definition, id, (a) => ({ ...a, name }));
}

/** Sets the text Studio shows on the node (metadata.displayText). */
export function setDisplayText(definition: Json, id: string, text: string): Json {
  return updateActivity(definition, id, (a) => {
    const metadata = isObject(a.metadata) ? a.metadata : {};
    if (text) return { ...a, metadata: { ...metadata, displayText: text } };
    const rest = { ...metadata };
    delete rest.displayText;
    return { ...a, metadata: rest };
  });
}

// ---- Outcomes

/** A string list input (FlowFork's branches): Elsa writes it as an Object expression holding JSON text, or a literal array. */
export function stringList(input: InputValue | undefined): string[] {
  const v = input?.expression.value;
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string') {
    try {
      const parsed = JSON.parse(v);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      return v.split(/[,，\n]/).map((s) => s.trim()).filter(Boolean);
    }
  }
  return [];
}

/** FlowSwitch's case labels (the cases are a list of {label, condition}, possibly wrapped as an Object expression). */
function switchCases(activity: Json): string[] {
  let raw: unknown = activity.cases;
  if (isObject(raw) && isObject(raw.expression) && typeof raw.expression.value === 'string') {
    try {
      raw = JSON.parse(raw.expression.value);
    } catch {
      return [];
    }
  } else if (isObject(raw) && isObject(raw.expression)) raw = raw.expression.value;
  return Array.isArray(raw) ? raw.filter(isObject).map((c) => String(c.label ?? '')).filter(Boolean) : [];
}

/**
 * The outcome ports of an activity: its descriptor's, except FlowSwitch (one per case, then Default) and FlowFork
 * (one per branch) whose ports come from the node's own configuration. Ports the flow already connects from are kept
 * even where the descriptor does not name them (an unknown type, or a case renamed since), so no connection is hidden.
 */
export function outcomesOf(activity: Json, descriptor: ActivityDescriptor | undefined, connections: Json[] = []): string[] {
  let ports: string[];
  if (activity.type === 'Elsa.FlowSwitch') ports = [...switchCases(activity), 'Default'];
  else if (activity.type === 'Elsa.FlowFork') ports = stringList(inputOf(activity, 'branches'));
  else ports = descriptor ? [...descriptor.outcomes] : [];
  for (const c of connections) {
    const source = c.source as Json | undefined;
    if (source && source.activity === activity.id) {
      const port = String(source.port ?? 'Done');
      if (!ports.includes(port)) ports.push(port);
    }
  }
  return ports;
}

// ---- Adding, connecting, removing

/** An id no activity of the flow has: the type's short name in camelCase with the first free number. */
export function uniqueId(type: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const short = type.replace(/^.*\./, '');
  const base = short.charAt(0).toLowerCase() + short.slice(1) || 'activity';
  for (let i = 1; ; i++) if (!used.has(`${base}${i}`)) return `${base}${i}`;
}

/** A new activity of a descriptor's type: named by its display name, its inputs with defaults filled in. */
export function newActivity(descriptor: ActivityDescriptor, id: string, position: Position): Json {
  const name = descriptor.displayNameZh || descriptor.displayName;
  const activity: Json = {
    type: descriptor.typeName,
    version: descriptor.version,
    id,
    name,
    customProperties: {},
    metadata: { designer: { position: { x: Math.round(position.x), y: Math.round(position.y) } }, displayText: name },
  };
  for (const input of descriptor.inputs) {
    if (input.defaultValue === null || input.defaultValue === undefined) continue;
    activity[input.name] = literalInput(input.typeName, literalValue(input.typeName, input.defaultValue));
  }
  return activity;
}

/** Adds an activity of the descriptor's type at a position; returns the definition and the new id. */
export function addActivity(definition: Json, descriptor: ActivityDescriptor, position: Position): { definition: Json; id: string } {
  const activities = activitiesOf(definition);
  const id = uniqueId(descriptor.typeName, activities.map((a) => String(a.id)));
  return { definition: withActivities(definition, [...activities, newActivity(descriptor, id, position)], connectionsOf(definition)), id };
}

const connectionKey = (c: Json) => {
  const s = (c.source ?? {}) as Json;
  const t = (c.target ?? {}) as Json;
  return `${String(s.activity)}:${String(s.port ?? 'Done')}->${String(t.activity)}`;
};
export { connectionKey };

/** Connects an outcome port to an activity's input, in Elsa's shape; connecting what is already connected changes nothing. */
export function connect(definition: Json, source: string, port: string, target: string): Json {
  const connections = connectionsOf(definition);
  const connection = { source: { activity: source, port }, target: { activity: target, port: 'In' } };
  if (connections.some((c) => connectionKey(c) === connectionKey(connection))) return definition;
  return withRoot(definition, (root) => ({ ...root, connections: [...connections, connection] }));
}

/** Removes the connections with these keys (see `connectionKey`). */
export function removeConnections(definition: Json, keys: Iterable<string>): Json {
  const gone = new Set(keys);
  const connections = connectionsOf(definition);
  const kept = connections.filter((c) => !gone.has(connectionKey(c)));
  return kept.length === connections.length ? definition : withRoot(definition, (root) => ({ ...root, connections: kept }));
}

/** Removes activities and every connection from or to them. */
export function removeActivities(definition: Json, ids: Iterable<string>): Json {
  const gone = new Set(ids);
  if (gone.size === 0) return definition;
  const touches = (c: Json) => gone.has(String((c.source as Json | undefined)?.activity)) || gone.has(String((c.target as Json | undefined)?.activity));
  return withActivities(
    definition,
    activitiesOf(definition).filter((a) => !gone.has(String(a.id))),
    connectionsOf(definition).filter((c) => !touches(c)),
  );
}

// ---- Copy and paste

/** What copying takes: the activities and the connections between them. */
export interface Clipboard {
  activities: Json[];
  connections: Json[];
}

export function copyActivities(definition: Json, ids: Iterable<string>): Clipboard {
  const chosen = new Set(ids);
  return {
    activities: activitiesOf(definition).filter((a) => chosen.has(String(a.id))),
    connections: connectionsOf(definition).filter(
      (c) => chosen.has(String((c.source as Json | undefined)?.activity)) && chosen.has(String((c.target as Json | undefined)?.activity)),
    ),
  };
}

/** Pastes copies with new ids, moved by `offset`, their connections between each other kept; returns the new ids. */
export function pasteActivities(definition: Json, clipboard: Clipboard, offset: Position = { x: 40, y: 40 }): { definition: Json; ids: string[] } {
  const activities = activitiesOf(definition);
  const taken = activities.map((a) => String(a.id));
  const ids = new Map<string, string>();
  const copies = clipboard.activities.map((a) => {
    const id = uniqueId(String(a.type), taken);
    taken.push(id);
    ids.set(String(a.id), id);
    const at = positionOf(a) ?? { x: 0, y: 0 };
    // A deep copy: the pasted activity must not share objects that a later edit of the original would change.
    return withPosition({ ...structuredClone(a), id }, { x: at.x + offset.x, y: at.y + offset.y });
  });
  const links = clipboard.connections.map((c) => {
    const s = c.source as Json;
    const t = c.target as Json;
    return { ...structuredClone(c), source: { ...s, activity: ids.get(String(s.activity)) }, target: { ...t, activity: ids.get(String(t.activity)) } };
  });
  return { definition: withActivities(definition, [...activities, ...copies], [...connectionsOf(definition), ...links]), ids: [...ids.values()] };
}

// ---- Workflow variables, inputs and outputs

export type DefinitionListKey = 'variables' | 'inputs' | 'outputs';

export const listOf = (definition: Json, key: DefinitionListKey): Json[] => (Array.isArray(definition[key]) ? (definition[key] as Json[]) : []);

/** A new entry of a definition list, in the shape Elsa 3 exports it. */
export function newListEntry(key: DefinitionListKey, taken: Json[]): Json {
  const names = new Set(taken.map((e) => String(e.name)));
  const base = key === 'variables' ? 'variable' : key === 'inputs' ? 'input' : 'output';
  let i = 1;
  while (names.has(`${base}${i}`)) i++;
  const name = `${base}${i}`;
  if (key === 'variables') return { id: `${name}-${Date.now().toString(36)}`, name, typeName: 'String', isArray: false, value: null };
  return { type: 'String', name, displayName: name, isArray: false };
}

export function setListEntry(definition: Json, key: DefinitionListKey, index: number, entry: Json | undefined): Json {
  const list = [...listOf(definition, key)];
  if (entry) list[index] = entry;
  else list.splice(index, 1);
  return { ...definition, [key]: list };
}

export function addListEntry(definition: Json, key: DefinitionListKey): Json {
  const list = listOf(definition, key);
  return { ...definition, [key]: [...list, newListEntry(key, list)] };
}
