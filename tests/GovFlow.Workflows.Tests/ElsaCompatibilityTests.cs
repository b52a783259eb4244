using System.Text.Json.Nodes;
using GovFlow.Workflows.Runtime;
using static GovFlow.Workflows.Tests.Flows;

namespace GovFlow.Workflows.Tests;

/// <summary>Elsa features beyond the shipped fixtures: structured Switch, Liquid, the JS variables object, run-time faults for bad inputs.</summary>
[TestFixture]
public class ElsaCompatibilityTests
{
    private static async Task<(WorkflowState State, IReadOnlyList<string> Lines)> Run(Model.WorkflowDefinition d, IDictionary<string, object?>? input = null)
    {
        var output = new StringWriter();
        var engine = new WorkflowEngine(options: new WorkflowEngineOptions { Out = output });
        var state = await engine.StartAsync(d, new StartWorkflowRequest { Input = input, CorrelationId = "C-42" });
        return (state, WorkflowFileRunner.SplitLines(output.ToString()));
    }

    [TestCase(5, "MatchFirst", new[] { "small" })]
    [TestCase(5, "MatchAny", new[] { "small", "odd" })]
    [TestCase(50, "MatchFirst", new[] { "other" })]
    public async Task Structured_switch_runs_the_matching_cases(int n, string mode, string[] expected)
    {
        var cases = new JsonArray(
            new JsonObject { ["label"] = "small", ["condition"] = new JsonObject { ["type"] = "JavaScript", ["value"] = "getN() < 10" }, ["activity"] = WriteLine("a", "small") },
            new JsonObject { ["label"] = "odd", ["condition"] = new JsonObject { ["type"] = "JavaScript", ["value"] = "getN() % 2 == 1" }, ["activity"] = WriteLine("b", "odd") });
        var d = Definition(Sequence("s", Activity("Elsa.Switch", "sw", ("cases", cases), ("mode", Literal(mode, "String")), ("default", WriteLine("c", "other")))),
            inputs: [new JsonObject { ["name"] = "N", ["type"] = "Int32" }]);
        var (state, lines) = await Run(d, new Dictionary<string, object?> { ["N"] = n });
        Assert.That(lines, Is.EqualTo(expected));
        Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Finished));
        Assert.That(JsonNode.DeepEquals(Serialization.WorkflowJson.ToJson(d)["root"]!["activities"]![0]!["cases"], cases), Is.True, "cases round-trip as written");
    }

    [Test]
    public async Task Liquid_templates_render_variables_inputs_and_workflow_fields()
    {
        var liquid = new JsonObject { ["typeName"] = "String", ["expression"] = new JsonObject { ["type"] = "Liquid", ["value"] = "{{ Variables.Who | upcase }} 申请 {{ Input.Matter }}，关联号 {{ Workflow.CorrelationId }}{{ Variables.Missing | default: '。' }}" } };
        var d = Definition(Sequence("s", Activity("Elsa.WriteLine", "w", ("text", liquid))), variables: [Variable("Who", "String", "li lei")], inputs: [new JsonObject { ["name"] = "Matter", ["type"] = "String" }]);
        var (_, lines) = await Run(d, new Dictionary<string, object?> { ["Matter"] = "高龄津贴" });
        Assert.That(lines, Is.EqualTo(new[] { "LI LEI 申请 高龄津贴，关联号 C-42。" }));
    }

    [Test]
    public async Task The_javascript_variables_object_reads_and_writes()
    {
        var d = Definition(Sequence("s",
            Activity("Elsa.RunJavaScript", "js", ("script", Literal("variables.Count = variables.Count + 1; variables.Label = 'n=' + variables.Count;", "String"))),
            WriteLineJs("w", "`${getLabel()} ${variables.Count}`")),
            variables: [Variable("Count", "Int32", 41), Variable("Label", "String", "")]);
        var (state, lines) = await Run(d);
        Assert.That(lines, Is.EqualTo(new[] { "n=42 42" }));
        Assert.That(state.Variables.Single(v => v.Name == "Count").Value!.GetValue<int>(), Is.EqualTo(42));
    }

    [Test]
    public async Task A_bad_input_faults_when_it_runs_not_when_the_file_loads()
    {
        var d = Definition(Sequence("s", WriteLine("a", "before"),
            Activity("Elsa.WriteLine", "b", ("text", new JsonObject { ["typeName"] = "String", ["expression"] = new JsonObject { ["type"] = "Python", ["value"] = "x" } }))));
        var (state, lines) = await Run(d);
        Assert.That(lines, Is.EqualTo(new[] { "before" }));
        Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Faulted));
        Assert.That(state.Incidents.Single().Message, Does.Contain("unknown expression type 'Python'"));
    }
}
