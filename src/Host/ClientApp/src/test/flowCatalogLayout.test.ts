import { describe, expect, it } from 'vitest';
import { catalogDefinition as catalog } from './catalog';
import { layoutFlow, minReadableZoom, readFlow, type DiagramLayout } from '../lib/flow';
import { outcomeNames, say } from '../lib/format';

// Every flow of the shipped catalog, drawn as the catalog, case and replay pages draw it (zh labels), must be readable
// in the page column a 1280 px window leaves: at a legible zoom, no label on a step, another label or an arrow.
const files = [
  '44030007009-no-criminal-record.json', '44030010010-car-lottery-extension.json', '44030407015-residence-permit-anywhere.json',
  '44030501002-health-licence.json', '44030501003-high-risk-sports.json', '44030501004-entertainment-venue.json', '44030501011-talent-hukou.json',
  '44030501012-business-start-bundle.json', '44030501013-food-business-licence.json', '44030501017-company-registration.json',
  '44030501018-invoice-application.json', '44030501019-seal-filing.json', '44030504014-medical-insurance-topup.json',
  '44030505001-elderly-allowance.json', '44030505006-disability-rehabilitation.json', '44030507008-family-planning-certificate.json',
  '44030520005-primary-school-enrolment.json', '44030520007-senior-card.json', '44060505016-minimum-living-allowance.json',
];


type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** The page column beside the menu at 1280 px (the case page's diagram column is the narrowest that draws a flow). */
const column = 1280 - 200 - 2 * 24;

function problems(layout: DiagramLayout): string[] {
  const found: string[] = [];
  const labels = Object.entries(layout.edges).flatMap(([id, e]) => (e.label ? [{ id, ...e.label }] : []));
  for (const l of labels) {
    for (const [n, box] of Object.entries(layout.nodes)) if (overlaps(l, box)) found.push(`label ${l.text} on step ${n}`);
    for (const o of labels) if (o !== l && overlaps(l, o)) found.push(`label ${l.text} on label ${o.text}`);
    for (const [id, { points }] of Object.entries(layout.edges)) {
      if (id === l.id) continue;
      for (let i = 1; i < points.length; i++) {
        const [a, b] = [points[i - 1], points[i]];
        const segment = { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), width: Math.abs(a.x - b.x) || 0.01, height: Math.abs(a.y - b.y) || 0.01 };
        if (overlaps(l, segment)) found.push(`arrow ${id} through label ${l.text}`);
      }
    }
  }
  return found;
}

describe('the catalog flows drawn at 1280 px', { timeout: 60000 }, () => {
  for (const file of files) {
    it(file, async () => {
      const flow = readFlow(await catalog(file));
      const layout = await layoutFlow(flow, (o) => say(outcomeNames, o, 'zh'));
      expect(problems(layout)).toEqual([]);
      expect(Math.min(1, column / layout.width)).toBeGreaterThanOrEqual(minReadableZoom);
      for (const n of flow.nodes) expect(layout.nodes[n.id], n.id).toBeDefined();
    });
  }
});
