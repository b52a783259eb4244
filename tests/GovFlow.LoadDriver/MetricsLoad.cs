using System.Diagnostics;
using System.Net.Http.Json;
using Bogus;
using Microsoft.Data.Sqlite;

namespace GovFlow.LoadDriver;

/// <summary>A year of cases for the metrics (issue 18: 1,000,000 cases, GET /api/metrics p95 ≤ 200 ms).</summary>
internal static class MetricsLoad
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    // Matters of the shipped catalog, with their department and case type (1 即办件, 2 承诺件).
    private static readonly (string Code, string Name, string Department, string Type)[] Matters =
    [
        ("44030505001", "高龄津贴申请", "深圳市南山区民政局", "2"),
        ("44030520007", "敬老优待证办理", "深圳市南山区民政局", "1"),
        ("44030007009", "无犯罪记录证明开具", "深圳市公安局", "2"),
        ("44030407015", "居住证办理（全市通办）", "深圳市公安局南山分局", "2"),
        ("44030501002", "公共场所卫生许可证核发", "深圳市南山区卫生健康局", "2"),
        ("44030501003", "高危险性体育项目经营许可", "深圳市南山区文化广电旅游体育局", "2"),
        ("44030501013", "食品经营许可", "深圳市南山区市场监督管理局", "2"),
        ("44030501017", "企业设立登记", "深圳市南山区市场监督管理局", "2"),
        ("44030501018", "发票申领", "国家税务总局深圳市南山区税务局", "1"),
        ("44030501011", "人才引进入户（三环节并联）", "深圳市南山区人力资源局", "2"),
    ];

    /// <summary>
    /// Inserts <paramref name="count"/> cases received over the 365 China days up to today, with the statuses, moments
    /// and metric facts a year of a hall leaves (most completed, some refused, withdrawn or not accepted, the recent
    /// ones still open, some of those overdue; ratings, bad ones rectified). Their personal data and case file are
    /// copied from a case the host wrote (the driver has no keys), so the host starts without rewriting them; the
    /// metrics read only the fact columns. The rollups are reset, so the host's refresher sums every day when it starts.
    /// </summary>
    public static int SeedYear(string db, int count)
    {
        using var connection = new SqliteConnection($"Data Source={db}");
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";
            pragma.ExecuteNonQuery();
        }
        string template;
        using (var find = connection.CreateCommand())
        {
            find.CommandText = "SELECT Id FROM cases ORDER BY Id LIMIT 1";
            template = find.ExecuteScalar() as string ?? throw new InvalidOperationException("seed-year copies a case the host wrote: run the host and submit one first.");
        }
        // The seeded cases moved before the rollups' watermark of the host's earlier run: forget the rollups, so the
        // refresher sums every day from the cases again when the host starts.
        using (var reset = connection.CreateCommand())
        {
            reset.CommandText = "DELETE FROM metric_days; DELETE FROM metric_refresh;";
            reset.ExecuteNonQuery();
        }
        var clock = Stopwatch.StartNew();
        var faker = new Faker("zh_CN") { Random = new Randomizer(365) };
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.ToOffset(China).DateTime);
        var first = today.AddDays(-364);
        var epoch = new DateOnly(1970, 1, 1).DayNumber;
        // The cases last moved an hour ago: the refresher's first pass sums them all and leaves no day to sum live.
        var nowMs = now.AddHours(-1).ToUnixTimeMilliseconds();
        const string columns = "Id, CaseNumber, MatterCode, MatterName, Department, ApplicantName, ApplicantIdType, ApplicantIdNumber, ApplicantPhone, ApplicantAddress, " +
                               "ApplicantIdIndex, ApplicantPhoneIndex, Channel, Hall, ReceivedAt, AcceptedAt, PromisedDue, StatutoryDue, CompletedAt, Status, WarningLevel, " +
                               "InstanceId, BrokenCommitment, YellowFrom, CaseFileJson, Stamp, Priority, ParentCaseId, " +
                               "ReceivedDay, CaseType, HandlingWorkingDays, Visits, CompletedEarly, RatingLevel, BadRatingRectified, UpdatedAt";
        for (var done = 0; done < count;)
        {
            using var tx = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.CommandText = $"INSERT INTO cases ({columns}) SELECT $id, $no, $code, $name, $dept, $applicant, ApplicantIdType, ApplicantIdNumber, ApplicantPhone, ApplicantAddress, " +
                                 "ApplicantIdIndex, ApplicantPhoneIndex, $channel, NULL, $received, $accepted, $promised, $promised, $completed, $status, 'Green', " +
                                 "$id, 0, NULL, CaseFileJson, 'seed', NULL, NULL, " +
                                 "$day, $type, $days, $visits, $early, $rating, $rectified, $updated FROM cases WHERE Id = $template";
            var p = new[] { "$id", "$no", "$code", "$name", "$dept", "$applicant", "$channel", "$received", "$accepted", "$promised", "$completed", "$status", "$day", "$type", "$days", "$visits", "$early", "$rating", "$rectified" }
                .ToDictionary(n => n, n => insert.Parameters.Add(new SqliteParameter(n, null)));
            insert.Parameters.AddWithValue("$updated", nowMs);
            insert.Parameters.AddWithValue("$template", template);
            for (var i = 0; i < 50_000 && done < count; i++, done++)
            {
                // Evenly over the year, so each day holds about COUNT / 365 cases.
                var date = first.AddDays((int)((long)done * 365 / count));
                var matter = faker.PickRandom(Matters);
                var received = new DateTimeOffset(date.ToDateTime(new TimeOnly(faker.Random.Int(8, 17), faker.Random.Int(0, 59))), China);
                var age = (today.DayNumber - date.DayNumber);
                var roll = faker.Random.Double();
                // Recent cases are still open more often; a year-old one has long been decided.
                var status = roll < 0.03 ? "NotAccepted" : roll < 0.05 ? "Withdrawn" : roll < 0.08 ? "Refused"
                    : age < 20 && roll < 0.08 + 0.6 * (20 - age) / 20.0 ? faker.PickRandom("Received", "Accepted", "InReview", "Correction", "Suspended")
                    : faker.Random.Bool(0.97f) ? "Completed" : "CompletedWithTolerance";
                DateTimeOffset? accepted = status is "NotAccepted" or "Received" ? null : received.AddMinutes(faker.Random.Int(5, 120));
                DateTimeOffset? promised = accepted?.AddDays(matter.Type == "1" ? 1 : faker.Random.Int(7, 28));
                var finished = status is "Completed" or "CompletedWithTolerance" or "Refused" or "Withdrawn";
                DateTimeOffset? completed = finished ? (accepted ?? received).AddHours(faker.Random.Double(0.5, 24 * 30)) : null;
                if (completed > now) completed = now;
                var decided = status is "Completed" or "CompletedWithTolerance";
                var channel = faker.PickRandom("window", "window", "selfService", "pc", "mobile");
                int? rating = decided && faker.Random.Bool(0.7f) ? faker.Random.WeightedRandom(new[] { 1, 2, 3, 4, 5 }, new[] { 0.7f, 0.15f, 0.08f, 0.04f, 0.03f }) : null;
                p["$id"].Value = $"seed{done:D12}";
                p["$no"].Value = $"Y{done:D12}";
                p["$code"].Value = matter.Code;
                p["$name"].Value = matter.Name;
                p["$dept"].Value = matter.Department;
                p["$applicant"].Value = faker.Name.LastName() + faker.Name.FirstName();
                p["$channel"].Value = channel;
                p["$received"].Value = received.ToUnixTimeMilliseconds();
                p["$accepted"].Value = (object?)accepted?.ToUnixTimeMilliseconds() ?? DBNull.Value;
                p["$promised"].Value = (object?)promised?.ToUnixTimeMilliseconds() ?? DBNull.Value;
                p["$completed"].Value = (object?)completed?.ToUnixTimeMilliseconds() ?? DBNull.Value;
                p["$status"].Value = status;
                p["$day"].Value = date.DayNumber - epoch;
                p["$type"].Value = matter.Type;
                p["$days"].Value = completed is { } c && accepted is { } a ? Math.Round((c - a).TotalDays * 5 / 7, 3) : DBNull.Value;
                p["$visits"].Value = completed is null ? DBNull.Value : channel is "window" or "selfService" ? faker.Random.Int(1, 3) : faker.Random.Int(0, 1);
                p["$early"].Value = completed is { } c2 && promised is { } d && DateOnly.FromDateTime(c2.ToOffset(China).DateTime) < DateOnly.FromDateTime(d.ToOffset(China).DateTime) ? 1 : 0;
                p["$rating"].Value = (object?)rating ?? DBNull.Value;
                p["$rectified"].Value = rating >= 4 && faker.Random.Bool(0.8f) ? 1 : 0;
                insert.ExecuteNonQuery();
            }
            tx.Commit();
        }
        Console.WriteLine($"seeded {count} cases over {first:yyyy-MM-dd}..{today:yyyy-MM-dd} in {clock.Elapsed.TotalSeconds:0.0} s");
        return 0;
    }

    /// <summary>Times GET /api/metrics for the last 365 days, one client, after ten unmeasured requests.</summary>
    public static async Task<int> Time(Uri url, int requests)
    {
        if (!url.IsLoopback) throw new ArgumentException("The load driver only targets this machine.");
        using var client = new HttpClient(new HttpClientHandler { UseCookies = true, CookieContainer = new System.Net.CookieContainer() }) { BaseAddress = url, Timeout = TimeSpan.FromMinutes(5) };
        (await client.PostAsJsonAsync("/api/auth/login", new { userName = "auditor01", password = "govflow-demo" })).EnsureSuccessStatusCode();
        var today = DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(China).DateTime);
        var path = $"/api/metrics?from={today.AddDays(-364):yyyy-MM-dd}&to={today:yyyy-MM-dd}";
        var body = await client.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>(path);
        Console.WriteLine($"metrics for the year: {body!["volumes"]!.ToJsonString()}");
        for (var i = 0; i < 10; i++) (await client.GetAsync(path)).EnsureSuccessStatusCode();
        var latencies = new double[requests];
        var total = Stopwatch.StartNew();
        for (var i = 0; i < requests; i++)
        {
            var start = Stopwatch.GetTimestamp();
            (await client.GetAsync(path)).EnsureSuccessStatusCode();
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(latencies);
        double P(double q) => latencies[Math.Min(latencies.Length - 1, (int)(q * latencies.Length))];
        Console.WriteLine($"metrics for a year: {requests} in {total.Elapsed.TotalSeconds:0.0} s; latency p50 {P(0.5):0.0} ms, p95 {P(0.95):0.0} ms, p99 {P(0.99):0.0} ms");
        return 0;
    }
}
