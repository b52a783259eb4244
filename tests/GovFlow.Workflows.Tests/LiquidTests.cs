using System.Text.Json.Nodes;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Runtime;
using static GovFlow.Workflows.Tests.Flows;

namespace GovFlow.Workflows.Tests;

/// <summary>
/// Liquid as Elsa renders it: Fluid with its standard filters and tags, no HTML encoding, and the members Elsa's
/// ConfigureLiquidEngine registers (Variables, Input, CorrelationId, WorkflowDefinitionId, WorkflowInstanceId, ...);
/// plus GovFlow's sandbox.
/// </summary>
[TestFixture]
public class LiquidTests
{
    private StringWriter _out = null!;

    [SetUp]
    public void SetUp() => _out = new StringWriter();

    [TearDown]
    public void TearDown() => _out.Dispose();

    private IReadOnlyList<string> Lines => WorkflowFileRunner.SplitLines(_out.ToString());

    private static JsonObject Liquid(string template, string typeName = "String") =>
        new() { ["typeName"] = typeName, ["expression"] = new JsonObject { ["type"] = "Liquid", ["value"] = template } };

    private async Task<WorkflowState> Render(string template, JsonObject[]? variables = null, IDictionary<string, object?>? input = null, ExpressionEvaluators? evaluators = null)
    {
        var engine = new WorkflowEngine(options: new WorkflowEngineOptions { Out = _out });
        if (evaluators is not null) engine.Compiler.Evaluators.Register("Liquid", evaluators.Find("Liquid")!);
        var d = Definition(Sequence("s", Activity("Elsa.WriteLine", "w", ("text", Liquid(template)))), definitionId: "liquid-def",
            variables: variables ?? [Variable("Who", "String", "li lei"), Variable("Count", "Int32", 7), Variable("Price", "Double", 3.14159),
                                     Variable("Tags", "Object"), Variable("Flag", "Boolean", true), Variable("Person", "Object")]);
        return await engine.StartAsync(d, new StartWorkflowRequest { Input = input, CorrelationId = "C-42" });
    }

    [TestCase("{{ Variables.Count | plus: 3 }}", "10")]
    [TestCase("{{ Variables.Count | minus: 10 }}", "-3")]
    [TestCase("{{ Variables.Count | times: 6 }}", "42")]
    [TestCase("{{ Variables.Count | divided_by: 2 }}", "3")]
    [TestCase("{{ Variables.Count | divided_by: 2.0 }}", "3.5")]
    [TestCase("{{ Variables.Price | round: 2 }}", "3.14")]
    [TestCase("{{ Variables.Who | capitalize }}", "Li lei")]
    [TestCase("{{ Variables.Who | replace: 'l', 'L' }}", "Li Lei")]
    [TestCase("{{ Variables.Who | slice: 0, 2 }}", "li")]
    [TestCase("{{ 'a,b,c' | split: ',' | join: '-' }}", "a-b-c")]
    [TestCase("{{ 'ABCDEFGHIJ' | truncate: 6 }}", "ABC...")]
    [TestCase("{{ '2026-03-02' | date: '%Y年%m月%d日' }}", "2026年03月02日")]
    [TestCase("{{ 'AbC' | downcase }}", "abc")]
    [TestCase("{{ 42 }}", "42")]
    [TestCase("{{ Variables.Flag }}", "true")]
    [TestCase("{{ 'x' | base64 }}", "eA==")]
    public async Task Filters_Elsa_users_rely_on_render_as_Elsa_renders_them(string template, string expected)
    {
        var state = await Render(template);
        Assert.That(Lines, Is.EqualTo(new[] { expected }), string.Join("; ", state.Incidents.Select(i => i.Message)));
    }

    [TestCase("{% if Variables.Count > 5 %}多{% else %}少{% endif %}", "多")]
    [TestCase("{% unless Variables.Flag %}否{% else %}是{% endunless %}", "是")]
    [TestCase("{% for i in (1..3) %}{{ i }};{% endfor %}", "1;2;3;")]
    [TestCase("{% assign total = Variables.Count | times: 2 %}合计{{ total }}", "合计14")]
    public async Task Tags_render(string template, string expected)
    {
        var state = await Render(template);
        Assert.That(Lines, Is.EqualTo(new[] { expected }), string.Join("; ", state.Incidents.Select(i => i.Message)));
    }

    [Test]
    public async Task Elsas_members_are_exposed()
    {
        var state = await Render("{{ WorkflowDefinitionId }}|{{ WorkflowDefinitionVersionId }}|{{ WorkflowDefinitionVersion }}|{{ CorrelationId }}|{{ Input.Matter }}|{{ Workflow.CorrelationId }}",
            input: new Dictionary<string, object?> { ["Matter"] = "高龄津贴" });
        Assert.That(Lines, Is.EqualTo(new[] { "liquid-def|liquid-def-v1|1|C-42|高龄津贴|C-42" }), string.Join("; ", state.Incidents.Select(i => i.Message)));
    }

    [Test]
    public async Task WorkflowInstanceId_is_the_running_instance()
    {
        var state = await Render("{{ WorkflowInstanceId }}");
        Assert.That(Lines, Is.EqualTo(new[] { state.Id }));
    }

    [Test]
    public async Task Objects_and_lists_in_variables_are_navigable()
    {
        var d = Definition(Sequence("s",
                Activity("Elsa.SetVariable", "set", ("variable", new JsonObject { ["id"] = "p", ["name"] = "Person" }), ("value", new JsonObject { ["typeName"] = "Object", ["expression"] = new JsonObject { ["type"] = "Object", ["value"] = "{\"name\":\"王五\",\"age\":81}" } })),
                Activity("Elsa.SetVariable", "set2", ("variable", new JsonObject { ["id"] = "t", ["name"] = "Tags" }), ("value", new JsonObject { ["typeName"] = "Object", ["expression"] = new JsonObject { ["type"] = "Object", ["value"] = "[\"甲\",\"乙\"]" } })),
                Activity("Elsa.WriteLine", "w", ("text", Liquid("{{ Variables.Person.name }}{{ Variables.Person.age }}岁 {{ Variables.Tags | join: '、' }} {{ Variables.Tags.size }} {{ Variables.Person | keys | join: ',' }}")))),
            variables: [new JsonObject { ["id"] = "p", ["name"] = "Person", ["typeName"] = "Object" }, new JsonObject { ["id"] = "t", ["name"] = "Tags", ["typeName"] = "Object" }]);
        var engine = new WorkflowEngine(options: new WorkflowEngineOptions { Out = _out });
        var state = await engine.StartAsync(d);
        Assert.That(Lines, Is.EqualTo(new[] { "王五81岁 甲、乙 2 name,age" }), string.Join("; ", state.Incidents.Select(i => i.Message)));
    }

    [Test]
    public async Task Output_is_not_html_encoded()
    {
        var state = await Render("{{ '<b>A&B</b>' }}");
        Assert.That(Lines, Is.EqualTo(new[] { "<b>A&B</b>" }), string.Join("; ", state.Incidents.Select(i => i.Message)));
    }

    [Test]
    public async Task A_template_that_does_not_parse_faults_with_the_reason()
    {
        var state = await Render("{% if %}");
        Assert.Multiple(() =>
        {
            Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Faulted));
            Assert.That(state.Incidents.Single().Message, Does.Contain("Liquid 模板无法解析"));
        });
    }

    [Test]
    public async Task Output_past_the_limit_faults()
    {
        var evaluators = ExpressionEvaluators.CreateDefault(new ExpressionOptions { Liquid = new LiquidLimits { MaxOutputCharacters = 50 } });
        var state = await Render("{% for i in (1..100) %}一二三{% endfor %}", evaluators: evaluators);
        Assert.Multiple(() =>
        {
            Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Faulted));
            Assert.That(state.Incidents.Single().Message, Does.Contain("50 个字符"));
            Assert.That(Lines, Is.Empty);
        });
    }

    [Test]
    public async Task A_loop_past_the_step_limit_faults()
    {
        var evaluators = ExpressionEvaluators.CreateDefault(new ExpressionOptions { Liquid = new LiquidLimits { MaxSteps = 1_000 } });
        var state = await Render("{% for i in (1..1000000) %}{% endfor %}done", evaluators: evaluators);
        Assert.Multiple(() =>
        {
            Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Faulted));
            Assert.That(state.Incidents.Single().Message, Does.Contain("步"));
        });
    }

    [Test]
    public async Task A_rendering_past_the_time_limit_faults()
    {
        // Nested loops that print: each write checks the clock, so a zero budget stops at the first one.
        var evaluators = ExpressionEvaluators.CreateDefault(new ExpressionOptions { Liquid = new LiquidLimits { TimeoutMilliseconds = 0 } });
        var state = await Render("{% for i in (1..50) %}{% for j in (1..50) %}x{% endfor %}{% endfor %}", evaluators: evaluators);
        Assert.Multiple(() =>
        {
            Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Faulted));
            Assert.That(state.Incidents.Single().Message, Does.Contain("超时"));
        });
    }

    [Test]
    public async Task A_filter_Fluid_does_not_know_leaves_the_value_as_Elsa_does()
    {
        var state = await Render("{{ Variables.Who | no_such_filter }}");
        Assert.That(Lines, Is.EqualTo(new[] { "li lei" }), string.Join("; ", state.Incidents.Select(i => i.Message)));
    }
}
