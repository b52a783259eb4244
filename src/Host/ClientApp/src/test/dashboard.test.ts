import { describe, expect, it } from 'vitest';
import type { Metrics } from '../lib/model';
import { figure, mattersOption, ratingNames, ratingNamesEn, ratingsOption, weeklyOption } from '../pages/Dashboard';

const metrics = {
  byWeek: [{ week: '2026-11-02', received: 3, completed: 1 }],
  byMatter: [{ matter: '高龄津贴申请', received: 3, completed: 1 }],
  ratings: { '1': 2, '4': 1 },
} as unknown as Metrics;

describe('dashboard', () => {
  it('shows a dash where nothing was counted, and the figure otherwise (zero included)', () => {
    expect(figure(null)).toBe('—');
    expect(figure(undefined)).toBe('—');
    expect(figure(0)).toBe(0);
    expect(figure(5.8)).toBe(5.8);
  });

  it('keeps every legend off the axes: above the grid, or below the ring, with labels inside the grid', () => {
    const weekly = weeklyOption(metrics, ['Received', 'Completed']);
    expect(weekly.legend.top).toBe(0);
    expect(weekly.grid.top).toBeGreaterThanOrEqual(32);
    expect(weekly.grid.containLabel).toBe(true);
    const byMatter = mattersOption(metrics, ['Received', 'Completed']);
    expect(byMatter.legend.top).toBe(0);
    expect(byMatter.grid.top).toBeGreaterThanOrEqual(32);
    expect(byMatter.series.map((s) => s.name)).toEqual(['Received', 'Completed']);
    const ratings = ratingsOption(metrics, ratingNamesEn);
    expect(ratings.legend.bottom).toBe(0);
  });

  it('names the ratings in the page language', () => {
    expect(ratingsOption(metrics, ratingNamesEn).series[0].data.map((d) => d.name)).toEqual(['Very satisfied', 'Satisfied', 'Fair', 'Dissatisfied', 'Very dissatisfied']);
    expect(ratingsOption(metrics, ratingNames).series[0].data.map((d) => [d.name, d.value])).toEqual([['非常满意', 2], ['满意', 0], ['基本满意', 0], ['不满意', 1], ['非常不满意', 0]]);
    expect(ratingNamesEn.join(' ')).not.toMatch(/[\u4e00-\u9fff]/);
  });
});
