using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;

namespace GovFlow.Host.Tests;

/// <summary>
/// The live OpenAPI document describes every response, and the copy the web UI generates its client from
/// (src/Host/ClientApp/openapi.json) is that document. GOVFLOW_UPDATE_OPENAPI=1 rewrites the copy.
/// </summary>
[TestFixture]
public class OpenApiTests
{
    // Operations whose success has no body to describe, each with why.
    private static readonly Dictionary<string, string> Bodiless = new()
    {
        ["POST /api/auth/logout"] = "204 No Content: signing out has nothing to say",
        ["POST /sim/ratings/ratings"] = "202 Accepted without a body: the simulated national rating system only acknowledges a report, as the real one does",
        ["POST /sim/notify/messages"] = "202 Accepted without a body: the simulated message platform only acknowledges a message, as the real one does"
    };

    private WebApplicationFactory<Program> _factory = null!;
    private JsonObject _live = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _factory = TestHost.Create();
        using var http = _factory.CreateClient();
        _live = Normalize(JsonNode.Parse(await http.GetStringAsync("/openapi/v1.json"))!.AsObject());
    }

    [OneTimeTearDown]
    public void Stop() => _factory.Dispose();

    [Test]
    public void Every_operation_describes_its_success_with_a_schema()
    {
        var operations = _live["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(op => (Name: $"{op.Key.ToUpperInvariant()} {path.Key}", Operation: op.Value!)))
            .ToList();
        Assert.That(operations, Has.Count.GreaterThan(40), "the document lists the API");
        var undescribed = operations
            .Where(o => !Bodiless.ContainsKey(o.Name))
            .Where(o => !(o.Operation["responses"]?.AsObject() ?? []).Any(r => r.Key.StartsWith('2')
                && (r.Value!["content"]?.AsObject() ?? []).Any(c => c.Value!["schema"] is not null)))
            .Select(o => o.Name)
            .ToList();
        Assert.That(undescribed, Is.Empty, "operations without a 2xx response with a content schema");
        Assert.That(Bodiless.Keys, Is.SubsetOf(operations.Select(o => o.Name)), "an exception that is no operation any more");
    }

    [Test]
    public async Task The_committed_openapi_json_is_the_live_document()
    {
        var file = Path.Combine(RepositoryRoot(), "src", "Host", "ClientApp", "openapi.json");
        if (Environment.GetEnvironmentVariable("GOVFLOW_UPDATE_OPENAPI") == "1")
        {
            var json = _live.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            await File.WriteAllTextAsync(file, json + "\n");
            Assert.Pass($"rewrote {file}");
        }
        Assert.That(File.Exists(file), Is.True, $"{file} is missing: run the tests with GOVFLOW_UPDATE_OPENAPI=1");
        var committed = Normalize(JsonNode.Parse(await File.ReadAllTextAsync(file))!.AsObject());
        Assert.That(JsonNode.DeepEquals(committed, _live), Is.True,
            $"{file} is not the live /openapi/v1.json: run the tests with GOVFLOW_UPDATE_OPENAPI=1 and commit the file");
    }

    // The server address is the one the document was fetched from, which differs between hosts; the rest is the API.
    private static JsonObject Normalize(JsonObject document)
    {
        document.Remove("servers");
        return document;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GovFlow.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("GovFlow.sln not found above " + AppContext.BaseDirectory);
    }
}
