namespace GovFlow.Activities.Calendar;

/// <summary>
/// What a year's State Council holiday notice must satisfy before it is loaded: every day it names lies in its year,
/// make-up working days are weekend days, no day is both off and worked, and every statutory day off is off (a notice
/// moves bridge days and adds make-up days, it never takes a statutory holiday away).
/// </summary>
public static class NoticeRules
{
    /// <summary>Every problem of a notice, in Chinese for the policy officer who loads it; empty when it can be loaded.</summary>
    public static IReadOnlyList<string> Problems(HolidayYear notice)
    {
        var problems = new List<string>();
        var year = notice.Year;
        if (!StatutoryHolidays.Supports(year))
        {
            problems.Add($"年份 {year} 不在可计算的范围内（{StatutoryHolidays.FirstYear}–{StatutoryHolidays.LastYear}）");
            return problems;
        }
        if (string.IsNullOrWhiteSpace(notice.Source)) problems.Add("请填写通知的出处（文号或发布日期）");
        var off = new Dictionary<DateOnly, string>();
        foreach (var h in notice.Holidays)
        {
            if (string.IsNullOrWhiteSpace(h.Name)) problems.Add($"{h.From:yyyy-MM-dd} 起的放假没有名称");
            if (h.To < h.From) { problems.Add($"{h.Name}：结束日期 {h.To:yyyy-MM-dd} 早于开始日期 {h.From:yyyy-MM-dd}"); continue; }
            if (h.From.Year != year || h.To.Year != year) { problems.Add($"{h.Name}：{h.From:yyyy-MM-dd} 至 {h.To:yyyy-MM-dd} 不全在 {year} 年内"); continue; }
            for (var d = h.From; d <= h.To; d = d.AddDays(1)) off[d] = h.Name;
        }
        foreach (var w in notice.Workdays)
        {
            if (w.Date.Year != year) problems.Add($"调休上班日 {w.Date:yyyy-MM-dd} 不在 {year} 年内");
            else if (w.Date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)) problems.Add($"调休上班日 {w.Date:yyyy-MM-dd} 不是周末，无需调休");
            if (off.TryGetValue(w.Date, out var name)) problems.Add($"{w.Date:yyyy-MM-dd} 既是{name}放假日又是调休上班日");
        }
        if (notice.Workdays.GroupBy(w => w.Date).FirstOrDefault(g => g.Count() > 1) is { } twice) problems.Add($"调休上班日 {twice.Key:yyyy-MM-dd} 重复");
        foreach (var h in StatutoryHolidays.StatutoryDays(year))
            for (var d = h.From; d <= h.To; d = d.AddDays(1))
                if (!off.ContainsKey(d)) problems.Add($"法定节假日 {h.Name} {d:yyyy-MM-dd} 未安排放假");
        return problems;
    }
}
