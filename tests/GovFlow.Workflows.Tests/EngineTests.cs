using System.Text.Json.Nodes;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;
using GovFlow.Workflows.Serialization;
using static GovFlow.Workflows.Tests.Flows;

namespace GovFlow.Workflows.Tests;

[TestFixture]
public class EngineTests
{
    private StringWriter _out = null!;
    private ManualClock _clock = null!;

    [SetUp]
    public void SetUp()
    {
        _out = new StringWriter();
        _clock = new ManualClock(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    }

    [TearDown]
    public void TearDown() => _out.Dispose();

    private WorkflowEngine Engine(FlowchartMode mode = FlowchartMode.CounterBased, ExpressionOptions? expressions = null) =>
        new(options: new WorkflowEngineOptions { Out = _out, Clock = _clock, FlowchartMode = mode, Expressions = expressions });

    private IReadOnlyList<string> Lines => WorkflowFileRunner.SplitLines(_out.ToString());

    private async Task<WorkflowState> Run(WorkflowDefinition definition, FlowchartMode mode = FlowchartMode.CounterBased, IDictionary<string, object?>? input = null, ExpressionOptions? expressions = null)
    {
        var engine = Engine(mode, expressions);
        engine.Definitions.Add(definition);
        return await engine.StartAsync(definition, new StartWorkflowRequest { Input = input });
    }

    [Test]
    public async Task A_sequence_runs_in_order_and_journals_every_step()
    {
        var engine = Engine();
        var d = Definition(Sequence("s", WriteLine("a", "一"), WriteLine("b", "二"), WriteLine("c", "三")));
        var state = await engine.StartAsync(d);
        var journal = engine.JournalOf(state.Id);
        Assert.Multiple(() =>
        {
            Assert.That(Lines, Is.EqualTo(new[] { "一", "二", "三" }));
            Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Finished));
            Assert.That(journal.Where(r => r.ActivityType == "Elsa.WriteLine").Select(r => $"{r.ActivityId}:{r.EventName}"),
                Is.EqualTo(new[] { "a:Started", "a:Completed", "b:Started", "b:Completed", "c:Started", "c:Completed" }));
            Assert.That(journal.Select(r => r.Sequence), Is.EqualTo(Enumerable.Range(1, journal.Count).Select(i => (long)i)));
            Assert.That(journal.All(r => r.Actor == "system"), Is.True);
            Assert.That(Journal.Verify(journal), Is.EqualTo(new JournalVerification(true, journal.Count, null)));
        });
    }

    [Test]
    public async Task Any_change_to_the_journal_is_detected()
    {
        var engine = Engine();
        var state = await engine.StartAsync(Definition(Sequence("s", WriteLine("a", "x"), WriteLine("b", "y"))));
        var journal = engine.JournalOf(state.Id).ToList();

        var edited = journal.Select(Copy).ToList();
        edited[3].Actor = "mallory";
        Assert.That(Journal.Verify(edited).FirstBrokenSequence, Is.EqualTo(4));

        var removed = journal.Select(Copy).Where(r => r.Sequence != 3).ToList();
        Assert.That(Journal.Verify(removed) is { Valid: false, FirstBrokenSequence: 3 }, Is.True, "record 3 is missing");

        var rehashed = journal.Select(Copy).ToList();
        rehashed[2].EventName = "Faulted";
        rehashed[2].Hash = rehashed[2].ComputeHash();
        Assert.That(Journal.Verify(rehashed).FirstBrokenSequence, Is.EqualTo(4), "re-hashing one record breaks the link of the next");
    }

    private static JournalRecord Copy(JournalRecord r) => new()
    {
        Sequence = r.Sequence, Timestamp = r.Timestamp, WorkflowInstanceId = r.WorkflowInstanceId, ActivityInstanceId = r.ActivityInstanceId,
        ParentActivityInstanceId = r.ParentActivityInstanceId, ActivityId = r.ActivityId, NodeId = r.NodeId, ActivityType = r.ActivityType,
        ActivityTypeVersion = r.ActivityTypeVersion, ActivityName = r.ActivityName, EventName = r.EventName, Actor = r.Actor,
        Message = r.Message, Payload = r.Payload?.DeepClone(), PreviousHash = r.PreviousHash, Hash = r.Hash, Algorithm = r.Algorithm
    };

    [TestCase("MatchFirst", "2", new[] { "two" })]
    [TestCase("MatchAny", "2", new[] { "two", "even" })]
    [TestCase("MatchFirst", "7", new[] { "none" })]
    public async Task FlowSwitch_follows_matching_cases(string mode, string value, string[] expected)
    {
        var cases = new JsonArray(
            new JsonObject { ["label"] = "Two", ["condition"] = new JsonObject { ["type"] = "JavaScript", ["value"] = "getN() == 2" } },
            new JsonObject { ["label"] = "Even", ["condition"] = new JsonObject { ["type"] = "JavaScript", ["value"] = "getN() % 2 == 0" } });
        var d = Definition(Flowchart("f",
            [
                Activity("Elsa.FlowSwitch", "sw", ("cases", cases), ("mode", Literal(mode, "String"))),
                WriteLine("two", "two"), WriteLine("even", "even"), WriteLine("none", "none")
            ],
            Connection("sw", "two", "Two"), Connection("sw", "even", "Even"), Connection("sw", "none", "Default")),
            inputs: [new JsonObject { ["name"] = "N", ["type"] = "Int32" }]);
        var state = await Run(d, input: new Dictionary<string, object?> { ["N"] = value });
        Assert.That(Lines, Is.EqualTo(expected));
        Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Finished));
    }

    [Test]
    public async Task Implicit_join_waits_for_all_active_branches_and_skips_dead_ones()
    {
        // start → decision(true): True → a → join ; False → b → join ; start → c → join
        var d = Definition(Flowchart("f",
            [
                Activity("Elsa.Start", "start"), Activity("Elsa.FlowDecision", "dec", ("condition", Literal(true, "Boolean"))),
                WriteLine("a", "a"), WriteLine("b", "b"), WriteLine("c", "c"), WriteLine("join", "join")
            ],
            Connection("start", "dec"), Connection("start", "c"), Connection("dec", "a", "True"), Connection("dec", "b", "False"),
            Connection("a", "join"), Connection("b", "join"), Connection("c", "join")));
        var state = await Run(d);
        Assert.That(Lines, Is.EquivalentTo(new[] { "a", "c", "join" }));
        Assert.That(Lines[^1], Is.EqualTo("join"));
        Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Finished));
    }

    [Test]
    public async Task FlowFork_with_WaitAll_join_runs_the_join_once_after_every_branch()
    {
        var d = Definition(Flowchart("f",
            [
                Activity("Elsa.FlowFork", "fork", ("branches", new JsonObject { ["typeName"] = "String[]", ["expression"] = new JsonObject { ["type"] = "Object", ["value"] = "[\"A\",\"B\",\"C\"]" } })),
                WriteLine("a", "a"), WriteLine("b", "b"), WriteLine("c", "c"),
                Activity("Elsa.FlowJoin", "join", ("mode", Literal("WaitAll", "String"))), WriteLine("after", "after")
            ],
            Connection("fork", "a", "A"), Connection("fork", "b", "B"), Connection("fork", "c", "C"),
            Connection("a", "join"), Connection("b", "join"), Connection("c", "join"), Connection("join", "after")));
        await Run(d);
        Assert.That(Lines, Is.EqualTo(new[] { "a", "b", "c", "after" }));
    }

    [Test]
    public async Task WaitAny_join_cancels_the_losing_branch_and_its_bookmark()
    {
        var d = Definition(Flowchart("f",
            [
                Activity("Elsa.Start", "start"), Activity("Elsa.Event", "wait", ("eventName", Literal("never", "String"))),
                WriteLine("fast", "fast"), Activity("Elsa.FlowJoin", "join", ("mode", Literal("WaitAny", "String"))), WriteLine("after", "after")
            ],
            Connection("start", "wait"), Connection("start", "fast"), Connection("wait", "join"), Connection("fast", "join"), Connection("join", "after")));
        var engine = Engine();
        var state = await engine.StartAsync(d);
        Assert.That(Lines, Is.EqualTo(new[] { "fast", "after" }));
        Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Finished));
        Assert.That(state.Bookmarks, Is.Empty);
        Assert.That(engine.JournalOf(state.Id).Any(r => r.ActivityId == "wait" && r.EventName == "Canceled"), Is.True);
    }

    [Test]
    public async Task A_loop_back_connection_repeats_until_the_decision_says_stop()
    {
        var d = Definition(Flowchart("f",
            [
                Activity("Elsa.SetVariable", "init", ("variable", new JsonObject { ["id"] = "i-id", ["name"] = "i" }), ("value", Literal(0))),
                Activity("Elsa.SetVariable", "inc", ("variable", new JsonObject { ["id"] = "i-id", ["name"] = "i" }), ("value", Js("getI() + 1"))),
                WriteLineJs("say", "`round ${getI()}`"),
                Activity("Elsa.FlowDecision", "more", ("condition", Js("getI() < 3", "Boolean"))),
                WriteLine("done", "done")
            ],
            Connection("init", "inc"), Connection("inc", "say"), Connection("say", "more"), Connection("more", "inc", "True"), Connection("more", "done", "False")),
            variables: [new JsonObject { ["id"] = "i-id", ["name"] = "i", ["typeName"] = "Int32", ["value"] = 0 }]);
        var state = await Run(d);
        Assert.That(Lines, Is.EqualTo(new[] { "round 1", "round 2", "round 3", "done" }));
        Assert.That(state.Variables.Single().Value!.GetValue<int>(), Is.EqualTo(3));
    }

    [Test]
    public async Task Structured_if_foreach_while_and_break()
    {
        var forEach = Activity("Elsa.ForEach", "each", ("items", Js("['甲','乙','丙','丁']")),
            ("body", Sequence("body",
                Activity("Elsa.If", "stop", ("condition", Js("getCurrentValue() == '丙'", "Boolean")), ("then", Activity("Elsa.Break", "brk"))),
                WriteLineJs("item", "`${getCurrentIndex()}:${getCurrentValue()}`"))));
        var whileLoop = Activity("Elsa.While", "loop", ("condition", Js("getN() < 2", "Boolean")),
            ("body", Activity("Elsa.SetVariable", "inc", ("variable", new JsonObject { ["id"] = "n-id" }), ("value", Js("getN() + 1")))));
        var d = Definition(Sequence("s", forEach, whileLoop, WriteLineJs("n", "`n=${getN()}`")),
            variables: [new JsonObject { ["id"] = "n-id", ["name"] = "n", ["typeName"] = "Int32", ["value"] = 0 }]);
        var state = await Run(d);
        Assert.That(Lines, Is.EqualTo(new[] { "0:甲", "1:乙", "n=2" }));
        Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Finished));
    }

    [Test]
    public async Task Structured_fork_WaitAny_completes_on_the_first_branch()
    {
        var fork = Activity("Elsa.Fork", "fork", ("joinMode", Literal("WaitAny", "String")),
            ("branches", new JsonArray(Activity("Elsa.Event", "slow", ("eventName", Literal("slow", "String"))), WriteLine("quick", "quick"))));
        var state = await Run(Definition(Sequence("s", fork, WriteLine("after", "after"))));
        Assert.That(Lines, Is.EqualTo(new[] { "quick", "after" }));
        Assert.That(state.Bookmarks, Is.Empty);
    }

    [Test]
    public async Task A_delay_suspends_with_a_due_time_and_resumes_in_another_process()
    {
        var definitionJson = WorkflowJson.Write(Definition(Sequence("s",
            WriteLine("before", "before"), Activity("Elsa.Delay", "wait", ("timeSpan", Literal("00:00:05", "TimeSpan"))), WriteLineJs("after", "`after ${getWho()}`")),
            variables: [Variable("who", "String", "张三")]));

        var first = Engine();
        var d1 = first.Definitions.Add(WorkflowJson.Read(definitionJson));
        var suspended = await first.StartAsync(d1);
        var bookmark = suspended.Bookmarks.Single();
        Assert.Multiple(() =>
        {
            Assert.That(suspended.SubStatus, Is.EqualTo(WorkflowSubStatus.Suspended));
            Assert.That(bookmark.Name, Is.EqualTo("Elsa.Delay"));
            Assert.That(bookmark.DueAt, Is.EqualTo(_clock.GetUtcNow().AddSeconds(5)));
        });
        var stored = suspended.ToJson();

        // A fresh engine with its own compiler and definition copy stands in for another process.
        var second = new WorkflowEngine(options: new WorkflowEngineOptions { Out = _out, Clock = _clock });
        var workflow = second.Compiler.Compile(second.Definitions.Add(WorkflowJson.Read(definitionJson)));
        _clock.Advance(TimeSpan.FromSeconds(5));
        var result = await new WorkflowRunner().ResumeAsync(workflow, WorkflowState.FromJson(stored), bookmark.Id, null, new WorkflowRunOptions { Out = _out, Clock = _clock });
        Assert.Multiple(() =>
        {
            Assert.That(result.State.SubStatus, Is.EqualTo(WorkflowSubStatus.Finished));
            Assert.That(Lines, Is.EqualTo(new[] { "before", "after 张三" }));
            Assert.That(result.Journal[0].Sequence, Is.EqualTo(suspended.JournalSequence + 1), "the journal continues its chain");
            Assert.That(result.Journal[0].PreviousHash, Is.EqualTo(suspended.JournalHash));
        });
    }

    [Test]
    public async Task An_amendment_changes_a_waiting_instance_and_is_journaled_in_its_chain()
    {
        var engine = Engine();
        var d = engine.Definitions.Add(Definition(Sequence("s", Activity("Elsa.Delay", "wait", ("timeSpan", Literal("00:00:05", "TimeSpan"))), WriteLine("after", "after"))));
        var suspended = await engine.StartAsync(d);
        var later = suspended.Bookmarks.Single().DueAt!.Value.AddDays(1);

        var step = await engine.Runtime.AmendAsync(suspended.Id, state => new WorkflowAmendment("DueMoved",
            new System.Text.Json.Nodes.JsonObject { ["new"] = later.ToString("O") }, "期限顺延", c => c.Bookmarks.Single().DueAt = later), "policy01");
        Assert.That(step, Is.Not.Null);
        Assert.That(await engine.Runtime.AmendAsync(suspended.Id, _ => null, "policy01"), Is.Null, "nothing to change stages nothing");
        var journal = engine.JournalOf(suspended.Id);
        Assert.Multiple(() =>
        {
            Assert.That(step!.State.Bookmarks.Single().DueAt, Is.EqualTo(later));
            Assert.That(step.State.SubStatus, Is.EqualTo(WorkflowSubStatus.Suspended), "still waiting, nothing ran");
            Assert.That(journal[^1].EventName, Is.EqualTo("DueMoved"));
            Assert.That(journal[^1].Actor, Is.EqualTo("policy01"));
            Assert.That(journal[^1].Message, Is.EqualTo("期限顺延"));
            Assert.That(Journal.Verify(journal).Valid, Is.True);
            Assert.That(Lines, Is.Empty);
        });
    }

    [Test]
    public async Task A_flowchart_waiting_on_an_event_resumes_from_stored_state_with_its_counters()
    {
        var d = Definition(Flowchart("f",
            [Activity("Elsa.Start", "start"), Activity("Elsa.Event", "approve", ("eventName", Literal("approved", "String")), ("result", Output("answer-id"))), WriteLine("x", "x"), WriteLineJs("join", "`join ${getAnswer()}`")],
            Connection("start", "approve"), Connection("start", "x"), Connection("approve", "join"), Connection("x", "join")),
            variables: [Variable("answer")]);
        var engine = Engine();
        engine.Definitions.Add(d);
        var state = await engine.StartAsync(d);
        Assert.That(Lines, Is.EqualTo(new[] { "x" }));
        var roundTripped = WorkflowState.FromJson(state.ToJson());
        var result = await new WorkflowRunner().ResumeAsync(engine.WorkflowOf(roundTripped), roundTripped, roundTripped.Bookmarks[0].Id, "同意", new WorkflowRunOptions { Out = _out, Clock = _clock, Actor = "reviewer01" });
        Assert.That(Lines, Is.EqualTo(new[] { "x", "join 同意" }));
        Assert.That(result.State.SubStatus, Is.EqualTo(WorkflowSubStatus.Finished));
        Assert.That(result.Journal.First().Actor, Is.EqualTo("reviewer01"));
    }

    [Test]
    public async Task A_fault_becomes_an_incident_not_an_exception()
    {
        var state = await Run(Definition(Sequence("s", WriteLine("a", "a"),
            Activity("Elsa.Fault", "boom", ("code", Literal("E42", "String")), ("message", Literal("材料不全", "String"))), WriteLine("b", "b"))));
        Assert.Multiple(() =>
        {
            Assert.That(state.Status, Is.EqualTo(WorkflowStatus.Finished));
            Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Faulted));
            Assert.That(state.Incidents.Single().Message, Is.EqualTo("材料不全"));
            Assert.That(state.Incidents.Single().Code, Is.EqualTo("E42"));
            Assert.That(state.Incidents.Single().ActivityId, Is.EqualTo("boom"));
            Assert.That(Lines, Is.EqualTo(new[] { "a" }));
        });
    }

    [Test]
    public async Task A_script_error_and_an_unknown_activity_become_incidents()
    {
        var bad = await Run(Definition(Sequence("s", WriteLineJs("a", "undefinedFunction()"))));
        Assert.That(bad.Incidents.Single().Message, Does.Contain("JavaScript error"));

        var engine = Engine();
        var d = Definition(Sequence("s", Activity("Acme.Unknown", "u")));
        var workflow = engine.Compiler.Compile(d);
        Assert.That(workflow.Problems.Single().Message, Does.Contain("unknown activity type 'Acme.Unknown'"));
        var state = await engine.StartAsync(d);
        Assert.That(state.Incidents.Single().Message, Does.Contain("Unknown activity type 'Acme.Unknown'"));
    }

    [Test]
    public void Compile_errors_list_every_problem_with_its_path()
    {
        var d = Definition(Sequence("s",
            Activity("Elsa.Delay", "d", ("timeSpan", Literal("soon", "TimeSpan"))),
            Activity("Elsa.WriteLine", "w", ("text", new JsonObject { ["typeName"] = "String", ["expression"] = new JsonObject { ["type"] = "Python", ["value"] = "x" } })),
            Activity("Elsa.WriteLine", "j", ("text", Js("function (", "String")))));
        var ex = Assert.Throws<WorkflowCompileException>(() => Engine().Compiler.Compile(d));
        Assert.That(ex!.Problems.Where(p => p.IsError).Select(p => p.Path), Is.EqualTo(new[] { "s/d.timeSpan", "s/w.text", "s/j.text" }));
        Assert.That(ex.Problems[1].Message, Is.EqualTo("unknown expression type 'Python'"));
    }

    [Test]
    public void An_input_is_declared_once_and_an_undeclared_read_is_refused()
    {
        var engine = Engine();
        engine.Compiler.Registry.Register<ReadsUndeclared>();
        var ex = Assert.Throws<InvalidOperationException>(() => engine.Compiler.Compile(Definition(Sequence("s", Activity("Test.ReadsUndeclared", "r")))));
        Assert.That(ex!.Message, Does.Contain("'colour' without declaring it"));

        var delay = engine.Compiler.Registry.Find("Elsa.Delay")!.Inputs.Single(i => i.Name == "timeSpan");
        Assert.That((delay.TypeName, delay.ClrType, delay.DefaultSyntax), Is.EqualTo(("TimeSpan", typeof(TimeSpan), "Literal")),
            "the toolbox and the compiler read the one declaration");
    }

    [Test]
    public async Task Cancelling_the_work_elsewhere_ends_a_fork_that_waits_for_all()
    {
        var engine = Engine();
        engine.Compiler.Registry.Register<ClosesTheRest>();
        var d = Definition(Sequence("s",
            Activity("Elsa.Fork", "fork", ("joinMode", Literal("WaitAll", "String")), ("branches", new JsonArray(
                Activity("Elsa.Event", "other", ("eventName", Literal("other", "String"))),
                Sequence("mine", Activity("Elsa.Event", "decide", ("eventName", Literal("decide", "String"))), Activity("Test.ClosesTheRest", "close"))))),
            WriteLine("after", "fork done")));
        engine.Definitions.Add(d);
        var state = await engine.StartAsync(d, new StartWorkflowRequest());
        Assert.That(state.Bookmarks, Has.Count.EqualTo(2));

        state = await engine.ResumeAsync(state.Id, state.Bookmarks.Single(b => b.ActivityId == "decide").Id, null);
        Assert.Multiple(() =>
        {
            Assert.That(state.Bookmarks, Is.Empty, "the other branch's wait is gone");
            Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Finished), "the fork counted the cancelled branch as over");
            Assert.That(Lines, Is.EqualTo(new[] { "fork done" }));
            Assert.That(engine.JournalOf(state.Id).Any(r => r.ActivityId == "other" && r.EventName == "Canceled"), Is.True);
        });
    }

    [Activity("Test.ClosesTheRest", "Test", "Closes the rest")]
    private sealed class ClosesTheRest(ActivityNode node, ActivityBuildContext build) : Runtime.Activity(node, build)
    {
        protected internal override async ValueTask ExecuteAsync(ActivityExecutionContext context)
        {
            await context.Workflow.CancelWaitingElsewhereAsync(context, "decided");
            await context.CompleteAsync();
        }
    }

    [Activity("Test.ReadsUndeclared", "Test", "Reads undeclared")]
    [Input("size", typeof(int))]
    private sealed class ReadsUndeclared(ActivityNode node, ActivityBuildContext build) : Runtime.Activity(node, build)
    {
        private readonly Expressions.Input? _colour = build.Input(node, "colour");

        protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context) => context.CompleteAsync(_colour?.Name ?? "Done");
    }

    [Test]
    public async Task Finish_ends_the_workflow_even_with_waiting_branches()
    {
        var d = Definition(Flowchart("f",
            [Activity("Elsa.Start", "start"), Activity("Elsa.Event", "wait", ("eventName", Literal("e", "String"))), Activity("Elsa.Finish", "finish")],
            Connection("start", "wait"), Connection("start", "finish")));
        var state = await Run(d);
        Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Finished));
        Assert.That(state.Bookmarks, Is.Empty);
    }

    [Test]
    public async Task Complete_at_top_level_finishes_the_workflow()
    {
        var state = await Run(Definition(Sequence("s", Activity("Elsa.Complete", "c", ("outcomes", Literal("Approved", "String"))), WriteLine("never", "never"))));
        Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Finished));
        Assert.That(Lines, Is.Empty);
    }

    [Test]
    public async Task Token_mode_cascade_runs_once_per_arriving_token()
    {
        var target = WriteLine("c", "c");
        target["customProperties"] = new JsonObject { ["mergeMode"] = "Cascade" };
        var d = Definition(Flowchart("f",
            [Activity("Elsa.Start", "start"), WriteLine("a", "a"), WriteLine("b", "b"), target],
            Connection("start", "a"), Connection("start", "b"), Connection("a", "c"), Connection("b", "c")));
        await Run(d, FlowchartMode.TokenBased);
        Assert.That(Lines.Count(l => l == "c"), Is.EqualTo(1), "cascade blocks the other inbound branch once the first token arrived");
    }

    [Test]
    public async Task Workflow_inputs_are_converted_to_their_declared_types()
    {
        var d = Definition(Sequence("s", WriteLineJs("sum", "`${getA() + getB()}`")),
            inputs: [new JsonObject { ["name"] = "A", ["type"] = "Int32" }, new JsonObject { ["name"] = "B", ["type"] = "Int32" }]);
        await Run(d, input: new Dictionary<string, object?> { ["A"] = "40", ["B"] = 2 });
        Assert.That(Lines, Is.EqualTo(new[] { "42" }));
    }

    [Test]
    public async Task CSharp_and_JavaScript_read_and_write_variables()
    {
        var d = Definition(Sequence("s",
            Activity("Elsa.RunJavaScript", "js", ("script", Literal("setCount(getCount() * 10); setOutcome('Ten'); return { who: '李四', n: getCount() };", "String")), ("result", Output("Obj-id"))),
            Activity("Elsa.RunCSharp", "cs", ("script", Literal("Variables.Count = (int)Variables.Count + 1; return Variables.Count;", "String"))),
            WriteLineJs("out", "`${getObj().who} ${getObj().n} ${getCount()}`"),
            Activity("Elsa.WriteLine", "cs2", ("text", CSharp("return $\"C# sees {Variables.Count}\";", "String")))),
            variables: [Variable("Count", "Int32", 4), Variable("Obj")]);
        var state = await Run(d, expressions: ExpressionOptions.TrustedFiles);
        Assert.That(Lines, Is.EqualTo(new[] { "李四 40 41", "C# sees 41" }), string.Join(";", state.Incidents.Select(i => i.Message)));
    }

    [Test]
    public async Task RunTask_waits_for_the_external_result()
    {
        var engine = Engine();
        var d = Definition(Sequence("s", Activity("Elsa.RunTask", "t", ("taskName", Literal("核验", "String")), ("result", Output("r-id"))), WriteLineJs("r", "`result ${getR()}`")),
            variables: [Variable("r")]);
        var state = await engine.StartAsync(d);
        var bookmark = state.Bookmarks.Single();
        Assert.That(bookmark.Payload!["taskName"]!.GetValue<string>(), Is.EqualTo("核验"));
        state = await engine.ResumeAsync(state.Id, bookmark.Id, new Dictionary<string, object?> { ["RunTaskInput"] = "通过" });
        Assert.That(Lines, Is.EqualTo(new[] { "result 通过" }));
        Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Finished));
    }

    [Test]
    public async Task A_parent_waits_for_a_suspended_child_and_receives_its_output()
    {
        var engine = Engine();
        var child = Definition(Sequence("cs", Activity("Elsa.Event", "ev", ("eventName", Literal("go", "String"))),
            Activity("Elsa.SetOutput", "so", ("outputName", Literal("Result", "String")), ("outputValue", Literal("准予许可", "String")))),
            definitionId: "child", outputs: [new JsonObject { ["name"] = "Result", ["type"] = "String" }]);
        var parent = Definition(Sequence("ps",
            Activity("Elsa.ExecuteWorkflow", "call", ("workflowDefinitionId", Literal("child", "String")), ("waitForCompletion", Literal(true, "Boolean")), ("result", Output("res-id"))),
            WriteLineJs("say", "`child said ${getRes().output.Result}`")), definitionId: "parent", variables: [Variable("res")]);
        engine.Definitions.Add(child);
        engine.Definitions.Add(parent);
        var p = await engine.StartAsync("parent");
        Assert.That(p.SubStatus, Is.EqualTo(WorkflowSubStatus.Suspended));
        var c = engine.Instances.Single(i => i.DefinitionId == "child");
        await engine.ResumeAsync(c.Id, c.Bookmarks.Single().Id);
        Assert.That(engine.Instance(p.Id)!.SubStatus, Is.EqualTo(WorkflowSubStatus.Finished));
        Assert.That(Lines, Is.EqualTo(new[] { "child said 准予许可" }));
    }

    [Test]
    public async Task A_child_cancelled_from_outside_ends_its_waits_journals_why_and_resumes_its_parent()
    {
        var engine = Engine();
        var child = Definition(Sequence("cs", Activity("Elsa.Event", "ev", ("eventName", Literal("go", "String"))), WriteLine("never", "child went on")), definitionId: "child");
        var parent = Definition(Sequence("ps",
            Activity("Elsa.ExecuteWorkflow", "call", ("workflowDefinitionId", Literal("child", "String")), ("waitForCompletion", Literal(true, "Boolean")), ("result", Output("res-id"))),
            WriteLineJs("say", "`child ended ${getRes().subStatus}`")), definitionId: "parent", variables: [Variable("res")]);
        engine.Definitions.Add(child);
        engine.Definitions.Add(parent);
        var p = await engine.StartAsync("parent");
        var c = engine.Instances.Single(i => i.DefinitionId == "child");
        Assert.That(WorkflowRuntime.WaitingChildren(p), Is.EqualTo(new[] { c.Id }));

        var reason = new WorkflowAmendment("Ended", new JsonObject { ["by"] = "another" }, "因另一事项不予许可而终止", w => w.Properties["ended"] = true);
        var step = await engine.Runtime.CancelAsync(c.Id, _ => reason, "reviewer");
        Assert.Multiple(() =>
        {
            Assert.That(step!.State.SubStatus, Is.EqualTo(WorkflowSubStatus.Cancelled));
            Assert.That(step.State.Bookmarks, Is.Empty);
            Assert.That(step.State.Properties["ended"]!.GetValue<bool>(), Is.True, "the reason's change is kept");
            Assert.That(engine.JournalOf(c.Id).Single(r => r.EventName == "Ended").Message, Is.EqualTo("因另一事项不予许可而终止"));
            Assert.That(engine.Instance(p.Id)!.SubStatus, Is.EqualTo(WorkflowSubStatus.Finished), "the parent's wait ends with its child");
            Assert.That(Lines, Is.EqualTo(new[] { "child ended Cancelled" }));
        });
        Assert.That(await engine.Runtime.CancelAsync(c.Id, _ => reason, "reviewer"), Is.Null, "a finished instance is left as it is");
    }

    [Test]
    public async Task Instances_stay_pinned_to_the_version_they_started_on()
    {
        var engine = Engine();
        var v1 = Definition(Sequence("s", Activity("Elsa.Event", "e", ("eventName", Literal("go", "String"))), WriteLine("w", "version 1")), definitionId: "matter");
        engine.Definitions.Add(v1, publish: true);
        var old = await engine.StartAsync("matter");

        var v2 = Definition(Sequence("s", Activity("Elsa.Event", "e", ("eventName", Literal("go", "String"))), WriteLine("w", "version 2")), definitionId: "matter");
        var draft = engine.Definitions.SaveDraft(v2);
        Assert.That(draft.Version, Is.EqualTo(2));
        Assert.That(engine.Definitions.Find("matter", VersionSelector.Published)!.Version, Is.EqualTo(1), "a draft does not replace the published version");

        engine.Definitions.Publish("matter", 2);
        Assert.That(engine.Definitions.VersionsOf("matter").Select(v => (v.Version, v.IsPublished, v.IsLatest)), Is.EqualTo(new[] { (1, false, false), (2, true, true) }));
        var fresh = await engine.StartAsync("matter");

        await engine.ResumeAsync(old.Id, old.Bookmarks[0].Id);
        await engine.ResumeAsync(fresh.Id, fresh.Bookmarks[0].Id);
        Assert.That(Lines, Is.EqualTo(new[] { "version 1", "version 2" }));

        engine.Definitions.Retract("matter");
        Assert.ThrowsAsync<KeyNotFoundException>(async () => await engine.StartAsync("matter"));
    }

    [Test]
    public void Resuming_a_missing_bookmark_or_a_finished_instance_is_a_clear_error()
    {
        var engine = Engine();
        var state = engine.StartAsync(Definition(Sequence("s", WriteLine("a", "a")))).AsTask().Result;
        var ex = Assert.ThrowsAsync<BookmarkNotFoundException>(async () => await engine.ResumeAsync(state.Id, "nope"));
        Assert.That(ex!.Message, Does.Contain("has no open bookmark nope"));
    }
}

/// <summary>A clock tests move by hand.</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
