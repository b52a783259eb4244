import { describe, expect, it } from 'vitest';
import { catalogDefinition as catalog } from './catalog';
import { editorNodeSize, unplaceable } from '../lib/designer/FlowEditor';
import { fieldKind, listOfInput, outcomeLabel, setListInput, setSwitchCases, switchCasesOf, syntaxOf, textOf } from '../lib/designer/flowFields';
import { emptyHistory, record, redo, undo } from '../lib/designer/flowHistory';
import {
  activitiesOf, activityById, addActivity, addListEntry, connect, connectionKey, connectionsOf, copyActivities, moveActivities, outcomesOf,
  pasteActivities, positionOf, removeActivities, removeConnections, setActivityName, setDisplayText, setInputSyntax, setInputValue,
  type ActivityDescriptor, type Json,
} from '../lib/designer/flowModel';


const input = (name: string, typeName: string, more: Partial<ActivityDescriptor['inputs'][number]> = {}) => ({
  name, typeName, displayName: name, displayNameZh: null, description: null, uiHint: 'singleline', options: null, defaultValue: null, required: false, defaultSyntax: 'Literal', ...more,
});
export const reviewTask: ActivityDescriptor = {
  typeName: 'GovFlow.ReviewTask', version: 1, category: '政务服务', displayName: 'Review task', displayNameZh: '审查审批', description: null, kind: 'Task',
  isTrigger: false, isContainer: false, outcomes: ['Approved', 'Rejected', 'Returned'],
  inputs: [input('stepName', 'String', { required: true }), input('department', 'String', { required: true }), input('role', 'String', { defaultValue: 'reviewer' }), input('limitWorkingDays', 'Int32')],
  outputs: [],
};
const limit = reviewTask.inputs[3];

describe('a catalog definition in the designer', () => {
  it('comes back deep-equal when nothing is edited, and moving an activity to where it is changes nothing', async () => {
    const original = await catalog('44030501004-entertainment-venue.json');
    const opened = structuredClone(original);
    const positions = Object.fromEntries(activitiesOf(opened).map((a) => [String(a.id), positionOf(a)!]));
    const emitted = moveActivities(opened, positions);
    expect(emitted).toBe(opened);
    expect(JSON.parse(JSON.stringify(emitted))).toEqual(original);
  });

  it('changes only the edited input when one input is edited', async () => {
    const original = await catalog('44030501004-entertainment-venue.json');
    const review = activitiesOf(original).find((a) => a.type === 'GovFlow.ReviewTask')!;
    const id = String(review.id);
    const edited = setInputValue(original, id, limit, 9);
    // Put the old value back at that one path: the rest must be what it was.
    const back = structuredClone(edited) as Json;
    const i = activitiesOf(original).indexOf(review);
    ((back.root as Json).activities as Json[])[i].limitWorkingDays = review.limitWorkingDays;
    expect(back).toEqual(original);
    expect(activityById(edited, id)!.limitWorkingDays).toEqual({ typeName: 'Int32', expression: { type: 'Literal', value: 9 } });
    // Objects that were not on the path are the very same objects.
    expect(activitiesOf(edited).filter((a) => a.id !== id)).toEqual(activitiesOf(original).filter((a) => a.id !== id));
    expect(connectionsOf(edited)).toBe(connectionsOf(original));
    expect(edited.customProperties).toBe(original.customProperties);
  });

  it('keeps unknown activity types and unknown properties through edits elsewhere', () => {
    const def: Json = {
      studio: { zoom: 2 },
      root: {
        type: 'Elsa.Flowchart', activities: [
          { id: 'x', type: 'Acme.Widget', gadget: [1, 2], metadata: { designer: { position: { x: 1, y: 2 }, size: { width: 9 } } } },
          { id: 'r', type: 'GovFlow.ReviewTask', extra: true },
        ], connections: [{ source: { activity: 'x', port: 'Beep' }, target: { activity: 'r', port: 'In' }, vertices: [{ x: 1, y: 1 }] }],
      },
    };
    const moved = moveActivities(def, { x: { x: 5, y: 6 } });
    expect(activityById(moved, 'x')).toEqual({ id: 'x', type: 'Acme.Widget', gadget: [1, 2], metadata: { designer: { position: { x: 5, y: 6 }, size: { width: 9 } } } });
    const named = setActivityName(moved, 'r', '初审');
    expect(activityById(named, 'r')).toEqual({ id: 'r', type: 'GovFlow.ReviewTask', extra: true, name: '初审' });
    expect(named.studio).toBe(def.studio);
    expect(connectionsOf(named)[0]).toBe(connectionsOf(def)[0]);
    expect(outcomesOf(activityById(def, 'x')!, undefined, connectionsOf(def))).toEqual(['Beep']);
  });
});

describe('designer edits', () => {
  const empty: Json = { name: '新事项', root: { type: 'Elsa.Flowchart', id: 'flowchart', activities: [], connections: [] } };

  it('add an activity named by its display name, with a unique id and its inputs with defaults as the catalog writes them', () => {
    const one = addActivity(empty, reviewTask, { x: 10.4, y: 20 });
    const two = addActivity(one.definition, reviewTask, { x: 0, y: 0 });
    expect([one.id, two.id]).toEqual(['reviewTask1', 'reviewTask2']);
    expect(activityById(one.definition, one.id)).toEqual({
      type: 'GovFlow.ReviewTask', version: 1, id: 'reviewTask1', name: '审查审批', customProperties: {},
      metadata: { designer: { position: { x: 10, y: 20 } }, displayText: '审查审批' },
      role: { typeName: 'String', expression: { type: 'Literal', value: 'reviewer' } },
    });
    expect(one.definition.name).toBe('新事项');
  });

  it('connect an outcome port to an input in Elsa shape, once', () => {
    let def = addActivity(empty, reviewTask, { x: 0, y: 0 }).definition;
    def = addActivity(def, reviewTask, { x: 0, y: 100 }).definition;
    def = connect(def, 'reviewTask1', 'Approved', 'reviewTask2');
    expect(connect(def, 'reviewTask1', 'Approved', 'reviewTask2')).toBe(def);
    expect(connectionsOf(def)).toEqual([{ source: { activity: 'reviewTask1', port: 'Approved' }, target: { activity: 'reviewTask2', port: 'In' } }]);
    expect(removeConnections(def, ['reviewTask1:Approved->reviewTask2'])).toEqual({ ...def, root: { ...(def.root as Json), connections: [] } });
    const gone = removeActivities(def, ['reviewTask2']);
    expect(activitiesOf(gone).map((a) => a.id)).toEqual(['reviewTask1']);
    expect(connectionsOf(gone)).toEqual([]);
  });

  it('paste copies with new ids, their connections between each other, moved a little', () => {
    let def = addActivity(empty, reviewTask, { x: 0, y: 0 }).definition;
    def = addActivity(def, reviewTask, { x: 0, y: 100 }).definition;
    def = connect(def, 'reviewTask1', 'Approved', 'reviewTask2');
    const pasted = pasteActivities(def, copyActivities(def, ['reviewTask1', 'reviewTask2']));
    expect(pasted.ids).toEqual(['reviewTask3', 'reviewTask4']);
    expect(positionOf(activityById(pasted.definition, 'reviewTask4')!)).toEqual({ x: 40, y: 140 });
    expect(connectionsOf(pasted.definition).map(connectionKey)).toEqual(['reviewTask1:Approved->reviewTask2', 'reviewTask3:Approved->reviewTask4']);
  });

  it('switch an input between a value and a script, keeping its text', () => {
    let def = addActivity(empty, reviewTask, { x: 0, y: 0 }).definition;
    def = setInputValue(def, 'reviewTask1', limit, 5);
    def = setInputSyntax(def, 'reviewTask1', limit, 'JavaScript');
    expect(activityById(def, 'reviewTask1')!.limitWorkingDays).toEqual({ typeName: 'Int32', expression: { type: 'JavaScript', value: '5' } });
    def = setInputValue(def, 'reviewTask1', limit, 'getVariable("days")');
    expect(syntaxOf(activityById(def, 'reviewTask1')!, limit)).toBe('JavaScript');
    def = setInputSyntax(setInputValue(def, 'reviewTask1', limit, '7'), 'reviewTask1', limit, 'Literal');
    expect(activityById(def, 'reviewTask1')!.limitWorkingDays).toEqual({ typeName: 'Int32', expression: { type: 'Literal', value: 7 } });
    expect('limitWorkingDays' in activityById(setInputValue(def, 'reviewTask1', limit, undefined), 'reviewTask1')!).toBe(false);
  });

  it('set the display text in the metadata, beside the designer position', () => {
    const def = setDisplayText(addActivity(empty, reviewTask, { x: 3, y: 4 }).definition, 'reviewTask1', '初审');
    expect(activityById(def, 'reviewTask1')!.metadata).toEqual({ designer: { position: { x: 3, y: 4 } }, displayText: '初审' });
  });

  it('add workflow variables in Elsa shape with free names', () => {
    const def = addListEntry(addListEntry(empty, 'variables'), 'variables');
    expect((def.variables as Json[]).map((v) => [v.name, v.typeName])).toEqual([['variable1', 'String'], ['variable2', 'String']]);
    expect((addListEntry(empty, 'inputs').inputs as Json[])[0]).toEqual({ type: 'String', name: 'input1', displayName: 'input1', isArray: false });
  });
});

describe('outcome ports', () => {
  it("come from the descriptor, a switch's cases and a fork's branches", () => {
    expect(outcomesOf({ id: 'r', type: 'GovFlow.ReviewTask' }, reviewTask)).toEqual(['Approved', 'Rejected', 'Returned']);
    const fork = { id: 'f', type: 'Elsa.FlowFork', branches: { typeName: 'String[]', expression: { type: 'Object', value: '["计生证明", "户籍"]' } } };
    expect(outcomesOf(fork, undefined)).toEqual(['计生证明', '户籍']);
    const cases = { typeName: 'Object', expression: { type: 'Object', value: '[{"label":"成年","condition":{"type":"JavaScript","value":"age>=18"}}]' } };
    expect(outcomesOf({ id: 's', type: 'Elsa.FlowSwitch', cases }, undefined)).toEqual(['成年', 'Default']);
    expect(outcomesOf({ id: 's', type: 'Elsa.FlowSwitch', cases: [{ label: 'A' }] }, undefined)).toEqual(['A', 'Default']);
  });

  it('are named in the hall\'s words, a case or branch by its own label', () => {
    expect(['Approved', 'Done', 'Default', 'True', '计生证明'].map((o) => outcomeLabel(o, 'zh'))).toEqual(['通过', '完成', '其他情况', '是', '计生证明']);
  });

  it('tell a flow that cannot be drawn where it stands: a box on another, or one without a position', () => {
    const box = (x: number, y: number) => ({ stored: { x, y }, width: 100, height: 50 });
    expect(unplaceable([box(0, 0), box(120, 0), box(0, 60)])).toBe(false);
    expect(unplaceable([box(0, 0), box(90, 40)])).toBe(true);
    expect(unplaceable([box(0, 0), { width: 100, height: 50 }])).toBe(true);
    expect(unplaceable([])).toBe(false);
  });

  it('size the node so each port has room', () => {
    expect(editorNodeSize({ label: '出证' }, 4).width).toBe(4 * 68);
    expect(editorNodeSize({ label: '出证' }, 1).width).toBe(140);
  });
});

describe('fields', () => {
  it('pick departments, materials and steps by name, and follow the type otherwise', () => {
    expect(fieldKind(input('department', 'String'))).toBe('department');
    expect(fieldKind(input('members', 'String[]'))).toBe('departments');
    expect(fieldKind(input('material', 'String'))).toBe('material');
    expect(fieldKind(input('stepName', 'String'))).toBe('step');
    expect(fieldKind(input('step', 'Int32'))).toBe('number');
    expect(fieldKind(input('deemedAgreeOnTimeout', 'Boolean'))).toBe('boolean');
    expect(fieldKind(input('decision', 'String', { options: ['approved', 'refused'] }))).toBe('options');
    expect(fieldKind(input('condition', 'Boolean', { uiHint: 'code' }))).toBe('code');
    expect(fieldKind(input('branches', 'String[]'))).toBe('list');
    expect(fieldKind(input('message', 'String'))).toBe('text');
    expect(fieldKind(input('role', 'String'))).toBe('role');
    expect(fieldKind(input('certificateType', 'String'))).toBe('certificateType');
  });

  it('write a list as the catalog does (Object expression holding JSON text)', () => {
    const def: Json = { root: { activities: [{ id: 'p', type: 'GovFlow.ParallelApproval' }], connections: [] } };
    const members = input('members', 'String[]');
    const set = setListInput(def, 'p', members, ['公安', '消防']);
    expect(activityById(set, 'p')!.members).toEqual({ typeName: 'String[]', expression: { type: 'Object', value: '["公安","消防"]' } });
    expect(listOfInput(activityById(set, 'p')!, 'members')).toEqual(['公安', '消防']);
    expect(textOf(activityById(set, 'p')!, 'members')).toBe('["公安","消防"]');
  });
});

describe('undo history', () => {
  it('undoes and redoes flow edits without touching the matter edited meanwhile', () => {
    const before: Json = { customProperties: { m: 1 }, root: { activities: [] }, variables: [] };
    const after: Json = { ...before, root: { activities: [{ id: 'a' }] } };
    let h = record(emptyHistory, before);
    const matterChanged = { ...after, customProperties: { m: 2 } };
    const back = undo(h, matterChanged)!;
    expect(back.definition).toEqual({ customProperties: { m: 2 }, root: { activities: [] }, variables: [] });
    h = back.history;
    expect(redo(h, back.definition)!.definition).toEqual(matterChanged);
    expect(undo(emptyHistory, before)).toBeUndefined();
  });
});

describe('a switch', () => {
  it('reads and writes its cases in the shape they had, and its ports follow them', () => {
    const plain: Json = { root: { activities: [{ id: 's', type: 'Elsa.FlowSwitch', cases: [{ label: '成年', condition: { type: 'JavaScript', value: 'age >= 18' } }] }], connections: [] } };
    expect(switchCasesOf(activityById(plain, 's')!)).toEqual([{ label: '成年', condition: { type: 'JavaScript', value: 'age >= 18' } }]);
    const two = setSwitchCases(plain, 's', [...switchCasesOf(activityById(plain, 's')!), { label: '老年', condition: { type: 'JavaScript', value: 'age >= 60' } }]);
    expect(Array.isArray(activityById(two, 's')!.cases)).toBe(true);
    expect(outcomesOf(activityById(two, 's')!, undefined)).toEqual(['成年', '老年', 'Default']);

    const wrapped: Json = { root: { activities: [{ id: 's', type: 'Elsa.FlowSwitch', cases: { typeName: 'Object', expression: { type: 'Object', value: '[{"label":"A","condition":{"typeName":"Boolean","expression":{"type":"Literal","value":"true"}}}]' } } }], connections: [] } };
    expect(switchCasesOf(activityById(wrapped, 's')!)).toEqual([{ label: 'A', condition: { type: 'Literal', value: 'true' } }]);
    const renamed = setSwitchCases(wrapped, 's', [{ label: 'B', condition: { type: 'Literal', value: 'true' } }]);
    expect((activityById(renamed, 's')!.cases as { expression: { value: string } }).expression.value).toBe('[{"label":"B","condition":{"type":"Literal","value":"true"}}]');
  });
});
