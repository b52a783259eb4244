import { act, cleanup, configure, fireEvent, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { FlowEditor, paletteMime } from '../lib/designer/FlowEditor';
import { activityById, connectionsOf, positionOf, type ActivityDescriptor, type Json, type Problem } from '../lib/designer/flowModel';
import { catalogDefinition } from './catalog';
import { renderApp } from './render';

const input = (name: string, typeName: string, more: Partial<ActivityDescriptor['inputs'][number]> = {}) => ({
  name, typeName, displayName: name, displayNameZh: null, description: null, uiHint: 'singleline', options: null, defaultValue: null, required: false, defaultSyntax: 'Literal', ...more,
});
const descriptor = (typeName: string, category: string, displayNameZh: string, outcomes: string[], inputs: ActivityDescriptor['inputs'] = []): ActivityDescriptor => ({
  typeName, version: 1, category, displayName: typeName.replace(/^.*\./, ''), displayNameZh, description: null, kind: 'Action', isTrigger: false, isContainer: false, outcomes, inputs, outputs: [],
});
const descriptors: ActivityDescriptor[] = [
  descriptor('Elsa.Start', 'Flow', '开始', ['Done']),
  descriptor('Elsa.End', 'Flow', '结束', []),
  descriptor('GovFlow.ReviewTask', '政务服务', '审查审批', ['Approved', 'Rejected', 'Returned'], [
    input('stepName', 'String', { displayNameZh: '环节名称', required: true }),
    input('department', 'String', { displayNameZh: '办理部门', required: true }),
    input('role', 'String', { defaultValue: 'reviewer' }),
    input('limitWorkingDays', 'Int32', { displayNameZh: '环节时限（工作日）' }),
  ]),
  { ...descriptor('Elsa.If', 'Control Flow', '条件', []), isContainer: true },
  descriptor('Elsa.FlowSwitch', 'Branching', '多路分支', ['Default'], [input('cases', 'Object', { uiHint: 'switch-editor' }), input('mode', 'String', { options: ['MatchFirst', 'MatchAny'] })]),
];

const start = { type: 'Elsa.Start', version: 1, id: 'start', name: '开始', customProperties: {}, metadata: { designer: { position: { x: 0, y: 0 } }, displayText: '开始' } };
const review = {
  type: 'GovFlow.ReviewTask', version: 1, id: 'review', name: '初审', customProperties: {}, metadata: { designer: { position: { x: 0, y: 160 } }, displayText: '初审' },
  stepName: { typeName: 'String', expression: { type: 'Literal', value: '初审' } },
  limitWorkingDays: { typeName: 'Int32', expression: { type: 'Literal', value: 3 } },
};
const odd = { type: 'Acme.Gadget', id: 'gadget', whatever: { deep: [1] }, metadata: { designer: { position: { x: 300, y: 0 } } } };
const end = { type: 'Elsa.End', version: 1, id: 'end', name: '结束', customProperties: {}, metadata: { designer: { position: { x: 0, y: 320 } } } };
const definition: Json = {
  definitionId: 'X1', name: '测试事项', variables: [], inputs: [], outputs: [], customProperties: { 'govflow:matter': { code: 'X1' } },
  root: { type: 'Elsa.Flowchart', id: 'flowchart', activities: [start, review, odd, end], connections: [{ source: { activity: 'start', port: 'Done' }, target: { activity: 'review', port: 'In' } }] },
};

function Harness({ onDefinition, problems = [], initial = definition }: { onDefinition: (d: Json) => void; problems?: Problem[]; initial?: Json }) {
  const [def, setDef] = useState(initial);
  return (
    <FlowEditor definition={def} problems={problems} descriptors={descriptors}
      lookups={{ departments: [{ name: '市场监督管理局' }, { name: '综合窗口' }], steps: ['初审', '决定'], materials: [], expressionSyntaxes: ['Literal', 'JavaScript', 'Liquid'], roles: [{ code: 'window', name: '窗口人员' }, { code: 'reviewer', name: '审批人员' }] }}
      onChange={(d) => { setDef(d); onDefinition(d); }} />
  );
}

function open(problems?: Problem[], initial?: Json) {
  const changes: Json[] = [];
  const result = renderApp(<Harness problems={problems} initial={initial} onDefinition={(d) => changes.push(d)} />);
  const last = () => changes[changes.length - 1];
  return { ...result, changes, last, ui: within(result.container) };
}

afterEach(cleanup);
// The canvas settles (React Flow's measuring, ELK) slower on a busy machine than waitFor's default second.
configure({ asyncUtilTimeout: 10000 });

// The canvas, Ant Design and ELK in jsdom on a shared machine: slower than the default five seconds, not timed.
describe('FlowEditor', { timeout: 30000 }, () => {
  it('draws every activity, an unknown type as itself, and changes nothing by being opened', async () => {
    const { ui, changes } = open();
    await waitFor(() => expect(ui.getByTestId('node-review')).toBeTruthy());
    expect(ui.getByTestId('node-gadget').textContent).toContain('Acme.Gadget');
    expect(ui.getByTestId('node-review').textContent).toContain('初审');
    expect(ui.getByTestId('flow-canvas')).toBeTruthy();
    // The palette: by category with Chinese names, containers left to Studio.
    expect(ui.getByTestId('palette-GovFlow.ReviewTask').textContent).toBe('审查审批');
    expect(ui.queryByTestId('palette-Elsa.If')).toBeNull();
    expect(ui.getByTestId('flow-palette').textContent).toContain('政务服务');
    expect(changes).toHaveLength(0);
  });

  it('adds an activity from the palette by a click, selected for editing, and undo takes it away again', async () => {
    const { ui, last } = open();
    await waitFor(() => expect(ui.getByTestId('node-review')).toBeTruthy());
    fireEvent.click(ui.getByTestId('palette-GovFlow.ReviewTask'));
    await waitFor(() => expect(ui.getByTestId('node-reviewTask1')).toBeTruthy());
    const added = activityById(last(), 'reviewTask1')!;
    expect(added.name).toBe('审查审批');
    expect(added.role).toEqual({ typeName: 'String', expression: { type: 'Literal', value: 'reviewer' } });
    await waitFor(() => expect((ui.getByTestId('activity-name') as HTMLInputElement).value).toBe('审查审批'));

    fireEvent.click(ui.getByTestId('flow-undo'));
    await waitFor(() => expect(ui.queryByTestId('node-reviewTask1')).toBeNull());
    expect(last()).toEqual(definition);
    fireEvent.click(ui.getByTestId('flow-redo'));
    await waitFor(() => expect(ui.getByTestId('node-reviewTask1')).toBeTruthy());
  });

  it('adds the activity type dropped on the canvas', async () => {
    const { ui, last } = open();
    await waitFor(() => expect(ui.getByTestId('node-review')).toBeTruthy());
    fireEvent.drop(ui.getByTestId('flow-canvas'), { clientX: 50, clientY: 60, dataTransfer: { getData: (t: string) => (t === paletteMime ? 'Elsa.End' : ''), types: [paletteMime] } });
    await waitFor(() => expect(ui.getByTestId('node-end1')).toBeTruthy());
    expect(activityById(last(), 'end1')!.type).toBe('Elsa.End');
  });

  it('edits an input in the property panel, switches it to a script, and keeps the rest of the activity', async () => {
    const { ui, last } = open();
    await waitFor(() => expect(ui.getByTestId('node-review')).toBeTruthy());
    fireEvent.click(ui.getByTestId('node-review'));
    const props = within(await waitFor(() => ui.getByTestId('activity-props')));
    fireEvent.change(props.getByTestId('prop-department'), { target: { value: '市场监督管理局' } });
    expect(activityById(last(), 'review')!.department).toEqual({ typeName: 'String', expression: { type: 'Literal', value: '市场监督管理局' } });

    fireEvent.click(props.getByTestId('prop-limitWorkingDays-syntax-JavaScript'));
    await waitFor(() => expect(activityById(last(), 'review')!.limitWorkingDays).toEqual({ typeName: 'Int32', expression: { type: 'JavaScript', value: '3' } }));
    const code = await waitFor(() => props.getByTestId('prop-limitWorkingDays') as HTMLTextAreaElement);
    expect(code.tagName).toBe('TEXTAREA');
    fireEvent.change(code, { target: { value: 'variables.days + 1' } });
    // A script is shown coloured by its language under the text area that takes the typing.
    await waitFor(() => expect(code.closest('.govflow-code')!.querySelector('.token.number')?.textContent).toBe('1'));
    const edited = activityById(last(), 'review')!;
    expect(edited.limitWorkingDays).toEqual({ typeName: 'Int32', expression: { type: 'JavaScript', value: 'variables.days + 1' } });
    expect(edited.stepName).toBe(review.stepName);
    expect(edited.metadata).toBe(review.metadata);
    expect(activityById(last(), 'gadget')).toBe(odd);
    expect(last().customProperties).toBe(definition.customProperties);

    // Typing into one field is one step of undo; the syntax switch another.
    fireEvent.click(ui.getByTestId('flow-undo'));
    await waitFor(() => expect(activityById(last(), 'review')!.limitWorkingDays).toEqual({ typeName: 'Int32', expression: { type: 'JavaScript', value: '3' } }));
  });

  it('shows a step\'s role by its name, and keeps a role the server does not know', async () => {
    const withRole = (role: string) => ({ ...definition, root: { ...(definition.root as Json), activities: [start, { ...review, role: { typeName: 'String', expression: { type: 'Literal', value: role } } }, odd, end] } });
    const { ui } = open(undefined, withRole('reviewer'));
    fireEvent.click(await waitFor(() => ui.getByTestId('node-review')));
    const props = within(await waitFor(() => ui.getByTestId('activity-props')));
    expect(props.getByText('审批人员')).toBeTruthy();
    expect(props.queryByText('reviewer')).toBeNull();
    cleanup();
    const other = open(undefined, withRole('inspector'));
    fireEvent.click(await waitFor(() => other.ui.getByTestId('node-review')));
    expect(within(await waitFor(() => other.ui.getByTestId('activity-props'))).getByText('inspector')).toBeTruthy();
  });

  it('connects an outcome port to another activity in Elsa shape', async () => {
    const { ui, last } = open();
    await waitFor(() => expect(ui.getByTestId('node-review')).toBeTruthy());
    fireEvent.click(ui.getByTestId('node-review'));
    const props = within(await waitFor(() => ui.getByTestId('activity-props')));
    fireEvent.change(props.getByTestId('connect-Approved'), { target: { value: 'end' } });
    expect(connectionsOf(last())).toEqual([
      { source: { activity: 'start', port: 'Done' }, target: { activity: 'review', port: 'In' } },
      { source: { activity: 'review', port: 'Approved' }, target: { activity: 'end', port: 'In' } },
    ]);
    await waitFor(() => expect(props.getByTestId('outcome-Approved-end')).toBeTruthy());
    expect(ui.getByTestId('node-review').querySelectorAll('.react-flow__handle.source')).toHaveLength(3);
  });

  it('marks the node a problem is at and lists its message', async () => {
    const { ui } = open([{ activityId: 'review', field: null, path: '$.root.activities[1].department', message: '“初审”没有办理部门' }, { field: 'code', activityId: null, path: "$.customProperties['govflow:matter'].code", message: '事项编码已存在' }]);
    await waitFor(() => expect(ui.getByTestId('node-review').classList.contains('has-problem')).toBe(true));
    expect(ui.getByTestId('node-start').classList.contains('has-problem')).toBe(false);
    expect(ui.getByTestId('node-review').getAttribute('title')).toContain('没有办理部门');
    const list = ui.getByTestId('flow-problems');
    expect(list.textContent).toContain('“初审”没有办理部门');
    // A matter field's problem is shown at the field by the matter form, not here.
    expect(list.textContent).not.toContain('事项编码已存在');
  });

  it('deletes the selected activity with its connections, by the button', async () => {
    const { ui, last } = open();
    await waitFor(() => expect(ui.getByTestId('node-review')).toBeTruthy());
    fireEvent.click(ui.getByTestId('node-review'));
    await waitFor(() => expect((ui.getByTestId('flow-delete') as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(ui.getByTestId('flow-delete'));
    await waitFor(() => expect(ui.queryByTestId('node-review')).toBeNull());
    expect(connectionsOf(last())).toEqual([]);
    expect(activityById(last(), 'gadget')).toBe(odd);
  });

  it('copies and pastes the selection with new ids', async () => {
    const { ui, last } = open();
    await waitFor(() => expect(ui.getByTestId('node-review')).toBeTruthy());
    fireEvent.click(ui.getByTestId('node-review'));
    await waitFor(() => expect((ui.getByTestId('flow-copy') as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(ui.getByTestId('flow-copy'));
    fireEvent.click(ui.getByTestId('flow-paste'));
    await waitFor(() => expect(ui.getByTestId('node-reviewTask1')).toBeTruthy());
    expect(activityById(last(), 'reviewTask1')!.stepName).toEqual(review.stepName);
  });

  it('adds a workflow variable in the side panel', async () => {
    const { ui, last } = open();
    await waitFor(() => expect(ui.getByTestId('node-review')).toBeTruthy());
    fireEvent.click(ui.getByText('变量与输入输出'));
    fireEvent.click(await waitFor(() => ui.getByTestId('flow-add-variables')));
    fireEvent.change(await waitFor(() => ui.getByTestId('variables-0-name')), { target: { value: 'days' } });
    expect((last().variables as Json[])[0]).toMatchObject({ name: 'days', typeName: 'String' });
  });

  it('lays the flow out with ELK and saves the positions', async () => {
    const { ui, last } = open();
    await waitFor(() => expect(ui.getByTestId('node-review')).toBeTruthy());
    await act(async () => {
      fireEvent.click(ui.getByTestId('flow-layout'));
    });
    await waitFor(() => expect(last()).toBeDefined());
    const y = (id: string) => ((activityById(last(), id)!.metadata as Json).designer as { position: { y: number } }).position.y;
    expect(y('review')).toBeGreaterThan(y('start'));
  });

  it("shows a catalog flow written in one row laid out, writes nothing for opening it, and saves what was shown with the first edit", async () => {
    const catalog = await catalogDefinition('44030501004-entertainment-venue.json');
    const { ui, changes, last, container } = open(undefined, catalog);
    const top = (id: string) => Number(/translate\(\s*[-\d.]+px,\s*([-\d.]+)px/.exec((container.querySelector(`.react-flow__node[data-id="${id}"]`) as HTMLElement)?.style.transform ?? '')?.[1]);
    await waitFor(() => expect(top('cert1')).toBeGreaterThan(top('start')));
    expect(top('accept')).toBeGreaterThan(top('cert1'));
    expect(changes).toHaveLength(0);

    fireEvent.click(ui.getByTestId('node-accept'));
    fireEvent.change(await waitFor(() => ui.getByTestId('activity-displayText')), { target: { value: '综合窗口受理' } });
    const y = (d: Json, id: string) => positionOf(activityById(d, id)!)!.y;
    expect([y(catalog, 'start'), y(catalog, 'cert1'), y(catalog, 'accept')]).toEqual([0, 0, 0]);
    expect(y(last(), 'cert1')).toBeGreaterThan(y(last(), 'start'));
    expect(y(last(), 'accept')).toBeGreaterThan(y(last(), 'cert1'));
    expect((activityById(last(), 'accept')!.metadata as Json).displayText).toBe('综合窗口受理');
    expect(activityById(last(), 'cert1')!.certificateType).toEqual(activityById(catalog, 'cert1')!.certificateType);

    // Undo gives back the definition as it was opened, still shown laid out.
    fireEvent.click(ui.getByTestId('flow-undo'));
    await waitFor(() => expect(last()).toEqual(catalog));
    await waitFor(() => expect(top('accept')).toBeGreaterThan(top('cert1')));
  });

  it('deletes the selection with the Delete key, and Ctrl+Z brings it back', async () => {
    const { ui, last } = open();
    await waitFor(() => expect(ui.getByTestId('node-review')).toBeTruthy());
    fireEvent.click(ui.getByTestId('node-review'));
    await waitFor(() => expect((ui.getByTestId('flow-delete') as HTMLButtonElement).disabled).toBe(false));
    fireEvent.keyDown(ui.getByTestId('node-review'), { key: 'Delete', code: 'Delete' });
    fireEvent.keyUp(ui.getByTestId('node-review'), { key: 'Delete', code: 'Delete' });
    await waitFor(() => expect(ui.queryByTestId('node-review')).toBeNull());
    expect(activityById(last(), 'review')).toBeUndefined();
    fireEvent.keyDown(ui.getByTestId('flow-canvas'), { key: 'z', ctrlKey: true });
    await waitFor(() => expect(ui.getByTestId('node-review')).toBeTruthy());
    expect(last()).toEqual(definition);
  });

  it('only shows when read-only: no palette, disabled fields and commands', async () => {
    const changes: Json[] = [];
    const { container } = renderApp(<FlowEditor definition={definition} descriptors={descriptors} readOnly onChange={(d) => changes.push(d)} />);
    const ui = within(container);
    await waitFor(() => expect(ui.getByTestId('node-review')).toBeTruthy());
    expect(ui.queryByTestId('flow-palette')).toBeNull();
    fireEvent.click(ui.getByTestId('node-review'));
    const name = await waitFor(() => ui.getByTestId('activity-name') as HTMLInputElement);
    expect(name.disabled).toBe(true);
    expect(ui.queryByTestId('connect-Approved')).toBeNull();
    expect((ui.getByTestId('flow-delete') as HTMLButtonElement).disabled).toBe(true);
    expect((ui.getByTestId('flow-layout') as HTMLButtonElement).disabled).toBe(true);
    expect(changes).toHaveLength(0);
  });

  it("gives a switch a port per case as its cases are written", async () => {
    const { ui, last } = open();
    await waitFor(() => expect(ui.getByTestId('node-review')).toBeTruthy());
    fireEvent.click(ui.getByTestId('palette-Elsa.FlowSwitch'));
    fireEvent.click(await waitFor(() => ui.getByTestId('prop-cases-add')));
    fireEvent.change(await waitFor(() => ui.getByTestId('prop-cases-0-label')), { target: { value: '老年人' } });
    fireEvent.change(ui.getByTestId('prop-cases-0-condition'), { target: { value: 'age >= 60' } });
    expect(activityById(last(), 'flowSwitch1')!.cases).toEqual([{ label: '老年人', condition: { type: 'JavaScript', value: 'age >= 60' } }]);
    await waitFor(() => expect(ui.getByTestId('node-flowSwitch1').querySelectorAll('.react-flow__handle.source')).toHaveLength(2));
    fireEvent.change(ui.getByTestId('connect-老年人'), { target: { value: 'end' } });
    expect(connectionsOf(last()).at(-1)).toEqual({ source: { activity: 'flowSwitch1', port: '老年人' }, target: { activity: 'end', port: 'In' } });
  });
});
