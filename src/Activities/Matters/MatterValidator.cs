using System.Text.Json;
using System.Text.Json.Nodes;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Activities.Matters;

/// <summary>A problem with a matter's definition: where it is and what is wrong, in the hall's words.</summary>
/// <param name="Source">File or source name.</param>
/// <param name="MatterCode">Matter code, when known.</param>
/// <param name="MatterName">Matter name (or the definition name).</param>
/// <param name="Path">JSON path (kept for import errors and files).</param>
/// <param name="Message">What is wrong, in Chinese, naming the material, step or activity rather than a path.</param>
/// <param name="Field">The matter field the problem is at, relative to the matter (<c>materials[2].condition</c>), or null.</param>
/// <param name="ActivityId">The root flowchart's node the problem is at (the top-level node containing it), or null.</param>
public sealed record MatterProblem(string Source, string? MatterCode, string MatterName, string Path, string Message, string? Field = null, string? ActivityId = null)
{
    /// <inheritdoc />
    public override string ToString() => $"{Source}: {MatterName}{(MatterCode is null ? "" : $" ({MatterCode})")}: {Path}: {Message}";
}

/// <summary>
/// Checks a matter's definition: the standard elements (limits, materials, codes) and the flow (human steps
/// name departments, parallel branches reach a join, connection ports exist, every activity is reachable, step
/// limits fit the matter's, everything compiles). All problems are reported at once, each in Chinese with the
/// matter field or the flow node it is at, so the designer can show it where it is.
/// </summary>
public sealed class MatterValidator(WorkflowCompiler compiler)
{
    private const string MatterPath = "$.customProperties['govflow:matter']";

    private sealed record Found(string Path, string Message, string? Field = null, string? ActivityId = null);

    /// <summary>Validates one definition.</summary>
    public IReadOnlyList<MatterProblem> Validate(WorkflowDefinition definition, string source)
    {
        var problems = new List<Found>();
        ServiceMatter? matter = null;
        try
        {
            matter = MatterJson.Read(definition);
            if (matter is null) problems.Add(new("$.customProperties", "流程定义里还没有事项信息（基本编码、名称、时限、申请材料等）；请先填写事项"));
        }
        catch (JsonException ex)
        {
            var field = ex.Path is { Length: > 2 } p ? p[2..] : null;
            // The matter reader's own messages are Chinese; the serializer's are not and name CLR types.
            var why = ex.Message.Split(" Path:")[0] is var m && m.Any(c => c >= '\u4e00' && c <= '\u9fff') ? m : "填写的值类型不对";
            problems.Add(new($"{MatterPath}{(ex.Path is { Length: > 1 } q ? q[1..] : "")}", $"事项信息无法读取：{why}", field));
        }
        if (matter != null) CheckElements(matter, problems);
        CheckFlow(definition, matter, problems);
        var name = matter?.Name is { Length: > 0 } n ? n : definition.Name ?? definition.DefinitionId ?? source;
        return problems.Select(p => new MatterProblem(source, matter?.Code is { Length: > 0 } c ? c : null, name, p.Path, p.Message, p.Field, p.ActivityId)).ToList();
    }

    private static string Nth(int i) => $"第 {i + 1} ";

    private static string MaterialName(Material m, int i) => string.IsNullOrWhiteSpace(m.Name) ? $"{Nth(i)}项材料" : $"“{m.Name}”";

    private static string StepName(MatterStep s, int i) => string.IsNullOrWhiteSpace(s.Name) ? $"{Nth(i)}个办理环节" : $"办理环节“{s.Name}”";

    private void CheckElements(ServiceMatter m, List<Found> problems)
    {
        void Add(string field, string message) => problems.Add(new($"{MatterPath}.{field}", message, field));
        if (string.IsNullOrWhiteSpace(m.Code)) Add("code", "请填写事项的基本编码");
        // A case number is the day, the code's last five characters and a serial: a shorter code cannot make one.
        else if (m.Code.Length is < 5 or > 40 || !m.Code.All(char.IsAsciiLetterOrDigit))
            Add("code", $"基本编码“{m.Code}”应为 5 至 40 位数字或字母（办件编号取它的后 5 位）");
        if (string.IsNullOrWhiteSpace(m.Name)) Add("name", "请填写事项名称");
        else if (m.Name.Length > 200) Add("name", $"事项名称有 {m.Name.Length} 个字，最多 200 个字");
        if (!MatterCodes.Types.ContainsKey(m.Type)) Add("type", $"事项类型“{m.Type}”不在国家标准的代码表中（01–10、20）");
        if (!MatterCodes.Levels.ContainsKey(m.Level)) Add("level", $"行使层级“{m.Level}”不在代码表中（1–6）");
        if (!MatterCodes.CaseTypes.ContainsKey(m.CaseType)) Add("caseType", $"办件类型“{m.CaseType}”不在代码表中（1 即办件、2 承诺件）");
        foreach (var (code, i) in m.ServiceObjects.Select((c, i) => (c, i)))
            if (!MatterCodes.ServiceObjects.ContainsKey(code)) Add($"serviceObjects[{i}]", $"服务对象“{code}”不在代码表中（1–6）");
        foreach (var (code, i) in m.HandlingForms.Select((c, i) => (c, i)))
            if (!MatterCodes.HandlingForms.ContainsKey(code)) Add($"handlingForms[{i}]", $"办理形式“{code}”不在代码表中（1–4）");
        if (string.IsNullOrWhiteSpace(m.Department)) Add("department", "请选择实施主体");
        if (m.DepartmentUscc is { } uscc && !CreditCode.IsValid(uscc)) Add("departmentUscc", $"实施主体的统一社会信用代码“{uscc}”不正确（应为 18 位，末位是校验码）");
        CheckAcceptance(m, Add);
        for (var i = 0; i < m.JointDepartments.Count; i++)
            if (m.JointDepartments[i].Uscc is { } j && !CreditCode.IsValid(j))
                Add($"jointDepartments[{i}].uscc", $"联办机构“{m.JointDepartments[i].Name}”的统一社会信用代码“{j}”不正确（应为 18 位，末位是校验码）");

        if (m.PromisedLimit.Value <= 0) Add("promisedLimit.value", "承诺办结时限必须大于 0");
        if (m.StatutoryLimit.Value <= 0) Add("statutoryLimit.value", "法定办结时限必须大于 0");
        if (m.PromisedLimit.InWorkingDays() > m.StatutoryLimit.InWorkingDays())
            Add("promisedLimit", $"承诺办结时限（{m.PromisedLimit}）超过了法定办结时限（{m.StatutoryLimit}）");
        if (m.PriorityPromisedLimit is { } fast && (fast.Value <= 0 || fast.InWorkingDays() > m.PromisedLimit.InWorkingDays()))
            Add("priorityPromisedLimit", $"绿色通道承诺时限（{fast}）须大于 0 且不超过承诺办结时限（{m.PromisedLimit}）");
        if (m.CaseType == "1" && m.PromisedLimit.InWorkingDays() > 1)
            Add("promisedLimit", $"即办件当场办结，承诺办结时限（{m.PromisedLimit}）最多 1 个工作日");
        var stepTotal = m.Steps.Sum(s => s.Limit.InWorkingDays());
        if (stepTotal > m.PromisedLimit.InWorkingDays())
            Add("steps", $"各办理环节的时限合计 {stepTotal:0.##} 个工作日，超过了承诺办结时限（{m.PromisedLimit}）");
        for (var i = 0; i < m.Steps.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(m.Steps[i].Name)) Add($"steps[{i}].name", $"{Nth(i)}个办理环节没有名称");
            if (m.Steps[i].Limit.Value <= 0) Add($"steps[{i}].limit.value", $"{StepName(m.Steps[i], i)}的时限必须大于 0");
        }

        var names = new HashSet<string>();
        for (var i = 0; i < m.Materials.Count; i++)
        {
            var mat = m.Materials[i];
            var what = MaterialName(mat, i);
            if (string.IsNullOrWhiteSpace(mat.Name)) Add($"materials[{i}].name", $"{Nth(i)}项材料没有名称");
            else if (!names.Add(mat.Name)) Add($"materials[{i}].name", $"材料“{mat.Name}”列了两次");
            if (mat.ToleranceAllowed && mat.Main)
                Add($"materials[{i}].toleranceAllowed", $"{what}是主审要件，不能容缺后补；只有非主审要件可以容缺");
            if (mat.CertificateReplaceable && string.IsNullOrWhiteSpace(mat.CertificateType))
                Add($"materials[{i}].certificateType", $"{what}可用电子证照代替，但没有选择证照类型");
            if (!mat.Required && string.IsNullOrWhiteSpace(mat.Condition))
                Add($"materials[{i}].condition", $"{what}是有条件材料，但没有写明条件");
            if (mat.Originals < 0) Add($"materials[{i}].originals", $"{what}的原件份数不能是负数");
            if (mat.Copies < 0) Add($"materials[{i}].copies", $"{what}的复印件份数不能是负数");
        }
        if (m.Tolerance is { } t)
        {
            if (!m.Materials.Any(x => x.ToleranceAllowed)) Add("tolerance", "开启了容缺受理，但没有一项材料允许容缺后补");
            if (t.SupplementLimit.InWorkingDays() > m.PromisedLimit.InWorkingDays())
                Add("tolerance.supplementLimit", $"容缺补齐期限（{t.SupplementLimit}）不能超过承诺办结时限（{m.PromisedLimit}）");
            if (t.RemindBeforeWorkingDays < 0) Add("tolerance.remindBeforeWorkingDays", "补齐提醒的提前天数不能是负数");
            else if (t.RemindBeforeWorkingDays >= t.SupplementLimit.InWorkingDays() && t.RemindBeforeWorkingDays > 0)
                Add("tolerance.remindBeforeWorkingDays", $"补齐提醒须早于补齐期限：提前{t.RemindBeforeWorkingDays}个工作日不短于补齐期限（{t.SupplementLimit}），设为 0 表示不提醒");
            if (t.OnExpiry is not ("terminate" or "suspend")) Add("tolerance.onExpiry", $"逾期未补齐时的处理“{t.OnExpiry}”无效：只能是终止办理（退件）或中止办理");
        }
        else if (m.Materials.Any(x => x.ToleranceAllowed))
            Add("tolerance", "有材料允许容缺后补，但事项没有开启容缺受理");
        if (m.Parallel is { } par)
        {
            if (string.IsNullOrWhiteSpace(par.Lead)) Add("parallel.lead", "并联审批需要牵头部门");
            if (par.Members.Count == 0) Add("parallel.members", "并联审批需要至少一个协办部门");
        }
        if (m.Proactive is { } proactive) CheckProactive(proactive, Add);
        for (var i = 0; i < m.Sources.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(m.Sources[i].Element)) Add($"sources[{i}].element", $"{Nth(i)}条依据来源没有写明依据哪些要素");
            if (string.IsNullOrWhiteSpace(m.Sources[i].Source)) Add($"sources[{i}].source", $"{Nth(i)}条依据来源没有写明来源（文件名称、发布机关或文号）");
            if (m.Sources[i].Url is { } url && !(Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"))
                Add($"sources[{i}].url", $"{Nth(i)}条依据来源的网址“{url}”不是 http 或 https 网址");
        }
        for (var i = 0; i < m.AgeBands.Count; i++)
        {
            var band = m.AgeBands[i];
            if (band.MonthlyAmount <= 0) Add($"ageBands[{i}].monthlyAmount", $"{Nth(i)}个年龄段的每月金额必须大于 0");
            if (band.ToAge is { } to && to < band.FromAge) Add($"ageBands[{i}].toAge", $"{Nth(i)}个年龄段的截止年龄（{to}）小于起始年龄（{band.FromAge}）");
            if (i > 0 && (m.AgeBands[i - 1].ToAge is not { } before || band.FromAge <= before))
                Add($"ageBands[{i}].fromAge", $"{Nth(i)}个年龄段与上一个重叠：年龄段须从低到高排列、互不重叠");
        }
        foreach (var (field, message) in m.Bundle?.Problems(m) ?? []) Add($"bundle.{field}", message);
        for (var i = 0; i < m.InstantApprovalRules.Count; i++)
            if (string.IsNullOrWhiteSpace(m.InstantApprovalRules[i].Condition)) Add($"instantApprovalRules[{i}].condition", $"{RuleName(m.InstantApprovalRules[i], i)}没有条件");
        // Conditions are parsed now, as the checklist will run them, so a typo is refused at import rather than at a case.
        for (var i = 0; i < m.Materials.Count; i++)
            if (ConditionProblem(m.Materials[i].Condition) is { } problem) Add($"materials[{i}].condition", $"{MaterialName(m.Materials[i], i)}的条件{problem}");
        for (var i = 0; i < m.InstantApprovalRules.Count; i++)
            if (ConditionProblem(m.InstantApprovalRules[i].Condition) is { } problem) Add($"instantApprovalRules[{i}].condition", $"{RuleName(m.InstantApprovalRules[i], i)}的条件{problem}");
            // 秒批 decides without a person: what the applicant typed into the form cannot be the ground of an approval.
            else if (SelfDeclared(m.InstantApprovalRules[i].Condition) is { Count: > 0 } declared)
                Add($"instantApprovalRules[{i}].condition", $"秒批规则只能依据证照、人口库等可信数据，不能依据申请人自行填报的{string.Join("、", declared.Select(f => $"“{f}”"))}");
    }

    private void CheckProactive(ProactiveService p, Action<string, string> add)
    {
        if (p.Population.TurningAge is < 1 or > 150) add("proactive.population.turningAge", "免申即享需要填写居民达到的年龄（1–150 周岁）");
        if (p.Population.WithinDays is < 1 or > 366) add("proactive.population.withinDays", "提前邀请的天数须在 1–366 天之间");
        if (string.IsNullOrWhiteSpace(p.Invitation)) add("proactive.invitation", "免申即享需要邀请短信的内容");
        else if (p.Invitation.Length > 300) add("proactive.invitation", "邀请短信不能超过300字");
        if (p.ValidDays is < 1 or > 366) add("proactive.validDays", "邀请有效天数须在 1–366 天之间");
        if (ConditionProblem(p.Condition) is { } problem) add("proactive.condition", $"免申即享的条件{problem}");
    }

    private static List<string> SelfDeclared(string? condition) =>
        string.IsNullOrWhiteSpace(condition) ? [] : [.. Steps.Checklist.FormFields(condition)];

    private static string RuleName(ApprovalRule r, int i) => string.IsNullOrWhiteSpace(r.Name) ? $"{Nth(i)}条秒批规则" : $"秒批规则“{r.Name}”";

    private string? ConditionProblem(string? condition) =>
        string.IsNullOrWhiteSpace(condition) ? null
            : compiler.Evaluators.Find("JavaScript")?.Validate(new Expression("JavaScript", JsonValue.Create(Steps.Checklist.ConditionScript(condition)))) is { } problem
                ? $"不是有效的 JavaScript 表达式，无法执行{ScriptPlace(problem)}：请检查括号、引号、运算符和字段名"
                : null;

    // The parser's words are English; only where it stopped is worth passing on.
    private static string ScriptPlace(string problem) =>
        System.Text.RegularExpressions.Regex.Match(problem, @"[Ll]ine (\d+)(?:[^\d]+(\d+))?") is { Success: true } at
            ? at.Groups[2].Success ? $"（第 {at.Groups[1].Value} 行第 {at.Groups[2].Value} 个字符附近）" : $"（第 {at.Groups[1].Value} 行附近）"
            : "";

    // 通办范围: a known kind, and a region list exactly when the kind is a list of regions.
    private static void CheckAcceptance(ServiceMatter m, Action<string, string> add)
    {
        if (m.Acceptance is not { } scope) return;
        if (!AcceptanceScope.Kinds.Contains(scope.Kind))
            add("acceptance.kind", $"受理范围“{scope.Kind}”无效：只能是本区、本市、本省、指定地区或全国");
        else if (scope.Kind == AcceptanceScope.RegionsKind && scope.Regions.Count == 0)
            add("acceptance.regions", "受理范围为指定地区时，请至少填写一个行政区划代码");
        else if (scope.Kind != AcceptanceScope.RegionsKind && scope.Regions.Count > 0)
            add("acceptance.regions", "只有受理范围为指定地区时才填写行政区划代码");
        for (var i = 0; i < scope.Regions.Count; i++)
            if (!AcceptanceScope.IsRegionCode(scope.Regions[i]))
                add($"acceptance.regions[{i}]", $"“{scope.Regions[i]}”不是 6 位行政区划代码（如 440305 南山区）");
    }

    private void CheckFlow(WorkflowDefinition definition, ServiceMatter? matter, List<Found> problems)
    {
        if (definition.Root is null) { problems.Add(new("$.root", "流程定义还没有流程图")); return; }
        var paths = new Dictionary<ActivityNode, string>(ReferenceEqualityComparer.Instance);
        var tops = new Dictionary<ActivityNode, string>(ReferenceEqualityComparer.Instance);
        Walk(definition.Root, "$.root", null, definition.Root, paths, tops);
        string? TopOf(ActivityNode? node) => node != null && tops.TryGetValue(node, out var top) ? top : null;
        Found FromCompiler(CompileProblem p) => new(
            p.Node != null && paths.TryGetValue(p.Node, out var at) ? at + (p.Property is null ? "" : "." + p.Property) : p.Path,
            p.Node is { } n && n != definition.Root ? $"{Label(n)}：{InChinese(p.Message)}" : InChinese(p.Message), null, TopOf(p.Node));
        try
        {
            var workflow = compiler.Compile(definition);
            foreach (var w in workflow.Problems) problems.Add(FromCompiler(w));
            CheckOutcomes(workflow, matter, paths, tops, problems);
        }
        catch (WorkflowCompileException ex)
        {
            foreach (var p in ex.Problems) problems.Add(FromCompiler(p));
        }

        // An empty canvas compiles, but no case could run on it.
        if (definition.Root.Type == "Elsa.Flowchart" && !definition.Root.Children("activities").Any())
            problems.Add(new("$.root.activities", "流程图还是空的：请在“流程设计”中添加开始、受理、审查和办结等环节并连线"));
        foreach (var (node, path) in paths)
        {
            var descriptor = compiler.Registry.Find(node.Type);
            if (descriptor?.Kind == ActivityKind.Task && string.IsNullOrWhiteSpace(InputText(node, "department")))
            {
                // Said once, in the hall's words: where the department is a required input the compiler asked for it too.
                problems.RemoveAll(p => p.Path == $"{path}.department");
                problems.Add(new($"{path}.department", $"人工环节{Label(node)}没有指定办理部门", null, TopOf(node)));
            }
            if (node.Type == "Elsa.Flowchart" || node.Find("connections") is ConnectionsProperty) CheckConnections(node, path, tops, problems);
            if (matter != null) CheckStepLimit(node, path, matter, TopOf(node), problems);
        }
    }

    // A step the flow gives more time than the matter promises cannot keep the promise; a step named like one of the
    // matter's 办理环节 must fit that step's limit, as the guide tells the applicant those limits.
    private void CheckStepLimit(ActivityNode node, string path, ServiceMatter matter, string? top, List<Found> problems)
    {
        if (!int.TryParse(InputText(node, "limitWorkingDays"), out var days) || days <= 0) return;
        if (days > matter.PromisedLimit.InWorkingDays())
            problems.Add(new($"{path}.limitWorkingDays", $"{Label(node)}的时限 {days} 个工作日超过了事项的承诺办结时限（{matter.PromisedLimit}）", "promisedLimit", top));
        var stepName = InputText(node, "stepName");
        var index = stepName is null ? -1 : matter.Steps.FindIndex(s => s.Name == stepName);
        if (index >= 0 && days > matter.Steps[index].Limit.InWorkingDays())
            problems.Add(new($"{path}.limitWorkingDays",
                $"流程中{Label(node)}的时限 {days} 个工作日，超过了事项办理环节“{stepName}”的时限（{matter.Steps[index].Limit}）", $"steps[{index}].limit.value", top));
    }

    // No ending leads nowhere: an outcome a GovFlow step can take must lead on, unless it gives the case its final
    // status (today a review's "return" ended the workflow and left the case 审查中 with no task).
    private void CheckOutcomes(Workflow workflow, ServiceMatter? matter, Dictionary<ActivityNode, string> paths, Dictionary<ActivityNode, string> tops, List<Found> problems)
    {
        var nodes = paths.Keys.GroupBy(n => n.Id).ToDictionary(g => g.Key, g => g.First());
        foreach (var activity in workflow.Activities.Where(a => a.Type.StartsWith("GovFlow.", StringComparison.Ordinal)))
        {
            var outcomes = activity is Cases.ICaseOutcomes o ? o.OutcomesTaken(matter) : compiler.Registry.Find(activity.Type)?.Outcomes ?? [];
            var node = nodes.GetValueOrDefault(activity.Id);
            foreach (var outcome in outcomes.Where(x => !activity.Continues(x) && (activity as Cases.ICaseOutcomes)?.GivesFinalStatus(x, matter) != true))
                problems.Add(new(node != null ? paths[node] : "$.root",
                    $"“{(node != null ? Bare(node) : activity.Name ?? activity.Id)}”的结果“{OutcomeName(outcome)}”没有连线：办件会停在这里，既无待办也无决定；请连到下一步",
                    null, node != null ? tops.GetValueOrDefault(node) : null));
        }
    }

    private void CheckConnections(ActivityNode flowchart, string path, Dictionary<ActivityNode, string> tops, List<Found> problems)
    {
        var list = flowchart.Children("activities").ToList();
        var activities = list.GroupBy(a => a.Id).ToDictionary(g => g.Key, g => g.First());
        string? TopOfId(string id) => activities.TryGetValue(id, out var a) ? tops.GetValueOrDefault(a) : null;
        for (var i = 0; i < flowchart.Connections.Count; i++)
        {
            var c = flowchart.Connections[i];
            var at = $"{path}.connections[{i}]";
            if (!activities.TryGetValue(c.Source, out var source)) { problems.Add(new($"{at}.source", $"有一条连线从不存在的活动“{c.Source}”出发，请删除这条连线", null, TopOfId(c.Target))); continue; }
            if (!activities.ContainsKey(c.Target)) { problems.Add(new($"{at}.target", $"{Label(source)}的连线指向不存在的活动“{c.Target}”，请删除或重连这条连线", null, tops.GetValueOrDefault(source))); continue; }
            var ports = Ports(source);
            if (ports != null && !ports.Contains(c.SourcePort))
                problems.Add(new($"{at}.source.port",
                    $"{Label(source)}没有结果“{OutcomeName(c.SourcePort)}”；{(ports.Count == 0 ? "它没有可连的结果" : $"它的结果有：{string.Join("、", ports.Select(OutcomeName))}")}",
                    null, tops.GetValueOrDefault(source)));
        }
        // Every branch of a fork must reach one join, or the parallel work never comes together.
        foreach (var fork in activities.Values.Where(a => a.Type == "Elsa.FlowFork"))
        {
            var branches = flowchart.Connections.Where(c => c.Source == fork.Id).Select(c => c.Target).Distinct().ToList();
            if (branches.Count < 2) continue;
            var joins = branches.Select(b => ReachableJoins(flowchart, b)).ToList();
            // The join most branches reach is the one the fork meant; every branch must reach it.
            var target = joins.SelectMany(j => j).GroupBy(j => j).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault();
            var forkIndex = list.FindIndex(a => a.Id == fork.Id);
            foreach (var (branch, reached) in branches.Zip(joins))
                if (target is null || !reached.Contains(target))
                    problems.Add(new($"{path}.activities[{forkIndex}]",
                        $"并行分支{Label(fork)}的分支{(activities.TryGetValue(branch, out var b) ? Label(b) : $"“{branch}”")}走不到{(target is null ? "任何汇合点：没有一个分支走到汇合" : $"其他分支汇合的{(activities.TryGetValue(target, out var j) ? Label(j) : $"“{target}”")}")}，并行的工作无法汇合",
                        null, tops.GetValueOrDefault(fork)));
        }
        // An activity no path from the start reaches never runs: usually a connection was forgotten.
        if (list.Count == 0) return;
        var seen = new HashSet<string>();
        var stack = new Stack<string>(StartsOf(flowchart, list).Select(a => a.Id));
        while (stack.Count > 0)
        {
            var id = stack.Pop();
            if (!seen.Add(id)) continue;
            foreach (var c in flowchart.Connections.Where(c => c.Source == id)) stack.Push(c.Target);
        }
        for (var i = 0; i < list.Count; i++)
            if (!seen.Contains(list[i].Id))
                problems.Add(new($"{path}.activities[{i}]", flowchart.Connections.Any(c => c.Target == list[i].Id)
                    ? $"{Label(list[i])}从流程开始走不到：通向它的连线都来自走不到的活动，它永远不会执行"
                    : $"{Label(list[i])}从流程开始走不到：没有连线通向它，它永远不会执行", null, tops.GetValueOrDefault(list[i])));
    }

    // Where a run can begin (Flowchart.StartIndex): a Start or any trigger that may start the workflow (each trigger
    // starts its own runs), else the first activity nothing leads to, else the first.
    private static IEnumerable<ActivityNode> StartsOf(ActivityNode flowchart, List<ActivityNode> list)
    {
        var starts = list.Where(a => a.Type == "Elsa.Start" || JsonAccess.GetBool(a.EffectiveCustomProperties, "canStartWorkflow") == true).ToList();
        return starts.Count > 0 ? starts : [list.FirstOrDefault(a => flowchart.Connections.All(c => c.Target != a.Id)) ?? list[0]];
    }

    private static HashSet<string> ReachableJoins(ActivityNode flowchart, string start)
    {
        var types = flowchart.Children("activities").GroupBy(a => a.Id).ToDictionary(g => g.Key, g => g.First().Type);
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

    /// <summary>How the hall names an activity: its name, else its step name, else its kind, quoted.</summary>
    private string Label(ActivityNode node) => $"“{Bare(node)}”";

    private string Bare(ActivityNode node)
    {
        if (node.Name is { Length: > 0 } name) return name;
        if (InputText(node, "stepName") is { Length: > 0 } step) return step;
        return compiler.Registry.Find(node.Type)?.DisplayNameZh is { } kind ? $"{kind}（{node.Id}）" : node.Id;
    }

    private static string OutcomeName(string outcome) => OutcomeNames.Of(outcome);

    // The engine's compile problems are written for developers in English; the ones a designer can cause are said again
    // in the hall's words. The rest keep their text after a Chinese lead, as they name what a developer must fix.
    private static string InChinese(string message)
    {
        var m = System.Text.RegularExpressions.Regex.Match(message, @"^unknown activity type '([^']+)'");
        if (m.Success) return $"活动类型“{m.Groups[1].Value}”GovFlow 不认识；办件走到这里会出错";
        if (message.StartsWith("JavaScript does not compile", StringComparison.Ordinal)) return $"脚本不是有效的 JavaScript，无法执行{ScriptPlace(message)}";
        if (message.StartsWith("C# does not compile", StringComparison.Ordinal)) return "C# 脚本无法编译";
        if ((m = System.Text.RegularExpressions.Regex.Match(message, @"^unknown expression type '([^']+)'")).Success) return $"不支持表达式类型“{m.Groups[1].Value}”";
        if (message.StartsWith("the value cannot be used as", StringComparison.Ordinal)) return "填写的值类型不对";
        if (message.StartsWith("expected an expression object", StringComparison.Ordinal)) return "输入的格式不对（应为表达式）";
        if (message.Contains("names an activity that is not in this flowchart", StringComparison.Ordinal)) return "有连线指向流程图中不存在的活动（已忽略）";
        if (message.StartsWith("a notification needs a message", StringComparison.Ordinal)) return "通知需要填写内容";
        if (message.StartsWith("a certificate lookup needs the certificate type", StringComparison.Ordinal)) return "调取证照需要选择证照类型";
        if (message.StartsWith("a certificate lookup needs a use reason", StringComparison.Ordinal)) return "调取证照需要填写用证事由";
        if ((m = System.Text.RegularExpressions.Regex.Match(message, @"^the use reason has (\d+) characters")).Success) return $"用证事由有 {m.Groups[1].Value} 个字，最多 200 个字";
        if (message.Contains("uses itself as an activity", StringComparison.Ordinal)) return "流程把自己当作活动引用（直接或间接），会无限循环";
        if (message.StartsWith("SetVariable names no variable", StringComparison.Ordinal)) return "设置变量没有选择变量";
        if (message.Any(c => c >= '\u4e00' && c <= '\u9fff')) return message;
        return $"设置有误（{message}）";
    }

    private static string? InputText(ActivityNode node, string name) => node.Raw(name) switch
    {
        JsonObject o when JsonAccess.Get(o, "expression") is JsonObject e => JsonAccess.AsString(JsonAccess.Get(e, "value")),
        JsonValue v => JsonAccess.AsString(v),
        _ => null
    };

    private static void Walk(ActivityNode node, string path, string? top, ActivityNode root, Dictionary<ActivityNode, string> paths, Dictionary<ActivityNode, string> tops)
    {
        paths[node] = path;
        if (top != null) tops[node] = top;
        foreach (var p in node.Properties)
            switch (p)
            {
                case ChildProperty c: Walk(c.Activity, $"{path}.{p.Name}", top ?? (node == root ? c.Activity.Id : null), root, paths, tops); break;
                case ChildListProperty l:
                    for (var i = 0; i < l.Activities.Count; i++) Walk(l.Activities[i], $"{path}.{p.Name}[{i}]", top ?? (node == root ? l.Activities[i].Id : null), root, paths, tops);
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

    /// <summary>Full years of age on <paramref name="today"/> of someone born on <paramref name="birth"/> (周岁).</summary>
    public static int Age(DateOnly birth, DateOnly today) => today.Year - birth.Year - (today < birth.AddYears(today.Year - birth.Year) ? 1 : 0);

    /// <summary>Full years of age on <paramref name="today"/> of the holder of an ID number.</summary>
    public static int Age(string number, DateOnly today) => Age(BirthDate(number), today);

    private static char Check(string first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += (first17[i] - '0') * Weights[i];
        return Checks[sum % 11];
    }
}
