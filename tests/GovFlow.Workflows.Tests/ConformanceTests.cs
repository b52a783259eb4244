using System.Text.Json;
using System.Text.Json.Nodes;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Tests;

/// <summary>
/// Runs every entry of Elsa's conformance manifest whose expectation the engine can check (status, lines,
/// variables, output, child instances, completion counts) and compares with what Elsa's own tests assert.
/// </summary>
[TestFixture]
public class ConformanceTests
{
    private static readonly string[] Checkable = ["status", "writeLines", "writeLinesContains", "variables", "output", "childInstances", "activityCompletedCounts"];
    private static int _passed, _run;

    public static IEnumerable<TestCaseData> Entries()
    {
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(Paths.Conformance, "manifest.json")))!.AsArray();
        foreach (var entry in manifest.OfType<JsonObject>())
        {
            if (entry["expect"] is not JsonObject expect || !Checkable.Any(k => expect[k] is not null)) continue;
            var file = entry["file"]!.GetValue<string>();
            yield return new TestCaseData(entry).SetName($"Conformance({file.Split("__")[^1]} in {file.Split("__")[^2]})");
        }
    }

    [Test]
    public void The_manifest_has_31_checkable_entries() => Assert.That(Entries().Count(), Is.EqualTo(31));

    [TestCaseSource(nameof(Entries))]
    public async Task Entry_runs_as_Elsa_asserts(JsonObject entry)
    {
        Interlocked.Increment(ref _run);
        var expect = (JsonObject)entry["expect"]!;
        var run = entry["run"] as JsonObject;
        var mode = run?["flowchartExecutionMode"]?.GetValue<string>()?.StartsWith("Token", StringComparison.Ordinal) == true ? FlowchartMode.TokenBased : FlowchartMode.CounterBased;
        var autoResume = run?["autoResumeBookmarks"]?.GetValue<bool>() == true;
        var companions = entry["companions"]!.AsArray().Select(c => Paths.ConformanceFile(c!.GetValue<string>()));

        var result = await WorkflowFileRunner.RunAsync(Paths.ConformanceFile(entry["file"]!.GetValue<string>()), companions, autoResume: autoResume, mode: mode);
        var state = result.State;
        var incidents = string.Join("; ", state.Incidents.Select(i => i.Message));

        Assert.Multiple(() =>
        {
            if (expect["status"]?.GetValue<string>() is { } status)
            {
                var field = expect["statusField"]?.GetValue<string>() ?? "Status";
                if (field.Contains("Sub", StringComparison.Ordinal)) Assert.That(state.SubStatus.ToString(), Is.EqualTo(status), "sub-status; incidents: " + incidents);
                if (field.StartsWith("Status", StringComparison.Ordinal)) Assert.That(state.Status.ToString(), Is.EqualTo(status), "status; incidents: " + incidents);
            }
            if (expect["writeLines"] is JsonArray lines)
                Assert.That(result.Lines, Is.EqualTo(lines.Select(l => l!.GetValue<string>()).ToList()), "lines; incidents: " + incidents);
            if (expect["writeLinesContains"] is JsonArray contains)
                foreach (var line in contains) Assert.That(result.Lines, Does.Contain(line!.GetValue<string>()), "incidents: " + incidents);
            if (expect["variables"] is JsonObject variables)
                foreach (var (name, value) in variables)
                    Assert.That(state.Variables.Single(v => v.Name == name).Value?.ToJsonString(), Is.EqualTo(value?.ToJsonString()), $"variable {name}");
            if (expect["output"] is JsonObject output)
                foreach (var (name, value) in output)
                    Assert.That(state.Output[name]?.ToJsonString(), Is.EqualTo(value?.ToJsonString()), $"output {name}");
            if (expect["childInstances"] is JsonArray children)
                foreach (var child in children.OfType<JsonObject>())
                {
                    var instance = result.Engine.Instances.SingleOrDefault(i => i.DefinitionId == child["definitionId"]!.GetValue<string>() && i.Id != state.Id);
                    Assert.That(instance, Is.Not.Null, "child instance of " + child["definitionId"]);
                    if (child["correlationId"]?.GetValue<string>() is { } correlation)
                        Assert.That(instance!.CorrelationId, Is.EqualTo(correlation));
                    if (child["workflowStateProperties"]?["ParentInstanceId"] is not null)
                        Assert.That(instance!.Properties["ParentInstanceId"]?.GetValue<string>(), Is.EqualTo(state.Id));
                }
            if (expect["activityCompletedCounts"] is JsonObject counts)
                foreach (var (activityId, count) in counts)
                    Assert.That(result.Journal.Count(r => r.ActivityId == activityId && r.EventName == "Completed"), Is.EqualTo(count!.GetValue<int>()), $"completions of {activityId}");
            Assert.That(Journal.Verify(result.Journal).Valid, Is.True, "journal chain");
        });
        Interlocked.Increment(ref _passed);
    }

    [OneTimeTearDown]
    public void Tally() => TestContext.Progress.WriteLine($"Elsa conformance: {_passed} of {_run} checkable manifest entries pass.");

    [Test]
    public async Task Instance_state_with_dollar_keys_survives_serialization()
    {
        // JsonObjectSerialization/instance-serialization: user objects with $id/$schema must not break the state serializer.
        var run = await WorkflowFileRunner.RunAsync(Paths.ConformanceFile("test__integration__Elsa.Workflows.IntegrationTests__Scenarios__JsonObjectSerialization__Workflows__instance-serialization.json"), autoResume: true);
        var json = run.State.ToJson();
        var back = WorkflowState.FromJson(json);
        Assert.That(JsonNode.DeepEquals(JsonNode.Parse(back.ToJson()), JsonNode.Parse(json)), Is.True);
        var variable2 = back.Variables.Single(v => v.Name == "Variable2").Value as JsonObject;
        Assert.That(variable2?["inputSchema"]?["$id"]?.GetValue<string>(), Is.EqualTo("#/definitions/inform-front-office-input-afd"));
    }

    [Test]
    public void Bad_cron_expression_is_refused_with_Elsas_message()
    {
        // Publishing validates (and refuses); running it anyway faults only when the Cron activity runs, as in Elsa.
        var definition = Serialization.WorkflowJson.ReadFile(Paths.ConformanceFile("test__integration__Elsa.Workflows.IntegrationTests__Scenarios__ImportAndPublish__Workflows__bad-cron-expression.json"));
        var ex = Assert.Throws<WorkflowCompileException>(() => new WorkflowEngine().Compiler.Compile(definition));
        Assert.That(ex!.Problems.Where(p => p.IsError).Select(p => p.Message), Is.EqualTo(new[]
        {
            "Error when parsing cron expression: The given cron expression has an invalid format. Seconds: Value must be a number between 0 and 59 (all inclusive)."
        }));
    }

    [TestCase("test__integration__Elsa.Workflows.IntegrationTests__Scenarios__ImportAndPublish__Workflows__cron-every-hour.json")]
    [TestCase("test__integration__Elsa.Workflows.IntegrationTests__Scenarios__ImportAndPublish__Workflows__timer-workflow.json")]
    public async Task Trigger_workflows_publish_without_problems_and_wait_on_their_trigger(string file)
    {
        var run = await WorkflowFileRunner.RunAsync(Paths.ConformanceFile(file));
        Assert.That(run.Workflow.Problems, Is.Empty);
        Assert.That(run.State.SubStatus, Is.EqualTo(WorkflowSubStatus.Suspended));
        Assert.That(run.State.Bookmarks.Single().DueAt, Is.Not.Null, "a timer bookmark carries its due time");
        var finished = await run.Engine.RunUntilEndAsync(run.State.Id);
        Assert.That(finished.SubStatus, Is.EqualTo(WorkflowSubStatus.Finished));
    }
}
