using System.Text.Json.Nodes;
using Bogus;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Matters;
using GovFlow.Activities.Services;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;
using GovFlow.Workflows.Serialization;

namespace GovFlow.Activities.Tests;

/// <summary>Runs catalog matters with in-memory services and a hand-moved clock.</summary>
internal sealed class Harness : IServiceProvider
{
    private static readonly string Catalog = Path.Combine(FindRoot(), "workflows-json");

    public Harness(DateTimeOffset? now = null)
    {
        Clock = new ManualClock(now ?? new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.FromHours(8)));
        Engine = new WorkflowEngine(GovFlowActivities.CreateRegistry(), new WorkflowEngineOptions { Clock = Clock, Services = this });
        Credit = new FakeCredit(Engine);
    }

    public ManualClock Clock { get; }
    public WorkflowEngine Engine { get; }
    public FakeCertificates Certificates { get; } = new();
    public FakePopulation Population { get; } = new();
    public FakeMail Mail { get; } = new();
    public FakeRatings Ratings { get; } = new();
    public FakeMessages Messages { get; } = new();
    public FakeCredit Credit { get; }

    public object? GetService(Type serviceType) =>
        serviceType == typeof(ICertificateService) ? Certificates
        : serviceType == typeof(IPopulationService) ? Population
        : serviceType == typeof(IMailingService) ? Mail
        : serviceType == typeof(IRatingService) ? Ratings
        : serviceType == typeof(INotificationService) ? Messages
        : serviceType == typeof(ICreditRecords) ? Credit
        : null;

    public static WorkflowDefinition Matter(string code) =>
        WorkflowJson.ReadFile(Directory.GetFiles(Catalog, code + "-*.json").Single());

    public static string RepoFile(params string[] parts) => Path.Combine([FindRoot(), .. parts]);

    public Task<WorkflowState> StartAsync(string code, Dictionary<string, object?> @case) => StartAsync(Matter(code), @case);

    public async Task<WorkflowState> StartAsync(WorkflowDefinition definition, Dictionary<string, object?> @case)
    {
        Engine.Definitions.Add(definition);
        var state = await Engine.StartAsync(definition, new StartWorkflowRequest { Input = new Dictionary<string, object?> { ["case"] = @case } }, "window01");
        return await DeliverCallsAsync(state);
    }

    /// <summary>Calls the outbox could not deliver yet (their service is down); <see cref="DeliverCallsAsync"/> retries them.</summary>
    public HashSet<string> Undelivered { get; } = [];

    /// <summary>Does what the host does after each commit: delivers the instance's service calls and resumes them with the replies.</summary>
    public async Task<WorkflowState> DeliverCallsAsync(WorkflowState state, bool retry = false)
    {
        if (retry) Undelivered.Clear();
        var dispatcher = new ServiceCallDispatcher(this);
        for (var i = 0; i < 100; i++)
        {
            state = Engine.Instance(state.Id)!;
            var call = state.Bookmarks.FirstOrDefault(b => b.IsServiceCall() && !Undelivered.Contains(b.Id));
            if (call is null) return state;
            var outcome = await dispatcher.DeliverAsync(call.Payload!, call.Id);
            if (outcome.Reply is null) Undelivered.Add(call.Id);
            else await Engine.ResumeAsync(state.Id, call.Id, outcome.Reply.ToJson(), "system");
        }
        throw new InvalidOperationException("The flow kept asking for service calls.");
    }

    public async Task<WorkflowState> ResumeAsync(WorkflowState state, string bookmarkName, object? input, string actor = "reviewer01", Func<Bookmark, bool>? which = null)
    {
        var bookmark = Engine.Instance(state.Id)!.Bookmarks.First(b => b.Name == bookmarkName && (which?.Invoke(b) ?? true));
        return await DeliverCallsAsync(await Engine.ResumeAsync(state.Id, bookmark.Id, input, actor));
    }

    public JsonObject CaseFile(WorkflowState state) => (JsonObject)state.Properties[Cases.CaseFile.PropertyName]!;

    public static IReadOnlyList<string> Open(WorkflowState state) => state.Bookmarks.Select(b => b.Name).ToList();

    public static Dictionary<string, object?> Action(string action, string? opinion = null, params (string Key, object? Value)[] more)
    {
        var d = new Dictionary<string, object?> { ["action"] = action, ["opinion"] = opinion };
        foreach (var (k, v) in more) d[k] = v;
        return d;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GovFlow.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("GovFlow.sln not found.");
    }
}

/// <summary>Bogus zh_CN applicants with valid ID numbers.</summary>
internal static class People
{
    private static readonly Faker Faker = new("zh_CN") { Random = new Randomizer(20261122) };

    public static (string Name, string IdNumber, string Phone, string Address) Next(int birthYear = 1990)
    {
        var body = "440305" + new DateOnly(birthYear, Faker.Random.Int(1, 12), Faker.Random.Int(1, 28)).ToString("yyyyMMdd") + Faker.Random.Int(100, 999).ToString();
        return (Faker.Name.LastName() + Faker.Name.FirstName(), IdentityNumber.Complete(body), "139" + Faker.Random.ReplaceNumbers("########"),
            "广东省深圳市南山区" + Faker.Address.StreetName() + Faker.Random.Int(1, 300) + "号");
    }

    public static Dictionary<string, object?> Case(string matterCode, string[] provided, Dictionary<string, object?>? data = null, (string Name, string IdNumber, string Phone, string Address)? who = null)
    {
        var p = who ?? Next();
        return new Dictionary<string, object?>
        {
            ["caseNumber"] = $"NS{matterCode[^3..]}{Faker.Random.Int(100000, 999999)}",
            ["matterCode"] = matterCode,
            ["applicant"] = new Dictionary<string, object?> { ["name"] = p.Name, ["idType"] = "111", ["idNumber"] = p.IdNumber, ["phone"] = p.Phone, ["address"] = p.Address },
            ["materials"] = provided.Select(m => (object?)new Dictionary<string, object?> { ["name"] = m, ["provided"] = true }).ToList(),
            ["data"] = data ?? new Dictionary<string, object?>(),
            ["channel"] = "window"
        };
    }
}

internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;
    public override DateTimeOffset GetUtcNow() => _now;
    public void Advance(TimeSpan by) => _now += by;
}

internal sealed class FakeCertificates : ICertificateService
{
    public List<Certificate> Library { get; } = [];
    public List<CertificateQuery> Queries { get; } = [];
    public bool Down { get; set; }

    public Certificate Give(string holder, string type, string status = "issued", DateOnly? validTo = null, string? name = null) =>
        Add(new Certificate { Id = Guid.NewGuid().ToString("N"), TypeCode = type, TypeName = name ?? type, Number = type + "-" + Library.Count, HolderCode = holder, HolderName = "持证人",
            Issuer = "深圳市公安局", IssuedOn = new DateOnly(2020, 1, 1), ValidFrom = new DateOnly(2020, 1, 1), ValidTo = validTo, Status = status, Data = new() { ["holder"] = holder } });

    public Certificate Add(Certificate c) { Library.Add(c); return c; }

    public Task<IReadOnlyList<Certificate>> LookupAsync(CertificateQuery query, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        Queries.Add(query);
        if (Down) throw new ServiceUnavailableException("电子证照库", "connection refused after 4 attempts");
        return Task.FromResult<IReadOnlyList<Certificate>>(Library.Where(c => c.TypeCode == query.CertificateType && (c.HolderCode == query.HolderCode || c.Data.GetValueOrDefault("alias") == query.HolderCode)).ToList());
    }

    public Task<Certificate> IssueAsync(CertificateIssue issue, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        if (Down) throw new ServiceUnavailableException("电子证照库", "timeout");
        return Task.FromResult(Give(issue.HolderCode, issue.TypeCode, name: issue.TypeName));
    }
}

/// <summary>The population database as a dictionary; a resident not added is not found.</summary>
internal sealed class FakePopulation : IPopulationService
{
    public Dictionary<string, Resident> Residents { get; } = [];
    public List<ResidentQuery> Queries { get; } = [];
    public bool Down { get; set; }

    public Resident Add(string idNumber, bool criminalRecord = false, int cars = 0, int age = 31) =>
        Residents[idNumber] = new Resident { IdNumber = idNumber, Name = "居民", Age = age, HukouCity = "深圳市", HukouDistrict = "440305", CriminalRecord = criminalRecord, CarsRegistered = cars };

    public Task<Resident?> LookupAsync(ResidentQuery query, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        Queries.Add(query);
        if (Down) throw new ServiceUnavailableException("人口库", "connection refused after 4 attempts");
        return Task.FromResult(Residents.GetValueOrDefault(query.IdNumber));
    }

    public Task<IReadOnlyList<Resident>> SearchAsync(ResidentSearch search, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<Resident>>([.. Residents.Values.Where(r => r.BirthDate >= search.BornFrom && r.BirthDate <= search.BornTo)]);
}

internal sealed class FakeMail : IMailingService
{
    public List<WaybillRequest> Requests { get; } = [];
    public bool Down { get; set; }

    public Task<Waybill> CreateAsync(WaybillRequest request, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        if (Down) throw new ServiceUnavailableException("邮政寄递服务", "HTTP 503 after 4 attempts");
        if (request.ReceiverAddress.Contains("查无此地", StringComparison.Ordinal)) throw new ArgumentException("地址无法投递");
        Requests.Add(request);
        return Task.FromResult(new Waybill("EMS" + (1000000000 + Requests.Count), "created", "已下单", DateTimeOffset.UtcNow));
    }

    public Task<Waybill> TrackAsync(string number, CancellationToken cancellationToken = default) => Task.FromResult(new Waybill(number, "inTransit", null, DateTimeOffset.UtcNow));

    public Task<IReadOnlyList<Waybill>> TrackManyAsync(IReadOnlyCollection<string> numbers, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<Waybill>>([.. numbers.Select(n => new Waybill(n, "inTransit", null, DateTimeOffset.UtcNow))]);
}

internal sealed class FakeRatings : IRatingService
{
    public List<(string Case, int Level, bool Rectified)> Reports { get; } = [];
    public bool Down { get; set; }
    public Task<string> InviteAsync(RatingInvitation invitation, string? idempotencyKey = null, CancellationToken cancellationToken = default) => Task.FromResult("INV-" + invitation.CaseNumber);
    public Task ReportAsync(string caseNumber, int level, string? comment, bool rectified, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        if (Down) throw new ServiceUnavailableException("好差评系统", "HTTP 503 after 4 attempts");
        Reports.Add((caseNumber, level, rectified));
        return Task.CompletedTask;
    }
}

internal sealed class FakeMessages : INotificationService
{
    public List<(string Phone, string Text)> Sent { get; } = [];
    public bool Down { get; set; }
    public Task SendAsync(string phone, string message, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        if (Down) throw new ServiceUnavailableException("短信平台", "timeout");
        Sent.Add((phone, message));
        return Task.CompletedTask;
    }
}

// Like the host's, the credit record is what the case files say: a case whose tolerance commitment was broken.
internal sealed class FakeCredit(WorkflowEngine engine) : ICreditRecords
{
    public Task<bool> HasBrokenCommitmentAsync(string idNumber, CancellationToken cancellationToken = default) =>
        Task.FromResult(engine.Instances.Any(i => i.Properties[CaseFile.PropertyName]?["brokenCommitment"]?.GetValue<bool>() == true
                                                  && i.Input["case"]?["applicant"]?["idNumber"]?.GetValue<string>() == idNumber));
}
