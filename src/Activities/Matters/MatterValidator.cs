using System.Text.Json;
using System.Text.Json.Nodes;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Activities.Matters;

/// <summary>A problem with a matter's definition: where (JSON path) and what.</summary>
/// <param name="Source">File or source name.</param>
/// <param name="MatterCode">Matter code, when known.</param>
/// <param name="MatterName">Matter name (or the definition name).</param>
/// <param name="Path">JSON path.</param>
/// <param name="Message">What is wrong.</param>
public sealed record MatterProblem(string Source, string? MatterCode, string MatterName, string Path, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Source}: {MatterName}{(MatterCode is null ? "" : $" ({MatterCode})")}: {Path}: {Message}";
}

/// <summary>
/// Checks a matter's definition: the standard elements (limits, materials, codes) and the flow (human steps
/// name departments, parallel branches reach a join, connection ports exist, everything compiles).
/// All problems are reported at once.
/// </summary>
public sealed class MatterValidator(WorkflowCompiler compiler)
{
    private const string MatterPath = "$.customProperties['govflow:matter']";

    /// <summary>Validates one definition.</summary>
    public IReadOnlyList<MatterProblem> Validate(WorkflowDefinition definition, string source)
    {
        var problems = new List<(string Path, string Message)>();
        ServiceMatter? matter = null;
        try
        {
            matter = MatterJson.Read(definition);
            if (matter is null) problems.Add(("$.customProperties", $"no matter: the standard elements belong in customProperties['{MatterJson.PropertyName}']"));
        }
        catch (JsonException ex)
        {
            problems.Add(($"{MatterPath}{(ex.Path is { Length: > 1 } p ? p[1..] : "")}", $"the matter cannot be read: {ex.Message.Split(" Path:")[0]}"));
        }
        if (matter != null) CheckElements(matter, problems);
        CheckFlow(definition, matter, problems);
        var name = matter?.Name is { Length: > 0 } n ? n : definition.Name ?? definition.DefinitionId ?? source;
        return problems.Select(p => new MatterProblem(source, matter?.Code is { Length: > 0 } c ? c : null, name, p.Path, p.Message)).ToList();
    }

    private void CheckElements(ServiceMatter m, List<(string, string)> problems)
    {
        void Add(string path, string message) => problems.Add(($"{MatterPath}.{path}", message));
        if (string.IsNullOrWhiteSpace(m.Code)) Add("code", "the basic code is missing");
        if (string.IsNullOrWhiteSpace(m.Name)) Add("name", "the name is missing");
        else if (m.Name.Length > 200) Add("name", $"the name has {m.Name.Length} characters; at most 200");
        if (!MatterCodes.Types.ContainsKey(m.Type)) Add("type", $"'{m.Type}' is not a matter type code (01–10, 20)");
        if (!MatterCodes.Levels.ContainsKey(m.Level)) Add("level", $"'{m.Level}' is not a level code (1–6)");
        if (!MatterCodes.CaseTypes.ContainsKey(m.CaseType)) Add("caseType", $"'{m.CaseType}' is not a case type (1 即办件, 2 承诺件)");
        foreach (var (code, i) in m.ServiceObjects.Select((c, i) => (c, i)))
            if (!MatterCodes.ServiceObjects.ContainsKey(code)) Add($"serviceObjects[{i}]", $"'{code}' is not a service object code (1–6)");
        foreach (var (code, i) in m.HandlingForms.Select((c, i) => (c, i)))
            if (!MatterCodes.HandlingForms.ContainsKey(code)) Add($"handlingForms[{i}]", $"'{code}' is not a handling form code (1–4)");
        if (string.IsNullOrWhiteSpace(m.Department)) Add("department", "the implementing body is missing");
        if (m.DepartmentUscc is { } uscc && !CreditCode.IsValid(uscc)) Add("departmentUscc", $"'{uscc}' is not a valid unified social credit code");
        for (var i = 0; i < m.JointDepartments.Count; i++)
            if (m.JointDepartments[i].Uscc is { } j && !CreditCode.IsValid(j)) Add($"jointDepartments[{i}].uscc", $"'{j}' is not a valid unified social credit code");

        if (m.PromisedLimit.Value <= 0) Add("promisedLimit.value", "the promised limit must be positive");
        if (m.StatutoryLimit.Value <= 0) Add("statutoryLimit.value", "the statutory limit must be positive");
        if (m.PromisedLimit.InWorkingDays() > m.StatutoryLimit.InWorkingDays())
            Add("promisedLimit", $"the promised limit ({m.PromisedLimit}) exceeds the statutory limit ({m.StatutoryLimit})");
        if (m.CaseType == "1" && m.PromisedLimit.InWorkingDays() > 1)
            Add("promisedLimit", $"a 即办件 is done on the spot; its promised limit ({m.PromisedLimit}) must be at most one working day");
        var stepTotal = m.Steps.Sum(s => s.Limit.InWorkingDays());
        if (stepTotal > m.PromisedLimit.InWorkingDays())
            Add("steps", $"the step limits add up to {stepTotal:0.##} working days, more than the promised limit ({m.PromisedLimit})");
        for (var i = 0; i < m.Steps.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(m.Steps[i].Name)) Add($"steps[{i}].name", "the step has no name");
            if (m.Steps[i].Limit.Value <= 0) Add($"steps[{i}].limit.value", "a step limit must be positive");
        }

        var names = new HashSet<string>();
        for (var i = 0; i < m.Materials.Count; i++)
        {
            var mat = m.Materials[i];
            if (string.IsNullOrWhiteSpace(mat.Name)) Add($"materials[{i}].name", "the material has no name");
            else if (!names.Add(mat.Name)) Add($"materials[{i}].name", $"material '{mat.Name}' is listed twice");
            if (mat.ToleranceAllowed && mat.Main)
                Add($"materials[{i}].toleranceAllowed", $"'{mat.Name}' is a main material (主审要件); only non-main materials may be supplied later");
            if (mat.CertificateReplaceable && string.IsNullOrWhiteSpace(mat.CertificateType))
                Add($"materials[{i}].certificateType", $"'{mat.Name}' is certificate-replaceable but names no certificate type code");
            if (!mat.Required && string.IsNullOrWhiteSpace(mat.Condition))
                Add($"materials[{i}].condition", $"'{mat.Name}' is conditional but states no condition");
            if (mat.Originals < 0 || mat.Copies < 0) Add($"materials[{i}]", $"'{mat.Name}' has a negative count");
        }
        if (m.Tolerance is { } t)
        {
            if (!m.Materials.Any(x => x.ToleranceAllowed)) Add("tolerance", "tolerance-gap acceptance is allowed but no material may be supplied later");
            if (t.SupplementLimit.InWorkingDays() > m.PromisedLimit.InWorkingDays())
                Add("tolerance.supplementLimit", $"the supplement deadline ({t.SupplementLimit}) may not exceed the promised limit ({m.PromisedLimit})");
            if (t.OnExpiry is not ("terminate" or "suspend")) Add("tolerance.onExpiry", $"'{t.OnExpiry}' must be terminate or suspend");
        }
        else if (m.Materials.Any(x => x.ToleranceAllowed))
            Add("tolerance", "materials allow tolerance but the matter has no tolerance rules");
        if (m.Parallel is { } par)
        {
            if (string.IsNullOrWhiteSpace(par.Lead)) Add("parallel.lead", "parallel approval needs a lead department");
            if (par.Members.Count == 0) Add("parallel.members", "parallel approval needs member departments");
        }
        for (var i = 0; i < m.InstantApprovalRules.Count; i++)
            if (string.IsNullOrWhiteSpace(m.InstantApprovalRules[i].Condition)) Add($"instantApprovalRules[{i}].condition", "the rule has no condition");
        // Conditions are parsed now, as the checklist will run them, so a typo is refused at import rather than at a case.
        for (var i = 0; i < m.Materials.Count; i++)
            if (ConditionProblem(m.Materials[i].Condition) is { } problem) Add($"materials[{i}].condition", problem);
        for (var i = 0; i < m.InstantApprovalRules.Count; i++)
            if (ConditionProblem(m.InstantApprovalRules[i].Condition) is { } problem) Add($"instantApprovalRules[{i}].condition", problem);
    }

    private string? ConditionProblem(string? condition) =>
        string.IsNullOrWhiteSpace(condition) ? null
            : compiler.Evaluators.Find("JavaScript")?.Validate(new Expression("JavaScript", JsonValue.Create(Steps.Checklist.ConditionScript(condition))));

    private void CheckFlow(WorkflowDefinition definition, ServiceMatter? matter, List<(string, string)> problems)
    {
        if (definition.Root is null) { problems.Add(("$.root", "the definition has no root activity")); return; }
        var paths = new Dictionary<ActivityNode, string>(ReferenceEqualityComparer.Instance);
        Walk(definition.Root, "$.root", paths);
        string JsonPathOf(CompileProblem p) =>
            p.Node != null && paths.TryGetValue(p.Node, out var at) ? at + (p.Property is null ? "" : "." + p.Property) : p.Path;
        try
        {
            var workflow = compiler.Compile(definition);
            foreach (var w in workflow.Problems) problems.Add((JsonPathOf(w), w.Message));
            CheckOutcomes(workflow, matter, paths, problems);
        }
        catch (WorkflowCompileException ex)
        {
            foreach (var p in ex.Problems) problems.Add((JsonPathOf(p), p.Message));
        }

        foreach (var (node, path) in paths)
        {
            var descriptor = compiler.Registry.Find(node.Type);
            if (descriptor?.Kind == ActivityKind.Task && string.IsNullOrWhiteSpace(InputText(node, "department")))
                problems.Add(($"{path}.department", $"human step '{node.Name ?? node.Id}' ({node.Type}) names no department"));
            if (node.Connections.Count > 0) CheckConnections(node, path, problems);
        }
    }

    // No ending leads nowhere: an outcome a GovFlow step can take must lead on, unless it gives the case its final
    // status (today a review's "return" ended the workflow and left the case 审查中 with no task).
    private void CheckOutcomes(Workflow workflow, ServiceMatter? matter, Dictionary<ActivityNode, string> paths, List<(string, string)> problems)
    {
        var nodes = paths.Keys.GroupBy(n => n.Id).ToDictionary(g => g.Key, g => g.First());
        foreach (var activity in workflow.Activities.Where(a => a.Type.StartsWith("GovFlow.", StringComparison.Ordinal)))
        {
            var outcomes = activity is Cases.ICaseOutcomes o ? o.OutcomesTaken(matter) : compiler.Registry.Find(activity.Type)?.Outcomes ?? [];
            foreach (var outcome in outcomes.Where(x => !activity.Continues(x) && (activity as Cases.ICaseOutcomes)?.GivesFinalStatus(x, matter) != true))
                problems.Add((nodes.TryGetValue(activity.Id, out var node) ? paths[node] : "$.root",
                    $"“{activity.Name ?? activity.Id}”的结果“{outcome}”没有连线：办件会停在这里，既无待办也无决定；请连到下一步"));
        }
    }

    private void CheckConnections(ActivityNode flowchart, string path, List<(string, string)> problems)
    {
        var activities = flowchart.Children("activities").ToDictionary(a => a.Id);
        for (var i = 0; i < flowchart.Connections.Count; i++)
        {
            var c = flowchart.Connections[i];
            var at = $"{path}.connections[{i}]";
            if (!activities.TryGetValue(c.Source, out var source)) { problems.Add(($"{at}.source", $"no activity '{c.Source}' in this flowchart")); continue; }
            if (!activities.ContainsKey(c.Target)) { problems.Add(($"{at}.target", $"no activity '{c.Target}' in this flowchart")); continue; }
            var ports = Ports(source);
            if (ports != null && !ports.Contains(c.SourcePort))
                problems.Add(($"{at}.source.port", $"'{source.Name ?? source.Id}' ({source.Type}) has no outcome '{c.SourcePort}'; it has {(ports.Count == 0 ? "none" : string.Join(", ", ports))}"));
        }
        // Every branch of a fork must reach one join, or the parallel work never comes together.
        foreach (var fork in activities.Values.Where(a => a.Type == "Elsa.FlowFork"))
        {
            var branches = flowchart.Connections.Where(c => c.Source == fork.Id).Select(c => c.Target).Distinct().ToList();
            if (branches.Count < 2) continue;
            var joins = branches.Select(b => ReachableJoins(flowchart, b)).ToList();
            // The join most branches reach is the one the fork meant; every branch must reach it.
            var target = joins.SelectMany(j => j).GroupBy(j => j).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault();
            var forkIndex = flowchart.Children("activities").ToList().FindIndex(a => a.Id == fork.Id);
            foreach (var (branch, reached) in branches.Zip(joins))
                if (target is null || !reached.Contains(target))
                    problems.Add(($"{path}.activities[{forkIndex}]",
                        $"branch '{branch}' of parallel fork '{fork.Name ?? fork.Id}' does not reach the join {(target is null ? "(no branch reaches a join)" : $"'{target}'")} the other branches reach"));
        }
    }

    private static HashSet<string> ReachableJoins(ActivityNode flowchart, string start)
    {
        var types = flowchart.Children("activities").ToDictionary(a => a.Id, a => a.Type);
        var seen = new HashSet<string>();
        var joins = new HashSet<string>();
        var stack = new Stack<string>([start]);
        while (stack.Count > 0)
        {
            var id = stack.Pop();
            if (!seen.Add(id)) continue;
            if (types.GetValueOrDefault(id) == "Elsa.FlowJoin") { joins.Add(id); continue; }
            foreach (var c in flowchart.Connections.Where(c => c.Source == id)) stack.Push(c.Target);
        }
        return joins;
    }

    /// <summary>The outcome ports of a node, or null when they cannot be known statically.</summary>
    private IReadOnlyCollection<string>? Ports(ActivityNode node)
    {
        switch (node.Type)
        {
            case "Elsa.FlowFork":
                var branches = node.Raw("branches") is JsonObject o && JsonAccess.Get(o, "expression") is JsonObject e && JsonAccess.GetString(e, "type") is "Object" or "Json" or "Literal"
                    ? JsonAccess.GetString(e, "value") : null;
                if (branches is null) return null;
                try { return (JsonNode.Parse(branches) as JsonArray)?.Select(x => x?.GetValue<string>() ?? "").Append("Done").ToHashSet(); }
                catch (JsonException) { return null; }
            case "Elsa.FlowSwitch":
                return node.Raw("cases") is JsonArray cases ? cases.OfType<JsonObject>().Select(c => JsonAccess.GetString(c, "label") ?? "").Append("Default").ToHashSet() : null;
        }
        var descriptor = compiler.Registry.Find(node.Type);
        if (descriptor != null) return descriptor.Outcomes.ToHashSet();
        var definition = compiler.Definitions?.UsableAsActivities().FirstOrDefault(d => d.ActivityTypeName == node.Type);
        return definition is null ? null : definition.Outcomes.Count == 0 ? ["Done"] : definition.Outcomes.Append("Done").ToHashSet();
    }

    private static string? InputText(ActivityNode node, string name) => node.Raw(name) switch
    {
        JsonObject o when JsonAccess.Get(o, "expression") is JsonObject e => JsonAccess.AsString(JsonAccess.Get(e, "value")),
        JsonValue v => JsonAccess.AsString(v),
        _ => null
    };

    private static void Walk(ActivityNode node, string path, Dictionary<ActivityNode, string> paths)
    {
        paths[node] = path;
        foreach (var p in node.Properties)
            switch (p)
            {
                case ChildProperty c: Walk(c.Activity, $"{path}.{p.Name}", paths); break;
                case ChildListProperty l:
                    for (var i = 0; i < l.Activities.Count; i++) Walk(l.Activities[i], $"{path}.{p.Name}[{i}]", paths);
                    break;
            }
    }
}

/// <summary>The 18-character unified social credit code (GB 32100-2015) and its check character.</summary>
public static class CreditCode
{
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    /// <summary>Whether the code is well formed and its check character is right.</summary>
    public static bool IsValid(string code)
    {
        if (code.Length != 18) return false;
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var v = Alphabet.IndexOf(code[i]);
            if (v < 0) return false;
            sum += v * Weights[i];
        }
        var check = (31 - sum % 31) % 31;
        return code[17] == Alphabet[check];
    }

    /// <summary>Appends the check character to 17 characters.</summary>
    public static string Complete(string first17)
    {
        if (first17.Length != 17) throw new ArgumentException("A credit code body has 17 characters.", nameof(first17));
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var v = Alphabet.IndexOf(first17[i]);
            if (v < 0) throw new ArgumentException($"'{first17[i]}' may not appear in a credit code.", nameof(first17));
            sum += v * Weights[i];
        }
        return first17 + Alphabet[(31 - sum % 31) % 31];
    }
}

/// <summary>The 18-digit citizen ID number (GB 11643-1999) and its check character.</summary>
public static class IdentityNumber
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string Checks = "10X98765432";

    /// <summary>Whether the number is well formed, its birth date real, and its check character right.</summary>
    public static bool IsValid(string number)
    {
        if (number.Length != 18 || !number[..17].All(char.IsAsciiDigit)) return false;
        if (!DateOnly.TryParseExact(number.Substring(6, 8), "yyyyMMdd", out _)) return false;
        return char.ToUpperInvariant(number[17]) == Check(number[..17]);
    }

    /// <summary>Appends the check character to 17 digits.</summary>
    public static string Complete(string first17) =>
        first17.Length == 17 && first17.All(char.IsAsciiDigit) ? first17 + Check(first17) : throw new ArgumentException("An ID number body has 17 digits.", nameof(first17));

    /// <summary>The holder's birth date.</summary>
    public static DateOnly BirthDate(string number) => DateOnly.ParseExact(number.Substring(6, 8), "yyyyMMdd");

    private static char Check(string first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += (first17[i] - '0') * Weights[i];
        return Checks[sum % 11];
    }
}
