using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Priority;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>
/// A submission reads the window's department, the regions of its hall and of the matter's owner, and the
/// applicant's 绿色通道 entry in one database command, with the same answers the separate reads gave.
/// </summary>
[TestFixture]
public class SubmissionFactsTests : DataDirFixture
{
    private const string Futian = "深圳市福田区沙头街道办事处";
    private const string PoliceNanshan = "深圳市公安局南山分局";

    [OneTimeSetUp]
    public void Listen() => EfCommands.Listen();

    [Test]
    public async Task A_submissions_facts_come_in_one_command_on_SQLite()
    {
        using var host = TestHost.Create(DataDir);
        await AssertFactsAsync(host);
    }

    [Test]
    public async Task A_window_submission_reads_the_database_once_before_its_commit()
    {
        using var host = TestHost.Create(DataDir, deliverInline: false);
        await CalendarYearTests.SubmitElderlyAllowanceAsync(host); // the first one also warms caches
        var (answer, commands) = await EfCommands.CountAsync(_ => CalendarYearTests.SubmitElderlyAllowanceAsync(host));
        Assert.That((string?)answer["status"], Is.Not.Null);
        Assert.That(commands, Is.EqualTo(1), "the facts' read; the commit's rows go through the writer's own prepared commands");
    }

    /// <summary>The facts for a window, a clerk who is not one, a marked and an unmarked applicant (also run on PostgreSQL).</summary>
    internal static async Task AssertFactsAsync(WebApplicationFactory<Program> host)
    {
        using var scope = host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        var day = new DateOnly(2026, 3, 2);
        var marked = db.Protector!.IdIndex("11010519491231002X")!;
        // Two entries for the applicant: the later mark flags the case; a revoked one and an ended one flag nothing.
        db.PriorityApplicants.AddRange(
            Entry("p-older", marked, day.AddDays(30), new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero)),
            Entry("p-latest", marked, day.AddDays(10), new DateTimeOffset(2026, 2, 5, 9, 0, 0, TimeSpan.Zero)),
            Entry("p-revoked", marked, day.AddDays(60), new DateTimeOffset(2026, 2, 20, 9, 0, 0, TimeSpan.Zero)),
            Entry("p-ended", marked, day.AddDays(-1), new DateTimeOffset(2026, 2, 25, 9, 0, 0, TimeSpan.Zero)));
        await db.SaveChangesAsync();
        await db.PriorityApplicants.Where(p => p.Id == "p-revoked").ExecuteUpdateAsync(s => s.SetProperty(p => p.RevokedAt, DateTimeOffset.UtcNow).SetProperty(p => p.RevokedBy, "policy01"));
        var regions = await db.Departments.AsNoTracking().Where(d => d.Name == Futian || d.Name == PoliceNanshan).ToDictionaryAsync(d => d.Name, d => new Region(d.RegionCode, d.RegionName));
        Assert.That(regions[Futian].Code, Is.Not.Null, "the demo hall has a region");

        var (window, commands) = await EfCommands.CountAsync(ct => SubmissionFacts.ReadAsync(db, "window02", PoliceNanshan, marked, day, ct));
        Assert.That(commands, Is.EqualTo(1), "one round trip");
        Assert.That(window, Is.EqualTo(new SubmissionFacts(Futian, regions[Futian], regions[PoliceNanshan], "p-latest")));

        var clerk = await SubmissionFacts.ReadAsync(db, "reviewer01", PoliceNanshan, db.Protector.IdIndex("440305199001011234"), day, CancellationToken.None);
        Assert.That(clerk, Is.EqualTo(new SubmissionFacts(null, new Region(null, null), regions[PoliceNanshan], null)), "not a window, not on the register");
        var unknown = await SubmissionFacts.ReadAsync(db, "nobody", "没有这个部门", null, day, CancellationToken.None);
        Assert.That(unknown, Is.EqualTo(new SubmissionFacts(null, new Region(null, null), new Region(null, null), null)));
        var afterTheLatest = await SubmissionFacts.ReadAsync(db, "window02", PoliceNanshan, marked, day.AddDays(11), CancellationToken.None);
        Assert.That(afterTheLatest.PriorityEntryId, Is.EqualTo("p-older"), "the latest has ended; the older still stands");
    }

    private static PriorityApplicant Entry(string id, string index, DateOnly endsOn, DateTimeOffset markedAt) => new()
    {
        Id = id, IdType = "111", IdNumber = "11010519491231002X", IdIndex = index, Name = "张三", Kind = PriorityKinds.GreenChannel,
        Reason = "重点项目", EndsOn = endsOn, MarkedBy = "policy01", MarkedAt = markedAt, Stamp = Guid.NewGuid().ToString("N")
    };
}
