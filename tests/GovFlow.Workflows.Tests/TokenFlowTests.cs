using System.Text.Json.Nodes;
using GovFlow.Workflows.Runtime;
using static GovFlow.Workflows.Tests.Flows;

namespace GovFlow.Workflows.Tests;

/// <summary>
/// Token-mode flowcharts as Elsa 3 runs them (Flowchart.Tokens.cs): a flowchart completes only when nothing is
/// scheduled or running AND no token is left unconsumed; FlowJoin WaitAny maps to Race (the first token runs the
/// join, the other inbound connections get a blocked token), WaitAll/WaitAllActive map to Converge.
/// </summary>
[TestFixture]
public class TokenFlowTests
{
    private StringWriter _out = null!;

    [SetUp]
    public void SetUp() => _out = new StringWriter();

    [TearDown]
    public void TearDown() => _out.Dispose();

    private IReadOnlyList<string> Lines => WorkflowFileRunner.SplitLines(_out.ToString());

    private WorkflowEngine Engine() => new(options: new WorkflowEngineOptions { Out = _out, FlowchartMode = FlowchartMode.TokenBased });

    private static JsonObject Join(string id, string mode) => Activity("Elsa.FlowJoin", id, ("mode", Literal(mode, "String")));

    private static JsonObject WithMergeMode(JsonObject activity, string mode)
    {
        activity["customProperties"] = new JsonObject { ["mergeMode"] = mode };
        return activity;
    }

    [Test]
    public async Task A_WaitAny_join_reached_again_after_it_ran_leaves_the_late_token_unconsumed_and_the_flowchart_running()
    {
        // Queue order: a, b1 → join (a's token) → b2; b2's token meets the block a's arrival left, so the join does
        // not run again, and the token b2 emitted stays unconsumed: Elsa's flowchart does not complete.
        var engine = Engine();
        var d = Definition(Flowchart("f",
            [Activity("Elsa.Start", "start"), WriteLine("a", "a"), WriteLine("b1", "b1"), WriteLine("b2", "b2"), Join("join", "WaitAny"), WriteLine("after", "after")],
            Connection("start", "a"), Connection("start", "b1"), Connection("b1", "b2"), Connection("a", "join"), Connection("b2", "join"), Connection("join", "after")));
        var state = await engine.StartAsync(d);
        Assert.Multiple(() =>
        {
            Assert.That(Lines, Is.EqualTo(new[] { "a", "b1", "b2", "after" }));
            Assert.That(Lines.Count(l => l == "after"), Is.EqualTo(1), "the join runs once");
            Assert.That(state.Status, Is.EqualTo(WorkflowStatus.Running));
            Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Suspended));
            Assert.That(state.Bookmarks, Is.Empty);
        });
    }

    [Test]
    public async Task A_WaitAll_join_with_a_branch_dead_after_a_decision_never_runs_and_the_flowchart_stays_running()
    {
        var engine = Engine();
        var d = Definition(Flowchart("f",
            [Activity("Elsa.Start", "start"), WriteLine("a", "a"), Activity("Elsa.FlowDecision", "decide", ("condition", Literal(false, "Boolean"))),
             WriteLine("b", "b"), Join("join", "WaitAll"), WriteLine("after", "after")],
            Connection("start", "a"), Connection("start", "decide"), Connection("decide", "b", "True"),
            Connection("a", "join"), Connection("b", "join"), Connection("join", "after")));
        var state = await engine.StartAsync(d);
        Assert.Multiple(() =>
        {
            Assert.That(Lines, Is.EqualTo(new[] { "a" }));
            Assert.That(state.Status, Is.EqualTo(WorkflowStatus.Running));
            Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Suspended));
            Assert.That(state.Bookmarks, Is.Empty);
        });
    }

    [Test]
    public async Task Converge_with_a_dead_inbound_branch_never_runs_and_the_flowchart_stays_running()
    {
        var engine = Engine();
        var d = Definition(Flowchart("f",
            [Activity("Elsa.Start", "start"), WriteLine("a", "a"), Activity("Elsa.FlowDecision", "decide", ("condition", Literal(false, "Boolean"))),
             WriteLine("b", "b"), WithMergeMode(WriteLine("c", "c"), "Converge")],
            Connection("start", "a"), Connection("start", "decide"), Connection("decide", "b", "True"), Connection("a", "c"), Connection("b", "c")));
        var state = await engine.StartAsync(d);
        Assert.Multiple(() =>
        {
            Assert.That(Lines, Is.EqualTo(new[] { "a" }));
            Assert.That(state.Status, Is.EqualTo(WorkflowStatus.Running));
            Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Suspended));
            Assert.That(state.Bookmarks, Is.Empty);
        });
    }

    [Test]
    public async Task Converge_runs_once_every_inbound_connection_brought_a_token()
    {
        var engine = Engine();
        var d = Definition(Flowchart("f",
            [Activity("Elsa.Start", "start"), WriteLine("a", "a"), WriteLine("b", "b"), WithMergeMode(WriteLine("c", "c"), "Converge")],
            Connection("start", "a"), Connection("start", "b"), Connection("a", "c"), Connection("b", "c")));
        var state = await engine.StartAsync(d);
        Assert.Multiple(() =>
        {
            Assert.That(Lines, Is.EqualTo(new[] { "a", "b", "c" }));
            Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Finished));
        });
    }

    [TestCase("Elsa.Delay", "timeSpan", "00:05:00", "TimeSpan")]
    [TestCase("Elsa.Timer", "interval", "00:05:00", "TimeSpan")]
    public async Task A_WaitAny_join_after_a_fork_runs_while_the_other_branch_waits(string waitType, string input, string value, string typeName)
    {
        var engine = Engine();
        var d = Definition(Flowchart("f",
            [Activity("Elsa.Start", "start"), Activity("Elsa.FlowFork", "fork", ("branches", new JsonObject { ["typeName"] = "Object", ["expression"] = new JsonObject { ["type"] = "Object", ["value"] = "[\"Quick\",\"Slow\"]" } })),
             WriteLine("quick", "quick"), Activity(waitType, "wait", (input, Literal(value, typeName))), Join("join", "WaitAny"), WriteLine("after", "after")],
            Connection("start", "fork"), Connection("fork", "quick", "Quick"), Connection("fork", "wait", "Slow"),
            Connection("quick", "join"), Connection("wait", "join"), Connection("join", "after")));
        var state = await engine.StartAsync(d);
        Assert.Multiple(() =>
        {
            Assert.That(Lines, Is.EqualTo(new[] { "quick", "after" }), string.Join("; ", state.Incidents.Select(i => i.Message)));
            Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Suspended), "the waiting branch was still only queued when the join raced, so it was not cancelled");
            Assert.That(state.Bookmarks.Select(b => b.Name), Is.EqualTo(new[] { waitType }));
        });

        // When the wait ends its token meets the block the race left: the join does not run again and the token stays.
        var resumed = await engine.ResumeAsync(state.Id, state.Bookmarks[0].Id);
        Assert.Multiple(() =>
        {
            Assert.That(Lines.Count(l => l == "after"), Is.EqualTo(1));
            Assert.That(resumed.Status, Is.EqualTo(WorkflowStatus.Running));
            Assert.That(resumed.Bookmarks, Is.Empty);
        });
    }

    [Test]
    public async Task A_WaitAny_join_cancels_a_branch_already_waiting_and_still_runs()
    {
        // The waiting branch is scheduled first, so it already waits when the quick branch reaches the join: the race
        // cancels it. Its cancellation must not end the flowchart while the quick branch's token is unconsumed.
        var engine = Engine();
        var d = Definition(Flowchart("f",
            [Activity("Elsa.Start", "start"), Activity("Elsa.FlowFork", "fork", ("branches", new JsonObject { ["typeName"] = "Object", ["expression"] = new JsonObject { ["type"] = "Object", ["value"] = "[\"Slow\",\"Quick\"]" } })),
             Activity("Elsa.Delay", "wait", ("timeSpan", Literal("00:05:00", "TimeSpan"))), WriteLine("quick", "quick"), Join("join", "WaitAny"), WriteLine("after", "after")],
            Connection("start", "fork"), Connection("fork", "wait", "Slow"), Connection("fork", "quick", "Quick"),
            Connection("wait", "join"), Connection("quick", "join"), Connection("join", "after")));
        var state = await engine.StartAsync(d);
        Assert.Multiple(() =>
        {
            Assert.That(Lines, Is.EqualTo(new[] { "quick", "after" }));
            Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Finished));
            Assert.That(state.Bookmarks, Is.Empty);
        });
    }

    [Test]
    public async Task A_WaitAny_join_reached_by_equal_branches_runs_once_and_finishes()
    {
        var engine = Engine();
        var d = Definition(Flowchart("f",
            [Activity("Elsa.Start", "start"), WriteLine("a", "a"), WriteLine("b", "b"), Join("join", "WaitAny"), WriteLine("after", "after")],
            Connection("start", "a"), Connection("start", "b"), Connection("a", "join"), Connection("b", "join"), Connection("join", "after")));
        var state = await engine.StartAsync(d);
        Assert.Multiple(() =>
        {
            Assert.That(Lines, Is.EqualTo(new[] { "a", "b", "after" }));
            Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Finished));
        });
    }
}
