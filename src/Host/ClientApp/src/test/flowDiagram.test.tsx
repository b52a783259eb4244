import { cleanup, fireEvent, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { FlowDiagram } from '../lib/FlowDiagram';
import { readFlow } from '../lib/flow';
import { renderApp } from './render';

const step = (id: string, name: string, department?: string) => ({
  id, type: 'GovFlow.ReviewTask', name, ...(department ? { department: { typeName: 'String', expression: { type: 'Literal', value: department } } } : {}),
});
const go = (from: string, port: string, to: string) => ({ source: { activity: from, port }, target: { activity: to, port: 'In' } });
const review = readFlow({ activities: [step('a', '初审', '市场监督管理局'), step('b', '决定'), step('c', '不予许可')], connections: [go('a', 'Approved', 'b'), go('a', 'Rejected', 'c')] });
const other = readFlow({ activities: [step('x', '受理'), step('y', '出证')], connections: [go('x', 'Done', 'y')] });

// The catalog's way of using it: one diagram whose matter changes.
function Catalog() {
  const [flow, setFlow] = useState(review);
  return (
    <>
      <button onClick={() => setFlow(other)}>next</button>
      <FlowDiagram flow={flow} />
    </>
  );
}

afterEach(cleanup);

// ELK lays the flow out asynchronously; on a busy machine that takes longer than waitFor's default second.
const laidOut = { timeout: 15000 };

describe('FlowDiagram', { timeout: 30000 }, () => {
  it('draws the steps with their department, marking the current step and those passed', async () => {
    const { container } = renderApp(<FlowDiagram flow={review} current={['b']} path={['a']} />);
    const diagram = within(container);
    await waitFor(() => expect(diagram.getByText('初审')).toBeTruthy(), laidOut);
    expect(diagram.getByText('市场监督管理局')).toBeTruthy();
    expect(container.querySelector('.flow-node-current')?.textContent).toContain('决定');
    expect(container.querySelector('.flow-node-passed')?.textContent).toContain('初审');
    expect(container.querySelectorAll('.react-flow__node')).toHaveLength(3);
  });

  it("draws another matter's flow in place of the first, keeping nothing of its layout", async () => {
    const { container } = renderApp(<Catalog />);
    const diagram = within(container);
    await waitFor(() => expect(diagram.getByText('初审')).toBeTruthy(), laidOut);
    fireEvent.click(diagram.getByText('next'));
    await waitFor(() => expect(diagram.getByText('出证')).toBeTruthy(), laidOut);
    expect(diagram.queryByText('初审')).toBeNull();
    expect(container.querySelectorAll('.react-flow__node')).toHaveLength(2);
  });
});
