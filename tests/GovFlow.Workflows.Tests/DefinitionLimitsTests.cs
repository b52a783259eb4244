using System.Text;
using System.Text.Json.Nodes;
using GovFlow.Workflows.Serialization;
using static GovFlow.Workflows.Tests.Flows;

namespace GovFlow.Workflows.Tests;

/// <summary>The reader refuses definitions beyond their limits (size, activities, nesting) with the limit named, and never overflows its stack.</summary>
[TestFixture]
public class DefinitionLimitsTests
{
    /// <summary>A flowchart of <paramref name="count"/> WriteLines (plus the flowchart itself), chained.</summary>
    internal static JsonObject Chain(int count, int textLength = 8)
    {
        var text = new string('办', textLength);
        var activities = Enumerable.Range(0, count).Select(i => WriteLine($"w{i}", text)).ToArray();
        var connections = Enumerable.Range(1, count - 1).Select(i => Connection($"w{i - 1}", $"w{i}")).ToArray();
        return Definition(Flowchart("f", activities, connections));
    }

    private static JsonObject Definition(JsonObject root) => new() { ["definitionId"] = "limits", ["version"] = 1, ["root"] = root };

    private static DefinitionLimitExceededException Refused(string json, DefinitionLimits? limits = null) =>
        Assert.Throws<DefinitionLimitExceededException>(() => WorkflowJson.Read(json, "big.json", limits))!;

    [Test]
    public void A_definition_larger_than_the_size_limit_is_refused_before_it_is_parsed()
    {
        var json = Chain(10).ToJsonString();
        var ex = Refused(json, new DefinitionLimits { MaxBytes = 100 });
        Assert.Multiple(() =>
        {
            Assert.That(ex.Limit, Is.EqualTo("MaxBytes"));
            Assert.That(ex.Value, Is.EqualTo(100));
            Assert.That(ex.Problem, Is.EqualTo($"流程定义有 {Encoding.UTF8.GetByteCount(json)} 字节，超过上限 100 字节 (definition larger than 100 bytes)"));
        });
        Assert.That(WorkflowJson.Read(json, "big.json").Root!.Type, Is.EqualTo("Elsa.Flowchart"), "the default 2 MB takes it");
    }

    [Test]
    public void More_activities_than_the_default_2000_are_refused()
    {
        Assert.That(() => WorkflowJson.Read(Chain(1_999).ToJsonString()), Throws.Nothing, "1,999 WriteLines and their flowchart are 2,000");
        var ex = Refused(Chain(2_000).ToJsonString());
        Assert.That(ex.Limit, Is.EqualTo("MaxActivities"));
        Assert.That(ex.Problem, Is.EqualTo("流程定义的活动超过上限 2000 个 (more than 2000 activities)"));
        Assert.That(Refused(Chain(5).ToJsonString(), new DefinitionLimits { MaxActivities = 5 }).Limit, Is.EqualTo("MaxActivities"));
    }

    [TestCase(65)]
    [TestCase(200_000)]
    public void Nesting_deeper_than_the_limit_is_refused_without_overflowing_the_stack(int depth)
    {
        // Deep arrays inside a property the reader keeps raw: nothing in an Elsa file stops a tool from writing them.
        var json = "{\"root\": {\"type\": \"Elsa.WriteLine\", \"id\": \"w\", \"strange\": " + new string('[', depth) + new string(']', depth) + "}}";
        var ex = Refused(json, new DefinitionLimits { MaxBytes = int.MaxValue });
        Assert.That(ex.Limit, Is.EqualTo("MaxDepth"));
        Assert.That(ex.Problem, Is.EqualTo("流程定义嵌套超过上限 64 层 (JSON nested deeper than 64 levels)"));
    }

    [Test]
    public void Nested_activities_count_towards_the_depth()
    {
        JsonObject Nest(int levels) => levels == 0 ? WriteLine("leaf", "x") : Sequence($"s{levels}", Nest(levels - 1));
        Assert.That(() => WorkflowJson.Read(Definition(Nest(20)).ToJsonString()), Throws.Nothing);
        Assert.That(Refused(Definition(Nest(40)).ToJsonString(new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerOptions.Default) { MaxDepth = 512 })).Limit, Is.EqualTo("MaxDepth"));
    }

    [Test]
    public void An_already_parsed_tree_is_measured_without_recursion()
    {
        JsonNode deep = new JsonArray();
        for (var i = 0; i < 100_000; i++) deep = new JsonArray(deep);
        var tree = new JsonObject { ["root"] = new JsonObject { ["type"] = "Elsa.WriteLine", ["id"] = "w", ["strange"] = deep } };
        var ex = Assert.Throws<DefinitionLimitExceededException>(() => WorkflowJson.Read(tree, "tree"));
        Assert.That(ex!.Limit, Is.EqualTo("MaxDepth"));
    }

    [Test]
    public void A_limit_error_is_a_format_error_at_the_document()
    {
        var ex = Assert.Throws<DefinitionLimitExceededException>(() => WorkflowJson.Read(Chain(3).ToJsonString(), "small.json", new DefinitionLimits { MaxActivities = 2 }));
        Assert.That(ex, Is.InstanceOf<WorkflowFormatException>(), "every caller that reports format errors reports limits too");
        Assert.That(ex!.Message, Does.StartWith("small.json: $: 流程定义的活动超过上限 2 个"));
    }
}
