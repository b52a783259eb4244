using System.Text.Json.Nodes;
using GovFlow.Workflows.Runtime;
using static GovFlow.Workflows.Tests.Flows;

namespace GovFlow.Workflows.Tests;

/// <summary>Elsa built-in activities and expression forms beyond the conformance fixtures, as Elsa's source defines them.</summary>
[TestFixture]
public class ElsaActivityParityTests
{
    private StringWriter _out = null!;

    [SetUp]
    public void SetUp() => _out = new StringWriter();

    [TearDown]
    public void TearDown() => _out.Dispose();

    private IReadOnlyList<string> Lines => WorkflowFileRunner.SplitLines(_out.ToString());

    private WorkflowEngine Engine(IServiceProvider? services = null) => new(options: new WorkflowEngineOptions { Out = _out, Services = services });

    private static JsonObject For(string id, JsonObject body, int start, int end, int? step = null, bool? inclusive = null)
    {
        var a = Activity("Elsa.For", id, ("start", Literal(start, "Int32")), ("end", Literal(end, "Int32")), ("body", body), ("currentValue", Output("I-id")));
        if (step is { } s) a["step"] = Literal(s, "Int32");
        if (inclusive is { } inc) a["outerBoundInclusive"] = Literal(inc, "Boolean");
        return a;
    }

    [TestCase(1, 3, null, null, new[] { "1", "2", "3" })]
    [TestCase(1, 3, null, false, new[] { "1", "2" })]
    [TestCase(0, 10, 4, null, new[] { "0", "4", "8" })]
    [TestCase(5, 1, 2, null, new[] { "5", "3", "1" })]
    [TestCase(5, 1, 2, false, new[] { "5", "3" })]
    [TestCase(2, 2, null, false, new string[0])]
    public async Task For_counts_from_start_to_end_by_step(int start, int end, int? step, bool? inclusive, string[] expected)
    {
        var d = Definition(Sequence("s", For("for", WriteLineJs("w", "`${getI()}`"), start, end, step, inclusive)), variables: [Variable("I", "Int32")]);
        var engine = Engine();
        engine.Definitions.Add(d);
        var state = await engine.StartAsync(d);
        Assert.Multiple(() =>
        {
            Assert.That(Lines, Is.EqualTo(expected), string.Join("; ", state.Incidents.Select(i => i.Message)));
            Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Finished));
        });
    }

    [Test]
    public async Task Break_ends_a_For_loop()
    {
        var body = Sequence("body", WriteLineJs("w", "`${getI()}`"),
            Activity("Elsa.If", "if", ("condition", Js("getI() == 2", "Boolean")), ("then", Activity("Elsa.Break", "stop"))));
        var d = Definition(Sequence("s", For("for", body, 1, 5), WriteLine("after", "after")), variables: [Variable("I", "Int32")]);
        var state = await Engine().StartAsync(d);
        Assert.That(Lines, Is.EqualTo(new[] { "1", "2", "after" }), string.Join("; ", state.Incidents.Select(i => i.Message)));
    }

    [Test]
    public async Task Parallel_completes_when_every_activity_completed()
    {
        var parallel = Activity("Elsa.Parallel", "p", ("activities", new JsonArray(
            Sequence("left", WriteLine("l1", "l1"), Activity("Elsa.Event", "wait", ("eventName", Literal("go", "String"))), WriteLine("l2", "l2")),
            WriteLine("right", "right"))));
        var engine = Engine();
        var d = Definition(Sequence("s", parallel, WriteLine("after", "after")));
        var state = await engine.StartAsync(d);
        Assert.That(Lines, Is.EqualTo(new[] { "right", "l1" }), "the sequence schedules l1 behind right (queue order); the parallel waits for its waiting branch");
        state = await engine.ResumeAsync(state.Id, state.Bookmarks.Single().Id);
        Assert.Multiple(() =>
        {
            Assert.That(Lines, Is.EqualTo(new[] { "right", "l1", "l2", "after" }));
            Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Finished));
        });
    }

    [Test]
    public async Task ReadLine_reads_a_line_from_the_runs_standard_input()
    {
        using var input = new StringReader("张三\n李四\n");
        var services = new SingleService(typeof(TextReader), input);
        var d = Definition(Sequence("s",
            Activity("Elsa.ReadLine", "r1", ("result", Output("Name-id"))),
            WriteLineJs("w", "`你好，${getName()}`")), variables: [Variable("Name", "String")]);
        var state = await Engine(services).StartAsync(d);
        Assert.That(Lines, Is.EqualTo(new[] { "你好，张三" }), string.Join("; ", state.Incidents.Select(i => i.Message)));
    }

    [Test]
    public async Task RunTask_resumed_without_RunTaskInput_faults_as_in_Elsa()
    {
        var engine = Engine();
        var d = Definition(Sequence("s", Activity("Elsa.RunTask", "t", ("taskName", Literal("核验", "String"))), WriteLine("after", "after")));
        var state = await engine.StartAsync(d);
        state = await engine.ResumeAsync(state.Id, state.Bookmarks.Single().Id, new Dictionary<string, object?> { ["Other"] = 1 });
        Assert.Multiple(() =>
        {
            Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Faulted));
            Assert.That(state.Incidents.Single().Message, Is.EqualTo("The given key 'RunTaskInput' was not present in the dictionary."));
            Assert.That(Lines, Is.Empty);
        });
    }

    [Test]
    public async Task RunTask_resumed_with_no_input_at_all_faults()
    {
        var engine = Engine();
        var d = Definition(Sequence("s", Activity("Elsa.RunTask", "t", ("taskName", Literal("核验", "String")))));
        var state = await engine.StartAsync(d);
        state = await engine.ResumeAsync(state.Id, state.Bookmarks.Single().Id);
        Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Faulted));
    }

    private static JsonObject VariableExpression(JsonNode value, string typeName = "Object") =>
        new() { ["typeName"] = typeName, ["expression"] = new JsonObject { ["type"] = "Variable", ["value"] = value } };

    [Test]
    public async Task A_Variable_expression_in_Elsas_reference_form_is_resolved_by_id()
    {
        // The name in the reference is stale (the variable was renamed); Elsa resolves by id.
        var reference = new JsonObject { ["id"] = "v-7", ["name"] = "OldName", ["typeName"] = "String" };
        var d = Definition(Sequence("s",
                Activity("Elsa.WriteLine", "w1", ("text", VariableExpression(reference, "String"))),
                Activity("Elsa.WriteLine", "w2", ("text", VariableExpression(JsonValue.Create(reference.ToJsonString())!, "String")))),
            variables: [new JsonObject { ["id"] = "v-7", ["name"] = "Applicant", ["typeName"] = "String", ["value"] = "王五" },
                        new JsonObject { ["id"] = "v-8", ["name"] = "OldName", ["typeName"] = "String", ["value"] = "wrong" }]);
        var state = await Engine().StartAsync(d);
        Assert.That(Lines, Is.EqualTo(new[] { "王五", "王五" }), string.Join("; ", state.Incidents.Select(i => i.Message)));
    }

    [Test]
    public async Task A_Variable_expression_with_a_bare_name_still_reads_the_variable()
    {
        var d = Definition(Sequence("s", Activity("Elsa.WriteLine", "w", ("text", VariableExpression(JsonValue.Create("Applicant")!, "String")))),
            variables: [new JsonObject { ["id"] = "v-7", ["name"] = "Applicant", ["typeName"] = "String", ["value"] = "王五" }]);
        await Engine().StartAsync(d);
        Assert.That(Lines, Is.EqualTo(new[] { "王五" }));
    }

    [Test]
    public async Task A_Variable_expression_naming_no_variable_in_scope_faults()
    {
        var d = Definition(Sequence("s", Activity("Elsa.WriteLine", "w", ("text", VariableExpression(new JsonObject { ["id"] = "gone", ["name"] = "Gone" }, "String")))));
        var state = await Engine().StartAsync(d);
        Assert.Multiple(() =>
        {
            Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Faulted));
            Assert.That(state.Incidents.Single().Message, Does.Contain("Gone"));
        });
    }

    private static (WorkflowEngine Engine, string ParentId) DispatchFlows(WorkflowEngine engine, bool wait)
    {
        var child = Definition(Sequence("cs", Activity("Elsa.Event", "ev", ("eventName", Literal("go", "String"))),
                Activity("Elsa.SetOutput", "so", ("outputName", Literal("Result", "String")), ("outputValue", Literal("准予许可", "String")))),
            definitionId: "child", outputs: [new JsonObject { ["name"] = "Result", ["type"] = "String" }]);
        var parent = Definition(Sequence("ps",
                Activity("Elsa.DispatchWorkflow", "call", ("workflowDefinitionId", Literal("child", "String")), ("waitForCompletion", Literal(wait, "Boolean")),
                    ("input", new JsonObject { ["typeName"] = "Object", ["expression"] = new JsonObject { ["type"] = "Object", ["value"] = "{\"Applicant\":\"王五\"}" } }),
                    ("result", Output("Res-id"))),
                WriteLineJs("say", "`dispatched ${getRes() == null ? 'no result' : getRes().Result}`")),
            definitionId: "parent", variables: [Variable("Res")]);
        engine.Definitions.Add(child);
        engine.Definitions.Add(parent);
        return (engine, "parent");
    }

    [Test]
    public async Task DispatchWorkflow_without_waiting_completes_at_once_with_no_result()
    {
        var (engine, parentId) = DispatchFlows(Engine(), wait: false);
        var parent = await engine.StartAsync(parentId);
        var child = engine.Instances.Single(i => i.DefinitionId == "child");
        Assert.Multiple(() =>
        {
            Assert.That(parent.SubStatus, Is.EqualTo(WorkflowSubStatus.Finished), string.Join("; ", parent.Incidents.Select(i => i.Message)));
            Assert.That(Lines, Is.EqualTo(new[] { "dispatched no result" }));
            Assert.That(child.SubStatus, Is.EqualTo(WorkflowSubStatus.Suspended), "the child runs on its own");
            Assert.That(child.Input["Applicant"]!.GetValue<string>(), Is.EqualTo("王五"));
            Assert.That(child.Input["ParentInstanceId"]!.GetValue<string>(), Is.EqualTo(parent.Id));
        });
    }

    [Test]
    public async Task DispatchWorkflow_waiting_for_completion_receives_the_childs_output()
    {
        var (engine, parentId) = DispatchFlows(Engine(), wait: true);
        var parent = await engine.StartAsync(parentId);
        Assert.That(parent.SubStatus, Is.EqualTo(WorkflowSubStatus.Suspended), string.Join("; ", parent.Incidents.Select(i => i.Message)));
        var child = engine.Instances.Single(i => i.DefinitionId == "child");
        await engine.ResumeAsync(child.Id, child.Bookmarks.Single().Id);
        Assert.Multiple(() =>
        {
            Assert.That(engine.Instance(parent.Id)!.SubStatus, Is.EqualTo(WorkflowSubStatus.Finished));
            Assert.That(Lines, Is.EqualTo(new[] { "dispatched 准予许可" }));
        });
    }

    [Test]
    public async Task ProcessLogActivity_emits_an_entry_with_the_workflows_context()
    {
        var sink = new CollectingSink();
        var d = Definition(Sequence("s",
            Activity("Elsa.ProcessLogActivity", "log", ("message", Js("`已受理 ${getCount()}`", "String")), ("level", Literal("Warning", "String")),
                ("attributes", new JsonObject { ["typeName"] = "Object", ["expression"] = new JsonObject { ["type"] = "Object", ["value"] = "{\"窗口\":\"3号\"}" } })),
            WriteLine("after", "after")), definitionId: "logged", variables: [Variable("Count", "Int32", 2)]);
        var state = await Engine(new SingleService(typeof(GovFlow.Workflows.Activities.IProcessLogSink), sink)).StartAsync(d, new StartWorkflowRequest { CorrelationId = "C-1" });
        var entry = sink.Entries.Single();
        Assert.Multiple(() =>
        {
            Assert.That(Lines, Is.EqualTo(new[] { "after" }), string.Join("; ", state.Incidents.Select(i => i.Message)));
            Assert.That(entry.Message, Is.EqualTo("已受理 2"));
            Assert.That(entry.Level, Is.EqualTo("Warning"));
            Assert.That(entry.TargetSinks, Is.EqualTo(new[] { "process" }));
            Assert.That(entry.Category, Is.EqualTo("Process"));
            Assert.That(entry.Attributes["窗口"], Is.EqualTo("3号"));
            Assert.That((entry.WorkflowInstanceId, entry.ActivityId, entry.CorrelationId), Is.EqualTo((state.Id, "log", "C-1")));
        });
    }

    [Test]
    public async Task ProcessLogActivity_with_a_failing_sink_still_completes()
    {
        var d = Definition(Sequence("s", Activity("Elsa.ProcessLogActivity", "log", ("message", Literal("x", "String"))), WriteLine("after", "after")));
        var state = await Engine(new SingleService(typeof(GovFlow.Workflows.Activities.IProcessLogSink), new FailingSink())).StartAsync(d);
        Assert.Multiple(() =>
        {
            Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Finished));
            Assert.That(Lines, Is.EqualTo(new[] { "after" }));
        });
    }

    private static JsonObject Bulk(string items, bool? wait, JsonObject? childFinished = null, JsonObject? childFaulted = null)
    {
        var a = Activity("Elsa.BulkDispatchWorkflows", "bulk", ("workflowDefinitionId", Literal("item-child", "String")),
            ("items", new JsonObject { ["typeName"] = "Object", ["expression"] = new JsonObject { ["type"] = "Object", ["value"] = items } }),
            ("input", new JsonObject { ["typeName"] = "Object", ["expression"] = new JsonObject { ["type"] = "Object", ["value"] = "{\"Batch\":\"B1\"}" } }));
        if (wait is { } w) a["waitForCompletion"] = Literal(w, "Boolean");
        if (childFinished != null) a["childFinished"] = childFinished;
        if (childFaulted != null) a["childFaulted"] = childFaulted;
        return a;
    }

    private WorkflowEngine BulkEngine(JsonObject parentRoot, bool childWaits)
    {
        var engine = Engine();
        JsonObject[] steps = childWaits
            ? [Activity("Elsa.Event", "ev", ("eventName", Literal("go", "String"))), WriteLineJs("c", "`child ${getItem()} ${getBatch()}`")]
            : [WriteLineJs("c", "`child ${getItem()} ${getBatch()}`"),
               Activity("Elsa.If", "bad", ("condition", Js("getItem() == 'x'", "Boolean")), ("then", Activity("Elsa.Fault", "boom", ("message", Literal("坏", "String")))))];
        var child = Definition(Sequence("cs", steps), definitionId: "item-child",
            inputs: [new JsonObject { ["name"] = "Item", ["type"] = "Object" }, new JsonObject { ["name"] = "Batch", ["type"] = "String" }]);
        engine.Definitions.Add(child);
        engine.Definitions.Add(Definition(parentRoot, definitionId: "bulk-parent"));
        return engine;
    }

    [Test]
    public async Task BulkDispatchWorkflows_runs_a_child_per_item_and_the_ports_as_each_ends()
    {
        var root = Flowchart("f",
            [Activity("Elsa.Start", "start"),
             Bulk("[\"a\",\"x\"]", wait: null, childFinished: WriteLineJs("ok", "`finished ${getChildInstanceId() != null}`"), childFaulted: WriteLine("ko", "faulted")),
             WriteLine("after", "after")],
            Connection("start", "bulk"), Connection("bulk", "after", "Finished"));
        var engine = BulkEngine(root, childWaits: false);
        var state = await engine.StartAsync("bulk-parent");
        Assert.Multiple(() =>
        {
            Assert.That(Lines, Is.EqualTo(new[] { "child a B1", "child x B1", "finished true", "faulted", "after" }), string.Join("; ", state.Incidents.Select(i => i.Message)));
            Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Finished));
            Assert.That(engine.Instances.Count(i => i.DefinitionId == "item-child"), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task BulkDispatchWorkflows_waits_for_children_that_wait()
    {
        var root = Flowchart("f", [Activity("Elsa.Start", "start"), Bulk("[1,2]", wait: true), WriteLine("after", "after")],
            Connection("start", "bulk"), Connection("bulk", "after", "Finished"));
        var engine = BulkEngine(root, childWaits: true);
        var parent = await engine.StartAsync("bulk-parent");
        Assert.That(parent.SubStatus, Is.EqualTo(WorkflowSubStatus.Suspended), string.Join("; ", parent.Incidents.Select(i => i.Message)));
        var children = engine.Instances.Where(i => i.DefinitionId == "item-child").ToList();
        await engine.ResumeAsync(children[0].Id, children[0].Bookmarks.Single().Id);
        Assert.That(engine.Instance(parent.Id)!.SubStatus, Is.EqualTo(WorkflowSubStatus.Suspended), "one child is still waiting");
        await engine.ResumeAsync(children[1].Id, children[1].Bookmarks.Single().Id);
        Assert.Multiple(() =>
        {
            Assert.That(engine.Instance(parent.Id)!.SubStatus, Is.EqualTo(WorkflowSubStatus.Finished));
            Assert.That(Lines, Is.EqualTo(new[] { "child 1 B1", "child 2 B1", "after" }));
        });
    }

    [Test]
    public async Task BulkDispatchWorkflows_without_waiting_completes_with_Done_at_once()
    {
        var root = Flowchart("f", [Activity("Elsa.Start", "start"), Bulk("[1]", wait: false), WriteLine("done", "done"), WriteLine("finished", "finished")],
            Connection("start", "bulk"), Connection("bulk", "done", "Done"), Connection("bulk", "finished", "Finished"));
        var engine = BulkEngine(root, childWaits: true);
        var state = await engine.StartAsync("bulk-parent");
        Assert.Multiple(() =>
        {
            Assert.That(Lines, Is.EqualTo(new[] { "done" }), string.Join("; ", state.Incidents.Select(i => i.Message)));
            Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Finished));
        });
    }

    private static JsonObject Publish(string id, string eventName, bool local, string? payload = null)
    {
        var a = Activity("Elsa.PublishEvent", id, ("eventName", Literal(eventName, "String")), ("isLocalEvent", Literal(local, "Boolean")));
        if (payload != null) a["payload"] = Literal(payload, "Object");
        return a;
    }

    [Test]
    public async Task A_local_event_reaches_this_instances_waiting_Event_activities_after_the_burst()
    {
        // The publisher runs before the Event starts waiting in the same burst; Elsa delivers after the burst, so it still arrives.
        var fork = Activity("Elsa.Fork", "fork", ("branches", new JsonArray(
            Sequence("pub", Publish("p", "审核完成", local: true, payload: "通过")),
            Sequence("sub", Activity("Elsa.Event", "wait", ("eventName", Literal("审核完成", "String")), ("result", Output("Got-id"))), WriteLineJs("w", "`收到 ${getGot()}`")),
            Sequence("other", Activity("Elsa.Event", "other", ("eventName", Literal("别的事件", "String")))))));
        var d = Definition(Sequence("s", fork), variables: [Variable("Got")]);
        var state = await Engine().StartAsync(d);
        Assert.Multiple(() =>
        {
            Assert.That(Lines, Is.EqualTo(new[] { "收到 通过" }), string.Join("; ", state.Incidents.Select(i => i.Message)));
            Assert.That(state.Bookmarks.Select(b => b.ActivityId), Is.EqualTo(new[] { "other" }), "only the named event is delivered");
            Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Suspended));
        });
    }

    [Test]
    public async Task A_non_local_event_faults_with_the_reason()
    {
        var d = Definition(Sequence("s", Publish("p", "审核完成", local: false), WriteLine("after", "after")));
        var state = await Engine().StartAsync(d);
        Assert.Multiple(() =>
        {
            Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Faulted));
            Assert.That(state.Incidents.Single().Message, Does.Contain("跨实例"));
            Assert.That(Lines, Is.Empty);
        });
    }

    private sealed class CollectingSink : GovFlow.Workflows.Activities.IProcessLogSink
    {
        public List<GovFlow.Workflows.Activities.ProcessLogEntry> Entries { get; } = [];

        public void Write(GovFlow.Workflows.Activities.ProcessLogEntry entry) => Entries.Add(entry);
    }

    private sealed class FailingSink : GovFlow.Workflows.Activities.IProcessLogSink
    {
        public void Write(GovFlow.Workflows.Activities.ProcessLogEntry entry) => throw new IOException("disk full");
    }

    private sealed class SingleService(Type type, object instance) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == type ? instance : null;
    }
}
