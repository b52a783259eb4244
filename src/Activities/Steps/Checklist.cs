using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Matters;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Activities.Steps;

/// <summary>One line of a case's material checklist.</summary>
/// <param name="Material">The matter's material.</param>
/// <param name="Applies">Whether it is needed for this case (conditional materials depend on the form data).</param>
/// <param name="SatisfiedBy">paper, upload (online), certificate or supplement; null when missing.</param>
public sealed record ChecklistLine(Material Material, bool Applies, string? SatisfiedBy)
{
    /// <summary>Needed and not satisfied.</summary>
    public bool Missing => Applies && SatisfiedBy is null;
}

/// <summary>Works out which materials a case needs and which it has: handed in, replaced by an electronic certificate, or supplied later.</summary>
public static partial class Checklist
{
    private static readonly HashSet<string> Keywords = ["true", "false", "null", "undefined", "typeof", "instanceof", "in", "new", "this", "Math", "Date", "JSON", "String", "Number", "parseInt", "parseFloat", "isNaN", "today"];

    [GeneratedRegex(@"(?<![\w$.'""])[A-Za-z_$][\w$]*(?![\w$]*\s*:)")]
    private static partial Regex Identifier();

    /// <summary>The form fields a condition reads: the names it puts in the rule scope besides the ones every case has.</summary>
    public static IEnumerable<string> FormFields(string condition) =>
        Identifier().Matches(condition).Select(m => m.Value).Where(n => !Keywords.Contains(n) && !TrustedScope.Contains(n)).Distinct();

    /// <summary>
    /// The names every case's rule scope has from trusted sources rather than the form: the applicant as received,
    /// the certificates found (<c>certificates.t111</c>) and the population record (<c>population.age</c>).
    /// </summary>
    public static readonly IReadOnlySet<string> TrustedScope = new HashSet<string>(StringComparer.Ordinal) { "applicant", "certificates", "population" };

    /// <summary>The checklist of the running case.</summary>
    public static IReadOnlyList<ChecklistLine> Evaluate(ActivityExecutionContext context, ServiceMatter matter)
    {
        var file = context.Case();
        var input = file.Input;
        var byCertificate = file.CertificateUses.Where(u => u.Outcome == "Found" && u.Material is not null).Select(u => u.Material!).ToHashSet();
        var supplied = file.Supplements.Select(s => s.Material).ToHashSet();
        return matter.Materials.Select(m =>
        {
            var applies = m.Required || AppliesSafely(context, m);
            var by = input.UploadedMaterials.Contains(m.Name) ? "upload"
                : input.ProvidedMaterials.Contains(m.Name) ? "paper"
                : byCertificate.Contains(m.Name) ? "certificate"
                : supplied.Contains(m.Name) ? "supplement" : null;
            return new ChecklistLine(m, applies, by);
        }).ToList();
    }

    private static bool AppliesSafely(ActivityExecutionContext context, Material m)
    {
        // A condition that cannot be evaluated asks for the material rather than silently waiving it.
        try { return Condition(context, m.Condition!); }
        catch (InvalidOperationException ex)
        {
            context.Journal("ConditionError", new JsonObject { ["material"] = m.Name, ["condition"] = m.Condition, ["error"] = ex.Message });
            return true;
        }
    }

    /// <summary>Writes the checklist into the case file.</summary>
    public static void Record(CaseFile file, IEnumerable<ChecklistLine> lines) =>
        file.Set(CaseParts.Checklist, lines.Select(l => new CaseMaterial
        {
            Name = l.Material.Name, Main = l.Material.Main, Required = l.Material.Required, Applies = l.Applies,
            SatisfiedBy = l.SatisfiedBy, CertificateType = l.Material.CertificateType, ToleranceAllowed = l.Material.ToleranceAllowed
        }));

    /// <summary>The script a condition runs as (in the JavaScript sandbox, whose limits bound every condition).</summary>
    public static string ConditionScript(string condition) => "with (getRuleScope()) { return (" + condition + "); }";

    /// <summary>
    /// Evaluates a JavaScript condition with the form data fields, <c>applicant</c>, <c>certificates</c> and <c>population</c> in scope
    /// (e.g. <c>age &lt; 90 &amp;&amp; onMinimumAllowance</c>).
    /// </summary>
    public static bool Condition(ActivityExecutionContext context, string condition)
    {
        var file = context.Case();
        var input = file.Input;
        var scope = new Dictionary<string, object?>(input.Data)
        {
            ["today"] = ChinaTime.Date(context.Workflow.Now).ToString("yyyy-MM-dd"),
            ["applicant"] = new Dictionary<string, object?> { ["name"] = input.Applicant.Name, ["idNumber"] = input.Applicant.IdNumber, ["idType"] = input.Applicant.IdType },
            ["certificates"] = file.CertificateUses.Where(u => u.Outcome == "Found")
                .GroupBy(u => u.CertificateType ?? "")
                .ToDictionary(g => "t" + g.Key, g => Values.FromJson(g.Last().Data)),
            // The population database's record of the applicant, or null when it was not looked up or not found.
            ["population"] = file.Get(CaseParts.Population) is { Outcome: "Found", Data: { } resident } ? Values.FromJson(resident) : null
        };
        // Form fields the applicant left out are undefined, not errors: 'onMinimumAllowance' alone reads as false.
        foreach (Match m in Identifier().Matches(condition))
            if (!Keywords.Contains(m.Value)) scope.TryAdd(m.Value, null);
        var slot = context.FindVariable("RuleScope") ?? context.Declare("RuleScope", "RuleScope", "Object", false, null);
        slot.Set(scope);
        // 'with' puts the form fields in scope, so conditions read like the matter guide writes them.
        var result = JavaScriptEvaluator.Run(ConditionScript(condition), context, out _);
        return result is true || (result is not null and not false && Values.ToText(result) is "true" or "True");
    }
}
