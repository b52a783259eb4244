using System.Text.Json.Nodes;
using GovFlow.Activities.Matters;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;
using GovFlow.Workflows.Serialization;

namespace GovFlow.Activities.Tests;

/// <summary>The designer shows each problem where it is: at a matter field or at a flow node, in the hall's words.</summary>
[TestFixture]
public class MatterProblemPlaceTests
{
    private static readonly ActivityRegistry Registry = GovFlowActivities.CreateRegistry();

    [Test]
    public void A_matter_problem_names_its_field_and_the_material_not_a_json_path()
    {
        var d = Elderly();
        var matter = (JsonObject)d["customProperties"]!["govflow:matter"]!;
        ((JsonObject)matter["materials"]![4]!).Remove("condition");
        matter["promisedLimit"] = Limit(31);
        var problems = Validate(d);
        var condition = problems.Single(p => p.Field == "materials[4].condition");
        Assert.Multiple(() =>
        {
            Assert.That(condition.Message, Is.EqualTo("“低保证”是有条件材料，但没有写明条件"));
            Assert.That(condition.Path, Is.EqualTo("$.customProperties['govflow:matter'].materials[4].condition"));
            Assert.That(condition.ActivityId, Is.Null);
            Assert.That(problems.Single(p => p.Field == "promisedLimit").Message, Is.EqualTo("承诺办结时限（31个工作日）超过了法定办结时限（30个工作日）"));
            Assert.That(problems.Select(p => p.Message), Has.None.Contains("$").And.None.Matches("[A-Za-z]{4,}"), "Chinese, no paths, no English words");
        });
    }

    [TestCase("12AB")]
    [TestCase("4403-0501")]
    public void A_basic_code_that_cannot_end_a_case_number_is_refused_at_its_field(string code)
    {
        var d = Elderly();
        ((JsonObject)d["customProperties"]!["govflow:matter"]!)["code"] = code;
        var problem = Validate(d).Single(p => p.Field == "code");
        Assert.That(problem.Message, Is.EqualTo($"基本编码“{code}”应为 5 至 40 位数字或字母（办件编号取它的后 5 位）"));
    }

    [Test]
    public void A_flow_problem_names_its_node_and_the_step()
    {
        var d = Elderly();
        ((JsonObject)Activity(d, "step2")).Remove("department");
        var problem = Validate(d).Single(p => p.Message.Contains("没有指定办理部门", StringComparison.Ordinal));
        Assert.That((problem.ActivityId, problem.Field, problem.Message), Is.EqualTo(("step2", (string?)null, "人工环节“审核”没有指定办理部门")));
    }

    [Test]
    public void An_activity_no_connection_leads_to_is_unreachable()
    {
        var d = Elderly();
        var connections = (JsonArray)d["root"]!["connections"]!;
        foreach (var c in connections.Where(c => c!["target"]!["activity"]!.GetValue<string>() == "step3").ToList()) connections.Remove(c);
        var problems = Validate(d).Where(p => p.Message.Contains("没有连线通向它", StringComparison.Ordinal)).ToList();
        Assert.That(problems.Select(p => p.ActivityId), Is.EqualTo(new[] { "step3" }), string.Join("\n", problems));
        Assert.That(problems[0].Message, Does.StartWith("“审批”从流程开始走不到"));
        Assert.That(Validate(d).Where(p => p.Message.Contains("都来自走不到的活动", StringComparison.Ordinal)).Select(p => p.ActivityId), Does.Contain("conclude"), "what only it leads to is marked too");
    }

    [Test]
    public void A_trigger_that_starts_its_own_runs_is_reachable()
    {
        var d = Elderly();
        ((JsonArray)d["root"]!["activities"]!).Add(new JsonObject
        {
            ["type"] = "Elsa.Event", ["version"] = 1, ["id"] = "reopened", ["customProperties"] = new JsonObject { ["canStartWorkflow"] = true },
            ["eventName"] = new JsonObject { ["typeName"] = "String", ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = "reopen" } }
        });
        ((JsonArray)d["root"]!["connections"]!).Add(new JsonObject
        {
            ["source"] = new JsonObject { ["activity"] = "reopened", ["port"] = "Done" }, ["target"] = new JsonObject { ["activity"] = "step1", ["port"] = "In" }
        });
        Assert.That(Validate(d).Where(p => p.Message.Contains("走不到", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void A_step_given_more_time_than_the_matter_promises_is_refused()
    {
        var d = Elderly();
        Activity(d, "step3")["limitWorkingDays"] = new JsonObject { ["typeName"] = "Int32", ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = 30 } };
        var problems = Validate(d).Where(p => p.ActivityId == "step3").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(problems.Single(p => p.Field == "promisedLimit").Message, Is.EqualTo("“审批”的时限 30 个工作日超过了事项的承诺办结时限（22个工作日）"));
            Assert.That(problems.Single(p => p.Field == "steps[3].limit.value").Message, Is.EqualTo("流程中“审批”的时限 30 个工作日，超过了事项办理环节“审批”的时限（5个工作日）"));
        });
    }

    [Test]
    public void A_step_longer_than_its_matter_step_is_refused_even_within_the_promise()
    {
        var d = Elderly();
        Activity(d, "step1")["limitWorkingDays"] = new JsonObject { ["typeName"] = "Int32", ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = 6 } };
        var problem = Validate(d).Single(p => p.ActivityId == "step1");
        Assert.That((problem.Field, problem.Message), Is.EqualTo(("steps[1].limit.value", "流程中“初审”的时限 6 个工作日，超过了事项办理环节“初审”的时限（5个工作日）")));
    }

    [Test]
    public void An_unconnected_outcome_is_named_in_chinese_at_its_node()
    {
        var d = Elderly();
        var connections = (JsonArray)d["root"]!["connections"]!;
        foreach (var c in connections.Where(c => c!["source"]!["activity"]!.GetValue<string>() == "step2" && c["source"]!["port"]!.GetValue<string>() == "Approved").ToList()) connections.Remove(c);
        var problem = Validate(d).Single(p => p.Message.Contains("的结果", StringComparison.Ordinal));
        Assert.That((problem.ActivityId, problem.Message), Is.EqualTo(("step2", "“审核”的结果“通过”没有连线：办件会停在这里，既无待办也无决定；请连到下一步")));
    }

    private static IReadOnlyList<MatterProblem> Validate(JsonObject definition)
    {
        var store = new InMemoryWorkflowDefinitionStore();
        var d = store.Add(WorkflowJson.Read(definition.ToJsonString(), "broken.json"));
        return new MatterValidator(new WorkflowCompiler(Registry, Workflows.Expressions.ExpressionEvaluators.CreateDefault(), store)).Validate(d, "broken.json");
    }

    private static JsonObject Elderly() =>
        JsonNode.Parse(File.ReadAllText(Directory.GetFiles(Harness.RepoFile("workflows-json"), "44030505001-*.json").Single()))!.AsObject();

    private static JsonObject Limit(int days) => new() { ["value"] = days, ["unit"] = "WD" };

    private static JsonObject Activity(JsonObject d, string id) => (JsonObject)d["root"]!["activities"]!.AsArray().Single(a => a!["id"]!.GetValue<string>() == id)!;
}
