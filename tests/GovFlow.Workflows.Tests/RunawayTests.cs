using System.Text.Json.Nodes;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;
using static GovFlow.Workflows.Tests.Flows;

namespace GovFlow.Workflows.Tests;

/// <summary>A step that never waits faults with an incident after its budget of activity executions, instead of running for ever.</summary>
[TestFixture]
public class RunawayTests
{
    private const string DefaultBudget = "单步执行超过 10000 个活动 (more than 10000 activity executions in one step)";

    private static async Task<(WorkflowState State, IReadOnlyList<JournalRecord> Journal)> Run(WorkflowDefinition definition, StepLimits? limits = null, FlowchartMode mode = FlowchartMode.CounterBased)
    {
        var engine = new WorkflowEngine(options: new WorkflowEngineOptions { Limits = limits, FlowchartMode = mode, Clock = new ManualClock(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero)) });
        var state = await engine.StartAsync(definition);
        return (state, engine.JournalOf(state.Id));
    }

    private static JsonObject WhileTrue(string id, JsonObject body) => Activity("Elsa.While", id, ("condition", Literal(true, "Boolean")), ("body", body));

    private static JsonObject Delay(string id, string span) => Activity("Elsa.Delay", id, ("timeSpan", Literal(span, "TimeSpan")));

    private static void AssertRunaway(WorkflowState state, IReadOnlyList<JournalRecord> journal, string message, string faultedActivity, int budget)
    {
        Assert.Multiple(() =>
        {
            Assert.That(state.Status, Is.EqualTo(WorkflowStatus.Finished));
            Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Faulted));
            Assert.That(state.Incidents, Has.Count.EqualTo(1));
            Assert.That(state.Incidents[0].Message, Is.EqualTo(message));
            Assert.That(state.Incidents[0].ExceptionType, Is.EqualTo(nameof(StepLimitExceededException)));
            Assert.That(state.Incidents[0].ActivityId, Is.EqualTo(faultedActivity), "the incident names the container that keeps scheduling work");
            Assert.That(state.Bookmarks, Is.Empty);
            // Each execution journals its start and its end (and a fault); the budget bounds what the step holds.
            Assert.That(journal.Count(r => r.EventName == "Started"), Is.EqualTo(budget));
            Assert.That(journal, Has.Count.LessThanOrEqualTo(2 * budget + 8));
            Assert.That(Journal.Verify(journal).Valid, Is.True);
        });
    }

    [TestCase(FlowchartMode.CounterBased)]
    [TestCase(FlowchartMode.TokenBased)]
    public async Task A_flowchart_cycle_without_bookmarks_ends_as_an_incident(FlowchartMode mode)
    {
        var d = Definition(Flowchart("f", [WriteLine("start", "开始"), WriteLine("a", "甲"), WriteLine("b", "乙")],
            Connection("start", "a"), Connection("a", "b"), Connection("b", "a")));
        var (state, journal) = await Run(d, mode: mode);
        AssertRunaway(state, journal, DefaultBudget, "f", StepLimits.DefaultMaxActivityExecutions);
    }

    [Test]
    public async Task A_while_true_without_a_bookmark_ends_as_an_incident()
    {
        var (state, journal) = await Run(Definition(WhileTrue("w", WriteLine("say", "又一次"))));
        AssertRunaway(state, journal, DefaultBudget, "w", StepLimits.DefaultMaxActivityExecutions);
    }

    [Test]
    public async Task A_zero_delay_loop_ends_as_an_incident()
    {
        var d = Definition(Flowchart("f", [Delay("wait", "00:00:00"), WriteLine("tick", "滴答")],
            Connection("wait", "tick"), Connection("tick", "wait")));
        var (state, journal) = await Run(d);
        AssertRunaway(state, journal, DefaultBudget, "f", StepLimits.DefaultMaxActivityExecutions);
    }

    [Test]
    public async Task The_budget_is_configurable_and_counted_per_step()
    {
        // A loop that waits on a real delay each round: every resume is a new step with a fresh budget.
        var d = Definition(WhileTrue("w", Sequence("round", WriteLine("a", "1"), WriteLine("b", "2"), Delay("wait", "00:05:00"))));
        var engine = new WorkflowEngine(options: new WorkflowEngineOptions { Limits = new StepLimits { MaxActivityExecutions = 12 } });
        var state = await engine.StartAsync(d);
        for (var round = 0; round < 5; round++)
        {
            Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Suspended), $"round {round}");
            state = await engine.ResumeAsync(state.Id, state.Bookmarks.Single().Id);
        }
        Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Suspended), "five rounds of 5 executions each fit a budget of 12 per step");

        var (runaway, _) = await Run(Definition(WhileTrue("w", WriteLine("say", "x"))), new StepLimits { MaxActivityExecutions = 12 });
        Assert.That(runaway.Incidents.Single().Message, Is.EqualTo("单步执行超过 12 个活动 (more than 12 activity executions in one step)"));
    }

    [Test]
    public async Task A_step_that_queues_more_than_the_budget_at_once_ends_as_an_incident()
    {
        var items = Js("(function () { var a = []; for (var i = 0; i < 300; i++) a.push(i); return a; })()");
        var d = Definition(Activity("Elsa.ParallelForEach", "each", ("items", items), ("body", WriteLine("say", "x"))));
        var (state, _) = await Run(d, new StepLimits { MaxActivityExecutions = 100 });
        Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Faulted));
        Assert.That(state.Incidents.Single().Message, Is.EqualTo("单步排队超过 100 个活动 (more than 100 activities queued in one step)"));
        Assert.That(state.Incidents.Single().ActivityId, Is.EqualTo("each"));
    }

    [Test]
    public async Task A_step_that_journals_more_than_its_limit_ends_as_an_incident()
    {
        var (state, journal) = await Run(Definition(WhileTrue("w", WriteLine("say", "x"))), new StepLimits { MaxJournalRecords = 50 });
        Assert.That(state.Incidents.Single().Message, Is.EqualTo("单步日志超过 50 条 (more than 50 journal records in one step)"));
        Assert.That(journal, Has.Count.LessThanOrEqualTo(50 + 4));
    }

    [Test]
    public async Task A_100000_activity_sequence_read_past_the_import_limits_stops_at_the_budget()
    {
        // The reproduction that drove one case to 23 GB: the import limits refuse it now, and should such a definition
        // be read anyway (limits raised), the step budget still stops it.
        var sequence = Sequence("s", [.. Enumerable.Range(0, 100_000).Select(i => WriteLine($"w{i}", "x"))]);
        var json = new JsonObject { ["definitionId"] = "huge", ["id"] = "huge-v1", ["version"] = 1, ["isPublished"] = true, ["root"] = sequence }.ToJsonString();
        Assert.That(() => Serialization.WorkflowJson.Read(json, "huge.json"), Throws.InstanceOf<Serialization.DefinitionLimitExceededException>());
        var definition = Serialization.WorkflowJson.Read(json, "huge.json", new Serialization.DefinitionLimits { MaxBytes = int.MaxValue, MaxActivities = int.MaxValue });
        var (state, journal) = await Run(definition);
        AssertRunaway(state, journal, DefaultBudget, "s", StepLimits.DefaultMaxActivityExecutions);
    }

    [Test]
    public async Task A_long_but_finite_step_under_the_budget_finishes()
    {
        var items = Js("(function () { var a = []; for (var i = 0; i < 2000; i++) a.push(i); return a; })()");
        var (state, _) = await Run(Definition(Activity("Elsa.ForEach", "each", ("items", items), ("body", WriteLine("say", "x")))));
        Assert.Multiple(() =>
        {
            Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Finished));
            Assert.That(state.Incidents, Is.Empty);
        });
    }
}
