using System.Text;
using System.Text.Json.Nodes;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Serialization;

namespace GovFlow.Workflows.Tests;

[TestFixture]
public class RoundTripTests
{
    public static IEnumerable<TestCaseData> Files() =>
        Directory.GetFiles(Path.Combine(Paths.Conformance, "files"), "*.json").Order()
            .Select(f => new TestCaseData(f).SetName($"RoundTrip({Path.GetFileName(f).Split("__")[^1]} in {Path.GetFileName(f).Split("__")[^2]})"));

    [Test]
    public void Every_conformance_file_is_covered() => Assert.That(Files().Count(), Is.EqualTo(76));

    [TestCaseSource(nameof(Files))]
    public void Import_export_import_yields_an_equal_model(string file)
    {
        var first = WorkflowJson.ReadFile(file);
        var exported = WorkflowJson.ToJson(first);
        var second = WorkflowJson.Read(exported.ToJsonString());
        Assert.That(JsonNode.DeepEquals(WorkflowJson.ToJson(second), exported), Is.True, "export of the re-imported model differs");
        Assert.That(exported.First().Key, Is.EqualTo("$schema"), "$schema is written first");
    }

    [TestCaseSource(nameof(Files))]
    public void Export_keeps_everything_the_file_said(string file)
    {
        var original = JsonNode.Parse(File.ReadAllText(file).TrimStart('\uFEFF'))!;
        var exported = WorkflowJson.ToJson(WorkflowJson.ReadFile(file));
        var missing = new List<string>();
        Contains(Normalize(original), exported, "$", missing);
        Assert.That(missing, Is.Empty);
    }

    [Test]
    public void Unknown_activity_types_are_written_back_unchanged()
    {
        var unknown = new JsonObject
        {
            ["type"] = "Acme.Stamp", ["version"] = 3, ["id"] = "s1", ["name"] = "盖章",
            ["customProperties"] = new JsonObject { ["x"] = 1 },
            ["strange"] = new JsonObject { ["deep"] = new JsonArray(1, "二", true, null) },
            ["inputA"] = new JsonObject { ["typeName"] = "String", ["expression"] = new JsonObject { ["type"] = "Liquid", ["value"] = "{{ x }}" } }
        };
        var json = Definition(unknown);
        var model = WorkflowJson.Read(json.ToJsonString());
        var back = WorkflowJson.ToJson(model)["root"]!["activities"]![0]!;
        Assert.That(JsonNode.DeepEquals(back, unknown), Is.True, back.ToJsonString());
    }

    [Test]
    public void Reads_values_wrappers_pascal_case_keys_and_a_bom()
    {
        const string json = """
            {"$id":"1","Id":"v1","DefinitionId":"d1","Name":"Legacy","Version":2,"IsPublished":true,
             "Variables":{"$id":"2","$values":[{"Id":"x","Name":"X","TypeName":"Int32","Value":"4"}]},
             "Root":{"Type":"Elsa.Flowchart","Id":"f","Activities":{"$values":[
                {"Type":"Elsa.WriteLine","Id":"a","Text":{"TypeName":"String","Expression":{"Type":"Literal","Value":"hi"}}},
                {"Type":"Elsa.WriteLine","Id":"b"}]},
              "Connections":{"$values":[{"Source":"a","Target":"b","SourcePort":"Done","TargetPort":"In"}]}}}
            """;
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(json)).ToArray();
        var d = WorkflowJson.Read(bytes, "legacy.json");
        Assert.Multiple(() =>
        {
            Assert.That(d.DefinitionId, Is.EqualTo("d1"));
            Assert.That(d.Version, Is.EqualTo(2));
            Assert.That(d.IsPublished, Is.True);
            Assert.That(d.Variables.Single().TypeName, Is.EqualTo("Int32"));
            Assert.That(d.Root!.Children("activities").Select(a => a.Id), Is.EqualTo(new[] { "a", "b" }));
            var c = d.Root.Connections.Single();
            Assert.That((c.Source, c.SourcePort, c.Target, c.TargetPort), Is.EqualTo(("a", "Done", "b", "In")));
        });
    }

    [Test]
    public void Legacy_flat_connections_export_in_the_nested_form()
    {
        var d = WorkflowJson.ReadFile(Paths.ConformanceFile("test__integration__Elsa.Workflows.IntegrationTests__Scenarios__FlowchartCompletion__Workflows__workflow1.json"));
        var connection = WorkflowJson.ToJson(d)["root"]!["connections"]![0]!;
        Assert.That(connection["source"]!["activity"]!.GetValue<string>(), Is.EqualTo("WriteLine1"));
        Assert.That(connection["source"]!["port"]!.GetValue<string>(), Is.EqualTo("Done"));
    }

    [TestCase("{\"root\": 5}", "$.root", "expected an object (an activity)")]
    [TestCase("{\"root\": {\"id\": \"a\"}}", "$.root.type", "expected a string (the activity type name)")]
    [TestCase("{\"root\": {\"type\": \"Elsa.Flowchart\", \"id\": \"f\", \"activities\": [{\"type\": \"Elsa.WriteLine\", \"id\": \"a\"}, {\"id\": \"b\"}]}}", "$.root.activities[1]", "expected an activity object")]
    [TestCase("{\"version\": \"two\"}", "$.version", "expected a whole number, found the string \"two\"")]
    [TestCase("{\"variables\": {\"a\": 1}}", "$.variables", "expected an array, found an object")]
    [TestCase("{\"variables\": [{\"typeName\": \"String\"}]}", "$.variables[0]", "a variable needs an id or a name")]
    [TestCase("{\"isPublished\": \"maybe\"}", "$.isPublished", "expected true or false")]
    [TestCase("{\"root\": {\"type\": \"Elsa.Flowchart\", \"id\": \"f\", \"connections\": [{\"source\": {\"port\": \"Done\"}, \"target\": \"b\"}]}}", "$.root.connections[0].source.activity", "expected a string (the source activity id)")]
    [TestCase("[1, 2]", "$", "expected a JSON object (a workflow definition)")]
    public void Malformed_files_name_the_json_path_and_what_was_expected(string json, string path, string problem)
    {
        var ex = Assert.Throws<WorkflowFormatException>(() => WorkflowJson.Read(json, "broken.json"));
        Assert.That(ex!.JsonPath, Is.EqualTo(path));
        Assert.That(ex.Problem, Does.StartWith(problem));
        Assert.That(ex.Message, Does.StartWith("broken.json: " + path));
    }

    [Test]
    public void Invalid_json_reports_line_and_position()
    {
        var ex = Assert.Throws<WorkflowFormatException>(() => WorkflowJson.Read("{\n  \"name\": \"x\",\n  \"root\": {\n}", "cut.json"));
        Assert.That(ex!.Problem, Does.Contain("not valid JSON (line"));
    }

    [Test]
    public void A_file_without_ids_gets_new_ids_on_every_import()
    {
        var store = new Runtime.InMemoryWorkflowDefinitionStore();
        var a = store.Add(WorkflowJson.ReadFile(Paths.ConformanceFile("test__integration__Elsa.Workflows.IntegrationTests__Scenarios__ImportAndPublish__Workflows__http-workflow.json")), publish: true);
        var b = store.Add(WorkflowJson.ReadFile(Paths.ConformanceFile("test__integration__Elsa.Workflows.IntegrationTests__Scenarios__ImportAndPublish__Workflows__http-workflow.json")), publish: true);
        Assert.That(a.DefinitionId, Is.Not.EqualTo(b.DefinitionId));
    }

    private static JsonObject Definition(JsonObject activity) => new()
    {
        ["id"] = "v", ["definitionId"] = "d", ["name"] = "n",
        ["root"] = new JsonObject { ["type"] = "Elsa.Flowchart", ["version"] = 1, ["id"] = "f", ["activities"] = new JsonArray(activity), ["connections"] = new JsonArray() }
    };

    /// <summary>Rewrites legacy flat connections to the nested form, as export does.</summary>
    private static JsonNode Normalize(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                if (o["source"] is JsonValue && o["target"] is JsonValue)
                {
                    var n = new JsonObject
                    {
                        ["source"] = new JsonObject { ["activity"] = o["source"]!.DeepClone(), ["port"] = o["sourcePort"]?.DeepClone() ?? "Done" },
                        ["target"] = new JsonObject { ["activity"] = o["target"]!.DeepClone(), ["port"] = o["targetPort"]?.DeepClone() ?? "In" }
                    };
                    foreach (var (k, v) in o)
                        if (k is not ("source" or "target" or "sourcePort" or "targetPort")) n[k] = v?.DeepClone();
                    return n;
                }
                var copy = new JsonObject();
                foreach (var (k, v) in o) copy[k] = v is null ? null : Normalize(v);
                return copy;
            case JsonArray a:
                return new JsonArray(a.Select(x => x is null ? null : Normalize(x)).ToArray());
            default:
                return node.DeepClone();
        }
    }

    private static void Contains(JsonNode? expected, JsonNode? actual, string path, List<string> missing)
    {
        switch (expected)
        {
            case JsonObject o when actual is JsonObject a:
                foreach (var (k, v) in o)
                {
                    if (!a.ContainsKey(k)) missing.Add($"{path}.{k} missing");
                    else Contains(v, a[k], $"{path}.{k}", missing);
                }
                break;
            case JsonArray e when actual is JsonArray a:
                if (e.Count != a.Count) missing.Add($"{path}: {e.Count} items, exported {a.Count}");
                else for (var i = 0; i < e.Count; i++) Contains(e[i], a[i], $"{path}[{i}]", missing);
                break;
            default:
                if (!JsonNode.DeepEquals(expected, actual)) missing.Add($"{path}: {expected?.ToJsonString()} became {actual?.ToJsonString()}");
                break;
        }
    }
}
