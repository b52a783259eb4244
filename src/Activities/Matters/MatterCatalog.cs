using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;
using GovFlow.Workflows.Serialization;

namespace GovFlow.Activities.Matters;

/// <summary>A matter with its definition and file.</summary>
/// <param name="File">File name.</param>
/// <param name="Definition">The Elsa definition.</param>
/// <param name="Matter">The matter's standard elements.</param>
public sealed record CatalogEntry(string File, WorkflowDefinition Definition, ServiceMatter Matter);

/// <summary>
/// The service matters of a folder (workflows-json/): every file is read, its matter validated, and every problem
/// of every file collected, so that a bad catalog is refused with the whole list at once.
/// </summary>
public sealed class MatterCatalog
{
    private readonly Dictionary<string, CatalogEntry> _byCode = new(StringComparer.OrdinalIgnoreCase);

    private MatterCatalog(IEnumerable<CatalogEntry> entries, IReadOnlyList<MatterProblem> problems)
    {
        foreach (var e in entries) _byCode[e.Matter.Code] = e;
        Problems = problems;
    }

    /// <summary>Matters by code, in code order.</summary>
    public IReadOnlyList<CatalogEntry> Entries
    {
        get { lock (_byCode) return [.. _byCode.Values.OrderBy(e => e.Matter.Code, StringComparer.Ordinal)]; }
    }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<MatterProblem> Problems { get; }

    /// <summary>A matter by code.</summary>
    public CatalogEntry? Find(string code)
    {
        lock (_byCode) return _byCode.GetValueOrDefault(code);
    }

    /// <summary>Adds or replaces a matter (a newly published version); new cases run it, running cases keep theirs.</summary>
    public void Publish(CatalogEntry entry)
    {
        lock (_byCode) _byCode[entry.Matter.Code] = entry;
    }

    /// <summary>Takes the matter of a retracted definition out of new submissions; its open cases finish on their version.</summary>
    public void Withdraw(string definitionId)
    {
        lock (_byCode)
            foreach (var code in _byCode.Where(e => e.Value.Definition.DefinitionId == definitionId).Select(e => e.Key).ToList())
                _byCode.Remove(code);
    }

    /// <summary>Loads and validates every <c>*.json</c> of a folder, adding each definition to <paramref name="store"/> when given.</summary>
    public static MatterCatalog Load(string directory, ActivityRegistry registry, InMemoryWorkflowDefinitionStore? store = null, ExpressionEvaluators? evaluators = null)
    {
        if (!Directory.Exists(directory))
            return new MatterCatalog([], [new MatterProblem(directory, null, "(catalog)", "$", "事项目录文件夹不存在")]);
        store ??= new InMemoryWorkflowDefinitionStore();
        var problems = new List<MatterProblem>();
        var loaded = new List<(string File, WorkflowDefinition Definition)>();
        foreach (var path in Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            var file = Path.GetFileName(path);
            try { loaded.Add((file, store.Add(WorkflowJson.ReadFile(path)))); }
            catch (WorkflowFormatException ex) { problems.Add(new MatterProblem(file, null, Path.GetFileNameWithoutExtension(file), ex.JsonPath, ex.Problem)); }
        }
        // Definitions may use each other as activities, so all are loaded before any is validated.
        var validator = new MatterValidator(new WorkflowCompiler(registry, evaluators ?? ExpressionEvaluators.CreateDefault(), store));
        var entries = new List<CatalogEntry>();
        var codes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (file, definition) in loaded)
        {
            var found = validator.Validate(definition, file);
            problems.AddRange(found);
            ServiceMatter? matter = null;
            try { matter = MatterJson.Read(definition); }
            catch (System.Text.Json.JsonException) { }
            if (matter is null || string.IsNullOrWhiteSpace(matter.Code)) continue;
            if (codes.TryGetValue(matter.Code, out var other))
            {
                problems.Add(new MatterProblem(file, matter.Code, matter.Name, "$.customProperties['govflow:matter'].code", $"事项编码 {matter.Code} 已由 {other} 使用", "code"));
                continue;
            }
            codes[matter.Code] = file;
            if (found.Count == 0) entries.Add(new CatalogEntry(file, definition, matter));
        }
        return new MatterCatalog(entries, problems);
    }
}
