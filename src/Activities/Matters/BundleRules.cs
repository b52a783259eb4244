namespace GovFlow.Activities.Matters;

/// <summary>
/// 一件事一次办: a matter that bundles several real matters. The applicant applies once (one form, shared materials
/// asked once); the bundle's flow starts each member as a case of its own (<c>Elsa.ExecuteWorkflow</c>).
/// </summary>
public sealed class BundleRules
{
    /// <summary>Results of all members are released when the last member finishes.</summary>
    public const string Together = "together";

    /// <summary>
    /// Each member releases its result when it finishes. Refused by the validator for now: the bundle's flow issues and
    /// posts after its join, so a member releasing on its own would be released twice and the bundle would wait for
    /// every member's delivery and rating.
    /// </summary>
    public const string AsEach = "asEach";

    /// <summary>A refused member leaves the others running; the bundle ends partly done with the refusal notice.</summary>
    public const string ContinueOthers = "continueOthers";

    /// <summary>
    /// A refused member (不予许可 or 不予受理) ends every other open member at once (撤件/终止, journaled in each member's
    /// own journal; there is no separate notice) and the bundle goes on to its refusal end.
    /// </summary>
    public const string StopAll = "stopAll";

    /// <summary>The member matters' codes, each a definition of its own in the catalog.</summary>
    public List<string> Members { get; set; } = [];

    /// <summary>Materials several members need, asked of the applicant once and handed to each member that lists them.</summary>
    public List<string> SharedMaterials { get; set; } = [];

    /// <summary><see cref="Together"/> or <see cref="AsEach"/>.</summary>
    public string Release { get; set; } = Together;

    /// <summary><see cref="ContinueOthers"/> or <see cref="StopAll"/>.</summary>
    public string Refusal { get; set; } = ContinueOthers;

    /// <summary>The rules' problems in words an editor reads, keyed by the field under <c>bundle</c>.</summary>
    public IEnumerable<(string Field, string Message)> Problems(ServiceMatter matter)
    {
        if (Members.Count < 2) yield return ("members", "一件事至少包含两个成员事项（填写各事项的基本编码）");
        foreach (var (code, i) in Members.Select((c, i) => (c, i)))
        {
            if (string.IsNullOrWhiteSpace(code)) yield return ($"members[{i}]", $"第 {i + 1} 个成员事项没有填写事项编码");
            else if (code == matter.Code) yield return ($"members[{i}]", "一件事不能把自身列为成员事项");
        }
        if (Members.Count != Members.Distinct().Count()) yield return ("members", "成员事项有重复");
        var names = matter.Materials.Select(m => m.Name).ToHashSet();
        foreach (var (name, i) in SharedMaterials.Select((n, i) => (n, i)).Where(p => !names.Contains(p.n)))
            yield return ($"sharedMaterials[{i}]", $"共享材料“{name}”不在一件事的申请材料中");
        if (Release == AsEach) yield return ("release", "“办结一项出件一项”（asEach）暂不支持：一件事在全部成员办结后统一出件，请使用 together（统一出件）");
        else if (Release != Together) yield return ("release", $"出件方式“{Release}”无效：只能是 together（统一出件）");
        if (Refusal is not (ContinueOthers or StopAll)) yield return ("refusal", $"成员不予办理时的处理“{Refusal}”无效：只能是 continueOthers（其余照常办理）或 stopAll（全部终止）");
    }
}
