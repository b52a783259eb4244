using GovFlow.Workflows.Runtime;
using static GovFlow.Workflows.Tests.Flows;

namespace GovFlow.Workflows.Tests;

[TestFixture]
public class JavaScriptTests
{
    private static async Task<IReadOnlyList<string>> Lines(string script, params System.Text.Json.Nodes.JsonObject[] variables)
    {
        var output = new StringWriter();
        var engine = new WorkflowEngine(options: new WorkflowEngineOptions { Out = output });
        var state = await engine.StartAsync(Definition(Sequence("s", WriteLineJs("w", script)), variables: variables));
        Assert.That(state.Incidents, Is.Empty, () => state.Incidents[0].Message);
        return WorkflowFileRunner.SplitLines(output.ToString());
    }

    [TestCase("return getMissing() ?? \"first-value\";", "first-value")]
    [TestCase("getName() ?? 'nobody'", "王五")]
    [TestCase("var a = getMissing() ?? getName(); return a + '!';", "王五!")]
    [TestCase("return \"a ?? b\";", "a ?? b")]
    public async Task Nullish_coalescing_works(string script, string expected) =>
        Assert.That(await Lines(script, Variable("Name", "String", "王五")), Is.EqualTo(new[] { expected }));

    [Test]
    public async Task Objects_arrays_and_helpers()
    {
        var lines = await Lines("var o = { items: [1, 2, 3], who: getName() }; setName('赵六'); return `${o.items.length} ${o.who} ${getName()} ${isNullOrWhiteSpace('  ')}`;",
            Variable("Name", "String", "王五"));
        Assert.That(lines, Is.EqualTo(new[] { "3 王五 赵六 true" }));
    }
}
