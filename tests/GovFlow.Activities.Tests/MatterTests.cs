using System.Net;
using System.Text.Json.Nodes;
using GovFlow.Activities.Matters;
using GovFlow.Activities.Services;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;
using GovFlow.Workflows.Serialization;

namespace GovFlow.Activities.Tests;

[TestFixture]
public class MatterTests
{
    private static readonly ActivityRegistry Registry = GovFlowActivities.CreateRegistry();

    public static IEnumerable<TestCaseData> CatalogFiles() =>
        Directory.GetFiles(Harness.RepoFile("workflows-json"), "*.json").Order().Select(f => new TestCaseData(f).SetName($"Catalog({Path.GetFileNameWithoutExtension(f)})"));

    [Test]
    public void The_catalog_has_at_least_15_valid_matters_covering_every_feature()
    {
        var catalog = MatterCatalog.Load(Harness.RepoFile("workflows-json"), Registry);
        Assert.That(catalog.Problems, Is.Empty, string.Join("\n", catalog.Problems));
        var matters = catalog.Entries.Select(e => e.Matter).ToList();
        var types = catalog.Entries.SelectMany(e => e.Definition.Root!.Descendants().Select(d => d.Type)).ToHashSet();
        Assert.Multiple(() =>
        {
            Assert.That(matters, Has.Count.GreaterThanOrEqualTo(15));
            Assert.That(matters.Select(m => m.CaseType).Distinct(), Is.EquivalentTo(new[] { "1", "2" }), "即办件 and 承诺件");
            Assert.That(matters.Any(m => m.Tolerance != null), Is.True, "tolerance gap");
            Assert.That(matters.Any(m => m.Parallel != null), Is.True, "parallel approval");
            Assert.That(matters.Any(m => m.InstantApprovalRules.Count > 0), Is.True, "instant approval");
            Assert.That(matters.Any(m => m.Materials.Any(x => x.CertificateReplaceable)), Is.True, "certificate-free materials");
            Assert.That(matters.Any(m => m.EffectiveAcceptance != null), Is.True, "handled anywhere");
            Assert.That(types, Is.SupersetOf(new[] { "GovFlow.ParallelApproval", "GovFlow.ToleranceGap", "GovFlow.RuleCheck", "GovFlow.CertificateLookup", "Elsa.FlowFork", "Elsa.FlowJoin" }));
            foreach (var e in catalog.Entries)
            {
                var nodes = e.Definition.Root!.Descendants().Select(d => d.Type).ToList();
                Assert.That(nodes, Does.Contain("GovFlow.RequestRating"), $"{e.Matter.Name} invites a rating");
                Assert.That(nodes.Contains("GovFlow.SendByPost") || !e.Matter.Flags.CourierDelivery, Is.True, $"{e.Matter.Name} posts its result");
            }
        });
    }

    [TestCaseSource(nameof(CatalogFiles))]
    public void Every_catalog_file_round_trips_and_keeps_its_matter(string file)
    {
        var definition = WorkflowJson.ReadFile(file);
        var exported = WorkflowJson.ToJson(definition);
        Assert.That(JsonNode.DeepEquals(WorkflowJson.ToJson(WorkflowJson.Read(exported.ToJsonString())), exported), Is.True);
        Assert.That(JsonNode.DeepEquals(exported["customProperties"]![MatterJson.PropertyName], JsonNode.Parse(File.ReadAllText(file))!["customProperties"]![MatterJson.PropertyName]), Is.True);
        Assert.That(MatterJson.Read(definition)!.Code, Is.EqualTo(Path.GetFileName(file)[..11]));
    }

    // One broken matter per rule: change the elderly-allowance file, expect exactly the problem at its path.
    private static IEnumerable<TestCaseData> Rules()
    {
        yield return Rule("promised limit above statutory", m => m["promisedLimit"] = Limit(31), "$.customProperties['govflow:matter'].promisedLimit", "超过了法定办结时限");
        yield return Rule("step limits above promised", m => m["steps"]![1]!["limit"] = Limit(9), "$.customProperties['govflow:matter'].steps", "合计 25 个工作日");
        yield return Rule("tolerance on a main material", m => m["materials"]![0]!["toleranceAllowed"] = true, "$.customProperties['govflow:matter'].materials[0].toleranceAllowed", "是主审要件");
        yield return Rule("replaceable without a type code", m => ((JsonObject)m["materials"]![2]!).Remove("certificateType"), "$.customProperties['govflow:matter'].materials[2].certificateType", "没有选择证照类型");
        yield return Rule("supplement deadline above promised", m => m["tolerance"]!["supplementLimit"] = Limit(30), "$.customProperties['govflow:matter'].tolerance.supplementLimit", "不能超过承诺办结时限");
        yield return Rule("reminder not before the supplement deadline", m => m["tolerance"]!["remindBeforeWorkingDays"] = 5, "$.customProperties['govflow:matter'].tolerance.remindBeforeWorkingDays", "补齐提醒须早于补齐期限");
        yield return Rule("conditional without condition", m => ((JsonObject)m["materials"]![4]!).Remove("condition"), "$.customProperties['govflow:matter'].materials[4].condition", "是有条件材料，但没有写明条件");
        yield return Rule("condition that does not parse", m => m["materials"]![4]!["condition"] = "age >= (90", "$.customProperties['govflow:matter'].materials[4].condition", "不是有效的 JavaScript 表达式");
        yield return Rule("bad credit code", m => m["departmentUscc"] = "11440305007517290", "$.customProperties['govflow:matter'].departmentUscc", "统一社会信用代码");
        yield return Rule("unknown type code", m => m["type"] = "99", "$.customProperties['govflow:matter'].type", "事项类型“99”");
        yield return Rule("即办件 with a long limit", m => m["caseType"] = "1", "$.customProperties['govflow:matter'].promisedLimit", "即办件当场办结");
        yield return Rule("a source without its source", m => m["sources"]![0]!["source"] = " ", "$.customProperties['govflow:matter'].sources[0].source", "没有写明来源");
        yield return Rule("a source with a file address", m => m["sources"]![0]!["url"] = "file:///etc/passwd", "$.customProperties['govflow:matter'].sources[0].url", "不是 http 或 https 网址");
        yield return Rule("overlapping age bands", m => m["ageBands"]![1]!["fromAge"] = 79, "$.customProperties['govflow:matter'].ageBands[1].fromAge", "与上一个重叠");
        yield return Rule("matter missing", null, "$.customProperties", "还没有事项信息", removeMatter: true);
        yield return Flow("human step without department", d => ((JsonObject)Activity(d, "step2")).Remove("department"), "$.root.activities[5].department", "没有指定办理部门");
        yield return Flow("connection port that does not exist", d => Connections(d).Add(Connection("step1", "step2", "Maybe")), "source.port", "没有结果“Maybe”");
        yield return Flow("connection to a missing activity", d => Connections(d).Add(Connection("step1", "ghost", "Approved")), "target", "不存在的活动“ghost”");
        yield return Flow("a tolerance acceptance that leads nowhere", d => RemoveConnections(d, "accept", "ToleranceAccepted"), "$.root.activities", "的结果“容缺受理”没有连线");
        yield return Flow("an approval that leads nowhere", d => RemoveConnections(d, "step2", "Approved"), "$.root.activities", "的结果“通过”没有连线");
        yield return Flow("unknown activity type", d => Activity(d, "notifyDone")["type"] = "Acme.Fax", "$.root.activities", "活动类型“Acme.Fax”GovFlow 不认识");
        yield return Flow("parallel branch that never joins", d =>
        {
            var acts = (JsonArray)d["root"]!["activities"]!;
            acts.Add(new JsonObject { ["type"] = "Elsa.FlowFork", ["version"] = 1, ["id"] = "fork", ["branches"] = new JsonObject { ["typeName"] = "String[]", ["expression"] = new JsonObject { ["type"] = "Object", ["value"] = "[\"A\",\"B\"]" } } });
            acts.Add(new JsonObject { ["type"] = "Elsa.FlowJoin", ["version"] = 1, ["id"] = "join" });
            acts.Add(new JsonObject { ["type"] = "Elsa.WriteLine", ["version"] = 1, ["id"] = "a" });
            acts.Add(new JsonObject { ["type"] = "Elsa.WriteLine", ["version"] = 1, ["id"] = "b" });
            Connections(d).Add(Connection("fork", "a", "A")); Connections(d).Add(Connection("fork", "b", "B")); Connections(d).Add(Connection("a", "join", "Done"));
        }, "$.root.activities", "并行的工作无法汇合");
    }

    [Test]
    public void Every_matter_records_the_sources_of_its_elements_and_the_elderly_allowance_pays_by_age_band_from_70()
    {
        var catalog = MatterCatalog.Load(Harness.RepoFile("workflows-json"), Registry);
        var elderly = catalog.Find("44030505001")!.Matter;
        Assert.Multiple(() =>
        {
            // 居住证 (通办) and 企业开办 (一件事) are being reworked elsewhere; their sources come with that work.
            foreach (var m in catalog.Entries.Select(e => e.Matter).Where(m => m.Code is not ("44030407015" or "44030501012")))
                Assert.That(m.Sources.Where(x => x.CheckedOn != null && x.Source.Length > 0), Is.Not.Empty, $"{m.Name} says where its elements come from");
            Assert.That(elderly.Conditions, Does.Contain("年满70周岁"));
            Assert.That(elderly.MonthlyAmountAt(69), Is.Null, "under 70: no allowance");
            Assert.That(elderly.MonthlyAmountAt(70), Is.EqualTo(200m));
            Assert.That(elderly.MonthlyAmountAt(79), Is.EqualTo(200m));
            Assert.That(elderly.MonthlyAmountAt(80), Is.EqualTo(300m));
            Assert.That(elderly.MonthlyAmountAt(95), Is.EqualTo(500m));
            Assert.That(elderly.MonthlyAmountAt(100), Is.EqualTo(1000m));
            Assert.That(elderly.MonthlyAmountAt(104), Is.EqualTo(1000m));
            Assert.That(elderly.Proactive!.Population.TurningAge, Is.EqualTo(70), "invited as they turn 70");
            Assert.That(elderly.Proactive.Invitation, Does.Contain("年满70周岁"));
            var food = catalog.Find("44030501013")!.Matter;
            Assert.That((food.StatutoryLimit.Value, food.StatutoryLimit.Unit), Is.EqualTo((10, Supervision.TimeUnit.WD)), "2023 SAMR measures: decided within 10 working days of acceptance");
            Assert.That(food.Sources.Select(x => x.Source), Has.Some.Contains("国家市场监督管理总局令第78号"));
            var allowance = catalog.Find("44060505016")!.Matter;
            Assert.That(allowance.Steps.Single(x => x.Name == "入户调查").Department, Does.StartWith("佛山市南海区"), "南海's own street office surveys the home");
            var survey = catalog.Find("44060505016")!.Definition.Root!.Descendants().Where(n => n.Type == "GovFlow.ReviewTask").Select(n => WorkflowJson.WriteNode(n).ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                .Single(n => n.Contains("入户调查", StringComparison.Ordinal));
            Assert.That(survey, Does.Contain("佛山市南海区桂城街道办事处").And.Not.Contain("深圳"), "the flow's survey task goes to 南海's street office too");
        });
    }

    [Test]
    public void A_bundle_releases_together_and_a_release_as_each_is_refused_in_words()
    {
        var matter = new ServiceMatter { Code = "44030501012", Materials = [new Material { Name = "企业开办一表通申请表" }] };
        var together = new BundleRules { Members = ["44030501017", "44030501018"], SharedMaterials = ["企业开办一表通申请表"] };
        Assert.That(together.Problems(matter), Is.Empty);
        var asEach = new BundleRules { Members = ["44030501017", "44030501018"], Release = BundleRules.AsEach };
        Assert.That(asEach.Problems(matter).Single(), Is.EqualTo(("release", "“办结一项出件一项”（asEach）暂不支持：一件事在全部成员办结后统一出件，请使用 together（统一出件）")));
    }

    [Test]
    public void Sources_and_age_bands_survive_a_round_trip()
    {
        var catalog = MatterCatalog.Load(Harness.RepoFile("workflows-json"), Registry);
        var entry = catalog.Find("44030505001")!;
        var again = MatterJson.Read(WorkflowJson.Read(WorkflowJson.Write(entry.Definition), "again.json"))!;
        Assert.Multiple(() =>
        {
            Assert.That(again.Sources.Select(x => (x.Element, x.Source, x.Url, x.CheckedOn)), Is.EqualTo(entry.Matter.Sources.Select(x => (x.Element, x.Source, x.Url, x.CheckedOn))));
            Assert.That(again.Sources[0].CheckedOn, Is.EqualTo(new DateOnly(2026, 12, 3)));
            Assert.That(again.AgeBands.Select(b => (b.FromAge, b.ToAge, b.MonthlyAmount)), Is.EqualTo(new[] { (70, (int?)79, 200m), (80, 89, 300m), (90, 99, 500m), (100, null, 1000m) }));
        });
    }

    [TestCaseSource(nameof(Rules))]
    public void A_broken_matter_is_refused_with_its_path(JsonObject definition, string path, string message)
    {
        var store = new InMemoryWorkflowDefinitionStore();
        var d = store.Add(WorkflowJson.Read(definition.ToJsonString(), "broken.json"));
        var problems = new MatterValidator(new WorkflowCompiler(Registry, Workflows.Expressions.ExpressionEvaluators.CreateDefault(), store)).Validate(d, "broken.json");
        Assert.That(problems.Any(p => p.Path.StartsWith(path, StringComparison.Ordinal) || p.Path.EndsWith(path, StringComparison.Ordinal) && p.Message.Contains(message, StringComparison.Ordinal)),
            Is.True, string.Join("\n", problems));
        Assert.That(problems.Single(p => p.Message.Contains(message, StringComparison.Ordinal)).MatterName, Is.EqualTo("高龄津贴申请"));
    }

    [Test]
    public void All_problems_of_a_folder_are_listed_at_once()
    {
        var dir = Directory.CreateTempSubdirectory();
        var good = File.ReadAllText(Directory.GetFiles(Harness.RepoFile("workflows-json"), "44030505001-*.json").Single());
        var bad = JsonNode.Parse(good)!.AsObject();
        bad["customProperties"]!["govflow:matter"]!["code"] = "44030505099";
        bad["customProperties"]!["govflow:matter"]!["promisedLimit"] = Limit(31);
        bad["customProperties"]!["govflow:matter"]!["materials"]![0]!["toleranceAllowed"] = true;
        bad["definitionId"] = "other";
        File.WriteAllText(Path.Combine(dir.FullName, "a.json"), good);
        File.WriteAllText(Path.Combine(dir.FullName, "b.json"), bad.ToJsonString());
        File.WriteAllText(Path.Combine(dir.FullName, "c.json"), "{ \"root\": [ }");
        var catalog = MatterCatalog.Load(dir.FullName, Registry);
        Assert.That(catalog.Entries.Select(e => e.File), Is.EqualTo(new[] { "a.json" }));
        Assert.That(catalog.Problems.Select(p => p.Source).Distinct(), Is.EquivalentTo(new[] { "b.json", "c.json" }));
        Assert.That(catalog.Problems.Count(p => p.Source == "b.json"), Is.EqualTo(2));
        dir.Delete(true);
    }

    [TestCase("91440300MA5FNCEK5H", false)]
    [TestCase("11440305007517296", null)]
    public void Credit_codes_carry_a_check_character(string code, bool? valid)
    {
        if (valid is null) Assert.That(CreditCode.IsValid(CreditCode.Complete(code)), Is.True);
        else Assert.That(CreditCode.IsValid(code), Is.EqualTo(valid));
    }

    [TestCase("11010519491231002X", true)]
    [TestCase("110105194912310021", false)]
    [TestCase("110105194913310028", false)]
    public void Id_numbers_carry_a_check_character(string number, bool valid) => Assert.That(IdentityNumber.IsValid(number), Is.EqualTo(valid));

    private static TestCaseData Rule(string name, Action<JsonObject>? change, string path, string message, bool removeMatter = false)
    {
        var d = Elderly();
        if (removeMatter) ((JsonObject)d["customProperties"]!).Remove("govflow:matter");
        else change!((JsonObject)d["customProperties"]!["govflow:matter"]!);
        return new TestCaseData(d, path, message).SetName($"Rule({name})");
    }

    private static TestCaseData Flow(string name, Action<JsonObject> change, string path, string message)
    {
        var d = Elderly();
        change(d);
        return new TestCaseData(d, path, message).SetName($"Rule({name})");
    }

    private static void RemoveConnections(JsonObject d, string source, string port)
    {
        var connections = Connections(d);
        foreach (var c in connections.Where(c => c!["source"]!["activity"]!.GetValue<string>() == source && c["source"]!["port"]?.GetValue<string>() == port).ToList())
            connections.Remove(c);
    }

    private static JsonObject Elderly() => JsonNode.Parse(File.ReadAllText(Directory.GetFiles(Path.Combine(RepoRoot(), "workflows-json"), "44030505001-*.json").Single()))!.AsObject();

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GovFlow.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException();
    }

    private static JsonObject Limit(int days) => new() { ["value"] = days, ["unit"] = "WD" };

    private static JsonObject Activity(JsonObject d, string id) => (JsonObject)d["root"]!["activities"]!.AsArray().Single(a => a!["id"]!.GetValue<string>() == id)!;

    private static JsonArray Connections(JsonObject d) => (JsonArray)d["root"]!["connections"]!;

    private static JsonObject Connection(string from, string to, string port) => new()
    {
        ["source"] = new JsonObject { ["activity"] = from, ["port"] = port },
        ["target"] = new JsonObject { ["activity"] = to, ["port"] = "In" }
    };
}

[TestFixture]
public class ServiceClientTests
{
    private static readonly ServiceEndpointOptions Fast = new() { BaseAddress = new Uri("http://sim.test/certificates/"), Timeout = TimeSpan.FromMilliseconds(200), Retries = 2, Backoff = TimeSpan.FromMilliseconds(5) };

    [Test]
    public async Task Transient_failures_are_retried_with_backoff()
    {
        var handler = new Scripted(HttpStatusCode.ServiceUnavailable, HttpStatusCode.BadGateway, HttpStatusCode.OK);
        var client = new HttpCertificateService(new HttpClient(handler), Fast);
        var found = await client.LookupAsync(new CertificateQuery("11010519491231002X", "111", "111", null, "核验身份", "NS1", "window01"));
        Assert.That(found, Is.Empty);
        Assert.That(handler.Calls, Is.EqualTo(3));
        Assert.That(handler.LastUri!.ToString(), Is.EqualTo("http://sim.test/certificates/certificates/query"), "the ID number goes in the body, never in a URL");
        var body = System.Text.Json.Nodes.JsonNode.Parse(handler.LastBody!)!;
        Assert.That((body["holderCode"]!.GetValue<string>(), body["reason"]!.GetValue<string>()), Is.EqualTo(("11010519491231002X", "核验身份")));
    }

    [Test]
    public void A_service_that_stays_down_is_unavailable_after_the_retries()
    {
        var handler = new Scripted(HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError, HttpStatusCode.OK);
        var ex = Assert.ThrowsAsync<ServiceUnavailableException>(() => new HttpCertificateService(new HttpClient(handler), Fast).LookupAsync(new CertificateQuery("x", "111", "111", null, "r", null, null)));
        Assert.That(ex!.Message, Does.Contain("after 3 attempts"));
        Assert.That(handler.Calls, Is.EqualTo(3));
    }

    [Test]
    public void A_refused_connection_is_unavailable()
    {
        var ex = Assert.ThrowsAsync<ServiceUnavailableException>(() => new HttpMailingService(new HttpClient(new Throwing()), Fast).TrackAsync("EMS1"));
        Assert.That(ex!.Service, Is.EqualTo("邮政寄递服务"));
    }

    [Test]
    public void A_slow_service_times_out_per_attempt()
    {
        var ex = Assert.ThrowsAsync<ServiceUnavailableException>(() => new HttpNotificationService(new HttpClient(new Slow()), Fast).SendAsync("13900000000", "hi"));
        Assert.That(ex!.Message, Does.Contain("no answer within 0.2 s"));
    }

    [Test]
    public void An_undeliverable_address_is_a_clear_error_not_a_retry()
    {
        var handler = new Scripted(HttpStatusCode.BadRequest);
        var ex = Assert.ThrowsAsync<ArgumentException>(() => new HttpMailingService(new HttpClient(handler), Fast).CreateAsync(new WaybillRequest("NS1", "result", "民政局", "张三", null, "x")));
        Assert.That(handler.Calls, Is.EqualTo(1));
        Assert.That(ex!.Message, Does.Contain("400"));
    }

    private sealed class Scripted(params HttpStatusCode[] codes) : HttpMessageHandler
    {
        public int Calls { get; private set; }
        public Uri? LastUri { get; private set; }
        public string? LastBody { get; private set; }
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            LastUri = request.RequestUri;
            LastBody = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            var code = codes[Math.Min(Calls++, codes.Length - 1)];
            return new HttpResponseMessage(code) { Content = new StringContent(code == HttpStatusCode.OK ? "[]" : "{\"status\":" + (int)code + "}") };
        }
    }

    private sealed class Throwing : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => throw new HttpRequestException("Connection refused");
    }

    private sealed class Slow : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }
}
