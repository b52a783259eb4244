using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using GovFlow.Workflows.Runtime;
using GovFlow.Workflows.Serialization;

namespace GovFlow.Host.Cli;

/// <summary>
/// The host's server-less commands: <c>run-workflow</c>, <c>roundtrip</c>, <c>validate-matters</c>,
/// <c>verify-journal</c>, <c>create-journal-key</c>, <c>backup</c> and <c>restore</c>.
/// </summary>
public static class Commands
{
    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Runs a command if <paramref name="args"/> names one; returns false otherwise.</summary>
    public static bool TryRun(string[] args, TextWriter stdout, TextWriter stderr, out int exitCode)
    {
        exitCode = 0;
        switch (args[0])
        {
            case "run-workflow":
                exitCode = RunWorkflow(args[1..], stdout, stderr).GetAwaiter().GetResult();
                return true;
            case "roundtrip":
                exitCode = Roundtrip(args[1..], stdout, stderr);
                return true;
            case "validate-matters":
                exitCode = ValidateMatters(args[1..], stdout, stderr);
                return true;
            case "verify-journal":
                exitCode = VerifyJournal(args[1..], stdout, stderr);
                return true;
            case "create-journal-key":
                exitCode = CreateJournalKey(args[1..], stdout, stderr);
                return true;
            case "backup":
                exitCode = Backup(args[1..], stdout, stderr);
                return true;
            case "restore":
                exitCode = Restore(args[1..], stdout, stderr);
                return true;
            case "create-personal-data-key":
                exitCode = CreatePersonalDataKey(args[1..], stdout, stderr);
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// <c>create-journal-key FILE</c>: a new SM2 key for signing journal checkpoints, written to FILE (never over an
    /// existing one) for <c>GovFlow:Crypto:Sm2PrivateKeyFile</c>; prints the public key auditors verify with.
    /// </summary>
    public static int CreateJournalKey(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length != 1) return Usage(stderr, "usage: create-journal-key FILE");
        var signer = GovFlow.Workflows.Runtime.JournalSigner.Generate();
        try { Security.JournalKeys.WriteKeyFile(args[0], signer); }
        catch (IOException ex)
        {
            stderr.WriteLine($"{args[0]}: {ex.Message}（不会覆盖已有的密钥文件）");
            return 2;
        }
        stdout.WriteLine($"已生成日志签名密钥 {args[0]}（SM2，仅本用户可读）。设置 GovFlow:Crypto:Sm2PrivateKeyFile 指向它；每个节点用同一个。公钥：");
        stdout.Write(signer.PublicKey.ToPem());
        return 0;
    }

    /// <summary>
    /// <c>create-personal-data-key FILE</c>: a new key file for applicants' personal data (SM4 key <c>v1</c> and the
    /// blind-index key), never over an existing one, for <c>GovFlow:Crypto:Sm4KeyFile</c>.
    /// </summary>
    public static int CreatePersonalDataKey(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length != 1) return Usage(stderr, "usage: create-personal-data-key FILE");
        try { Security.PersonalDataProtector.WriteKeyFile(args[0]); }
        catch (IOException ex)
        {
            stderr.WriteLine($"{args[0]}: {ex.Message}（不会覆盖已有的密钥文件）");
            return 2;
        }
        stdout.WriteLine($"已生成个人信息加密密钥 {args[0]}（SM4 v1 与盲索引密钥，仅本用户可读）。设置 GovFlow:Crypto:Sm4KeyFile 指向它；每个节点用同一个，并另行备份：丢失即无法解密。");
        return 0;
    }

    /// <summary><c>run-workflow FILE [--with COMPANION.json ...] [--input NAME=VALUE ...] [--auto-resume] [--flowchart-mode counter|token]</c></summary>
    public static async Task<int> RunWorkflow(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string? file = null;
        var companions = new List<string>();
        var input = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        var autoResume = false;
        var mode = FlowchartMode.CounterBased;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--with" when i + 1 < args.Length: companions.Add(args[++i]); break;
                case "--input" when i + 1 < args.Length:
                    var pair = args[++i];
                    var eq = pair.IndexOf('=');
                    if (eq <= 0) return Usage(stderr, $"--input expects NAME=VALUE, got '{pair}'.");
                    input[pair[..eq]] = ParseValue(pair[(eq + 1)..]);
                    break;
                case "--auto-resume": autoResume = true; break;
                case "--flowchart-mode" when i + 1 < args.Length:
                    var m = args[++i].ToLowerInvariant();
                    if (m is "counter" or "counterbased") mode = FlowchartMode.CounterBased;
                    else if (m is "token" or "tokenbased") mode = FlowchartMode.TokenBased;
                    else return Usage(stderr, $"--flowchart-mode expects counter or token, got '{args[i]}'.");
                    break;
                default:
                    if (args[i].StartsWith("--", StringComparison.Ordinal) || file != null) return Usage(stderr, $"Unexpected argument '{args[i]}'.");
                    file = args[i];
                    break;
            }
        }
        if (file is null) return Usage(stderr, "No workflow file given.");

        WorkflowFileRun run;
        try
        {
            run = await WorkflowFileRunner.RunAsync(file, companions, input, autoResume, mode);
        }
        catch (Exception ex) when (ex is WorkflowFormatException or WorkflowCompileException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine(ex.Message);
            return 2;
        }
        var state = run.State;

        var result = new JsonObject
        {
            ["status"] = state.Status.ToString(),
            ["subStatus"] = state.SubStatus.ToString(),
            ["writeLines"] = new JsonArray(run.Lines.Select(l => (JsonNode?)l).ToArray()),
            ["variables"] = new JsonObject(state.Variables.Select(v => KeyValuePair.Create(v.Name, v.Value?.DeepClone()))),
            ["output"] = state.Output.DeepClone(),
            ["bookmarks"] = JsonSerializer.SerializeToNode(state.Bookmarks.Select(b => new { b.Id, b.Name, b.ActivityId, b.ActivityType, b.Payload, b.DueAt }), JsonSerializerOptions.Web),
            ["incidents"] = JsonSerializer.SerializeToNode(state.Incidents, JsonSerializerOptions.Web),
            ["instanceId"] = state.Id,
            ["correlationId"] = state.CorrelationId,
            ["warnings"] = new JsonArray(run.Workflow.Problems.Select(p => (JsonNode?)$"{p.Path}: {p.Message}").ToArray()),
            ["journal"] = Journal.Verify(run.Journal, new JournalHead(state.JournalSequence, state.JournalHash)) is var v ? new JsonObject { ["entries"] = v.Entries, ["valid"] = v.Valid } : null
        };
        stdout.WriteLine(result.ToJsonString(Pretty));
        return 0;
    }

    /// <summary><c>validate-matters [DIR]</c>: one line per problem; exit 1 when there is any.</summary>
    public static int ValidateMatters(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length > 1) return Usage(stderr, "validate-matters expects at most one folder.");
        var directory = args.Length == 1 ? args[0] : "workflows-json";
        var catalog = GovFlow.Activities.Matters.MatterCatalog.Load(directory, GovFlow.Activities.GovFlowActivities.CreateRegistry());
        foreach (var problem in catalog.Problems) stdout.WriteLine(problem);
        stdout.WriteLine(catalog.Problems.Count == 0
            ? $"{catalog.Entries.Count} matters valid in {directory}"
            : $"{catalog.Problems.Count} problem(s); {catalog.Entries.Count} of the matters in {directory} are valid");
        return catalog.Problems.Count == 0 ? 0 : 1;
    }

    /// <summary>
    /// <c>verify-journal FILE --public-key KEY.pem</c>: verifies an exported case journal offline, with the public key
    /// alone (no database, no server): the hash chain to its head and every SM2 checkpoint. Prints the result as JSON;
    /// exits 0 when it verifies, 1 when it does not, 2 when the files cannot be read.
    /// </summary>
    public static int VerifyJournal(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string? file = null, keyFile = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--public-key" && i + 1 < args.Length) keyFile = args[++i];
            else if (args[i].StartsWith("--", StringComparison.Ordinal) || file != null) return Usage(stderr, $"Unexpected argument '{args[i]}'.");
            else file = args[i];
        }
        if (file is null || keyFile is null) return Usage(stderr, "verify-journal needs the exported journal and --public-key (GET /api/journal/public-key).");
        Api.Contracts.JournalExport export;
        JournalPublicKey key;
        try
        {
            export = JsonSerializer.Deserialize<Api.Contracts.JournalExport>(File.ReadAllText(file), JsonSerializerOptions.Web)
                ?? throw new JsonException("The file is empty.");
            if (export.Format != Api.Contracts.JournalExport.CurrentFormat) throw new JsonException($"Format '{export.Format}' is not {Api.Contracts.JournalExport.CurrentFormat}.");
            key = JournalPublicKey.Parse(File.ReadAllText(keyFile));
        }
        catch (Exception ex) when (ex is JsonException or FormatException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine(ex.Message);
            return 2;
        }
        var audit = JournalAudit.Verify(export.Records, export.Head, export.Checkpoints, key);
        stdout.WriteLine(new JsonObject
        {
            ["caseNumber"] = export.CaseNumber,
            ["valid"] = audit.Valid,
            ["entries"] = audit.Chain.Entries,
            ["head"] = export.Head.Sequence,
            ["firstBrokenSequence"] = audit.Chain.FirstBrokenSequence,
            ["signedUpTo"] = audit.SignedUpTo,
            ["checkpoints"] = audit.Checkpoints.Count,
            ["keyId"] = key.KeyId,
            ["algorithms"] = new JsonArray([.. export.Records.Select(r => r.Algorithm).Distinct().Select(a => (JsonNode?)a)]),
            ["problem"] = audit.Problem
        }.ToJsonString(Pretty));
        return audit.Valid ? 0 : 1;
    }

    /// <summary>
    /// <c>backup FILE [--GovFlow:DataDir DIR | --connection CS]</c>: an online copy of the SQLite database (the host may
    /// keep running and writing), checked, never over an existing file. Prints the file, its cases and its size as
    /// JSON; exits 0, or 2 when it could not be made.
    /// </summary>
    public static int Backup(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal)) return Usage(stderr, "usage: backup FILE [--GovFlow:DataDir DIR]");
        if (SqliteConnection(args[1..], stderr) is not { } connection) return 2;
        try
        {
            var result = Operations.SqliteBackup.Backup(connection, args[0]);
            stdout.WriteLine(new JsonObject { ["file"] = result.File, ["cases"] = result.Cases, ["bytes"] = result.Bytes, ["integrity"] = "ok" }.ToJsonString(Pretty));
            return 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or Microsoft.Data.Sqlite.SqliteException)
        {
            stderr.WriteLine($"备份失败：{ex.Message}");
            return 2;
        }
    }

    /// <summary>
    /// <c>restore FILE [--GovFlow:DataDir DIR | --connection CS]</c>, with the host stopped: checks the backup's
    /// integrity, moves the current database (and its write-ahead log) aside and puts the backup in its place. Exits
    /// 0, or 2 when the backup does not check or cannot be put in place (the current database is then untouched).
    /// </summary>
    public static int Restore(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal)) return Usage(stderr, "usage: restore FILE [--GovFlow:DataDir DIR]");
        if (SqliteConnection(args[1..], stderr) is not { } connection) return 2;
        try
        {
            var result = Operations.SqliteBackup.Restore(args[0], connection, DateTimeOffset.UtcNow);
            stdout.WriteLine(new JsonObject { ["database"] = result.Database, ["cases"] = result.Cases, ["movedAside"] = result.MovedAside }.ToJsonString(Pretty));
            return 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or Microsoft.Data.Sqlite.SqliteException)
        {
            stderr.WriteLine($"恢复失败：{ex.Message}");
            return 2;
        }
    }

    // The database the host would open with the same settings: appsettings.json, the environment, then the arguments.
    private static string? SqliteConnection(string[] settings, TextWriter stderr)
    {
        var environment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? "Production";
        var configuration = new ConfigurationBuilder()
            .SetBasePath(Directory.GetCurrentDirectory())
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(settings)
            .Build();
        var (provider, connection) = Persistence.Database.Connection(configuration);
        if (provider == "sqlite") return connection;
        stderr.WriteLine("备份与恢复命令只用于 SQLite 数据库；PostgreSQL 请用 pg_dump / pg_restore。");
        return null;
    }

    /// <summary><c>roundtrip FILE</c>: prints the definition as GovFlow exports it.</summary>
    public static int Roundtrip(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length != 1) return Usage(stderr, "roundtrip expects exactly one file.");
        try
        {
            stdout.WriteLine(WorkflowJson.Write(WorkflowJson.ReadFile(args[0])));
            return 0;
        }
        catch (Exception ex) when (ex is WorkflowFormatException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine(ex.Message);
            return 2;
        }
    }

    private static object? ParseValue(string text)
    {
        try { return Values.FromJson(JsonNode.Parse(text)); }
        catch (JsonException) { return text; }
    }

    private static int Usage(TextWriter stderr, string problem)
    {
        stderr.WriteLine(problem);
        stderr.WriteLine("usage: run-workflow FILE [--with COMPANION.json ...] [--input NAME=VALUE ...] [--auto-resume] [--flowchart-mode counter|token]");
        stderr.WriteLine("       roundtrip FILE");
        stderr.WriteLine("       validate-matters [DIR]");
        stderr.WriteLine("       verify-journal FILE --public-key KEY.pem");
        stderr.WriteLine("       backup FILE [--GovFlow:DataDir DIR]");
        stderr.WriteLine("       restore FILE [--GovFlow:DataDir DIR]   (host stopped)");
        stderr.WriteLine("       create-journal-key FILE | create-personal-data-key FILE");
        return 2;
    }
}
