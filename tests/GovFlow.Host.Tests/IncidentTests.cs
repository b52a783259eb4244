using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using GovFlow.Activities.Cases;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using GovFlow.Host.Simulators;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>A step that faults is seen as 异常 with its error, and a supervisor's retry runs it once the cause is fixed.</summary>
[TestFixture]
public class IncidentTests : DataDirFixture
{
    private TestClock _clock = null!;
    private WebApplicationFactory<Program> _factory = null!;

    [SetUp]
    public void Start()
    {
        _clock = new TestClock(TestHost.Now);
        _factory = TestHost.Create(DataDir, _clock);
    }

    [TearDown]
    public void Stop() => _factory.Dispose();

    [Test]
    public async Task A_faulted_step_is_an_incident_the_case_stays_put_and_a_retry_runs_it()
    {
        var reviewer = await SignInAsync("reviewer02");
        var caseId = await SubmitAsync();
        var task = (await reviewer.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}"))!["currentSteps"]![0]!["taskId"]!.GetValue<string>();

        // Past the years whose holidays can be known or computed the next step cannot count its working days: the approval faults.
        _clock.Now = new DateTimeOffset(2100, 12, 31, 10, 0, 0, TimeSpan.FromHours(8));
        reviewer = await SignInAsync("reviewer02");
        var failed = await reviewer.PostAsJsonAsync($"/api/tasks/{task}/complete", new { action = "approve", opinion = "同意" });
        Assert.That(failed.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await failed.Content.ReadAsStringAsync(), Does.Contain("已记为异常"));

        var auditor = await SignInAsync("auditor01");
        var view = (await auditor.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}"))!;
        var incident = view["incidents"]!.AsArray().Single()!;
        Assert.Multiple(() =>
        {
            Assert.That(view["status"]!.GetValue<string>(), Is.EqualTo(CaseStatus.InReview));
            Assert.That(view["currentSteps"]![0]!["taskId"]!.GetValue<string>(), Is.EqualTo(task), "the step did not happen: the task is still open");
            Assert.That(incident["message"]!.GetValue<string>(), Does.Contain("2101"));
            Assert.That(incident["actor"]!.GetValue<string>(), Is.EqualTo("reviewer02"));
            // The step that faulted is the one the approval leads to (its due date cannot be counted), named as the flow names it.
            Assert.That(incident["stepName"]!.GetValue<string>(), Is.EqualTo("审核"), "the step by its name, not its id " + incident["step"]);
        });
        var list = await auditor.GetFromJsonAsync<JsonArray>("/api/incidents");
        Assert.That(list!.Select(i => i!["caseId"]!.GetValue<string>()), Does.Contain(caseId), "the exceptions list");
        Assert.That((await reviewer.GetAsync("/api/incidents")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        // The cause goes (here: back within the computable years) and the supervisor retries the step as it was asked for.
        _clock.Now = TestHost.Now.AddDays(1);
        auditor = await SignInAsync("auditor01");
        var retried = await auditor.PostAsync($"/api/incidents/{incident["incidentId"]!.GetValue<string>()}/retry", null);
        Assert.That(retried.StatusCode, Is.EqualTo(HttpStatusCode.OK), await retried.Content.ReadAsStringAsync());
        view = (await auditor.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}"))!;
        Assert.Multiple(async () =>
        {
            Assert.That(view["incidents"]!.AsArray(), Is.Empty);
            Assert.That(view["steps"]!.AsArray().Select(s => s!["handler"]?.GetValue<string>()), Does.Contain("reviewer02"), "the step is the reviewer's, as asked");
            Assert.That(view["currentSteps"]![0]!["taskId"]!.GetValue<string>(), Is.Not.EqualTo(task), "the case moved to its next step");
            Assert.That(await auditor.GetFromJsonAsync<JsonArray>("/api/incidents"), Is.Empty);
        });
        var again = await auditor.PostAsync($"/api/incidents/{incident["incidentId"]!.GetValue<string>()}/retry", null);
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "a resolved incident is not run twice");
    }

    private async Task<string> SubmitAsync()
    {
        var person = _factory.Services.GetRequiredService<SimulatedWorld>().People.First(p => p.BirthDate.Year < 1946);
        using var scope = _factory.Services.CreateScope();
        var response = await scope.ServiceProvider.GetRequiredService<CaseService>().SubmitAsync(new CaseSubmission
        {
            MatterCode = "44030505001",
            Applicant = new ApplicantInput { Name = person.Name, IdType = "111", IdNumber = person.IdNumber, Phone = person.Phone, Address = person.Address },
            Materials = new[] { "高龄津贴申请书", "居民身份证", "银行卡", "照片" }.Select(m => new MaterialInput { Name = m, Provided = true }).ToList(),
            Data = new() { ["age"] = JsonSerializer.SerializeToElement(2026 - person.BirthDate.Year) }
        }, null, "window01");
        return response["caseId"]!.GetValue<string>();
    }

    private async Task<HttpClient> SignInAsync(string user)
    {
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        (await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = DemoUsers.Password })).EnsureSuccessStatusCode();
        return client;
    }
}
