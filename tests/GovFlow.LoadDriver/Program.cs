using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bogus;
using GovFlow.Activities.Matters;
using Microsoft.Data.Sqlite;

// A bounded load driver for a GovFlow host on this machine (loopback only).
//   cases URL[,URL...] COUNT CONCURRENCY [WARMUP]
//                                 submit COUNT cases, then complete their first review task, with CONCURRENCY clients
//                                 spread over the URLs (host nodes on one database), and print the completed steps per
//                                 second overall; first the same unmeasured with WARMUP cases, so the hosts' JIT has settled
//   seed-tasks DB COUNT           insert COUNT open inbox tasks into a stopped host's SQLite database
//   inbox URL REQUESTS            time the inbox's first page REQUESTS times (p50/p95/p99)
//   seed-cases DB COUNT           insert COUNT cases of a year into a stopped host's SQLite database (started once, so
//                                 its personal-data key file sits beside it): encrypted applicants, real blind indexes
//   search URL REQUESTS [COUNT]   time the case search by case number (whole and by day), ID number and phone,
//                                 REQUESTS times each, over the applicants of COUNT seeded cases (default 1,000,000)
//   seed-year DB COUNT            insert COUNT cases received over the last 365 days, with their metric facts, into a
//                                 stopped host's SQLite database that holds at least one case (the host's refresher
//                                 builds their metric_days rows when it starts)
//   metrics URL REQUESTS          time GET /api/metrics for the last 365 days REQUESTS times (p50/p95/p99)
//   finished URL COUNT CONCURRENCY
//                                 COUNT finished cases (submitted, then refused at the first review: nothing left open),
//                                 for measuring the journal retention policy
if (args.Length < 3) { Console.Error.WriteLine("usage: cases URL COUNT CONCURRENCY | seed-tasks DB COUNT | inbox URL REQUESTS | seed-cases DB COUNT | search URL REQUESTS [COUNT] | seed-year DB COUNT | metrics URL REQUESTS | finished URL COUNT CONCURRENCY"); return 2; }
switch (args[0])
{
    case "cases":
        var warmup = args.Length > 4 ? int.Parse(args[4]) : 0;
        var nodes = args[1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(u => new Uri(u)).ToArray();
        if (warmup > 0 && await Cases(nodes, warmup, int.Parse(args[3]), "warm-up ") != 0) return 1;
        return await Cases(nodes, int.Parse(args[2]), int.Parse(args[3]), "");
    case "seed-tasks": return SeedTasks(args[1], int.Parse(args[2]));
    case "inbox": return await Inbox(new Uri(args[1]), int.Parse(args[2]));
    case "seed-cases": return GovFlow.LoadDriver.CaseSearchLoad.Seed(args[1], int.Parse(args[2]));
    case "search": return await GovFlow.LoadDriver.CaseSearchLoad.Search(new Uri(args[1]), int.Parse(args[2]), args.Length > 3 ? int.Parse(args[3]) : 1_000_000);
    case "seed-year": return GovFlow.LoadDriver.MetricsLoad.SeedYear(args[1], int.Parse(args[2]));
    case "metrics": return await GovFlow.LoadDriver.MetricsLoad.Time(new Uri(args[1]), int.Parse(args[2]));
    case "finished": return await Finished(new Uri(args[1]), int.Parse(args[2]), int.Parse(args[3]));
    default: Console.Error.WriteLine($"unknown mode {args[0]}"); return 2;
}

static async Task<HttpClient> SignIn(Uri url, string user)
{
    if (!url.IsLoopback) throw new ArgumentException("The load driver only targets this machine.");
    var client = new HttpClient(new HttpClientHandler { UseCookies = true, CookieContainer = new System.Net.CookieContainer() }) { BaseAddress = url };
    (await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = "govflow-demo" })).EnsureSuccessStatusCode();
    return client;
}

static async Task<int> Cases(Uri[] nodes, int count, int concurrency, string label)
{
    var faker = new Faker("zh_CN") { Random = new Randomizer(label.Length + 42) };
    var bodies = Enumerable.Range(0, count).Select(_ =>
    {
        var birth = new DateOnly(faker.Random.Int(1932, 1945), faker.Random.Int(1, 12), faker.Random.Int(1, 28));
        return new
        {
            matterCode = "44030505001",
            applicant = new { name = faker.Name.LastName() + faker.Name.FirstName(), idType = "111", idNumber = IdentityNumber.Complete("440305" + birth.ToString("yyyyMMdd") + faker.Random.Int(100, 999)), phone = "13900000000", address = "广东省深圳市南山区南山大道1号" },
            materials = new[] { "高龄津贴申请书", "居民身份证", "户口簿", "银行卡", "照片" }.Select(m => new { name = m, provided = true }),
            data = new { age = 2026 - birth.Year },
            channel = "window"
        };
    }).ToList();
    // Client i talks to node i mod n, so every node gets an equal share of the clients.
    var windows = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(i => SignIn(nodes[i % nodes.Length], "window01")));
    var ids = new System.Collections.Concurrent.ConcurrentBag<string>();
    var submit = await Run(label + "submit case", count, concurrency, async (i, worker) =>
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/cases") { Content = JsonContent.Create(bodies[i]) };
        request.Headers.Add("Idempotency-Key", $"load-{i}-{Guid.NewGuid():N}");
        var response = await windows[worker].SendAsync(request);
        response.EnsureSuccessStatusCode();
    });
    var reviewers = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(i => SignIn(nodes[i % nodes.Length], "reviewer02")));
    // Offset pages shift while the host still moves cases on (calls delivered late, the sweep), so a task can show
    // on two pages; completing it twice would count the host's correct 409 as a failure.
    var seen = new HashSet<string>();
    var tasks = new List<string>();
    for (var page = 1; tasks.Count < count; page++)
    {
        var inbox = await reviewers[0].GetFromJsonAsync<JsonObject>($"/api/tasks?scope=department&pageSize=100&page={page}");
        tasks.AddRange(inbox!["items"]!.AsArray().Select(t => t!["taskId"]!.GetValue<string>()).Where(seen.Add));
        if (!inbox["hasMore"]!.GetValue<bool>()) break;
    }
    var complete = await Run(label + "complete task", tasks.Count, concurrency, async (i, worker) =>
        (await reviewers[worker].PostAsJsonAsync($"/api/tasks/{tasks[i]}/complete", new { action = "approve", opinion = "同意" })).EnsureSuccessStatusCode());
    // Listing the inbox between the two runs is not a step: only the runs' own time counts.
    var steps = count + tasks.Count;
    Console.WriteLine($"{label}steps (submissions and task completions) on {nodes.Length} node(s): {steps} in {submit.Seconds + complete.Seconds:0.0} s = {steps / (submit.Seconds + complete.Seconds):0.0}/s");
    return submit.Ok && complete.Ok ? 0 : 1;
}

static async Task<(bool Ok, double Seconds)> Run(string what, int count, int concurrency, Func<int, int, Task> action)
{
    var latencies = new double[count];
    var next = -1;
    var failures = 0;
    var statuses = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < count)
        {
            var start = Stopwatch.GetTimestamp();
            try { await action(i, worker); }
            catch (HttpRequestException ex)
            {
                Interlocked.Increment(ref failures);
                statuses.AddOrUpdate(ex.StatusCode is { } code ? ((int)code).ToString() : "no answer", 1, (_, n) => n + 1);
            }
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
    }));
    var seconds = clock.Elapsed.TotalSeconds;
    Array.Sort(latencies);
    Console.WriteLine($"{what}: {count} in {seconds:0.0} s = {count / seconds:0.0}/s with {concurrency} clients; latency p50 {P(latencies, 0.5):0.0} ms, p95 {P(latencies, 0.95):0.0} ms; failures {failures}{(failures > 0 ? " (" + string.Join(", ", statuses.Select(p => $"{p.Key} ×{p.Value}")) + ")" : "")}");
    return (failures == 0, seconds);
}

static double P(double[] sorted, double q) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];

static int SeedTasks(string db, int count)
{
    using var connection = new SqliteConnection($"Data Source={db}");
    connection.Open();
    var clock = Stopwatch.StartNew();
    var departments = new[] { "深圳市南山区民政局", "深圳市南山区粤海街道办事处", "深圳市南山区市场监督管理局", "深圳市公安局南山分局", "深圳市南山区文化广电旅游体育局" };
    var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    for (var done = 0; done < count;)
    {
        using var tx = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO tasks (Id, InstanceId, CaseId, CaseNumber, MatterCode, MatterName, ApplicantName, Kind, StepName, Department, Role, Assignee, Status, DueAt, CreatedAt, Stamp) " +
                             "VALUES ($id, 'load', 'load', $no, '44030505001', '高龄津贴申请', '张三', 'GovFlow.ReviewTask', '审核', $dept, 'reviewer', NULL, 'Open', $due, $now, 'x')";
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        var no = insert.Parameters.Add("$no", SqliteType.Text);
        var dept = insert.Parameters.Add("$dept", SqliteType.Text);
        var due = insert.Parameters.Add("$due", SqliteType.Integer);
        insert.Parameters.AddWithValue("$now", now);
        for (var i = 0; i < 50_000 && done < count; i++, done++)
        {
            id.Value = $"load-{done:D8}";
            no.Value = $"LOAD{done:D10}";
            dept.Value = departments[done % departments.Length];
            due.Value = now + (done % 30) * 86_400_000L;
            insert.ExecuteNonQuery();
        }
        tx.Commit();
    }
    // The host counts the inbox from task_tallies, which its steps keep; tasks written past it need their tallies
    // written too. The same grouping as InboxTallies.BackfillSql in the host, restricted to the seeded tasks.
    using (var tally = connection.CreateCommand())
    {
        const string key = "\"Department\", \"Assignee\", \"Status\", \"MatterCode\", \"StepName\", \"DueAt\", \"YellowFrom\"";
        tally.CommandText = $"INSERT INTO \"task_tallies\" (\"Id\", {key}, \"Count\") SELECT lower(hex(randomblob(16))), {key}, COUNT(*) FROM \"tasks\" " +
                            $"WHERE \"InstanceId\" = 'load' AND \"Status\" IN ('Open', 'Claimed') GROUP BY {key}";
        tally.ExecuteNonQuery();
    }
    Console.WriteLine($"seeded {count} open tasks in {clock.Elapsed.TotalSeconds:0.0} s");
    return 0;
}

static async Task<int> Inbox(Uri url, int requests)
{
    using var reviewer = await SignIn(url, "reviewer01");
    for (var i = 0; i < 10; i++) (await reviewer.GetAsync("/api/tasks?scope=department")).EnsureSuccessStatusCode();
    var ok = await Run("inbox first page", requests, 1, async (_, _) => (await reviewer.GetAsync("/api/tasks?scope=department")).EnsureSuccessStatusCode());
    var counts = await Run("inbox counts per light", Math.Max(1, requests / 10), 1, async (_, _) => (await reviewer.GetAsync("/api/tasks/counts?scope=department")).EnsureSuccessStatusCode());
    return ok.Ok && counts.Ok ? 0 : 1;
}

// Refusal at the first review decides the case and leaves nothing open (an approval goes on to two more reviews,
// the certificate's mailing and the rating), so every case counts as finished for the retention policy.
static async Task<int> Finished(Uri url, int count, int concurrency)
{
    var faker = new Faker("zh_CN") { Random = new Randomizer(7) };
    var windows = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => SignIn(url, "window01")));
    var reviewers = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => SignIn(url, "reviewer02")));
    using var anonymous = new HttpClient { BaseAddress = url };
    var bodies = Enumerable.Range(0, count).Select(_ =>
    {
        var birth = new DateOnly(faker.Random.Int(1932, 1945), faker.Random.Int(1, 12), faker.Random.Int(1, 28));
        return new
        {
            matterCode = "44030505001",
            applicant = new { name = faker.Name.LastName() + faker.Name.FirstName(), idType = "111", idNumber = IdentityNumber.Complete("440305" + birth.ToString("yyyyMMdd") + faker.Random.Int(100, 999)), phone = "13900000000", address = "广东省深圳市南山区南山大道1号" },
            materials = new[] { "高龄津贴申请书", "居民身份证", "户口簿", "银行卡", "照片" }.Select(m => new { name = m, provided = true }),
            data = new { age = 2026 - birth.Year },
            channel = "window"
        };
    }).ToList();
    var ok = await Run("finished case (submit, refuse)", count, concurrency, async (i, worker) =>
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/cases") { Content = JsonContent.Create(bodies[i]) };
        request.Headers.Add("Idempotency-Key", $"finished-{i}-{Guid.NewGuid():N}");
        var response = await windows[worker].SendAsync(request);
        response.EnsureSuccessStatusCode();
        var created = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var caseId = created["caseId"]!.GetValue<string>();
        // The review opens once the submission's service calls are answered, which may be just after the response.
        string? task = null;
        for (var attempt = 0; task is null && attempt < 100; attempt++)
        {
            if (attempt > 0) await Task.Delay(100);
            var detail = await reviewers[worker].GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}");
            task = detail!["currentSteps"]!.AsArray().Select(s => s!["taskId"]?.GetValue<string>()).FirstOrDefault(t => t is not null);
        }
        if (task is null) throw new HttpRequestException($"case {caseId} has no open review");
        (await reviewers[worker].PostAsJsonAsync($"/api/tasks/{task}/complete", new { action = "reject", opinion = "申请人已在外区领取高龄津贴" })).EnsureSuccessStatusCode();
        // The applicant rates at once (otherwise the flow waits 7 days for the default rating).
        var number = created["caseNumber"]!.GetValue<string>();
        for (var attempt = 0; ; attempt++)
        {
            var rated = await anonymous.PostAsJsonAsync("/api/progress/rating", new { caseNumber = number, idNumber = bodies[i].applicant.idNumber, level = 1 });
            if (rated.IsSuccessStatusCode) break;
            if (attempt == 100) rated.EnsureSuccessStatusCode();
            await Task.Delay(100);
        }
    });
    return ok.Ok ? 0 : 1;
}
