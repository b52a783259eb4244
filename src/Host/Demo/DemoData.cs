using System.Text.Json;
using Bogus;
using GovFlow.Activities.Calendar;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Matters;
using GovFlow.Activities.Steps;
using GovFlow.Activities.Tasks;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Simulators;
using GovFlow.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Demo;

/// <summary>
/// Fills an empty demo database with cases of every matter in every state: submitted over the last weeks by the
/// simulated city's people and enterprises, then moved on by the demo clerks and reviewers, with some left waiting,
/// some corrected, some refused, some expired under tolerance, some delivered and rated.
/// </summary>
public sealed class DemoData(IServiceScopeFactory scopes, MatterCatalog catalog, SimulatedWorld world, WorkflowCompiler compiler, WorkingCalendar calendar, TimeProvider clock, ILogger<DemoData> logger)
{
    private readonly TaskCompletionSource _seeded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Completes when <see cref="SeedAsync"/> has ended (seeded, found cases already there, or stopped), so a
    /// walk-through can start on the whole demo instead of racing the seeding for the database.
    /// </summary>
    public Task Seeded => _seeded.Task;

    /// <summary>Seeds when there are no cases yet; reports progress in the log.</summary>
    public async Task SeedAsync(int cases, CancellationToken cancellationToken = default)
    {
        try { await SeedAllAsync(cases, cancellationToken); }
        finally { _seeded.TrySetResult(); }
    }

    private async Task SeedAllAsync(int cases, CancellationToken cancellationToken)
    {
        using (var scope = scopes.CreateScope())
            if (await scope.ServiceProvider.GetRequiredService<GovFlowDb>().Cases.AnyAsync(cancellationToken)) return;
        var faker = new Faker("zh_CN") { Random = new Randomizer(7) };
        var end = clock.GetUtcNow().AddDays(-1);
        var matters = catalog.Entries.ToList();
        logger.LogInformation("Seeding {Count} demo cases over {Matters} matters...", cases, matters.Count);
        var failed = 0;
        for (var i = 0; i < cases && !cancellationToken.IsCancellationRequested; i++)
        {
            var entry = matters[i % matters.Count];
            var at = new SeedClock(end.AddMinutes(-faker.Random.Int(60, 60 * 24 * 75)));
            try
            {
                await SeedCaseAsync(entry, faker, at, cancellationToken);
            }
            catch (Exception ex) when (ex is InputException or ConflictException or NotFoundException)
            {
                failed++;
                logger.LogDebug("Demo case {Index} of {Matter} stopped: {Reason}", i, entry.Matter.Name, ex.Message);
            }
            if ((i + 1) % 25 == 0) logger.LogInformation("Seeded {Done}/{Count} demo cases", i + 1, cases);
        }
        logger.LogInformation("Demo data ready ({Failed} case(s) stopped early)", failed);
    }

    private int _enterpriseCases;

    private async Task SeedCaseAsync(CatalogEntry entry, Faker faker, SeedClock at, CancellationToken cancellationToken)
    {
        var m = entry.Matter;
        var enterprise = m.ServiceObjects.Contains("2") && !m.ServiceObjects.Contains("1");
        var person = faker.PickRandom(world.People.Where(p => m.Code is "44030505001" or "44030520007" ? p.BirthDate.Year < 1946 : p.BirthDate.Year is > 1950 and < 2005).ToList());
        var company = faker.PickRandom(world.Enterprises);
        // Every third enterprise case is the first enterprise's, so its authorised staff (agent01) has cases to follow.
        if (enterprise && _enterpriseCases++ % 3 == 0) company = world.Enterprises[0];
        var age = 2026 - person.BirthDate.Year;
        var data = new Dictionary<string, JsonElement>
        {
            ["age"] = JsonSerializer.SerializeToElement(age), ["onMinimumAllowance"] = JsonSerializer.SerializeToElement(faker.Random.Bool(0.1f)),
            ["criminalRecord"] = JsonSerializer.SerializeToElement(faker.Random.Bool(0.08f)), ["carsOwned"] = JsonSerializer.SerializeToElement(faker.Random.Bool(0.9f) ? 0 : 1),
            ["codeValidUntil"] = JsonSerializer.SerializeToElement("2027-06-30"), ["housing"] = JsonSerializer.SerializeToElement(faker.PickRandom("owned", "rented")),
            ["married"] = JsonSerializer.SerializeToElement(faker.Random.Bool()), ["agent"] = JsonSerializer.SerializeToElement(false), ["hasDisabledMember"] = JsonSerializer.SerializeToElement(false)
        };
        if (m.Tolerance != null && faker.Random.Bool(0.5f)) data["toleranceCommitment"] = JsonSerializer.SerializeToElement(new { signedBy = enterprise ? company.LegalRepresentative : person.Name });
        if (faker.Random.Bool(0.03f)) { data["acceptance"] = JsonSerializer.SerializeToElement("notAccepted"); data["notAcceptedReasons"] = JsonSerializer.SerializeToElement("不属于本机关职权范围"); }
        // Paper for most materials; replaceable ones are left to the certificate library; some are forgotten.
        var materials = m.Materials.Select(x => new MaterialInput
        {
            Name = x.Name,
            Provided = !x.CertificateReplaceable && (x.ToleranceAllowed ? !data.ContainsKey("toleranceCommitment") && faker.Random.Bool(0.8f) : faker.Random.Bool(0.97f))
        }).ToList();
        var submission = new CaseSubmission
        {
            MatterCode = m.Code, Channel = faker.PickRandom("window", "window", "pc", "mobile", "selfService"), Materials = materials, Data = data,
            Applicant = enterprise
                ? new ApplicantInput { Name = company.Name, IdType = "001", IdNumber = company.Uscc, Phone = "1" + faker.Random.ReplaceNumbers("39########"), Address = company.Address }
                : new ApplicantInput { Name = person.Name, IdType = "111", IdNumber = person.IdNumber, Phone = person.Phone, Address = person.Address }
        };
        string caseId;
        using (var scope = scopes.CreateScope())
            caseId = (await Service(scope, at).SubmitAsync(submission, null, "window01", cancellationToken))["caseId"]!.GetValue<string>();

        // Move the case on, a step every 2 to 40 working hours (a clerk's queue, not the wall clock: counted in natural
        // hours, every demo case finished within a day or two and the dashboard's average read 0.6 days), and stop
        // somewhere along the way.
        var steps = faker.Random.Int(0, 9);
        for (var s = 0; s < steps; s++)
        {
            at.MoveTo(ChinaTime.ToMoment(calendar.AddWorkingHours(ChinaTime.Local(at.GetUtcNow()), faker.Random.Int(2, 40))));
            if (at.GetUtcNow() > clock.GetUtcNow()) break;
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
            var open = await db.Bookmarks.AsNoTracking().Where(b => b.InstanceId == db.Cases.Where(c => c.Id == caseId).Select(c => c.InstanceId).First())
                .OrderBy(b => b.CreatedAt).ToListAsync(cancellationToken);
            var next = open.FirstOrDefault(b => b.DueAt == null);
            if (next is null) break;
            var service = Service(scope, at);
            var actor = faker.PickRandom("reviewer01", "reviewer02", "reviewer03", "reviewer07");
            switch (next.Name)
            {
                case ReviewTask.TaskBookmark:
                    var roll = faker.Random.Double();
                    var offered = TaskContract.Offered(System.Text.Json.Nodes.JsonNode.Parse(next.PayloadJson ?? "{}") as System.Text.Json.Nodes.JsonObject).Select(a => a.Name).ToHashSet();
                    if (roll >= 0.82 && roll < 0.9 && !offered.Contains("reject")) roll = 0;
                    var action = roll < 0.82 ? new TaskAction { Action = "approve", Opinion = faker.PickRandom("同意", "材料齐全，符合条件", "经审查符合规定") }
                        : roll < 0.9 ? new TaskAction { Action = "reject", Opinion = faker.PickRandom("不符合申请条件", "材料内容与实际不符") }
                        : new TaskAction { Action = "requestCorrection", Opinion = "材料不清晰，请补正", Materials = [m.Materials[0].Name] };
                    await service.CompleteAsync(next.Id, action, actor, cancellationToken);
                    break;
                case ParallelApproval.OpinionBookmark:
                    var agree = faker.Random.Bool(0.85f);
                    await service.CompleteAsync(next.Id, new TaskAction { Action = agree ? "agree" : "disagree", Opinion = agree ? null : "不符合消防安全要求" }, actor, cancellationToken);
                    break;
                case Acceptance.CorrectionBookmark or ReviewTask.SupplementBookmark or ToleranceGap.SupplementBookmark:
                    if (faker.Random.Bool(0.3f)) return;
                    var payload = JsonDocument.Parse(next.PayloadJson ?? "{}").RootElement;
                    var needed = payload.TryGetProperty("materials", out var list) ? list.EnumerateArray().Select(e => e.GetString()!).ToList() : [];
                    await service.CompleteAsync(next.Id, new TaskAction { Action = "supply", Materials = needed }, "window01", cancellationToken);
                    break;
                case SendByPost.TrackingBookmark:
                    await service.ResumeAsync(next.Id, new Dictionary<string, object?> { ["status"] = faker.Random.Bool(0.95f) ? "delivered" : "returned", ["detail"] = "EMS" }, "ems", cancellationToken);
                    break;
                case RequestRating.RatingBookmark:
                    await service.ResumeAsync(next.Id, new Dictionary<string, object?> { ["level"] = faker.Random.WeightedRandom([1, 2, 3, 4, 5], [0.7f, 0.2f, 0.06f, 0.03f, 0.01f]), ["comment"] = faker.PickRandom("办事效率高", "窗口服务热情", "流程清楚", "等待时间较长") }, "applicant", cancellationToken);
                    break;
                case RequestRating.RectificationBookmark:
                    var stage = JsonDocument.Parse(next.PayloadJson ?? "{}").RootElement.GetProperty("stage").GetString();
                    await service.CompleteAsync(next.Id, new TaskAction { Action = stage == "resolve" ? "rectify" : "done", Opinion = "已回访并整改" }, actor, cancellationToken);
                    break;
                default:
                    return;
            }
        }
    }

    private CaseService Service(IServiceScope scope, TimeProvider at) =>
        new(scope.ServiceProvider.GetRequiredService<GovFlowDb>(), catalog, compiler, scope.ServiceProvider.GetRequiredService<InMemoryWorkflowDefinitionStore>(), scope.ServiceProvider, calendar, at,
            scope.ServiceProvider.GetRequiredService<Activities.Services.ServiceCallDispatcher>(), scope.ServiceProvider.GetRequiredService<OutboxOptions>(), scope.ServiceProvider.GetRequiredService<Workflows.Runtime.StepLimits>(), scope.ServiceProvider.GetRequiredService<Security.JournalKeys>(),
            scope.ServiceProvider.GetRequiredService<Operations.StepMetrics>(), scope.ServiceProvider.GetRequiredService<Documents.CaseNotices>(), scope.ServiceProvider.GetRequiredService<Documents.DocumentOptions>(), scope.ServiceProvider.GetRequiredService<ILogger<CaseService>>());

    private sealed class SeedClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;
        public override DateTimeOffset GetUtcNow() => _now;
        public void MoveTo(DateTimeOffset at) => _now = at;
    }
}
