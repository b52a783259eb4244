using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovFlow.Activities.Services;
using GovFlow.Host.Cli;
using GovFlow.Host.Simulators;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

[TestFixture]
public class HostTests
{
    private WebApplicationFactory<Program> _factory = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _factory = TestHost.Create();
        _http = _factory.CreateClient();
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _http.Dispose();
        _factory.Dispose();
    }

    [Test]
    public async Task Health_answers()
    {
        var response = await _http.GetAsync("/health");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task The_web_UI_is_served_for_its_pages_and_unknown_API_paths_stay_404()
    {
        var page = await _http.GetAsync("/inbox");
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await page.Content.ReadAsStringAsync(), Does.Contain("<div id=\"root\">"));
        var missing = await _http.GetAsync("/api/nope");
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(missing.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task SQLite_commits_are_durable_write_ahead_logged_and_synced()
    {
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlow.Host.Persistence.GovFlowDb>();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode;";
            Assert.That(await command.ExecuteScalarAsync(), Is.EqualTo("wal"));
            command.CommandText = "PRAGMA synchronous;";
            Assert.That(await command.ExecuteScalarAsync(), Is.EqualTo(2L), "2 = FULL");
        }
        finally { await db.Database.CloseConnectionAsync(); }
    }

    [Test]
    public async Task The_toolbox_lists_every_activity_with_its_ports_and_inputs()
    {
        var list = await _http.GetFromJsonAsync<JsonArray>("/api/activities");
        var review = list!.Single(a => a!["typeName"]!.GetValue<string>() == "GovFlow.ReviewTask")!;
        Assert.Multiple(() =>
        {
            Assert.That(review["displayNameZh"]!.GetValue<string>(), Is.EqualTo("审查审批"));
            Assert.That(review["kind"]!.GetValue<string>(), Is.EqualTo("Task"));
            Assert.That(review["outcomes"]!.AsArray().Select(o => o!.GetValue<string>()), Is.EqualTo(new[] { "Approved", "Rejected", "Returned" }));
            Assert.That(review["inputs"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()), Does.Contain("department"));
            Assert.That(list!.Select(a => a!["typeName"]!.GetValue<string>()), Is.SupersetOf(new[] { "Elsa.Flowchart", "Elsa.FlowDecision", "GovFlow.Acceptance", "GovFlow.ParallelApproval", "GovFlow.RequestRating" }));
            Assert.That(list!.All(a => a!["category"] is not null && a["displayName"] is not null), Is.True);
        });
    }

    [Test]
    public async Task Matters_are_listed_with_their_key_elements()
    {
        var list = await _http.GetFromJsonAsync<JsonArray>("/api/matters");
        Assert.That(list, Has.Count.EqualTo(19));
        var elderly = list!.Single(m => m!["code"]!.GetValue<string>() == "44030505001")!;
        Assert.Multiple(() =>
        {
            Assert.That(elderly["name"]!.GetValue<string>(), Is.EqualTo("高龄津贴申请"));
            Assert.That(elderly["type"]!.GetValue<string>(), Is.EqualTo("05"));
            Assert.That(elderly["department"]!.GetValue<string>(), Is.EqualTo("深圳市南山区民政局"));
            Assert.That(elderly["promisedLimit"]!["value"]!.GetValue<int>(), Is.EqualTo(22));
            Assert.That(elderly["flags"]!["tolerance"]!.GetValue<bool>(), Is.True);
            Assert.That(elderly["flags"]!["certificateFree"]!.GetValue<bool>(), Is.True);
        });
    }

    [Test]
    public async Task A_matter_returns_all_its_elements()
    {
        var matter = await _http.GetFromJsonAsync<JsonObject>("/api/matters/44030501004");
        var m = matter!["matter"]!;
        Assert.Multiple(() =>
        {
            Assert.That(m["materials"]!.AsArray(), Has.Count.EqualTo(7));
            Assert.That(m["parallel"]!["members"]!.AsArray(), Has.Count.EqualTo(3));
            Assert.That(m["statutoryLimit"]!["unit"]!.GetValue<string>(), Is.EqualTo("WD"));
            Assert.That(m["departmentUscc"]!.GetValue<string>(), Has.Length.EqualTo(18));
            Assert.That(matter["definitionId"]!.GetValue<string>(), Is.EqualTo("44030501004"));
        });
        var missing = await _http.GetAsync("/api/matters/00000000000");
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await missing.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), Does.Contain("00000000000"));
    }

    [TestCase("/api/calendar/add-working-days?from=2026-02-13&days=1", "date", "2026-02-14")]
    [TestCase("/api/calendar/add-working-days?from=2025-09-30&days=1", "date", "2025-10-09")]
    [TestCase("/api/calendar/working-days-between?from=2026-02-13&to=2026-02-24", "days", "2")]
    public async Task Calendar_answers(string url, string field, string expected)
    {
        var body = await _http.GetFromJsonAsync<JsonObject>(url);
        Assert.That(body![field]!.ToString(), Is.EqualTo(expected));
    }

    [TestCase("/api/calendar/add-working-days?from=2026-02-30&days=1", "from")]
    [TestCase("/api/calendar/add-working-days?days=1", "from")]
    [TestCase("/api/calendar/add-working-days?from=2026-02-13&days=-3", "days")]
    [TestCase("/api/calendar/add-working-days?from=2026-02-13&days=many", "days")]
    [TestCase("/api/calendar/working-days-between?from=2026-02-13&to=tomorrow", "to")]
    public async Task Bad_calendar_input_is_a_problem_naming_the_field(string url, string field)
    {
        var response = await _http.GetAsync(url);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["errors"]!.AsObject().ContainsKey(field), Is.True, problem.ToJsonString());
    }

    [Test]
    public async Task A_year_the_statute_cannot_be_computed_for_is_refused_not_guessed()
    {
        var response = await _http.GetAsync("/api/calendar/add-working-days?from=2100-12-20&days=20");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), Does.Contain("2101"));
    }

    [TestCase("/api/calendar/add-working-days?from=2026-12-01&days=25", "date", "2027-01-06", true)] // Jan 1 2027 off by the statute
    [TestCase("/api/calendar/add-working-days?from=2026-12-01&days=22", "date", "2026-12-31", false)]
    [TestCase("/api/calendar/working-days-between?from=2026-12-31&to=2027-01-04", "days", "1", true)]
    public async Task A_year_without_its_notice_is_computed_from_the_statute_and_says_so(string url, string field, string expected, bool provisional)
    {
        var answer = (await _http.GetFromJsonAsync<JsonObject>(url))!;
        Assert.That(answer[field]!.ToString(), Is.EqualTo(expected));
        Assert.That(answer["provisional"]!.GetValue<bool>(), Is.EqualTo(provisional));
    }

    [Test]
    public async Task The_certificate_simulator_serves_the_typed_client()
    {
        var world = _factory.Services.GetRequiredService<SimulatedWorld>();
        var person = world.People[0];
        var client = new HttpCertificateService(_factory.CreateClient(), new ServiceEndpointOptions { BaseAddress = new Uri("http://localhost/sim/certificates/"), Retries = 1, Backoff = TimeSpan.FromMilliseconds(1) });
        var found = await client.LookupAsync(new CertificateQuery(person.IdNumber, "111", "111", null, "核验申请人身份", "NS1", "window01"));
        Assert.That(found.Single(c => c.Status == "issued").HolderName, Is.EqualTo(person.Name));
        Assert.That(world.Uses.Any(u => u.HolderCode == person.IdNumber && u.UseReason == "核验申请人身份"), Is.True, "every use is logged");

        var issued = await client.IssueAsync(new CertificateIssue("203", "公共场所卫生许可证", person.IdNumber, "111", person.Name, "深圳市南山区卫生健康局", 4, "NS2", new() { ["caseNumber"] = "NS2" }));
        Assert.That((await client.LookupAsync(new CertificateQuery(person.IdNumber, "111", "203", null, "复用", null, null))).Single().Id, Is.EqualTo(issued.Id));

        await _http.PostAsJsonAsync("/sim/certificates/outage", new { down = true, delayMs = 0 });
        try
        {
            Assert.ThrowsAsync<ServiceUnavailableException>(() => client.LookupAsync(new CertificateQuery(person.IdNumber, "111", "111", null, "r", null, null)));
        }
        finally
        {
            await _http.PostAsJsonAsync("/sim/certificates/outage", new { down = false, delayMs = 0 });
        }
    }

    [Test]
    public async Task Simulated_people_and_enterprises_have_valid_codes()
    {
        var world = _factory.Services.GetRequiredService<SimulatedWorld>();
        Assert.That(world.People.All(p => GovFlow.Activities.Matters.IdentityNumber.IsValid(p.IdNumber)), Is.True);
        Assert.That(world.Enterprises.All(e => GovFlow.Activities.Matters.CreditCode.IsValid(e.Uscc)), Is.True);
        Assert.That(world.People.Select(p => p.IdNumber).Distinct().Count(), Is.EqualTo(world.People.Count));
        var response = await _http.GetAsync($"/sim/certificates/holders/{world.Enterprises[0].Uscc}");
        Assert.That((await response.Content.ReadFromJsonAsync<JsonArray>())!.Single()!["typeCode"]!.GetValue<string>(), Is.EqualTo("201"));
    }

    [Test]
    public async Task The_mailing_simulator_refuses_bad_addresses_and_follows_waybills()
    {
        var mail = new HttpMailingService(_factory.CreateClient(), new ServiceEndpointOptions { BaseAddress = new Uri("http://localhost/sim/mail/") });
        Assert.ThrowsAsync<ArgumentException>(() => mail.CreateAsync(new WaybillRequest("NS3", "result", "民政局", "张三", "13900000000", "查无此地")));
        var waybill = await mail.CreateAsync(new WaybillRequest("NS3", "result", "民政局", "张三", "13900000000", "广东省深圳市南山区南山大道1号"));
        Assert.That(waybill.Status, Is.EqualTo("created"));
        await _http.PostAsJsonAsync($"/sim/mail/waybills/{waybill.Number}/status", new { status = "returned", detail = "拒收" });
        Assert.That((await mail.TrackAsync(waybill.Number)).Status, Is.EqualTo("returned"));
        var bad = await _http.PostAsJsonAsync($"/sim/mail/waybills/{waybill.Number}/status", new { status = "lost" });
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task The_message_and_rating_simulators()
    {
        var sms = new HttpNotificationService(_factory.CreateClient(), new ServiceEndpointOptions { BaseAddress = new Uri("http://localhost/sim/notify/") });
        await sms.SendAsync("13912345678", "您的办件已办结");
        Assert.ThrowsAsync<ArgumentException>(() => sms.SendAsync("12345", "x"));
        var rating = new HttpRatingService(_factory.CreateClient(), new ServiceEndpointOptions { BaseAddress = new Uri("http://localhost/sim/ratings/") });
        Assert.That(await rating.InviteAsync(new RatingInvitation("NS4", "高龄津贴申请", "民政局", "张三", null, "window")), Is.EqualTo("INV-NS4"));
        await rating.ReportAsync("NS4", 2, "满意", false);
        Assert.That(_factory.Services.GetRequiredService<SimulatedWorld>().Ratings.Any(r => r.CaseNumber == "NS4" && r.Level == 2), Is.True);
    }

    [Test]
    public async Task Liquid_runs_in_the_sandbox_configured_under_GovFlow_Expressions_Liquid()
    {
        var dataDir = Directory.CreateTempSubdirectory("govflow-liquid").FullName;
        using (var host = TestHost.Create(dataDir, settings: new Dictionary<string, string>
               {
                   ["GovFlow:Expressions:Liquid:MaxOutputCharacters"] = "12",
                   ["GovFlow:Expressions:Liquid:TimeoutMilliseconds"] = "250"
               }))
        {
            var compiler = host.Services.GetRequiredService<Workflows.Runtime.WorkflowCompiler>();
            var liquid = (Workflows.Expressions.LiquidEvaluator)compiler.Evaluators.Find("Liquid")!;
            Assert.Multiple(() =>
            {
                Assert.That(liquid.Limits.MaxOutputCharacters, Is.EqualTo(12));
                Assert.That(liquid.Limits.TimeoutMilliseconds, Is.EqualTo(250));
                Assert.That(liquid.Limits.MaxSteps, Is.EqualTo(new Workflows.Expressions.LiquidLimits().MaxSteps), "unset limits keep their defaults");
            });

            // A workflow compiled by the host's compiler renders under those limits.
            var definition = Workflows.Serialization.WorkflowJson.Read("""
                {"id":"l-v1","definitionId":"l","name":"l","version":1,"isPublished":true,
                 "root":{"type":"Elsa.WriteLine","id":"w","version":1,
                   "text":{"typeName":"String","expression":{"type":"Liquid","value":"{% for i in (1..20) %}{{ i }}{% endfor %}"}}}}
                """, "l");
            var workflow = compiler.Compile(definition);
            var run = await new Workflows.Runtime.WorkflowRunner().StartAsync(workflow, new Workflows.Runtime.StartWorkflowRequest(), new Workflows.Runtime.WorkflowRunOptions());
            Assert.That(run.State.Incidents.Single().Message, Does.Contain("12 个字符"));
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dataDir, true);
    }

    [Test]
    public void Invalid_matters_stop_the_start_up_with_every_problem_listed()
    {
        var dir = Directory.CreateTempSubdirectory();
        File.WriteAllText(Path.Combine(dir.FullName, "bad.json"), """{"name": "坏事项", "root": {"type": "Elsa.Flowchart", "id": "f", "activities": [], "connections": []}}""");
        using var broken = _factory.WithWebHostBuilder(b => b.UseSetting("GovFlow:Matters", dir.FullName));
        var ex = Assert.Throws<InvalidOperationException>(() => broken.CreateClient());
        Assert.That(ex!.Message, Does.Contain("bad.json: 坏事项: $.customProperties: 流程定义里还没有事项信息"));
        dir.Delete(true);
    }

    [Test]
    public void Validate_matters_command_reports_and_exits()
    {
        var root = HostSetup.MattersDirectory(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(), AppContext.BaseDirectory);
        var output = new StringWriter();
        Assert.That(Commands.ValidateMatters([root], output, TextWriter.Null), Is.EqualTo(0), output.ToString());
        Assert.That(output.ToString(), Does.Contain("19 matters valid"));

        var dir = Directory.CreateTempSubdirectory();
        var json = JsonNode.Parse(File.ReadAllText(Directory.GetFiles(root, "44030505001-*.json").Single()))!;
        json["customProperties"]!["govflow:matter"]!["promisedLimit"]!["value"] = 99;
        File.WriteAllText(Path.Combine(dir.FullName, "x.json"), json.ToJsonString());
        output = new StringWriter();
        Assert.That(Commands.ValidateMatters([dir.FullName], output, TextWriter.Null), Is.EqualTo(1));
        Assert.That(output.ToString(), Does.Contain("x.json: 高龄津贴申请 (44030505001): $.customProperties['govflow:matter'].promisedLimit: 承诺办结时限（99个工作日）超过了法定办结时限（30个工作日）"));
        dir.Delete(true);
    }

    [Test]
    public async Task Run_workflow_and_roundtrip_commands_follow_the_contract()
    {
        var dir = Directory.CreateTempSubdirectory();
        var bad = Path.Combine(dir.FullName, "bad.json");
        File.WriteAllText(bad, "{\"root\": {\"type\": 3}}");
        var error = new StringWriter();
        Assert.That(await Commands.RunWorkflow([bad], TextWriter.Null, error), Is.EqualTo(2));
        Assert.That(error.ToString(), Does.Contain("$.root.type"));
        var good = Path.Combine(dir.FullName, "good.json");
        File.WriteAllText(good, """{"root": {"type": "Elsa.Sequence", "id": "s", "activities": [{"type": "Elsa.WriteLine", "id": "w", "text": {"typeName": "String", "expression": {"type": "JavaScript", "value": "`你好 ${getName()}`"}}}]}, "inputs": [{"name": "Name", "type": "String"}]}""");
        var output = new StringWriter();
        Assert.That(await Commands.RunWorkflow([good, "--input", "Name=世界"], output, TextWriter.Null), Is.EqualTo(0));
        var result = JsonNode.Parse(output.ToString())!;
        Assert.That(result["status"]!.GetValue<string>(), Is.EqualTo("Finished"));
        Assert.That(result["writeLines"]![0]!.GetValue<string>(), Is.EqualTo("你好 世界"));
        output = new StringWriter();
        Assert.That(Commands.Roundtrip([good], output, TextWriter.Null), Is.EqualTo(0));
        Assert.That(output.ToString().TrimStart(), Does.StartWith("{\n  \"$schema\""));
        dir.Delete(true);
    }
}
