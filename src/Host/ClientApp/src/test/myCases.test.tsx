import { render, screen, cleanup, fireEvent } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { components } from '../lib/api.gen';
import { moment } from '../lib/format';
import { MyCasesList } from '../pages/My';

afterEach(cleanup);

type MyCase = components['schemas']['MyCase'];

const base: MyCase = {
  caseId: 'c1', caseNumber: 'SZ2026001', matterName: '高龄津贴发放', status: 'InReview', statusName: '审查中',
  receivedAt: '2026-03-02T01:30:00Z', promisedDue: '2026-03-20T09:59:59Z', owed: [],
};

describe('MyCasesList', () => {
  it('shows each case with its status in Chinese and what is owed by when, and opens the case clicked', () => {
    const onOpen = vi.fn();
    render(
      <MyCasesList
        items={[
          { ...base, caseId: 'c2', caseNumber: 'SZ2026002', status: 'Correction', statusName: '补正中', owed: [{ why: '补正', materials: ['高龄津贴申请书'], by: '2026-03-30T15:59:59Z' }] },
          base,
        ]}
        onOpen={onOpen}
      />,
    );
    const rows = screen.getAllByTestId('my-case');
    expect(rows).toHaveLength(2);
    expect(rows[0].textContent).toContain('补正中');
    expect(rows[0].textContent).toContain('SZ2026002');
    expect(rows[0].textContent).toContain('高龄津贴申请书');
    expect(rows[0].textContent).toContain(`截止 ${moment('2026-03-30T15:59:59Z')}`);
    expect(rows[1].textContent).toContain('审查中');
    expect(screen.getAllByTestId('owed')).toHaveLength(1);
    fireEvent.click(rows[1]);
    expect(onOpen).toHaveBeenCalledWith('c1');
  });

  it('says so when there are no applications', () => {
    render(<MyCasesList items={[]} onOpen={() => {}} />);
    expect(screen.getByTestId('my-cases').textContent).toContain('暂无办件');
  });
});
