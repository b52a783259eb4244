using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using GovFlow.Host.Security;
using GovFlow.Host.Simulators;
using GovFlow.Host.Api;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>
/// Case search by ID number, phone, matter, department, received dates and status (ID number and phone through
/// their blind indexes), and the export of the filtered list as a CSV file with personal data masked.
/// </summary>
[TestFixture]
public class CaseSearchTests
{
    private WebApplicationFactory<Program> _factory = null!;
    private readonly Dictionary<string, HttpClient> _clients = [];
    private SimPerson _first = null!, _second = null!;
    private string _firstCase = null!, _secondCase = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _factory = TestHost.Create();
        var elderly = _factory.Services.GetRequiredService<SimulatedWorld>().People.Where(p => p.BirthDate.Year < 1946).Take(2).ToList();
        (_first, _second) = (elderly[0], elderly[1]);
        _firstCase = await Submit(_first);
        _secondCase = await Submit(_second);
    }

    [OneTimeTearDown]
    public void Stop()
    {
        foreach (var c in _clients.Values) c.Dispose();
        _factory.Dispose();
    }

    private async Task<HttpClient> As(string user)
    {
        if (_clients.TryGetValue(user, out var existing)) return existing;
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        var response = await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = DemoUsers.Password });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return _clients[user] = client;
    }

    private async Task<string> Submit(SimPerson person)
    {
        var body = new
        {
            matterCode = "44030505001", channel = "window", data = new { age = 2026 - person.BirthDate.Year },
            applicant = new { name = person.Name, idType = "111", idNumber = person.IdNumber, phone = person.Phone, address = person.Address },
            materials = new[] { "高龄津贴申请书", "居民身份证", "银行卡", "照片" }.Select(m => new { name = m, provided = true })
        };
        var response = await (await As("window01")).PostAsJsonAsync("/api/cases", body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["caseId"]!.GetValue<string>();
    }

    private async Task<List<string>> Found(string query, string user = "auditor01")
    {
        var page = await (await As(user)).GetFromJsonAsync<JsonObject>($"/api/cases?pageSize=100&{query}");
        return [.. page!["items"]!.AsArray().Select(i => i!["caseId"]!.GetValue<string>()).Where(id => id == _firstCase || id == _secondCase)];
    }

    [Test]
    public async Task By_ID_number_and_by_phone_only_that_applicants_cases_are_found()
    {
        Assert.Multiple(async () =>
        {
            Assert.That(await Found($"idNumber={_first.IdNumber}"), Is.EqualTo(new[] { _firstCase }));
            Assert.That(await Found($"idNumber={_second.IdNumber.ToLowerInvariant()}"), Is.EqualTo(new[] { _secondCase }), "an x check digit in either case");
            Assert.That(await Found($"phone={Uri.EscapeDataString(_second.Phone)}"), Is.EqualTo(new[] { _secondCase }));
            Assert.That(await Found($"idNumber={_first.IdNumber}&phone={Uri.EscapeDataString(_second.Phone)}"), Is.Empty, "filters narrow together");
        });
    }

    [Test]
    public async Task By_matter_department_status_and_received_dates()
    {
        var both = new[] { _firstCase, _secondCase };
        Assert.Multiple(async () =>
        {
            Assert.That(await Found("matter=44030505001"), Is.EquivalentTo(both));
            Assert.That(await Found("matter=44030501004"), Is.Empty);
            Assert.That(await Found($"department={Uri.EscapeDataString("深圳市南山区民政局")}"), Is.EquivalentTo(both));
            Assert.That(await Found($"department={Uri.EscapeDataString("深圳市南山区市场监督管理局")}"), Is.Empty);
            Assert.That(await Found("status=Completed"), Is.Empty);
            // Received on Monday 2 March 2026 (China time): the day's range includes its whole day.
            Assert.That(await Found("from=2026-03-02&to=2026-03-02"), Is.EquivalentTo(both));
            Assert.That(await Found("from=2026-03-03"), Is.Empty);
            Assert.That(await Found("to=2026-03-01"), Is.Empty);
        });
    }

    [Test]
    public async Task A_partial_ID_number_or_phone_is_refused_at_its_field_instead_of_finding_nothing()
    {
        var window = await As("window01");
        var id = await window.GetAsync($"/api/cases?idNumber={_first.IdNumber[..14]}");
        Assert.That(id.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await id.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["idNumber"]![0]!.GetValue<string>(), Is.EqualTo("请填写完整证件号码"));
        var phone = await window.GetAsync($"/api/cases?phone={_first.Phone[..7]}");
        Assert.That(phone.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await phone.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["phone"]![0]!.GetValue<string>(), Is.EqualTo("请填写完整手机号码"));
        Assert.That((await window.GetAsync($"/api/cases?phone={Uri.EscapeDataString(_first.Phone[..3] + "-" + _first.Phone[3..7] + " " + _first.Phone[7..])}")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "separators are allowed");
        Assert.That((await window.GetAsync("/api/cases?phone=0755-86001234")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "a landline with its area code");
    }

    [Test]
    public async Task The_search_box_finds_by_the_start_of_a_case_number_or_a_name_and_by_a_whole_ID_number_or_phone()
    {
        var auditor = await As("auditor01");
        var number = (await auditor.GetFromJsonAsync<JsonObject>($"/api/cases/{_firstCase}"))!["caseNumber"]!.GetValue<string>();
        Assert.Multiple(async () =>
        {
            Assert.That(await Found($"q={number}"), Is.EqualTo(new[] { _firstCase }), "the whole number");
            Assert.That(await Found($"q={number[..8]}"), Is.EquivalentTo(new[] { _firstCase, _secondCase }), "the day's numbers");
            Assert.That(await Found($"q={number[^6..]}"), Is.Empty, "not inside a number: that would read every case");
            Assert.That(await Found($"q={Uri.EscapeDataString(_first.Name)}"), Does.Contain(_firstCase), "the whole name");
            Assert.That(await Found($"q={Uri.EscapeDataString(_first.Name[..1])}"), Does.Contain(_firstCase), "the start of the name");
            Assert.That(await Found($"q={_first.IdNumber}"), Does.Contain(_firstCase).And.Not.Contain(_secondCase), "a whole ID number");
            Assert.That(await Found($"q={_first.IdNumber[..14]}"), Is.Empty, "part of an ID number finds nothing: it has no blind index");
        });
    }

    [Test]
    public async Task The_search_by_case_number_ID_number_or_phone_reads_no_case_it_does_not_find()
    {
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        var number = await db.Cases.Where(c => c.Id == _firstCase).Select(c => c.CaseNumber).SingleAsync();
        foreach (var (what, shape) in SearchShapes(db, number, _first.Name, _first.IdNumber, _first.Phone))
        {
            var plan = await PlanAsync(shape, "EXPLAIN QUERY PLAN ", reader => reader.GetString(3));
            Assert.That(plan, Has.None.Match(@"^SCAN (c|cases)\b"), $"{what}: {string.Join(" | ", plan)}\n{shape.ToQueryString()}");
        }
    }

    /// <summary>
    /// The queries a search by case number (whole, a day's), name, ID number or phone sends, as the window clerk and
    /// the reviewer ask it: the filtered cases (the total counts these) and the first page, priority cases first.
    /// </summary>
    internal static IEnumerable<(string What, IQueryable<CaseRecord> Query)> SearchShapes(GovFlowDb db, string number, string name, string idNumber, string phone)
    {
        var lights = new WarningLights(TestHost.Now, TestHost.Now.AddDays(3));
        var filters = new (string What, CaseFilter Filter)[]
        {
            ("whole case number", new(number, null, null, null, null, null, null, null, null)),
            ("a day's case numbers", new(number[..8], null, null, null, null, null, null, null, null)),
            ("name", new(name, null, null, null, null, null, null, null, null)),
            ("ID number in the box", new(idNumber, null, null, null, null, null, null, null, null)),
            ("ID number", new(null, null, null, null, null, idNumber, null, null, null)),
            ("phone", new(null, null, null, null, null, null, phone, null, null)),
        };
        foreach (var caller in new[] { new Caller("window01", Roles.Window, "综合窗口", null), new Caller("reviewer01", Roles.Reviewer, "深圳市南山区民政局", null) })
        foreach (var (what, filter) in filters)
        {
            var query = CaseEndpoints.Matching(filter, caller, db, lights)!;
            yield return ($"{caller.Role}, {what}", query);
            yield return ($"{caller.Role}, {what}, first page", query.OrderBy(c => c.Priority == null).ThenByDescending(c => c.ReceivedAt).Take(20));
        }
    }

    /// <summary>The database's plan for a query: each row of <paramref name="explain"/> + the query's SQL, as <paramref name="line"/> reads it.</summary>
    internal static async Task<List<string>> PlanAsync<T>(IQueryable<T> query, string explain, Func<System.Data.Common.DbDataReader, string> line)
    {
        await using var command = query.CreateDbCommand();
        command.CommandText = explain + command.CommandText;
        if (command.Connection!.State != System.Data.ConnectionState.Open) await command.Connection.OpenAsync();
        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) plan.Add(line(reader));
        return plan;
    }

    [Test]
    public async Task A_date_range_the_wrong_way_round_or_malformed_is_refused_in_words()
    {
        var auditor = await As("auditor01");
        var reversed = await auditor.GetAsync("/api/cases?from=2026-03-05&to=2026-03-01");
        Assert.That(reversed.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await reversed.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["to"]![0]!.GetValue<string>(), Does.Contain("截止日不能早于起始日"));
        var malformed = await auditor.GetAsync("/api/cases?from=3/2/2026");
        Assert.That((await malformed.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["from"]![0]!.GetValue<string>(), Does.Contain("年-月-日"));
    }

    [Test]
    public async Task The_export_is_the_filtered_list_as_CSV_with_a_BOM_in_Chinese_with_personal_data_masked()
    {
        var response = await (await As("window01")).GetAsync($"/api/cases/export?idNumber={_first.IdNumber}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/csv"));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.That(bytes.Take(3), Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }), "a byte-order mark, so spreadsheets read the Chinese");
        var lines = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(lines[0], Does.StartWith("办件编号,事项名称,事项编码,实施部门,申请人,证件号码,联系电话"));
            Assert.That(lines, Has.Length.EqualTo(2), "the header and the one case the filter finds");
            Assert.That(lines[1], Does.Contain(_first.Name).And.Contain("高龄津贴").And.Contain("窗口").And.Contain("2026-03-02"));
            Assert.That(lines[1], Does.Not.Contain(_first.IdNumber).And.Not.Contain(_first.Phone), "personal data masked as on screen");
            Assert.That(lines[1], Does.Contain("****"));
            Assert.That(lines[1], Does.Not.Contain("Accepted").And.Not.Contain("InReview").And.Not.Contain("green"), "statuses and lights in words");
        });
    }

    [Test]
    public async Task The_export_is_authorised_like_the_list()
    {
        Assert.That((await (await As("policy01")).GetAsync("/api/cases/export")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await _factory.CreateClient().GetAsync("/api/cases/export")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        // Reviewers of another department see neither the cases in the list nor in the export.
        var other = await (await As("reviewer07")).GetStringAsync("/api/cases/export");
        Assert.That(other, Does.Not.Contain(_first.Name).And.Not.Contain(_second.Name));
    }

    [Test]
    public void A_cell_a_spreadsheet_would_run_as_a_formula_opens_as_text()
    {
        Assert.Multiple(() =>
        {
            Assert.That(GovFlow.Host.Api.CaseListExport.Cell("=SUM(A1)"), Is.EqualTo("'=SUM(A1)"));
            Assert.That(GovFlow.Host.Api.CaseListExport.Cell("张三,李四"), Is.EqualTo("\"张三,李四\""));
            Assert.That(GovFlow.Host.Api.CaseListExport.Cell("说\"好\""), Is.EqualTo("\"说\"\"好\"\"\""));
        });
    }
}
