import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MatterForm } from '../lib/designer/MatterForm';
import { fieldOf, moveItem, setIn, testKey, type DesignerLookups, type ServiceMatter } from '../lib/designer/matterModel';
import { renderApp } from './render';

afterEach(cleanup);
// The whole form is a few hundred Ant Design inputs: rendering it in jsdom on a shared machine takes seconds.
vi.setConfig({ testTimeout: 60_000 });

const lookups: DesignerLookups = {
  departments: [{ name: '深圳市南山区民政局', uscc: '11440305007517296X', kind: null }, { name: '深圳市南山区粤海街道办事处', uscc: null, kind: null }],
  certificateTypes: [{ code: '111', name: '居民身份证' }, { code: '117', name: '最低生活保障证' }],
  caseFields: [{ name: 'age', label: '申请人年龄', type: 'number' }, { name: 'onMinimumAllowance', label: '是否享受最低生活保障', type: 'boolean' }],
  codes: {
    types: { '01': '行政许可', '20': '公共服务' }, levels: { '4': '县级' }, serviceObjects: { '1': '自然人' },
    handlingForms: { '1': '窗口办理' }, caseTypes: { '1': '即办件', '2': '承诺件' },
  },
  timeUnits: [{ code: 'WD', name: '工作日' }, { code: 'ND', name: '自然日' }, { code: 'WH', name: '工作小时' }],
  roles: [{ code: 'window', name: '窗口人员' }, { code: 'reviewer', name: '审批人员' }],
  blankMatter: {},
  expressionSyntaxes: ['Literal', 'JavaScript', 'Liquid'],
};

const matter = {
  code: '44030505001', name: '高龄津贴申请', type: '20', level: '4', department: '深圳市南山区民政局', caseType: '2',
  promisedLimit: { value: 22, unit: 'WD' }, statutoryLimit: { value: 30, unit: 'WD' },
  steps: [{ name: '受理', limit: { value: 1, unit: 'WD' } }],
  materials: [
    { name: '居民身份证', required: true, main: true, originals: 1, copies: 1 },
    { name: '低保证', required: false, main: false, condition: '', certificateReplaceable: true, certificateType: '117' },
  ],
  'x-studio-note': { kept: true },
} as ServiceMatter;

describe('MatterForm', () => {
  it('calls onChange with the new matter when a field is edited, keeping what it does not know', () => {
    const onChange = vi.fn();
    renderApp(<MatterForm matter={matter} onChange={onChange} problems={[]} lookups={lookups} />);
    fireEvent.change(screen.getByTestId('matter-name'), { target: { value: '高龄津贴申领' } });
    const changed = onChange.mock.lastCall![0] as Record<string, unknown>;
    expect(changed.name).toBe('高龄津贴申领');
    expect(changed['x-studio-note']).toBe((matter as Record<string, unknown>)['x-studio-note']);
    expect(changed.materials).toBe(matter.materials);
    expect(matter.name).toBe('高龄津贴申请');
  });

  it('shows a problem at the field it names, in its material', () => {
    const message = '“低保证”是有条件材料，但没有写明条件';
    renderApp(<MatterForm matter={matter} onChange={() => {}} lookups={lookups}
      problems={[{ path: "$.customProperties['govflow:matter'].materials[1].condition", field: 'materials[1].condition', activityId: null, message }]} />);
    const shown = screen.getByTestId('problem-materials-1-condition');
    expect(shown.textContent).toBe(message);
    const item = shown.closest('.ant-form-item')!;
    expect(within(item as HTMLElement).getByTestId('matter-materials-1-condition')).toBeTruthy();
    expect(screen.getByTestId('matter-materials-1').contains(shown)).toBe(true);
    expect(screen.queryByTestId('matter-other-problems')).toBeNull();
  });

  it('lists a problem at a field it has no place for rather than losing it', () => {
    renderApp(<MatterForm matter={matter} onChange={() => {}} lookups={lookups}
      problems={[{ path: '$.x', field: 'somethingNew', activityId: null, message: '新规则的问题' }, { path: '$.root', field: null, activityId: 'step1', message: '流程的问题' }]} />);
    expect(screen.getByTestId('matter-other-problems').textContent).toContain('新规则的问题');
    expect(screen.queryByText('流程的问题')).toBeNull();
  });

  it('adds a material with GovFlow’s defaults', () => {
    const onChange = vi.fn();
    renderApp(<MatterForm matter={matter} onChange={onChange} problems={[]} lookups={lookups} />);
    fireEvent.click(screen.getByTestId('matter-add-material'));
    const materials = (onChange.mock.lastCall![0] as ServiceMatter).materials!;
    expect(materials).toHaveLength(3);
    expect(materials[2]).toMatchObject({ name: '', required: true, main: true, originals: 1 });
  });

  it('offers the departments of the lookups and takes the picked one with its credit code', async () => {
    const onChange = vi.fn();
    renderApp(<MatterForm matter={{ ...matter, department: '' }} onChange={onChange} problems={[]} lookups={lookups} />);
    const picker = screen.getByTestId('matter-department');
    fireEvent.mouseDown(picker.closest('.ant-select')!.querySelector('.ant-select-selector, .ant-select-content, input')!);
    const option = await screen.findByText('深圳市南山区民政局', { selector: '.ant-select-item-option-content' });
    expect(screen.getByText('深圳市南山区粤海街道办事处', { selector: '.ant-select-item-option-content' })).toBeTruthy();
    fireEvent.click(option);
    expect(onChange.mock.lastCall![0]).toMatchObject({ department: '深圳市南山区民政局', departmentUscc: '11440305007517296X' });
  });

  it('inserts a case field into a condition at the caret', () => {
    const onChange = vi.fn();
    renderApp(<MatterForm matter={setIn(matter, ['materials', 1, 'condition'], 'age >= 80 && ')} onChange={onChange} problems={[]} lookups={lookups} />);
    fireEvent.click(within(screen.getByTestId('matter-materials-1-condition-fields')).getByText('是否享受最低生活保障'));
    expect((onChange.mock.lastCall![0] as ServiceMatter).materials![1].condition).toBe('age >= 80 && onMinimumAllowance');
  });

  it('switches the tolerance rules on with defaults and off again', () => {
    const onChange = vi.fn();
    const { rerender } = renderApp(<MatterForm matter={matter} onChange={onChange} problems={[]} lookups={lookups} />);
    fireEvent.click(screen.getByTestId('matter-tolerance-enabled'));
    const on = onChange.mock.lastCall![0] as ServiceMatter;
    expect(on.tolerance).toMatchObject({ supplementLimit: { value: 5, unit: 'WD' }, onExpiry: 'terminate', remindBeforeWorkingDays: 2 });
    rerender(<MatterForm matter={on} onChange={onChange} problems={[]} lookups={lookups} />);
    expect(screen.getByTestId('matter-tolerance-supplementLimit-value')).toBeTruthy();
    expect(screen.getByText('到期前短信提醒（工作日，0 为不提醒）')).toBeTruthy();
  });

  it('reads only when asked to', () => {
    renderApp(<MatterForm matter={matter} onChange={() => {}} problems={[]} lookups={lookups} readOnly />);
    expect((screen.getByTestId('matter-name') as HTMLInputElement).disabled).toBe(true);
    expect(screen.queryByTestId('matter-add-material')).toBeNull();
  });
});

describe('matter paths', () => {
  it('name fields and test ids as the contract does', () => {
    expect(fieldOf(['materials', 2, 'condition'])).toBe('materials[2].condition');
    expect(testKey('materials[2].condition')).toBe('materials-2-condition');
    expect(testKey('promisedLimit.value')).toBe('promisedLimit-value');
  });

  it('remove a property set to undefined and move list items', () => {
    expect(setIn({ a: 1, b: { c: 2, d: 3 } }, ['b', 'c'], undefined)).toEqual({ a: 1, b: { d: 3 } });
    expect(moveItem(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b'], 0, -1)).toEqual(['a', 'b']);
  });
});
