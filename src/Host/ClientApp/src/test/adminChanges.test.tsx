import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AdminChange } from '../lib/model';
import { ChangeFields } from '../pages/Admin';
import { renderApp } from './render';

afterEach(cleanup);

const change = (before: object | null, after: object | null): AdminChange => ({
  id: '1', at: '2026-12-03T02:00:00Z', actor: 'admin', entity: 'user', key: 'reviewer09', action: before ? 'updated' : 'created',
  before: before ? JSON.stringify(before) : null, after: after ? JSON.stringify(after) : null,
});

describe('the administrator change log', () => {
  it('names each field in the hall words and marks what an update changed, first', () => {
    const row = { userName: 'reviewer09', displayName: '周审核', role: 'reviewer', department: '南山区市场监督管理局', isHead: false, active: true };
    renderApp(<ChangeFields change={change(row, { ...row, role: 'auditor', isHead: true })} />);
    const rows = within(screen.getByTestId('change-fields')).getAllByRole('row').slice(1).map((r) => r.textContent);
    expect(rows[0]).toBe('岗位角色审批人员监察审计');
    expect(rows[1]).toBe('科长（可改派本部门待办）否是');
    expect(rows).toContain('姓名周审核周审核');
  });

  it('shows a created row with its values only', () => {
    renderApp(<ChangeFields change={change(null, { name: '南山区政务服务中心', uscc: '11440305MB2C12345X', isHall: true })} />);
    const table = screen.getByTestId('change-fields');
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['字段', '之后']);
    expect(table.textContent).toContain('统一社会信用代码11440305MB2C12345X');
    expect(table.textContent).toContain('服务大厅是');
  });
});
