// Undo and redo for the flow designer. The page holds the whole definition, which the matter form edits too; the
// designer's history keeps only the parts it edits (the flowchart, the variables, inputs and outputs), so undoing a
// flow edit never undoes a change made to the matter meanwhile.
import type { Json } from './flowModel';

/** The keys of the definition the flow designer edits. */
export const flowKeys = ['root', 'variables', 'inputs', 'outputs'] as const;

/** The flow parts of a definition at one moment; a key the definition did not have is absent here too. */
export type FlowSnapshot = Partial<Record<(typeof flowKeys)[number], unknown>>;

export interface FlowHistory {
  past: FlowSnapshot[];
  future: FlowSnapshot[];
}

export const emptyHistory: FlowHistory = { past: [], future: [] };

/** How many steps back undo reaches. */
export const historyLimit = 100;

export function snapshot(definition: Json): FlowSnapshot {
  const s: FlowSnapshot = {};
  for (const k of flowKeys) if (k in definition) s[k] = definition[k];
  return s;
}

/** The definition with its flow parts as they were in the snapshot and everything else as it is now. */
export function restore(definition: Json, s: FlowSnapshot): Json {
  const next: Json = { ...definition };
  for (const k of flowKeys) {
    if (k in s) next[k] = s[k];
    else delete next[k];
  }
  return next;
}

/** Records the definition as it was before an edit; a new edit ends what redo could bring back. */
export function record(history: FlowHistory, before: Json): FlowHistory {
  return { past: [...history.past, snapshot(before)].slice(-historyLimit), future: [] };
}

/** One step back: the definition to show and the history after it, or nothing when there is nothing to undo. */
export function undo(history: FlowHistory, current: Json): { history: FlowHistory; definition: Json } | undefined {
  const last = history.past[history.past.length - 1];
  if (!last) return undefined;
  return { history: { past: history.past.slice(0, -1), future: [snapshot(current), ...history.future] }, definition: restore(current, last) };
}

/** One step forward again after an undo. */
export function redo(history: FlowHistory, current: Json): { history: FlowHistory; definition: Json } | undefined {
  const next = history.future[0];
  if (!next) return undefined;
  return { history: { past: [...history.past, snapshot(current)], future: history.future.slice(1) }, definition: restore(current, next) };
}
