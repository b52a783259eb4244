// Which field the property panel shows for an activity's input, read from its descriptor (name, type, uiHint, options).
import { outcomeNames, say } from '../format';
import { inputOf, isNumberType, updateActivity, type InputDescriptor, type InputValue, type Json } from './flowModel';

export type FieldKind = 'department' | 'departments' | 'material' | 'step' | 'role' | 'certificateType' | 'options' | 'boolean' | 'number' | 'code' | 'list' | 'multiline' | 'text';

/** What the picker fields offer; the page fills it from /api/designer/lookups and the matter being edited. */
export interface FlowLookups {
  departments?: { name: string }[];
  /** The matter's material names. */
  materials?: string[];
  /** The matter's step names. */
  steps?: string[];
  /** The expression languages offered (CSharp only where the server enables it). */
  expressionSyntaxes?: string[];
  /** The roles a step can be handed to (/api/designer/lookups' roles). */
  roles?: { code: string; name: string }[];
  /** The certificate types of the library (/api/designer/lookups' certificateTypes). */
  certificateTypes?: { code: string; name: string }[];
}

export const defaultSyntaxes = ['Literal', 'JavaScript', 'Liquid'];

/**
 * The field for an input. Inputs named department… (and a parallel approval's members) pick departments, material…
 * inputs the matter's materials, a step name the matter's steps; the rest follow the value's type and the uiHint.
 */
export function fieldKind(input: Pick<InputDescriptor, 'name' | 'typeName' | 'uiHint' | 'options'>): FieldKind {
  const list = input.typeName.endsWith('[]');
  const name = input.name;
  if (/^department/i.test(name) || name === 'members') return list ? 'departments' : 'department';
  if (!list && input.typeName === 'String' && /^material|Material$/.test(name)) return 'material';
  if (!list && input.typeName === 'String' && (name === 'stepName' || name === 'step')) return 'step';
  if (!list && input.typeName === 'String' && name === 'role') return 'role';
  if (!list && input.typeName === 'String' && name === 'certificateType') return 'certificateType';
  if (input.options && input.options.length > 0) return 'options';
  if (input.typeName === 'Boolean' && input.uiHint !== 'code') return 'boolean';
  if (isNumberType(input.typeName)) return 'number';
  if (input.uiHint === 'code' || input.uiHint === 'json' || input.uiHint === 'switch-editor') return 'code';
  if (list) return 'list';
  if (input.uiHint === 'multiline') return 'multiline';
  return 'text';
}

/** The expression type a plain value of this input is written in: lists and JSON as Object (JSON text), others as Literal. */
export function valueSyntax(input: Pick<InputDescriptor, 'typeName' | 'uiHint'>): string {
  return input.typeName.endsWith('[]') || input.uiHint === 'json' || input.uiHint === 'switch-editor' ? 'Object' : 'Literal';
}

/** Is the input given by a script (JavaScript, Liquid, C#) rather than a plain value? */
export const isScript = (syntax: string) => syntax !== 'Literal' && syntax !== 'Object';

/** The stored input's expression type, or the one a new value would get. */
export function syntaxOf(activity: Json, input: Pick<InputDescriptor, 'name' | 'typeName' | 'uiHint' | 'defaultSyntax'>): string {
  const stored = inputOf(activity, input.name)?.expression.type;
  if (stored) return stored;
  return isScript(input.defaultSyntax) ? input.defaultSyntax : valueSyntax(input);
}

/** The input's value as text for a text box or code editor. */
export function textOf(activity: Json, name: string): string {
  const stored = inputOf(activity, name);
  const raw: unknown = stored ? stored.expression.value : activity[name];
  if (raw === undefined || raw === null) return '';
  return typeof raw === 'string' ? raw : JSON.stringify(raw, null, 2);
}

/** The input's value as a list (one department or branch per entry). */
export function listOfInput(activity: Json, name: string): string[] {
  const v = inputOf(activity, name)?.expression.value;
  if (Array.isArray(v)) return v.map(String);
  if (typeof v !== 'string' || !v.trim()) return [];
  try {
    const parsed = JSON.parse(v);
    return Array.isArray(parsed) ? parsed.map(String) : [v];
  } catch {
    return v.split('\n').map((s) => s.trim()).filter(Boolean);
  }
}

/**
 * Sets a list input. The catalog writes lists as an Object expression holding JSON text; a stored literal array stays
 * an array; an emptied list removes the input.
 */
export function setListInput(definition: Json, id: string, input: Pick<InputDescriptor, 'name' | 'typeName'>, values: string[]): Json {
  return updateActivity(definition, id, (a) => {
    const old = inputOf(a, input.name);
    if (values.length === 0 && (!old || !isScript(old.expression.type))) {
      if (!(input.name in a)) return a;
      const rest = { ...a };
      delete rest[input.name];
      return rest;
    }
    const value = Array.isArray(old?.expression.value) ? values : JSON.stringify(values);
    const next: InputValue = old
      ? { ...old, expression: { ...old.expression, type: isScript(old.expression.type) ? 'Object' : old.expression.type, value } }
      : { typeName: input.typeName, expression: { type: 'Object', value } };
    return { ...a, [input.name]: next };
  });
}

/** How the syntax selector names an expression type. */
export function syntaxLabel(syntax: string, t: (zh: string, en: string) => string): string {
  switch (syntax) {
    case 'Literal':
    case 'Object':
      return t('值', 'Value');
    case 'CSharp':
      return 'C#';
    default:
      return syntax;
  }
}

const portNames: Record<string, [string, string]> = { Done: ['完成', 'Done'], Default: ['其他情况', 'Otherwise'], True: ['是', 'Yes'], False: ['否', 'No'], NeedsCorrection: ['需补正', 'Needs correction'] };

/** An outcome port in the hall's words (a switch case or fork branch is its own label). */
export function outcomeLabel(outcome: string, lang: 'zh' | 'en'): string {
  const own = portNames[outcome];
  return own ? own[lang === 'zh' ? 0 : 1] : say(outcomeNames, outcome, lang);
}

/** One case of a FlowSwitch: its label (the outcome port) and the condition that chooses it. */
export interface SwitchCase {
  label: string;
  condition: { type: string; value: string };
}

const asObject = (v: unknown): Json | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined);

/** A FlowSwitch's cases, read from either shape the engine accepts (a plain list, or an Object expression holding JSON). */
export function switchCasesOf(activity: Json): SwitchCase[] {
  let raw: unknown = activity.cases;
  const wrapper = asObject(raw);
  const expression = asObject(wrapper?.expression);
  if (expression) {
    try {
      raw = typeof expression.value === 'string' ? JSON.parse(expression.value) : expression.value;
    } catch {
      return [];
    }
  }
  if (!Array.isArray(raw)) return [];
  return raw.map((c) => {
    const o = asObject(c) ?? {};
    const condition = asObject(o.condition);
    // A condition may itself be in Elsa's input wrapper ({typeName, expression}).
    const e = asObject(condition?.expression) ?? condition;
    return { label: String(o.label ?? ''), condition: { type: String(e?.type ?? 'JavaScript'), value: e?.value === undefined || e.value === null ? '' : String(e.value) } };
  });
}

/** Writes a FlowSwitch's cases in the shape it had (a plain list for a new switch, as Elsa 3 exports it). */
export function setSwitchCases(definition: Json, id: string, cases: SwitchCase[]): Json {
  return updateActivity(definition, id, (a) => {
    const wrapper = asObject(a.cases);
    const expression = asObject(wrapper?.expression);
    if (wrapper && expression)
      return { ...a, cases: { ...wrapper, expression: { ...expression, value: typeof expression.value === 'string' ? JSON.stringify(cases) : cases } } };
    return { ...a, cases };
  });
}
