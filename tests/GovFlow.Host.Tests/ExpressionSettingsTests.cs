using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovFlow.Host.Security;
using GovFlow.Workflows.Expressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>The host reads script limits and the C# switch from GovFlow:Expressions, and refuses C# at import unless switched on.</summary>
[TestFixture]
public class ExpressionSettingsTests
{
    private static async Task<HttpClient> PolicyClient(WebApplicationFactory<Program> host)
    {
        var client = host.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        var response = await client.PostAsJsonAsync("/api/auth/login", new { userName = "policy01", password = DemoUsers.Password });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return client;
    }

    // The elderly-allowance matter with one more activity: a C# script.
    private static async Task<HttpResponseMessage> ImportWithCSharp(HttpClient policy, string script)
    {
        var definition = JsonNode.Parse(await policy.GetStringAsync("/api/definitions/44030520007/export"))!;
        definition["root"]!["activities"]!.AsArray().Add(new JsonObject
        {
            ["type"] = "Elsa.RunCSharp", ["version"] = 1, ["id"] = "csharpStep",
            ["script"] = new JsonObject { ["typeName"] = "String", ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = script } }
        });
        // Connected from the start, as an activity nothing leads to is refused for never running.
        definition["root"]!["connections"]!.AsArray().Add(new JsonObject
        {
            ["source"] = new JsonObject { ["activity"] = "start", ["port"] = "Done" }, ["target"] = new JsonObject { ["activity"] = "csharpStep", ["port"] = "In" }
        });
        return await policy.PostAsync("/api/definitions/import", new StringContent(definition.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
    }

    [Test]
    public async Task CSharp_is_refused_at_import_by_default()
    {
        using var host = TestHost.Create();
        Assert.That(host.Services.GetRequiredService<ExpressionEvaluators>().Options.CSharp.Enabled, Is.False);
        var refused = await ImportWithCSharp(await PolicyClient(host), "return 1;");
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var body = await refused.Content.ReadAsStringAsync();
        Assert.That(body, Does.Contain("csharpStep").And.Contain("未开启 C# 脚本"));
    }

    [Test]
    public async Task With_CSharp_on_a_script_that_reaches_the_file_system_is_still_refused()
    {
        using var host = TestHost.Create(settings: new Dictionary<string, string>
        {
            ["GovFlow:Expressions:CSharp:Enabled"] = "true",
            ["GovFlow:Expressions:JavaScript:MaxStatements"] = "5000",
            ["GovFlow:Expressions:JavaScript:TimeLimit"] = "00:00:00.5"
        });
        var options = host.Services.GetRequiredService<ExpressionEvaluators>().Options;
        Assert.That(options.CSharp.Enabled, Is.True);
        Assert.That(options.JavaScript, Is.EqualTo(new ScriptLimits { MaxStatements = 5000, TimeLimit = TimeSpan.FromMilliseconds(500) }));
        var refused = await ImportWithCSharp(await PolicyClient(host), "System.IO.File.WriteAllText(\"/tmp/owned\", \"x\"); return 1;");
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var body = await refused.Content.ReadAsStringAsync();
        Assert.That(body, Does.Contain("csharpStep").And.Contain("System.IO.File").And.Not.Contain("未开启 C# 脚本"));
    }

    [Test]
    public async Task A_version_imported_while_CSharp_was_on_is_not_published_after_it_was_turned_off()
    {
        var dataDir = Directory.CreateTempSubdirectory("govflow-csharp").FullName;
        using (var on = TestHost.Create(dataDir, settings: new Dictionary<string, string> { ["GovFlow:Expressions:CSharp:Enabled"] = "true" }))
        {
            var imported = await ImportWithCSharp(await PolicyClient(on), "return 1 + 1;");
            Assert.That(imported.StatusCode, Is.EqualTo(HttpStatusCode.Created), await imported.Content.ReadAsStringAsync());
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            using var off = TestHost.Create(dataDir);
            var policy = await PolicyClient(off);
            var refused = await policy.PostAsync("/api/definitions/44030520007/publish?version=2", null);
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("第 2 版无法发布").And.Contain("未开启 C# 脚本"));
            var versions = await policy.GetFromJsonAsync<JsonArray>("/api/definitions/44030520007/versions");
            Assert.That(versions!.Single(v => v!["version"]!.GetValue<int>() == 1)!["isPublished"]!.GetValue<bool>(), Is.True, "the published version stays");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDir, true);
        }
    }
}
